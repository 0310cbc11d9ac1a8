"""The real kernel's handshake on loopback: SYN retransmissions, the accept queue, the backlog.

No root is needed. A listener whose **accept queue is full** makes Linux drop incoming SYNs
silently (``tcp_conn_request`` counts ListenOverflows and ListenDrops and sends nothing),
so a client connecting to it keeps retransmitting its SYN exactly as it would towards a
host that does not answer. Its ``TCP_INFO`` counts each retransmission, and the
``TCP_SYNCNT`` socket option bounds how long it tries, so the kernel's whole SYN schedule
can be watched in a few seconds.

A listen(backlog) socket holds ``backlog + 1`` connections that finished the handshake
before it starts dropping SYNs (``sk_acceptq_is_full`` tests ``>``), and the kernel caps the
backlog at ``net.core.somaxconn``. ``TCP_INFO`` on a listener reports both numbers
(``tcpi_unacked``: connections waiting for accept(); ``tcpi_sacked``: the backlog in force),
which is what ``ss -lt`` prints as Recv-Q and Send-Q.

Times measured here are wall-clock times of a real kernel: callers round them to whole
seconds (the schedule's unit) before showing them.
"""

from __future__ import annotations

import contextlib
import errno
import select
import socket
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field

from netlab._validate import public, result
from netlab.tcp.procfs import netstat_counters
from netlab.tcpinfo import tcp_info

__all__ = ["AcceptQueueRun", "ListenQueue", "SynSchedule", "accept_queue_stall",
           "full_listener", "listen_queue", "measure_syn_schedule", "measure_syn_schedules"]

_POLL_S = 0.005  # how often the client's TCP_INFO is read while it retransmits
_LOCALHOST = "127.0.0.1"
#: Linux's largest TCP_SYNCNT (MAX_TCP_SYNCNT in include/net/tcp.h).
MAX_TCP_SYNCNT = 127


@result
@dataclass(frozen=True)
class SynSchedule:
    """What a client that connected to a silent listener saw, measured on loopback."""

    syn_count: int  #: the TCP_SYNCNT it ran with
    resent_at_s: tuple[float, ...]  #: when each SYN retransmission left, from the first SYN
    failed_after_s: float | None  #: when connect() failed, or None if it was still trying
    error: str | None  #: the errno connect() reported ("ETIMEDOUT"), or None
    retransmissions: int  #: the kernel's own count (tcpi_total_retrans)

    @property
    def resends(self) -> int:
        """How many SYN retransmissions were seen."""
        return len(self.resent_at_s)


@result
@dataclass(frozen=True)
class ListenQueue:
    """A listener's accept queue as TCP_INFO reports it (``ss -lt``: Recv-Q and Send-Q)."""

    waiting: int  #: connections that completed the handshake and wait for accept()
    backlog: int  #: the backlog in force: listen()'s argument, capped at somaxconn


@result
@dataclass(frozen=True)
class AcceptQueueRun:
    """A client that found the accept queue full, until the server accepted a connection."""

    backlog: int
    queued_before: ListenQueue  #: the queue the client met
    syn_retransmissions: int  #: SYNs the client resent before one got an answer
    connected_after_s: float | None  #: when connect() succeeded, or None
    accepted_at_s: float  #: when the server called accept() and made room
    counters_grew: dict[str, bool] | None  #: ListenOverflows/ListenDrops grew (None: unreadable)
    rto_after_s: float | None  #: the connected client's RTO (TCP_INFO), seconds


def _linux_only() -> None:
    if not sys.platform.startswith("linux") or not hasattr(socket, "TCP_SYNCNT"):
        raise RuntimeError("this measurement needs Linux (TCP_SYNCNT, TCP_INFO)")


Backlog = Annotated[int, Field(ge=0, le=16)]


@public
@contextlib.contextmanager
def full_listener(backlog: Backlog = 0) -> Iterator[socket.socket]:
    """A listener on 127.0.0.1 whose accept queue is full: it drops every further SYN.

    ``backlog + 1`` clients connect and are never accepted; they are closed on exit.
    """
    _linux_only()
    with contextlib.ExitStack() as stack:
        listener = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_STREAM))
        listener.bind((_LOCALHOST, 0))
        listener.listen(backlog)
        address = listener.getsockname()
        for _ in range(backlog + 1):
            stack.enter_context(socket.create_connection(address, timeout=2.0))
        _wait_until(lambda: listen_queue(listener).waiting == backlog + 1, 2.0)
        yield listener


def _wait_until(condition: object, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.001)
    return False


@public
def listen_queue(listener: socket.socket) -> ListenQueue:
    """The accept queue of a listening socket, from TCP_INFO."""
    if listener.fileno() < 0 or listener.type != socket.SOCK_STREAM:
        raise ValueError("listen_queue: listener: must be a listening TCP socket on Linux")
    info = tcp_info(listener)
    if info is None or info.state_name != "LISTEN":
        raise ValueError("listen_queue: listener: must be a listening TCP socket on Linux")
    return ListenQueue(waiting=info.unacked or 0, backlog=info.sacked or 0)


def _start_connect(address: tuple[str, int], syn_count: int | None) -> socket.socket:
    client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if syn_count is not None:
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_SYNCNT, syn_count)
    client.setblocking(False)
    code = client.connect_ex(address)
    if code not in (0, errno.EINPROGRESS):
        client.close()
        raise OSError(code, f"connect failed at once: {errno.errorcode.get(code, code)}")
    return client


def _watch(client: socket.socket, started: float, timeout_s: float
           ) -> tuple[list[float], float | None, str | None, int]:
    """Poll a connecting socket: retransmission times, end time, errno name, kernel count."""
    resent: list[float] = []
    seen = 0
    deadline = started + timeout_s
    while True:
        now = time.monotonic()
        info = tcp_info(client)
        count = (info.total_retrans or 0) if info is not None else 0
        resent.extend([now - started] * (count - seen))
        seen = max(seen, count)
        _, writable, _ = select.select([], [client], [], _POLL_S)
        if writable:
            ended = time.monotonic() - started
            code = client.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            info = tcp_info(client)
            count = (info.total_retrans or 0) if info is not None else seen
            resent.extend([ended] * (count - seen))
            return resent, ended, (errno.errorcode.get(code, str(code)) if code else None), count
        if now >= deadline:
            return resent, None, None, seen


@public
def measure_syn_schedule(syn_count: Annotated[int, Field(ge=1, le=MAX_TCP_SYNCNT)], *,
                         timeout_s: Annotated[float, Field(gt=0, le=200)] = 10.0
                         ) -> SynSchedule:
    """Connect with ``TCP_SYNCNT = syn_count`` to a listener that drops SYNs; time each resend.

    Waits at most ``timeout_s`` (the default Linux schedule with ``syn_count = 6`` takes
    about 134 s on loopback); ``failed_after_s`` is None if connect() was still trying.
    """
    _linux_only()
    with full_listener() as listener:
        started = time.monotonic()
        with _start_connect(listener.getsockname(), syn_count) as client:
            resent, ended, error, count = _watch(client, started, timeout_s)
    return SynSchedule(syn_count, tuple(resent), ended, error, count)


@public
def measure_syn_schedules(syn_counts: Annotated[list[Annotated[int, Field(ge=1, le=MAX_TCP_SYNCNT)]],
                                                Field(min_length=1, max_length=4)], *,
                          timeout_s: Annotated[float, Field(gt=0, le=200)] = 10.0
                          ) -> list[SynSchedule]:
    """:func:`measure_syn_schedule` for several counts at once, each with its own listener."""
    _linux_only()
    with ThreadPoolExecutor(max_workers=len(syn_counts),
                            thread_name_prefix="netlab-syn-schedule") as pool:
        runs = [pool.submit(measure_syn_schedule, n, timeout_s=timeout_s) for n in syn_counts]
        return [run.result() for run in runs]


def _counter_deltas(before: dict[str, int] | None, names: tuple[str, ...]
                    ) -> dict[str, bool] | None:
    after = netstat_counters()
    if before is None or after is None:
        return None
    return {name: after.get(name, 0) > before.get(name, 0) for name in names}


@public
def accept_queue_stall(*, backlog: Backlog = 0,
                       accept_after_s: Annotated[float, Field(gt=0, le=4)] = 1.5
                       ) -> AcceptQueueRun:
    """Connect to a listener whose accept queue is full; the server accepts one connection
    ``accept_after_s`` later. The client's connect() waits for its next SYN retransmission.
    """
    _linux_only()
    before = netstat_counters()
    with full_listener(backlog) as listener:
        queue = listen_queue(listener)
        started = time.monotonic()
        accepted: list[socket.socket] = []

        def accept_one() -> None:
            time.sleep(accept_after_s)
            accepted.append(listener.accept()[0])

        server = threading.Thread(target=accept_one, name="netlab-accept-queue", daemon=True)
        with _start_connect(listener.getsockname(), None) as client:
            server.start()
            _, ended, _, count = _watch(client, started, accept_after_s + 3.0)
            server.join(timeout=accept_after_s + 1.0)
            info = tcp_info(client)
            rto_s = info.rto_s if info is not None and ended is not None else None
        for conn in accepted:
            conn.close()
    return AcceptQueueRun(backlog, queue, count, ended, accept_after_s,
                          _counter_deltas(before, ("ListenOverflows", "ListenDrops")), rto_s)
