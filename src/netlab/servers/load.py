"""A bounded load generator: many keep-alive HTTP/1.1 clients in one thread.

The clients run in a single selector loop (no client threads), so the threads
counted while it runs are the server's. Every run stops by itself: when each
client has finished, or at ``time_limit_s``. Every socket is closed on the way
out, also when something raises.
"""

from __future__ import annotations

import contextlib
import errno
import math
import selectors
import socket
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import h11

from netlab._check import check_float, check_int
from netlab.servers.common import ServerStats, ensure_fd_limit, rss_bytes, thread_count
from netlab.tcpinfo import tcp_info

_TICK_S = 0.005  # longest wait in select() before the clients' timers are checked again


class Server(Protocol):
    """What the load generator needs from a server."""

    design: str

    @property
    def address(self) -> tuple[str, int]: ...  # noqa: D102

    def stats(self) -> ServerStats: ...  # noqa: D102


@dataclass(frozen=True)
class ClientScript:
    """What one client does: connect at ``start_s``, send ``requests`` GETs, maybe hold idle."""

    start_s: float = 0.0
    path: str = "/"
    requests: int = 1
    think_s: float = 0.0
    hold: bool = False
    gate: Callable[[], bool] | None = None

    def __post_init__(self) -> None:
        check_float("start_s", self.start_s, min_value=0.0, max_value=60.0)
        check_int("requests", self.requests, min_value=1, max_value=1000)
        check_float("think_s", self.think_s, min_value=0.0, max_value=60.0)


@dataclass(frozen=True)
class RequestRecord:
    """One request as the client saw it; ``done_s`` is None if no answer came."""

    client: int
    index: int
    path: str
    sent_s: float
    done_s: float | None
    status: int | None
    retransmits: int = 0

    @property
    def latency_s(self) -> float | None:
        """Seconds from sending the request to the end of the response."""
        return None if self.done_s is None else self.done_s - self.sent_s


@dataclass(frozen=True)
class Snapshot:
    """The process and the server while every client was settled (answered, idle or waiting)."""

    threads: int
    rss_bytes: int
    answered: int
    waiting: int
    server: ServerStats


@dataclass(frozen=True)
class LoadReport:
    """Everything one run measured, per request and in total."""

    design: str
    records: tuple[RequestRecord, ...]
    snapshot: Snapshot | None
    released_s: float | None
    failed_connections: int
    timed_out: bool
    wait_threshold_s: float

    @property
    def served(self) -> int:
        """Requests that got a response."""
        return sum(r.done_s is not None for r in self.records)

    @property
    def unanswered(self) -> int:
        """Requests sent that never got a response before the run ended."""
        return sum(r.done_s is None for r in self.records)

    @property
    def answered_after_release(self) -> int:
        """Requests answered only after the holding clients left: they waited for them."""
        if self.released_s is None:
            return 0
        return sum(r.done_s is not None and r.done_s > self.released_s for r in self.records)

    @property
    def waited(self) -> int:
        """Requests answered later than ``wait_threshold_s``: they queued behind something."""
        return sum(r.latency_s is not None and r.latency_s > self.wait_threshold_s
                   for r in self.records)

    def percentile_s(self, q: float) -> float:
        """Latency percentile ``q`` in [0, 100] of the answered requests (nearest rank)."""
        check_float("q", q, min_value=0.0, max_value=100.0)
        latencies = sorted(r.latency_s for r in self.records if r.latency_s is not None)
        if not latencies:
            return math.nan
        rank = max(1, math.ceil(q / 100 * len(latencies)))
        return latencies[rank - 1]


def _total_retrans(sock: socket.socket) -> int:
    """Segments this socket has retransmitted so far (Linux TCP_INFO), 0 where unknown."""
    info = tcp_info(sock)
    return 0 if info is None or info.total_retrans is None else info.total_retrans


class _Client:
    def __init__(self, index: int, script: ClientScript) -> None:
        self.index = index
        self.script = script
        self.sock: socket.socket | None = None
        self.h11 = h11.Connection(h11.CLIENT)
        self.state = "new"  # new, connecting, sending, reading, thinking, holding, done
        self.sent = 0
        self.sent_s = 0.0
        self.next_s = script.start_s
        self.status: int | None = None
        self.outbox = b""

    def request_bytes(self, host: str) -> bytes:
        request = h11.Request(method="GET", target=self.script.path,
                              headers=[("Host", host), ("Connection", "keep-alive")])
        return self.h11.send(request) + self.h11.send(h11.EndOfMessage())


def run_load(server: Server, scripts: Sequence[ClientScript], *, time_limit_s: float = 5.0,
             settle_s: float = 0.2, wait_threshold_s: float = 0.1) -> LoadReport:
    """Run every client script against ``server`` until all finish or ``time_limit_s`` passes."""
    check_int("len(scripts)", len(scripts), min_value=1, max_value=5000)
    check_float("time_limit_s", time_limit_s, min_value=0.0, min_inclusive=False, max_value=60.0)
    check_float("settle_s", settle_s, min_value=0.0, max_value=10.0)
    check_float("wait_threshold_s", wait_threshold_s, min_value=0.0, min_inclusive=False,
                max_value=60.0)
    ensure_fd_limit(2 * len(scripts) + 256)
    clients = [_Client(i, s) for i, s in enumerate(scripts)]
    records: list[RequestRecord] = []
    run = _Run(server, clients, records, settle_s)
    try:
        timed_out = run.loop(time_limit_s)
    finally:
        run.close_all()
    pending = [RequestRecord(c.index, max(c.sent - 1, 0), c.script.path, c.sent_s, None, None)
               for c in clients if c.state in ("connecting", "sending", "reading")]
    return LoadReport(design=server.design, records=tuple(sorted(records + pending,
                      key=lambda r: (r.client, r.index))), snapshot=run.snapshot,
                      released_s=run.released_s,
                      failed_connections=run.failed, timed_out=timed_out,
                      wait_threshold_s=wait_threshold_s)


class _Run:
    def __init__(self, server: Server, clients: list[_Client], records: list[RequestRecord],
                 settle_s: float) -> None:
        self.server = server
        self.clients = clients
        self.records = records
        self.settle_s = settle_s
        self.selector = selectors.DefaultSelector()
        self.start = time.monotonic()
        self.snapshot: Snapshot | None = None
        self.released_s: float | None = None
        self.quiet_s = 0.0  # time spent in select() with nothing happening, since the last event
        self.failed = 0
        host, port = server.address
        self.address = (host, port)
        self.host = f"{host}:{port}"

    def now(self) -> float:
        return time.monotonic() - self.start

    def loop(self, time_limit_s: float) -> bool:
        while any(c.state != "done" for c in self.clients):
            now = self.now()
            if now > time_limit_s:
                return True
            for client in self.clients:
                self.tick(client, now)
            if self.snapshot is None and self.settled(now):
                self.take_snapshot()
            before = time.monotonic()
            events = self.selector.select(timeout=_TICK_S)
            if events:
                self.quiet_s = 0.0
            else:
                self.quiet_s += min(time.monotonic() - before, 2 * _TICK_S)
            for key, mask in events:
                self.on_ready(key.data, mask)
        return False

    def settled(self, now: float) -> bool:
        """Every client answered, idle, or waiting for ``settle_s`` with no progress meanwhile."""
        any_waiting = False
        for c in self.clients:
            if c.state in ("new", "thinking"):
                return False
            waiting = c.state in ("connecting", "sending", "reading")
            if waiting and now - c.sent_s < self.settle_s:
                return False
            any_waiting = any_waiting or waiting
        # On a loaded machine the server may just be slow: wait until it has been quiet for
        # settle_s of real waiting, so that time this process spent descheduled does not count.
        return not any_waiting or self.quiet_s >= self.settle_s

    def take_snapshot(self) -> None:
        waiting = sum(c.state in ("connecting", "sending", "reading") for c in self.clients)
        self.snapshot = Snapshot(threads=thread_count(), rss_bytes=rss_bytes(),
                                 answered=len(self.records), waiting=waiting,
                                 server=self.server.stats())
        self.released_s = self.now()
        for client in self.clients:
            if client.state == "holding":
                self.finish(client)

    def tick(self, c: _Client, now: float) -> None:
        if c.state == "new" and now >= c.next_s and (c.script.gate is None or c.script.gate()):
            c.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            c.sock.setblocking(False)
            code = c.sock.connect_ex(self.address)
            if code not in (0, errno.EINPROGRESS):
                self.fail(c)
                return
            c.state = "connecting"
            c.sent_s = now  # the first request's latency includes any wait to be accepted
            self.selector.register(c.sock, selectors.EVENT_WRITE, c)
        elif c.state == "thinking" and now >= c.next_s:
            self.send_next(c)

    def send_next(self, c: _Client) -> None:
        assert c.sock is not None
        c.outbox = c.request_bytes(self.host)
        if c.sent > 0:
            c.sent_s = self.now()
        c.sent += 1
        c.state = "sending"
        self.selector.modify(c.sock, selectors.EVENT_WRITE, c)

    def on_ready(self, c: _Client, mask: int) -> None:
        assert c.sock is not None
        if c.state == "connecting":
            if c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
                self.fail(c)
                return
            self.send_next(c)
        if c.state == "sending":
            try:
                c.outbox = c.outbox[c.sock.send(c.outbox):]
            except (BlockingIOError, InterruptedError):
                return
            except OSError:
                self.fail(c)
                return
            if not c.outbox:
                c.state = "reading"
                self.selector.modify(c.sock, selectors.EVENT_READ, c)
        elif c.state == "reading" and mask & selectors.EVENT_READ:
            self.read(c)

    def read(self, c: _Client) -> None:
        assert c.sock is not None
        try:
            data = c.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        c.h11.receive_data(data)
        while True:
            try:
                event = c.h11.next_event()
            except h11.RemoteProtocolError:
                self.fail(c)
                return
            if event is h11.NEED_DATA and data:
                return
            if isinstance(event, h11.Response):
                c.status = event.status_code
            elif isinstance(event, h11.EndOfMessage):
                self.records.append(RequestRecord(c.index, c.sent - 1, c.script.path, c.sent_s,
                                                  self.now(), c.status,
                                                  _total_retrans(c.sock)))
                self.after_response(c)
                return
            elif event is h11.NEED_DATA or isinstance(event, h11.ConnectionClosed):
                self.fail(c)
                return

    def after_response(self, c: _Client) -> None:
        assert c.sock is not None
        if c.sent < c.script.requests:
            c.h11.start_next_cycle()
            c.state = "thinking"
            c.next_s = self.now() + c.script.think_s
            self.selector.unregister(c.sock)
            self.selector.register(c.sock, selectors.EVENT_READ, c)
        elif c.script.hold and self.snapshot is None:
            c.state = "holding"
        else:
            self.finish(c)

    def fail(self, c: _Client) -> None:
        if c.state in ("sending", "reading"):
            self.records.append(RequestRecord(c.index, c.sent - 1, c.script.path, c.sent_s,
                                              None, None))
        self.failed += 1
        self.finish(c)

    def finish(self, c: _Client) -> None:
        if c.sock is not None:
            with contextlib.suppress(KeyError, ValueError):
                self.selector.unregister(c.sock)
            c.sock.close()
        c.state = "done"

    def close_all(self) -> None:
        for client in self.clients:
            if client.sock is not None:
                client.sock.close()
        self.selector.close()
