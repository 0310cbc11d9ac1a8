import pytest

from netlab.typescript import load_snippet, snippet_names, snippet_path


def test_snippet_names_cover_both_labs():
    names = snippet_names()
    for name in ["first-any", "first-generic", "keyof", "constraints", "erasure",
                 "emit-on-error", "unknown", "type-guard", "api-client", "idioms"]:
        assert name in names
    assert snippet_names("python") == ["containers", "erasure", "generic", "type-guard"]


def test_load_snippet_reads_the_file():
    assert "K extends keyof T" in load_snippet("keyof")
    assert snippet_path("generic", "python").suffix == ".py"


def test_unknown_snippet_and_language_are_rejected():
    with pytest.raises(ValueError, match="name must be one of .*'keyof'.*got 'nope'"):
        load_snippet("nope")
    with pytest.raises(ValueError, match="language: Input should be 'typescript' or 'python'"):
        snippet_names("rust")


def test_snippet_report_for_typescript_shows_checker_and_program():
    from netlab.typescript import snippet_report
    text = snippet_report("emit-on-error")
    assert text.splitlines()[0] == "tsc on emit-on-error.mts (strict=True, noEmitOnError=False):"
    assert "TS2322" in text
    assert "tsc exit code 2; JavaScript emitted: True" in text
    assert text.splitlines()[-1] == "  port + 1 = 80801"
    blocked = snippet_report("emit-on-error", no_emit_on_error=True)
    assert blocked.splitlines()[-1] == "tsc exit code 1; JavaScript emitted: False"
    assert snippet_report("first-any").splitlines()[-1] == (
        "node crashed: TypeError: port.toUpperCase is not a function")


def test_snippet_report_for_python_shows_mypy_and_the_run():
    from netlab.typescript import snippet_report
    text = snippet_report("erasure", language="python")
    assert text.splitlines()[:2] == ["mypy --strict on erasure.py:", "no diagnostics"]
    assert text.splitlines()[-1].startswith("python raised: TypeError")


def test_snippet_report_validates_its_arguments():
    from netlab.typescript import snippet_report
    with pytest.raises(ValueError, match="strict: Input should be a valid boolean, got 1"):
        snippet_report("keyof", strict=1)
    with pytest.raises(ValueError, match="no_emit_on_error: Input should be a valid boolean"):
        snippet_report("keyof", no_emit_on_error="yes")
    with pytest.raises(ValueError, match="name must be one of"):
        snippet_report("keyof", language="python")
