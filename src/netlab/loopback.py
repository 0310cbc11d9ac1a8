"""Sockets on 127.0.0.1 that always close: the shared core behind every socket lab.

Every helper binds 127.0.0.1 on port 0 (an ephemeral port chosen by the kernel),
sets a timeout so that nothing can hang a notebook, and closes every socket when
the ``with`` block ends, also when the block raises.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from netlab._check import check_positive

LOOPBACK = "127.0.0.1"
DEFAULT_TIMEOUT_S = 5.0


@contextmanager
def tcp_pair(*, timeout_s: float = DEFAULT_TIMEOUT_S,
             nodelay: bool = False) -> Iterator[tuple[socket.socket, socket.socket]]:
    """Yield ``(client, server)``: two ends of one TCP connection on 127.0.0.1."""
    check_positive("timeout_s", timeout_s)
    with ExitStack() as stack:
        listener = stack.enter_context(socket.create_server((LOOPBACK, 0), backlog=1))
        listener.settimeout(timeout_s)
        client = stack.enter_context(socket.create_connection(listener.getsockname(),
                                                              timeout=timeout_s))
        server, _ = listener.accept()
        stack.enter_context(server)
        server.settimeout(timeout_s)
        if nodelay:
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        yield client, server


@contextmanager
def udp_pair(*, timeout_s: float = DEFAULT_TIMEOUT_S,
             rcvbuf_bytes: int | None = None) -> Iterator[tuple[socket.socket, socket.socket]]:
    """Yield ``(sender, receiver)``: two UDP sockets on 127.0.0.1, the sender connected."""
    check_positive("timeout_s", timeout_s)
    with ExitStack() as stack:
        receiver = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
        if rcvbuf_bytes is not None:
            check_positive("rcvbuf_bytes", rcvbuf_bytes)
            receiver.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, int(rcvbuf_bytes))
        receiver.bind((LOOPBACK, 0))
        receiver.settimeout(timeout_s)
        sender = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
        sender.settimeout(timeout_s)
        sender.connect(receiver.getsockname())
        yield sender, receiver
