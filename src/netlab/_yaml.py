"""YAML files read with libyaml's parser when PyYAML has it (about ten times faster).

The chapters' question, self-check and facts files are read many times per build;
``yaml.safe_load`` in pure Python was a tenth of the build's time. The results are the
same: the C parser feeds the same ``SafeConstructor``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path | str) -> Any:
    """The document of a UTF-8 YAML file, as ``yaml.safe_load`` reads it."""
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 (a safe loader)
