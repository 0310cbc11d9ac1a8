"""Flow control on real sockets: a small receive buffer and a reader that pauses.

A sender writes into a non-blocking socket until the kernel refuses more
(the peer's buffer and its own send buffer are full and the peer advertises a zero
window); then the reader drains everything while the sender finishes, and the bytes
that arrive are compared with the bytes sent. Everything runs on 127.0.0.1.
"""

from __future__ import annotations

import hashlib
import random
import selectors
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass

from netlab._check import check_int, check_positive, check_seed
from netlab.tcpinfo import TcpInfo, tcp_info

LOOPBACK = "127.0.0.1"

@contextmanager
def small_buffer_pair(*, rcvbuf_bytes: int, sndbuf_bytes: int,
                      timeout_s: float = 5.0) -> Iterator[tuple[socket.socket, socket.socket]]:
    """Yield (sender, receiver) on 127.0.0.1 with SO_RCVBUF/SO_SNDBUF set before connecting."""
    check_int("rcvbuf_bytes", rcvbuf_bytes, min_value=1024, max_value=1 << 24)
    check_int("sndbuf_bytes", sndbuf_bytes, min_value=1024, max_value=1 << 24)
    check_positive("timeout_s", timeout_s)
    with ExitStack() as stack:
        listener = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
        # Set before listen(): the accepted socket inherits it, and the window scale
        # announced in the SYN-ACK is chosen from it.
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf_bytes)
        listener.bind((LOOPBACK, 0))
        listener.listen(1)
        listener.settimeout(timeout_s)
        sender = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
        sender.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, sndbuf_bytes)
        sender.settimeout(timeout_s)
        sender.connect(listener.getsockname())
        receiver, _ = listener.accept()
        stack.enter_context(receiver)
        receiver.settimeout(timeout_s)
        yield sender, receiver


@dataclass(frozen=True, slots=True)
class SlowReaderResult:
    """What the slow-reader experiment on loopback observed."""

    rcvbuf_bytes: int
    sndbuf_bytes: int
    total_bytes: int
    written_before_block: int
    info_while_blocked: TcpInfo | None
    bytes_received: int
    recv_calls: int
    in_order: bool


def _write_until_blocked(sender: socket.socket, data: memoryview, offset: int,
                         settle_s: float, deadline: float) -> int:
    """Write until the socket stays unwritable for settle_s; return the new offset."""
    sel = selectors.DefaultSelector()
    sel.register(sender, selectors.EVENT_WRITE)
    try:
        quiet_since = time.monotonic()
        while offset < len(data) and time.monotonic() < deadline:
            if sel.select(timeout=0.02):
                try:
                    offset += sender.send(data[offset:offset + 65536])
                    quiet_since = time.monotonic()
                    continue
                except BlockingIOError:
                    pass
            if time.monotonic() - quiet_since >= settle_s:
                break
    finally:
        sel.close()
    return offset


def slow_reader_experiment(*, rcvbuf_bytes: int = 16384, sndbuf_bytes: int = 16384,
                           total_bytes: int = 2_000_000, pause_s: float = 0.5,
                           seed: int = 7, timeout_s: float = 5.0) -> SlowReaderResult:
    """A reader that does not read while the sender writes; then it drains everything."""
    check_int("total_bytes", total_bytes, min_value=1, max_value=1 << 26)
    check_positive("pause_s", pause_s)
    check_seed("seed", seed)
    check_positive("timeout_s", timeout_s)
    data = memoryview(random.Random(seed).randbytes(total_bytes))
    deadline = time.monotonic() + timeout_s
    with small_buffer_pair(rcvbuf_bytes=rcvbuf_bytes, sndbuf_bytes=sndbuf_bytes,
                           timeout_s=timeout_s) as (sender, receiver):
        sender.setblocking(False)
        receiver.setblocking(False)
        # Phase 1: the reader pauses; the sender writes until the kernel blocks it.
        sent = _write_until_blocked(sender, data, 0, pause_s, deadline)
        written_before_block = sent
        info = tcp_info(sender)  # probes, backoff and snd_wnd (the peer's window) matter here
        # Phase 2: the reader drains while the sender finishes.
        digest = hashlib.sha256()
        received = recv_calls = 0
        sel = selectors.DefaultSelector()
        sel.register(receiver, selectors.EVENT_READ)
        sel.register(sender, selectors.EVENT_WRITE)
        try:
            while received < total_bytes and time.monotonic() < deadline:
                for key, _ in sel.select(timeout=0.05):
                    if key.fileobj is receiver:
                        chunk = receiver.recv(65536)
                        recv_calls += 1
                        received += len(chunk)
                        digest.update(chunk)
                    elif sent < total_bytes:
                        with suppress(BlockingIOError):
                            sent += sender.send(data[sent:sent + 65536])
                    else:
                        sel.unregister(sender)
        finally:
            sel.close()
    in_order = received == total_bytes and digest.digest() == hashlib.sha256(data).digest()
    return SlowReaderResult(rcvbuf_bytes, sndbuf_bytes, total_bytes, written_before_block,
                            info, received, recv_calls, in_order)
