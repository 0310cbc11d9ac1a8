"""Baselines for netlab.typescript: a valid call of each callable with required arguments.

Node and mypy are real. The calls that run the compiler or Amaro get a toolchain whose
``tsc`` and ``amaro`` are stand-ins (``fake_tools/``: one Node start, no compiling), so
that several hundred calls stay within the test's minute; ``toolchain=None`` still
reaches the real compiler. ToolchainError is the domain error for a tool that is
missing, a folder that holds none (``find_toolchain(root="no-such-name")``) or a run
longer than ``timeout_s``.
"""

from pathlib import Path

from fuzz_harness import Baseline

from netlab.typescript import Diagnostic, Toolchain, ToolchainError, find_toolchain

FAKE = Toolchain(node=find_toolchain().node,
                 tsc=Path(__file__).resolve().parent / "fake_tools" / "typescript" / "bin" / "tsc")

SOURCE = 'const port: number = "8080";\nconsole.log(port);\nexport {};\n'
TSC_LINE = "snippet.mts(1,7): error TS2322: Type 'string' is not assignable to type 'number'.\n"
MYPY_LINE = 'snippet.py:1:10: error: Incompatible types in assignment  [assignment]\n'
DIAGNOSTICS = [Diagnostic(1, 7, "TS2322", "Type 'string' is not assignable to type 'number'.")]

BASELINES = {
    "typecheck": Baseline(args=(SOURCE,), kwargs={"toolchain": FAKE},
                          domain_errors=(ToolchainError,)),
    "typecheck_many": Baseline(args=({"a": SOURCE, "b": "export const b = 1;\n"},),
                               kwargs={"toolchain": FAKE}, domain_errors=(ToolchainError,)),
    "compile_and_run": Baseline(args=(SOURCE,), kwargs={"toolchain": FAKE},
                                domain_errors=(ToolchainError,)),
    "strip_types": Baseline(args=(SOURCE,), kwargs={"toolchain": FAKE},
                            domain_errors=(ToolchainError,)),
    "js_error": Baseline(args=("TypeError: a.b is not a function\n",)),
    "parse_tsc_output": Baseline(args=(TSC_LINE,)),
    "parse_mypy_output": Baseline(args=(MYPY_LINE,)),
    "expected_diagnostics": Baseline(args=(SOURCE + "x(); // error: TS2304\n",)),
    "snippet_options": Baseline(args=("// @noUncheckedIndexedAccess: true\nlet a = 1;\n",)),
    "codes": Baseline(args=(DIAGNOSTICS,)),
    "escape_hatches": Baseline(args=("const a: any = 1 as number;\n",)),
    "format_diagnostics": Baseline(args=(DIAGNOSTICS,)),
    "load_snippet": Baseline(args=("keyof",)),
    "snippet_path": Baseline(args=("keyof",)),
    "snippet_report": Baseline(args=("emit-on-error",), kwargs={"toolchain": FAKE},
                               domain_errors=(ToolchainError,)),
    "mypy_check": Baseline(args=("x: int = 1\n",), domain_errors=(ToolchainError,)),
    "run_python": Baseline(args=("print(1)\n",), domain_errors=(ToolchainError,)),
    "find_repo_root": Baseline(domain_errors=(ToolchainError,)),
    "find_toolchain": Baseline(domain_errors=(ToolchainError,)),
    "tsc_version": Baseline(kwargs={"toolchain": FAKE}, domain_errors=(ToolchainError,)),
}
