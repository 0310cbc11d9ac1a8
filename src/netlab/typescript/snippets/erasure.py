# Python annotations are erased too: json.loads returns Any, and mypy accepts it.
import json
from typing import TypedDict


class User(TypedDict):
    id: int
    name: str


user: User = json.loads('{"id": "42", "name": "Ada"}')
print("type of user['id']:", type(user["id"]).__name__)
print("user['id'] + 1 =", user["id"] + 1)
