"""The chapter's example programs, kept as real ``.mts`` / ``.py`` files checked by the tests.

A line that must produce a diagnostic ends with a marker comment, ``// error: TS2345``
or ``# error: attr-defined``; :func:`netlab.typescript.expected_diagnostics` reads them.
A TypeScript snippet checked with options other than the defaults names them at its top
in the Handbook's twoslash notation (``// @noUncheckedIndexedAccess: true``), read by
:func:`netlab.typescript.snippet_options`; its markers describe that compilation.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from netlab._validate import public

SNIPPET_DIR = Path(__file__).resolve().parent / "snippets"
Language = Literal["typescript", "python"]
_SUFFIX = {"typescript": ".mts", "python": ".py"}


@public
def snippet_names(language: Language = "typescript") -> list[str]:
    """Return the sorted snippet names for ``language`` ('typescript' or 'python')."""
    suffix = _SUFFIX[language]
    return sorted(p.name.removesuffix(suffix) for p in SNIPPET_DIR.glob(f"*{suffix}"))


def _path(name: str, language: Language) -> Path:
    names = snippet_names(language)
    if name not in names:
        raise ValueError(f"name must be one of {', '.join(map(repr, names))} "
                         f"(the {language} snippets), got {name!r}")
    return SNIPPET_DIR / f"{name}{_SUFFIX[language]}"


@public
def snippet_path(name: str, language: Language = "typescript") -> Path:
    """Return the file of snippet ``name`` (e.g. 'keyof') in ``language``."""
    return _path(name, language)


@public
def load_snippet(name: str, language: Language = "typescript") -> str:
    """Return the source text of snippet ``name`` in ``language``."""
    return _path(name, language).read_text(encoding="utf-8")
