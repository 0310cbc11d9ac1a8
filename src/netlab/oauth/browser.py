"""A scripted browser: follows redirects, keeps cookies, fills in the login and consent form.

Every HTTP exchange the browser makes is recorded as it went over the wire (request line,
headers and body; status, headers and body), so a lab can search the browser's real
traffic for a token value instead of trusting a summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import requests

from netlab._validate import public, result
from netlab.oauth._http import USER_AGENT_PREFIX

TIMEOUT_S = 5.0


@result
@dataclass(frozen=True)
class Exchange:
    """One HTTP request and its response, as the sender's HTTP library saw them."""

    method: str
    url: str
    request_headers: tuple[tuple[str, str], ...]
    request_body: str
    status: int
    response_headers: tuple[tuple[str, str], ...]
    response_body: str

    def text(self) -> str:
        """The exchange as HTTP/1.1 text: request line, headers, body, then the response."""
        head = [f"{self.method} {self.url}", *(f"{k}: {v}" for k, v in self.request_headers)]
        tail = [f"HTTP {self.status}", *(f"{k}: {v}" for k, v in self.response_headers)]
        return "\n".join([*head, "", self.request_body, *tail, "", self.response_body])


def record(reply: requests.Response) -> Exchange:
    """Turn a ``requests`` response (with its request) into an Exchange."""
    sent = reply.request
    body = sent.body or ""
    return Exchange(sent.method or "", sent.url or "", tuple(sent.headers.items()),
                    body.decode() if isinstance(body, bytes) else str(body), reply.status_code,
                    tuple(reply.headers.items()), reply.text)


@result
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


@public
class Browser:
    """A user agent for one person; its requests show up in the trace as ``role``."""

    def __init__(self, role: str = "browser") -> None:
        if not role.endswith("browser"):
            raise ValueError(f"role must be a string ending in 'browser', got {role!r}")
        self.role = role
        self.http = requests.Session()
        self.http.headers["User-Agent"] = USER_AGENT_PREFIX + role
        self.traffic: list[Exchange] = []

    def close(self) -> None:
        """Drop the connection pool."""
        self.http.close()

    def open(self, url: str, *, data: dict[str, str] | None = None, stop_at: str = "",
             max_redirects: int = 10) -> Page:
        """GET (or POST ``data`` to) ``url`` and follow redirects, stopping before ``stop_at``."""
        if not 0 <= max_redirects <= 20:
            raise ValueError(f"max_redirects must be in [0, 20], got {max_redirects}")
        method = "POST" if data is not None else "GET"
        for _ in range(max_redirects + 1):
            reply = self.http.request(method, url, data=data, allow_redirects=False,
                                      timeout=TIMEOUT_S)
            self.traffic.append(record(reply))
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

    def set_cookie(self, url: str, name: str, value: str) -> None:
        """Set a cookie for the host of ``url``, as a script running on that origin can."""
        self.http.cookies.set(name, value, domain=urlsplit(url).hostname, path="/")


def _body(reply: requests.Response) -> Any:
    if reply.headers.get("Content-Type", "").startswith("application/json"):
        return reply.json()
    return reply.text
