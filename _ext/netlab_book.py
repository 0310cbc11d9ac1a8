"""Sphinx directives the course's pages use.

``interview-questions``
    Renders ``chapters/questions/<file>.yml``: each chapter keeps its interview
    questions (Korean and English, answers, follow-up chains) in one YAML file, so
    a drill page or a quiz can reuse them. The schema is checked here and in the
    tests (``tests/test_book.py``). With ``:answers: on-demand`` (the drill page)
    each answer is a ``netlab_answers.deferred_answer``: the page holds a link to
    the question in its chapter, and its chapter's answer file, loaded when a
    dropdown opens, holds the answer. Chapters show their answers inline.

``mermaid-from``
    Renders a mermaid diagram returned by a function of ``netlab``
    (``module:function``), so a diagram shown in a chapter is generated from the
    same code the labs and tests run and cannot disagree with it.
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from netlab_answers import defer
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from netlab._yaml import load_yaml

# The question schema (chapters/questions/*.yml): the keys every question has, and
# the metadata the practice page, the Anki deck and the chapter links use.
REQUIRED_KEYS = {"id", "ko", "en", "answer"}
METADATA_KEYS = ("difficulty", "tags", "section")
QUESTION_KEYS = REQUIRED_KEYS | {"follow_ups", "answer_ko", "lab", *METADATA_KEYS}
# Every question needs ``difficulty`` and ``tags``, and every top-level question its
# ``section`` (follow-ups inherit their parent's); tests/test_book.py lists any file
# that lacks them. A book can turn this off with the Sphinx setting
# ``netlab_require_metadata = False`` (the tests' fixture book does, to show how the
# practice page treats a question of unknown difficulty); the values are then checked
# when present.
REQUIRE_METADATA = True
DIFFICULTIES = {1: "junior", 2: "mid", 3: "senior"}
MAX_TAGS = 4
KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
HANGUL = re.compile(r"[\uac00-\ud7a3]")
FENCE = "``````"
ANSWER_MODES = ("inline", "on-demand")  # the ``:answers:`` option of ``interview-questions``


@dataclass(frozen=True)
class Entry:
    """One question of a file, in reading order, with what it inherits from its chain."""

    question: dict[str, Any]
    parent: str | None  # id of the question it follows up, None at the top level
    depth: int  # 0 for a top-level question
    section: str | None  # its own ``section`` or the nearest ancestor's
    label: str  # Q3, Q3.1, Q3.1.2 ...


def walk_questions(questions: list[dict[str, Any]]) -> Iterator[Entry]:
    """Every question of a loaded file, depth first, as an interviewer asks them."""

    def walk(items: list[dict[str, Any]], parent: Entry | None) -> Iterator[Entry]:
        for number, q in enumerate(items, start=1):
            entry = Entry(q, parent.question["id"] if parent else None,
                          parent.depth + 1 if parent else 0,
                          q.get("section") or (parent.section if parent else None),
                          f"{parent.label}.{number}" if parent else f"Q{number}")
            yield entry
            yield from walk(q.get("follow_ups") or [], entry)

    yield from walk(questions, None)


def missing_metadata(questions: list[dict[str, Any]]) -> list[str]:
    """Where a loaded file still lacks metadata: ``"<id>: difficulty, tags"`` per question."""
    gaps = []
    for entry in walk_questions(questions):
        wanted = ["difficulty", "tags"] + (["section"] if entry.depth == 0 else [])
        absent = [key for key in wanted if key not in entry.question]
        if absent:
            gaps.append(f"{entry.question['id']}: {', '.join(absent)}")
    return gaps


def _check_metadata(q: dict[str, Any], where: str) -> None:
    """The optional keys, checked whenever they are present."""
    if "difficulty" in q and (type(q["difficulty"]) is not int or q["difficulty"] not in DIFFICULTIES):
        raise ValueError(f"{where}.difficulty must be 1 (junior), 2 (mid) or 3 (senior), "
                         f"got {q['difficulty']!r}")
    if "tags" in q:
        tags = q["tags"]
        if (not isinstance(tags, list) or not 1 <= len(tags) <= MAX_TAGS
                or not all(isinstance(t, str) and KEBAB.fullmatch(t) for t in tags)
                or len(set(tags)) != len(tags)):
            raise ValueError(f"{where}.tags must be a list of 1-{MAX_TAGS} different kebab-case "
                             f"tags, got {tags!r}")
    for key in ("section", "lab"):
        if key in q and not (isinstance(q[key], str) and KEBAB.fullmatch(q[key])):
            raise ValueError(f"{where}.{key} must be a section label in kebab-case, got {q[key]!r}")
    if "answer_ko" in q and not (isinstance(q["answer_ko"], str) and HANGUL.search(q["answer_ko"])):
        raise ValueError(f"{where}.answer_ko must be a non-empty string in Korean")


_CODE_SPAN = re.compile(r"``.*?``|`[^`]*`")
_TAG_LIKE = re.compile(r"<[A-Za-z][A-Za-z0-9_, ]*>")


def _bare_angle_brackets(text: str) -> str:
    """The first ``<T>``-like run outside code spans and fences, or ''."""
    outside = _CODE_SPAN.sub("", re.sub(r"```.*?```", "", text, flags=re.DOTALL))
    found = _TAG_LIKE.search(outside)
    return found.group(0) if found else ""


def load_questions(path: Path, *, require_metadata: bool | None = None) -> list[dict[str, Any]]:
    """Load a question file and check its schema; raise ValueError naming the problem.

    ``require_metadata`` (default: ``REQUIRE_METADATA``) makes ``difficulty``,
    ``tags`` and, on top-level questions, ``section`` mandatory.
    """
    data = load_yaml(path)
    if not isinstance(data, list) or not data:
        raise ValueError(f"{path.name}: expected a non-empty list of questions")
    seen: set[str] = set()

    def check(q: Any, where: str) -> None:
        if not isinstance(q, dict):
            raise ValueError(f"{path.name}: {where} is not a mapping")
        missing = REQUIRED_KEYS - q.keys()
        unknown = q.keys() - QUESTION_KEYS
        if missing or unknown:
            raise ValueError(f"{path.name}: {where} missing {sorted(missing)}, "
                             f"unknown {sorted(unknown)}")
        for key in REQUIRED_KEYS:
            if not isinstance(q[key], str) or not q[key].strip():
                raise ValueError(f"{path.name}: {where}.{key} must be a non-empty string")
        for key in ("ko", "en", "answer", "answer_ko"):
            bare = _bare_angle_brackets(q.get(key) or "")
            if bare:
                raise ValueError(f"{path.name}: {where}.{key} has {bare!r} outside backticks; "
                                 "MyST reads it as an HTML tag and drops it: write it as code")
        if not KEBAB.fullmatch(q["id"]):
            raise ValueError(f"{path.name}: {where}.id must be kebab-case, got {q['id']!r}")
        if q["id"] in seen:
            raise ValueError(f"{path.name}: duplicate id {q['id']!r}")
        seen.add(q["id"])
        _check_metadata(q, f"{path.name}: {where} ({q['id']})")
        follow_ups = q.get("follow_ups")
        if follow_ups is not None and not isinstance(follow_ups, list):
            raise ValueError(f"{path.name}: {where}.follow_ups must be a list")
        for i, child in enumerate(follow_ups or []):
            check(child, f"{where}.follow_ups[{i}]")

    for i, question in enumerate(data):
        check(question, f"question[{i}]")
    if REQUIRE_METADATA if require_metadata is None else require_metadata:
        gaps = missing_metadata(data)
        if gaps:
            raise ValueError(f"{path.name}: metadata missing: {'; '.join(gaps)}")
    return data


class InterviewQuestions(SphinxDirective):
    """Render a chapter's interview questions with answers in dropdowns."""

    required_arguments = 1
    has_content = False
    option_spec = {"answers": lambda value: directives.choice(value, ANSWER_MODES)}

    def run(self) -> list[nodes.Node]:
        path = Path(self.env.srcdir) / "chapters" / "questions" / self.arguments[0]
        if not path.is_file():
            raise self.error(f"interview-questions: no file chapters/questions/{path.name}")
        self.env.note_dependency(str(path))
        try:
            questions = load_questions(path, require_metadata=self.config.netlab_require_metadata)
        except (ValueError, yaml.YAMLError) as exc:
            raise self.error(f"interview-questions: {exc}") from exc
        root = nodes.container(classes=["interview-questions"])
        for number, question in enumerate(questions, start=1):
            root += self._render(question, f"Q{number}", depth=0, source=str(path))
        return [root]

    def _render(self, q: dict[str, Any], label: str, depth: int, source: str) -> nodes.Node:
        box = nodes.container(classes=["interview-question", f"iq-depth-{depth}"],
                              ids=[f"iq-{q['id']}"])
        prefix = f"**{label}.**" if depth == 0 else f"**↳ {label}** (꼬리 질문 · follow-up)"
        language = self.config.language or "en"
        lines = [f"{prefix} {q['ko'].strip()}", "", f"*{q['en'].strip()}*", "",
                 f"{FENCE}{{dropdown}} 답 · Answer", *answer_markdown(q, language), FENCE]
        self.state.nested_parse(StringList(lines, source=source), self.content_offset, box)
        if self.options.get("answers") == "on-demand":
            self._defer(box, q["id"], Path(source).stem)
        not_in_catalogs(box)
        for i, child in enumerate(q.get("follow_ups") or [], start=1):
            box += self._render(child, f"{label}.{i}", depth + 1, source)
        return box

    def _defer(self, box: nodes.Element, question: str, chapter: str) -> None:
        """Move the answer, the body of the question's dropdown, into a ``deferred_answer``."""
        dropdown = next(n for n in box.findall(nodes.container) if n.get("design_component") == "dropdown")
        body = dropdown.children[1:]  # after its title
        del dropdown[1:]
        for child in body:  # what sphinx-design's dropdown does to the paragraphs it holds
            if isinstance(child, nodes.paragraph):
                child["classes"] = [*child.get("classes", []), "sd-card-text"]
        dropdown += defer(question, chapter, self.env.docname, *body)


def not_in_catalogs(node: nodes.Element) -> nodes.Element:
    """Leave ``node``'s text out of the message catalogs and return it.

    A question file carries its question and answer in both languages (``ko``,
    ``en``, ``answer``, ``answer_ko``); the editions choose which to show first, and
    nothing of it is translated again through ``locales/``.
    """
    for text in node.findall(nodes.TextElement):
        text["translatable"] = False
    return node


def answer_markdown(q: dict[str, Any], language: str = "en") -> list[str]:
    """MyST lines of a question's answer in an edition, then its metadata.

    The English edition shows the English answer, then the Korean one; the Korean
    edition the Korean answer, with the English one in a dropdown below it. The
    section and lab are ``{ref}`` roles, so a label that does not exist is a build
    warning (an error under ``-W``), and each link goes to that anchor.
    """
    english = q["answer"].rstrip().splitlines()
    korean = q["answer_ko"].rstrip().splitlines() if q.get("answer_ko") else []
    if language == "ko" and korean:
        inner = FENCE[:-1]
        lines = [*korean, "", f"{inner}{{dropdown}} English answer · 영어 답변", *english, inner]
    else:
        lines = english
        if korean:
            lines += ["", "**한국어 답변 · In Korean**", "", *korean]
    facts = []
    if "difficulty" in q:
        facts.append(f"난이도 · Level: {q['difficulty']} ({DIFFICULTIES[q['difficulty']]})")
    if q.get("tags"):
        facts.append("태그 · Tags: " + ", ".join(f"`{tag}`" for tag in q["tags"]))
    if q.get("section"):
        facts.append(f"설명 · Explained in: {{ref}}`{q['section']}`")
    if q.get("lab"):
        facts.append(f"실습 · Lab: {{ref}}`{q['lab']}`")
    if facts:
        lines += ["", " · ".join(facts)]
    return lines


class MermaidFrom(SphinxDirective):
    """Render the mermaid source returned by ``module:function`` (no arguments)."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        target = self.arguments[0]
        module_name, _, func_name = target.partition(":")
        if not module_name or not func_name:
            raise self.error(f"mermaid-from: expected module:function, got {target!r}")
        try:
            func = getattr(importlib.import_module(module_name), func_name)
        except (ImportError, AttributeError) as exc:
            raise self.error(f"mermaid-from: cannot load {target}: {exc}") from exc
        source = func()
        if not isinstance(source, str) or not source.strip():
            raise self.error(f"mermaid-from: {target} returned no mermaid source")
        lines = ["```{mermaid}", *source.strip().splitlines(), "```"]
        box = nodes.container(classes=["mermaid-from"])
        self.state.nested_parse(StringList(lines, source=target), self.content_offset, box)
        return [box]


@contextlib.contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing): one process at a time
    fills a cache shared by builds that run at once (the two editions, the tests' workers)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_atomically(path: Path, data: bytes | str) -> None:
    """Write a file of a cache shared by builds: a build that runs at the same time
    (the other edition, a test's copy of the repository) sees the old file or the new
    one, never a part of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(raw)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the course's directives."""
    app.setup_extension("netlab_answers")
    app.add_config_value("netlab_require_metadata", REQUIRE_METADATA, "env", [bool])
    app.add_directive("interview-questions", InterviewQuestions)
    app.add_directive("mermaid-from", MermaidFrom)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
