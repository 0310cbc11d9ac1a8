import pytest

from netlab.typescript import (
    Diagnostic,
    codes,
    expected_diagnostics,
    format_diagnostics,
    parse_mypy_output,
    parse_tsc_output,
    snippet_options,
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


@pytest.mark.parametrize("call", [expected_diagnostics, parse_tsc_output, parse_mypy_output])
@pytest.mark.parametrize("junk", [b"a();", None, 3, ["x"]])
def test_parsers_reject_non_text_naming_the_argument(call, junk):
    with pytest.raises(ValueError, match=f"^{call.__name__}: [a-z]+: Input should be a valid string"):
        call(junk)


def test_codes_follow_source_order():
    found = [Diagnostic(9, 1, "TS2339", "x"), Diagnostic(2, 5, "TS2322", "y")]
    assert codes(found) == ["TS2322", "TS2339"]


def test_format_diagnostics_table_and_truncation():
    table = format_diagnostics([Diagnostic(3, 16, "TS2339", "m" * 30)], width=20)
    assert table.splitlines() == ["  line    col  code    message",
                                  "------  -----  ------  --------------------",
                                  "     3     16  TS2339  " + "m" * 17 + "..."]
    assert format_diagnostics([]) == "no diagnostics"


def test_format_diagnostics_rejects_a_tiny_width_and_junk():
    with pytest.raises(ValueError, match="width: Input should be greater than or equal to 20, got 5"):
        format_diagnostics([], width=5)
    with pytest.raises(ValueError, match=r"diagnostics\[0\]: Input should be an instance of Diagnostic"):
        format_diagnostics(["TS2322"])


def test_snippet_options_read_the_twoslash_header():
    source = "// @noUncheckedIndexedAccess: true\n// @target: es2022\n// @strict: false\nlet a = 1;\n"
    assert snippet_options(source) == {"noUncheckedIndexedAccess": True, "target": "es2022",
                                       "strict": False}
    assert snippet_options("let a = 1; // @x: 1 is not a header\n") == {}
    with pytest.raises(ValueError, match="source has a malformed option line"):
        snippet_options("// @strict true\n")
