"""The notebook regression check is a real check: a changed output is reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_notebooks import LABS, VOLATILE

LAB = next(lab for lab in LABS if lab.stem.startswith("01-"))


def _run(nb_regression, path: Path):
    nb_regression.diff_ignore = VOLATILE
    nb_regression.exec_cwd = str(LAB.parent)
    nb_regression.force_regen = False
    return nb_regression.check(str(path), raise_errors=False)


def _first_stream_output(nb: dict) -> dict:
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                return output
    raise AssertionError("lab 1 has no stream output")


@pytest.fixture
def lab_copy(tmp_path: Path) -> tuple[Path, dict]:
    nb = json.loads(LAB.read_text(encoding="utf-8"))
    return tmp_path / LAB.name, nb


def test_a_changed_output_is_reported(nb_regression, lab_copy) -> None:
    path, nb = lab_copy
    output = _first_stream_output(nb)
    output["text"] = "".join(output["text"]).replace("600", "601")
    path.write_text(json.dumps(nb), encoding="utf-8")
    result = _run(nb_regression, path)
    assert result.diff_filtered, "a changed output went unnoticed"
    assert "601" in result.diff_string and "600" in result.diff_string


def test_only_the_listed_volatile_fields_are_ignored(nb_regression, lab_copy) -> None:
    path, nb = lab_copy
    nb["metadata"]["widgets"] = {"changed": True}  # volatile: must not be reported
    path.write_text(json.dumps(nb), encoding="utf-8")
    result = _run(nb_regression, path)
    assert not result.diff_filtered, result.diff_string
    assert result.diff_full, "the ignored field did differ before filtering"
