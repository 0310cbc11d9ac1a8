"""Find Node.js and the pinned TypeScript compiler, and run them with a timeout.

The compiler is the npm ``typescript`` package pinned in the repository's
``package.json`` and installed by ``npm ci`` into ``node_modules/``. It is found
relative to the repository root (located from this package's own path, or given
explicitly), never through a machine-specific path. TypeScript 7 is the native port:
``node_modules/.bin/tsc`` is a small JavaScript launcher that starts a Go executable
shipped in the platform package ``@typescript/typescript-<os>-<arch>``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import PlainValidator

from netlab._validate import Seconds, public, result

TSC_RELATIVE = Path("node_modules") / ".bin" / "tsc"
NPM_HINT = "run `npm ci` (or `npm install`) in the repository root, next to package.json"
NODE_HINT = ("install Node.js 18 or newer (Debian/Ubuntu: `apt-get install nodejs npm`; "
             "elsewhere see nodejs.org) and make sure `node` is on PATH")


def _as_path(value: Any) -> Path:
    if isinstance(value, str | os.PathLike) and not isinstance(value, bytes):
        text = os.fspath(value)
        if not isinstance(text, str) or "\x00" in text:
            raise ValueError("must be a folder path without NUL characters")
        return Path(text)
    raise ValueError("must be a folder path (a str or pathlib.Path)")


# A folder given by the reader: a str or a pathlib.Path, checked before it is used.
FolderPath = Annotated[Path, PlainValidator(_as_path)]


class ToolchainError(RuntimeError):
    """Node.js or the TypeScript compiler is missing or did not finish in time."""


@result
@dataclass(frozen=True)
class Toolchain:
    """The two programs a TypeScript lab needs: a ``node`` executable and ``tsc``."""

    node: str
    tsc: Path

    @property
    def node_modules(self) -> Path:
        """The ``node_modules`` folder the compiler was installed into."""
        return self.tsc.parents[2]  # node_modules/typescript/bin/tsc


def _candidate_roots(start: Path) -> list[Path]:
    return [start, *start.parents]


@public
def find_repo_root(start: FolderPath | None = None) -> Path:
    """Return the nearest folder at or above ``start`` holding ``node_modules/.bin/tsc``."""
    origin = Path(__file__).resolve().parent if start is None else Path(start).resolve()
    for folder in _candidate_roots(origin):
        if (folder / TSC_RELATIVE).exists():
            return folder
    raise ToolchainError(
        f"TypeScript compiler not found: no {TSC_RELATIVE.as_posix()} in {origin.name!r} "
        f"or any folder above it; {NPM_HINT}"
    )


@public
def find_toolchain(root: FolderPath | None = None, *, node: str = "node") -> Toolchain:
    """Locate ``node`` on PATH and ``tsc`` under ``root`` (default: found from this package)."""
    if not node or "\x00" in node:
        raise ValueError(f"node must be a non-empty program name or path, got {node!r}")
    node_path = shutil.which(node)
    if node_path is None:
        raise ToolchainError(f"Node.js not found (looked for {node!r}); {NODE_HINT}")
    if root is None:
        repo = find_repo_root()
    else:
        repo = Path(root)
        if not (repo / TSC_RELATIVE).exists():
            raise ToolchainError(
                f"TypeScript compiler not found: {TSC_RELATIVE.as_posix()} is missing under "
                f"the given root {repo.name!r}; {NPM_HINT}"
            )
    return Toolchain(node=node_path, tsc=(repo / TSC_RELATIVE).resolve())


def plain_env() -> dict[str, str]:
    """Return this process's environment with colour turned off for Node and tsc."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "CLICOLOR_FORCE")}
    env.update(NO_COLOR="1", NODE_DISABLE_COLORS="1")
    return env


def run_program(argv: list[str], *, cwd: Path, timeout_s: float,
                stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``argv`` in ``cwd`` with no colours, capturing text; raise on timeout.

    Internal: its callers have checked ``timeout_s`` (a :data:`netlab._validate.Seconds`).
    """
    try:
        return subprocess.run(argv, cwd=cwd, input=stdin,
                              stdin=subprocess.DEVNULL if stdin is None else None,
                              capture_output=True, text=True, timeout=timeout_s,
                              check=False, env=plain_env())
    except subprocess.TimeoutExpired as exc:
        name = Path(argv[1] if len(argv) > 1 else argv[0]).name
        raise ToolchainError(f"{name} did not finish within timeout_s={timeout_s:g} s") from exc
    except FileNotFoundError as exc:
        raise ToolchainError(f"cannot start {argv[0]!r}; {NODE_HINT}") from exc


@public
def tsc_version(toolchain: Toolchain | None = None, *, timeout_s: Seconds = 30.0) -> str:
    """Return the pinned compiler's version string, e.g. ``'7.0.2'``."""
    tools = toolchain or find_toolchain()
    if not tools.tsc.exists():
        raise ToolchainError(f"TypeScript compiler not found at the given toolchain's tsc; "
                             f"{NPM_HINT}")
    done = run_program([tools.node, str(tools.tsc), "--version"], cwd=tools.tsc.parent,
                       timeout_s=timeout_s)
    return done.stdout.strip().removeprefix("Version ").strip()
