"""Every lab re-executed and compared with the outputs committed in it (pytest-notebook).

Regenerate a lab's stored outputs only with
``pytest tests/test_notebooks.py -k <lab> --nb-force-regen`` (that run reports a
failure by design), then read the diff before committing it on its own.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LABS = sorted((ROOT / "labs").glob("*.ipynb"))

#: What may differ between two runs of the same lab, and why.
VOLATILE = (
    # Tracebacks carry ANSI colours and library line numbers (pytest-notebook's default).
    "/cells/*/outputs/*/traceback",
    # A widget's model_id is a fresh random UUID at every kernel start.
    "/cells/*/outputs/*/data/application/vnd.jupyter.widget-view+json",
    # The saved widget state is keyed by those same random model_ids.
    "/metadata/widgets",
    # Kernel and Python patch versions recorded by the kernel, not by the lab.
    "/metadata/language_info/version",
)


@pytest.mark.parametrize("lab", LABS, ids=[lab.stem for lab in LABS])
def test_lab_reproduces_its_committed_outputs(nb_regression, lab: Path) -> None:
    nb_regression.diff_ignore = VOLATILE
    nb_regression.exec_cwd = str(lab.parent)
    nb_regression.exec_timeout = 120
    nb_regression.check(str(lab))
