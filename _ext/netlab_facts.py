"""Key numbers rendered from each chapter's facts file (``chapters/facts/NN-slug.yml``).

``key-numbers``
    The directive ``{key-numbers} 01-tcp-vs-udp.yml`` renders that file as the chapter's
    Key numbers table: what, value, scope (with the RFC keyword), source, and whether a
    probe checks it on the machine that runs the tests.

``fact`` and ``fact-value``
    The roles ``{fact}`tcp-header-min``` and ``{fact-value}`tcp-header-min``` print a
    fact's value with and without its unit, so that prose quotes each number from the
    one place it is written. An unknown id fails the build.

The schema and the probes live in ``netlab.facts``; ``tests/test_facts.py`` runs the
probes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from netlab_i18n import LOCALES, UI_DOMAIN, translator, unit_message
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective, SphinxRole

from netlab.facts import Fact, format_value, load_all_facts, load_facts

FACTS_DIR = Path("chapters") / "facts"
_cache: dict[str, tuple[tuple[float, ...], dict[str, Fact]]] = {}


def all_facts(srcdir: str) -> dict[str, Fact]:
    """Every fact of the book by id, reloaded when a facts file changes."""
    folder = Path(srcdir) / FACTS_DIR
    stamp = tuple(p.stat().st_mtime for p in sorted(folder.glob("*.yml")))
    cached = _cache.get(srcdir)
    if cached is None or cached[0] != stamp:
        _cache[srcdir] = (stamp, load_all_facts(folder))
    return _cache[srcdir][1]


def _source(fact: Fact) -> str:
    cites = []
    for item in (s.strip() for s in fact.source.split(",")):
        key, _, section = item.partition(" ")  # "rfc5681 §4.2": the source's own section
        if key.startswith("ref:"):
            cites.append(f"{{ref}}`{key[4:]}`")
        else:
            cites.append(f"{{cite:p}}`{key}`" + (f" {section.strip()}" if section else ""))
    return " ".join(cites) + (f" {fact.section}" if fact.section else "")


def _scope(fact: Fact) -> str:
    text = fact.scope
    if fact.keyword:
        text = f"**{fact.keyword}**, {text}"
    if fact.setting:
        text += f" (setting: `{fact.setting}`)"
    return text


def _note_ui_catalog(directive: SphinxDirective | SphinxRole) -> None:
    """A translated page is read again when ``ui.po`` (the facts' translations) changes."""
    language = directive.env.app.config.language or "en"
    if language != "en":
        directive.env.note_dependency(
            str(Path(directive.env.srcdir) / LOCALES / language / "LC_MESSAGES" / f"{UI_DOMAIN}.po"))


def _cell(text: str) -> list[str]:
    lines = text.strip().splitlines() or [""]
    return [f"  - {lines[0]}", *(f"    {line}" for line in lines[1:])]


class KeyNumbers(SphinxDirective):
    """Render a chapter's facts file as its Key numbers table."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        path = Path(self.env.srcdir) / FACTS_DIR / self.arguments[0]
        if not path.is_file():
            raise self.error(f"key-numbers: no file {FACTS_DIR.as_posix()}/{path.name}")
        self.env.note_dependency(str(path))
        _note_ui_catalog(self)
        try:
            facts = load_facts(path)
        except ValueError as exc:
            raise self.error(f"key-numbers: {exc}") from exc
        tr = translator(self.env.app)
        lines = ["::::{list-table}", ":header-rows: 1", ":class: key-numbers",
                 ":widths: 30 18 26 18 8", "",
                 "* - Quantity", "  - Value", "  - Scope", "  - Source", "  - Probe"]
        for fact in facts:
            what = fact.what + (f" ({fact.note})" if fact.note else "")
            lines += [f"* - {what}", *_cell(_shown(fact, tr)), *_cell(_scope(fact)),
                      *_cell(_source(fact)), *_cell("✓" if fact.probe else "")]
        lines.append("::::")
        box = nodes.container(classes=["key-numbers-table"], ids=[f"facts-{path.stem}"])
        self.state.nested_parse(StringList(lines, source=str(path)), self.content_offset, box)
        _values_from_ui_catalog(box)
        return [box]


def _values_from_ui_catalog(box: nodes.Element) -> None:
    """The Value cells are already in the edition's language (``ui.po``, as the ``{fact}``
    role prints them): not messages of the chapter's catalog, so the two cannot disagree."""
    for body in box.findall(nodes.tbody):
        for row in body.findall(nodes.row):
            for node in row.children[1].findall(nodes.TextElement):
                node["translatable"] = False


class FactRole(SphinxRole):
    """Print a fact's value (with its unit unless ``bare``)."""

    def __init__(self, bare: bool) -> None:
        super().__init__()
        self.bare = bare

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        try:
            facts = all_facts(self.env.srcdir)
        except ValueError as exc:
            return [], [self.inliner.reporter.error(f"fact: {exc}", line=self.lineno)]
        fact = facts.get(self.text.strip())
        if fact is None:
            msg = self.inliner.reporter.error(f"fact: no fact with id {self.text!r}",
                                              line=self.lineno)
            return [], [msg]
        for path in (Path(self.env.srcdir) / FACTS_DIR).glob(fact.file):
            self.env.note_dependency(str(path))
        _note_ui_catalog(self)
        shown = _bare(fact) if self.bare else _shown(fact, translator(self.env.app))
        return [nodes.inline(shown, shown, classes=["fact", f"fact-{fact.kind}"])], []


def _shown(fact: Fact, tr: Any) -> str:
    """A fact's value with its unit, in the edition's language.

    The display string and the ``{value} <unit>`` pattern of a unit spelled as words are
    interface messages (``ui.po``, see ``netlab_i18n.fact_messages``); a symbol unit
    (s, ms, %) prints as it is. With the English ``tr`` this is ``fact.shown``.
    """
    if fact.display:
        return tr(fact.display)
    pattern = unit_message(fact.unit)
    if pattern is None:
        return fact.shown
    return tr(pattern).format(value=format_value(fact.value))


def _bare(fact: Fact) -> str:
    return format_value(fact.value)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the key-numbers directive and the fact roles."""
    app.add_directive("key-numbers", KeyNumbers)
    app.add_role("fact", FactRole(bare=False))
    app.add_role("fact-value", FactRole(bare=True))
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
