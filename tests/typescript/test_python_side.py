import sys

import pytest

from netlab.typescript import (
    ToolchainError,
    expected_diagnostics,
    load_snippet,
    mypy_check,
    run_python,
    snippet_names,
)


@pytest.mark.parametrize("name", snippet_names("python"))
def test_mypy_reports_exactly_the_marked_lines(name):
    source = load_snippet(name, "python")
    assert [(d.line, d.code) for d in mypy_check(source)] == expected_diagnostics(source)


def test_python_keeps_annotations_but_the_int_field_is_a_str_and_python_raises():
    stdout, error = run_python(load_snippet("erasure", "python"))
    assert stdout.splitlines() == ["annotations kept: {'id': 'int', 'name': 'str'}",
                                   "type of user['id']: str"]
    assert error == 'TypeError: can only concatenate str (not "int") to str'


def test_python_generic_keeps_the_element_type():
    (diagnostic,) = mypy_check(load_snippet("generic", "python"))
    assert diagnostic.message == '"int" has no attribute "upper"'
    stdout, error = run_python(load_snippet("generic", "python"))
    assert (stdout, error) == ("A.EXAMPLE\n", "AttributeError: 'int' object has no attribute 'upper'")


def test_python_type_guard_rejects_the_string_id():
    stdout, error = run_python(load_snippet("type-guard", "python"))
    assert stdout.splitlines() == ["accepted: id + 1 = 43", 'rejected: {"id": "42", "name": "Ada"}']
    assert error == ""


def test_missing_mypy_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "mypy", None)
    with pytest.raises(ToolchainError, match="mypy is not installed; .*pip install mypy"):
        mypy_check("x: int = 1\n")


@pytest.mark.parametrize("source", ["", "  \n"])
def test_empty_python_source_is_rejected(source):
    with pytest.raises(ValueError, match="source must be a non-empty Python program"):
        mypy_check(source)
    with pytest.raises(ValueError, match="source must be a non-empty Python program"):
        run_python(source)


def test_python_timeout_is_enforced():
    with pytest.raises(ToolchainError, match="did not finish within timeout_s=0.3 s"):
        run_python("import time\ntime.sleep(30)\n", timeout_s=0.3)
    with pytest.raises(ValueError, match="^run_python: timeout_s: Input should be greater than 0"):
        run_python("print(1)\n", timeout_s=-1)
    with pytest.raises(ValueError, match="^run_python: timeout_s: Input should be less than or equal"):
        run_python("print(1)\n", timeout_s=1e12)
