"""How long each lab's interactive controls take to answer, at their worst corner.

The house rule is that a slider answers in under 0.2 s, and that a control whose call
takes over 0.1 s is set with ``continuous_update=False`` (it then runs once, on
release, instead of on every step of a drag). This runs every lab that has controls
in a fresh kernel, as the regression test does, then moves each ``interact`` panel's
controls to every corner of their ranges (each slider at its minimum and maximum,
each drop-down through its options, up to ``MAX_CORNERS`` combinations) and times
the call each move triggers (for a panel with a Run button, the move and the run). A
simulation too long for any slider gets a Run button (``interact.options(manual=True)``)
and the lab says why. Wall-clock seconds on this machine: a benchmark, never
part of a compared output.

``python tools/bench_sliders.py [labs/NN-name.ipynb ...]`` prints one row per panel
and exits 1 when a panel breaks either rule.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
LIMIT_S = 0.2        # every move answers within this
CONTINUOUS_S = 0.1   # above this, the panel's sliders must update on release only
BUTTON_S = 10.0      # a panel with a Run button (a simulation too long for a slider)
MAX_CORNERS = 64

# Runs in the lab's kernel after its last cell: every live interact panel, every corner.
PROBE = f"""
import itertools as _it, json as _json, time as _time
from ipywidgets import Widget as _W, interactive as _I
_rows = []
for _panel in [w for w in list(getattr(_W, "_active_widgets", {{}}).values()) if isinstance(w, _I)]:
    _axes, _names, _continuous = [], [], False
    for _c in _panel.kwargs_widgets:
        if hasattr(_c, "min") and hasattr(_c, "max") and not isinstance(_c.value, tuple):
            _base = getattr(_c, "base", None)  # FloatLogSlider: min and max are exponents
            _ends = [_base ** _c.min, _base ** _c.max] if _base else [_c.min, _c.max]
            _axes.append((_c, _ends))
            _continuous = _continuous or bool(getattr(_c, "continuous_update", False))
        elif getattr(_c, "options", None) and not isinstance(_c.value, tuple):
            _axes.append((_c, [v if not isinstance(v, tuple) else v[1] for v in _c.options]))
        else:
            continue
        _names.append(_c.description or "?")
    _start = [c.value for c, _ in _axes]
    _worst, _where = 0.0, ""
    for _corner in _it.islice(_it.product(*[vals for _, vals in _axes]), {MAX_CORNERS}):
        for (_c, _), _v in zip(_axes, _corner):
            if _c.value != _v:
                _t0 = _time.perf_counter()
                _c.value = _v
                if _panel.manual:  # a Run button: the move alone runs nothing
                    _panel.update()
                _dt = _time.perf_counter() - _t0
                if _dt > _worst:
                    _worst, _where = _dt, ", ".join(f"{{n}}={{v}}" for n, v in zip(_names, _corner))
    for (_c, _), _v in zip(_axes, _start):
        _c.value = _v
    _rows.append({{"controls": ", ".join(_names), "worst_s": _worst, "at": _where,
                   "continuous": _continuous, "manual": bool(_panel.manual)}})
print("BENCH-SLIDERS " + _json.dumps(_rows))
"""


def panels(path: Path) -> list[dict]:
    """Execute one lab, then the probe; return one record per interact panel.

    A multiple selection is left where the lab put it (its corners are subsets)."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    for output in nb.cells[-1].get("outputs", []):
        text = output.get("text", "")
        for line in text.splitlines():
            if line.startswith("BENCH-SLIDERS "):
                return json.loads(line.removeprefix("BENCH-SLIDERS "))
    return []


def main(argv: list[str]) -> int:
    """Print the table; exit 1 when a panel is too slow or too slow to drag."""
    labs = [Path(a).resolve() for a in argv] or sorted((ROOT / "labs").glob("*.ipynb"))
    labs = [lab for lab in labs if "interact" in lab.read_text(encoding="utf-8")]
    failed = False
    print(f"{'lab':<32} {'worst s':>8}  {'drag':<7} verdict  controls (worst corner)")
    for lab in labs:
        for row in panels(lab):
            button = row["manual"]
            slow = row["worst_s"] > (BUTTON_S if button else LIMIT_S)
            drag = row["continuous"] and not button and row["worst_s"] > CONTINUOUS_S
            verdict = "SLOW" if slow else "DRAG" if drag else "ok"
            failed = failed or slow or drag
            print(f"{lab.stem:<32} {row['worst_s']:>8.3f}  "
                  f"{'button' if button else 'live' if row['continuous'] else 'release':<7} "
                  f"{verdict:<7}  "
                  f"{row['controls']} ({row['at']})", flush=True)
    print(f"\nrule: every move < {LIMIT_S} s; a panel over {CONTINUOUS_S} s updates on release;"
          f" a panel whose work is longer has a Run button and answers in < {BUTTON_S:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
