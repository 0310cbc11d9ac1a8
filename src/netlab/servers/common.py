"""What both servers share: their settings, their statistics and the process resources they use."""

from __future__ import annotations

import errno
import os
import resource
import threading
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field

from netlab._validate import ArgumentError, public, result

LOOPBACK = "127.0.0.1"

# The settings both designs take, declared once for both constructors.
Backlog = Annotated[int, Field(ge=1, le=4096)]
BlockSeconds = Annotated[float, Field(ge=0, le=10)]
KeepAliveSeconds = Annotated[float, Field(gt=0, le=60)]
HeaderTimeout = Annotated[float, Field(gt=0, le=60)] | None
PoolSize = Annotated[int, Field(ge=1, le=2000)]

# accept() errors that mean "no descriptor for the new connection": the process limit
# (EMFILE, RLIMIT_NOFILE) or the system-wide one (ENFILE, fs.file-max).
FD_EXHAUSTED = (errno.EMFILE, errno.ENFILE)


@result
@dataclass(frozen=True)
class ServerStats:
    """A snapshot of a server's counters, taken from any thread."""

    design: str
    threads: int
    connections_accepted: int
    requests_served: int
    open_connections: int
    busy_workers: int
    peak_busy_workers: int
    blocking_calls_started: int
    served_while_blocking: int
    accept_errors: int = 0
    header_timeouts: int = 0


class Counters:
    """Thread-safe counters behind ``ServerStats``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.accepted = 0
        self.served = 0
        self.open = 0
        self.busy = 0
        self.peak_busy = 0
        self.blocking = 0
        self.blocking_now = 0
        self.served_while_blocking = 0
        self.accept_errors = 0
        self.header_timeouts = 0

    def add(self, **deltas: int) -> None:
        """Add each keyword's delta to the counter of that name, atomically."""
        with self._lock:
            for name, delta in deltas.items():
                setattr(self, name, getattr(self, name) + delta)
            if self.blocking_now > 0:
                self.served_while_blocking += deltas.get("served", 0)
            self.peak_busy = max(self.peak_busy, self.busy)

    def snapshot(self, *, design: str, threads: int) -> ServerStats:
        """Return the counters as a frozen ``ServerStats``."""
        with self._lock:
            return ServerStats(design=design, threads=threads, connections_accepted=self.accepted,
                               requests_served=self.served, open_connections=self.open,
                               busy_workers=self.busy, peak_busy_workers=self.peak_busy,
                               blocking_calls_started=self.blocking,
                               served_while_blocking=self.served_while_blocking,
                               accept_errors=self.accept_errors,
                               header_timeouts=self.header_timeouts)

    def on_block(self, started: bool) -> None:
        """Count a blocking call starting (``True``) or ending (``False``)."""
        if started:
            self.add(blocking=1, blocking_now=1)
        else:
            self.add(blocking_now=-1)


def _proc(pid: int | None) -> str:
    return "/proc/self" if pid is None else f"/proc/{pid}"


@public
def rss_bytes(pid: Annotated[int, Field(ge=1, le=2**22)] | None = None) -> int:
    """Resident memory of a process (this one by default), from /proc/<pid>/status (Linux)."""
    with open(f"{_proc(pid)}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("VmRSS not found in /proc/<pid>/status")


@public
def thread_count(pid: Annotated[int, Field(ge=1, le=2**22)] | None = None) -> int:
    """Threads of a process (this one by default) as the kernel counts them."""
    return len(os.listdir(f"{_proc(pid)}/task"))


@public
def open_fd_count() -> int:
    """File descriptors open in this process (sockets included)."""
    return len(os.listdir("/proc/self/fd"))


@public
def ensure_fd_limit(needed: Annotated[int, Field(ge=1, le=1_000_000)]) -> int:
    """Raise the soft RLIMIT_NOFILE towards the hard limit so ``needed`` descriptors fit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    if soft != resource.RLIM_INFINITY and soft < needed:
        raise ArgumentError(f"needed must be <= the hard file-descriptor limit {hard}, "
                            f"got {needed}")
    return needed if soft == resource.RLIM_INFINITY else soft
