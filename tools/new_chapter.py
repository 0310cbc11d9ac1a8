"""`make new-chapter SLUG=dns-basics TITLE="DNS basics"`: a new chapter that passes every test.

Writes, for the next chapter number NN:

* ``chapters/NN-SLUG.md``: the house sections in order (In one minute, one explanation
  section, What the notes say, Labs, Interview questions, Key numbers, Further reading);
* ``chapters/questions/NN-SLUG.yml``: four interview questions, one with a follow-up
  chain, with every key the question schema has (``ko``, ``en``, ``answer``,
  ``answer_ko``, ``difficulty``, ``tags``, ``section``);
* ``chapters/facts/NN-SLUG.yml``: one fact, rendered by ``{key-numbers}`` and quoted in
  the prose with ``{fact}``;
* ``chapters/selfcheck/NN-SLUG.yml``: one self-check question, placed with
  ``{self-check}`` at the end of the explanation section;
* ``labs/NN-SLUG.ipynb``: the lab skeleton (Goal, Setup with ``SEED = 7``, a step, a
  "What you should see" box and its hidden check, Try it with a slider, Exercises),
  executed here so that its outputs are committed;
* ``src/netlab/PKG/__init__.py`` (PKG is SLUG with underscores) with one public,
  validated function the lab calls, and ``tests/PKG/test_PKG.py``;
* the entries in ``_toc.yml`` (the chapter and its lab) and in ``drill.md``.

Every file says where the real content goes. Nothing existing is overwritten: the
command refuses a slug, number or package that is taken. ``tests/test_scaffold.py``
runs it in a copy of the repository, then the structure tests and the strict build.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def next_number(root: Path) -> int:
    """One more than the highest chapter number."""
    numbers = [int(p.name[:2]) for p in (root / "chapters").glob("[0-9][0-9]-*.md")]
    return max(numbers, default=0) + 1


def chapter_md(n: int, slug: str, title: str, pkg: str) -> str:
    nn = f"{n:02d}"
    return f"""({slug})=
# {n}. {title}

## In one minute

Write here the answer you would give in an interview, in about five lines. This chapter
was scaffolded by `make new-chapter`; its lab calls `netlab.{pkg}.squares`, which returns
the first {{fact}}`{slug}-example-count` squares.

({slug}-basics)=
## The explanation

Explain the mechanism here, with diagrams written as text and every number taken from
the chapter's facts file (`chapters/facts/{nn}-{slug}.yml`).

```{{mermaid}}
sequenceDiagram
    participant A as Client
    participant B as Server
    A->>B: request
    B-->>A: response
```

```{{self-check}} {slug}-basics
```

## What the notes say, precisely

Quote the claims of your notes on this topic that are wrong or loose, and correct each
with its source.

## Labs

::::{{grid}} 1
:::{{grid-item-card}} Lab {n}: {title}
:link: lab-{slug}
:link-type: ref
What the lab shows, in one sentence.
:::
::::

## Interview questions

```{{interview-questions}} {nn}-{slug}.yml
```

## Key numbers

```{{key-numbers}} {nn}-{slug}.yml
```

## Further reading

- Add the sources you cite to `references.bib` (at the end of the file) and cite them
  with `{{cite}}`.
"""


def questions_yml(slug: str) -> str:
    section = f"{slug}-basics"

    def q(qid: str, ko: str, en: str, answer: str, answer_ko: str, difficulty: int,
          tags: list[str], indent: int, extra: str = "") -> str:
        pad = " " * indent
        lines = [f"{pad}- id: {slug}-{qid}", f"{pad}  ko: \"{ko}\"", f"{pad}  en: \"{en}\"",
                 f"{pad}  answer: \"{answer}\"", f"{pad}  answer_ko: \"{answer_ko}\"",
                 f"{pad}  difficulty: {difficulty}", f"{pad}  tags: [{', '.join(tags)}]"]
        if indent == 0:
            lines.append(f"{pad}  section: {section}")
        return "\n".join(lines) + ("\n" + extra if extra else "")

    follow = q("why-follow-up", "꼬리 질문: 왜 그런가요?", "Follow-up: why is that?",
               "Replace with the follow-up's answer.", "꼬리 질문의 답을 여기에 쓰세요.", 2,
               ["scaffold"], 4)
    items = [
        q("what-is-it", "이것은 무엇인가요?", "What is it?", "Replace with the answer.",
          "답을 여기에 쓰세요.", 1, ["scaffold"], 0, "  follow_ups:\n" + follow),
        q("why-use-it", "왜 사용하나요?", "Why is it used?", "Replace with the answer.",
          "답을 여기에 쓰세요.", 1, ["scaffold"], 0),
        q("how-does-it-work", "어떻게 동작하나요?", "How does it work?", "Replace with the answer.",
          "답을 여기에 쓰세요.", 2, ["scaffold"], 0),
        q("what-can-go-wrong", "무엇이 잘못될 수 있나요?", "What can go wrong?",
          "Replace with the answer.", "답을 여기에 쓰세요.", 3, ["scaffold"], 0),
    ]
    return ("# Interview questions of this chapter (schema: SCHEMAS.md section 2). Replace the\n"
            "# placeholders; keep ids stable once readers use them.\n" + "\n".join(items) + "\n")


def facts_yml(slug: str) -> str:
    return f"""# Key numbers of this chapter. Schema: src/netlab/facts.py. Rendered by {{key-numbers}};
# quoted in prose with {{fact}}`id`. Replace this example with the chapter's numbers.
- id: {slug}-example-count
  what: Squares the lab's first step prints
  value: 5
  unit: values
  kind: model
  scope: this course's example (the scaffold's lab)
  source: ref:{slug}
"""


def selfcheck_yml(slug: str) -> str:
    return f"""# Self-checks of this chapter (schema: SCHEMAS.md section 3), 1-3 at the end of each
# major section, placed with {{self-check}} <section label>. Replace this example.
- id: {slug}-first-check
  section: {slug}-basics
  type: choice
  prompt: "How many values does the lab's first step print?"
  prompt_ko: "실습의 첫 단계는 값을 몇 개 출력하나요?"
  choices:
    - text: "5"
      correct: true
      why: "squares(5) returns the squares of 0 to 4."
    - text: "4"
      why: "range(5) has five numbers, 0 to 4."
  explanation: "Replace with what the reader should take away."
"""


def package_py(title: str, pkg: str) -> str:
    return f'''"""{title}: the code behind this chapter's lab (scaffolded; replace with the real engine)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from netlab._validate import public

__all__ = ["squares"]


@public
def squares(count: Annotated[int, Field(ge=0, le=1000)] = 5) -> list[int]:
    """The squares of 0 .. count-1 (an example of a pure, validated lab function)."""
    return [i * i for i in range(count)]
'''


def test_py(pkg: str) -> str:
    return f'''"""netlab.{pkg}: replace with tests of the chapter's engine."""

import pytest

from netlab import {pkg}


def test_squares_of_the_first_five() -> None:
    assert {pkg}.squares(5) == [0, 1, 4, 9, 16]


def test_a_negative_count_is_refused_naming_the_argument() -> None:
    with pytest.raises(ValueError, match="count"):
        {pkg}.squares(-1)
'''


def lab_notebook(n: int, slug: str, title: str, pkg: str) -> dict:
    def md(text: str) -> dict:
        return {"cell_type": "markdown", "metadata": {}, "source": text}

    def code(text: str, tags: list[str] | None = None) -> dict:
        return {"cell_type": "code", "execution_count": None, "metadata": {"tags": tags} if tags else {},
                "outputs": [], "source": text}

    cells = [
        md(f"(lab-{slug})=\n# Lab {n}: {title}\n\n**Goal.** Say in two lines what this lab shows.\n"
           f"Chapter: {{ref}}`{slug}-basics`."),
        md("## Setup"),
        code(f"from ipywidgets import IntSlider, interact\n\nfrom netlab import {pkg}\n\nSEED = 7"),
        md(f"(lab-{slug}-step-1)=\n## 1. A first result\n\nReplace with the lab's first step."),
        code(f"values = {pkg}.squares(5)\nprint(values)"),
        md(":::{admonition} What you should see\n:class: tip\nFive values, **0, 1, 4, 9, 16**.\n:::"),
        code("assert values == [0, 1, 4, 9, 16], values", ["hide-input"]),
        md("## Try it\n\nMove the slider. The first line is one static call of the same function."),
        code(f"print({pkg}.squares(3))"),
        code(f"interact(lambda count: print({pkg}.squares(count)),\n"
             "         count=IntSlider(value=3, min=0, max=10, description=\"count\"));"),
        md("## Exercises\n\n1. Replace with an exercise.\n\n```{dropdown} Solution\n"
           "Replace with its solution.\n```"),
    ]
    for i, cell in enumerate(cells, start=1):
        cell["id"] = f"{slug}-{i}"[-64:]
    return {"cells": cells, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                                        "name": "python3"}},
            "nbformat": 4, "nbformat_minor": 5}


def execute(path: Path, src: Path) -> None:
    """Run the lab once in a fresh kernel so that it is committed with its outputs."""
    import os

    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    os.environ["PYTHONPATH"] = os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")])
    NotebookClient(nb, timeout=120, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    nbformat.write(nb, str(path))


def add_to_toc(root: Path, chapter: str, lab: str) -> None:
    """Append the chapter (with its lab) to the part that holds the chapters."""
    toc = root / "_toc.yml"
    text = toc.read_text(encoding="utf-8")
    entry = f"      - file: {chapter}\n        sections:\n          - file: {lab}\n"
    # The part's lines: its caption, "chapters:", then every line indented deeper.
    match = re.search(r"  - caption: Chapters and labs\n    chapters:\n(?: {6,}.*\n)*", text)
    if match is None:
        raise SystemExit("_toc.yml: no 'Chapters and labs' part to add the chapter to")
    toc.write_text(text[:match.end()] + entry + text[match.end():], encoding="utf-8")


def add_to_drill(root: Path, n: int, slug: str, title: str) -> None:
    drill = root / "drill.md"
    drill.write_text(drill.read_text(encoding="utf-8").rstrip("\n") +
                     f"\n\n## {n}. {title}\n\nChapter: {{ref}}`{slug}`.\n\n"
                     f"```{{interview-questions}} {n:02d}-{slug}.yml\n```\n", encoding="utf-8")


def scaffold(root: Path, slug: str, title: str, run_lab: bool = True) -> list[Path]:
    """Write every file of a new chapter under ``root``; return them."""
    if not SLUG.match(slug):
        raise SystemExit(f"SLUG must be kebab-case letters and digits (dns-basics), got {slug!r}")
    if not title.strip():
        raise SystemExit("TITLE must not be empty")
    n = next_number(root)
    nn = f"{n:02d}"
    pkg = slug.replace("-", "_")
    paths = {
        "chapter": root / "chapters" / f"{nn}-{slug}.md",
        "questions": root / "chapters" / "questions" / f"{nn}-{slug}.yml",
        "facts": root / "chapters" / "facts" / f"{nn}-{slug}.yml",
        "selfcheck": root / "chapters" / "selfcheck" / f"{nn}-{slug}.yml",
        "lab": root / "labs" / f"{nn}-{slug}.ipynb",
        "package": root / "src" / "netlab" / pkg / "__init__.py",
        "test": root / "tests" / pkg / f"test_{pkg}.py",
    }
    taken = [p for p in paths.values() if p.exists()]
    taken += [p for p in (root / "chapters").glob(f"[0-9][0-9]-{slug}.md")]
    if taken or (root / "src" / "netlab" / pkg).exists():
        raise SystemExit(f"already there, nothing written: {[str(p.relative_to(root)) for p in taken]}")
    contents = {
        "chapter": chapter_md(n, slug, title, pkg), "questions": questions_yml(slug),
        "facts": facts_yml(slug), "selfcheck": selfcheck_yml(slug),
        "package": package_py(title, pkg), "test": test_py(pkg),
        "lab": json.dumps(lab_notebook(n, slug, title, pkg), indent=1, ensure_ascii=False) + "\n",
    }
    for key, path in paths.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(contents[key], encoding="utf-8")
    add_to_toc(root, f"chapters/{nn}-{slug}", f"labs/{nn}-{slug}")
    add_to_drill(root, n, slug, title)
    if run_lab:
        execute(paths["lab"], root / "src")
    return list(paths.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("slug", help="kebab-case name, e.g. dns-basics")
    parser.add_argument("title", help='the chapter title, e.g. "DNS basics"')
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args()
    for path in scaffold(args.root, args.slug, args.title):
        print(f"wrote {path.relative_to(args.root)}")
    print("added to _toc.yml and drill.md; next: make test")
    return 0


if __name__ == "__main__":
    sys.exit(main())
