"""HTTP/1.1 with h11 and HTTP/2 with h2: both ends sans-IO, bytes in and bytes out.

The page-load lab drives them through TLS, so each end only turns bytes into events and
events into bytes, as the libraries are designed to be used. The server answers every
GET with a small page and an ``Alt-Svc`` header announcing HTTP/3 (RFC 7838 §3).
"""

from __future__ import annotations

import h2.config
import h2.connection
import h2.events
import h11

PAGE = b"<!doctype html><title>shop</title><p>hello</p>\n"


def alt_svc(h3_port: int, max_age_s: int = 86400) -> str:
    """The Alt-Svc field value announcing HTTP/3 on ``h3_port`` for ``max_age_s``."""
    return f'h3=":{h3_port}"; ma={max_age_s}'


class H11Client:
    """One GET over HTTP/1.1."""

    protocol = "http/1.1"

    def __init__(self, host: str) -> None:
        self.conn = h11.Connection(h11.CLIENT)
        self.host = host
        self.status: int | None = None
        self.headers: dict[str, str] = {}

    def request(self) -> bytes:
        """The request's bytes."""
        return (self.conn.send(h11.Request(method="GET", target="/",
                                           headers=[("Host", self.host),
                                                    ("User-Agent", "netlab")]))
                + self.conn.send(h11.EndOfMessage()))

    def feed(self, data: bytes) -> None:
        """Read response bytes; ``status`` is set once the status line has arrived."""
        if not data:  # h11 reads b"" as the end of the connection
            return
        self.conn.receive_data(data)
        for _ in range(16):
            event = self.conn.next_event()
            if event in (h11.NEED_DATA, h11.PAUSED) or isinstance(event, h11.ConnectionClosed):
                return
            if isinstance(event, h11.Response):
                self.status = event.status_code
                self.headers = {k.decode().lower(): v.decode() for k, v in event.headers}


class H11Server:
    """Answers one GET over HTTP/1.1."""

    def __init__(self, alt_svc_value: str) -> None:
        self.conn = h11.Connection(h11.SERVER)
        self.alt_svc = alt_svc_value
        self.responses = 0

    def feed(self, data: bytes) -> bytes:
        """Read request bytes; return the response once the request is complete."""
        if not data:  # h11 reads b"" as the end of the connection
            return b""
        self.conn.receive_data(data)
        for _ in range(16):
            event = self.conn.next_event()
            if event in (h11.NEED_DATA, h11.PAUSED) or isinstance(event, h11.ConnectionClosed):
                return b""
            if isinstance(event, h11.EndOfMessage):
                headers = [("Content-Type", "text/html"), ("Content-Length", str(len(PAGE))),
                           ("Alt-Svc", self.alt_svc)]
                self.responses += 1
                return (self.conn.send(h11.Response(status_code=200, headers=headers))
                        + self.conn.send(h11.Data(data=PAGE)) + self.conn.send(h11.EndOfMessage()))
        return b""


class H2Client:
    """One GET over HTTP/2 on stream 1, sent together with the connection preface."""

    protocol = "h2"

    def __init__(self, host: str) -> None:
        self.conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
        self.host = host
        self.status: int | None = None
        self.headers: dict[str, str] = {}

    def request(self) -> bytes:
        """Preface, SETTINGS and the HEADERS of the GET: RFC 9113 §3.4 lets them go at once."""
        self.conn.initiate_connection()
        self.conn.send_headers(1, [(":method", "GET"), (":scheme", "https"),
                                   (":authority", self.host), (":path", "/")], end_stream=True)
        return self.conn.data_to_send()

    def feed(self, data: bytes) -> None:
        """Read frames; ``status`` is set once the response HEADERS have arrived."""
        for event in self.conn.receive_data(data):
            if isinstance(event, h2.events.ResponseReceived):
                fields = {k.decode() if isinstance(k, bytes) else k:
                          v.decode() if isinstance(v, bytes) else v for k, v in event.headers}
                self.status = int(fields.pop(":status"))
                self.headers = fields


class H2Server:
    """Answers GETs over HTTP/2."""

    def __init__(self, alt_svc_value: str) -> None:
        self.conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
        self.conn.initiate_connection()  # the server's preface: its SETTINGS (RFC 9113 §3.4)
        self.alt_svc = alt_svc_value
        self.responses = 0

    def feed(self, data: bytes) -> bytes:
        """Read frames; return SETTINGS, ACKs and any responses they call for."""
        for event in self.conn.receive_data(data):
            if isinstance(event, h2.events.RequestReceived):
                self.conn.send_headers(event.stream_id, [
                    (":status", "200"), ("content-type", "text/html"),
                    ("content-length", str(len(PAGE))), ("alt-svc", self.alt_svc)])
                self.conn.send_data(event.stream_id, PAGE, end_stream=True)
                self.responses += 1
        return self.conn.data_to_send()


CLIENTS = {"http/1.1": H11Client, "h2": H2Client}
SERVERS = {"http/1.1": H11Server, "h2": H2Server}
