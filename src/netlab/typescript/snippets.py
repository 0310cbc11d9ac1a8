"""The chapter's example programs, kept as real ``.mts`` / ``.py`` files checked by the tests.

A line that must produce a diagnostic ends with a marker comment, ``// error: TS2345``
or ``# error: attr-defined``; :func:`netlab.typescript.expected_diagnostics` reads them.
A TypeScript snippet checked with options other than the defaults names them at its top
in the Handbook's twoslash notation (``// @noUncheckedIndexedAccess: true``), read by
:func:`netlab.typescript.snippet_options`; its markers describe that compilation.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from netlab._validate import public

SNIPPET_DIR = Path(__file__).resolve().parent / "snippets"
Language = Literal["typescript", "python"]
_SUFFIX = {"typescript": ".mts", "python": ".py"}
# The ways TypeScript code tells the checker to stop checking: the any type, an `as`
# assertion (also `as const` and the `as` of key remapping: the search is conservative), a
# non-null assertion `x!.` / `x!)` / `x!;`, and a @ts-ignore / @ts-expect-error comment.
_HATCHES = {"any": re.compile(r"\bany\b"), "as": re.compile(r"\bas\b"),
            "!": re.compile(r"[\w)\]]!(?=[.);,\]\s])"),
            "@ts-ignore": re.compile(r"@ts-(?:ignore|expect-error|nocheck)")}
_STRING = re.compile(r"""(['"`])(?:\\.|(?!\1).)*\1""")


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


@public
def escape_hatches(source: str) -> list[str]:
    """The escape hatches TypeScript ``source`` uses outside comments and strings (any, as, !, @ts-ignore)."""
    code_lines = []
    for line in source.splitlines():
        directive = "@ts-" in line
        line = _STRING.sub("''", line)  # drop string contents
        code_lines.append(line if directive else line.split("//")[0])
    code = "\n".join(code_lines)
    return sorted(name for name, pattern in _HATCHES.items() if pattern.search(code))
