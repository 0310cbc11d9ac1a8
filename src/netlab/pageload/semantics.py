"""HTTP semantics on loopback: a conditional GET, redirects, a CORS preflight, chunked framing.

Each function starts a server on 127.0.0.1 (port 0, a thread, closed when the function
returns), sends real requests, and returns what crossed the wire as small records. The
implementations that decide are the field's, not this module's, wherever one exists:

* the conditional GET is answered by the standard library's ``SimpleHTTPRequestHandler``,
  which implements ``If-Modified-Since`` itself (and ignores it when ``If-None-Match`` is
  present, as RFC 9110 §13.1.3 says a recipient MUST);
* redirects are followed by two real user agents, ``requests`` and ``urllib.request``;
* the chunked response is framed by h11 and decoded by ``http.client``, two independent
  HTTP/1.1 implementations.

The CORS step is the exception: no browser runs here, so the server's answers are real
but the verdict on them is :func:`cors_verdict`, this module's reading of the Fetch
Standard's CORS check, a consistency check rather than evidence of what a browser does.
"""

from __future__ import annotations

import email.utils
import http.client
import http.server
import io
import os
import socket
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, Literal

import h11
import requests
from pydantic import Field

from netlab._validate import public, result
from netlab.loopback import LOOPBACK, tcp_pair

__all__ = [
    "ChunkedExchange", "ConditionalRow", "PreflightRow", "RedirectRow", "chunked_exchange",
    "conditional_get_rows", "cors_verdict", "preflight_rows", "redirect_rows",
]

TIMEOUT_S = 5.0
# The file's modification time, fixed so that Last-Modified is the same on every run.
PAGE_MTIME = 1_767_225_600          # 2026-01-01T00:00:00Z
PAGE = b"<!doctype html><title>shop</title><p>hello</p>\n"
ALLOWED_ORIGINS = ("https://shop.test",)
ALLOWED_METHODS = ("GET", "PUT", "DELETE")
ALLOWED_HEADERS = ("content-type", "authorization")
PREFLIGHT_MAX_AGE_S = 600
REDIRECT_CODES = (301, 302, 303, 307, 308)
SAFELISTED_METHODS = ("GET", "HEAD", "POST")
Origin = Annotated[str, Field(min_length=1, max_length=2048, pattern=r"^[ -~]+$")]
Chunk = Annotated[bytes, Field(min_length=1, max_length=65536)]


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True


@contextmanager
def _serve(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[tuple[str, int]]:
    """Serve ``handler`` on 127.0.0.1, port 0, in a thread; shut down on exit."""
    server = _QuietServer((LOOPBACK, 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield server.server_address[0], server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(TIMEOUT_S)


class _Silent:
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Keep the notebook's output free of access-log lines."""


# --- step 1: a conditional GET, answered by the standard library ---------------------

@result
@dataclass(frozen=True)
class ConditionalRow:
    """One request of the conditional-GET step and what came back."""

    request: str
    status: int
    body_bytes: int
    last_modified: str


@public
def conditional_get_rows() -> list[ConditionalRow]:
    """GET a file, then revalidate it with If-Modified-Since (alone and with If-None-Match)."""
    with tempfile.TemporaryDirectory() as root:
        path = os.path.join(root, "index.html")
        with open(path, "wb") as f:
            f.write(PAGE)
        os.utime(path, (PAGE_MTIME, PAGE_MTIME))

        class Handler(_Silent, http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args: object, **kwargs: object) -> None:
                super().__init__(*args, directory=root, **kwargs)  # type: ignore[arg-type]

        stamp = email.utils.formatdate(PAGE_MTIME, usegmt=True)
        earlier = email.utils.formatdate(PAGE_MTIME - 3600, usegmt=True)
        cases = [
            ("GET (no validator)", {}),
            ("If-Modified-Since: Last-Modified", {"If-Modified-Since": stamp}),
            ("If-Modified-Since: one hour earlier", {"If-Modified-Since": earlier}),
            ("If-Modified-Since + If-None-Match", {"If-Modified-Since": stamp,
                                                   "If-None-Match": '"v1"'}),
        ]
        rows = []
        with _serve(Handler) as (host, port):
            conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT_S)
            try:
                for label, headers in cases:
                    conn.request("GET", "/index.html", headers=headers)
                    response = conn.getresponse()
                    body = response.read()
                    rows.append(ConditionalRow(label, response.status, len(body),
                                               response.getheader("Last-Modified", "")))
            finally:
                conn.close()
    return rows


# --- step 2: redirects, followed by two real user agents ------------------------------

@result
@dataclass(frozen=True)
class RedirectRow:
    """What arrived at the redirect's target after a POST to a redirecting URL."""

    code: int
    client: str
    method_at_target: str
    body_bytes_at_target: int
    outcome: str


class _RedirectHandler(_Silent, http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    seen: list[tuple[str, int]] = []

    def _handle(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else b""
        if self.path.startswith("/r/"):
            code = int(self.path[3:])
            self.send_response(code)
            self.send_header("Location", "/target")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.seen.append((self.command, len(body)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_POST = _handle


@public
def redirect_rows(body: Annotated[bytes, Field(min_length=1, max_length=4096)] = b"item=7",
                  ) -> list[RedirectRow]:
    """POST ``body`` to URLs answering 301, 302, 303, 307 and 308; record what the target saw."""
    rows = []

    class Handler(_RedirectHandler):
        seen: list[tuple[str, int]] = []

    with _serve(Handler) as (host, port):
        base = f"http://{host}:{port}"
        with requests.Session() as session:
            session.trust_env = False          # no proxy from the environment: loopback only
            for code in REDIRECT_CODES:
                Handler.seen.clear()
                response = session.post(f"{base}/r/{code}", data=body, timeout=TIMEOUT_S)
                rows.append(_redirect_row(code, "requests", Handler.seen,
                                          f"followed, {response.status_code}"))
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        for code in REDIRECT_CODES:
            Handler.seen.clear()
            try:
                with opener.open(urllib.request.Request(f"{base}/r/{code}", data=body,
                                                        method="POST"),
                                 timeout=TIMEOUT_S) as response:
                    outcome = f"followed, {response.status}"
            except urllib.error.HTTPError as error:
                error.close()
                outcome = f"not followed, {error.code} to the caller"
            rows.append(_redirect_row(code, "urllib", Handler.seen, outcome))
    return rows


def _redirect_row(code: int, client: str, seen: Sequence[tuple[str, int]],
                  outcome: str) -> RedirectRow:
    method, length = seen[0] if seen else ("-", 0)
    return RedirectRow(code, client, method, length, outcome)


# --- step 3: a CORS preflight, answered or refused -------------------------------------

@result
@dataclass(frozen=True)
class PreflightRow:
    """A preflight for one origin: the server's answer and the verdict on it."""

    origin: str
    status: int
    allow_origin: str
    allow_methods: str
    vary: str
    verdict: str


class _CorsHandler(_Silent, http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_OPTIONS(self) -> None:
        origin = self.headers.get("Origin", "")
        self.send_response(204)
        if origin in ALLOWED_ORIGINS:
            self.send_header("Access-Control-Allow-Origin", origin)
            self.send_header("Access-Control-Allow-Methods", ", ".join(ALLOWED_METHODS))
            self.send_header("Access-Control-Allow-Headers", ", ".join(ALLOWED_HEADERS))
            self.send_header("Access-Control-Max-Age", str(PREFLIGHT_MAX_AGE_S))
        self.send_header("Vary", "Origin")
        self.send_header("Content-Length", "0")
        self.end_headers()


@public
def cors_verdict(status: Annotated[int, Field(ge=100, le=599)], allow_origin: str,
                 allow_methods: str, allow_headers: str,
                 origin: Origin,
                 method: Annotated[str, Field(min_length=1, max_length=32)],
                 request_headers: Sequence[str] = (),
                 credentials: bool = False) -> str:
    """The Fetch Standard's preflight checks, in short: "send" or the first reason to refuse."""
    if not 200 <= status <= 299:
        return f"refuse: status {status} is not 2xx"
    if allow_origin != origin and not (allow_origin == "*" and not credentials):
        return "refuse: Access-Control-Allow-Origin does not match"
    methods = {m.strip() for m in allow_methods.split(",") if m.strip()}
    if method not in SAFELISTED_METHODS and method not in methods and not (
            "*" in methods and not credentials):
        return f"refuse: {method} not in Access-Control-Allow-Methods"
    allowed = {h.strip().lower() for h in allow_headers.split(",") if h.strip()}
    for name in request_headers:
        # "*" never covers Authorization: it has to be listed by name (Fetch Standard).
        wildcard = "*" in allowed and not credentials and name.lower() != "authorization"
        if name.lower() not in allowed and not wildcard:
            return f"refuse: {name.lower()} not in Access-Control-Allow-Headers"
    return "send"


@public
def preflight_rows(origins: Annotated[Sequence[Origin], Field(min_length=1, max_length=8)]
                   = ("https://shop.test", "https://evil.test"),
                   method: Literal["PUT", "DELETE", "PATCH"] = "PUT") -> list[PreflightRow]:
    """Send a preflight (OPTIONS) for ``method`` with Content-Type from each origin."""
    rows = []
    with _serve(_CorsHandler) as (host, port):
        conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT_S)
        try:
            for origin in origins:
                conn.request("OPTIONS", "/api/cart", headers={
                    "Origin": origin, "Access-Control-Request-Method": method,
                    "Access-Control-Request-Headers": "content-type"})
                response = conn.getresponse()
                response.read()
                get = response.getheader
                verdict = cors_verdict(response.status, get("Access-Control-Allow-Origin", ""),
                                       get("Access-Control-Allow-Methods", ""),
                                       get("Access-Control-Allow-Headers", ""),
                                       origin, method, ("content-type",))
                rows.append(PreflightRow(origin, response.status,
                                         get("Access-Control-Allow-Origin", "(absent)"),
                                         get("Access-Control-Allow-Methods", "(absent)"),
                                         get("Vary", ""), verdict))
        finally:
            conn.close()
    return rows


# --- step 4: chunked framing, written by h11 and read by http.client ------------------

@result
@dataclass(frozen=True)
class ChunkedExchange:
    """A chunked response: its bytes on the wire and what an independent parser made of it."""

    wire: bytes
    header_lines: list[str]
    body_lines: list[str]
    decoded: bytes
    chunk_sizes: list[int]


class _BytesSocket:
    """What ``http.client.HTTPResponse`` needs from a socket: ``makefile``."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def makefile(self, mode: str) -> io.BufferedReader:
        return io.BufferedReader(io.BytesIO(self._data))


@public
def chunked_exchange(chunks: Annotated[Sequence[Chunk], Field(min_length=1, max_length=64)]
                     = (b"<p>one</p>", b"<p>two, longer</p>", b"<p>three</p>"),
                     ) -> ChunkedExchange:
    """Serve ``chunks`` as one HTTP/1.1 response without Content-Length, over loopback TCP."""
    with tcp_pair(timeout_s=TIMEOUT_S) as (client, server):
        client.sendall(b"GET /stream HTTP/1.1\r\nHost: www.shop.test\r\n\r\n")
        conn = h11.Connection(h11.SERVER)
        while True:
            conn.receive_data(server.recv(65536))
            event = conn.next_event()
            if isinstance(event, h11.Request):
                break
        out = conn.send(h11.Response(status_code=200, reason=b"OK",
                                     headers=[("Content-Type", "text/html")]))
        for chunk in chunks:
            out += conn.send(h11.Data(data=chunk))
        out += conn.send(h11.EndOfMessage())
        server.sendall(out)
        server.shutdown(socket.SHUT_WR)
        wire = _read_all(client)
    response = http.client.HTTPResponse(_BytesSocket(wire))  # type: ignore[arg-type]
    response.begin()
    decoded = response.read()
    head, _, body = wire.partition(b"\r\n\r\n")
    return ChunkedExchange(wire=wire,
                           header_lines=head.decode("ascii").split("\r\n"),
                           body_lines=body.decode("ascii").split("\r\n"),
                           decoded=decoded,
                           chunk_sizes=[len(c) for c in chunks])


def _read_all(sock: socket.socket) -> bytes:
    parts = []
    while True:
        part = sock.recv(65536)
        if not part:
            return b"".join(parts)
        parts.append(part)
