"""Sphinx directives the course's pages use.

``interview-questions``
    Renders ``chapters/questions/<file>.yml``: each chapter keeps its interview
    questions (Korean and English, answers, follow-up chains) in one YAML file, so
    a drill page or a quiz can reuse them. The schema is checked here and in the
    tests (``tests/test_book.py``).

``mermaid-from``
    Renders a mermaid diagram returned by a function of ``netlab``
    (``module:function``), so a diagram shown in a chapter is generated from the
    same code the labs and tests run and cannot disagree with it.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import yaml
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

QUESTION_KEYS = {"id", "ko", "en", "answer", "follow_ups", "answer_ko", "difficulty", "tags",
                 "section", "lab"}
REQUIRED_KEYS = {"id", "ko", "en", "answer"}
FENCE = "``````"


def load_questions(path: Path) -> list[dict[str, Any]]:
    """Load a question file and check its schema; raise ValueError naming the problem."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
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
        if q["id"] in seen:
            raise ValueError(f"{path.name}: duplicate id {q['id']!r}")
        seen.add(q["id"])
        for i, child in enumerate(q.get("follow_ups") or []):
            check(child, f"{where}.follow_ups[{i}]")

    for i, question in enumerate(data):
        check(question, f"question[{i}]")
    return data


class InterviewQuestions(SphinxDirective):
    """Render a chapter's interview questions with answers in dropdowns."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        path = Path(self.env.srcdir) / "chapters" / "questions" / self.arguments[0]
        if not path.is_file():
            raise self.error(f"interview-questions: no file chapters/questions/{path.name}")
        self.env.note_dependency(str(path))
        try:
            questions = load_questions(path)
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
        lines = [f"{prefix} {q['ko'].strip()}", "", f"*{q['en'].strip()}*", "",
                 f"{FENCE}{{dropdown}} 답 · Answer", *q["answer"].rstrip().splitlines(), FENCE]
        self.state.nested_parse(StringList(lines, source=source), self.content_offset, box)
        for i, child in enumerate(q.get("follow_ups") or [], start=1):
            box += self._render(child, f"{label}.{i}", depth + 1, source)
        return box


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


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the course's directives."""
    app.add_directive("interview-questions", InterviewQuestions)
    app.add_directive("mermaid-from", MermaidFrom)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
