"""Every public callable of every netlab package, fuzzed one parameter at a time.

See ``fuzz_harness`` for the rules. Two parts: every callable gets the fixed list of bad
values (wrong type, sign, NaN, infinities, huge, empty, None, unknown name) for every
parameter; then hypothesis draws further numbers and strings for the numeric and text
parameters, derandomized so that every run tries the same values. The work limit of
``netlab._validate.check_work`` is scaled down so that values that are valid but large
return quickly.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import pytest
from fuzz_harness import (
    Baseline,
    baseline_problem,
    default_baseline,
    exports,
    fuzz_one,
    fuzz_values,
    is_checked,
    open_fixture,
    packages,
    parameters,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import netlab._validate

PACKAGES = packages()
EXPORTS = [(pkg, name, obj) for pkg in PACKAGES for name, obj in exports(pkg)]


@pytest.fixture(autouse=True)
def _small_work_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(netlab._validate, "WORK_SCALE", 0.02)


def baselines(package: str) -> dict[str, Baseline]:
    """The baselines module of a package, or none."""
    short = package.removeprefix("netlab.")
    try:
        module = importlib.import_module(f"fuzz_baselines.{short}")
    except ModuleNotFoundError:
        return {}
    return module.BASELINES


def baseline_for(package: str, qualified: str, obj: Any) -> Baseline:
    name = qualified.rsplit(".", 1)[1]
    given_baseline = baselines(package).get(name)
    found = given_baseline or default_baseline(obj)
    if found is None:
        pytest.fail(f"{qualified} has required parameters and no baseline in "
                    f"tests/fuzz_baselines/{package.removeprefix('netlab.')}.py")
    return found


def test_there_are_packages_to_fuzz() -> None:
    assert len(PACKAGES) >= 8 and len(EXPORTS) >= 100


@pytest.mark.parametrize("package", PACKAGES)
def test_every_export_is_checked(package: str) -> None:
    unchecked = [q for q, obj in exports(package) if not is_checked(obj)]
    assert not unchecked, ("exported but not decorated with netlab._validate.public "
                           f"(or result): {', '.join(unchecked)}")


@pytest.mark.parametrize("package", PACKAGES)
def test_every_baseline_names_an_export(package: str) -> None:
    names = {q.rsplit(".", 1)[1] for q, _ in exports(package)}
    stale = sorted(set(baselines(package)) - names)
    assert not stale, f"baselines for names {package} does not export: {stale}"


@pytest.mark.parametrize(("package", "qualified", "obj"), EXPORTS,
                         ids=[q for _, q, _ in EXPORTS])
def test_bad_values_get_clear_errors(package: str, qualified: str, obj: Any) -> None:
    problems, _ = fuzz_one(qualified, obj, baseline_for(package, qualified, obj))
    assert not problems, "\n".join(str(p) for p in problems)


def _numeric_or_text(obj: Any) -> list[inspect.Parameter]:
    wanted = []
    for p in parameters(obj):
        text = str(p.annotation)
        if any(word in text for word in ("int", "float", "str")):
            wanted.append(p)
    return wanted


FUZZABLE = [(pkg, q, obj) for pkg, q, obj in EXPORTS if _numeric_or_text(obj)]
DRAWN = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                  st.integers(min_value=-(10**20), max_value=10**20),
                  st.text(max_size=8), st.binary(max_size=4), st.none(), st.booleans())


@pytest.mark.parametrize(("package", "qualified", "obj"), FUZZABLE,
                         ids=[q for _, q, _ in FUZZABLE])
def test_drawn_values_get_clear_errors(package: str, qualified: str, obj: Any) -> None:
    # One fixture and one baseline call for all the draws (as the bad values share them);
    # each draw is then one call with one drawn value for one parameter.
    baseline = baseline_for(package, qualified, obj)
    params = [p.name for p in _numeric_or_text(obj)]
    with open_fixture(baseline) as extra:
        failed = baseline_problem(qualified, obj, baseline, extra)
        assert failed is None, str(failed)

        @settings(max_examples=12, derandomize=True, database=None, deadline=None,
                  suppress_health_check=list(HealthCheck))
        @given(param=st.sampled_from(params), value=DRAWN)
        def check(param: str, value: Any) -> None:
            problems, _ = fuzz_values(qualified, obj, baseline, extra,
                                      ((repr(value)[:40], value),), only=param)
            assert not problems, "\n".join(str(p) for p in problems)

        check()
