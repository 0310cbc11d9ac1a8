"""A new connection on a 4-tuple that is still in TIME-WAIT, on Linux loopback.

Two sides, two rules:

* **passive side** (the TIME-WAIT socket belongs to the server): a SYN for that 4-tuple
  may reopen it when its timestamp is newer than the last one seen, or its sequence
  number is above the old connection's (RFC 6191; RFC 9293 §3.6.1 MAY-2, SHLD-4). Linux
  always does this (``tcp_timewait_state_process``); there is no setting.
* **active side** (the TIME-WAIT socket belongs to the client): ``connect()`` from the same
  local port needs ``bind()`` with ``SO_REUSEADDR``, and the kernel then takes over the
  TIME-WAIT socket if TCP timestamps were in use (``tcp_twsk_unique``), starting the new
  connection's sequence numbers above the old ones. Ports picked by the kernel itself
  reuse a TIME-WAIT 4-tuple only with ``tcp_tw_reuse`` (loopback only by default) and
  after ``tcp_tw_reuse_delay``.
"""

from __future__ import annotations

import contextlib
import errno
import socket
import sys
import time
from dataclasses import dataclass
from typing import Annotated

from netlab._validate import one_of, public, result
from netlab.tcp.procfs import proc_net_tcp

__all__ = ["SIDES", "TimeWaitReuse", "reopen_time_wait"]

#: Who closed first, and so holds the TIME-WAIT socket.
SIDES = ("server", "client")
_SETTLE_S = 0.05


@result
@dataclass(frozen=True)
class TimeWaitReuse:
    """What happened when the same 4-tuple was connected again during TIME-WAIT."""

    time_wait_side: str  #: "server" or "client": the active closer
    in_time_wait: bool | None  #: the old 4-tuple was in TIME-WAIT before (None: unreadable)
    plain_bind: str  #: bind() of the client's old port without SO_REUSEADDR: "ok" or errno
    connected: bool  #: connect() on the old 4-tuple succeeded
    same_4_tuple: bool  #: the server accepted it from the client's old port


def _bound_client(port: int = 0, *, reuse: bool = True) -> socket.socket:
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if reuse:
        client.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        client.bind(("127.0.0.1", port))
    except OSError:
        client.close()
        raise
    return client


@public
def reopen_time_wait(time_wait_side: Annotated[str, one_of(SIDES)]) -> TimeWaitReuse:
    """Close a loopback connection from ``time_wait_side``, then connect the same 4-tuple."""
    if not sys.platform.startswith("linux"):
        raise RuntimeError("reopen_time_wait needs Linux (its TIME-WAIT rules are Linux's)")
    with contextlib.ExitStack() as stack:
        listener = stack.enter_context(socket.create_server(("127.0.0.1", 0)))
        server_address = listener.getsockname()
        client = _bound_client()
        client_port = client.getsockname()[1]
        client.connect(server_address)
        server = listener.accept()[0]
        first, second = (server, client) if time_wait_side == "server" else (client, server)
        first.close()  # the active closer: it ends in TIME-WAIT
        second.recv(1)  # end of file: the FIN arrived
        second.close()
        time.sleep(_SETTLE_S)
        sockets = proc_net_tcp(frozenset({server_address[1], client_port}))
        in_time_wait = None if sockets is None else any(s.state == "TIME_WAIT"
                                                         for s in sockets)
        try:
            _bound_client(client_port, reuse=False).close()
            plain_bind = "ok"
        except OSError as exc:
            plain_bind = errno.errorcode.get(exc.errno or 0, "error")
        again = stack.enter_context(_bound_client(client_port))
        connected = again.connect_ex(server_address) == 0
        same = False
        if connected:
            listener.settimeout(2.0)
            accepted, peer = listener.accept()
            accepted.close()
            same = peer[1] == client_port
    return TimeWaitReuse(time_wait_side, in_time_wait, plain_bind, connected, same)
