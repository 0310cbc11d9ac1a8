import pytest

from netlab.typescript import (
    Diagnostic,
    codes,
    expected_diagnostics,
    format_diagnostics,
    parse_mypy_output,
    parse_tsc_output,
)

TSC_OUTPUT = """\
snippet.mts(12,9): error TS2345: Argument of type 'number' is not assignable to parameter.
snippet.mts(3,16): error TS2339: Property 'length' does not exist on type 'T'.
snippet.mts(5,1): error TS2322: Type '{ a: string; }' is not assignable to type 'B'.
  Types of property 'a' are incompatible.
    Type 'string' is not assignable to type 'number'.
"""


def test_parse_tsc_output_sorts_by_position_and_keeps_fields():
    found = parse_tsc_output(TSC_OUTPUT)
    assert [(d.line, d.column, d.code) for d in found] == [
        (3, 16, "TS2339"), (5, 1, "TS2322"), (12, 9, "TS2345")]
    assert found[0].message == "Property 'length' does not exist on type 'T'."
    assert found[0].category == "error"


def test_parse_tsc_output_joins_the_message_chain():
    chained = parse_tsc_output(TSC_OUTPUT)[1]
    assert chained.message.endswith(
        "Types of property 'a' are incompatible. Type 'string' is not assignable to type 'number'.")


def test_parse_tsc_output_reads_global_diagnostics_as_line_zero():
    found = parse_tsc_output("error TS5023: Unknown compiler option '--bogus'.\n")
    assert found == [Diagnostic(0, 0, "TS5023", "Unknown compiler option '--bogus'.")]


def test_parse_tsc_output_of_a_clean_run_is_empty():
    assert parse_tsc_output("") == []


def test_parse_mypy_output_keeps_errors_and_drops_notes():
    text = ('snippet.py:14:7: error: "int" has no attribute "upper"  [attr-defined]\n'
            "snippet.py:14:7: note: See https://example.invalid\n"
            "snippet.py:3:1: error: Something without a code\n")
    found = parse_mypy_output(text)
    assert [(d.line, d.column, d.code) for d in found] == [(3, 1, "misc"), (14, 7, "attr-defined")]
    assert found[1].message == '"int" has no attribute "upper"'


def test_expected_diagnostics_reads_markers_in_both_languages():
    source = "a(); // error: TS2345\nb()\nc()  # error: attr-defined, arg-type\n"
    assert expected_diagnostics(source) == [
        (1, "TS2345"), (3, "arg-type"), (3, "attr-defined")]


def test_expected_diagnostics_rejects_non_text():
    with pytest.raises(ValueError, match="source must be a str"):
        expected_diagnostics(b"a();")


def test_codes_follow_source_order():
    found = [Diagnostic(9, 1, "TS2339", "x"), Diagnostic(2, 5, "TS2322", "y")]
    assert codes(found) == ["TS2322", "TS2339"]


def test_format_diagnostics_table_and_truncation():
    table = format_diagnostics([Diagnostic(3, 16, "TS2339", "m" * 30)], width=20)
    assert table.splitlines() == ["line col  code           message",
                                  "   3  16  TS2339         " + "m" * 17 + "..."]
    assert format_diagnostics([]) == "no diagnostics"


def test_format_diagnostics_rejects_a_tiny_width():
    with pytest.raises(ValueError, match="width must be an integer >= 20, got 5"):
        format_diagnostics([], width=5)
