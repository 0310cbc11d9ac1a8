"""One text report per snippet: what the checker said and what the program did."""

from __future__ import annotations

from netlab._validate import public
from netlab.typescript.compiler import Options, compile_and_run
from netlab.typescript.diagnostics import format_diagnostics, snippet_options
from netlab.typescript.python_side import mypy_check, run_python
from netlab.typescript.snippets import Language, load_snippet
from netlab.typescript.toolchain import Toolchain


@public
def snippet_report(name: str, *, strict: bool = True, no_emit_on_error: bool = False,
                   language: Language = "typescript", options: Options | None = None,
                   toolchain: Toolchain | None = None) -> str:
    """Check and run snippet ``name``; return diagnostics, exit code, output and any crash.

    A TypeScript snippet is compiled with the options its header names, then ``options``,
    then ``strict`` and ``noEmitOnError`` as given here.
    """
    source = load_snippet(name, language)
    if language == "python":
        stdout, error = run_python(source)
        lines = [f"mypy --strict on {name}.py:", format_diagnostics(mypy_check(source)),
                 "python printed:", *[f"  {line}" for line in stdout.splitlines()]]
        return "\n".join(lines + ([f"python raised: {error}"] if error else []))
    merged = {**snippet_options(source), **(options or {}), "strict": strict,
              "noEmitOnError": no_emit_on_error}
    result = compile_and_run(source, options=merged, toolchain=toolchain)
    shown = ", ".join(f"{k}={v}" for k, v in merged.items())
    lines = [f"tsc on {name}.mts ({shown}):",
             format_diagnostics(result.diagnostics),
             f"tsc exit code {result.tsc_exit_code}; JavaScript emitted: {result.emitted}"]
    if result.emitted:
        lines += ["node printed:", *[f"  {line}" for line in result.lines]]
        if result.error:
            lines.append(f"node crashed: {result.error}")
    return "\n".join(lines)
