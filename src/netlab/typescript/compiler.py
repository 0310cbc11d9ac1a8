"""Type-check a TypeScript snippet with the pinned ``tsc``, or compile it and run it with Node.

Each call writes the snippet to a fresh temporary folder as ``snippet.mts`` (an ES
module, so snippets never share globals), runs the real compiler there, and parses
its ``--pretty false`` output into :class:`Diagnostic` records.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from netlab._validate import Seconds, public, result
from netlab.typescript.diagnostics import Diagnostic, parse_tsc_output
from netlab.typescript.toolchain import (
    NPM_HINT,
    Toolchain,
    ToolchainError,
    find_toolchain,
    run_program,
)

MAX_SOURCE_CHARS = 100_000
SNIPPET_NAME = "snippet.mts"
EMITTED_NAME = "snippet.mjs"
# What every snippet is compiled with unless the caller overrides it.
DEFAULT_OPTIONS: dict[str, bool | int | str] = {"strict": True, "target": "es2022",
                                                "module": "esnext"}
# Options that decide where files go or how tsc runs: this module manages them.
MANAGED_OPTIONS = frozenset({
    "build", "composite", "declarationDir", "diagnostics", "extendedDiagnostics",
    "generateTrace", "help", "incremental", "init", "listEmittedFiles", "listFiles",
    "noEmit", "out", "outDir", "outFile", "pretty", "project", "rootDir", "rootDirs",
    "showConfig", "tsBuildInfoFile", "version", "watch",
})
_OPTION_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
_JS_ERROR = re.compile(r"^(?P<name>[A-Za-z]*Error)(?: \[[A-Z_]+\])?: (?P<message>.*)$")


@result
@dataclass(frozen=True)
class CheckResult:
    """What ``tsc`` said about a snippet: its diagnostics and its exit code."""

    diagnostics: tuple[Diagnostic, ...]
    exit_code: int

    @property
    def codes(self) -> list[str]:
        """The diagnostic codes in source order."""
        return [d.code for d in self.diagnostics]


@result
@dataclass(frozen=True)
class RunResult:
    """A compile-then-run: diagnostics, whether JavaScript was emitted, and what Node printed."""

    diagnostics: tuple[Diagnostic, ...]
    tsc_exit_code: int
    emitted: bool
    javascript: str
    stdout: str
    error: str
    node_exit_code: int | None

    @property
    def codes(self) -> list[str]:
        """The diagnostic codes in source order."""
        return [d.code for d in self.diagnostics]

    @property
    def lines(self) -> list[str]:
        """The lines the program printed to standard output."""
        return self.stdout.splitlines()


def _check_source(source: object) -> str:
    if not isinstance(source, str) or not source.strip():
        raise ValueError("source must be a non-empty TypeScript program (a str with code)")
    if len(source) > MAX_SOURCE_CHARS:
        raise ValueError(f"source must be at most {MAX_SOURCE_CHARS} characters, "
                         f"got {len(source)}")
    return source


# Compiler options as a reader passes them: {"strict": True, "target": "es2022"}.
Options = Mapping[str, bool | int | str]


@public
def compiler_flags(options: Options | None = None) -> list[str]:
    """Turn ``{'strict': True, 'target': 'es2022'}`` into tsc flags, defaults first."""
    return _flags(options)


def _flags(options: Options | None) -> list[str]:
    merged: dict[str, bool | int | str] = dict(DEFAULT_OPTIONS)
    merged.update(options or {})
    flags = []
    for name, value in merged.items():
        if not _OPTION_NAME.match(name):
            raise ValueError(f"options keys must be tsc option names like 'strict', got {name!r}")
        if name in MANAGED_OPTIONS:
            raise ValueError(f"options[{name!r}] is managed by netlab.typescript; allowed: "
                             "any other tsc compiler option")
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, int | str) and str(value).strip():
            text = str(value)
        else:
            raise ValueError(f"options[{name!r}] must be a bool, int or non-empty str, "
                             f"got {value!r}")
        flags += [f"--{name}", text]
    return flags


def _run_tsc(tools: Toolchain, folder: Path, flags: list[str],
             timeout_s: float, files: tuple[str, ...] = (SNIPPET_NAME,)) -> tuple[list[Diagnostic], int]:
    if not tools.tsc.exists():
        raise ToolchainError(f"TypeScript compiler not found at the given toolchain's tsc; "
                             f"{NPM_HINT}")
    argv = [tools.node, str(tools.tsc), "--pretty", "false", *flags, *files]
    done = run_program(argv, cwd=folder, timeout_s=timeout_s)
    diagnostics = parse_tsc_output(done.stdout + "\n" + done.stderr)
    global_errors = [d for d in diagnostics if d.line == 0 and d.category == "error"]
    if global_errors:
        first = global_errors[0]
        raise ValueError(f"options rejected by tsc: {first.code}: {first.message}")
    if done.returncode not in (0, 1, 2) or (done.returncode and not diagnostics):
        raise ToolchainError(f"tsc failed with exit code {done.returncode} and no diagnostics: "
                             f"{(done.stderr or done.stdout).strip()[:300]}")
    return diagnostics, done.returncode


@contextmanager
def _snippet_folder(source: str, options: Options | None,
                    toolchain: Toolchain | None) -> Iterator[tuple[Toolchain, Path, list[str]]]:
    """Check the arguments, then yield (toolchain, a temporary folder holding the snippet, flags)."""
    _check_source(source)
    flags = _flags(options)
    tools = toolchain or find_toolchain()
    with tempfile.TemporaryDirectory(prefix="netlab-ts-") as tmp:
        folder = Path(tmp)
        (folder / SNIPPET_NAME).write_text(source, encoding="utf-8")
        yield tools, folder, flags


@public
def typecheck(source: str, *, options: Options | None = None,
              toolchain: Toolchain | None = None, timeout_s: Seconds = 60.0) -> CheckResult:
    """Type-check ``source`` with ``tsc --noEmit`` and return its structured diagnostics."""
    with _snippet_folder(source, options, toolchain) as (tools, folder, flags):
        diagnostics, exit_code = _run_tsc(tools, folder, ["--noEmit", *flags], timeout_s)
    return CheckResult(diagnostics=tuple(diagnostics), exit_code=exit_code)


_FILE_STEM = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_FILES = 100


@public
def typecheck_many(sources: Mapping[str, str], *, options: Options | None = None,
                   toolchain: Toolchain | None = None,
                   timeout_s: Seconds = 120.0) -> dict[str, CheckResult]:
    """Type-check several modules in one ``tsc --noEmit`` run; one result per name.

    Each source is written as ``<name>.mts`` (names are lowercase words joined by '-').
    Every result carries the exit code of that one run. Much cheaper than one
    :func:`typecheck` per source: the compiler starts and loads its libraries once.
    """
    if not sources or len(sources) > MAX_FILES:
        raise ValueError(f"sources must map 1 to {MAX_FILES} names to programs, got {len(sources)}")
    for name, source in sources.items():
        if not _FILE_STEM.match(name):
            raise ValueError(f"sources keys must be lowercase words joined by '-', got {name!r}")
        try:
            _check_source(source)
        except ValueError as exc:
            raise ValueError(f"sources[{name!r}]: {exc}") from None
    flags = _flags(options)
    tools = toolchain or find_toolchain()
    with tempfile.TemporaryDirectory(prefix="netlab-ts-") as tmp:
        folder = Path(tmp)
        for name, source in sources.items():
            (folder / f"{name}.mts").write_text(source, encoding="utf-8")
        files = tuple(f"{name}.mts" for name in sources)
        diagnostics, exit_code = _run_tsc(tools, folder, ["--noEmit", *flags], timeout_s, files)
    return {name: CheckResult(tuple(d for d in diagnostics if d.file == f"{name}.mts"), exit_code)
            for name in sources}


@public
def js_error(stderr: str) -> str:
    """Return the ``TypeError: ...`` line of an uncaught exception in Node's stderr, or ''."""
    for raw in stderr.splitlines():
        match = _JS_ERROR.match(raw.strip())
        if match:
            return f"{match['name']}: {match['message']}"
    return ""


@public
def compile_and_run(source: str, *, options: Options | None = None,
                    toolchain: Toolchain | None = None, timeout_s: Seconds = 60.0) -> RunResult:
    """Compile ``source`` with ``tsc`` and, if JavaScript was emitted, run it with Node."""
    with _snippet_folder(source, options, toolchain) as (tools, folder, flags):
        diagnostics, exit_code = _run_tsc(tools, folder, ["--outDir", "out", *flags],
                                          timeout_s)
        emitted_path = folder / "out" / EMITTED_NAME
        if not emitted_path.exists():
            return RunResult(tuple(diagnostics), exit_code, emitted=False, javascript="",
                             stdout="", error="", node_exit_code=None)
        javascript = emitted_path.read_text(encoding="utf-8")
        done = run_program([tools.node, str(emitted_path)], cwd=folder, timeout_s=timeout_s)
    return RunResult(tuple(diagnostics), exit_code, emitted=True, javascript=javascript,
                     stdout=done.stdout, error=js_error(done.stderr),
                     node_exit_code=done.returncode)
