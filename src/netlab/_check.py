"""Argument checks shared by every public netlab function.

Each helper raises ``ValueError`` with a message that names the argument and the
allowed range, so a reader who passes a bad value gets a clear error instead of a
traceback from deep inside scapy, simpy or asyncio.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from typing import Any, TypeVar

T = TypeVar("T")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_int(name: str, value: Any, *, min_value: int | None = None,
              max_value: int | None = None) -> int:
    """Return ``value`` if it is an int within [min_value, max_value], else raise ValueError."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{name} must be an integer, got {type(value).__name__}")
    if min_value is not None and value < min_value:
        raise ValueError(f"{name} must be >= {min_value}{_upper(max_value)}, got {value}")
    if max_value is not None and value > max_value:
        raise ValueError(f"{name} must be <= {max_value}, got {value}")
    return value


def _upper(max_value: int | float | None) -> str:
    return "" if max_value is None else f" and <= {max_value}"


def check_float(name: str, value: Any, *, min_value: float | None = None,
                max_value: float | None = None, min_inclusive: bool = True,
                max_inclusive: bool = True) -> float:
    """Return ``float(value)`` if it is a finite number in the given range, else raise ValueError."""
    if not _is_number(value) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    low = "[" if min_inclusive else "("
    high = "]" if max_inclusive else ")"
    lo_txt = "-inf" if min_value is None else f"{min_value:g}"
    hi_txt = "inf" if max_value is None else f"{max_value:g}"
    allowed = f"{low}{lo_txt}, {hi_txt}{high}"
    if min_value is not None and (value < min_value or (not min_inclusive and value == min_value)):
        raise ValueError(f"{name} must be in {allowed}, got {value!r}")
    if max_value is not None and (value > max_value or (not max_inclusive and value == max_value)):
        raise ValueError(f"{name} must be in {allowed}, got {value!r}")
    return float(value)


def check_positive(name: str, value: Any) -> float:
    """Return ``value`` as a float if it is a finite number > 0, else raise ValueError."""
    return check_float(name, value, min_value=0.0, min_inclusive=False)


def check_probability(name: str, value: Any) -> float:
    """Return ``value`` if it is a probability in [0, 1), the range of a loss rate."""
    return check_float(name, value, min_value=0.0, max_value=1.0, max_inclusive=False)


def check_choice(name: str, value: Any, choices: Collection[T]) -> T:
    """Return ``value`` if it is one of ``choices``, else raise ValueError listing them."""
    if value not in choices:
        allowed = ", ".join(repr(c) for c in sorted(choices, key=str))
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
    return value


def check_bytes(name: str, value: Any, *, max_len: int | None = None) -> bytes:
    """Return ``value`` if it is bytes (or bytearray) no longer than ``max_len``."""
    if not isinstance(value, bytes | bytearray | memoryview):
        raise ValueError(f"{name} must be bytes, got {type(value).__name__}")
    data = bytes(value)
    if max_len is not None and len(data) > max_len:
        raise ValueError(f"{name} must be at most {max_len} bytes, got {len(data)}")
    return data


def check_seed(name: str, value: Any) -> int:
    """Return ``value`` if it is a non-negative integer seed."""
    return check_int(name, value, min_value=0)
