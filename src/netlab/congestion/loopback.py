"""Flow control on real sockets: a small receive buffer and a reader that pauses.

A sender writes into a non-blocking socket until the kernel refuses more: the receiver
holds what its advertised window allowed, the peer now advertises a zero window, and the
sender's own send buffer is full of bytes that cannot leave. Then the reader drains
everything while the sender finishes, and the bytes that arrive are compared with the
bytes sent. Everything runs on 127.0.0.1.

Where the written bytes sit is read from the kernel: ``FIONREAD`` (SIOCINQ) on the
receiver, ``TIOCOUTQ`` (SIOCOUTQ) on the sender, and the buffer sizes the kernel keeps
(Linux doubles what SO_RCVBUF and SO_SNDBUF ask for, socket(7)).
"""

from __future__ import annotations

import hashlib
import random
import selectors
import socket
import struct
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field

from netlab._validate import check_work, public, result
from netlab.tcpinfo import TcpInfo, tcp_info

SocketBuffer = Annotated[int, Field(ge=1024, le=1 << 24)]
#: A loopback experiment's own time budget; settimeout and select take at most this.
TimeoutSeconds = Annotated[float, Field(gt=0, le=60)]
#: The quiet time a lab call may wait for the sender to stay blocked.
_WAIT_LIMIT_S = 5.0

LOOPBACK = "127.0.0.1"

@public
@contextmanager
def small_buffer_pair(*, rcvbuf_bytes: SocketBuffer, sndbuf_bytes: SocketBuffer,
                      timeout_s: TimeoutSeconds = 5.0
                      ) -> Iterator[tuple[socket.socket, socket.socket]]:
    """Yield (sender, receiver) on 127.0.0.1 with SO_RCVBUF/SO_SNDBUF set before connecting."""
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


@result
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
    first_window_bytes: int | None = None     # the window the receiver advertised at first
    kernel_rcvbuf_bytes: int | None = None    # what the kernel keeps for SO_RCVBUF
    kernel_sndbuf_bytes: int | None = None    # ... and for SO_SNDBUF
    receiver_queued_bytes: int | None = None  # unread at the receiver when the sender blocked
    sender_queued_bytes: int | None = None    # unsent or unacknowledged at the sender then


def _queued(sock: socket.socket, request: int) -> int | None:
    """Bytes in a socket's receive (FIONREAD) or send (TIOCOUTQ) queue, on Linux."""
    if not sys.platform.startswith("linux"):
        return None
    import fcntl
    buf = fcntl.ioctl(sock.fileno(), request, struct.pack("i", 0))
    return struct.unpack("i", buf)[0]


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


@public
def slow_reader_experiment(*, rcvbuf_bytes: SocketBuffer = 16384,
                           sndbuf_bytes: SocketBuffer = 16384,
                           total_bytes: Annotated[int, Field(ge=1, le=1 << 26)] = 2_000_000,
                           pause_s: Annotated[float, Field(gt=0, le=10)] = 0.5,
                           seed: Annotated[int, Field(ge=0, le=2**63 - 1)] = 7,
                           timeout_s: TimeoutSeconds = 5.0) -> SlowReaderResult:
    """A reader that does not read while the sender writes; then it drains everything."""
    check_work("pause_s", pause_s, work=pause_s, limit=_WAIT_LIMIT_S, unit="seconds of waiting")
    data = memoryview(random.Random(seed).randbytes(total_bytes))
    deadline = time.monotonic() + timeout_s
    with small_buffer_pair(rcvbuf_bytes=rcvbuf_bytes, sndbuf_bytes=sndbuf_bytes,
                           timeout_s=timeout_s) as (sender, receiver):
        sender.setblocking(False)
        receiver.setblocking(False)
        first = tcp_info(sender)
        kernel_rcvbuf = receiver.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
        kernel_sndbuf = sender.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
        # Phase 1: the reader pauses; the sender writes until the kernel blocks it.
        sent = _write_until_blocked(sender, data, 0, pause_s, deadline)
        written_before_block = sent
        info = tcp_info(sender)  # probes, backoff and snd_wnd (the peer's window) matter here
        import termios
        receiver_queued = _queued(receiver, termios.FIONREAD)
        sender_queued = _queued(sender, termios.TIOCOUTQ)
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
                            info, received, recv_calls, in_order,
                            None if first is None else first.snd_wnd, kernel_rcvbuf,
                            kernel_sndbuf, receiver_queued, sender_queued)
