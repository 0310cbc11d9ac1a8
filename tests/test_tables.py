"""netlab.tables: one style for every lab's text tables."""

from __future__ import annotations

import re

import pytest

from netlab.tables import MISSING, format_table


def test_dict_rows_align_text_left_and_numbers_right() -> None:
    text = format_table([{"name": "a", "n": 1}, {"name": "bbb", "n": 22}])
    assert text.splitlines() == [
        "name      n",
        "------  ---",
        "a         1",
        "bbb      22",
    ]


def test_first_row_is_the_header_when_headers_is_none() -> None:
    text = format_table([("time_s", "dir"), ("0.10", "C->S"), ("0.15", "C<-S")])
    lines = text.splitlines()
    assert lines[0].split() == ["time_s", "dir"]
    assert set(lines[1]) == {"-", " "}
    assert lines[2].split() == ["0.10", "C->S"]  # numbers given as text are kept as written


def test_headers_name_sequence_columns_and_select_dict_columns() -> None:
    assert format_table([(1, 2)], ["a", "b"]).splitlines()[0].split() == ["a", "b"]
    rows = [{"a": 1, "b": 2, "c": 3}]
    assert format_table(rows, ["c", "a"]).splitlines()[2].split() == ["3", "1"]


def test_none_booleans_floats_and_cuts_are_shown_one_way() -> None:
    text = format_table([{"x": None, "ok": True, "f": 0.125, "s": "y" * 30},
                         {"x": 4, "ok": False, "f": 2.0, "s": "short"}],
                        max_width=10, floatfmt="g")
    first, second = (line.split() for line in text.splitlines()[2:])
    assert first == [MISSING, "yes", "0.125", "yyyyyyy..."]
    assert second == ["4", "no", "2", "short"]
    assert max(len(c) for c in first) <= 10


def test_per_column_float_formats() -> None:
    text = format_table([(0.1, 0.12345)], ["p", "ratio"], floatfmt=[".2f", ".3f"])
    assert text.splitlines()[2].split() == ["0.10", "0.123"]


def test_output_is_deterministic_and_has_no_trailing_blanks() -> None:
    rows = [{"k": "a", "v": "x"}, {"k": "longer key", "v": ""}]
    assert format_table(rows) == format_table(list(rows))
    assert all(line == line.rstrip() for line in format_table(rows).splitlines())


def test_a_missing_dict_key_is_missing() -> None:
    assert format_table([{"a": 1, "b": 2}, {"a": 3}]).splitlines()[3].split() == ["3", MISSING]


def test_empty_rows() -> None:
    assert format_table([]) == "(no rows)"
    assert format_table([], ["a", "b"]).splitlines()[0].split() == ["a", "b"]


@pytest.mark.parametrize(("kwargs", "parameter"), [
    ({"rows": "abc"}, "rows"),
    ({"rows": 5}, "rows"),
    ({"rows": [{"a": 1}], "max_width": 2}, "max_width"),
    ({"rows": [{"a": 1}], "max_width": 1.5}, "max_width"),
    ({"rows": [(1,)], "headers": "a"}, "headers"),
    ({"rows": [(1,)], "headers": ["a"], "floatfmt": "zz"}, "floatfmt"),
    ({"rows": [(1,)], "headers": ["a"], "floatfmt": ["g", "g"]}, "floatfmt"),
    ({"rows": [(1, 2)], "headers": ["a"]}, "rows[0]"),
    ({"rows": [{"a": 1}, (1,)]}, "rows"),
])
def test_bad_arguments_name_the_parameter(kwargs: dict, parameter: str) -> None:
    with pytest.raises(ValueError, match="^format_table: " + re.escape(parameter) + r"[:.\[ ]"):
        format_table(**kwargs)


def test_a_bad_positional_argument_is_named_too() -> None:
    with pytest.raises(ValueError, match="^format_table: rows: "):
        format_table("not a table")
    with pytest.raises(ValueError, match="^format_table: headers: "):
        format_table([(1,)], "a")
