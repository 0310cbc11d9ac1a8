"""A thread-per-connection HTTP/1.1 server with a pre-created, bounded worker pool.

Its shape is Apache httpd's worker MPM: ``pool_size`` threads are started up front
(``ThreadsPerChild``/``MaxRequestWorkers``), a listener thread accepts a
connection only when a worker is idle and hands it over, and that worker owns the
connection for its whole keep-alive life. When every worker is busy the listener
stops accepting, so new connections wait in the kernel's accept queue, whose
length is the ``listen()`` backlog (``ListenBacklog``).
"""

from __future__ import annotations

import contextlib
import queue
import socket
import threading
from types import TracebackType

from netlab._check import check_int
from netlab.servers.common import LOOPBACK, Counters, ServerStats, check_server_settings
from netlab.servers.http import HttpSession

_POLL_S = 0.02  # how often the listener re-checks for shutdown while waiting


class ThreadPoolServer:
    """Thread-per-connection server on 127.0.0.1: ``pool_size`` workers, ``backlog`` queue."""

    design = "thread pool"

    def __init__(self, *, pool_size: int = 4, backlog: int = 511, block_s: float = 0.2,
                 keepalive_timeout_s: float = 5.0) -> None:
        self.pool_size = check_int("pool_size", pool_size, min_value=1, max_value=2000)
        settings = check_server_settings(backlog, block_s, keepalive_timeout_s)
        self.backlog = settings.backlog
        self.block_s = settings.block_s
        self.keepalive_timeout_s = settings.keepalive_timeout_s
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
                except OSError:
                    break
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
        while not session.closed and not self._stop.is_set():
            try:
                data = conn.recv(65536)
            except OSError:  # keep-alive timeout, reset, or shutdown at exit
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
