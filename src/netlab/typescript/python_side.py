"""The Python parallel: check a snippet with mypy, run it with the same interpreter.

Python annotations are not enforced by the interpreter either, and a separate checker
(mypy) reads them. Unlike TypeScript's types they are not erased: the interpreter keeps
them at run time (``__annotations__``, ``typing.get_type_hints``), which is what lets
libraries such as pydantic validate data against them.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from netlab._validate import Seconds, public
from netlab.typescript.compiler import MAX_SOURCE_CHARS
from netlab.typescript.diagnostics import Diagnostic, parse_mypy_output
from netlab.typescript.toolchain import ToolchainError

MYPY_HINT = "install it into the course's environment with `pip install mypy`"
_MYPY_FLAGS = ["--strict", "--show-column-numbers", "--show-error-codes",
               "--no-error-summary", "--no-color-output"]
# mypy's cache of the standard library's stubs, kept for the life of this process only
# (a second check takes about a fifth of the first one's CPU time). Each snippet is a
# new file, so nothing about one snippet is reused for another.
_cache: tempfile.TemporaryDirectory[str] | None = None


def _cache_dir() -> str:
    global _cache
    if _cache is None:
        _cache = tempfile.TemporaryDirectory(prefix="netlab-mypy-cache-")
    return _cache.name


def _check_python_source(source: object) -> str:
    if not isinstance(source, str) or not source.strip():
        raise ValueError("source must be a non-empty Python program (a str with code)")
    if len(source) > MAX_SOURCE_CHARS:
        raise ValueError(f"source must be at most {MAX_SOURCE_CHARS} characters, "
                         f"got {len(source)}")
    return source


@public
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
        stdout, stderr, status = api.run([*_MYPY_FLAGS, "--cache-dir", _cache_dir(), str(path)])
    if status not in (0, 1) and not parse_mypy_output(stdout):
        raise ValueError(f"mypy could not check the source: {stderr.strip()[:300]}")
    return parse_mypy_output(stdout)


@public
def run_python(source: str, *, timeout_s: Seconds = 30.0) -> tuple[str, str]:
    """Run ``source`` in a fresh interpreter; return (stdout, last line of any traceback)."""
    _check_python_source(source)
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
