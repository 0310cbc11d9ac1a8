"""A single-threaded event-loop HTTP/1.1 server: the shape of one nginx worker.

One thread owns every socket. Sockets are non-blocking and registered with the
operating system's readiness API through ``selectors.DefaultSelector`` (epoll on
Linux, kqueue on the BSDs and macOS). The loop waits for *any* socket to become
readable or writable, does a small piece of work for each, and goes back to
waiting, so an idle keep-alive connection costs a registration and a buffer, not
a thread. The price: a handler that blocks (``/block`` sleeps) stops the loop,
and every other connection waits with it.

``header_timeout_s`` is the same deadline as the thread pool's (nginx's
``client_header_timeout``): checked on every tick of the loop. When ``accept()`` fails
with EMFILE the loop stops watching the listener for ``ACCEPT_PAUSE_S``, as nginx does
(``ngx_disable_accept_events``, re-enabled after ``accept_mutex_delay``): a listener
that stays readable would otherwise make a level-triggered loop spin.
"""

from __future__ import annotations

import contextlib
import selectors
import socket
import threading
import time
from dataclasses import dataclass, field
from types import TracebackType

from netlab._validate import public
from netlab.servers.common import (
    FD_EXHAUSTED,
    LOOPBACK,
    Backlog,
    BlockSeconds,
    Counters,
    HeaderTimeout,
    KeepAliveSeconds,
    ServerStats,
)
from netlab.servers.http import HttpSession

_TICK_S = 0.02  # longest wait in select(), so shutdown and keep-alive timeouts are noticed
ACCEPT_PAUSE_S = 0.05  # how long the loop ignores the listener after EMFILE


@dataclass
class _Conn:
    sock: socket.socket
    session: HttpSession
    last_active: float
    outbox: bytearray = field(default_factory=bytearray)
    head_deadline: float | None = None


@public
class EventLoopServer:
    """Event-driven server on 127.0.0.1: one thread, non-blocking sockets, one selector."""

    design = "event loop"

    def __init__(self, *, backlog: Backlog = 511, block_s: BlockSeconds = 0.2,
                 keepalive_timeout_s: KeepAliveSeconds = 5.0,
                 header_timeout_s: HeaderTimeout = None) -> None:
        self.backlog = backlog
        self.block_s = block_s
        self.keepalive_timeout_s = keepalive_timeout_s
        self.header_timeout_s = header_timeout_s
        self._accept_paused_until: float | None = None
        self._counters = Counters()
        self._stop = threading.Event()
        self._selector: selectors.BaseSelector | None = None
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._conns: dict[int, _Conn] = {}

    @property
    def address(self) -> tuple[str, int]:
        """The (host, port) the server listens on."""
        if self._listener is None:
            raise RuntimeError("server is not running; use it in a with block")
        return self._listener.getsockname()

    @property
    def selector_name(self) -> str:
        """Which readiness API the loop uses, e.g. ``EpollSelector`` on Linux."""
        return selectors.DefaultSelector.__name__

    def stats(self) -> ServerStats:
        """Counters so far; ``threads`` is always 1, the loop thread."""
        return self._counters.snapshot(design=self.design, threads=1)

    def __enter__(self) -> EventLoopServer:
        self._selector = selectors.DefaultSelector()
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            listener.bind((LOOPBACK, 0))
            listener.listen(self.backlog)
            listener.setblocking(False)
            self._selector.register(listener, selectors.EVENT_READ, None)
        except BaseException:
            listener.close()
            self._selector.close()
            raise
        self._listener = listener
        self._thread = threading.Thread(target=self._loop, name="event-loop", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.block_s + 2.0)
        for conn in list(self._conns.values()):
            self._close(conn)
        if self._listener is not None:
            self._listener.close()
        if self._selector is not None:
            self._selector.close()

    def _loop(self) -> None:
        assert self._selector is not None
        while not self._stop.is_set():
            for key, mask in self._selector.select(timeout=_TICK_S):
                if key.data is None:
                    self._accept_all()
                else:
                    self._on_ready(key.data, mask)
            now = time.monotonic()
            self._expire(now)
            if self._accept_paused_until is not None and now >= self._accept_paused_until:
                self._accept_paused_until = None
                self._selector.register(self._listener, selectors.EVENT_READ, None)

    def _accept_all(self) -> None:
        assert self._listener is not None and self._selector is not None
        while True:
            try:
                sock, _ = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                if exc.errno not in FD_EXHAUSTED:
                    raise
                self._counters.add(accept_errors=1)  # leave it queued; look again later
                self._selector.unregister(self._listener)
                self._accept_paused_until = time.monotonic() + ACCEPT_PAUSE_S
                return
            sock.setblocking(False)
            session = HttpSession(server_name="netlab-eventloop", block_s=self.block_s,
                                  on_block=self._counters.on_block)
            conn = _Conn(sock, session, time.monotonic())
            self._conns[sock.fileno()] = conn
            self._selector.register(sock, selectors.EVENT_READ, conn)
            self._counters.add(accepted=1, open=1)

    def _on_ready(self, conn: _Conn, mask: int) -> None:
        conn.last_active = time.monotonic()
        if mask & selectors.EVENT_READ:
            try:
                data = conn.sock.recv(65536)
            except (BlockingIOError, InterruptedError):
                data = None
            except OSError:
                data = b""
            if data is not None:
                served = conn.session.requests_served
                self._counters.add(busy=1)
                conn.outbox += conn.session.feed(data)  # /block sleeps here, inside the loop
                self._counters.add(busy=-1, served=conn.session.requests_served - served)
                if not conn.session.reading_headers:
                    conn.head_deadline = None
                elif conn.head_deadline is None and self.header_timeout_s is not None:
                    conn.head_deadline = conn.last_active + self.header_timeout_s
        self._flush(conn)

    def _flush(self, conn: _Conn) -> None:
        assert self._selector is not None
        if conn.outbox:
            try:
                sent = conn.sock.send(conn.outbox)
                del conn.outbox[:sent]
            except (BlockingIOError, InterruptedError):
                pass
            except OSError:
                self._close(conn)
                return
        if conn.session.closed and not conn.outbox:
            self._close(conn)
            return
        wanted = selectors.EVENT_READ | (selectors.EVENT_WRITE if conn.outbox else 0)
        self._selector.modify(conn.sock, wanted, conn)

    def _expire(self, now: float) -> None:
        for conn in list(self._conns.values()):
            if conn.head_deadline is not None and now >= conn.head_deadline:
                self._counters.add(header_timeouts=1)
                self._close(conn)
            elif now - conn.last_active > self.keepalive_timeout_s:
                self._close(conn)

    def _close(self, conn: _Conn) -> None:
        assert self._selector is not None
        if self._conns.pop(conn.sock.fileno(), None) is None:
            return
        with contextlib.suppress(KeyError, ValueError):
            self._selector.unregister(conn.sock)
        self._counters.add(open=-1)  # before close(), so a peer that sees EOF sees the count
        conn.sock.close()
