"""Structured diagnostics from ``tsc`` and mypy, and the ``error:`` markers in snippets."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# tsc --pretty false: "file(line,col): error TS2345: message"; a diagnostic about the
# command line itself has no location: "error TS5023: message". Continuation lines of
# a message chain are indented.
_TSC_LINE = re.compile(
    r"^(?:(?P<file>.+?)\((?P<line>\d+),(?P<col>\d+)\): )?"
    r"(?P<category>error|warning|message) (?P<code>TS\d+): (?P<message>.*)$"
)
# mypy --show-column-numbers --show-error-codes: "file:line:col: error: message  [code]"
_MYPY_LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<category>error|note): "
    r"(?P<message>.*?)(?:  \[(?P<code>[a-z0-9-]+)\])?$"
)
# A snippet line that must produce a diagnostic ends with "// error: TS2345"
# (TypeScript) or "# error: attr-defined" (Python, mypy's error code).
_MARKER = re.compile(r"(?://|#) error: (?P<codes>[A-Za-z0-9-]+(?:, *[A-Za-z0-9-]+)*)\s*$")


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One checker message: where (1-based line and column, 0 if global), code and text."""

    line: int
    column: int
    code: str
    message: str
    category: str = "error"


def parse_tsc_output(text: str) -> list[Diagnostic]:
    """Parse ``tsc --pretty false`` output into diagnostics, sorted by position."""
    found: list[Diagnostic] = []
    for raw in text.splitlines():
        match = _TSC_LINE.match(raw)
        if match:
            found.append(Diagnostic(
                line=int(match["line"] or 0), column=int(match["col"] or 0),
                code=match["code"], message=match["message"].strip(),
                category=match["category"]))
        elif raw.startswith(" ") and found and raw.strip():
            last = found.pop()
            found.append(Diagnostic(last.line, last.column, last.code,
                                    f"{last.message} {raw.strip()}", last.category))
    return sorted(found)


def parse_mypy_output(text: str) -> list[Diagnostic]:
    """Parse mypy's one-line-per-message output (notes dropped) into sorted diagnostics."""
    found = []
    for raw in text.splitlines():
        match = _MYPY_LINE.match(raw)
        if match and match["category"] == "error":
            found.append(Diagnostic(line=int(match["line"]), column=int(match["col"]),
                                    code=match["code"] or "misc",
                                    message=match["message"].strip()))
    return sorted(found)


def expected_diagnostics(source: str) -> list[tuple[int, str]]:
    """Return the ``(line, code)`` pairs a snippet announces with ``error:`` markers."""
    if not isinstance(source, str):
        raise ValueError(f"source must be a str, got {type(source).__name__}")
    pairs = []
    for number, raw in enumerate(source.splitlines(), start=1):
        match = _MARKER.search(raw)
        if match:
            pairs.extend((number, code.strip()) for code in match["codes"].split(","))
    return sorted(pairs)


def codes(diagnostics: Iterable[Diagnostic]) -> list[str]:
    """Return the diagnostic codes in position order, e.g. ``['TS2339', 'TS2345']``."""
    return [d.code for d in sorted(diagnostics)]


def format_diagnostics(diagnostics: Iterable[Diagnostic], *, width: int = 90) -> str:
    """Render diagnostics as a small fixed-width table (line, column, code, message)."""
    if not isinstance(width, int) or isinstance(width, bool) or width < 20:
        raise ValueError(f"width must be an integer >= 20, got {width!r}")
    rows = sorted(diagnostics)
    if not rows:
        return "no diagnostics"
    lines = [f"{'line':>4} {'col':>3}  {'code':<14} message"]
    for d in rows:
        text = d.message if len(d.message) <= width else d.message[: width - 3] + "..."
        lines.append(f"{d.line:>4} {d.column:>3}  {d.code:<14} {text}")
    return "\n".join(lines)
