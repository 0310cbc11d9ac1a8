"""A thread-per-connection HTTP/1.1 server with a pre-created, bounded worker pool.

Its shape is Apache httpd's worker MPM: ``pool_size`` threads are started up front
(``ThreadsPerChild``/``MaxRequestWorkers``), a listener thread accepts a
connection only when a worker is idle and hands it over, and that worker owns the
connection for its whole keep-alive life. When every worker is busy the listener
stops accepting, so new connections wait in the kernel's accept queue, whose
length is the ``listen()`` backlog (``ListenBacklog``).

Two defences can be switched on. ``keepalive_timeout_s`` is an *idle* timeout: it
closes a connection that sends nothing for that long (Apache's ``KeepAliveTimeout``
and ``Timeout``), and every byte that arrives restarts it. ``header_timeout_s`` is a
*deadline*: once the first byte of a request has arrived, the whole head of the
request must follow within it (Apache's ``RequestReadTimeout header=``, nginx's
``client_header_timeout``). Only the deadline stops a client that sends one byte at a
time (Slowloris).

When ``accept()`` fails because the process is out of file descriptors (EMFILE), the
listener counts the error, waits a tick and tries again: the connection stays in the
accept queue, as with nginx, which stops accepting for a while after EMFILE.
"""

from __future__ import annotations

import contextlib
import queue
import socket
import threading
import time
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
    PoolSize,
    ServerStats,
)
from netlab.servers.http import HttpSession

_POLL_S = 0.02  # how often the listener re-checks for shutdown while waiting


@public
class ThreadPoolServer:
    """Thread-per-connection server on 127.0.0.1: ``pool_size`` workers, ``backlog`` queue."""

    design = "thread pool"

    def __init__(self, *, pool_size: PoolSize = 4, backlog: Backlog = 511,
                 block_s: BlockSeconds = 0.2, keepalive_timeout_s: KeepAliveSeconds = 5.0,
                 header_timeout_s: HeaderTimeout = None) -> None:
        self.pool_size = pool_size
        self.backlog = backlog
        self.block_s = block_s
        self.keepalive_timeout_s = keepalive_timeout_s
        self.header_timeout_s = header_timeout_s
        self._counters = Counters()
        self._stop = threading.Event()
        self._handoff: queue.Queue[socket.socket | None] = queue.Queue()
        self._idle_workers = threading.Semaphore(self.pool_size)
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._listener: socket.socket | None = None

    @property
    def address(self) -> tuple[str, int]:
        """The (host, port) the server listens on."""
        if self._listener is None:
            raise RuntimeError("server is not running; use it in a with block")
        return self._listener.getsockname()

    def stats(self) -> ServerStats:
        """Counters so far; ``threads`` is the pool plus the listener thread."""
        return self._counters.snapshot(design=self.design, threads=len(self._threads))

    def __enter__(self) -> ThreadPoolServer:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            listener.bind((LOOPBACK, 0))
            listener.listen(self.backlog)
            listener.settimeout(_POLL_S)
        except BaseException:
            listener.close()
            raise
        self._listener = listener
        for index in range(self.pool_size):
            self._start(self._worker, f"worker-{index}")
        self._start(self._accept_loop, "listener")
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        for _ in range(self.pool_size):
            self._handoff.put(None)
        with self._conns_lock:
            for conn in self._conns:  # wake workers blocked in recv()
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
        for thread in self._threads:
            thread.join(timeout=self.block_s + 2.0)
        while not self._handoff.empty():
            leftover = self._handoff.get_nowait()
            if leftover is not None:
                leftover.close()
        if self._listener is not None:
            self._listener.close()

    def _start(self, target: object, name: str) -> None:
        thread = threading.Thread(target=target, name=f"pool-{name}", daemon=True)
        thread.start()
        self._threads.append(thread)

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stop.is_set():
            if not self._idle_workers.acquire(timeout=_POLL_S):
                continue  # every worker busy: leave new connections in the backlog
            conn = None
            while conn is None and not self._stop.is_set():
                try:
                    conn, _ = self._listener.accept()
                except TimeoutError:
                    continue
                except OSError as exc:
                    if exc.errno not in FD_EXHAUSTED:
                        break
                    self._counters.add(accept_errors=1)  # out of descriptors: retry later
                    self._stop.wait(_POLL_S)
            if conn is None:
                self._idle_workers.release()
                continue
            conn.settimeout(self.keepalive_timeout_s)
            with self._conns_lock:
                self._conns.add(conn)
            self._counters.add(accepted=1, open=1, busy=1)
            self._handoff.put(conn)

    def _worker(self) -> None:
        while True:
            conn = self._handoff.get()
            if conn is None:
                return
            try:
                self._serve(conn)
            finally:
                with self._conns_lock:
                    self._conns.discard(conn)
                self._counters.add(open=-1, busy=-1)  # before close(): a peer seeing EOF sees it
                conn.close()
                self._idle_workers.release()

    def _serve(self, conn: socket.socket) -> None:
        session = HttpSession(server_name="netlab-threaded", block_s=self.block_s,
                              on_block=self._counters.on_block)
        head_deadline: float | None = None  # when the head of the current request is due
        while not session.closed and not self._stop.is_set():
            wait_s = self.keepalive_timeout_s
            if head_deadline is not None:
                wait_s = min(wait_s, head_deadline - time.monotonic())
                if wait_s <= 0:
                    self._counters.add(header_timeouts=1)  # Apache would answer 408 first
                    return
            try:
                conn.settimeout(wait_s)
                data = conn.recv(65536)
            except TimeoutError:
                if head_deadline is not None and time.monotonic() >= head_deadline:
                    self._counters.add(header_timeouts=1)
                return  # idle (keep-alive) timeout
            except OSError:  # reset, or shutdown at exit
                return
            served = session.requests_served
            out = session.feed(data)
            self._counters.add(served=session.requests_served - served)
            if out:
                try:
                    conn.sendall(out)
                except OSError:
                    return
            if not data:
                return
            if not session.reading_headers:
                head_deadline = None
            elif head_deadline is None and self.header_timeout_s is not None:
                head_deadline = time.monotonic() + self.header_timeout_s
