# Python keeps annotations at run time (__annotations__) but never enforces them:
# json.loads returns Any, and mypy accepts it.
import json
from typing import TypedDict


class User(TypedDict):
    id: int
    name: str


user: User = json.loads('{"id": "42", "name": "Ada"}')
print("annotations kept:", {key: hint.__name__ for key, hint in User.__annotations__.items()})
print("type of user['id']:", type(user["id"]).__name__)
print("user['id'] + 1 =", user["id"] + 1)
