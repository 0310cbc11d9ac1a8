# The Python spelling of a generic class: Generic[T] (Python 3.12 also allows class Stack[T]).
from typing import Generic, TypeVar

T = TypeVar("T")


class Stack(Generic[T]):
    def __init__(self) -> None:
        self.items: list[T] = []

    def push(self, item: T) -> None:
        self.items.append(item)

    def pop(self) -> T | None:
        return self.items.pop() if self.items else None


stack: Stack[int] = Stack()
stack.push(80)
stack.push(443)
print(stack.pop())
stack.push("8080")  # error: arg-type
