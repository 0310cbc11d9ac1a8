"""TypeScript generics and type safety, checked by the real compiler (chapter 6)."""

from netlab.typescript.compiler import (
    DEFAULT_OPTIONS,
    CheckResult,
    RunResult,
    compile_and_run,
    compiler_flags,
    js_error,
    typecheck,
    typecheck_many,
)
from netlab.typescript.diagnostics import (
    Diagnostic,
    codes,
    expected_diagnostics,
    format_diagnostics,
    parse_mypy_output,
    parse_tsc_output,
    snippet_options,
)
from netlab.typescript.python_side import mypy_check, run_python
from netlab.typescript.report import snippet_report
from netlab.typescript.snippets import escape_hatches, load_snippet, snippet_names, snippet_path
from netlab.typescript.stripping import StripResult, strip_types
from netlab.typescript.toolchain import (
    Toolchain,
    ToolchainError,
    find_repo_root,
    find_toolchain,
    tsc_version,
)

__all__ = [
    "DEFAULT_OPTIONS", "CheckResult", "Diagnostic", "RunResult", "StripResult", "Toolchain",
    "ToolchainError", "codes", "compile_and_run", "compiler_flags", "escape_hatches",
    "expected_diagnostics",
    "find_repo_root", "find_toolchain", "format_diagnostics", "js_error", "load_snippet",
    "mypy_check", "parse_mypy_output", "parse_tsc_output", "run_python", "snippet_names",
    "snippet_options", "snippet_path", "snippet_report", "strip_types", "tsc_version",
    "typecheck", "typecheck_many",
]
