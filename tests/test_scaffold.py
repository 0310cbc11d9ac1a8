"""Forking the course: the notes part, ``make new-chapter``, and the intro's fork guide.

The scaffold test copies the repository (its tracked files, with this checkout's
``.venv`` and ``node_modules`` linked in) into a temporary folder, runs
``make new-chapter`` there, then the structure tests that concern the new chapter
and the strict build. Nothing in this checkout is touched.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
SLUG, TITLE, PKG = "scaffold-check", "Scaffold check", "scaffold_check"


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> str:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, f"{' '.join(cmd)} exited {proc.returncode}:\n{out[-5000:]}"
    return out


def _copy_repository(target: Path) -> None:
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, files):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for shared in (".venv", "node_modules"):
        (target / shared).symlink_to(ROOT / shared, target_is_directory=True)
    drawings = ROOT / "_build" / ".mermaid-svg"  # diagrams already drawn: not drawn again
    if drawings.is_dir():
        shutil.copytree(drawings, target / "_build" / ".mermaid-svg")
    # A repository of its own, so that the tests that read `git ls-files` see the new files.
    git = ["git", "-c", "user.name=scaffold", "-c", "user.email=scaffold@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=target, check=True)


def test_new_chapter_passes_the_structure_tests_and_the_strict_build(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    _copy_repository(repo)
    # netlab is installed in editable mode from this checkout: the copy's own src comes first.
    env = {**os.environ, "PYTHONPATH": str(repo / "src"), "PYTHONWARNINGS": "ignore::DeprecationWarning"}
    env.pop("PYTEST_XDIST_WORKER", None)
    stamp = ".venv/.installed"  # the environment exists: make must not rebuild it
    out = _run(["make", "-o", stamp, "new-chapter", f"SLUG={SLUG}", f"TITLE={TITLE}"], repo, env)
    written = re.findall(r"^wrote (\S+)$", out, re.M)
    nn = f"{max(int(p.name[:2]) for p in (ROOT / 'chapters').glob('[0-9][0-9]-*.md')) + 1:02d}"
    assert sorted(written) == sorted([
        f"chapters/{nn}-{SLUG}.md", f"chapters/questions/{nn}-{SLUG}.yml",
        f"chapters/facts/{nn}-{SLUG}.yml", f"chapters/selfcheck/{nn}-{SLUG}.yml",
        f"labs/{nn}-{SLUG}.ipynb",
        f"src/netlab/{PKG}/__init__.py", f"tests/{PKG}/test_{PKG}.py"]), out
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    pytest_cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-m", "not book"]
    # Everything about the book's structure, and the new package's own tests ...
    _run([*pytest_cmd, "tests/test_book.py", "tests/test_cite.py", f"tests/{PKG}"], repo, env)
    # ... and the per-chapter tests for the new chapter: facts, lab regression, fuzzing.
    _run([*pytest_cmd, "tests/test_facts.py", "tests/test_notebooks.py", "tests/test_fuzz.py",
          "-k", f"{nn}-{SLUG} or {PKG} or every_facts_file"], repo, env)
    build = _run([str(ROOT / ".venv" / "bin" / "jupyter-book"), "build", str(repo), "-W", "-n",
                  "--keep-going"], repo, env)
    warnings = [line for line in build.splitlines() if re.search(r"\b(WARNING|ERROR)\b", line)]
    assert not warnings, "\n".join(warnings)
    page = (repo / "_build" / "html" / "chapters" / f"{nn}-{SLUG}.html").read_text(encoding="utf-8")
    assert TITLE in page and "self-check" in page


def test_new_chapter_refuses_a_bad_slug_and_a_taken_one(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    from new_chapter import scaffold

    with pytest.raises(SystemExit, match="kebab-case"):
        scaffold(tmp_path, "DNS Basics", "DNS")
    (tmp_path / "chapters").mkdir()
    (tmp_path / "chapters" / "01-dns.md").write_text("# 1. DNS\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="already there"):
        scaffold(tmp_path, "dns", "DNS", run_lab=False)


# --- the notes part and the fork guide ----------------------------------------------------------

def _toc_files(node: object) -> list[str]:
    if isinstance(node, dict):
        return ([node["file"]] if "file" in node else []) + [f for v in node.values() for f in _toc_files(v)]
    if isinstance(node, list):
        return [f for item in node for f in _toc_files(item)]
    return []


def test_notes_part_lists_every_note_and_sits_outside_the_chapters() -> None:
    parts = {part["caption"]: _toc_files(part) for part in TOC["parts"]}
    assert "Notes" in parts, "_toc.yml has no Notes part"
    notes = {str(p.relative_to(ROOT).with_suffix("")) for p in (ROOT / "notes").glob("*.md")}
    assert notes and notes == set(parts["Notes"]), (notes, parts["Notes"])
    assert not [f for f in parts["Notes"] if f.startswith("chapters/")]


def _fork_guide() -> str:
    intro = (ROOT / "intro.md").read_text(encoding="utf-8")
    return intro[intro.index("(fork-it)="):]


def test_fork_guide_names_only_commands_the_makefile_has() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.M))
    named = set(re.findall(r"`make ([a-z][a-z-]*)", _fork_guide()))
    assert {"new-chapter", "test", "book", "pdf"} <= named, named
    assert named <= targets, f"the fork guide names make targets the Makefile lacks: {named - targets}"
    assert re.search(r"make new-chapter SLUG=\S+ TITLE=", _fork_guide())


def test_fork_guide_lists_what_the_scaffold_writes() -> None:
    guide = _fork_guide()
    for place in ("chapters/NN-", "chapters/questions/", "chapters/facts/", "labs/NN-", "netlab.", "notes/"):
        assert place in guide, f"the fork guide does not mention {place}"
