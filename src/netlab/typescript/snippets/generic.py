# The Python spelling of first<T>: a TypeVar; mypy keeps the element type.
from typing import TypeVar

T = TypeVar("T")


def first(items: list[T]) -> T:
    return items[0]


port = first([8080, 8443])  # inferred: int
host = first(["a.example", "b.example"])  # inferred: str
print(host.upper())
print(port.upper())  # error: attr-defined
