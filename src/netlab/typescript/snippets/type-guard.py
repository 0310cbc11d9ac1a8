# A run-time check that mypy understands: TypeGuard narrows like a TypeScript type guard.
import json
from typing import Any, TypedDict, TypeGuard


class User(TypedDict):
    id: int
    name: str


def is_user(value: object) -> TypeGuard[User]:
    if not isinstance(value, dict):
        return False
    record: dict[str, Any] = value
    return isinstance(record.get("id"), int) and isinstance(record.get("name"), str)


for body in ['{"id": 42, "name": "Ada"}', '{"id": "42", "name": "Ada"}']:
    data: object = json.loads(body)
    if is_user(data):
        print("accepted: id + 1 =", data["id"] + 1)
    else:
        print("rejected:", body)
