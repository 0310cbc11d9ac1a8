"""A tiny book for the tests of the practice page, the Anki deck and self-checks.

Built with sphinx-build (not jupyter-book) in a few seconds by tests/test_practice.py
and tests/test_practice_site.py, with the course's own extensions and theme.
"""

import os
import sys
from pathlib import Path

# The course's checkout: given by the tests, which build a copy of this folder elsewhere.
ROOT = Path(os.environ.get("NETLAB_ROOT") or Path(__file__).resolve().parents[3])
sys.path[:0] = [str(ROOT / "_ext"), str(ROOT / "tools")]

project = "Practice fixture"
extensions = ["myst_parser", "sphinx_design", "vendor_assets", "netlab_book", "netlab_practice",
              "netlab_selfcheck"]
myst_enable_extensions = ["colon_fence"]
html_theme = "sphinx_book_theme"
html_extra_path = [str(ROOT / "_build" / "vendor")]
html_context = {"default_mode": "auto"}
exclude_patterns = ["_build"]
# One fixture question has no metadata, to show how the practice page and the deck
# treat it; the course itself requires metadata on every question.
netlab_require_metadata = False
