import sys
from pathlib import Path

import pytest

from netlab.typescript import (
    ToolchainError,
    compile_and_run,
    find_repo_root,
    find_toolchain,
    typecheck,
)
from netlab.typescript.toolchain import Toolchain, run_program


def test_toolchain_is_found_from_the_package_location():
    tools = find_toolchain()
    assert tools.tsc.name == "tsc"
    assert tools.tsc.parent.parent.name == "typescript"  # .bin/tsc resolves into the package
    assert (find_repo_root() / "package.json").exists()


def test_missing_compiler_says_which_command_installs_it(tmp_path):
    with pytest.raises(ToolchainError, match=r"node_modules/.bin/tsc is missing.*`npm ci`"):
        find_toolchain(tmp_path)
    with pytest.raises(ToolchainError, match=r"TypeScript compiler not found.*`npm ci`"):
        find_repo_root(tmp_path)


def test_missing_node_says_which_command_installs_it():
    with pytest.raises(ToolchainError, match=r"Node.js not found.*apt-get install nodejs"):
        find_toolchain(node="netlab-no-such-node")


def test_missing_node_on_path_is_reported_by_typecheck(monkeypatch):
    monkeypatch.setenv("PATH", "")
    with pytest.raises(ToolchainError, match="Node.js not found"):
        typecheck("export const a = 1;\n")


def test_a_toolchain_whose_compiler_vanished_fails_clearly(tmp_path):
    tools = Toolchain(node=find_toolchain().node, tsc=tmp_path / "tsc")
    with pytest.raises(ToolchainError, match="TypeScript compiler not found.*`npm ci`"):
        compile_and_run("export const a = 1;\n", toolchain=tools)


def test_a_compiler_that_crashes_is_not_mistaken_for_diagnostics(tmp_path):
    broken = tmp_path / "tsc"
    broken.write_text("process.stderr.write('boom'); process.exit(1);\n")
    tools = Toolchain(node=find_toolchain().node, tsc=broken)
    with pytest.raises(ToolchainError, match="tsc failed with exit code 1 and no diagnostics: boom"):
        typecheck("export const a = 1;\n", toolchain=tools)


def test_a_hanging_program_is_stopped_by_the_timeout(tmp_path):
    argv = [sys.executable, "-c", "import time; time.sleep(30)"]
    with pytest.raises(ToolchainError, match=r"did not finish within timeout_s=0.3 s"):
        run_program(argv, cwd=tmp_path, timeout_s=0.3)


def test_a_program_that_cannot_start_is_reported(tmp_path):
    with pytest.raises(ToolchainError, match="cannot start"):
        run_program([str(tmp_path / "nothing")], cwd=tmp_path, timeout_s=5)


@pytest.mark.parametrize("node", ["", "no\x00de"])
def test_node_name_is_validated(node):
    with pytest.raises(ValueError, match="node must be a non-empty program name or path"):
        find_toolchain(node=node)


@pytest.mark.parametrize("junk", [b"/", 3, "a\x00b"])
def test_junk_folders_are_rejected_naming_the_argument(junk):
    with pytest.raises(ValueError, match="^find_repo_root: start: must be a folder path"):
        find_repo_root(junk)
    with pytest.raises(ValueError, match="^find_toolchain: root: must be a folder path"):
        find_toolchain(junk)


def test_explicit_root_is_accepted():
    root = find_repo_root()
    assert find_toolchain(Path(root)).tsc == find_toolchain().tsc
