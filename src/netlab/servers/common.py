"""What both servers share: their statistics and the process resources they use."""

from __future__ import annotations

import os
import resource
import threading
from dataclasses import dataclass

from netlab._check import check_float, check_int

LOOPBACK = "127.0.0.1"


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
                               served_while_blocking=self.served_while_blocking)

    def on_block(self, started: bool) -> None:
        """Count a blocking call starting (``True``) or ending (``False``)."""
        if started:
            self.add(blocking=1, blocking_now=1)
        else:
            self.add(blocking_now=-1)


def rss_bytes() -> int:
    """Resident memory of this process, from /proc/self/status (Linux)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("VmRSS not found in /proc/self/status")


def thread_count() -> int:
    """Threads of this process as the kernel counts them (Python's and any others)."""
    return len(os.listdir("/proc/self/task"))


def open_fd_count() -> int:
    """File descriptors open in this process (sockets included)."""
    return len(os.listdir("/proc/self/fd"))


def ensure_fd_limit(needed: int) -> int:
    """Raise the soft RLIMIT_NOFILE towards the hard limit so ``needed`` descriptors fit."""
    check_int("needed", needed, min_value=1, max_value=1_000_000)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    if soft != resource.RLIM_INFINITY and soft < needed:
        raise ValueError(f"needed must be <= the hard file-descriptor limit {hard}, got {needed}")
    return needed if soft == resource.RLIM_INFINITY else soft


@dataclass(frozen=True)
class ServerSettings:
    """What both server designs are configured with, checked once for both."""

    backlog: int
    block_s: float
    keepalive_timeout_s: float


def check_server_settings(backlog: int, block_s: float, keepalive_timeout_s: float) -> ServerSettings:
    """Check the settings shared by both servers; raise ValueError naming a bad one."""
    return ServerSettings(
        backlog=check_int("backlog", backlog, min_value=1, max_value=4096),
        block_s=check_float("block_s", block_s, min_value=0.0, max_value=10.0),
        keepalive_timeout_s=check_float("keepalive_timeout_s", keepalive_timeout_s,
                                        min_value=0.0, min_inclusive=False, max_value=60.0),
    )
