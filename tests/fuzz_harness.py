"""The machinery of the fuzz test: every public callable of every netlab package, walked
through its signature one parameter at a time with bad values.

Each call must end in one of three ways:
- an ``ArgumentError``, ``ValueError`` or ``TypeError`` whose message names the parameter;
- an error the callable documents for its domain (listed in its baseline, such as
  ``IdTokenError``);
- a normal return, for values that are in fact valid.
Anything else fails, and so does a call that runs past its time limit.

A callable whose parameters all have defaults is called with those defaults as its
baseline; any other needs an entry in ``tests/fuzz_baselines/<package>.py`` (a valid
call, and a fixture when it needs a live server). A new export without a valid baseline
fails the test.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import math
import pkgutil
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

import netlab
from netlab._validate import PUBLIC_ATTR, RESULT_ATTR

CALL_LIMIT_S = 5.0


class CallTimedOut(Exception):
    """A fuzzed call did not return within its time limit."""


class Unknown:
    """An object of a type no netlab function accepts."""

    def __repr__(self) -> str:
        return "<unknown object>"


# One parameter at a time gets each of these: wrong type, wrong sign, NaN, infinities,
# huge, empty, None, an unknown name.
BAD_VALUES: tuple[tuple[str, Any], ...] = (
    ("object", Unknown()),
    ("None", None),
    ("True", True),
    ("-1", -1),
    ("-0.5", -0.5),
    ("0", 0),
    ("nan", math.nan),
    ("inf", math.inf),
    ("-inf", -math.inf),
    ("1e12", 1e12),
    ("10**12", 10**12),
    ("10**400", 10**400),
    ("empty str", ""),
    ("unknown name", "no-such-name"),
    ("empty list", []),
    ("list of junk", [Unknown()]),
    ("empty dict", {}),
    ("bytes", b"\x00"),
)


@dataclass(frozen=True)
class Baseline:
    """A valid call of one callable, and what the fuzz test needs to know about it."""

    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    # A context manager yielding extra keyword arguments (a live server, a PKI...).
    fixture: Callable[[], AbstractContextManager[dict[str, Any]]] | None = None
    # Errors the callable documents for its domain, accepted for any value.
    domain_errors: tuple[type[BaseException], ...] = ()
    # Parameters not fuzzed, each with the reason (e.g. a callback).
    skip: dict[str, str] = field(default_factory=dict)


def packages() -> list[str]:
    """Every netlab module with an ``__all__``: the topic packages and the core modules."""
    names = []
    for info in pkgutil.iter_modules(netlab.__path__, "netlab."):
        if info.name.rsplit(".", 1)[1].startswith("_"):
            continue
        module = importlib.import_module(info.name)
        if hasattr(module, "__all__"):
            names.append(info.name)
    return sorted(names)


def _is_skippable_class(obj: type) -> bool:
    return (issubclass(obj, enum.Enum | BaseException) or inspect.isabstract(obj)
            or getattr(obj, "_is_protocol", False))


def exports(package: str) -> list[tuple[str, Any]]:
    """The callables a package exports, by qualified name (constants and enums left out)."""
    module = importlib.import_module(package)
    found = []
    for name in sorted(module.__all__):
        obj = getattr(module, name)
        if isinstance(obj, type):
            if _is_skippable_class(obj) or getattr(obj, RESULT_ATTR, False):
                continue
        elif not callable(obj):
            continue
        found.append((f"{package}.{name}", obj))
    return found


def is_checked(obj: Any) -> bool:
    """Whether the callable is decorated with netlab._validate.public (or is a result)."""
    return bool(getattr(obj, PUBLIC_ATTR, False) or getattr(obj, RESULT_ATTR, False))


def parameters(obj: Any) -> list[inspect.Parameter]:
    """The parameters a reader can pass (self and *args/**kwargs left out)."""
    target = obj.__init__ if isinstance(obj, type) else obj
    sig = inspect.signature(target)
    return [p for p in sig.parameters.values() if p.name != "self"
            and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


def default_baseline(obj: Any) -> Baseline | None:
    """The all-defaults call, when every parameter has a default."""
    if all(p.default is not p.empty for p in parameters(obj)):
        return Baseline()
    return None


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise CallTimedOut in the main thread after ``seconds``; restore any outer alarm."""
    def on_alarm(signum: int, frame: Any) -> None:
        raise CallTimedOut(f"no return within {seconds:g} s")

    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    previous = signal.signal(signal.SIGALRM, on_alarm)
    start = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:
            signal.setitimer(signal.ITIMER_REAL, max(0.01, outer_left - (time.monotonic() - start)))


def _finish(value: Any) -> Any:
    """Run a coroutine a callable returned, so an async function is really exercised."""
    if inspect.iscoroutine(value):
        import asyncio

        return asyncio.run(value)
    return value


def call(obj: Any, baseline: Baseline, extra: dict[str, Any], override: dict[str, Any],
         positional: dict[int, Any]) -> Any:
    """Call ``obj`` as the baseline does, with one argument replaced."""
    args = list(baseline.args)
    for index, value in positional.items():
        args[index] = value
    kwargs = {**baseline.kwargs, **extra, **override}
    with time_limit(CALL_LIMIT_S):
        return _finish(obj(*args, **kwargs))


@dataclass(frozen=True)
class Problem:
    """One fuzzed call that ended in a way the rules do not allow."""

    callable: str
    parameter: str
    value: str
    outcome: str

    def __str__(self) -> str:
        return f"{self.callable}({self.parameter}={self.value}): {self.outcome}"


def outcome_problem(name: str, param: str, label: str, exc: BaseException | None,
                    baseline: Baseline) -> Problem | None:
    """None when the call ended as allowed, else the problem."""
    if exc is None:
        return None
    if isinstance(exc, CallTimedOut):
        return Problem(name, param, label, f"hang: {exc}")
    if baseline.domain_errors and isinstance(exc, baseline.domain_errors):
        return None
    if isinstance(exc, ValueError | TypeError):
        message = str(exc)
        if param in message:
            return None
        return Problem(name, param, label,
                       f"{type(exc).__name__} does not name {param!r}: {message[:160]}")
    return Problem(name, param, label, f"{type(exc).__name__}: {str(exc)[:160]}")


def open_fixture(baseline: Baseline) -> AbstractContextManager[dict[str, Any]]:
    """The baseline's fixture (a live server, a PKI...), or no extra arguments."""
    return baseline.fixture() if baseline.fixture else nullcontext({})


def baseline_problem(name: str, obj: Any, baseline: Baseline, extra: dict[str, Any]) -> Problem | None:
    """None when the valid call works, else the problem (then nothing else is fuzzed)."""
    try:
        call(obj, baseline, extra, {}, {})
    except BaseException as exc:  # noqa: BLE001 - the baseline itself must work
        return Problem(name, "-", "baseline", f"baseline call failed: {exc!r}"[:200])
    return None


def fuzz_values(name: str, obj: Any, baseline: Baseline, extra: dict[str, Any],
                values: tuple[tuple[str, Any], ...],
                only: str | None = None) -> tuple[list[Problem], int]:
    """Each parameter (or ``only`` that one) with each value, inside an open fixture."""
    problems: list[Problem] = []
    calls = 0
    for index, param in enumerate(parameters(obj)):
        if (only is not None and param.name != only) or param.name in baseline.skip \
                or param.name in extra:
            continue
        positional = index < len(baseline.args)
        for label, value in values:
            calls += 1
            try:
                if positional:
                    call(obj, baseline, extra, {}, {index: value})
                else:
                    call(obj, baseline, extra, {param.name: value}, {})
                exc = None
            except CallTimedOut as timed_out:
                exc = timed_out
            except Exception as error:  # noqa: BLE001 - sorted by outcome_problem
                exc = error
            problem = outcome_problem(name, param.name, label, exc, baseline)
            if problem:
                problems.append(problem)
    return problems, calls


def fuzz_one(name: str, obj: Any, baseline: Baseline,
             values: tuple[tuple[str, Any], ...] = BAD_VALUES) -> tuple[list[Problem], int]:
    """Every parameter of ``obj`` with every bad value; the problems and the call count."""
    with open_fixture(baseline) as extra:
        failed = baseline_problem(name, obj, baseline, extra)
        if failed:
            return [failed], 1
        return fuzz_values(name, obj, baseline, extra, values)
