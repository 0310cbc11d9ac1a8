"""Translated editions: interface strings, code comments, anchors, and what is left untranslated.

The English sources are the book; ``tools/editions.py`` builds them once more with
``language = "ko"`` into ``_build/html/ko``, and Sphinx translates every message
(paragraph, heading, list item, table cell) from ``locales/ko/LC_MESSAGES/<page>.po``.
This module adds what Sphinx's workflow does not cover:

* **Interface strings.** The labels the course's own directives and page scripts
  write (the practice page, self-checks, question labels, the key-numbers table's
  header, the PDF links) are messages of one more catalog, ``ui.po``. Their msgids
  are the English edition's text. In Python they are ``tr("...")`` calls
  (``tr = translator(app)``), in the page scripts ``tr("...")`` calls (the edition's
  table is ``_static/netlab-ui.js``, loaded before them), in
  ``_ext/practice/templates.html`` ``[[...]]`` runs; the facts' display strings and
  ``{value} <unit>`` patterns (``chapters/facts/*.yml``) are messages too, so a
  ``{fact}`` role and a Key numbers cell print the same translation.
  ``write_ui_template`` collects them into ``ui.pot`` (``tools/editions.py --catalogs``);
  a missing translation leaves the English text and is reported.
* **Code comments.** Code is never translated, but a reader-facing comment in a
  lab's code cell or a chapter's code block is: each comment is one message of the
  page's catalog (``code_comments`` nodes, found with Pygments' lexers, so a ``#``
  inside a string is not a comment), and the Korean edition shows the code with the
  comment translated. Pragmas (``noqa``, ``type:``) and comments already in Korean
  are left alone.
* **Anchors that survive translation.** Sphinx gives a section whose title it
  translates a new id (a Korean title has no ASCII letters: ``id3``); the section's
  English ids are kept first, so ``chapters/01-tcp-vs-udp.html#the-headers`` is the
  same section in both editions and the language switch keeps the reader's place.
* **What is left untranslated.** Before Sphinx translates a page, every message with
  no translation (none, empty, fuzzy, or written for an older English text) is
  recorded; the build writes ``_build/i18n/untranslated-<language>.json``, which
  ``tests/test_editions.py`` holds against its list of pages not yet translated.

* **Speed.** Three costs of Sphinx 7.4 and MyST-Parser 3 that only a translated
  build pays, thousands of times (once per message), are removed without changing
  what is built: a debug message's XML rendering of a node, computed even when debug
  output is off; default docutils settings made for a document MyST then throws
  away; and each message parsed twice, once per phase of Sphinx's Locale
  transform (see ``_skip_repeated_costs``).

The Korean search (particles stripped on both sides) is ``netlab_search_ko``; the
language switch, ``hreflang`` links and the site root are ``netlab_editions``.
"""

from __future__ import annotations

import ast
import copy
import functools
import html
import json
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.locale import init as init_locale
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.i18n import docname_to_domain
from sphinx.util.nodes import extract_messages
from sphinx.util.nodes import repr_domxml as _repr_domxml

logger = logging.getLogger(__name__)

# Language -> the edition's folder under the site root ("" for the English source).
EDITIONS = {"en": "", "ko": "ko/"}
LANGUAGE_NAMES = {"en": "English", "ko": "한국어"}
LOCALES = "locales"
UI_DOMAIN = "ui"
UI_SCRIPT = "netlab-ui.js"  # under _static; window.NETLAB_UI = {msgid: msgstr}
HERE = Path(__file__).resolve().parent
# Where interface strings are written, relative to the repository.
UI_SOURCES = ("_ext/*.py", "_ext/practice/*.js", "_ext/answers/*.js", "_ext/practice/templates.html",
              "_static/*.js", "tools/site_js/*.js")
# Facts (``{fact}`` roles, Key numbers tables) whose display strings and unit patterns are
# interface messages too.
FACTS_FILES = "chapters/facts/*.yml"
# A unit spelled as words (bytes, round trips) reads "{value} <unit>"; a symbol (s, ms, µs,
# KiB, Mbit/s, %, RTT) is the same in every edition and has no message.
WORD_UNIT = re.compile(r"[a-z]{4,}")
JS_CALL = re.compile(r"""\btr\(\s*"((?:[^"\\]|\\.)*)"|\btr\(\s*'((?:[^'\\]|\\.)*)'""")
TEMPLATE_RUN = re.compile(r"\[\[(.+?)\]\]", re.S)
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def is_translated_build(app: Sphinx) -> bool:
    """True when this build translates the sources (a non-English edition)."""
    return (app.config.language or "en") != "en"


# --- interface strings -------------------------------------------------------------------------

_catalogs: dict[Path, tuple[float, dict[str, str], set[str]]] = {}


def ui_catalog(srcdir: str | Path, language: str) -> tuple[dict[str, str], set[str]]:
    """(msgid -> translation, msgids used in page scripts) of ``ui.po``; empty for English."""
    from babel.messages.pofile import read_po

    path = Path(srcdir) / LOCALES / language / "LC_MESSAGES" / f"{UI_DOMAIN}.po"
    if language == "en" or not path.is_file():
        return {}, set()
    stamp = path.stat().st_mtime
    cached = _catalogs.get(path)
    if cached is None or cached[0] != stamp:
        with path.open("rb") as handle:
            catalog = read_po(handle)
        strings = {m.id: m.string for m in catalog if m.id and isinstance(m.string, str)
                   and m.string.strip() and not m.fuzzy}
        scripts = {m.id for m in catalog if m.id and any(f.endswith(".js") for f, _ in m.locations)}
        _catalogs[path] = cached = (stamp, strings, scripts)
    return cached[1], cached[2]


def translator(app: Sphinx) -> Callable[[str], str]:
    """``tr(text)``: ``text`` (an English interface string) in the language being built."""
    language = app.config.language or "en"
    if language == "en":
        return lambda text: text
    strings, _ = ui_catalog(app.srcdir, language)
    missing: set[str] = app.__dict__.setdefault("netlab_ui_missing", set())

    def tr(text: str) -> str:
        found = strings.get(text)
        if found is None:
            missing.add(text)
            return text
        return found

    return tr


def translate_template(markup: str, tr: Callable[[str], str]) -> str:
    """``templates.html`` with each ``[[text]]`` replaced by its (escaped) translation."""
    return TEMPLATE_RUN.sub(lambda m: html.escape(tr(html.unescape(m.group(1))), quote=True), markup)


def unit_message(unit: str) -> str | None:
    """The interface message ``{value} <unit>`` of a unit spelled as words; None for a symbol."""
    return f"{{value}} {unit}" if WORD_UNIT.search(unit) else None


def fact_messages(root: Path) -> dict[str, list[str]]:
    """The facts' interface messages: each display string, and each word unit's pattern."""
    from netlab.facts import load_facts

    found: dict[str, list[str]] = {}
    for path in sorted(root.glob(FACTS_FILES)):
        name = path.relative_to(root).as_posix()
        for fact in load_facts(path):
            text = fact.display or unit_message(fact.unit)
            if text and name not in found.setdefault(text, []):
                found[text].append(name)
    return found


def ui_messages(root: Path) -> dict[str, list[str]]:
    """Every interface string of the sources: msgid -> the files that use it."""
    found: dict[str, list[str]] = {}

    def add(text: str, where: Path) -> None:
        name = where.relative_to(root).as_posix()
        if name not in found.setdefault(text, []):
            found[text].append(name)

    config = root / "_config.yml"
    if config.is_file():
        import yaml

        add(str(yaml.safe_load(config.read_text(encoding="utf-8"))["title"]), config)
    for pattern in UI_SOURCES:
        for path in sorted(root.glob(pattern)):
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".py":
                for call in ast.walk(ast.parse(text)):
                    if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                            and call.func.id == "tr" and call.args
                            and isinstance(call.args[0], ast.Constant)
                            and isinstance(call.args[0].value, str)):
                        add(call.args[0].value, path)
            elif path.suffix == ".js":
                for match in JS_CALL.finditer(text):
                    add(json.loads('"' + (match.group(1) or match.group(2)).replace('\\\'', "'") + '"'),
                        path)
            else:
                for match in TEMPLATE_RUN.finditer(text):
                    add(html.unescape(" ".join(match.group(1).split())), path)
    for text, names in fact_messages(root).items():
        for name in names:
            add(text, root / name)
    return found


def write_ui_template(root: Path, target: Path) -> int:
    """Write ``ui.pot`` (every interface string, with the files using it); return the count."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(project="netlab course interface", header_comment=(
        "# Interface strings of the course's directives and page scripts.\n"
        "# Written by tools/editions.py --catalogs from the tr(...) calls, the [[...]] runs\n"
        "# and the facts' display strings and units (chapters/facts/*.yml)."))
    messages = ui_messages(root)
    for text in sorted(messages):
        catalog.add(text, locations=[(name, 0) for name in messages[text]])
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        write_po(out, catalog, omit_header=False, include_lineno=False, sort_output=True)
    return len(messages)


def _write_ui_script(app: Sphinx) -> None:
    """builder-inited: ``_static/netlab-ui.js``, the page scripts' strings in this language."""
    if app.builder.format != "html" or not is_translated_build(app):
        return
    strings, scripts = ui_catalog(app.srcdir, app.config.language)
    table = {k: v for k, v in sorted(strings.items()) if k in scripts}
    body = ("// The page scripts' interface strings in this edition's language (ui.po).\n"
            f"window.NETLAB_UI = {json.dumps(table, ensure_ascii=False, indent=0)};\n")
    target = Path(app.outdir) / "_static" / UI_SCRIPT
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.is_file() or target.read_text(encoding="utf-8") != body:
        target.write_text(body, encoding="utf-8")
    # Before every other script: theirs read the table when they start.
    app.add_js_file(UI_SCRIPT, priority=100)


# --- code comments ------------------------------------------------------------------------------

COMMENTED_LANGUAGES = {"python": "python", "python3": "python", "ipython3": "python",
                       "ipython": "python", "py": "python", "bash": "bash", "sh": "bash",
                       "shell": "bash", "console": "console", "shell-session": "console",
                       "typescript": "typescript", "ts": "typescript", "javascript": "javascript",
                       "js": "javascript", "tsx": "tsx"}
PRAGMA = re.compile(r"^(noqa|type:|pragma|fmt:|ruff:|pylint:|mypy:|eslint|@ts-|!)", re.I)


def _comment_marker(text: str) -> tuple[str, str, str]:
    """(marker and space, message, closing) of one comment token: ``# text`` -> ('# ', 'text', '')."""
    match = re.match(r"^(#+\s*|//+\s*|/\*+\s*)(.*?)(\s*\*/)?\s*$", text, re.S)
    if not match:
        return "", text, ""
    return match.group(1), match.group(2), match.group(3) or ""


def code_comments_of(code: str, language: str) -> list[tuple[int, int, str]]:
    """(start, end, message) of each translatable comment in ``code``."""
    from pygments.lexers import get_lexer_by_name
    from pygments.token import Comment

    lexer = get_lexer_by_name(COMMENTED_LANGUAGES[language], stripnl=False, ensurenl=False)
    found = []
    for index, kind, value in lexer.get_tokens_unprocessed(code):
        if kind not in Comment or kind in Comment.Hashbang or kind in Comment.Preproc:
            continue
        _, message, _ = _comment_marker(value)
        if re.search(r"[A-Za-z]{2}", message) and not PRAGMA.match(message) and not HANGUL.search(message):
            found.append((index, index + len(value), message))
    return found


class code_comments(nodes.Element, addnodes.translatable):  # noqa: N801 (docutils names nodes in lower case)
    """Invisible: the comments of the code block after it, as messages of the page."""

    def preserve_original_messages(self) -> None:
        self["original"] = list(self["messages"])

    def extract_original_messages(self) -> Sequence[str]:
        return self["original"]

    def apply_translated_message(self, original_message: str, translated_message: str) -> None:
        self.setdefault("translations", {})[original_message] = translated_message


def _code_language(block: nodes.literal_block) -> str | None:
    """The language of a block of code whose comments are translated, or None (outputs, text)."""
    parent = block.parent
    if parent is not None and "cell_output" in parent.get("classes", []):
        return None
    language = block.get("language")
    return language if language in COMMENTED_LANGUAGES else None


class CollectCodeComments(SphinxTransform):
    """Before translation (and for the gettext builder): a ``code_comments`` node per block."""

    default_priority = 5  # before PreserveTranslatableMessages (10) and Locale (20)

    def apply(self, **kwargs: Any) -> None:
        if self.config.language == "en" and self.app.builder.name != "gettext":
            return
        for block in list(self.document.findall(nodes.literal_block)):
            language = _code_language(block)
            if language is None:
                continue
            messages = list(dict.fromkeys(m for _, _, m in code_comments_of(block.astext(), language)))
            if messages:
                holder = code_comments(messages=messages, language=language)
                holder.source, holder.line = block.source, block.line
                block.parent.insert(block.parent.index(block), holder)


class ApplyCodeComments(SphinxTransform):
    """After translation: the translated comments written into the code; the holders removed."""

    default_priority = 30

    def apply(self, **kwargs: Any) -> None:
        if self.app.builder.name == "gettext":
            return  # the gettext builder reads the holders when it writes the catalogs
        for holder in list(self.document.findall(code_comments)):
            translations = holder.get("translations", {})
            parent = holder.parent
            block = parent[parent.index(holder) + 1]
            if translations and isinstance(block, nodes.literal_block):
                code = block.astext()
                out, last = [], 0
                for start, end, message in code_comments_of(code, holder["language"]):
                    if message in translations:
                        opening, _, closing = _comment_marker(code[start:end])
                        out += [code[last:start], opening, translations[message], closing]
                        last = end
                new = "".join(out) + code[last:]
                block.rawsource = new
                block.children = [nodes.Text(new)]
            parent.remove(holder)


# --- anchors ------------------------------------------------------------------------------------

class KeepSectionIds(SphinxTransform):
    """Before translation: remember each section's ids (Sphinx renames a translated title's)."""

    default_priority = 15

    def apply(self, **kwargs: Any) -> None:
        if self.config.language == "en":
            return
        for section in self.document.findall(nodes.section):
            section["netlab-ids"] = list(section["ids"])


class RestoreSectionIds(SphinxTransform):
    """After translation: the English ids first again, the new ones after them."""

    default_priority = 22

    def apply(self, **kwargs: Any) -> None:
        for section in self.document.findall(nodes.section):
            original = section.attributes.pop("netlab-ids", None)
            if not original:
                continue
            kept = [i for i in original if self.document.ids.get(i, section) is section]
            section["ids"] = kept + [i for i in section["ids"] if i not in kept]
            for i in kept:
                self.document.ids[i] = section


# --- what is left untranslated ------------------------------------------------------------------

def merged_catalog(app: Sphinx, docname: str) -> dict[str, str]:
    """The translations Sphinx's Locale transform uses for ``docname`` (msgid -> msgstr)."""
    domain = docname_to_domain(docname, app.config.gettext_compact)
    dirs = [str(Path(app.srcdir) / d) for d in app.config.locale_dirs]
    catalog, has_catalog = init_locale(dirs, app.config.language, domain)
    if not has_catalog:
        return {}
    catalogues = []
    current: Any = catalog
    while current is not None:
        catalogues.append(getattr(current, "_catalog", None) or {})
        current = getattr(current, "_fallback", None)
    merged: dict[str, str] = {}
    for catalogue in reversed(catalogues):
        merged |= catalogue
    return merged


def is_message_document(document: nodes.document) -> bool:
    """Whether ``document`` is one translated message, which Sphinx parses on its own.

    Sphinx runs every registered transform on each of those too (thousands a build):
    the checks below belong to the page's own document only.
    """
    return str(document.get("source", "")).endswith("<translated>")


class RecordUntranslated(SphinxTransform):
    """Before translation: every message of the page that has no usable translation."""

    default_priority = 19  # after the holders (5) and preserved messages (10), before Locale (20)

    def apply(self, **kwargs: Any) -> None:
        if (not is_translated_build(self.app) or self.app.builder.name == "gettext"
                or is_message_document(self.document)):
            return
        forget_unclaimed_messages()
        merged = merged_catalog(self.app, self.env.docname)
        found = list(extract_messages(self.document))
        messages = list(dict.fromkeys(msg for _, msg in found))
        missing = [m for m in messages if not (merged.get(m) or "").strip()]
        record = self.env.__dict__.setdefault("netlab_untranslated", {})
        record[self.env.docname] = {"messages": len(messages), "untranslated": missing}
        # The nodes Sphinx should translate; CheckTranslationsApplied looks at them afterwards.
        self.document.netlab_expected = [
            (node, msg) for node, msg in found
            if (merged.get(msg) or "").strip() and merged[msg] != msg]


class CheckTranslationsApplied(SphinxTransform):
    """After translation: a translation Sphinx dropped counts as untranslated.

    Sphinx parses each translation on its own and silently keeps the English text
    when the result is not the same kind of node: a heading translated as
    ``1. 제목`` parses as a list item (write ``1\\. 제목``).
    """

    default_priority = 21  # after Locale (20)

    def apply(self, **kwargs: Any) -> None:
        expected = self.document.__dict__.pop("netlab_expected", None)
        if not expected:
            return
        # (Code comments and image captions are applied without the flag.)
        dropped = [msg for node, msg in expected if not node.get("translated")
                   and not isinstance(node, (addnodes.translatable, nodes.image))]
        if dropped:
            record = self.env.__dict__.setdefault("netlab_untranslated", {})
            entry = record.setdefault(self.env.docname, {"messages": 0, "untranslated": []})
            entry["untranslated"] = list(dict.fromkeys([*entry["untranslated"], *dropped]))
            entry["not_applied"] = dropped


def _purge(app: Sphinx, env: Any, docname: str) -> None:
    env.__dict__.get("netlab_untranslated", {}).pop(docname, None)


def _merge(app: Sphinx, env: Any, docnames: Iterable[str], other: Any) -> None:
    mine = env.__dict__.setdefault("netlab_untranslated", {})
    mine.update({d: v for d, v in other.__dict__.get("netlab_untranslated", {}).items() if d in docnames})


def report_path(app: Sphinx) -> Path:
    """``_build/i18n/untranslated-<language>.json``."""
    return Path(app.doctreedir).parent / "i18n" / f"untranslated-{app.config.language}.json"


def _write_report(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: what this edition shows untranslated, page by page."""
    if exception is not None or not is_translated_build(app) or app.builder.format != "html":
        return
    record = app.env.__dict__.get("netlab_untranslated", {})
    pages = {d: record.get(d, {"messages": 0, "untranslated": []}) for d in sorted(app.env.found_docs)}
    strings, _ = ui_catalog(app.srcdir, app.config.language)
    known = ui_messages(Path(app.srcdir))
    report = {"language": app.config.language, "pages": pages,
              "ui": {"messages": len(known), "untranslated": sorted(set(known) - set(strings))},
              "ui_not_in_catalog": sorted(app.__dict__.get("netlab_ui_missing", set()) - set(known))}
    path = report_path(app)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    left = sum(len(p["untranslated"]) for p in pages.values())
    total = sum(p["messages"] for p in pages.values())
    logger.info("i18n: %s edition: %d of %d messages translated; %d pages not wholly (%s)",
                app.config.language, total - left, total,
                sum(1 for p in pages.values() if p["untranslated"]), path.name)


# --- speed ----------------------------------------------------------------------------------------

class _NodeXml:
    """``repr_domxml(node)``, rendered only when a log record is formatted."""

    __slots__ = ("args",)

    def __init__(self, *args: Any) -> None:
        self.args = args

    def __str__(self) -> str:
        return _repr_domxml(*self.args)

    __repr__ = __str__


def _lazy_repr_domxml(node: nodes.Node, length: int = 80) -> _NodeXml:
    return _NodeXml(node, length)


@functools.cache
def _myst_default_settings(parser_cls: type) -> Any:
    from docutils.frontend import get_default_settings

    return get_default_settings(parser_cls)


def _myst_make_document(source_path: str = "notset", parser_cls: type | None = None) -> nodes.document:
    """MyST-Parser's ``make_document`` with the parser's default settings made once."""
    from docutils.parsers.rst import Parser as RSTParser
    from docutils.utils import new_document

    settings = copy.deepcopy(_myst_default_settings(parser_cls or RSTParser))
    return new_document(source_path, settings=settings)


def _publish_once(publish: Callable[..., nodes.Element]) -> Callable[..., nodes.Element]:
    """``publish_msgstr`` that parses a message once for both phases of the Locale transform.

    Phase 1 parses every translated message to update section titles and glossary
    terms, and leaves the result untouched for any other node; phase 2 parses the
    same message again for that node. The result of a page's first call is kept and
    handed to the next identical call (same text, page and line), once, if nothing
    took its children meanwhile (a title or term phase 1 applied). A title's call in
    phase 2 differs (Sphinx adds an underline), so it is parsed anew; a message seen
    twice on one line (two equal table cells) is parsed anew after that; what phase 2
    does not claim is dropped when the next page starts.
    """
    kept: dict[tuple[str, str, int], nodes.Element] = {}
    claimed: set[tuple[str, str, int]] = set()

    def unused(patch: nodes.Element) -> bool:
        return all(child.parent is patch for child in patch.children)

    @functools.wraps(publish)
    def publish_msgstr(app: Sphinx, source: str, source_path: str, source_line: int,
                       config: Any, settings: Any) -> nodes.Element:
        key = (source, source_path, source_line)
        patch = kept.pop(key, None)
        if patch is not None:
            claimed.add(key)
            if unused(patch):
                return patch
        patch = publish(app, source, source_path, source_line, config, settings)
        # A page's own message (not one nested in a message), not handed out before.
        if key not in claimed and not source_path.endswith("<translated>"):
            kept[key] = patch
        return patch

    def forget() -> None:
        kept.clear()
        claimed.clear()

    publish_msgstr.forget = forget  # type: ignore[attr-defined]
    return publish_msgstr


def _skip_repeated_costs(app: Sphinx, config: Any) -> None:
    """config-inited, in a translated build: the three patches of the module docstring.

    Each replaces a module-level name that its caller looks up at call time, with a
    function that returns the same result:

    * ``sphinx.util.nodes.repr_domxml``: ``is_translatable`` passes its result to
      ``logger.debug`` for every node it skips (200,000 a Korean build); the XML is
      now written only when a debug record is;
    * ``myst_parser.mdit_to_docutils.base.make_document``: ``setup_render`` makes a
      document with fresh default settings as the default of ``options.get``, also
      when Sphinx passes the document to render into (once per message);
    * ``sphinx.transforms.i18n.publish_msgstr``: see ``_publish_once``.
    """
    if not is_translated_build(app):
        return
    import myst_parser.mdit_to_docutils.base as myst_base
    import sphinx.transforms.i18n as sphinx_i18n
    import sphinx.util.nodes as sphinx_nodes

    sphinx_nodes.repr_domxml = _lazy_repr_domxml
    myst_base.make_document = _myst_make_document
    if not hasattr(sphinx_i18n.publish_msgstr, "forget"):
        sphinx_i18n.publish_msgstr = _publish_once(sphinx_i18n.publish_msgstr)


def forget_unclaimed_messages() -> None:
    """Drop the parsed messages the previous page's phase 2 did not claim."""
    import sphinx.transforms.i18n as sphinx_i18n

    forget = getattr(sphinx_i18n.publish_msgstr, "forget", None)
    if forget is not None:
        forget()


# --- configuration ------------------------------------------------------------------------------

def _configure(app: Sphinx, config: Any) -> None:
    """config-inited: a translated edition's addresses, title and site name."""
    language = config.language or "en"
    config.netlab_site_url = config.html_baseurl  # the English edition's, the site's root
    if language == "en":
        return
    folder = EDITIONS.get(language, f"{language}/")
    if config.html_baseurl:
        config.html_baseurl = config.html_baseurl.rstrip("/") + "/" + folder
    if "ogp_site_url" in config and config.ogp_site_url:
        config.ogp_site_url = config.ogp_site_url.rstrip("/") + "/" + folder
    strings, _ = ui_catalog(app.srcdir, language)
    for key in ("html_title", "project", "ogp_site_name"):
        if key in config and getattr(config, key) in strings:
            setattr(config, key, strings[getattr(config, key)])


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the transforms, the interface-string table and the report."""
    app.add_config_value("netlab_site_url", "", "html")
    app.add_node(code_comments)
    app.add_transform(CollectCodeComments)
    app.add_transform(KeepSectionIds)
    app.add_transform(RecordUntranslated)
    app.add_transform(CheckTranslationsApplied)
    app.add_transform(RestoreSectionIds)
    app.add_transform(ApplyCodeComments)
    # Before netlab_site derives the 404 page's prefix from html_baseurl (450).
    app.connect("config-inited", _configure, priority=400)
    app.connect("config-inited", _skip_repeated_costs)
    app.connect("builder-inited", _write_ui_script)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("build-finished", _write_report)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
