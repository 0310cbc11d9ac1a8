"""The tiny book under tests/data/book: built with sphinx-build for the practice-page tests."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_BOOK = ROOT / "tests" / "data" / "book"
DECK = "netlab-interview-questions.apkg"


@dataclass(frozen=True)
class FixtureBuild:
    """One strict build of a copy of the fixture book."""

    returncode: int
    log: str
    html: Path


def build_fixture(out: Path, edit: dict[str, tuple[str, str]] | None = None) -> FixtureBuild:
    """Copy the fixture book to ``out/src`` (with ``edit``: file -> (old, new)) and build it strictly."""
    src = out / "src"
    shutil.copytree(FIXTURE_BOOK, src, dirs_exist_ok=True)
    for name, (old, new) in (edit or {}).items():
        path = src / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{name}: {old!r} not found"
        path.write_text(text.replace(old, new), encoding="utf-8")
    html = out / "html"
    cmd = [sys.executable, "-m", "sphinx", "-W", "-n", "--keep-going", "-q", "-b", "html",
           "-d", str(out / "doctrees"), str(src), str(html)]
    env = {**os.environ, "PYTHONWARNINGS": "ignore::DeprecationWarning", "NETLAB_ROOT": str(ROOT)}
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env=env, cwd=ROOT)
    return FixtureBuild(proc.returncode, proc.stdout + proc.stderr, html)


def read_deck(path: Path) -> list[tuple[str, list[str], str]]:
    """The notes of an .apkg file (a zip holding the SQLite collection): (guid, fields, tags)."""
    with zipfile.ZipFile(path) as deck, tempfile.TemporaryDirectory() as tmp:
        collection = Path(deck.extract("collection.anki2", tmp))
        with sqlite3.connect(collection) as db:
            rows = db.execute("SELECT guid, flds, tags FROM notes ORDER BY id").fetchall()
        return [(guid, fields.split("\x1f"), tags) for guid, fields, tags in rows]
