"""The practice page's build side, on the fixture book (tests/data/book): no browser needed.

The strict build fails on a section or lab label that does not exist, on a
self-check placed under a label that is not a section of its page, and on a
check that is never placed; the Anki deck holds one note per question with a
GUID derived from the question id, the same in two builds.
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import genanki
import pytest
from practice_fixture import DECK, FixtureBuild, build_fixture, read_deck

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))
from netlab_book import load_questions, walk_questions  # noqa: E402
from netlab_selfcheck import load_selfchecks, shuffled_order  # noqa: E402

FIXTURE_QUESTIONS = ROOT / "tests" / "data" / "book" / "chapters" / "questions" / "99-fixture.yml"
FIXTURE_CHECKS = ROOT / "tests" / "data" / "book" / "chapters" / "selfcheck" / "99-fixture.yml"
IDS = [e.question["id"]
       for e in walk_questions(load_questions(FIXTURE_QUESTIONS, require_metadata=False))]


@pytest.fixture(scope="module")
def fixture_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[FixtureBuild, FixtureBuild]:
    """Two independent strict builds of the fixture book."""
    return (build_fixture(tmp_path_factory.mktemp("first")),
            build_fixture(tmp_path_factory.mktemp("second")))


def test_fixture_book_builds_without_warnings(fixture_builds: tuple[FixtureBuild, ...]) -> None:
    build = fixture_builds[0]
    assert build.returncode == 0, build.log
    assert not re.search(r"WARNING|ERROR", build.log), build.log
    page = (build.html / "practice.html").read_text(encoding="utf-8")
    assert page.count('<article id="pq-') == len(IDS)
    # Section and lab links are resolved references to the labels' own anchors.
    assert 'href="chapters/99-fixture.html#fx-open"' in page
    assert 'href="labs/99-fixture.html#fx-lab-step-1"' in page
    assert "_static/vendor/ts-fsrs/index.umd.js" in page
    chapter = (build.html / "chapters" / "99-fixture.html").read_text(encoding="utf-8")
    assert chapter.count('<form class="self-check') == 3
    assert "practice/selfcheck.js" in chapter and "ts-fsrs" not in chapter
    assert 'href="#fx-open"' in chapter, "the chapter's questions link to their section"


def test_anki_deck_has_one_note_per_question_with_stable_guids(
        fixture_builds: tuple[FixtureBuild, ...]) -> None:
    first, second = (read_deck(b.html / DECK) for b in fixture_builds)
    assert len(first) == len(IDS)
    assert [guid for guid, _, _ in first] == [genanki.guid_for(i) for i in IDS]
    assert [guid for guid, _, _ in first] == [guid for guid, _, _ in second], "GUIDs changed"
    by_id = {fields[0]: (fields, tags.split()) for _, fields, tags in first}
    fields, tags = by_id["fx-handshake"]
    assert fields[1] == "TCP 3-way 핸드셰이크를 설명해 주세요." and fields[2].startswith("Explain")
    assert "<code" in fields[3] and "클라이언트가 SYN을" in fields[3], "answer HTML, both languages"
    assert "<a " not in fields[3], "no links into a site the deck does not carry"
    assert {"chapter::99-fixture", "difficulty::1", "topic::handshake"} <= set(tags)
    assert "difficulty::unrated" in by_id["fx-no-metadata"][1]
    # Question fields are plain text in HTML fields: escaped, or Anki drops "<Tuple, Tcb>".
    assert by_id["fx-old-duplicate"][0][2].endswith("`Map&lt;Tuple, Tcb&gt;`?") or \
        "Map&lt;Tuple, Tcb&gt;" in by_id["fx-old-duplicate"][0][2]


def test_tsv_carries_the_same_notes(fixture_builds: tuple[FixtureBuild, ...]) -> None:
    lines = (fixture_builds[0].html / DECK.replace(".apkg", ".tsv")).read_text(encoding="utf-8")
    headers = [line for line in lines.splitlines() if line.startswith("#")]
    assert "#guid column:1" in headers and "#separator:tab" in headers
    rows = list(csv.reader([line for line in lines.splitlines() if not line.startswith("#")],
                           delimiter="\t"))
    assert [row[1] for row in rows] == IDS
    assert [row[0] for row in rows] == [genanki.guid_for(i) for i in IDS]


DANGLING = {
    "section": ("chapters/questions/99-fixture.yml", ("section: fx-open", "section: fx-nowhere"),
                "fx-nowhere"),
    "lab": ("chapters/questions/99-fixture.yml", ("lab: fx-lab-step-1", "lab: fx-lab-step-9"),
            "fx-lab-step-9"),
    "self-check under a label of another page": (
        "chapters/99-fixture.md", ("```{self-check} fx-close", "```{self-check} fx-lab-step-1"),
        "fx-lab-step-1"),
    "self-check never placed": (
        "chapters/99-fixture.md", ("```{self-check} fx-close\n```", ""), "fx-close"),
}


@pytest.mark.parametrize("case", DANGLING, ids=list(DANGLING))
def test_strict_build_fails_on_a_dangling_label(case: str, tmp_path: Path) -> None:
    name, edit, label = DANGLING[case]
    build = build_fixture(tmp_path, {name: edit})
    assert build.returncode != 0, "the strict build passed"
    warnings = [line for line in build.log.splitlines() if "WARNING" in line or "ERROR" in line]
    assert any(label in line for line in warnings), build.log


def test_self_check_schema_reads_every_type() -> None:
    checks = load_selfchecks(FIXTURE_CHECKS)
    assert [c["type"] for c in checks] == ["choice", "number", "order"]
    order = shuffled_order("fx-close-order", 4)
    assert sorted(order) == [0, 1, 2, 3] and order != [0, 1, 2, 3]
    assert order == shuffled_order("fx-close-order", 4), "the same order in every build"


BAD_CHECKS = {
    "two correct": ("      why: \"That would keep", "      correct: true\n      why: \"That would keep",
                    "exactly one option"),
    "no why": ("      why: \"Nothing is wrong: the buffer is large enough.\"\n", "",
               "why must be a non-empty string"),
    "unknown type": ("type: number", "type: slider", "type must be one of"),
    "number as text": ("answer: 20", "answer: twenty", "answer must be a number"),
    "negative tolerance": ("tolerance: 0", "tolerance: -1", "tolerance must be >= 0"),
    "English prompt_ko": ("prompt_ko: \"TCP 헤더의 최소 크기는?\"", "prompt_ko: \"Minimum?\"",
                          "prompt_ko must be in Korean"),
    "number without explanation": ("  explanation: \"Five 32-bit words, data offset 5 (RFC 9293 §3.1).\"\n",
                                   "", "explanation must be"),
    "one item": ("items: [\"FIN\", \"ACK\", \"FIN from the peer\", \"last ACK\"]", "items: [\"FIN\"]",
                 "items must list"),
    "choice key on an order check": ("  items: [", "  choices: []\n  items: [", "unknown keys"),
}


@pytest.mark.parametrize("case", BAD_CHECKS, ids=list(BAD_CHECKS))
def test_self_check_schema_refuses_bad_checks(case: str, tmp_path: Path) -> None:
    old, new, message = BAD_CHECKS[case]
    text = FIXTURE_CHECKS.read_text(encoding="utf-8")
    assert old in text, old
    bad = tmp_path / "99-bad.yml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_selfchecks(bad)


@pytest.mark.parametrize("path", sorted((ROOT / "chapters" / "selfcheck").glob("*.yml")),
                         ids=lambda p: p.stem)
def test_chapter_self_checks_are_well_formed(path: Path) -> None:
    checks = load_selfchecks(path)
    chapter = (ROOT / "chapters" / f"{path.stem}.md").read_text(encoding="utf-8")
    for section in sorted({c["section"] for c in checks}):
        assert f"```{{self-check}} {section}" in chapter, f"{section}: no directive in the chapter"
