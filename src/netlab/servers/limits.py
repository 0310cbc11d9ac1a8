"""What a server runs out of, and how connections reach it, measured on loopback as counts.

- ``measure_fd_limit``: a server whose soft ``RLIMIT_NOFILE`` leaves room for a few
  descriptors only; ``accept()`` fails with EMFILE and the rest of the clients wait in
  the accept queue until descriptors are freed.
- ``measure_slowloris``: clients that send the head of a request one byte at a time,
  against both designs, with the header deadline on or off.
- ``accept_queue``: what the kernel reports about a listener's accept queue
  (``TCP_INFO`` on a listening socket: ``tcpi_unacked`` is the queue's length,
  ``tcpi_sacked`` the backlog in force after the ``somaxconn`` cap).
- ``herd_wakeups``: how many threads, each waiting in its own epoll on one shared
  listener, wake for one connection, with and without ``EPOLLEXCLUSIVE``.
- ``reuseport_spread``: how Linux spreads connections over listeners that share a port
  with ``SO_REUSEPORT``.
"""

from __future__ import annotations

import contextlib
import errno
import select
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field

from netlab._validate import public, result
from netlab.servers.common import LOOPBACK
from netlab.servers.experiments import check_clients, make_server
from netlab.servers.load import ClientScript, run_load
from netlab.servers.process import ServerProcess
from netlab.tcpinfo import tcp_info

Design = Literal["thread pool", "event loop"]
_WAIT_S = 2.0  # the longest any kernel-side condition below is waited for


@result
@dataclass(frozen=True)
class FdLimitResult:
    """Clients that held their connections against a server with few descriptors to spare."""

    design: str
    clients: int
    spare_fds: int
    answered_while_full: int
    waiting_while_full: int
    accept_errors_seen: bool
    answered_in_the_end: int
    failed: int


@public
def measure_fd_limit(design: Design, *, clients: Annotated[int, Field(ge=1, le=200)] = 12,
                     spare_fds: Annotated[int, Field(ge=1, le=100)] = 8) -> FdLimitResult:
    """``clients`` idle keep-alive clients against a server that can open ``spare_fds`` more fds."""
    check_clients("clients", clients)
    with ServerProcess(design, pool_size=clients, spare_fds=spare_fds) as server:
        report = run_load(server, [ClientScript(hold=True)] * clients, time_limit_s=10.0,
                          settle_s=0.2)
        stats = server.stats()
    snap = report.snapshot
    if snap is None:
        raise RuntimeError("the clients never settled within the time limit")
    return FdLimitResult(design=design, clients=clients, spare_fds=spare_fds,
                         answered_while_full=snap.answered, waiting_while_full=snap.waiting,
                         accept_errors_seen=stats.accept_errors > 0,
                         answered_in_the_end=report.served, failed=report.failed_connections)


@result
@dataclass(frozen=True)
class SlowlorisResult:
    """Slow clients and legitimate ones against one server, during and after the attack."""

    design: str
    header_timeout_s: float | None
    keepalive_timeout_s: float
    slow_clients: int
    slow_dropped_by_server: int
    legit: int
    legit_answered_during_attack: int
    legit_answered: int

    @property
    def denied(self) -> bool:
        """True when no legitimate request was answered while the attack went on."""
        return self.legit_answered_during_attack == 0


@public
def measure_slowloris(design: Design, *, slow_clients: Annotated[int, Field(ge=1, le=200)] = 8,
                      legit: Annotated[int, Field(ge=1, le=50)] = 4,
                      pool_size: Annotated[int, Field(ge=1, le=200)] = 8,
                      header_timeout_s: Annotated[float, Field(gt=0, le=5)] | None = None,
                      keepalive_timeout_s: Annotated[float, Field(gt=0, le=10)] = 5.0,
                      attack_s: Annotated[float, Field(ge=0.5, le=5)] = 1.5,
                      trickle_s: Annotated[float, Field(ge=0.01, le=1)] = 0.1) -> SlowlorisResult:
    """``slow_clients`` Slowloris clients for ``attack_s``, and ``legit`` GETs sent 0.2 s in.

    Each slow client sends its request line and then one header byte every ``trickle_s``.
    A legitimate request counts as answered *during the attack* when its answer came
    before the slow clients gave up.
    """
    if trickle_s >= keepalive_timeout_s:
        raise ValueError(f"trickle_s must be shorter than keepalive_timeout_s "
                         f"({keepalive_timeout_s:g}), got {trickle_s:g}")
    slow = ClientScript(trickle_s=trickle_s, trickle_for_s=attack_s)
    scripts = [slow] * slow_clients
    scripts += [ClientScript(start_s=0.2 + 0.01 * i) for i in range(legit)]
    with make_server(design, pool_size=pool_size, header_timeout_s=header_timeout_s,
                     keepalive_timeout_s=keepalive_timeout_s) as server:
        report = run_load(server, scripts, time_limit_s=attack_s + 5.0)
    answers = [r for r in report.records if r.client >= slow_clients and r.done_s is not None]
    return SlowlorisResult(design=design, header_timeout_s=header_timeout_s,
                           keepalive_timeout_s=keepalive_timeout_s, slow_clients=slow_clients,
                           slow_dropped_by_server=report.slow_closed_by_server, legit=legit,
                           legit_answered_during_attack=sum(r.done_s < attack_s for r in answers),
                           legit_answered=len(answers))


@result
@dataclass(frozen=True)
class AcceptQueue:
    """A listener's accept queue as Linux reports it, after ``clients`` connection attempts."""

    backlog_asked: int
    backlog_in_force: int
    clients: int
    queued: int


@contextlib.contextmanager
def _clients(address: tuple[str, int], count: int) -> Iterator[list[socket.socket]]:
    socks: list[socket.socket] = []
    try:
        for _ in range(count):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            socks.append(sock)
            sock.setblocking(False)
            sock.connect_ex(address)
        yield socks
    finally:
        for sock in socks:
            sock.close()


@public
def accept_queue(backlog: Annotated[int, Field(ge=0, le=1_000_000)] = 2,
                 clients: Annotated[int, Field(ge=0, le=256)] = 6) -> AcceptQueue | None:
    """Listen with ``backlog``, never accept, let ``clients`` connect: what the kernel queued.

    None where ``TCP_INFO`` cannot be read (not Linux).
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind((LOOPBACK, 0))
        listener.listen(backlog)
        first = tcp_info(listener)
        if first is None or first.sacked is None or first.unacked is None:
            return None
        with _clients(listener.getsockname(), clients):
            queued, stable_since, deadline = -1, time.monotonic(), time.monotonic() + _WAIT_S
            while time.monotonic() < deadline:  # wait until the queue stops growing
                info = tcp_info(listener)
                now_queued = info.unacked if info is not None and info.unacked is not None else 0
                if now_queued != queued:
                    queued, stable_since = now_queued, time.monotonic()
                elif queued >= clients or time.monotonic() - stable_since > 0.2:
                    break
                time.sleep(0.01)
        return AcceptQueue(backlog_asked=backlog, backlog_in_force=first.sacked,
                           clients=clients, queued=queued)


def _in_epoll_wait(thread: threading.Thread) -> bool | None:
    """Whether the thread sleeps in epoll_wait (Linux /proc wchan), None where unreadable."""
    try:
        with open(f"/proc/self/task/{thread.native_id}/wchan", encoding="ascii") as f:
            return "epoll" in f.read()
    except OSError:
        return None


@public
def herd_wakeups(waiters: Annotated[int, Field(ge=1, le=32)] = 4, *,
                 exclusive: bool = False) -> int | None:
    """Threads, each in its own epoll on one shared listener, woken by one connection.

    Every waiter is asleep in ``epoll_wait`` before the client connects (checked in
    ``/proc``); nobody accepts, so a waiter that is woken sees the connection. None where
    epoll is missing.
    """
    if not hasattr(select, "epoll"):
        return None
    flags = select.EPOLLIN | (select.EPOLLEXCLUSIVE if exclusive else 0)
    woken: list[int] = []
    lock = threading.Lock()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind((LOOPBACK, 0))
        listener.listen(16)
        listener.setblocking(False)
        polls = [select.epoll() for _ in range(waiters)]
        try:
            for ep in polls:
                ep.register(listener.fileno(), flags)

            def wait(index: int) -> None:
                if polls[index].poll(_WAIT_S):
                    with lock:
                        woken.append(index)

            threads = [threading.Thread(target=wait, args=(i,), daemon=True)
                       for i in range(waiters)]
            for thread in threads:
                thread.start()
            deadline = time.monotonic() + _WAIT_S / 2
            while time.monotonic() < deadline:
                asleep = [_in_epoll_wait(t) for t in threads]
                if all(a is not False for a in asleep):
                    break
                time.sleep(0.005)
            if any(a is None for a in asleep):
                time.sleep(0.2)  # no wchan here: give the threads time to reach epoll_wait
            with socket.create_connection(listener.getsockname(), timeout=_WAIT_S):
                for thread in threads:
                    thread.join(_WAIT_S + 1)
        finally:
            for ep in polls:
                ep.close()
    return len(woken)


@result
@dataclass(frozen=True)
class ReuseportResult:
    """Connections the kernel handed to each of several SO_REUSEPORT listeners on one port."""

    listeners: int
    connections: int
    per_listener: tuple[int, ...]
    second_bind_without_reuseport: str


@public
def reuseport_spread(listeners: Annotated[int, Field(ge=2, le=16)] = 4,
                     connections: Annotated[int, Field(ge=1, le=512)] = 64) -> ReuseportResult:
    """Open ``listeners`` sockets on one port with SO_REUSEPORT, connect, count per listener.

    ``per_listener`` is sorted, largest first; ``second_bind_without_reuseport`` is the
    error a second plain ``bind()`` to the same port gets (``EADDRINUSE``).
    """
    if not hasattr(socket, "SO_REUSEPORT"):
        raise ValueError("listeners: SO_REUSEPORT is not available on this system")
    socks: list[socket.socket] = []
    try:
        for _ in range(listeners):
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            socks.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
            sock.bind((LOOPBACK, socks[0].getsockname()[1] if len(socks) > 1 else 0))
            sock.listen(connections)
        port = socks[0].getsockname()[1]
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as plain:
            try:
                plain.bind((LOOPBACK, port))
                refused = "none"
            except OSError as exc:
                refused = errno.errorcode.get(exc.errno or 0, str(exc.errno))
        counts = [0] * listeners
        with _clients((LOOPBACK, port), connections):
            for sock in socks:
                sock.settimeout(0.05)
            deadline = time.monotonic() + _WAIT_S
            while sum(counts) < connections and time.monotonic() < deadline:
                for index, sock in enumerate(socks):
                    with contextlib.suppress(TimeoutError, BlockingIOError):
                        conn, _ = sock.accept()
                        conn.close()
                        counts[index] += 1
    finally:
        for sock in socks:
            sock.close()
    return ReuseportResult(listeners=listeners, connections=connections,
                           per_listener=tuple(sorted(counts, reverse=True)),
                           second_bind_without_reuseport=refused)

