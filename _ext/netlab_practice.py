"""The practice page: mock interview, spaced-repetition review, browse and print.

``practice`` (one argument: ``mock``, ``review``, ``browse`` or ``progress``)
    Renders one part of the page from ``_ext/practice/templates.html``. The
    ``browse`` part also holds every question of ``chapters/questions/*.yml`` as
    static HTML (Korean, English, level, tags, section and lab links), so the
    page works, reads and prints without JavaScript, and ``practice.js`` finds
    every question it asks, schedules and searches in the page it was loaded
    with. The answers themselves are ``netlab_answers.deferred_answer`` nodes: the
    ``html`` builder writes them into one script per chapter, which the page
    loads by a ``<script>`` element (so ``file://`` works) when a card is shown,
    an answer opened, the search used or every answer shown for printing;
    without JavaScript each answer is a link to the question in its chapter.
    Section and lab links are ``std:ref`` references resolved by Sphinx: a
    label that does not exist fails the strict build.

The page's scripts (``_ext/practice/``) and the FSRS scheduler (``ts-fsrs``,
vendored by ``tools/vendor_assets.py``) are added to pages that use the
directive only. When such a page is written, the Anki deck and the TSV of every
question, full answers included (they come from the page's doctree), are written
beside it (``netlab_anki``).
"""

from __future__ import annotations

import hashlib
import html
import re
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.statemachine import StringList
from netlab_answers import defer, deferred_answer
from netlab_book import DIFFICULTIES, load_questions, not_in_catalogs, walk_questions
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

ASSETS = Path(__file__).with_name("practice")
TEMPLATES = ASSETS / "templates.html"
PARTS = ("mock", "review", "browse", "progress")
STATIC = "_static/practice"
FSRS_JS = "vendor/ts-fsrs/index.umd.js"  # under _static, see tools/vendor_assets.py
DECK_STEM = "netlab-interview-questions"


class html_element(nodes.General, nodes.Element):  # noqa: N801 (docutils names nodes in lower case)
    """An HTML element with the given tag and attributes around its children."""


class html_text(html_element, nodes.TextElement):  # noqa: N801
    """An ``html_element`` holding inline content (Sphinx writes links only inside text elements)."""


INLINE_CONTAINERS = {"p", "h3", "span", "label", "legend", "summary", "button"}


def element(tag: str, *children: nodes.Node, **attrs: str) -> html_element:
    """An ``html_element``; attribute names use ``_`` for ``-`` (``data_id`` -> ``data-id``)."""
    kind = html_text if tag in INLINE_CONTAINERS else html_element
    node = kind(tag=tag, attrs={k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()})
    node.extend(children)
    return node


def visit_html_element(self: Any, node: html_element) -> None:
    attrs = "".join(f' {name}="{html.escape(str(value))}"' for name, value in node["attrs"].items())
    self.body.append(f"<{node['tag']}{attrs}>")


VOID = {"input", "br", "hr", "img"}  # HTML elements without a closing tag


def depart_html_element(self: Any, node: html_element) -> None:
    if node["tag"] not in VOID:
        self.body.append(f"</{node['tag']}>")


def template_part(name: str) -> str:
    """The HTML between ``<!-- part: name -->`` and the next part marker in the templates."""
    text = TEMPLATES.read_text(encoding="utf-8")
    match = re.search(rf"<!-- part: {name} -->\n(.*?)(?=<!-- part: |\Z)", text, re.S)
    if not match:
        raise ValueError(f"{TEMPLATES.name}: no part {name!r}")
    return match.group(1)


def answer_hash(q: dict[str, Any]) -> str:
    """A short digest of an answer: the page flags a card whose answer changed since it was rated."""
    text = q["answer"].strip() + "\n" + (q.get("answer_ko") or "").strip()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


class MarkupDirective(SphinxDirective):
    """A directive that parses YAML strings as MyST, inline or as blocks."""

    def _inline(self, text: str) -> list[nodes.Node]:
        parsed, messages = self.state.inline_text(text.strip(), self.lineno)
        return [*parsed, *messages]

    def _block(self, text: str, source: str, **attrs: str) -> html_element:
        box = element("div", **attrs)
        self.state.nested_parse(StringList(text.rstrip().splitlines(), source=source),
                                self.content_offset, box)
        return box


class Practice(MarkupDirective):
    """One part of the practice page."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        part = self.arguments[0]
        if part not in PARTS:
            raise self.error(f"practice: the part must be one of {', '.join(PARTS)}, got {part!r}")
        self.env.note_dependency(str(TEMPLATES))
        root = "../" * self.env.docname.count("/")
        markup = template_part(part).replace("{root}", root).replace("{deck}", DECK_STEM)
        box = element("div", class_="pr-part", data_pr_part=part)
        box += nodes.raw("", markup, format="html")
        if part == "browse":
            box += self._bank()
        return [box]

    def _bank(self) -> html_element:
        """Every question of every chapter, in book order, as static HTML."""
        bank = element("div", id="pq-bank", class_="pq-bank")
        folder = Path(self.env.srcdir) / "chapters" / "questions"
        for path in sorted(folder.glob("*.yml")):
            self.env.note_dependency(str(path))
            try:
                questions = load_questions(
                    path, require_metadata=self.config.netlab_require_metadata)
            except ValueError as exc:
                raise self.error(f"practice: {exc}") from exc
            chapter = path.stem
            heading = element("h3", id=f"pq-ch-{chapter}", class_="pq-chapter-title")
            heading.extend(self._inline(f"{{doc}}`/chapters/{chapter}`"))
            group = element("section", heading, class_="pq-chapter", data_chapter=chapter,
                            aria_labelledby=f"pq-ch-{chapter}")
            for entry in walk_questions(questions):
                group += self._question(entry, chapter, str(path))
            bank += group
        return bank

    def _question(self, entry: Any, chapter: str, source: str) -> html_element:
        q = entry.question
        difficulty = q.get("difficulty")
        article = element(
            "article", id=f"pq-{q['id']}", class_=f"pq pq-depth-{entry.depth}", data_id=q["id"],
            data_chapter=chapter, data_parent=entry.parent or "", data_depth=str(entry.depth),
            data_difficulty=str(difficulty or 0), data_tags=" ".join(q.get("tags") or []),
            data_hash=answer_hash(q), data_label=entry.label)
        kind = "" if entry.depth == 0 else " · 꼬리 질문 follow-up"
        article += element("p", nodes.Text(entry.label + kind), class_="pq-label")
        article += element("p", *self._inline(q["ko"].strip()), class_="pq-ko", lang="ko")
        article += element("p", *self._inline(q["en"].strip()), class_="pq-en", lang="en")
        level = (f"Level {difficulty} · {DIFFICULTIES[difficulty]}" if difficulty
                 else "Level not rated yet")
        tags = "".join(f" #{tag}" for tag in q.get("tags") or [])
        article += element("p", nodes.Text(level + tags), class_="pq-meta")
        body = element("div", class_="pq-answer-body")
        english = self._block(q["answer"], source, class_="pq-answer-en", lang="en")
        if q.get("answer_ko"):
            ko = self._block(q["answer_ko"], source, class_="pq-answer-ko", lang="ko")
            ko.insert(0, element("p", nodes.Text("한국어 답변"), class_="pq-answer-ko-title"))
            # The Korean edition shows the Korean answer first (practice.js reads the classes).
            answers = [ko, english] if (self.config.language or "en") == "ko" else [english, ko]
        else:
            answers = [english]
        # The answer goes to its chapter's answer file; the links stay in the page.
        body += defer(q["id"], chapter, self.env.docname, *answers)
        links = element("p", class_="pq-links")
        section = entry.section
        if section:
            links += nodes.Text("설명 · Explained in: ")
            links += element("span", *self._inline(f"{{ref}}`{section}`"), class_="pq-section")
        if q.get("lab"):
            links += nodes.Text(" · 실습 · Lab: " if section else "실습 · Lab: ")
            links += element("span", *self._inline(f"{{ref}}`{q['lab']}`"), class_="pq-lab")
        if len(links):
            body += links
        summary = element("summary", nodes.Text("답 · Answer"))
        article += element("details", summary, body, class_="pq-answer")
        return not_in_catalogs(article)


def _add_assets(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                doctree: nodes.document | None) -> None:
    """Load the page's scripts and styles on pages that use the directives, and only there."""
    if doctree is None:
        return
    parts = {n["attrs"].get("data-pr-part") for n in doctree.findall(html_element)}
    if parts & set(PARTS):
        app.add_css_file("practice/practice.css")
        app.add_js_file(FSRS_JS, loading_method="defer")
        app.add_js_file("practice/practice.js", loading_method="defer")
    if any(n["attrs"].get("data-self-check") for n in doctree.findall(html_element)):
        app.add_css_file("practice/selfcheck.css")
        app.add_js_file("practice/selfcheck.js", loading_method="defer")


def _copy_assets(app: Sphinx) -> None:
    """Copy the page scripts into ``_static/practice`` before pages are written.

    Every build, also one with no page to rewrite (they are small); before the
    pages, so that Sphinx gives their links a checksum and browsers fetch a
    changed script instead of a cached one.
    """
    if app.builder.format == "html":
        target = Path(app.outdir) / STATIC
        target.mkdir(parents=True, exist_ok=True)
        for path in sorted(ASSETS.glob("*.[jc]s*")):
            if not (target / path.name).is_file() or (target / path.name).read_bytes() != path.read_bytes():
                shutil.copyfile(path, target / path.name)


def _write_deck(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """When the practice page is written, write the Anki deck and the TSV beside the site's root."""
    if app.builder.format != "html":
        return
    articles = [n for n in doctree.findall(html_element) if n["tag"] == "article"
                and "pq" in n["attrs"].get("class", "").split()]
    if not articles:
        return
    from netlab_anki import Note, write_apkg, write_tsv

    notes = []
    for article in articles:
        attrs = article["attrs"]
        parts = {n["attrs"]["class"]: n for n in article.findall(html_element)
                 if n["attrs"].get("class", "").startswith("pq-")}
        body = parts["pq-answer-body"].deepcopy()  # copy.deepcopy would copy the whole document
        links = parts.get("pq-links")
        source = links.astext() if links is not None else ""
        for link in list(body.findall(html_element)):
            if link["attrs"].get("class") == "pq-links":
                link.parent.remove(link)
        for reference in list(body.findall(nodes.reference)):
            reference.replace_self(reference.children)  # the deck lives outside the site
        for answer in list(body.findall(deferred_answer)):
            answer.replace_self(answer.children)  # the deck carries the answer itself
        chapter_title = article.parent[0].astext()  # the chapter's heading, first in its section
        notes.append(Note(
            id=attrs["data-id"], chapter=attrs["data-chapter"],
            difficulty=int(attrs["data-difficulty"]), tags=attrs["data-tags"].split(),
            ko=parts["pq-ko"].astext(), en=parts["pq-en"].astext(),
            answer_html=app.builder.render_partial(body)["fragment"],
            answer_text=body.astext(), source=f"{chapter_title} · {attrs['data-label']} · {source}"))
    out = Path(app.outdir)
    write_apkg(notes, out / f"{DECK_STEM}.apkg")
    write_tsv(notes, out / f"{DECK_STEM}.tsv")


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the practice directive, its node and its page assets."""
    app.setup_extension("netlab_book")
    app.add_node(html_element, html=(visit_html_element, depart_html_element))
    app.add_node(html_text, html=(visit_html_element, depart_html_element))
    app.add_directive("practice", Practice)
    app.connect("html-page-context", _add_assets)
    app.connect("doctree-resolved", _write_deck)
    app.connect("builder-inited", _copy_assets)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
