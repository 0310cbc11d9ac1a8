"""Key numbers as data: each chapter's facts file, the scope of each fact, and its probe.

Every number a chapter states lives once, in ``chapters/facts/NN-slug.yml``. A fact has a
value, a unit, what it is, its *kind* and *scope* (whose rule or whose behaviour it is,
and for which versions), and its source. The book renders a chapter's Key numbers table
and every number quoted in its prose from that file (``_ext/netlab_facts.py``).

Where a machine can show the fact, the fact names a *probe*: a small ``netlab`` function
(``module:function``) that reads it (a sysctl, ``ssl.OPENSSL_VERSION``, the pinned
``tsc``) or measures it on loopback within about two seconds. ``tests/test_facts.py``
runs every probe. A fact whose ``applies`` range covers this machine must agree with it;
a fact whose range does not cover it is skipped with the reason. A ``default`` fact is a
configurable setting: when the machine's value differs, that is a local setting, which
is reported, not a contradiction.

Probed values never enter a lab's compared outputs: they may differ between machines.
"""

from __future__ import annotations

import importlib
import math
import platform
import re
import ssl
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from netlab._validate import public, result
from netlab._yaml import load_yaml

__all__ = [
    "COMPONENTS", "FACT_KINDS", "KEYWORDS", "Fact", "ProbeOutcome", "component_version",
    "covers", "evaluate", "format_value", "load_all_facts", "load_facts",
]

# rfc: a rule or a definition of a specification, with its keyword where it has one.
# behaviour: what an implementation does by itself (built in, not a setting).
# default: a configurable setting's default value; a machine may be set otherwise.
# measurement: a published measurement or survey, with its date.
# model: an assumption or a parameter of this course's own models and labs.
# derived: arithmetic on other facts (shown with its working).
FACT_KINDS = ("rfc", "behaviour", "default", "measurement", "model", "derived")
KEYWORDS = ("MUST", "MUST NOT", "REQUIRED", "SHALL", "SHALL NOT", "SHOULD", "SHOULD NOT",
            "RECOMMENDED", "NOT RECOMMENDED", "MAY", "OPTIONAL")
_KEYS = {"id", "what", "value", "unit", "kind", "scope", "source", "section", "keyword",
         "display", "probe", "applies", "setting", "tolerance", "note", "expect"}
_REQUIRED = {"id", "what", "value", "kind", "scope", "source"}
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# source: bibliography keys and ``ref:label``s, comma-separated. ``section`` is the section of
# the last one; when two sources each have their own, each carries it: "rfc9293 §3.8.6.3,
# rfc5681 §4.2" (and there is no ``section``).


@result
@dataclass(frozen=True)
class Fact:
    """One key number of a chapter: its value, scope, source and optional probe."""

    id: str
    what: str
    value: Any
    kind: str
    scope: str
    source: str
    file: str
    unit: str = ""
    section: str = ""
    keyword: str = ""
    display: str = ""
    probe: str = ""
    applies: dict[str, str] = field(default_factory=dict)
    setting: str = ""
    tolerance: float = 0.0
    note: str = ""
    expect: Any = None

    @property
    def expected(self) -> Any:
        """What the probe must return: ``expect`` when the shown value is a summary."""
        return self.value if self.expect is None else self.expect

    @property
    def shown(self) -> str:
        """The value as the book prints it, with its unit."""
        text = self.display or format_value(self.value)
        return f"{text} {self.unit}".strip() if not self.display else text


@public
def format_value(value: Any) -> str:
    """A value as the book prints it: thousands separators, lists joined by commas."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.10g}" if abs(value) >= 1000 else f"{value:.10g}"
    if isinstance(value, list | tuple):
        return ", ".join(format_value(v) for v in value)
    return str(value)


def _fail(where: str, message: str) -> ValueError:
    return ValueError(f"{where}: {message}")


def _check_fact(raw: Any, where: str, file: str) -> Fact:
    if not isinstance(raw, dict):
        raise _fail(where, "is not a mapping")
    missing, unknown = _REQUIRED - raw.keys(), raw.keys() - _KEYS
    if missing or unknown:
        raise _fail(where, f"missing {sorted(missing)}, unknown {sorted(unknown)}")
    for key in ("id", "what", "kind", "scope", "source"):
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise _fail(where, f"{key} must be a non-empty string")
    if not _ID.match(raw["id"]):
        raise _fail(where, f"id {raw['id']!r} must be lowercase words joined by '-'")
    if raw["kind"] not in FACT_KINDS:
        raise _fail(where, f"kind must be one of {', '.join(FACT_KINDS)}, got {raw['kind']!r}")
    if raw.get("keyword") and raw["keyword"] not in KEYWORDS:
        raise _fail(where, f"keyword must be one of {', '.join(KEYWORDS)}")
    if raw.get("keyword") and raw["kind"] != "rfc":
        raise _fail(where, "keyword belongs to kind 'rfc' only")
    if raw["kind"] == "default" and not raw.get("setting"):
        raise _fail(where, "a 'default' fact names its setting (sysctl, option, flag)")
    if raw.get("section") and "§" in raw["source"]:
        raise _fail(where, "write each source's section after it, or one section in 'section', not both")
    if raw.get("probe") and raw["kind"] in ("measurement", "derived"):
        raise _fail(where, f"a {raw['kind']!r} fact has no probe")
    applies = raw.get("applies") or {}
    if not isinstance(applies, dict):
        raise _fail(where, "applies must map a component to a version range")
    for component, spec in applies.items():
        if component not in COMPONENTS:
            raise _fail(where, f"applies: unknown component {component!r} "
                               f"(known: {', '.join(sorted(COMPONENTS))})")
        try:
            SpecifierSet(str(spec))
        except InvalidSpecifier as exc:
            raise _fail(where, f"applies.{component}: {exc}") from None
    probe = raw.get("probe") or ""
    if probe and (":" not in probe.split()[0] or not all(probe.split()[0].partition(":")[::2])):
        raise _fail(where, f"probe must be 'module:function', got {probe!r}")
    tolerance = raw.get("tolerance", 0.0)
    if not isinstance(tolerance, int | float) or isinstance(tolerance, bool) or tolerance < 0:
        raise _fail(where, "tolerance must be a number >= 0 (relative, 0.05 = 5 %)")
    return Fact(id=raw["id"], what=raw["what"].strip(), value=raw["value"], kind=raw["kind"],
                scope=raw["scope"].strip(), source=raw["source"].strip(), file=file,
                unit=str(raw.get("unit", "") or ""), section=str(raw.get("section", "") or ""),
                keyword=str(raw.get("keyword", "") or ""),
                display=str(raw.get("display", "") or ""), probe=probe,
                applies={k: str(v) for k, v in applies.items()},
                setting=str(raw.get("setting", "") or ""), tolerance=float(tolerance),
                note=str(raw.get("note", "") or "").strip(), expect=raw.get("expect"))


@public
def load_facts(path: Path) -> list[Fact]:
    """Load one chapter's facts file and check its schema; raise ValueError naming the problem."""
    data = load_yaml(path)
    if not isinstance(data, list) or not data:
        raise ValueError(f"{Path(path).name}: expected a non-empty list of facts")
    facts = [_check_fact(raw, f"{Path(path).name}: fact[{i}]", Path(path).name)
             for i, raw in enumerate(data)]
    seen: set[str] = set()
    for fact in facts:
        if fact.id in seen:
            raise ValueError(f"{Path(path).name}: duplicate id {fact.id!r}")
        seen.add(fact.id)
    return facts


@public
def load_all_facts(folder: Path) -> dict[str, Fact]:
    """Every fact of every ``*.yml`` file in ``folder`` by id; ids are unique across files."""
    facts: dict[str, Fact] = {}
    for path in sorted(Path(folder).glob("*.yml")):
        for fact in load_facts(path):
            if fact.id in facts:
                raise ValueError(f"{path.name}: id {fact.id!r} is also in {facts[fact.id].file}")
            facts[fact.id] = fact
    return facts


# ---------------------------------------------------------------- what this machine runs

def _leading_version(text: str) -> Version | None:
    match = re.match(r"(\d+(?:\.\d+)*)", text.strip())
    if not match:
        return None
    try:
        return Version(match.group(1))
    except InvalidVersion:
        return None


def _linux() -> Version | None:
    return _leading_version(platform.release()) if platform.system() == "Linux" else None


def _openssl() -> Version | None:
    # Read the text ("OpenSSL 3.0.19 27 Jan 2026"): for OpenSSL 3, ssl.OPENSSL_VERSION_INFO
    # decodes the new number format as (3, 0, 0, 19, 0), with the patch in fourth place.
    match = re.match(r"OpenSSL (\d+\.\d+\.\d+)", ssl.OPENSSL_VERSION)
    return Version(match.group(1)) if match else None


def _distribution(name: str) -> Callable[[], Version | None]:
    def read() -> Version | None:
        try:
            return _leading_version(metadata.version(name))
        except metadata.PackageNotFoundError:
            return None
    return read


def _typescript() -> Version | None:
    from netlab.typescript import tsc_version  # the pinned compiler under node_modules

    try:
        return _leading_version(tsc_version())
    except (OSError, RuntimeError, ValueError):
        return None


def _python() -> Version | None:
    return Version(platform.python_version())


COMPONENTS: dict[str, Callable[[], Version | None]] = {
    "linux": _linux,
    "openssl": _openssl,
    "python": _python,
    "typescript": _typescript,
    "aioquic": _distribution("aioquic"),
    "authlib": _distribution("authlib"),
    "cryptography": _distribution("cryptography"),
    "scapy": _distribution("scapy"),
    "dnspython": _distribution("dnspython"),
    "h2": _distribution("h2"),
}


@public
def component_version(component: str) -> Version | None:
    """The version of ``component`` on this machine, or None where it is absent."""
    if component not in COMPONENTS:
        raise ValueError(f"component must be one of {', '.join(sorted(COMPONENTS))}, "
                         f"got {component!r}")
    return _component_version(component)


@cache
def _component_version(component: str) -> Version | None:
    return COMPONENTS[component]()


@public
def covers(fact: Fact) -> tuple[bool, str]:
    """Whether this machine is inside the fact's ``applies`` range, and why not."""
    for component, spec in sorted(fact.applies.items()):
        version = component_version(component)
        if version is None:
            return False, f"no {component} on this machine"
        if version not in SpecifierSet(spec):
            return False, f"{component} {version} is outside {spec}"
    return True, ""


# ---------------------------------------------------------------- probes

@result
@dataclass(frozen=True)
class ProbeOutcome:
    """What running a fact's probe gave: agree, contradict, or skipped, and why."""

    fact_id: str
    status: str  # "agrees", "contradicts", "skipped", "local-setting"
    observed: Any
    reason: str


def _close(observed: Any, expected: Any, tolerance: float) -> bool:
    if isinstance(expected, list | tuple):
        return (isinstance(observed, list | tuple) and len(observed) == len(expected)
                and all(_close(o, e, tolerance) for o, e in zip(observed, expected, strict=True)))
    if isinstance(expected, bool) or isinstance(observed, bool):
        return observed == expected
    if isinstance(expected, int | float) and isinstance(observed, int | float):
        if tolerance == 0:
            return observed == expected
        return math.isclose(observed, expected, rel_tol=tolerance, abs_tol=0.0)
    return observed == expected


def _load_probe(target: str) -> Callable[[], Any]:
    """``module:function arg ...`` as a callable of no arguments."""
    name, *args = target.split()
    module_name, _, func_name = name.partition(":")
    func = getattr(importlib.import_module(module_name), func_name)
    if not callable(func):
        raise TypeError(f"probe {target} is not callable")
    return lambda: func(*args)


@public
def evaluate(fact: Fact) -> ProbeOutcome:
    """Run ``fact``'s probe on this machine and compare what it shows with the book."""
    if not fact.probe:
        raise ValueError(f"fact {fact.id!r} has no probe")
    inside, why = covers(fact)
    if not inside:
        return ProbeOutcome(fact.id, "skipped", None, why)
    observed = _load_probe(fact.probe)()
    if observed is None:
        return ProbeOutcome(fact.id, "skipped", None, "the probe cannot read this on this machine")
    if _close(observed, fact.expected, fact.tolerance):
        return ProbeOutcome(fact.id, "agrees", observed, "")
    if fact.kind == "default":
        return ProbeOutcome(fact.id, "local-setting", observed,
                            f"{fact.setting} is {observed!r} here, a local setting; "
                            f"the default is {fact.expected!r}")
    return ProbeOutcome(fact.id, "contradicts", observed,
                        f"{fact.id}: the book says {fact.expected!r} ({fact.scope}), "
                        f"this machine shows {observed!r}")


@public
def facts_by_file(facts: Iterable[Fact]) -> dict[str, list[Fact]]:
    """Facts grouped by the file they come from, in file order."""
    grouped: dict[str, list[Fact]] = {}
    for fact in facts:
        grouped.setdefault(fact.file, []).append(fact)
    return grouped


@public
def probed(facts: Sequence[Fact]) -> list[Fact]:
    """The facts that name a probe, sorted by id."""
    return sorted((f for f in facts if f.probe), key=lambda f: f.id)
