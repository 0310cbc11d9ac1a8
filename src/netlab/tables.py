"""Plain-text tables for every lab, in one style, laid out by ``tabulate``.

Rows are dicts (columns named by their keys) or sequences (columns named by
``headers``, or by the first row when ``headers`` is None). Each cell is shown the
same way everywhere:

* ``None`` as ``-`` (nothing measured, not applicable);
* ``True``/``False`` as ``yes``/``no``;
* ints as they are, floats with ``floatfmt`` (one format, or one per column);
* text cut at ``max_width`` characters, the cut marked with ``...``.

A column whose cells are all numbers (or missing) is right-aligned, any other
column left-aligned; the header is underlined with dashes (tabulate's ``simple``
format), columns are two spaces apart and no line has trailing blanks. The same
rows always give the same text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import Field
from tabulate import tabulate

from netlab._validate import ArgumentError, check_work, public

__all__ = ["MISSING", "format_table"]

#: How a missing value (None) is shown.
MISSING = "-"
_CUT = "..."
_MAX_CELLS = 1_000_000  # a lab table is tens of rows; this only stops runaway calls


def _float_specs(floatfmt: str | Sequence[str], columns: int) -> list[str]:
    specs = [floatfmt] * columns if isinstance(floatfmt, str) else list(floatfmt)
    if len(specs) != columns:
        raise ArgumentError(f"format_table: floatfmt: has {len(specs)} formats for {columns} columns")
    for spec in specs:
        try:
            format(1.5, spec)
        except ValueError:
            raise ArgumentError(f"format_table: floatfmt: must be float format specs such as '.2f' "
                             f"or 'g', got {spec!r}") from None
    return specs


Row = Mapping[str, object] | Sequence[object]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell(value: object, spec: str, max_width: int) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format(value, spec)
    text = str(value)
    return text if len(text) <= max_width else text[:max_width - len(_CUT)] + _CUT


def _grid(rows: Sequence[Row], headers: Sequence[str] | None) -> tuple[list[str], list[list[Any]]]:
    if isinstance(rows[0], Mapping):
        if not all(isinstance(r, Mapping) for r in rows):
            raise ArgumentError("format_table: rows: must be all dicts or all sequences, got a mix")
        columns = list(headers) if headers is not None else [str(k) for k in rows[0]]
        return columns, [[r.get(c) for c in columns] for r in rows]  # type: ignore[union-attr]
    if any(isinstance(r, Mapping | str | bytes) for r in rows):
        raise ArgumentError("format_table: rows: must be all dicts or all sequences (not text), "
                            "got a mix")
    if headers is None:
        columns, body = [str(c) for c in rows[0]], [list(r) for r in rows[1:]]
    else:
        columns, body = list(headers), [list(r) for r in rows]
    for index, row in enumerate(body):
        if len(row) != len(columns):
            raise ArgumentError(f"format_table: rows[{index}]: has {len(row)} cells for "
                                f"{len(columns)} columns")
    return columns, body


@public
def format_table(rows: Sequence[Row], headers: Sequence[str] | None = None, *,
                 max_width: Annotated[int, Field(ge=4, le=1000)] = 60,
                 floatfmt: str | Sequence[str] = "g") -> str:
    """Rows (dicts, or sequences under ``headers`` or a header row) as an aligned text table."""
    if not rows:
        return "(no rows)" if not headers else _layout(list(headers), [], [])
    columns, body = _grid(rows, headers)
    check_work("rows", len(body), work=len(body) * max(1, len(columns)), limit=_MAX_CELLS,
               unit="cells")
    specs = _float_specs(floatfmt, len(columns))
    numeric = [all(row[i] is None or _is_number(row[i]) for row in body)
               and any(row[i] is not None for row in body) for i in range(len(columns))]
    cells = [[_cell(v, specs[i], max_width) for i, v in enumerate(row)] for row in body]
    return _layout(columns, cells, numeric)


def _layout(columns: list[str], cells: list[list[str | None]], numeric: list[bool]) -> str:
    align = ["right" if n else "left" for n in numeric] or ["left"] * len(columns)
    text = tabulate(cells, headers=columns, tablefmt="simple", missingval=MISSING,
                    disable_numparse=True, colalign=align)
    return "\n".join(line.rstrip() for line in text.splitlines())
