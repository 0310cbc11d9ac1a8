"""Answers a page loads when they are asked for: the drill and the practice page.

The drill page and the practice page carry every chapter's questions with their
follow-ups, each answered in English and in Korean: inline, that is 4 MB of HTML
(800 KB compressed) to download before the first question shows. So each answer on
these pages is a ``deferred_answer`` node (``interview-questions`` with
``:answers: on-demand``, on the drill page; the practice page's question bank),
and the ``html`` builder writes it elsewhere:

* Sphinx renders the answer as any other content (references resolved, citations,
  code, MathML); the node's HTML visitor notes where the answer starts in the
  translator's output and, when it departs, moves what was written out of the page
  into a store kept per page, leaving a placeholder in its place: an element that
  names the question (``data-answer-id``) and its file (``data-answers-src``), and
  holds a link to the same question in its chapter, which renders every answer
  inline, so nothing is lost without JavaScript.
* When the page is written (``html-page-context``, in the same process as its
  body, so parallel writes work too), each chapter's answers become one script,
  ``_static/answers/<page>/<chapter>.<digest>.js``, that calls
  ``window.netlabAnswers.add({question id: html})``; the digest of its content is
  in its name, so a changed answer is never served from a cache. Each edition
  writes its own under its own output folder.
* ``answers.js`` (``_ext/answers/``, added to such pages only) loads a chapter's
  file by inserting a ``<script>`` element, which works from ``file://`` where
  ``fetch`` does not: when a dropdown holding an answer opens (or its summary gets
  the focus), when the page asks (``window.netlabAnswers.fill``/``load``, used by
  ``practice.js``), and before printing.

Every other builder (``singlehtml``, from which the PDF is printed; ``gettext``;
``dirhtml``...) renders the answer inline, as the node is a ``container``. Only a
page being written defers: ``render_partial`` of a copy (the Anki deck) is inline.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

ASSETS = Path(__file__).with_name("answers")
STATIC = "_static/answers"  # the loader and, per page, the answer files
SCRIPT = "answers/answers.js"  # under _static
STYLE = "answers/answers.css"
DIGEST_CHARS = 12
ANSWER_FILE = re.compile(rf"[a-z0-9][a-z0-9-]*\.[0-9a-f]{{{DIGEST_CHARS}}}\.js")


class deferred_answer(nodes.container):  # noqa: N801 (docutils names nodes in lower case)
    """A question's answer, written into its chapter's answer file by the ``html`` builder.

    Attributes: ``question`` (the id), ``chapter`` (the question file's stem,
    also the chapter's page ``chapters/<chapter>``) and ``docname`` (the page
    that holds it; only that page's writing defers it).
    """


def defer(question: str, chapter: str, docname: str, *children: nodes.Node) -> deferred_answer:
    """A ``deferred_answer`` for question ``question`` of ``chapter`` on page ``docname``."""
    for key, value in (("question", question), ("chapter", chapter)):
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):
            raise ValueError(f"deferred answer: {key} must be kebab-case, got {value!r}")
    node = deferred_answer(question=question, chapter=chapter, docname=docname)
    node.extend(children)
    return node


def _store(builder: Any) -> dict[str, dict[str, dict[str, str]]]:
    """page -> chapter -> question id -> answer HTML, kept on the builder of this process."""
    return builder.__dict__.setdefault("netlab_deferred_answers", {})


def _defers(translator: Any, node: deferred_answer) -> bool:
    builder = translator.builder
    return builder.name == "html" and node["docname"] == getattr(builder, "current_docname", None)


def _token(chapter: str) -> str:
    """What stands for the chapter's file name until the page's answers are all rendered."""
    return f"netlab-answers-file:{chapter}"


def visit_deferred_answer(self: Any, node: deferred_answer) -> None:
    """Inline: nothing around the answer. Deferred: note where the answer starts."""
    if _defers(self, node):
        node["start"] = len(self.body)


def depart_deferred_answer(self: Any, node: deferred_answer) -> None:
    """Deferred: move the answer's HTML to the page's store; leave the placeholder."""
    if "start" not in node:
        return
    start = node.attributes.pop("start")
    fragment = "".join(self.body[start:]).strip()
    del self.body[start:]
    docname = node["docname"]
    chapter, question = node["chapter"], node["question"]
    _store(self.builder).setdefault(docname, {}).setdefault(chapter, {})[question] = fragment
    from netlab_i18n import translator

    tr = translator(self.builder.app)
    href = f"{self.builder.get_relative_uri(docname, f'chapters/{chapter}')}#iq-{question}"
    text = tr("Read this answer in its chapter")
    self.body.append(
        f'<div class="netlab-answer" data-answer-id="{html.escape(question)}" '
        f'data-answers-src="{_token(chapter)}">\n'
        f'<p class="netlab-answer-elsewhere"><a class="reference internal" '
        f'href="{html.escape(href)}">{html.escape(text)}</a></p>\n</div>\n')


def answer_file(answers: dict[str, str]) -> tuple[str, str]:
    """(script text, digest) of one chapter's answers: ``window.netlabAnswers.add({...})``."""
    text = ("window.netlabAnswers.add("
            + json.dumps(answers, ensure_ascii=False, indent=0, sort_keys=False) + ");\n")
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_CHARS]


def _write_answers(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                   doctree: nodes.document | None) -> None:
    """Write the page's answer files, name them in its placeholders, add the loader."""
    page = _store(app.builder).pop(pagename, None)
    if not page:
        return
    folder = Path(app.outdir) / STATIC / pagename
    folder.mkdir(parents=True, exist_ok=True)
    up = "../" * pagename.count("/")
    body = context["body"]
    written = set()
    for chapter, answers in page.items():
        text, digest = answer_file(answers)
        name = f"{chapter}.{digest}.js"
        target = folder / name
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
        written.add(name)
        body = body.replace(f'data-answers-src="{_token(chapter)}"',
                            f'data-answers-src="{up}{STATIC}/{pagename}/{name}"')
    for stale in folder.iterdir():  # an older digest, or a chapter gone
        if ANSWER_FILE.fullmatch(stale.name) and stale.name not in written:
            stale.unlink()
    context["body"] = body
    app.add_css_file(STYLE)
    app.add_js_file(SCRIPT, loading_method="defer", priority=400)  # before the page's own scripts


def _copy_assets(app: Sphinx) -> None:
    """Copy the loader and its style into ``_static/answers`` before pages are written.

    Before the pages, so that Sphinx gives their links a checksum (a changed
    script is not taken from a cache).
    """
    if app.builder.name != "html":  # the only builder that defers
        return
    target = Path(app.outdir) / STATIC
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(ASSETS.glob("*.[jc]s*")):
        if not (target / path.name).is_file() or (target / path.name).read_bytes() != path.read_bytes():
            shutil.copyfile(path, target / path.name)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the node, its HTML visitor and the page handler."""
    app.add_node(deferred_answer, html=(visit_deferred_answer, depart_deferred_answer))
    # Early, so that every other handler sees the page with its answer files named.
    app.connect("html-page-context", _write_answers, priority=100)
    app.connect("builder-inited", _copy_assets)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
