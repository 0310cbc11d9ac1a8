"""A bounded load generator: many keep-alive HTTP/1.1 clients in one thread.

The clients run in a single selector loop (no client threads), so the threads
counted while it runs are the server's. Every run stops by itself: when each
client has finished, or at ``time_limit_s``. Every socket is closed on the way
out, also when something raises.

A client can also be a Slowloris attacker (``trickle_s``): it sends the request line
and then one byte of a header every ``trickle_s`` seconds, never finishing the head
of its request, for ``trickle_for_s`` seconds, and then closes.
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
from typing import Annotated, Any, Protocol

import h11
from pydantic import AfterValidator, Field

from netlab._validate import public, result
from netlab.servers.common import ServerStats, ensure_fd_limit, rss_bytes, thread_count
from netlab.tcpinfo import tcp_info

_TICK_S = 0.005  # longest wait in select() before the clients' timers are checked again


class Server(Protocol):
    """What the load generator needs from a server (in this process or in a child)."""

    design: str

    @property
    def address(self) -> tuple[str, int]: ...  # noqa: D102

    def stats(self) -> ServerStats: ...  # noqa: D102


def _is_server(value: Any) -> Any:
    if isinstance(value, type) or not all(hasattr(value, a) for a in ("design", "stats")):
        raise ValueError("must be a running server (ThreadPoolServer, EventLoopServer or "
                         "ServerProcess inside its with block)")
    try:
        host, port = value.address
    except (RuntimeError, TypeError, ValueError):
        raise ValueError("must be a running server: use it inside its with block") from None
    if host != "127.0.0.1" or not isinstance(port, int):
        raise ValueError("must listen on 127.0.0.1")
    return value


RunningServer = Annotated[Any, AfterValidator(_is_server)]
UrlPath = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^/[!-~]*$")]


@public
@dataclass(frozen=True)
class ClientScript:
    """What one client does: connect at ``start_s``, send ``requests`` GETs, maybe hold idle.

    ``gate``, when given, is asked on every tick before connecting: the client waits until
    it returns True. ``trickle_s`` turns the client into a Slowloris attacker (see the
    module's docstring).
    """

    start_s: Annotated[float, Field(ge=0, le=60)] = 0.0
    path: UrlPath = "/"
    requests: Annotated[int, Field(ge=1, le=1000)] = 1
    think_s: Annotated[float, Field(ge=0, le=60)] = 0.0
    hold: bool = False
    gate: Callable[[], bool] | None = None
    trickle_s: Annotated[float, Field(ge=0.005, le=10)] | None = None
    trickle_for_s: Annotated[float, Field(gt=0, le=30)] = 1.0


@result
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


@result
@dataclass(frozen=True)
class Snapshot:
    """The process and the server while every client was settled (answered, idle or waiting)."""

    threads: int
    rss_bytes: int
    answered: int
    waiting: int
    server: ServerStats


@result
@dataclass(frozen=True)
class LoadReport:
    """Everything one run measured, per request and in total.

    ``slow_closed_by_server`` counts the Slowloris clients whose connection the server
    closed before they gave up.
    """

    design: str
    records: tuple[RequestRecord, ...]
    snapshot: Snapshot | None
    released_s: float | None
    failed_connections: int
    timed_out: bool
    wait_threshold_s: float
    slow_clients: int = 0
    slow_closed_by_server: int = 0

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

    def answered_by(self, when_s: float) -> int:
        """Requests answered before ``when_s`` seconds into the run."""
        return sum(r.done_s is not None and r.done_s < when_s for r in self.records)

    def percentile_s(self, q: float) -> float:
        """Latency percentile ``q`` in [0, 100] of the answered requests (nearest rank)."""
        if not isinstance(q, int | float) or not 0 <= q <= 100:
            raise ValueError(f"q must be in [0, 100], got {q!r}")
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
        self.slow_until_s = 0.0
        self.closed_by_server = False

    def request_bytes(self, host: str) -> bytes:
        request = h11.Request(method="GET", target=self.script.path,
                              headers=[("Host", host), ("Connection", "keep-alive")])
        return self.h11.send(request) + self.h11.send(h11.EndOfMessage())


@public
def run_load(server: RunningServer,
             scripts: Annotated[Sequence[ClientScript], Field(min_length=1, max_length=5000)], *,
             time_limit_s: Annotated[float, Field(gt=0, le=60)] = 5.0,
             settle_s: Annotated[float, Field(ge=0, le=10)] = 0.2,
             wait_threshold_s: Annotated[float, Field(gt=0, le=60)] = 0.1) -> LoadReport:
    """Run every client script against ``server`` until all finish or ``time_limit_s`` passes."""
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
                      wait_threshold_s=wait_threshold_s,
                      slow_clients=sum(c.script.trickle_s is not None for c in clients),
                      slow_closed_by_server=sum(c.closed_by_server for c in clients))


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
            if c.state == "trickling":
                continue
            waiting = c.state in ("connecting", "sending", "reading")
            if waiting and now - c.sent_s < self.settle_s:
                return False
            any_waiting = any_waiting or waiting
        # On a loaded machine the server may just be slow: wait until it has been quiet for
        # settle_s of real waiting, so that time this process spent descheduled does not count.
        return not any_waiting or self.quiet_s >= self.settle_s

    def take_snapshot(self) -> None:
        waiting = sum(c.state in ("connecting", "sending", "reading") for c in self.clients)
        usage = getattr(self.server, "process_usage", None)
        threads, rss = usage() if usage is not None else (thread_count(), rss_bytes())
        self.snapshot = Snapshot(threads=threads, rss_bytes=rss,
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
        elif c.state == "trickling":
            self.trickle(c, now)

    def trickle(self, c: _Client, now: float) -> None:
        """A Slowloris client: one more header byte when it is due, give up at the end."""
        assert c.sock is not None
        if now >= c.slow_until_s:
            self.finish(c)
            return
        if now < c.next_s:
            return
        try:
            c.sock.send(b"a")
        except (BlockingIOError, InterruptedError):
            pass
        except OSError:  # reset or closed: the server dropped us
            c.closed_by_server = True
            self.finish(c)
            return
        c.next_s = now + (c.script.trickle_s or 0.0)

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
        if c.state == "trickling":
            self.on_trickle_readable(c)
            return
        if c.state == "connecting":
            if c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) != 0:
                self.fail(c)
                return
            if c.script.trickle_s is not None:
                self.start_trickle(c)
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

    def start_trickle(self, c: _Client) -> None:
        assert c.sock is not None
        head = f"GET {c.script.path} HTTP/1.1\r\nHost: {self.host}\r\nX-Slow: "
        try:
            c.sock.send(head.encode("ascii"))
        except OSError:
            self.fail(c)
            return
        c.state = "trickling"
        now = self.now()
        c.slow_until_s = now + c.script.trickle_for_s
        c.next_s = now + (c.script.trickle_s or 0.0)
        self.selector.modify(c.sock, selectors.EVENT_READ, c)

    def on_trickle_readable(self, c: _Client) -> None:
        """The server sent something or closed: either way it has given up on this client."""
        assert c.sock is not None
        try:
            data = c.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data or data.startswith(b"HTTP/1.1 408"):
            c.closed_by_server = True
            self.finish(c)

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
