"""A server in a child process of its own, so that what it costs is measured apart from the clients.

``ServerProcess`` starts a child process (forked from a fork server that has
imported this package, so a child starts in milliseconds and owes nothing to the
caller's memory) that runs one server design on 127.0.0.1 and answers two commands
over a pipe: ``stats`` (the server's counters) and ``quit``. The parent reads the
child's resident memory and its thread count from the kernel (``/proc/<pid>/status``
and ``/proc/<pid>/task``), so the figures are the server's alone: the clients, their
sockets and their parsers live in the parent.

``spare_fds`` lowers the child's soft ``RLIMIT_NOFILE`` so that exactly that many more
descriptors can be opened once the server is listening. The next ``accept()`` fails
with EMFILE, as a server started under the usual soft limit of 1024 fails at its
1,021st or so connection.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.context
import os
import resource
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Annotated, Any, Literal

from pydantic import Field

from netlab._validate import public
from netlab.servers.common import (
    Backlog,
    BlockSeconds,
    HeaderTimeout,
    KeepAliveSeconds,
    PoolSize,
    ServerStats,
    rss_bytes,
    thread_count,
)

Design = Literal["thread pool", "event loop"]
_START_TIMEOUT_S = 30.0  # the first start also starts the fork server, which imports netlab
_REPLY_TIMEOUT_S = 10.0


_placeholders: list[int] = []  # descriptors that fill the holes below the limit


def lower_fd_limit(spare_fds: int) -> int:
    """Set this process's soft RLIMIT_NOFILE so exactly ``spare_fds`` more descriptors fit.

    The limit is on descriptor *numbers* (one more than the highest allowed), so holes
    below the highest open descriptor are filled first with placeholders on /dev/null.
    """
    def open_now() -> set[int]:
        names = os.listdir("/proc/self/fd")
        return {int(n) for n in names if os.path.exists(f"/proc/self/fd/{n}")}

    in_use = open_now()
    while len(in_use) <= max(in_use):  # a hole: os.open takes the lowest free number
        _placeholders.append(os.open(os.devnull, os.O_RDONLY))
        in_use = open_now()
    limit = max(in_use) + 1 + spare_fds
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (limit, hard))
    return limit


def _warm_up(make: Callable[[], Any]) -> None:
    """Serve one request with a throwaway server, so that its code pages are resident.

    A forked child faults in the pages of the code it runs the first time it runs it;
    without this, about a MiB of that would be counted as the first connections' memory.
    """
    with make() as server, socket.create_connection(server.address, timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: warm-up\r\nConnection: close\r\n\r\n")
        while sock.recv(65536):
            pass
    # join() returns once a thread's Python part is done, and the kernel lets the thread go
    # a moment later: wait for that (bounded), or a worker of the throwaway server is still
    # in /proc/<pid>/task when the server's own threads are counted.
    deadline = time.monotonic() + 5.0
    while thread_count() > threading.active_count() and time.monotonic() < deadline:
        time.sleep(0.001)


def _child_main(options: dict[str, Any], pipe: Connection) -> None:
    """Run in the child: start the server, say where it is, answer commands until quit."""
    from netlab.servers.eventloop import EventLoopServer
    from netlab.servers.threaded import ThreadPoolServer

    options = dict(options)
    spare_fds = options.pop("spare_fds")
    design = options.pop("design")
    pool_size = options.pop("pool_size")

    def make(pool: int) -> Any:
        return (ThreadPoolServer(pool_size=pool, **options) if design == "thread pool"
                else EventLoopServer(**options))

    _warm_up(lambda: make(1))
    before = rss_bytes()
    with make(pool_size) as server:
        limit = lower_fd_limit(spare_fds) if spare_fds is not None else None
        pipe.send({"port": server.address[1], "rss_before_server": before, "fd_limit": limit})
        while True:
            try:
                command = pipe.recv()
            except EOFError:
                break
            if command != "stats":
                break
            pipe.send(asdict(server.stats()))


def _context() -> multiprocessing.context.BaseContext:
    """A fork server that has imported this package once: each child starts in milliseconds.

    Children are forked from that single-threaded server process, never from the caller,
    which may have threads of its own (a notebook kernel does).
    """
    global _CONTEXT
    if _CONTEXT is None:
        if "forkserver" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(["netlab.servers.process"])
        else:
            ctx = multiprocessing.get_context("spawn")
        _CONTEXT = ctx
    return _CONTEXT


_CONTEXT: multiprocessing.context.BaseContext | None = None


@public
class ServerProcess:
    """One server design in a child interpreter on 127.0.0.1; use it in a ``with`` block."""

    def __init__(self, design: Design, *, pool_size: PoolSize = 4, backlog: Backlog = 511,
                 block_s: BlockSeconds = 0.2, keepalive_timeout_s: KeepAliveSeconds = 5.0,
                 header_timeout_s: HeaderTimeout = None,
                 spare_fds: Annotated[int, Field(ge=1, le=4096)] | None = None) -> None:
        self.design = design
        self._options: dict[str, Any] = {
            "design": design, "pool_size": pool_size, "backlog": backlog, "block_s": block_s,
            "keepalive_timeout_s": keepalive_timeout_s, "header_timeout_s": header_timeout_s,
            "spare_fds": spare_fds}
        self._proc: multiprocessing.process.BaseProcess | None = None
        self._pipe: Connection | None = None
        self._port: int | None = None
        self.rss_before_server = 0
        self.fd_limit: int | None = None

    @property
    def address(self) -> tuple[str, int]:
        """The (host, port) the child's server listens on."""
        if self._port is None:
            raise RuntimeError("server is not running; use it in a with block")
        return ("127.0.0.1", self._port)

    @property
    def pid(self) -> int:
        """The child's process id (for /proc)."""
        if self._proc is None or self._proc.pid is None:
            raise RuntimeError("server is not running; use it in a with block")
        return self._proc.pid

    def _receive(self, timeout_s: float) -> dict[str, Any]:
        try:
            if self._pipe is not None and self._pipe.poll(timeout_s):
                return self._pipe.recv()
        except EOFError:
            raise RuntimeError("the server process exited (see its error above)") from None
        raise RuntimeError("the server process did not answer in time")

    def stats(self) -> ServerStats:
        """The server's counters, asked of the child."""
        if self._pipe is None:
            raise RuntimeError("server is not running; use it in a with block")
        self._pipe.send("stats")
        return ServerStats(**self._receive(_REPLY_TIMEOUT_S))

    def process_usage(self) -> tuple[int, int]:
        """(threads the server started, resident bytes), read from the kernel.

        The child's main thread only waits for commands, so it is not counted.
        """
        return thread_count(self.pid) - 1, rss_bytes(self.pid)

    def __enter__(self) -> ServerProcess:
        ctx = _context()
        ours, theirs = ctx.Pipe()
        self._proc = ctx.Process(target=_child_main, args=(self._options, theirs), daemon=True)
        self._pipe = ours
        try:
            self._proc.start()
            theirs.close()
            hello = self._receive(_START_TIMEOUT_S)
        except BaseException:
            self._stop()
            raise
        self._port = hello["port"]
        self.rss_before_server = hello["rss_before_server"]
        self.fd_limit = hello["fd_limit"]
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop()

    def _stop(self) -> None:
        proc, pipe = self._proc, self._pipe
        self._proc, self._pipe, self._port = None, None, None
        if pipe is not None:
            with contextlib.suppress(OSError):
                pipe.send("quit")
        if proc is not None and proc.pid is not None:
            proc.join(_REPLY_TIMEOUT_S)
            if proc.is_alive():
                proc.kill()
                proc.join()
        if pipe is not None:
            pipe.close()
