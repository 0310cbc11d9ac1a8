"""The interview-question coverage file, ``chapters/coverage.yml``: load, check and count.

Shared by ``tests/test_coverage.py`` and ``tools/coverage_report.py``. The file records the
questions public interview-question collections ask, each restated in the course's words,
with the collections that ask it and what in the book answers it today.
"""

from __future__ import annotations

import re
import string
from collections import Counter
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
COVERAGE = ROOT / "chapters" / "coverage.yml"
TOPICS = ("transport", "handshake", "tls", "congestion", "http", "dns-url", "oauth",
          "typescript", "servers", "other")
STATUSES = ("answered", "unanswered", "out-of-scope")
KEYS = {"id", "topic", "en", "ko", "sources", "status", "answered_by", "reason"}
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")
# An unanswered question names the chapter that should answer it: "chapter 4: what is missing".
CHAPTER_REASON = re.compile(r"^chapter ([1-9]): \S")
# Words that carry no meaning for the near-duplicate check.
STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "between", "by", "difference", "differ", "differs",
    "do", "does", "for", "from", "how", "in", "is", "it", "its", "of", "on", "or", "the", "that",
    "this", "to", "what", "when", "which", "why", "with", "you", "your",
})
NEAR_DUPLICATE = 0.8  # Jaccard similarity of the content words of two `en` texts


def load(path: Path = COVERAGE) -> list[dict[str, Any]]:
    """The entries of the coverage file, as a list of mappings."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (a safe loader)
    if not isinstance(data, list) or not data:
        raise ValueError(f"{path.name}: expected a non-empty list of entries")
    return data


def question_ids(questions_dir: Path = ROOT / "chapters" / "questions") -> set[str]:
    """Every question id, top level and follow-up, of every chapter's question file."""
    ids: set[str] = set()
    for path in sorted(questions_dir.glob("*.yml")):
        pending = list(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
        while pending:
            question = pending.pop()
            ids.add(question["id"])
            pending.extend(question.get("follow_ups") or [])
    return ids


def section_labels(chapters_dir: Path = ROOT / "chapters") -> set[str]:
    """Every MyST target, ``(label)=``, in the chapters."""
    labels: set[str] = set()
    for path in sorted(chapters_dir.glob("*.md")):
        labels |= set(re.findall(r"^\(([^()\s]+)\)=\s*$", path.read_text(encoding="utf-8"),
                                 re.MULTILINE))
    return labels


def schema_problems(entries: list[dict[str, Any]], targets: set[str]) -> list[str]:
    """Every way the entries break the schema, one message per problem; empty when all is well.

    ``targets`` are the names ``answered_by`` may use: question ids and section labels.
    """
    problems: list[str] = []
    for i, entry in enumerate(entries):
        where = f"entry {i} ({entry.get('id', '?')})" if isinstance(entry, dict) else f"entry {i}"
        if not isinstance(entry, dict) or entry.keys() != KEYS:
            found = sorted(entry) if isinstance(entry, dict) else type(entry).__name__
            problems.append(f"{where}: keys must be exactly {sorted(KEYS)}, found {found}")
            continue
        for key in ("id", "en", "ko"):
            if not isinstance(entry[key], str) or not entry[key].strip():
                problems.append(f"{where}: {key} must be a non-empty string")
        if isinstance(entry["id"], str) and not KEBAB.match(entry["id"]):
            problems.append(f"{where}: id is not kebab-case")
        if isinstance(entry["ko"], str) and not HANGUL.search(entry["ko"]):
            problems.append(f"{where}: ko has no Korean")
        if entry["topic"] not in TOPICS:
            problems.append(f"{where}: topic {entry['topic']!r} is not one of {TOPICS}")
        problems += _source_problems(where, entry["sources"])
        problems += _status_problems(where, entry, targets)
    return problems


def _source_problems(where: str, sources: Any) -> list[str]:
    if not isinstance(sources, list) or not sources:
        return [f"{where}: sources must be a non-empty list"]
    problems: list[str] = []
    for source in sources:
        if not isinstance(source, dict) or source.keys() != {"repo", "path"}:
            problems.append(f"{where}: a source must be {{repo, path}}, found {source!r}")
        elif not isinstance(source["repo"], str) or not REPO.match(source["repo"]):
            problems.append(f"{where}: source repo {source['repo']!r} is not owner/name")
        elif not isinstance(source["path"], str) or not source["path"].strip():
            problems.append(f"{where}: source path is empty for {source['repo']}")
    pairs = [(s.get("repo"), s.get("path")) for s in sources if isinstance(s, dict)]
    if len(pairs) != len(set(pairs)):
        problems.append(f"{where}: a source is listed twice")
    return problems


def _status_problems(where: str, entry: dict[str, Any], targets: set[str]) -> list[str]:
    status, answered_by, reason = entry["status"], entry["answered_by"], entry["reason"]
    if status not in STATUSES:
        return [f"{where}: status {status!r} is not one of {STATUSES}"]
    if not isinstance(answered_by, list) or not isinstance(reason, str):
        return [f"{where}: answered_by must be a list and reason a string"]
    problems = [f"{where}: answered_by {name!r} is neither a question id nor a section label"
                for name in answered_by if name not in targets]
    if status == "answered" and not answered_by:
        problems.append(f"{where}: answered, but answered_by is empty")
    if status == "answered" and reason:
        problems.append(f"{where}: answered, but has a reason")
    if status != "answered" and answered_by:
        problems.append(f"{where}: {status}, but lists answered_by")
    if status == "unanswered" and not CHAPTER_REASON.match(reason):
        problems.append(f"{where}: unanswered, reason must start 'chapter N: ', found {reason!r}")
    if status == "out-of-scope" and not reason.strip():
        problems.append(f"{where}: out of scope, but no reason")
    if status != "out-of-scope" and entry["topic"] == "other":
        problems.append(f"{where}: topic 'other' is only for out-of-scope questions")
    return problems


def normalised(text: str) -> str:
    """Lower case, punctuation removed, spaces collapsed: two wordings of one question match."""
    stripped = text.lower().translate(str.maketrans("", "", string.punctuation + "“”‘’"))
    return " ".join(stripped.split())


def content_words(text: str) -> frozenset[str]:
    """The words of ``text`` that carry meaning (stop words removed)."""
    return frozenset(normalised(text).split()) - STOP_WORDS


def duplicates(entries: list[dict[str, Any]]) -> list[str]:
    """Ids used twice, questions asked twice (same normalised text), and near-duplicates."""
    problems = [f"id {name!r} is used {n} times"
                for name, n in Counter(e["id"] for e in entries).items() if n > 1]
    for key in ("en", "ko"):
        seen: dict[str, str] = {}
        for entry in entries:
            text = normalised(entry[key])
            if text in seen:
                problems.append(f"{entry['id']} and {seen[text]} ask the same question ({key})")
            seen.setdefault(text, entry["id"])
    words = [(entry["id"], content_words(entry["en"])) for entry in entries]
    for (id_a, a), (id_b, b) in combinations(words, 2):
        if a and b and len(a & b) / len(a | b) >= NEAR_DUPLICATE:
            problems.append(f"{id_a} and {id_b} are near-duplicates: merge them into one entry")
    return problems


@dataclass(frozen=True)
class Counts:
    """How many questions the file accounts for, in total and by topic."""

    gathered: int
    answered: int
    unanswered: int
    out_of_scope: int
    by_topic: dict[str, Counter[str]]
    repositories: int

    @property
    def in_scope(self) -> int:
        """Questions the course should answer: answered plus unanswered."""
        return self.answered + self.unanswered


def counts(entries: list[dict[str, Any]]) -> Counts:
    """Count the entries by status, and by topic and status."""
    by_status = Counter(e["status"] for e in entries)
    by_topic: dict[str, Counter[str]] = {topic: Counter() for topic in TOPICS}
    for entry in entries:
        by_topic[entry["topic"]][entry["status"]] += 1
    repositories = len({s["repo"] for e in entries for s in e["sources"]})
    return Counts(len(entries), by_status["answered"], by_status["unanswered"],
                  by_status["out-of-scope"], by_topic, repositories)


def unanswered_by_chapter(entries: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """The unanswered questions, grouped by the chapter their reason names (1 to 9)."""
    groups: dict[int, list[dict[str, Any]]] = {n: [] for n in range(1, 10)}
    for entry in entries:
        if entry["status"] == "unanswered":
            match = CHAPTER_REASON.match(entry["reason"])
            if match is None:
                raise ValueError(f"{entry['id']}: reason does not name a chapter")
            groups[int(match.group(1))].append(entry)
    return groups


def summary(entries: list[dict[str, Any]]) -> str:
    """A text table of the counts, overall and by topic."""
    c = counts(entries)
    rows = [("topic", "gathered", "in scope", "answered", "unanswered", "out of scope")]
    for topic in TOPICS:
        t = c.by_topic[topic]
        rows.append((topic, str(sum(t.values())), str(t["answered"] + t["unanswered"]),
                     str(t["answered"]), str(t["unanswered"]), str(t["out-of-scope"])))
    rows.append(("all", str(c.gathered), str(c.in_scope), str(c.answered), str(c.unanswered),
                 str(c.out_of_scope)))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                       for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines.insert(-1, lines[1])
    share = 100 * c.answered / c.in_scope if c.in_scope else 0.0
    lines.append(f"{c.gathered} questions from {c.repositories} repositories; "
                 f"{c.answered} of {c.in_scope} in scope answered ({share:.0f} %).")
    return "\n".join(lines)
