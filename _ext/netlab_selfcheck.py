"""Self-check questions at the end of a chapter's sections, graded in the page.

``self-check`` (one argument: a section label)
    Renders every check of ``chapters/selfcheck/<chapter>.yml`` whose ``section``
    is that label (the file is named after the page that uses the directive) as
    a static HTML form: radio buttons (``choice``), a text field (``number``) or
    a list with move-up/move-down buttons (``order``). ``selfcheck.js`` grades it
    in the page, no kernel, and writes the feedback into a live region that
    screen readers announce. The schema is checked here and in ``tests/test_book.py``.

The build warns (an error under ``-W``) when a directive names a label that is
not a section of its own page, or when a check in a file is never placed.

Why not jupyterquiz (2.9.6.4): it renders a quiz from a code cell that the build
must execute (these chapters are plain Markdown, never executed), it fetches
MathJax from a CDN on pages without math (the site works offline), its questions
are JSON beside the page rather than the chapter's YAML, and its multiple-choice
answers are clickable labels styled as buttons, graded on click, with feedback
written into a plain ``div`` (``multiple_choice.js``), not form controls and a
live region; it has no ordering question. This directive and its script are
about 340 lines.
"""

from __future__ import annotations

import hashlib
import math
import random
from pathlib import Path
from typing import Any

import yaml
from docutils import nodes
from netlab_book import HANGUL, KEBAB
from netlab_practice import MarkupDirective, element, html_element
from sphinx.application import Sphinx
from sphinx.util import logging

from netlab._yaml import load_yaml

logger = logging.getLogger(__name__)

COMMON_KEYS = {"id", "section", "type", "prompt", "prompt_ko", "explanation"}
TYPE_KEYS = {"choice": {"choices"}, "number": {"answer", "tolerance", "unit"}, "order": {"items"}}
CHOICE_KEYS = {"text", "correct", "why"}
MAX_ORDER_ITEMS = 8


def _text(check: dict[str, Any], key: str, where: str) -> str:
    value = check.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}.{key} must be a non-empty string")
    return value


def _check_one(c: Any, where: str) -> None:
    if not isinstance(c, dict):
        raise ValueError(f"{where} is not a mapping")
    kind = c.get("type")
    if kind not in TYPE_KEYS:
        raise ValueError(f"{where}.type must be one of {sorted(TYPE_KEYS)}, got {kind!r}")
    unknown = c.keys() - COMMON_KEYS - TYPE_KEYS[kind]
    if unknown:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)} for type {kind}")
    for key in ("id", "section"):
        if not KEBAB.fullmatch(_text(c, key, where)):
            raise ValueError(f"{where}.{key} must be kebab-case, got {c[key]!r}")
    _text(c, "prompt", where)
    if not HANGUL.search(_text(c, "prompt_ko", where)):
        raise ValueError(f"{where}.prompt_ko must be in Korean")
    if kind != "choice" or "explanation" in c:
        _text(c, "explanation", where)
    if kind == "choice":
        choices = c.get("choices")
        if not isinstance(choices, list) or not 2 <= len(choices) <= 5:
            raise ValueError(f"{where}.choices must list 2-5 options")
        for i, choice in enumerate(choices):
            if not isinstance(choice, dict) or choice.keys() - CHOICE_KEYS:
                raise ValueError(f"{where}.choices[{i}] must have text, why and optionally correct")
            _text(choice, "text", f"{where}.choices[{i}]")
            _text(choice, "why", f"{where}.choices[{i}]")
            if not isinstance(choice.get("correct", False), bool):
                raise ValueError(f"{where}.choices[{i}].correct must be true or false")
        if sum(bool(choice.get("correct")) for choice in choices) != 1:
            raise ValueError(f"{where}.choices: exactly one option must be correct")
    elif kind == "number":
        for key in ("answer", "tolerance"):
            value = c.get(key, 0 if key == "tolerance" else None)
            if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                raise ValueError(f"{where}.{key} must be a number, got {value!r}")
        if c.get("tolerance", 0) < 0:
            raise ValueError(f"{where}.tolerance must be >= 0")
        if "unit" in c:
            _text(c, "unit", where)
    else:
        items = c.get("items")
        if (not isinstance(items, list) or not 2 <= len(items) <= MAX_ORDER_ITEMS
                or not all(isinstance(i, str) and i.strip() for i in items)
                or len(set(items)) != len(items)):
            raise ValueError(f"{where}.items must list 2-{MAX_ORDER_ITEMS} different strings")


def load_selfchecks(path: Path) -> list[dict[str, Any]]:
    """Load a self-check file and check its schema; raise ValueError naming the problem."""
    data = load_yaml(path)
    if not isinstance(data, list) or not data:
        raise ValueError(f"{path.name}: expected a non-empty list of checks")
    seen: set[str] = set()
    for i, check in enumerate(data):
        where = f"{path.name}: check[{i}]"
        _check_one(check, where)
        if check["id"] in seen:
            raise ValueError(f"{where}: duplicate id {check['id']!r}")
        seen.add(check["id"])
    return data


def shuffled_order(check_id: str, count: int) -> list[int]:
    """The positions an order check shows its items in: fixed per id, never already solved."""
    rng = random.Random(int.from_bytes(hashlib.sha256(check_id.encode()).digest()[:8], "big"))
    order = list(range(count))
    while order == sorted(order):
        rng.shuffle(order)
    return order


def selfcheck_file(srcdir: str, docname: str) -> Path:
    """The self-check file of a page: ``chapters/selfcheck/<page name>.yml``."""
    return Path(srcdir) / "chapters" / "selfcheck" / f"{Path(docname).name}.yml"


class SelfCheck(MarkupDirective):
    """Render the self-checks of one section."""

    required_arguments = 1
    has_content = False

    def run(self) -> list[nodes.Node]:
        label = self.arguments[0]
        path = selfcheck_file(self.env.srcdir, self.env.docname)
        if not path.is_file():
            raise self.error(f"self-check: no file chapters/selfcheck/{path.name}")
        self.env.note_dependency(str(path))
        try:
            checks = [c for c in load_selfchecks(path) if c["section"] == label]
        except (ValueError, yaml.YAMLError) as exc:
            raise self.error(f"self-check: {exc}") from exc
        if not checks:
            raise self.error(f"self-check: {path.name} has no check for section {label!r}")
        placed = getattr(self.env, "netlab_selfcheck_sections", {})
        placed.setdefault(self.env.docname, []).append((label, self.lineno))
        self.env.netlab_selfcheck_sections = placed
        box = element("div", class_="self-checks", aria_label="Self-check · 확인 문제", role="group")
        for check in checks:
            box += self._form(check, str(path))
        return [box]

    def _form(self, c: dict[str, Any], source: str) -> html_element:
        base = f"sc-{c['id']}"
        prompt = element("span", element("span", nodes.Text("확인 문제 · Self-check"), class_="sc-kicker"),
                         element("span", *self._inline(c["prompt_ko"]), class_="sc-prompt-ko", lang="ko"),
                         element("span", *self._inline(c["prompt"]), class_="sc-prompt-en", lang="en"),
                         id=f"{base}-prompt", class_="sc-prompt")
        form = element("form", class_=f"self-check sc-{c['type']}", id=base, data_self_check=c["type"],
                       novalidate="novalidate")
        if c["type"] == "choice":
            field = element("fieldset", element("legend", prompt))
            for i, choice in enumerate(c["choices"]):
                correct = "1" if choice.get("correct") else "0"
                option = element("div", class_="sc-option", data_correct=correct)
                option += element("input", type="radio", name=base, id=f"{base}-{i}", value=str(i))
                option += element("label", *self._inline(choice["text"]), for_=f"{base}-{i}")
                option += self._block(choice["why"], source, class_="sc-why", hidden="hidden")
                field += option
            form += field
        elif c["type"] == "number":
            form += element("p", prompt)
            row = element("div", class_="sc-row")
            row += element("label", nodes.Text("답 · Answer"), for_=f"{base}-input")
            row += element("input", type="text", inputmode="decimal", id=f"{base}-input", autocomplete="off",
                           aria_describedby=f"{base}-prompt", data_answer=repr(c["answer"]),
                           data_tolerance=repr(c.get("tolerance", 0)))
            if c.get("unit"):
                row += element("span", nodes.Text(c["unit"]), class_="sc-unit")
            form += row
        else:
            form += element("p", prompt)
            items = element("ol", class_="sc-order-list", aria_describedby=f"{base}-prompt")
            for position in shuffled_order(c["id"], len(c["items"])):
                text = c["items"][position]
                item = element("li", data_position=str(position))
                item += element("span", *self._inline(text), class_="sc-item")
                item += element("button", nodes.Text("↑"), type="button", class_="sc-move",
                                data_move="-1", aria_label=f"Move up: {text}")
                item += element("button", nodes.Text("↓"), type="button", class_="sc-move",
                                data_move="1", aria_label=f"Move down: {text}")
                items += item
            form += items
        form += element("button", nodes.Text("확인 · Check"), type="submit", class_="sc-submit")
        form += element("div", class_="sc-feedback", role="status", aria_live="polite")
        if c.get("explanation"):
            form += self._block(c["explanation"], source, class_="sc-explanation", hidden="hidden")
        return form


def _purge(app: Sphinx, env: Any, docname: str) -> None:
    getattr(env, "netlab_selfcheck_sections", {}).pop(docname, None)


def _merge(app: Sphinx, env: Any, docnames: set[str], other: Any) -> None:
    placed = getattr(env, "netlab_selfcheck_sections", {})
    placed.update({d: v for d, v in getattr(other, "netlab_selfcheck_sections", {}).items()
                   if d in docnames})
    env.netlab_selfcheck_sections = placed


def _check_placement(app: Sphinx, env: Any) -> None:
    """Each directive names a section of its own page; each check of a file is placed."""
    labels = env.domaindata["std"]["labels"]
    for docname, placed in sorted(getattr(env, "netlab_selfcheck_sections", {}).items()):
        for label, lineno in placed:
            if labels.get(label, (None,))[0] != docname:
                logger.warning("self-check: %r is not a section label of this page", label,
                               location=(docname, lineno))
        path = selfcheck_file(env.srcdir, docname)
        unplaced = sorted({c["section"] for c in load_selfchecks(path)} - {lab for lab, _ in placed})
        if unplaced:
            logger.warning("self-check: %s has checks for sections without a {self-check}: %s",
                           path.name, ", ".join(unplaced), location=docname)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the self-check directive."""
    app.setup_extension("netlab_practice")
    app.add_directive("self-check", SelfCheck)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-check-consistency", _check_placement)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
