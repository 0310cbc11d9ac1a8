"""The book's structure: table of contents, labs, chapters, questions and config."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))
from netlab_book import (  # noqa: E402
    REQUIRE_METADATA,
    load_questions,
    missing_metadata,
    walk_questions,
)

TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
LABS = sorted((ROOT / "labs").glob("*.ipynb"))
CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]-*.md"))
QUESTION_FILES = sorted((ROOT / "chapters" / "questions").glob("*.yml"))
FIXTURE_QUESTIONS = ROOT / "tests" / "data" / "book" / "chapters" / "questions" / "99-fixture.yml"
CHAPTER_SECTIONS = ["## In one minute", "## What the notes say, precisely", "## Labs",
                    "## Interview questions", "## Key numbers", "## Further reading"]


def _toc_files(node: object) -> list[str]:
    files: list[str] = []
    if isinstance(node, dict):
        if "file" in node:
            files.append(node["file"])
        for value in node.values():
            files += _toc_files(value)
    elif isinstance(node, list):
        for item in node:
            files += _toc_files(item)
    return files


TOC_FILES = [TOC["root"], *_toc_files(TOC["parts"])]


def _source(entry: str) -> Path | None:
    for suffix in (".md", ".ipynb"):
        if (ROOT / f"{entry}{suffix}").is_file():
            return ROOT / f"{entry}{suffix}"
    return None


def test_every_toc_entry_exists_once() -> None:
    missing = [entry for entry in TOC_FILES if _source(entry) is None]
    assert not missing, f"_toc.yml lists files that do not exist: {missing}"
    assert len(TOC_FILES) == len(set(TOC_FILES)), "an entry appears twice in _toc.yml"


def test_every_lab_and_chapter_is_in_the_toc() -> None:
    listed = set(TOC_FILES)
    for path in [*LABS, *CHAPTERS]:
        entry = str(path.relative_to(ROOT).with_suffix(""))
        assert entry in listed, f"{entry} is not in _toc.yml"


def test_labs_sit_under_their_own_chapter() -> None:
    for part in TOC["parts"]:
        for chapter in part["chapters"]:
            number = Path(chapter["file"]).name[:2]
            for section in chapter.get("sections", []):
                assert Path(section["file"]).name[:2] == number, (chapter, section)


def _code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


@pytest.mark.parametrize("lab", LABS, ids=[lab.stem for lab in LABS])
def test_lab_follows_the_house_skeleton(lab: Path) -> None:
    nb = json.loads(lab.read_text(encoding="utf-8"))
    first = "".join(nb["cells"][0]["source"])
    assert re.match(r"\(lab-[a-z0-9-]+\)=\n# Lab \d+", first), "first cell: (lab-label)= and '# Lab N'"
    text = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    for heading in ("**Goal", "## Setup", "What you should see", "## Try it", "## Exercises"):
        assert heading in text, f"{lab.name}: missing {heading!r}"
    assert "{dropdown}" in text, f"{lab.name}: exercises need solutions in a dropdown"
    code = [("".join(c["source"]), c) for c in _code_cells(nb)]
    assert any(re.search(r"^SEED = \d+$", src, re.M) for src, _ in code), "no SEED = N in setup"
    checks = [c for src, c in code if "hide-input" in c["metadata"].get("tags", [])]
    assert checks and all("assert" in "".join(c["source"]) for c in checks), "hidden cells check"
    assert any("ipywidgets" in src for src, _ in code), "Try it needs an ipywidgets control"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("lab", LABS, ids=[lab.stem for lab in LABS])
def test_lab_has_outputs_and_no_errors(lab: Path) -> None:
    nb = json.loads(lab.read_text(encoding="utf-8"))
    for i, cell in enumerate(_code_cells(nb)):
        assert cell.get("execution_count") is not None, f"code cell {i} was never run"
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", f"code cell {i} stores an error"
            assert not (output["output_type"] == "stream" and output["name"] == "stderr"
                        and "Traceback" in "".join(output["text"])), f"cell {i}: traceback"
    counts = [c["execution_count"] for c in _code_cells(nb)]
    assert counts == list(range(1, len(counts) + 1)), "run top to bottom in one kernel"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_chapter_has_the_house_sections_in_order(chapter: Path) -> None:
    text = chapter.read_text(encoding="utf-8")
    assert re.match(r"\([a-z0-9-]+\)=\n# \d+\. ", text), "chapter starts with a label and '# N. Title'"
    positions = [text.find(f"\n{heading}\n") for heading in CHAPTER_SECTIONS]
    missing = [h for h, p in zip(CHAPTER_SECTIONS, positions, strict=True) if p < 0]
    assert not missing, f"missing sections: {missing}"
    assert positions == sorted(positions), "house sections out of order"
    assert f"```{{interview-questions}} {chapter.stem}.yml" in text


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_interview_questions_are_well_formed(chapter: Path) -> None:
    questions = load_questions(ROOT / "chapters" / "questions" / f"{chapter.stem}.yml")
    assert len(questions) >= 4
    assert any(q.get("follow_ups") for q in questions), "no follow-up chain"
    for q in questions:
        assert re.search(r"[\uac00-\ud7a3]", q["ko"]), f"{q['id']}: ko is not Korean"


def test_question_ids_are_unique_across_the_book() -> None:
    ids: list[str] = []

    def walk(items: list[dict]) -> None:
        for q in items:
            ids.append(q["id"])
            walk(q.get("follow_ups") or [])

    for path in sorted((ROOT / "chapters" / "questions").glob("*.yml")):
        walk(load_questions(path))
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"question ids used twice: {duplicates}"


# MyST's dollarmath reads a pair of ``$`` outside code as math: a TypeScript template
# literal type (`${string}`) written in a code span that holds backticks of its own fell
# out of the span and was typeset, loading MathJax on the chapter (a third of its weight).
_FENCES = re.compile(r"^(\s*)```.*?^\1```", re.M | re.S)
_SPANS = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
_DOLLAR_PAIR = re.compile(r"(?<![\\$])\$(?=\S)[^$\n]+(?<=\S)\$(?!\d)")


def _math_outside_code(text: str) -> list[str]:
    return _DOLLAR_PAIR.findall(_SPANS.sub("", _FENCES.sub("", text)))


def test_no_answer_is_typeset_as_math_by_accident() -> None:
    found = []
    for path in sorted((ROOT / "chapters" / "questions").glob("*.yml")):
        for q in walk_questions(load_questions(path)):
            for key in ("answer", "answer_ko"):
                found += [f"{q.question['id']}.{key}: {m}" for m in _math_outside_code(
                    q.question.get(key) or "")]
    assert not found, found[:5]


def test_the_math_guard_sees_a_broken_code_span() -> None:
    assert _math_outside_code("`type A = `${string}:${infer N}`` ok")
    assert not _math_outside_code("`` type A = `${string}` `` and `$ssl_protocol`")
    assert not _math_outside_code("```ts\ntype A = `${string}:${infer N}`;\n```")


def _known_config_keys() -> dict:
    import jupyter_book

    package = Path(jupyter_book.__file__).parent
    schema = json.loads((package / "config_schema.json").read_text(encoding="utf-8"))
    defaults = yaml.safe_load((package / "default_config.yml").read_text(encoding="utf-8"))
    known: dict = {}
    for key, spec in schema["properties"].items():
        known[key] = set(spec.get("properties", {}))
    for key, value in defaults.items():
        known.setdefault(key, set())
        if isinstance(value, dict):
            known[key] |= set(value)
    return known


def test_config_keys_are_known_to_jupyter_book() -> None:
    known = _known_config_keys()
    for key, value in CONFIG.items():
        assert key in known, f"_config.yml: unknown key {key!r} (Jupyter Book ignores it)"
        if isinstance(value, dict) and key != "sphinx" and known[key]:
            unknown = set(value) - known[key]
            assert not unknown, f"_config.yml: unknown keys under {key}: {sorted(unknown)}"
    assert set(CONFIG["sphinx"]) <= known["sphinx"]


def test_config_has_what_readers_expect() -> None:
    assert CONFIG["repository"]["url"].startswith("https://github.com/")
    assert CONFIG["launch_buttons"]["binderhub_url"] and CONFIG["launch_buttons"]["thebe"]
    assert CONFIG["execute"]["execute_notebooks"] == "cache"
    assert "labs/*" in CONFIG["execute"]["exclude_patterns"], "labs render committed outputs"
    assert CONFIG["bibtex_bibfiles"] == ["references.bib"]
    for extension in ("sphinxcontrib.mermaid", "sphinx_exercise"):
        assert extension in CONFIG["sphinx"]["extra_extensions"]


def test_binder_environment_installs_netlab_itself() -> None:
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert "-e ." in lines, "Binder must install the course's own package"


def test_nothing_speaks_of_the_machine_it_was_made_on() -> None:
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    pattern = re.compile(r"(/work/|/tmp/|/root/|/home/\w+)")
    offenders = []
    for name in tracked:
        path = ROOT / name
        if path.suffix in {".png", ".pcap", ".der", ".bin"} or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        if name != "tests/test_book.py" and pattern.search(text):
            offenders.append(name)
    assert not offenders, f"machine paths in: {offenders}"


def test_drill_page_rehearses_every_chapters_questions() -> None:
    drill = (ROOT / "drill.md").read_text(encoding="utf-8")
    for path in sorted((ROOT / "chapters" / "questions").glob("*.yml")):
        assert f"```{{interview-questions}} {path.name}" in drill, f"drill.md lacks {path.name}"
    assert "drill" in TOC_FILES


# --- question metadata (difficulty, tags, section, lab, answer_ko) ------------------------------

def test_question_schema_reads_every_key() -> None:
    questions = load_questions(FIXTURE_QUESTIONS, require_metadata=False)
    entries = list(walk_questions(questions))
    assert [e.label for e in entries] == ["Q1", "Q1.1", "Q1.1.1", "Q1.1.1.1", "Q2", "Q3"]
    assert [e.depth for e in entries] == [0, 1, 2, 3, 0, 0]
    # A follow-up inherits its parent's section unless it names its own.
    assert [e.section for e in entries] == ["fx-open", "fx-open", "fx-open", "fx-close",
                                           "fx-close", None]
    assert entries[2].parent == "fx-why-three"
    assert missing_metadata(questions) == ["fx-no-metadata: difficulty, tags, section"]
    with pytest.raises(ValueError, match="fx-no-metadata: difficulty, tags, section"):
        load_questions(FIXTURE_QUESTIONS, require_metadata=True)


BAD_METADATA = {
    "difficulty 4": ("difficulty: 1", "difficulty: 4", "difficulty must be 1"),
    "difficulty as text": ("difficulty: 1", "difficulty: '1'", "difficulty must be 1"),
    "difficulty true": ("difficulty: 1", "difficulty: true", "difficulty must be 1"),
    "no tags": ("tags: [handshake]", "tags: []", "tags must be a list of 1-4"),
    "five tags": ("tags: [handshake]", "tags: [a, b, c, d, e]", "tags must be a list of 1-4"),
    "tag in capitals": ("tags: [handshake]", "tags: [Handshake]", "tags must be a list"),
    "tag twice": ("tags: [handshake]", "tags: [handshake, handshake]", "tags must be a list"),
    "section with a space": ("section: fx-open", "section: fx open", "section must be"),
    "lab as a list": ("lab: fx-lab-step-1", "lab: [fx-lab-step-1]", "lab must be"),
    "answer_ko in English": ("클라이언트가 SYN을 보내고, 서버가 SYN-ACK으로 답하고, "
                             "클라이언트가 ACK을 보냅니다.",
                             "The client sends a SYN, the server answers, the client sends an ACK",
                             "answer_ko must be"),
    "id not kebab-case": ("id: fx-handshake", "id: fx_handshake", "id must be kebab-case"),
    "unknown key": ("difficulty: 1", "difficulty: 1\n  level: 1", "unknown \\['level'\\]"),
}


@pytest.mark.parametrize("case", BAD_METADATA, ids=list(BAD_METADATA))
def test_question_schema_refuses_bad_metadata(case: str, tmp_path: Path) -> None:
    old, new, message = BAD_METADATA[case]
    text = FIXTURE_QUESTIONS.read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "99-bad.yml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        load_questions(bad)


def test_question_metadata_is_complete() -> None:
    """Lists the question files that still lack metadata; fails once it is required."""
    gaps = {path.name: missing_metadata(load_questions(path, require_metadata=False))
            for path in QUESTION_FILES}
    lacking = {name: len(g) for name, g in gaps.items() if g}
    if lacking and not REQUIRE_METADATA:
        pytest.skip("questions without difficulty/tags/section, per file: "
                    + ", ".join(f"{name} {n}" for name, n in sorted(lacking.items())))
    assert not lacking, {name: g for name, g in gaps.items() if g}


def _labels() -> set[str]:
    """Every MyST target ``(label)=`` written in a chapter, a lab or a top-level page."""
    texts = [p.read_text(encoding="utf-8") for p in [*ROOT.glob("*.md"), *CHAPTERS]]
    for lab in LABS:
        nb = json.loads(lab.read_text(encoding="utf-8"))
        texts += ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    return {m for text in texts for m in re.findall(r"^\(([^)\s]+)\)=\s*$", text, re.M)}


def test_question_sections_and_labs_exist() -> None:
    """Fast form of what the strict build enforces: each section and lab label exists."""
    labels = _labels()
    dangling = [f"{path.name}: {e.question['id']} -> {e.question[key]}"
                for path in QUESTION_FILES for e in walk_questions(load_questions(path))
                for key in ("section", "lab") if key in e.question and e.question[key] not in labels]
    assert not dangling, dangling
