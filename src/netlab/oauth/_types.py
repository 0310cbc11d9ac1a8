"""Annotations for the oauth package's public signatures (checked by netlab._validate)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator


def instance_of(cls: type) -> Any:
    """``Annotated[Any, ...]`` accepting only instances of ``cls``.

    pydantic would otherwise validate a dataclass argument field by field (and warn on
    fields such as a lock); an isinstance check is what these parameters need.
    """

    def check(value: Any) -> Any:
        if not isinstance(value, cls):
            raise ValueError(f"must be a {cls.__name__}")
        return value

    return Annotated[Any, AfterValidator(check)]
