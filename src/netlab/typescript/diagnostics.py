"""Structured diagnostics from ``tsc`` and mypy, and the ``error:`` markers in snippets."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field

from netlab._validate import public, result
from netlab.tables import format_table

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
# Compiler options a snippet is checked with, in the Handbook's twoslash notation at the
# top of the file: "// @noUncheckedIndexedAccess: true".
_OPTION_LINE = re.compile(r"^// @(?P<name>[A-Za-z][A-Za-z0-9]*): *(?P<value>\S+)\s*$")


@result
@dataclass(frozen=True, order=True)
class Diagnostic:
    """One checker message: where (1-based line and column, 0 if global), code and text."""

    line: int
    column: int
    code: str
    message: str
    category: str = "error"
    file: str = ""


@public
def parse_tsc_output(text: str) -> list[Diagnostic]:
    """Parse ``tsc --pretty false`` output into diagnostics, sorted by position."""
    found: list[Diagnostic] = []
    for raw in text.splitlines():
        match = _TSC_LINE.match(raw)
        if match:
            found.append(Diagnostic(
                line=int(match["line"] or 0), column=int(match["col"] or 0),
                code=match["code"], message=match["message"].strip(),
                category=match["category"], file=match["file"] or ""))
        elif raw.startswith(" ") and found and raw.strip():
            last = found.pop()
            found.append(Diagnostic(last.line, last.column, last.code,
                                    f"{last.message} {raw.strip()}", last.category, last.file))
    return sorted(found)


@public
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


@public
def expected_diagnostics(source: str) -> list[tuple[int, str]]:
    """Return the ``(line, code)`` pairs a snippet announces with ``error:`` markers."""
    pairs = []
    for number, raw in enumerate(source.splitlines(), start=1):
        match = _MARKER.search(raw)
        if match:
            pairs.extend((number, code.strip()) for code in match["codes"].split(","))
    return sorted(pairs)


@public
def snippet_options(source: str) -> dict[str, bool | int | str]:
    """Return the compiler options a snippet's header sets (``// @strict: false`` lines)."""
    options: dict[str, bool | int | str] = {}
    for raw in source.splitlines():
        match = _OPTION_LINE.match(raw.strip())
        if not match:
            if raw.strip().startswith("// @"):
                raise ValueError(f"source has a malformed option line {raw.strip()!r}; "
                                 "write it as // @optionName: value")
            continue
        value = match["value"]
        options[match["name"]] = (value == "true" if value in ("true", "false")
                                  else int(value) if value.isascii() and value.isdigit() else value)
    return options


@public
def codes(diagnostics: Sequence[Diagnostic]) -> list[str]:
    """Return the diagnostic codes in position order, e.g. ``['TS2339', 'TS2345']``."""
    return [d.code for d in sorted(diagnostics)]


@public
def format_diagnostics(diagnostics: Sequence[Diagnostic], *,
                       width: Annotated[int, Field(ge=20, le=1000)] = 90) -> str:
    """Render diagnostics as a small text table (line, column, code, message), messages cut at ``width``."""
    rows = [{"line": d.line, "col": d.column, "code": d.code, "message": d.message}
            for d in sorted(diagnostics)]
    if not rows:
        return "no diagnostics"
    return format_table(rows, max_width=width)
