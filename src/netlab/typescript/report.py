"""One text report per snippet: what the checker said and what the program did."""

from __future__ import annotations

from netlab._check import check_choice
from netlab.typescript.compiler import compile_and_run
from netlab.typescript.diagnostics import format_diagnostics
from netlab.typescript.python_side import mypy_check, run_python
from netlab.typescript.snippets import load_snippet, snippet_names


def _check_flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return value


def snippet_report(name: str, *, strict: bool = True, no_emit_on_error: bool = False,
                   language: str = "typescript") -> str:
    """Check and run snippet ``name``; return diagnostics, exit code, output and any crash."""
    check_choice("language", language, ("typescript", "python"))
    check_choice("name", name, snippet_names(language))
    _check_flag("strict", strict)
    _check_flag("no_emit_on_error", no_emit_on_error)
    source = load_snippet(name, language)
    if language == "python":
        stdout, error = run_python(source)
        lines = [f"mypy --strict on {name}.py:", format_diagnostics(mypy_check(source)),
                 "python printed:", *[f"  {line}" for line in stdout.splitlines()]]
        return "\n".join(lines + ([f"python raised: {error}"] if error else []))
    result = compile_and_run(source, options={"strict": strict,
                                              "noEmitOnError": no_emit_on_error})
    lines = [f"tsc on {name}.mts (strict={strict}, noEmitOnError={no_emit_on_error}):",
             format_diagnostics(result.diagnostics),
             f"tsc exit code {result.tsc_exit_code}; JavaScript emitted: {result.emitted}"]
    if result.emitted:
        lines += ["node printed:", *[f"  {line}" for line in result.lines]]
        if result.error:
            lines.append(f"node crashed: {result.error}")
    return "\n".join(lines)
