"""A record of every HTTP hop in an OAuth flow, and the sequence diagram drawn from it."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from netlab._validate import public, result

#: The parameters worth showing in a trace, in the order they are shown.
SHOWN_PARAMS = (
    "response_type", "grant_type", "client_id", "redirect_uri", "scope", "state", "nonce",
    "code_challenge", "code_challenge_method", "access_type", "code", "iss", "code_verifier",
    "refresh_token", "username", "password", "consent", "id_token", "access_token",
    "credential", "g_csrf_token", "token", "error",
)
#: Random values: shown shortened, since only their equality matters.
RANDOM_PARAMS = frozenset({"state", "nonce", "code_challenge", "code", "code_verifier",
                           "refresh_token", "id_token", "access_token", "credential",
                           "g_csrf_token", "token"})
#: Values too secret to show even shortened.
HIDDEN_PARAMS = frozenset({"password", "client_secret"})

FRONT = "front"
BACK = "back"


@result
@dataclass
class Hop:
    """One HTTP request and its response: who sent it to whom, and what mattered in it."""

    index: int
    src: str
    dst: str
    method: str
    path: str
    params: dict[str, str]
    channel: str
    auth: str = ""
    status: int = 0
    result: str = ""
    result_params: dict[str, str] = field(default_factory=dict)

    def params_text(self, width: int = 8) -> str:
        """Return the shown parameters as ``name=value`` pairs, long values shortened."""
        return show_params(self.params, width)

    def response_text(self, width: int = 8, *, compact: bool = False) -> str:
        """Return the response as ``status result`` plus the redirect's parameters, if any."""
        shown = (compact_params(self.result_params) if compact
                 else show_params(self.result_params, width))
        return f"{self.status} {self.result} {shown}".strip()


def show_params(params: dict[str, str], width: int = 8) -> str:
    """Return ``name=value`` pairs in SHOWN_PARAMS order, random values shortened."""
    return " ".join(f"{k}={shorten(params[k], width) if k in RANDOM_PARAMS else params[k]}"
                    for k in SHOWN_PARAMS if k in params)


#: Parameters whose value a diagram still shows; the others appear by name only.
VALUE_IN_DIAGRAM = frozenset({"response_type", "grant_type", "client_id",
                              "code_challenge_method", "access_type", "consent", "username",
                              "error"})


def compact_params(params: dict[str, str]) -> str:
    """Return parameter names (with values only for VALUE_IN_DIAGRAM), for diagrams."""
    return " ".join(f"{k}={params[k]}" if k in VALUE_IN_DIAGRAM else k
                    for k in SHOWN_PARAMS if k in params)


def shorten(value: str, width: int = 8) -> str:
    """Return ``value`` cut to ``width`` characters with an ellipsis, or as is when short."""
    return value if len(value) <= width + 1 else value[:width] + "…"


@result
@dataclass
class Trace:
    """The hops of one run, in the order the servers received them (thread safe)."""

    hops: list[Hop] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    events: list[tuple[str, Hop]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, *, src: str, dst: str, method: str, path: str, params: dict[str, str],
               auth: str = "") -> Hop:
        """Append a hop as a request arrives and return it (its response is filled in later)."""
        channel = FRONT if src.endswith("browser") else BACK
        shown = {k: ("***" if k in HIDDEN_PARAMS else self.alias(str(v)))
                 for k, v in params.items() if k in SHOWN_PARAMS}
        with self._lock:
            hop = Hop(len(self.hops) + 1, src, dst, method, path, shown, channel, auth)
            self.hops.append(hop)
            self.events.append(("request", hop))
        return hop

    def complete(self, hop: Hop, status: int, result: str,
                 result_params: dict[str, str] | None = None) -> None:
        """Fill in the response of ``hop`` once it is sent."""
        shown = {k: ("***" if k in HIDDEN_PARAMS else self.alias(v))
                 for k, v in (result_params or {}).items() if k in SHOWN_PARAMS}
        with self._lock:
            hop.status, hop.result, hop.result_params = status, self.alias(result), shown
            self.events.append(("response", hop))

    def alias(self, text: str) -> str:
        """Return ``text`` with every service base URL replaced by the service's role name."""
        for base_url, role in self.aliases.items():
            text = text.replace(base_url, role)
        return text

    def mark(self) -> int:
        """Return the number of hops so far, to slice the hops of one step later."""
        with self._lock:
            return len(self.hops)

    def since(self, mark: int) -> list[Hop]:
        """Return the hops recorded after ``mark``."""
        with self._lock:
            return list(self.hops[mark:])


def _hops(value: Any) -> Any:
    if not isinstance(value, list) or not all(isinstance(h, Hop) for h in value):
        raise ValueError("must be a list of Hop records (a Trace's hops)")
    return value


def _trace(value: Any) -> Any:
    if not isinstance(value, Trace):
        raise ValueError("must be a Trace")
    return value


Hops = Annotated[Any, AfterValidator(_hops)]
TraceArg = Annotated[Any, AfterValidator(_trace)]
Width = Annotated[int, Field(ge=1, le=200)]


@public
def hop_rows(hops: Hops, width: Width = 8) -> list[tuple[str, ...]]:
    """Return one printable row per hop: #, channel, from → to, request, parameters, response."""
    return [(str(h.index), h.channel, f"{h.src} → {h.dst}", f"{h.method} {h.path}",
             (h.params_text(width) + (f" [{h.auth}]" if h.auth else "")).strip(),
             h.response_text(width)) for h in hops]


@public
def format_hops(hops: Hops, width: Width = 8) -> str:
    """Return the hops as text, two lines each: the request, then the response."""
    lines = []
    for hop in hops:
        auth = f" [{hop.auth}]" if hop.auth else ""
        lines.append(f"{hop.index:>2}. [{hop.channel}] {hop.src} → {hop.dst}: {hop.method} "
                     f"{hop.path} {hop.params_text(width)}{auth}".rstrip())
        lines.append(f"      ⇐ {hop.response_text(width)}")
    return "\n".join(lines)


_PARTICIPANTS = {"browser": "Browser (user agent)", "client": "Client (web app backend)",
                 "provider": "Authorization server / OpenID Provider",
                 "resource": "Resource server", "mallory-browser": "Mallory's browser",
                 "attacker": "Attacker"}


@public
def sequence_mermaid(trace: TraceArg, hops: Hops | None = None) -> str:
    """Return a mermaid sequence diagram: each request, and each response when it was sent."""
    chosen = {id(h) for h in (trace.hops if hops is None else hops)}
    events = [(kind, hop) for kind, hop in trace.events if id(hop) in chosen]
    names: list[str] = []
    for _, hop in events:
        for role in (hop.src, hop.dst):
            if role not in names:
                names.append(role)
    lines = ["sequenceDiagram"]
    lines += [f"    participant {n} as {_PARTICIPANTS.get(n, n)}" for n in names]
    for kind, hop in events:
        if kind == "request":
            arrow = "->>" if hop.channel == FRONT else "-)"
            label = f"{hop.index}. {hop.method} {hop.path} {compact_params(hop.params)}".strip()
            lines.append(f"    {hop.src}{arrow}{hop.dst}: {_escape(label)}")
        else:
            lines.append(f"    {hop.dst}-->>{hop.src}: {_escape(hop.response_text(compact=True))}")
    return "\n".join(lines)


def _escape(text: str) -> str:
    # mermaid treats ';' and '#' specially inside messages
    return text.replace(";", ",").replace("#", "no.")
