"""Math written as MathML at build time (latex2mathml): no page loads MathJax.

Every browser the course is read in draws MathML Core itself (Chromium since 109,
Firefox, Safari), offline and in print, so the book's few formulas need no script.
MathJax cost a page about 320 KB compressed, a third of a chapter's first screen.
Registered as Sphinx's HTML math renderer ``mathml`` (``html_math_renderer`` in
``_config.yml``); LaTeX that latex2mathml cannot read fails the build, naming it.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from latex2mathml.converter import convert
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError


def _mathml(latex: str, display: str) -> str:
    try:
        return convert(latex, display=display)
    except Exception as exc:  # latex2mathml raises its own exceptions for unknown commands
        raise ExtensionError(f"netlab_math: cannot write {latex!r} as MathML: {exc}") from exc


def visit_math(self: Any, node: nodes.Element) -> None:
    self.body.append(f'<span class="math notranslate">{_mathml(node.astext(), "inline")}</span>')
    raise nodes.SkipNode


def visit_displaymath(self: Any, node: nodes.Element) -> None:
    number = f'<span class="eqno">({node["number"]})</span>' if node.get("number") else ""
    self.body.append(f'<div class="math notranslate math-display">{number}'
                     f'{_mathml(node.astext(), "block")}</div>')
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the renderer."""
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
