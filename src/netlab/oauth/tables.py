"""Plain-text tables of dict rows for the labs (left-aligned columns, a dashed rule)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from netlab._validate import public


@public
def format_rows(rows: Annotated[list[dict[str, Any]], Field(max_length=10_000)]) -> str:
    """Return ``rows`` (dicts with the same keys) as a text table, columns in key order."""
    if not rows:
        return ""
    header = list(rows[0])
    table = [header, *[[str(row.get(k, "")) for k in header] for row in rows]]
    widths = [max(len(line[i]) for line in table) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
             for line in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
