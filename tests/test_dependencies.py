"""Every dependency declared, and the lab environment alone enough to import netlab.

- deptry: every module that ``src/netlab`` or a lab imports is declared in
  ``pyproject.toml``, and every declared dependency is used.
- ``requirements.txt`` (what Binder installs) pins every runtime dependency that
  ``pyproject.toml`` declares.
- Every netlab module imports in a fresh interpreter that may load only the standard
  library and the distributions ``requirements.txt`` brings in (its pins and their own
  requirements, followed through installed metadata). The development environment has
  many more packages (Sphinx, jupyterlab, nbdime bring ``requests``, for one); this
  catches a module netlab imports that only they provide.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent


def _requirements_txt() -> dict[str, Requirement]:
    pins = {}
    for line in (ROOT / "requirements.txt").read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        req = Requirement(line)
        pins[canonicalize_name(req.name)] = req
    return pins


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    return [Requirement(d) for d in project["dependencies"]]


def test_deptry_finds_no_missing_unused_or_transitive_dependency() -> None:
    deptry = Path(sys.executable).with_name("deptry")
    exe = str(deptry) if deptry.exists() else shutil.which("deptry")
    assert exe, "deptry is not installed (requirements-dev.txt)"
    result = subprocess.run([exe, "src", "labs"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_requirements_txt_pins_every_runtime_dependency() -> None:
    pins = _requirements_txt()
    for req in _declared():
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is declared in pyproject.toml but not in requirements.txt"
        pin = pins[name]
        versions = [s.version for s in pin.specifier if s.operator == "=="]
        assert versions, f"requirements.txt must pin {req.name} with ==, has {pin}"
        assert req.specifier.contains(versions[0], prereleases=True), \
            f"requirements.txt pins {req.name}=={versions[0]}, outside pyproject's {req.specifier}"


def _closure() -> set[str]:
    """The distributions requirements.txt brings in, following installed metadata."""
    todo = [(r, frozenset(r.extras)) for r in _requirements_txt().values()]
    todo.append((Requirement("netlab"), frozenset()))
    seen: set[str] = set()
    while todo:
        req, extras = todo.pop()
        name = canonicalize_name(req.name)
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # a marker-excluded requirement not installed here
        seen.add(name)
        for text in dist.requires or []:
            sub = Requirement(text)
            env = [{"extra": e} for e in extras] or [{"extra": ""}]
            if sub.marker is None or any(sub.marker.evaluate(e) for e in env):
                todo.append((sub, frozenset(sub.extras)))
    return seen


_GUARD = r"""
import importlib, importlib.abc, importlib.machinery, json, pkgutil, sys
allowed = set(json.loads(sys.argv[1]))
stdlib = set(sys.stdlib_module_names)
class Guard(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        top = fullname.partition(".")[0]
        if top in stdlib or top in allowed or top.startswith("_"):
            return None
        raise ModuleNotFoundError(f"{top} is not provided by requirements.txt", name=top)
sys.meta_path.insert(0, Guard())
import netlab
failed = []
for info in pkgutil.walk_packages(netlab.__path__, "netlab."):
    try:
        importlib.import_module(info.name)
    except ModuleNotFoundError as exc:
        failed.append(f"{info.name}: {exc}")
print(json.dumps(failed))
"""


def test_every_netlab_module_imports_with_only_the_lab_environment() -> None:
    dists = _closure()
    modules = {top for top, names in metadata.packages_distributions().items()
               if any(canonicalize_name(n) in dists for n in names)}
    modules.add("netlab")
    result = subprocess.run([sys.executable, "-c", _GUARD, json.dumps(sorted(modules))],
                            cwd=ROOT, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    failed = json.loads(result.stdout.strip().splitlines()[-1])
    assert not failed, "modules that need a package requirements.txt does not bring:\n" + \
        "\n".join(failed)


def test_the_guard_catches_an_undeclared_import() -> None:
    """The check above can fail: a module outside the allowed set is refused."""
    result = subprocess.run([sys.executable, "-c", _GUARD.replace("import netlab\n",
                             "import netlab\nimport requests\n"), json.dumps(["netlab"])],
                            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode != 0 and re.search(r"requests is not provided", result.stderr)
