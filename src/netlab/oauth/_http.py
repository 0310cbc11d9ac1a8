"""A tiny HTTP service on 127.0.0.1 that records every request it receives in a Trace."""

from __future__ import annotations

import base64
import hashlib
import json
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from netlab.oauth.trace import Trace

LOOPBACK = "127.0.0.1"
USER_AGENT_PREFIX = "netlab/"


@dataclass
class Request:
    """What a service sees of one HTTP request."""

    method: str
    url: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    headers: Message
    cookies: dict[str, str]
    src: str
    client_cert_sha256: str | None = None  # base64url SHA-256 of the TLS client certificate

    @property
    def params(self) -> dict[str, str]:
        """Query and form parameters together (form wins)."""
        return {**self.query, **self.form}


@dataclass
class Response:
    """What a service answers: status, body (text or JSON), headers, and a one-line summary."""

    status: int
    body: str | dict[str, Any] = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    summary: str = ""


def error_response(status: int, error: str, description: str) -> Response:
    """Return a JSON error body in the shape of RFC 6749 §5.2."""
    return Response(status, {"error": error, "error_description": description},
                    summary=f"error={error}")


class Service:
    """One HTTP server on 127.0.0.1:<ephemeral port> running ``app`` in a background thread."""

    def __init__(self, role: str, app: Callable[[Request], Response], trace: Trace,
                 tls: ssl.SSLContext | None = None) -> None:
        self.role = role
        self.app = app
        self.trace = trace
        self.errors: list[BaseException] = []
        self._server = ThreadingHTTPServer((LOOPBACK, 0), _make_handler(self))
        self._server.daemon_threads = True
        if tls is not None:  # HTTPS; with verify_mode CERT_REQUIRED, mutual TLS
            self._server.socket = tls.wrap_socket(self._server.socket, server_side=True)
        self.port: int = self._server.server_address[1]
        scheme = "https" if tls is not None else "http"
        self.base_url = f"{scheme}://{LOOPBACK}:{self.port}"
        trace.aliases[self.base_url] = role
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.01}, daemon=True)

    def start(self) -> Service:
        """Start serving in a daemon thread."""
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving and close the listening socket."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _make_handler(service: Service) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
            """Keep notebooks quiet: the Trace is the log."""

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            self._serve()

        def do_POST(self) -> None:  # noqa: N802 - stdlib name
            self._serve()

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            form = dict(parse_qsl(raw)) if raw else {}
            agent = self.headers.get("User-Agent", "")
            src = agent[len(USER_AGENT_PREFIX):] if agent.startswith(USER_AGENT_PREFIX) else "?"
            cookies = dict(c.strip().split("=", 1) for c in
                           self.headers.get("Cookie", "").split(";") if "=" in c)
            request = Request(self.command, f"{service.base_url}{self.path}", parts.path,
                              dict(parse_qsl(parts.query)), form, self.headers, cookies, src,
                              _client_cert_sha256(self.connection))
            hop = service.trace.record(src=src, dst=service.role, method=self.command,
                                       path=parts.path, params=request.params,
                                       auth=_auth_kind(self.headers.get("Authorization", "")))
            try:
                response = service.app(request)
            except Exception as exc:  # a bug in a lab service must not hang the browser
                service.errors.append(exc)
                response = error_response(500, "server_error", type(exc).__name__)
            location = dict(response.headers).get("Location")
            if location:
                target, _, query = location.partition("?")
                service.trace.complete(hop, response.status, "→ " + target, dict(parse_qsl(query)))
            else:
                service.trace.complete(hop, response.status, response.summary)
            body = response.body
            data = (json.dumps(body) if isinstance(body, dict) else body).encode()
            self.send_response(response.status)
            names = {name.lower() for name, _ in response.headers}
            for name, value in response.headers:
                self.send_header(name, value)
            if "content-type" not in names:
                kind = "application/json" if isinstance(body, dict) else "text/plain"
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _client_cert_sha256(connection: object) -> str | None:
    """The x5t#S256 value of RFC 8705 §3.1 for the peer's certificate, if it sent one."""
    if not isinstance(connection, ssl.SSLSocket):
        return None
    der = connection.getpeercert(binary_form=True)
    if not der:
        return None
    return base64.urlsafe_b64encode(hashlib.sha256(der).digest()).rstrip(b"=").decode()


def _auth_kind(header: str) -> str:
    """Return how the request authenticated, without the credential itself."""
    kind = header.split(" ", 1)[0].lower()
    return {"basic": "client auth: Basic", "bearer": "Bearer token",
            "dpop": "DPoP token"}.get(kind, "")
