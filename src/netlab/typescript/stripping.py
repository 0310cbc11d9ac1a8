"""Type stripping as Node.js does it: Amaro, the library Node embeds, in strip-only mode.

Node.js 22.6 and later can run a ``.ts`` file by deleting its type syntax (replacing it
with spaces, so positions do not move) and running what is left; it never type-checks.
It refuses TypeScript syntax that has run-time meaning (``enum``, ``namespace`` with
code, parameter properties, ``import =``): that syntax cannot be deleted. The library
doing this inside Node is Amaro (npm ``amaro``, pinned in ``package.json``); this module
runs it through Node on any Node version, so a lab can show what Node would refuse.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from netlab._validate import Seconds, public, result
from netlab.typescript.compiler import MAX_SOURCE_CHARS
from netlab.typescript.toolchain import NPM_HINT, Toolchain, ToolchainError, find_toolchain, run_program

# Reads the source on stdin, prints {"code": ...} or {"error": {"code", "message"}}.
_STRIP_JS = """
const amaro = require(process.argv[1]);
let source = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { source += chunk; });
process.stdin.on("end", () => {
  try {
    const { code } = amaro.transformSync(source, { mode: "strip-only" });
    process.stdout.write(JSON.stringify({ code }));
  } catch (e) {
    const message = String(e && e.message || e).split("\\n")[0];
    process.stdout.write(JSON.stringify({ error: { code: String(e && e.code || e.name), message } }));
  }
});
"""


@result
@dataclass(frozen=True)
class StripResult:
    """What Node's type stripping made of a source: the JavaScript, or why it refused."""

    javascript: str
    error_code: str
    error: str

    @property
    def refused(self) -> bool:
        """True when the source uses syntax that cannot be erased."""
        return bool(self.error_code)


@public
def strip_types(source: str, *, toolchain: Toolchain | None = None,
                timeout_s: Seconds = 30.0) -> StripResult:
    """Strip the types from ``source`` the way Node.js does (Amaro, strip-only mode)."""
    if not source.strip() or len(source) > MAX_SOURCE_CHARS:
        raise ValueError(f"source must be a non-empty TypeScript program of at most "
                         f"{MAX_SOURCE_CHARS} characters")
    tools = toolchain or find_toolchain()
    amaro = tools.node_modules / "amaro"
    if not (amaro / "package.json").exists():
        raise ToolchainError(f"Amaro (Node's type stripper) not found in node_modules; {NPM_HINT}")
    done = run_program([tools.node, "-e", _STRIP_JS, str(amaro)], cwd=tools.node_modules,
                       timeout_s=timeout_s, stdin=source)
    try:
        answer = json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        raise ToolchainError(f"node failed while stripping types: {done.stderr.strip()[:300]}") \
            from exc
    if "error" in answer:
        return StripResult("", answer["error"]["code"], answer["error"]["message"])
    return StripResult(answer["code"], "", "")
