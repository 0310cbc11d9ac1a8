"""Shared fixtures: the strict book build, run once per test session."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUILD_DIR = ROOT / "_build"


@dataclass(frozen=True)
class Build:
    """The result of ``make book``: both editions, each built with ``-W -n --keep-going``."""

    returncode: int
    log: str
    html: Path  # the English edition (and the site root)
    html_ko: Path  # the Korean edition, _build/html/ko


@pytest.fixture(scope="session")
def strict_build() -> Build:
    """Build both editions with warnings as errors (tools/editions.py, as ``make book``)."""
    cmd = [sys.executable, str(ROOT / "tools" / "editions.py"), "--path-output", str(ROOT)]
    env = {**os.environ, "PYTHONWARNINGS": "ignore::DeprecationWarning"}
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900, env=env)
    return Build(proc.returncode, proc.stdout + proc.stderr, BUILD_DIR / "html", BUILD_DIR / "html" / "ko")
