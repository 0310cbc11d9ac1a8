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
    """The result of ``jupyter-book build . -W -n --keep-going``."""

    returncode: int
    log: str
    html: Path


@pytest.fixture(scope="session")
def strict_build() -> Build:
    """Build the book with warnings as errors into ``_build/html`` (cached execution)."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    cmd = [str(jupyter_book), "build", str(ROOT), "-W", "-n", "--keep-going",
           "--path-output", str(ROOT)]
    env = {**os.environ, "PYTHONWARNINGS": "ignore::DeprecationWarning"}
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=900, env=env)
    return Build(proc.returncode, proc.stdout + proc.stderr, BUILD_DIR / "html")
