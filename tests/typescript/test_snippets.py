import pytest

from netlab.typescript import load_snippet, snippet_names, snippet_path


def test_snippet_names_cover_both_labs():
    names = snippet_names()
    for name in ["first-any", "first-generic", "keyof", "constraints", "erasure",
                 "emit-on-error", "unknown", "type-guard", "api-client", "idioms"]:
        assert name in names
    assert snippet_names("python") == ["erasure", "generic", "type-guard"]


def test_load_snippet_reads_the_file():
    assert "K extends keyof T" in load_snippet("keyof")
    assert snippet_path("generic", "python").suffix == ".py"


def test_unknown_snippet_and_language_are_rejected():
    with pytest.raises(ValueError, match="name must be one of .*'keyof'.*got 'nope'"):
        load_snippet("nope")
    with pytest.raises(ValueError, match="language must be one of 'python', 'typescript'"):
        snippet_names("rust")
