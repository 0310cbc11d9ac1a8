"""The coverage file, ``chapters/coverage.yml``: every interview question accounted for.

Checks the schema, that no question is recorded twice, that every ``answered_by`` names a
question id or a section label that exists, and reports the counts (run with ``-s`` to see
the table). The logic lives in ``tests/coverage_file.py``, shared with
``tools/coverage_report.py``.
"""

from __future__ import annotations

import coverage_file as cov
import pytest

ENTRIES = cov.load()
TARGETS = cov.question_ids() | cov.section_labels()


def test_schema() -> None:
    problems = cov.schema_problems(ENTRIES, TARGETS)
    assert not problems, "\n".join(problems)


def test_no_duplicates() -> None:
    problems = cov.duplicates(ENTRIES)
    assert not problems, "\n".join(problems)


def test_answered_by_names_exist() -> None:
    missing = sorted({name for e in ENTRIES for name in e["answered_by"]} - TARGETS)
    assert not missing, f"answered_by names no question id or section label: {missing}"


def test_unanswered_questions_name_an_existing_chapter() -> None:
    chapters = {int(p.name[:2]) for p in (cov.ROOT / "chapters").glob("[0-9][0-9]-*.md")}
    groups = cov.unanswered_by_chapter(ENTRIES)
    # Chapter 9 ("what happens when you type a URL", DNS) is the one chapter not written yet.
    nowhere = [e["id"] for n, group in groups.items() if n not in chapters | {9} for e in group]
    assert not nowhere, f"unanswered questions point at a chapter that does not exist: {nowhere}"


def test_dns_and_url_questions_wait_for_chapter_9() -> None:
    if any((cov.ROOT / "chapters").glob("09-*.md")):
        pytest.skip("chapter 9 exists: its questions are mapped like any other chapter's")
    wrong = [e["id"] for e in ENTRIES if e["topic"] == "dns-url" and e["status"] != "out-of-scope"
             and not e["reason"].startswith("chapter 9:")]
    assert not wrong, f"DNS and URL questions not left to chapter 9: {wrong}"


def test_counts_add_up_and_meet_the_target(capsys: pytest.CaptureFixture[str]) -> None:
    c = cov.counts(ENTRIES)
    assert c.gathered == len(ENTRIES) == c.answered + c.unanswered + c.out_of_scope
    assert c.in_scope == c.answered + c.unanswered
    assert sum(sum(t.values()) for t in c.by_topic.values()) == c.gathered
    assert sum(len(g) for g in cov.unanswered_by_chapter(ENTRIES).values()) == c.unanswered
    assert c.gathered >= 300, f"only {c.gathered} questions accounted for; the target is 300"
    with capsys.disabled():
        print("\n" + cov.summary(ENTRIES))


def test_checks_catch_broken_entries() -> None:
    """The checks themselves: each kind of broken entry is reported (a consistency check)."""
    good = dict(ENTRIES[0])
    broken = [
        {**good, "id": "Not Kebab"},
        {**good, "id": "x-1", "status": "answered", "answered_by": ["no-such-label"]},
        {**good, "id": "x-2", "status": "answered", "answered_by": []},
        {**good, "id": "x-3", "status": "unanswered", "answered_by": [], "reason": "later"},
        {**good, "id": "x-4", "sources": [{"repo": "owner/name", "path": ""}]},
        {**good, "id": "x-5", "topic": "other"},
    ]
    problems = cov.schema_problems(broken, TARGETS)
    for entry in broken:
        assert any(f"({entry['id']})" in p for p in problems), f"{entry['id']} not caught"
    twins = [good, {**good, "id": "x-6", "en": good["en"].upper() + "!", "ko": good["ko"] + "요?"}]
    assert cov.duplicates(twins), "a reworded duplicate was not caught"
