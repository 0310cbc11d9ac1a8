"""How a real Linux connection ends, seen from the peer: FIN or RST, EOF or ECONNRESET.

Each case runs one connection on 127.0.0.1 and closes the server's socket in a different
way; the client then reads and writes, and reports the errno it got. Linux sends a RST
instead of a FIN when the application closes a socket that still holds unread data (RFC
9293 §3.6.1 SHLD-3; RFC 2525 §2.17) or when ``SO_LINGER`` is set with a timeout of 0, and
a RST leaves nobody in TIME-WAIT. The kernel counts the first as ``TCPAbortOnClose`` and
the second as ``TCPAbortOnData`` in /proc/net/netstat.
"""

from __future__ import annotations

import contextlib
import errno
import socket
import struct
import sys
import time
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field

from netlab._validate import one_of, public, result
from netlab.tables import format_table
from netlab.tcp.procfs import netstat_counters, proc_net_tcp

__all__ = ["CLOSE_CASES", "CloseOutcome", "close_outcome", "close_table"]

_SETTLE_S = 0.05  # loopback delivers in microseconds; this is ample and keeps runs short

#: The ways the server ends the connection, and the kernel counter each one moves.
CLOSE_CASES = {
    "close() after reading everything": None,
    "close() with unread data": "TCPAbortOnClose",
    "SO_LINGER 0, then close()": "TCPAbortOnData",
    "response, then close() with unread data": "TCPAbortOnClose",
}
_REQUEST = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
_RESPONSE = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


@result
@dataclass(frozen=True)
class CloseOutcome:
    """What the server's socket became after close(), and what the client then saw."""

    case: str
    server_state: str | None  #: the server's socket after close(): "FIN_WAIT2", "gone"...
    recvs: tuple[str, str]  #: the client's next two reads: "EOF", "ECONNRESET", "N bytes"
    sends: tuple[str, str]  #: then its next two writes: "ok", "EPIPE", "ECONNRESET"
    counter_grew: bool | None  #: the case's counter grew (None: no counter or unreadable)


def _outcome(call: object) -> str:
    try:
        value = call()  # type: ignore[operator]
    except OSError as exc:
        return errno.errorcode.get(exc.errno or 0, type(exc).__name__)
    if isinstance(value, bytes):
        return "EOF" if value == b"" else f"{len(value)} bytes"
    return "ok"


def _socket_state(ports: frozenset[int], local_port: int) -> str | None:
    sockets = proc_net_tcp(ports)
    if sockets is None:
        return None
    return next((s.state for s in sockets if s.local_port == local_port), "gone")


CloseCase = Annotated[str, one_of(CLOSE_CASES)]


@public
def close_outcome(case: CloseCase) -> CloseOutcome:
    """Run one connection on loopback, end it the way ``case`` says, and report what happened."""
    if not sys.platform.startswith("linux"):
        raise RuntimeError("close_outcome needs Linux (the errno names and /proc are Linux's)")
    counter = CLOSE_CASES[case]
    before = netstat_counters()
    with contextlib.ExitStack() as stack:
        listener = stack.enter_context(socket.create_server(("127.0.0.1", 0)))
        client = stack.enter_context(socket.create_connection(listener.getsockname(), 2.0))
        server = listener.accept()[0]
        ports = frozenset({listener.getsockname()[1], client.getsockname()[1]})
        client.sendall(_REQUEST)
        time.sleep(_SETTLE_S)
        if case == "close() after reading everything":
            server.recv(len(_REQUEST))
        elif case == "SO_LINGER 0, then close()":
            server.recv(len(_REQUEST))
            server.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif case == "response, then close() with unread data":
            server.recv(4)  # reads only part of the request, answers, closes
            server.sendall(_RESPONSE)
        server.close()
        time.sleep(_SETTLE_S)
        state = _socket_state(ports, listener.getsockname()[1])
        recvs = (_outcome(lambda: client.recv(4096)), _outcome(lambda: client.recv(4096)))
        first_send = _outcome(lambda: client.send(b"more"))
        time.sleep(_SETTLE_S)  # a write to a closed peer is answered with a RST
        sends = (first_send, _outcome(lambda: client.send(b"more")))
    after = netstat_counters()
    grew = (None if counter is None or before is None or after is None
            else after.get(counter, 0) > before.get(counter, 0))
    return CloseOutcome(case, state, recvs, sends, grew)


@public
def close_table(cases: Annotated[list[CloseCase], Field(min_length=1, max_length=8)]) -> str:
    """Run each case and show what the server's socket became and what the client saw."""
    rows = []
    for case in cases:
        outcome = close_outcome(case)
        counter = CLOSE_CASES[case]
        seen = {None: "?", True: "grew", False: "no"}[outcome.counter_grew]
        grew = "-" if counter is None else f"{counter}: {seen}"
        rows.append((case, outcome.server_state or "?", *outcome.recvs, *outcome.sends, grew))
    return format_table(rows, ("the server", "its socket", "recv", "recv again", "send",
                               "send again", "kernel counter"))
