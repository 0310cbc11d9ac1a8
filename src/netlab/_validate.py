"""One way to check arguments: constraints declared in signatures, checked by pydantic.

Every public function of ``netlab`` is decorated with :func:`public`. Its parameters
carry their constraints in their annotations (``Annotated[float, Field(gt=0, le=3600)]``,
or the shared aliases below), and :func:`pydantic.validate_call` checks them on each
call, in strict mode: an int is not a bool, a bool is not ``None``, a float is finite.
A bad argument raises :class:`ArgumentError`, a ``ValueError`` whose message starts
with the parameter's name, says what is allowed and shows what was given::

    simulate: duration_s: Input should be less than or equal to 3600, got 1e+12

Functions whose work grows with their arguments also call :func:`check_work` with
their own estimate of that work before they start, so a value that is valid but
would take minutes is refused with the largest value that is allowed.

Simulators check their arguments once, at the public entry point; their inner loops
call private functions that are never validated. The cost is about a microsecond a
call (measured in ``tests/test_validate.py``).
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable, Collection
from typing import Annotated, Any, TypeVar, cast

from pydantic import AfterValidator, ConfigDict, Field, ValidationError, validate_call

__all__ = [
    "ArgumentError", "Bytes", "Count", "Fraction", "NonNegativeFloat", "NonNegativeInt",
    "PositiveFloat", "PositiveInt", "Probability", "Seed", "Seconds", "check_work",
    "is_public", "one_of", "public", "result",
]

F = TypeVar("F", bound=Callable[..., Any])
C = TypeVar("C", bound=type)

PUBLIC_ATTR = "__netlab_public__"
RESULT_ATTR = "__netlab_result__"

# strict: no silent coercion (1.0 is not an int, None is not a bool, "1" is not a number);
# allow_inf_nan=False: every float is finite unless a parameter says otherwise;
# arbitrary_types_allowed: parameters typed with the package's own classes are checked
# with isinstance.
CONFIG = ConfigDict(strict=True, allow_inf_nan=False, arbitrary_types_allowed=True)

# Aliases for the constraints the package uses most. Time in seconds, sizes in bytes.
PositiveFloat = Annotated[float, Field(gt=0)]
NonNegativeFloat = Annotated[float, Field(ge=0)]
PositiveInt = Annotated[int, Field(gt=0)]
NonNegativeInt = Annotated[int, Field(ge=0)]
Seconds = Annotated[float, Field(gt=0, le=86_400)]
Probability = Annotated[float, Field(ge=0, lt=1)]
Fraction = Annotated[float, Field(ge=0, le=1)]
Seed = Annotated[int, Field(ge=0, le=2**63 - 1)]
Count = Annotated[int, Field(ge=0, le=10_000_000)]
Bytes = Annotated[int, Field(ge=0, le=2**40)]


# The work a lab call may do is capped by check_work; WORK_SCALE scales every cap. 1.0
# means about ten seconds on a two-core machine. The fuzz test lowers it, so that the
# valid-but-large values it tries finish quickly.
WORK_SCALE = 1.0


class ArgumentError(ValueError):
    """A public function was called with an argument outside what it allows."""


def one_of(choices: Collection[Any] | Callable[[], Collection[Any]]) -> AfterValidator:
    """A validator for ``Annotated[str, one_of(...)]``: the value must be one of ``choices``.

    ``choices`` may be a callable, read at each call, for registries that grow at run
    time (for example the congestion-control algorithms).
    """

    def check(value: Any) -> Any:
        allowed = choices() if callable(choices) else choices
        try:
            ok = value in allowed
        except TypeError:  # an unhashable value tested against a set or dict
            ok = False
        if not ok:
            names = ", ".join(repr(c) for c in sorted(allowed, key=str))
            raise ValueError(f"must be one of {names}")
        return value

    return AfterValidator(check)


def _where(loc: tuple[int | str, ...], names: list[str]) -> str:
    head, *rest = loc or ("argument",)
    if isinstance(head, int):  # a positional argument: pydantic gives its index
        head = names[head] if 0 <= head < len(names) else f"argument {head}"
    return str(head) + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest)


def _shown(value: Any) -> str:
    if isinstance(value, float):
        text = f"{value:g}"
    elif isinstance(value, str | bytes | int | bool | type(None) | list | tuple | dict):
        text = repr(value)
    else:
        text = f"an object of type {type(value).__name__}"
    return text if len(text) <= 80 else text[:77] + "..."


def _message(name: str, exc: ValidationError, names: list[str]) -> str:
    parts = []
    for error in exc.errors(include_url=False):
        msg = error["msg"].removeprefix("Value error, ")
        if error["type"] == "missing_argument":
            parts.append(f"{_where(error['loc'], names)}: is required")
            continue
        parts.append(f"{_where(error['loc'], names)}: {msg}, got {_shown(error.get('input'))}")
    return f"{name}: " + "; ".join(parts[:3]) + ("; ..." if len(parts) > 3 else "")


def _wrap(func: F, name: str) -> F:
    validated = validate_call(func, config=CONFIG, validate_return=False)
    names = list(inspect.signature(func).parameters)

    if inspect.iscoroutinefunction(func):
        @functools.wraps(func)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            try:  # pydantic checks a coroutine function's arguments when it is awaited
                return await validated(*args, **kwargs)
            except ValidationError as exc:
                raise ArgumentError(_message(name, exc, names)) from None

        wrapper: Any = async_wrapper
    else:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return validated(*args, **kwargs)
            except ValidationError as exc:
                raise ArgumentError(_message(name, exc, names)) from None

    setattr(wrapper, PUBLIC_ATTR, True)
    return cast(F, wrapper)


def public(obj: F) -> F:
    """Check every call of a public function (or class constructor) against its signature."""
    if isinstance(obj, type):
        init = obj.__dict__.get("__init__")
        if init is None:
            raise TypeError(f"public: class {obj.__name__} defines no __init__ to check")
        setattr(obj, "__init__", _wrap(init, obj.__name__))  # noqa: B010
        setattr(obj, PUBLIC_ATTR, True)
        return obj
    return _wrap(obj, getattr(obj, "__name__", "function"))


def result(cls: C) -> C:
    """Mark a class as a result: made by the package and returned, not built by readers.

    Its constructor is not checked; the fuzz test leaves it out.
    """
    setattr(cls, RESULT_ATTR, True)
    return cls


def is_public(obj: Any) -> bool:
    """True when ``obj`` was decorated with :func:`public` or :func:`result`."""
    return bool(getattr(obj, PUBLIC_ATTR, False) or getattr(obj, RESULT_ATTR, False))


def check_work(name: str, value: float, *, work: float, limit: float, unit: str,
               exponent: float = 1.0) -> None:
    """Refuse ``value`` of argument ``name`` when the work it implies exceeds ``limit``.

    ``work`` is the caller's estimate for this call, in ``unit`` (simulated segments,
    events, bytes...), and grows as ``value ** exponent`` (in proportion, by default);
    the message gives the largest ``value`` that stays within ``limit``.
    """
    limit = limit * WORK_SCALE
    if not math.isfinite(work) or work > limit:
        largest = (value * (limit / work) ** (1 / exponent)
                   if math.isfinite(work) and work > 0 else 0.0)
        raise ArgumentError(f"{name}: would need about {work:.3g} {unit}, more than the "
                            f"{limit:.3g} a lab call may take; the largest {name} allowed "
                            f"with the other arguments as given is about {largest:.4g}, "
                            f"got {_shown(value)}")
