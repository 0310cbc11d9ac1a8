"""The sequence diagram of a trace, drawn with matplotlib for the labs."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from netlab._validate import public
from netlab.oauth.trace import BACK, Hops, TraceArg, compact_params

_LABELS = {"browser": "Browser", "client": "Client\n(backend)",
           "provider": "Authorization server\n(OpenID Provider)", "resource": "Resource\nserver",
           "mallory-browser": "Mallory's\nbrowser", "attacker": "Attacker", "quiz-app": "quiz-app"}
_ORDER = ["mallory-browser", "browser", "client", "attacker", "quiz-app", "provider", "resource"]


@public
def plot_sequence(trace: TraceArg, hops: Hops | None = None) -> Figure:
    """Draw requests (solid: front channel, dashed: back channel) and responses, in order."""
    chosen = {id(h) for h in (trace.hops if hops is None else hops)}
    events = [(kind, hop) for kind, hop in trace.events if id(hop) in chosen]
    roles = {r for _, hop in events for r in (hop.src, hop.dst)}
    names = [r for r in _ORDER if r in roles] + sorted(roles - set(_ORDER))
    x = {name: i * 3.0 for i, name in enumerate(names)}
    fig, ax = plt.subplots(figsize=(2.6 * max(len(names), 2) + 2, 0.55 * len(events) + 1.4))
    bottom = -len(events) - 0.5
    for name in names:
        ax.plot([x[name], x[name]], [0.4, bottom], color="0.6", lw=1, zorder=1)
        ax.text(x[name], 0.6, _LABELS.get(name, name), ha="center", va="bottom", fontsize=9,
                bbox={"boxstyle": "round", "fc": "0.93", "ec": "0.5"})
    for row, (kind, hop) in enumerate(events, start=1):
        y = -row
        start, end = (hop.src, hop.dst) if kind == "request" else (hop.dst, hop.src)
        style = "--" if kind == "response" else ("-." if hop.channel == BACK else "-")
        color = "C0" if hop.channel != BACK else "C3"
        ax.annotate("", xy=(x[end], y), xytext=(x[start], y),
                    arrowprops={"arrowstyle": "-|>", "linestyle": style, "color": color})
        if kind == "request":
            label = f"{hop.index}. {hop.method} {hop.path}  {compact_params(hop.params)}"
        else:
            label = f"{hop.status} {hop.result}  {compact_params(hop.result_params)}"
        ax.text((x[start] + x[end]) / 2, y + 0.12, _wrap(label.strip()), ha="center",
                va="bottom", fontsize=7, color=color)
    ax.set_xlim(min(x.values()) - 1.6, max(x.values()) + 1.6)
    ax.set_ylim(bottom, 1.6)
    ax.axis("off")
    ax.set_title("OAuth 2.0 / OpenID Connect hops (blue: front channel, red: back channel)",
                 fontsize=10)
    plt.close(fig)  # returned for display, not left open in pyplot's registry
    return fig


def _wrap(text: str, width: int = 60) -> str:
    words, lines, line = text.split(" "), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:2]) + (" …" if len(lines) > 2 else "")
