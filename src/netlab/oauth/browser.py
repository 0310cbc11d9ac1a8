"""A scripted browser: follows redirects, keeps cookies, fills in the login and consent form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import requests

from netlab._check import check_int
from netlab.oauth._http import USER_AGENT_PREFIX

TIMEOUT_S = 5.0


@dataclass
class Page:
    """Where the browser ended up: final URL, status, and the body (JSON if it was JSON)."""

    url: str
    status: int
    body: Any

    @property
    def query(self) -> dict[str, str]:
        """The query parameters of the final URL."""
        return dict(parse_qsl(urlsplit(self.url).query))


class Browser:
    """A user agent for one person; its requests show up in the trace as ``role``."""

    def __init__(self, role: str = "browser") -> None:
        if not isinstance(role, str) or not role.endswith("browser"):
            raise ValueError(f"role must be a string ending in 'browser', got {role!r}")
        self.role = role
        self.http = requests.Session()
        self.http.headers["User-Agent"] = USER_AGENT_PREFIX + role

    def close(self) -> None:
        """Drop the connection pool."""
        self.http.close()

    def open(self, url: str, *, data: dict[str, str] | None = None, stop_at: str = "",
             max_redirects: int = 10) -> Page:
        """GET (or POST ``data`` to) ``url`` and follow redirects, stopping before ``stop_at``."""
        check_int("max_redirects", max_redirects, min_value=0, max_value=20)
        method = "POST" if data is not None else "GET"
        for _ in range(max_redirects + 1):
            reply = self.http.request(method, url, data=data, allow_redirects=False,
                                      timeout=TIMEOUT_S)
            location = reply.headers.get("Location")
            if reply.status_code not in (302, 303) or location is None:
                return Page(url, reply.status_code, _body(reply))
            url, method, data = urljoin(url, location), "GET", None
            if stop_at and urlsplit(url).path == stop_at:
                return Page(url, reply.status_code, "")
        raise RuntimeError(f"more than {max_redirects} redirects")

    def consent(self, page: Page, username: str, password: str, *, allow: bool = True,
                stop_at: str = "") -> Page:
        """Submit the provider's login and consent form shown on ``page``."""
        form = {"username": username, "password": password,
                "consent": "allow" if allow else "deny"}
        return self.open(page.url, data=form, stop_at=stop_at)


def _body(reply: requests.Response) -> Any:
    if reply.headers.get("Content-Type", "").startswith("application/json"):
        return reply.json()
    return reply.text
