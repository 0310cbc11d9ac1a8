"""The chapter's example programs, kept as real ``.mts`` / ``.py`` files checked by the tests.

A line that must produce a diagnostic ends with a marker comment, ``// error: TS2345``
or ``# error: attr-defined``; :func:`netlab.typescript.expected_diagnostics` reads them.
"""

from __future__ import annotations

from pathlib import Path

from netlab._check import check_choice

SNIPPET_DIR = Path(__file__).resolve().parent / "snippets"


def snippet_names(language: str = "typescript") -> list[str]:
    """Return the sorted snippet names for ``language`` ('typescript' or 'python')."""
    check_choice("language", language, ("typescript", "python"))
    suffix = ".mts" if language == "typescript" else ".py"
    return sorted(p.name.removesuffix(suffix) for p in SNIPPET_DIR.glob(f"*{suffix}"))


def snippet_path(name: str, language: str = "typescript") -> Path:
    """Return the file of snippet ``name`` (e.g. 'keyof') in ``language``."""
    check_choice("name", name, snippet_names(language))
    suffix = ".mts" if language == "typescript" else ".py"
    return SNIPPET_DIR / f"{name}{suffix}"


def load_snippet(name: str, language: str = "typescript") -> str:
    """Return the source text of snippet ``name`` in ``language``."""
    return snippet_path(name, language).read_text(encoding="utf-8")
