"""Probes for chapter 6's facts file: what the pinned compilers on this machine do.

Each probe returns the value the pinned compiler shows, or None where it is not
installed. They run ``tsc`` directly, with no options but the ones they name, so that
the compiler's own defaults are what they measure.

Most of a ``tsc`` run on a snippet is the compiler loading and checking its standard
library, so the snippet probes share runs: every chapter snippet whose header asks for
the same options is checked in one run, each as its own ``<name>.mts`` (an ES module:
the files share no scope), and the codes are read back per file. Each run is made once
per process. A snippet that could reach into another's scope (``declare global``,
``declare module``) is checked alone.
"""

from __future__ import annotations

import platform
import tempfile
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from netlab._validate import public
from netlab.typescript.diagnostics import parse_tsc_output, snippet_options
from netlab.typescript.python_side import mypy_check
from netlab.typescript.snippets import load_snippet, snippet_names
from netlab.typescript.toolchain import (
    ToolchainError,
    find_repo_root,
    find_toolchain,
    run_program,
    tsc_version,
)

__all__ = ["compiler_language", "exit_code", "javascript_api", "option_diagnostic", "pinned_version",
           "python_snippet_codes", "snippet_codes", "strict_by_default"]

_ONE_ERROR = 'const port: number = "8080";\nexport {};\n'
_IMPLICIT_ANY = "export function echo(x) { return x; }\n"
_CASES = {
    "no-emit": ["--noEmit"],              # errors, nothing written because of --noEmit
    "emit": ["--outDir", "out"],          # errors, JavaScript written anyway
    "no-emit-on-error": ["--outDir", "out", "--noEmitOnError", "true"],
}


def _check(source: str, flags: list[str]) -> tuple[int, list[str]] | None:
    found = _check_files({"snippet": source}, flags)
    return None if found is None else (found[0], found[1]["snippet"])


def _check_files(sources: dict[str, str],
                 flags: Iterable[str]) -> tuple[int, dict[str, list[str]]] | None:
    """One tsc run over ``<name>.mts`` for each source: its exit code and each file's codes.

    A diagnostic that names no file (an option tsc refuses) belongs to every file, as it
    would in a run of that file alone.
    """
    try:
        tools = find_toolchain()
    except ToolchainError:
        return None
    files = [f"{name}.mts" for name in sources]
    with tempfile.TemporaryDirectory(prefix="netlab-probe-") as tmp:
        for name, source in sources.items():
            (Path(tmp) / f"{name}.mts").write_text(source, encoding="utf-8")
        done = run_program([tools.node, str(tools.tsc), "--pretty", "false", *flags, *files],
                           cwd=Path(tmp), timeout_s=30.0 + 2.0 * len(files))
    diagnostics = parse_tsc_output(done.stdout + done.stderr)
    return done.returncode, {name: [d.code for d in diagnostics if d.file in ("", file)]
                             for name, file in zip(sources, files, strict=True)}


@public
def pinned_version() -> str | None:
    """The version of the compiler under node_modules, e.g. '7.0.2'."""
    try:
        return tsc_version()
    except ToolchainError:
        return None


@public
def compiler_language() -> str | None:
    """'Go' when the pinned tsc runs a Go executable (the native port), 'JavaScript' when not."""
    try:
        root = find_repo_root()
    except ToolchainError:
        return None
    machine = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(
        platform.machine().lower(), platform.machine().lower())
    system = {"linux": "linux", "darwin": "darwin", "windows": "win32"}[platform.system().lower()]
    folder = root / "node_modules" / "@typescript" / f"typescript-{system}-{machine}" / "lib"
    executable = folder / ("tsc.exe" if system == "win32" else "tsc")
    if not executable.exists():
        return "JavaScript" if (root / "node_modules/typescript/lib/typescript.js").exists() else None
    return "Go" if b"\xff Go buildinf:" in executable.read_bytes() else "native, not Go"


@public
def javascript_api() -> bool | None:
    """Whether the installed typescript package still ships the JavaScript compiler API."""
    try:
        root = find_repo_root()
    except ToolchainError:
        return None
    return (root / "node_modules" / "typescript" / "lib" / "typescript.js").exists()


@public
def exit_code(case: str) -> int | None:
    """tsc's exit code for a file with one type error: case 'no-emit', 'emit' or 'no-emit-on-error'."""
    if case not in _CASES:
        raise ValueError(f"case must be one of {', '.join(_CASES)}, got {case!r}")
    found = _check(_ONE_ERROR, ["--strict", "true", *_CASES[case]])
    return None if found is None else found[0]


@public
def strict_by_default() -> bool | None:
    """Whether tsc with no options reports an implicit any (TS7006), i.e. strict is on."""
    found = _check(_IMPLICIT_ANY, ["--noEmit"])
    return None if found is None else "TS7006" in found[1]


@public
def option_diagnostic(option: str, value: str) -> str | None:
    """The code the pinned tsc answers ``--option value`` with ('' when it accepts it)."""
    found = _check("export const a = 1;\n", ["--noEmit", f"--{option}", value])
    return None if found is None else ",".join(found[1])


def _snippet_flags(source: str) -> tuple[str, ...]:
    flags = ["--noEmit", "--target", "es2022", "--module", "esnext"]
    for option, value in snippet_options(source).items():
        flags += [f"--{option}", str(value).lower() if isinstance(value, bool) else str(value)]
    return tuple(flags)


_OWN_RUN = ("declare global", "declare module")


@cache
def _snippet_runs() -> dict[str, tuple[str, ...]]:
    """Each snippet's run: the names checked with it (same flags), itself first if alone."""
    groups: dict[tuple[str, ...], list[str]] = {}
    runs: dict[str, tuple[str, ...]] = {}
    for name in snippet_names():
        source = load_snippet(name)
        if any(word in source for word in _OWN_RUN):
            runs[name] = (name,)
        else:
            groups.setdefault(_snippet_flags(source), []).append(name)
    for names in groups.values():
        runs.update(dict.fromkeys(names, tuple(names)))
    return runs


@cache
def _run_codes(names: tuple[str, ...]) -> dict[str, list[str]] | None:
    sources = {name: load_snippet(name) for name in names}
    found = _check_files(sources, _snippet_flags(sources[names[0]]))
    return None if found is None else found[1]


@public
def snippet_codes(name: str) -> list[str] | None:
    """The diagnostic codes of chapter snippet ``name``, compiled with its header options."""
    load_snippet(name)  # refuses an unknown name, naming the argument
    found = _run_codes(_snippet_runs()[name])
    return None if found is None else list(found[name])


@public
def python_snippet_codes(name: str) -> list[str]:
    """mypy's error codes for the chapter's Python snippet ``name``."""
    return [d.code for d in mypy_check(load_snippet(name, "python"))]
