"""The Korean edition cannot drift from the English one.

* Every page's catalog (``locales/ko/LC_MESSAGES/<page>.po``) is complete, with
  no untranslated or fuzzy message, unless the page is on ``UNTRANSLATED_PAGES``;
  a page on that list that is in fact complete fails too, so the list only shrinks.
* The built Korean edition has no message its catalogs lack (a catalog not
  updated after an English change shows here: ``_build/i18n/untranslated-ko.json``).
* Every question has a Korean answer; both editions have the same pages,
  sections, labs and questions; Korean pages say ``lang="ko"`` and link to
  their English twin (and back) with ``hreflang`` alternates.
* The Korean search stemmer is the same in Python (the index) and JavaScript
  (the query).
* Every fact's display string and unit pattern has its Korean translation in
  ``ui.po`` (same numbers), and the ``{fact}`` role and the Key numbers table print it.
* The translated build's speed-ups return what the functions they replace return:
  a message parsed once is handed out once, never after its children were taken.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from conftest import Build

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

from netlab_facts import _shown  # noqa: E402
from netlab_i18n import (  # noqa: E402
    _lazy_repr_domxml,
    _myst_make_document,
    _publish_once,
    fact_messages,
    ui_catalog,
)
from netlab_search_ko import JS_STEMMER, korean_stem  # noqa: E402

from netlab.facts import load_all_facts  # noqa: E402

CATALOGS = ROOT / "locales" / "ko" / "LC_MESSAGES"
QUESTIONS = ROOT / "chapters" / "questions"

# The pages whose translation is pending: none since every page was translated. A page
# leaves this list in the commit that completes its catalog; a page may never join it
# (a new page arrives with its translation). Every English change updates the Korean
# catalog in the same commit (README, "Contributing").
UNTRANSLATED_PAGES: frozenset[str] = frozenset()
# Catalogs that are not pages: the interface strings and the theme's labels.
NON_PAGE_CATALOGS = {"ui", "sphinx"}


def toc_pages() -> list[str]:
    """Every page of the book, from the table of contents."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                pages.append(entry["file"])
            walk(entry.get("sections", []))
            walk(entry.get("chapters", []))

    walk(toc.get("parts", []))
    return pages


def catalogs() -> dict[str, Path]:
    """Catalog name (the page's docname, or ui/sphinx) -> its .po file."""
    return {p.relative_to(CATALOGS).with_suffix("").as_posix(): p for p in sorted(CATALOGS.rglob("*.po"))}


def left_to_translate(path: Path) -> list[str]:
    """The msgids of ``path`` that have no translation or a fuzzy one."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return [m.id for m in catalog if m.id and (m.fuzzy or not (m.string or "").strip())]


# --- the catalogs (no build needed) --------------------------------------------------------------

def test_every_page_has_a_catalog_and_every_catalog_a_page() -> None:
    pages, found = set(toc_pages()), set(catalogs()) - NON_PAGE_CATALOGS
    assert pages - found == set(), "pages without a catalog: run `make catalogs`"
    assert found - pages == set(), "catalogs of pages that are gone: run `make catalogs`"
    assert set(catalogs()) >= NON_PAGE_CATALOGS


def test_the_pending_list_names_only_pages() -> None:
    assert set(toc_pages()) >= UNTRANSLATED_PAGES, UNTRANSLATED_PAGES - set(toc_pages())


@pytest.mark.parametrize("name", sorted(catalogs()))
def test_catalog_is_complete_unless_pending(name: str) -> None:
    missing = left_to_translate(catalogs()[name])
    if name in UNTRANSLATED_PAGES:
        assert missing, f"{name} is fully translated: take it off UNTRANSLATED_PAGES"
    else:
        assert not missing, f"{name}: {len(missing)} untranslated or fuzzy messages, first: {missing[:5]}"


NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Numbers a translation may write otherwise: Korean counts large numbers in 만 (10⁴).
RECOUNTED = {"2^24.5 full-size records (about 24 million), for an AE margin of about 2^-57": {"24"}}


def test_every_fact_display_and_unit_has_a_korean_translation() -> None:
    strings, _ = ui_catalog(ROOT, "ko")
    messages = fact_messages(ROOT)
    assert "1 round trip" in messages and "{value} bytes" in messages
    missing = [m for m in messages if not strings.get(m, "").strip()]
    assert not missing, f"{len(missing)} fact messages without a Korean translation in ui.po: {missing[:5]}"
    # A unit pattern keeps its one placeholder; a display keeps every number it states.
    bad_pattern = [m for m in messages if m.startswith("{value}") and strings[m].count("{value}") != 1]
    assert not bad_pattern, bad_pattern
    lost = {m: sorted(set(NUMBER.findall(m)) - set(NUMBER.findall(strings[m])) - RECOUNTED.get(m, set()))
            for m in messages}
    assert not {m: n for m, n in lost.items() if n}, {m: n for m, n in lost.items() if n}


def test_fact_role_prints_the_editions_translation() -> None:
    facts = load_all_facts(ROOT / "chapters" / "facts")
    # English: the translator is the identity and every fact prints exactly as before.
    assert all(_shown(fact, lambda text: text) == fact.shown for fact in facts.values())
    strings, _ = ui_catalog(ROOT, "ko")

    def korean(text: str) -> str:
        return strings.get(text, text)

    assert _shown(facts["rt-tls13-full"], korean) == strings["1 round trip"] == "1 왕복"
    udp_header = _shown(facts["udp-header-bytes"], korean)
    assert udp_header == strings["{value} bytes"].format(value="8") == "8바이트"
    assert _shown(facts["rto-initial"], korean) == facts["rto-initial"].shown == "1 s"  # a symbol
    shown = {fact.id: _shown(fact, korean) for fact in facts.values() if fact.display}
    assert all(shown[i] == strings[facts[i].display] for i in shown)


# Emphasis closed between punctuation and a Hangul letter (**연결(connection)**을): CommonMark
# does not close it, so the asterisks show. Put the particle inside: **연결(connection)을**.
UNCLOSED_EMPHASIS = re.compile(r"(?<=[)\]`'\"”’.,:;!?>}])\*{1,2}(?=[\uac00-\ud7a3])")
# A translated heading that starts "1. " parses as a list item and is dropped: write "1\\. ".
LIST_LIKE_START = re.compile(r"^\d+[.)]\s")


def test_translations_parse_as_their_english_does() -> None:
    bad = []
    for name, path in catalogs().items():
        with path.open("rb") as handle:
            for m in read_po(handle):
                text = m.string if isinstance(m.string, str) else ""
                if m.id and text and (UNCLOSED_EMPHASIS.search(text) or LIST_LIKE_START.match(text)):
                    bad.append(f"{name}: {text[:60]}")
    assert not bad, bad[:10]


def _questions() -> list[tuple[str, dict]]:
    found = []

    def walk(items: list[dict], where: str) -> None:
        for q in items:
            found.append((where, q))
            walk(q.get("follow_ups") or [], where)

    for path in sorted(QUESTIONS.glob("*.yml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)
    return found


class _Parser:
    """A stand-in for Sphinx's ``publish_msgstr``: a new paragraph per call, counted."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, app: object, source: str, source_path: str, source_line: int,
                 config: object, settings: object) -> object:
        from docutils import nodes

        self.calls += 1
        return nodes.paragraph(source, "", nodes.Text(source))


def test_a_message_is_parsed_once_for_both_phases_and_handed_out_once() -> None:
    from docutils import nodes

    parse = _Parser()
    publish = _publish_once(parse)
    first = publish(None, "안녕", "page.md", 3, None, None)
    assert publish(None, "안녕", "page.md", 3, None, None) is first and parse.calls == 1
    third = publish(None, "안녕", "page.md", 3, None, None)  # the same text twice on one line
    assert third is not first and parse.calls == 2
    assert publish(None, "안녕", "page.md", 4, None, None) is not first  # another line
    taken = publish(None, "제목", "page.md", 9, None, None)
    nodes.title("", "").extend(taken.children)  # phase 1 applied it: its children moved
    assert publish(None, "제목", "page.md", 9, None, None) is not taken
    nested = "page.md:9:<translated>"  # a message inside a message is never kept
    assert publish(None, "x", nested, 1, None, None) is not publish(None, "x", nested, 1, None, None)
    kept = publish(None, "다음", "page.md", 20, None, None)
    publish.forget()  # the next page starts
    assert publish(None, "다음", "page.md", 20, None, None) is not kept


def test_the_debug_xml_of_a_skipped_node_is_the_same_text_when_written() -> None:
    from docutils import nodes
    from sphinx.util.nodes import repr_domxml

    node = nodes.paragraph("", "", nodes.Text("혼잡 제어 " * 20))
    assert str(_lazy_repr_domxml(node)) == repr_domxml(node) == f"{_lazy_repr_domxml(node)!r}"
    assert str(_lazy_repr_domxml(node, 20)) == repr_domxml(node, 20)


def test_myst_documents_get_default_settings_of_their_own() -> None:
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser

    one, two = _myst_make_document("a.md"), _myst_make_document("b.md")
    assert vars(one.settings).keys() == vars(get_default_settings(Parser)).keys()
    assert one.settings is not two.settings and one["source"] == "a.md"
    one.settings.tab_width = 3
    assert two.settings.tab_width == get_default_settings(Parser).tab_width


def test_every_question_has_a_korean_answer() -> None:
    missing = [f"{where}: {q['id']}" for where, q in _questions()
               if not re.search(r"[\uac00-\ud7a3]", q.get("answer_ko") or "")]
    assert not missing, f"{len(missing)} questions without answer_ko: {missing[:10]}"


# --- the Korean search stemmer --------------------------------------------------------------------

WORDS = {"핸드셰이크는": "핸드셰이크", "핸드셰이크를": "핸드셰이크", "핸드셰이크": "핸드셰이크",
         "혼잡": "혼잡", "인증서의": "인증서", "재전송된다": "재전송", "TCP는": "tcp",
         "연결에서는": "연결", "handshakes": "handshak"}


def test_korean_stem_strips_particles() -> None:
    assert {w: korean_stem(w) for w in WORDS} == WORDS


def test_javascript_stemmer_agrees_with_the_index() -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("no Node.js")
    words = json.dumps(list(WORDS))
    script = (f"{JS_STEMMER}\nconst s = new Stemmer();\n"
              f"console.log(JSON.stringify({words}.map(w => s.stemWord(w))));")
    out = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True, timeout=30)
    assert json.loads(out.stdout) == [korean_stem(w) for w in WORDS]


# --- the built editions ---------------------------------------------------------------------------

def _html(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="ignore")


@pytest.fixture(scope="module")
def editions(strict_build: Build) -> Build:
    if strict_build.returncode != 0 or not (strict_build.html_ko / "intro.html").is_file():
        pytest.fail("the editions did not build; see tests/test_build.py\n" + strict_build.log[-3000:])
    return strict_build


@pytest.mark.book
def test_built_korean_edition_lacks_no_translation(editions: Build) -> None:
    report = json.loads(_html(ROOT / "_build" / "i18n" / "untranslated-ko.json"))
    assert set(report["pages"]) == set(toc_pages()) | {"404"} or set(report["pages"]) >= set(toc_pages())
    stale = {page: info["untranslated"][:3] for page, info in report["pages"].items()
             if info["untranslated"] and page not in UNTRANSLATED_PAGES}
    assert not stale, f"messages with no Korean translation (run `make catalogs` and translate): {stale}"
    assert not report["ui"]["untranslated"], report["ui"]
    assert not report["ui_not_in_catalog"], report["ui_not_in_catalog"]


@pytest.mark.book
@pytest.mark.parametrize("page", toc_pages())
def test_both_editions_have_the_same_sections_labs_and_questions(editions: Build, page: str) -> None:
    english, korean = _html(editions.html / f"{page}.html"), _html(editions.html_ko / f"{page}.html")
    for pattern in (r'<section[^>]*\bid="([^"]+)"', r'\bid="(iq-[^"]+)"', r'\bid="(pq-[^"]+)"',
                    r'href="[^"#]*(labs/[\w-]+)\.html'):
        ours, theirs = set(re.findall(pattern, english)), set(re.findall(pattern, korean))
        assert ours <= theirs, f"{pattern}: missing from the Korean page: {sorted(ours - theirs)[:5]}"
        if "section" not in pattern:
            assert ours == theirs, f"{pattern}: only in the Korean page: {sorted(theirs - ours)[:5]}"


@pytest.mark.book
@pytest.mark.parametrize("page", toc_pages())
def test_korean_pages_say_lang_ko_and_link_both_ways(editions: Build, page: str) -> None:
    english, korean = _html(editions.html / f"{page}.html"), _html(editions.html_ko / f"{page}.html")
    assert re.search(r'<html[^>]*\blang="ko"', korean)
    up = "../" * page.count("/")
    assert f'href="{up}ko/{page}.html" hreflang="ko"' in english, "no switch to the Korean page"
    assert f'href="{up}../{page}.html" hreflang="en"' in korean, "no switch to the English page"
    # One PDF edition, at the site's root (the workflow copies it into _build/html/pdf).
    assert f'href="{up}../pdf/book.pdf"' in korean, "the PDF link does not lead to the site root"
    for html in (english, korean):
        for lang in ("en", "ko", "x-default"):
            link = rf'<link rel="alternate" hreflang="{lang}" href="https://[^"]+/{page}\.html"'
            assert re.search(link, html), lang


@pytest.mark.book
def test_questions_show_the_korean_answer_first_in_the_korean_edition(editions: Build) -> None:
    # The chapter shows its answers inline; the drill page loads them from its answer files.
    chapter = _html(editions.html_ko / "chapters" / "01-tcp-vs-udp.html")
    drill = _html(editions.html_ko / "drill.html")
    src = re.search(r'data-answer-id="tcp-udp-difference" data-answers-src="([^"]+)"', drill)
    assert src, "no placeholder of the drill's first answer"
    answers = _html(editions.html_ko / src.group(1))
    answer = json.loads(answers[answers.index("(") + 1: answers.rindex(")")])["tcp-udp-difference"]
    for text in (chapter[chapter.index('id="iq-tcp-udp-difference"'):chapter.index('id="iq-udp-is-fast"')],
                 answer):
        assert text.index("순서가 보장되는") < text.index("reliable, ordered"), "English answer first"
        assert "English answer · 영어 답변" in text


@pytest.mark.book
def test_the_site_root_offers_both_editions(editions: Build) -> None:
    root = _html(editions.html / "index.html")
    assert 'href="intro.html"' in root and 'href="ko/intro.html"' in root
    assert "localStorage" in root


@pytest.mark.book
def test_korean_search_index_has_stems(editions: Build) -> None:
    raw = _html(editions.html_ko / "searchindex.js")
    index = json.loads(raw[raw.index("(") + 1: raw.rindex(")")])
    assert "핸드셰이크" in index["terms"], "no 핸드셰이크 in the Korean index"
    assert "핸드셰이크는" not in index["terms"], "particles left in the Korean index"
