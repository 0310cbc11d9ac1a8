"""The Python parallel: check a snippet with mypy, run it with the same interpreter.

Python annotations are erased in the same sense as TypeScript's: the interpreter
does not enforce them, and a separate checker (mypy) reads them.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from netlab._check import check_positive
from netlab.typescript.compiler import MAX_SOURCE_CHARS
from netlab.typescript.diagnostics import Diagnostic, parse_mypy_output
from netlab.typescript.toolchain import ToolchainError

MYPY_HINT = "install it into the course's environment with `pip install mypy`"
_MYPY_FLAGS = ["--strict", "--show-column-numbers", "--show-error-codes",
               "--no-error-summary", "--no-color-output", "--no-incremental",
               "--cache-dir", "/dev/null" if sys.platform != "win32" else "nul"]


def _check_python_source(source: object) -> str:
    if not isinstance(source, str) or not source.strip():
        raise ValueError("source must be a non-empty Python program (a str with code)")
    if len(source) > MAX_SOURCE_CHARS:
        raise ValueError(f"source must be at most {MAX_SOURCE_CHARS} characters, "
                         f"got {len(source)}")
    return source


def mypy_check(source: str) -> list[Diagnostic]:
    """Type-check ``source`` with mypy in strict mode and return its error diagnostics."""
    _check_python_source(source)
    try:
        from mypy import api
    except ImportError as exc:
        raise ToolchainError(f"mypy is not installed; {MYPY_HINT}") from exc
    with tempfile.TemporaryDirectory(prefix="netlab-py-") as tmp:
        path = Path(tmp) / "snippet.py"
        path.write_text(source, encoding="utf-8")
        stdout, stderr, status = api.run([*_MYPY_FLAGS, str(path)])
    if status not in (0, 1):
        raise ValueError(f"mypy could not check the source: {stderr.strip()[:300]}")
    return parse_mypy_output(stdout)


def run_python(source: str, *, timeout_s: float = 30.0) -> tuple[str, str]:
    """Run ``source`` in a fresh interpreter; return (stdout, last line of any traceback)."""
    _check_python_source(source)
    check_positive("timeout_s", timeout_s)
    with tempfile.TemporaryDirectory(prefix="netlab-py-") as tmp:
        path = Path(tmp) / "snippet.py"
        path.write_text(source, encoding="utf-8")
        try:
            done = subprocess.run([sys.executable, "-I", str(path)], cwd=tmp,
                                  stdin=subprocess.DEVNULL, capture_output=True, text=True,
                                  timeout=timeout_s, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ToolchainError(f"python did not finish within timeout_s={timeout_s:g} s") \
                from exc
    tail = done.stderr.strip().splitlines()
    return done.stdout, (tail[-1] if done.returncode != 0 and tail else "")
