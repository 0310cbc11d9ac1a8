"""The tiny web application both servers run, spoken over HTTP/1.1 with h11.

h11 is a sans-IO HTTP/1.1 state machine: it takes bytes and hands back events,
and it never touches a socket. ``HttpSession`` wraps one h11 connection so that a
thread-per-connection worker and an event loop can share exactly the same
request handling, and differ only in *how* they wait for bytes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

import h11
from pydantic import Field

from netlab._validate import public, result
from netlab.servers.common import BlockSeconds

HELLO_BODY = b"hello\n"
BLOCKED_BODY = b"blocked\n"
PATHS = ("/", "/block")


@result
@dataclass(frozen=True)
class Reply:
    """What the application answers: status code and body bytes."""

    status: int
    body: bytes


@public
def app(target: str, *, block_s: BlockSeconds = 0.0) -> Reply:
    """Answer one request: ``/`` says hello, ``/block`` sleeps ``block_s`` first (a blocking call)."""
    if target == "/":
        return Reply(200, HELLO_BODY)
    if target == "/block":
        time.sleep(block_s)  # stands for a blocking disk read or a slow database call
        return Reply(200, BLOCKED_BODY)
    return Reply(404, b"not found\n")


ServerName = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[!-~]+$")]


@public
class HttpSession:
    """The server side of one HTTP/1.1 connection: bytes in, bytes out, keep-alive aware."""

    def __init__(self, *, server_name: ServerName, block_s: BlockSeconds = 0.0,
                 on_block: Callable[[bool], None] | None = None) -> None:
        self._on_block = on_block
        self._conn = h11.Connection(h11.SERVER)
        self._server_name = server_name.encode("ascii")
        self._block_s = block_s
        self._target = "/"
        self.requests_served = 0
        self.closed = False

    @property
    def reading_headers(self) -> bool:
        """True while part of a request's head has arrived but not all of it."""
        return (not self.closed and self._conn.their_state is h11.IDLE
                and bool(self._conn.trailing_data[0]))

    def feed(self, data: bytes) -> bytes:
        """Take bytes from the peer (``b""`` means it closed); return the bytes to send back."""
        self._conn.receive_data(data)
        out: list[bytes] = []
        while not self.closed:
            try:
                event = self._conn.next_event()
            except h11.RemoteProtocolError:
                out.append(self._error_reply())
                self.closed = True
                break
            if event is h11.NEED_DATA:
                break
            if event is h11.PAUSED:
                if self._conn.our_state is h11.DONE and self._conn.their_state is h11.DONE:
                    self._conn.start_next_cycle()
                    continue
                break
            if isinstance(event, h11.Request):
                self._target = event.target.decode("ascii", "replace")
            elif isinstance(event, h11.EndOfMessage):
                out.append(self._reply(self._answer()))
            elif isinstance(event, h11.ConnectionClosed):
                self.closed = True
        return b"".join(out)

    def _answer(self) -> Reply:
        blocking = self._target == "/block" and self._on_block is not None
        if blocking:
            self._on_block(True)  # tell the server a blocking call starts ...
        try:
            return app(self._target, block_s=self._block_s)
        finally:
            if blocking:
                self._on_block(False)  # ... and that it is over

    def _reply(self, reply: Reply) -> bytes:
        headers = [("Content-Type", "text/plain"), ("Content-Length", str(len(reply.body))),
                   ("Server", self._server_name)]
        data = self._conn.send(h11.Response(status_code=reply.status, headers=headers))
        data += self._conn.send(h11.Data(data=reply.body))
        data += self._conn.send(h11.EndOfMessage())
        self.requests_served += 1
        if self._conn.our_state is h11.MUST_CLOSE:
            self.closed = True
        else:
            self._conn.start_next_cycle()
        return data

    def _error_reply(self) -> bytes:
        if self._conn.our_state not in (h11.IDLE, h11.SEND_RESPONSE):
            return b""
        body = b"bad request\n"
        headers = [("Content-Length", str(len(body))), ("Connection", "close")]
        data = self._conn.send(h11.Response(status_code=400, headers=headers))
        return data + self._conn.send(h11.Data(data=body)) + self._conn.send(h11.EndOfMessage())
