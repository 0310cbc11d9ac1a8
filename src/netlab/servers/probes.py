"""Probes for chapter 8's facts file: the limits this machine's kernel and C library enforce.

Each returns what the machine shows, or None where it cannot read it (not Linux, no
``TCP_INFO``, no epoll). Probes that change a process-wide setting (the descriptor
limit) do it in a child process, so the caller's limits are left alone.
"""

from __future__ import annotations

import fcntl
import os
import resource
import select
import socket
import subprocess
import sys
from typing import Annotated, Literal

from pydantic import Field

from netlab._validate import public
from netlab.probes import sysctl
from netlab.servers.limits import accept_queue, herd_wakeups, reuseport_spread

__all__ = ["accept_queue_capacity", "backlog_capped_at_somaxconn", "default_selector",
           "emfile_on_accept", "herd_woken", "nofile_limit", "reuseport_listeners_used",
           "select_fd_limit", "stack_limit_bytes"]

# Probe arguments come from the facts file as strings: small decimal numbers.
UpTo64 = Annotated[str, Field(pattern=r"^([1-9]|[1-5][0-9]|6[0-4])$")]
UpTo32 = Annotated[str, Field(pattern=r"^([1-9]|[12][0-9]|3[0-2])$")]
UpTo16From2 = Annotated[str, Field(pattern=r"^([2-9]|1[0-6])$")]


@public
def nofile_limit(which: Literal["soft", "hard"]) -> int | None:
    """RLIMIT_NOFILE of this process (``ulimit -n``): the soft or the hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    value = soft if which == "soft" else hard
    return None if value == resource.RLIM_INFINITY else value


@public
def stack_limit_bytes() -> int | None:
    """The soft RLIMIT_STACK (``ulimit -s``), which glibc takes as a new thread's stack size."""
    soft, _ = resource.getrlimit(resource.RLIMIT_STACK)
    return None if soft == resource.RLIM_INFINITY else soft


@public
def accept_queue_capacity(backlog: UpTo64 = "2") -> int | None:
    """How many connections Linux queues for a listener of ``backlog`` that never accepts."""
    asked = int(backlog)
    queue = accept_queue(asked, asked + 4)
    return None if queue is None else queue.queued


@public
def backlog_capped_at_somaxconn() -> bool | None:
    """Whether listen(65535) gets min(65535, net.core.somaxconn) as its backlog in force."""
    somaxconn = sysctl("net.core.somaxconn")
    queue = accept_queue(65535, 0)
    if queue is None or not isinstance(somaxconn, int):
        return None
    return queue.backlog_in_force == min(65535, somaxconn)


_EMFILE_CHILD = """
import errno, os, resource, socket
listener = socket.create_server(("127.0.0.1", 0))
client = socket.create_connection(listener.getsockname())
used = [int(n) for n in os.listdir("/proc/self/fd") if os.path.exists(f"/proc/self/fd/{n}")]
resource.setrlimit(resource.RLIMIT_NOFILE, (max(used) + 1, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
try:
    listener.accept()
    print("none")
except OSError as exc:
    print(errno.errorcode[exc.errno])
"""


@public
def emfile_on_accept() -> str | None:
    """The error accept() gets when no descriptor number is left under the soft limit.

    Measured in a child process whose soft RLIMIT_NOFILE is lowered to its highest open
    descriptor + 1 while a connection waits in the accept queue.
    """
    if not sys.platform.startswith("linux"):
        return None
    done = subprocess.run([sys.executable, "-c", _EMFILE_CHILD], capture_output=True, text=True,
                          timeout=10, check=False)
    return done.stdout.strip() or None


@public
def select_fd_limit() -> int | None:
    """The first descriptor number select() refuses (FD_SETSIZE), or None if it cannot tell.

    Needs a soft descriptor limit above 1024, to duplicate a socket to 1023 and 1024.
    """
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft <= 1024:
        return None
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        low = fcntl.fcntl(sock.fileno(), fcntl.F_DUPFD, 1023)
        high = fcntl.fcntl(sock.fileno(), fcntl.F_DUPFD, 1024)
        try:
            if low != 1023:
                return None  # 1023 is in use: cannot test the boundary exactly
            select.select([low], [], [], 0)
            try:
                select.select([high], [], [], 0)
            except ValueError:
                return 1024
            return None
        finally:
            os.close(low)
            os.close(high)


@public
def herd_woken(waiters: UpTo32 = "4", mode: Literal["shared", "exclusive"] = "shared") -> int | None:
    """Threads woken by one connection, each waiting in its own epoll on one listener."""
    return herd_wakeups(int(waiters), exclusive=mode == "exclusive")


@public
def reuseport_listeners_used(listeners: UpTo16From2 = "4", connections: UpTo64 = "64") -> int | None:
    """Of ``listeners`` SO_REUSEPORT listeners on one port, how many got a connection."""
    if not hasattr(socket, "SO_REUSEPORT"):
        return None
    spread = reuseport_spread(int(listeners), int(connections))
    return sum(count > 0 for count in spread.per_listener)


@public
def default_selector() -> str:
    """The readiness API behind Python's ``selectors.DefaultSelector`` here."""
    import selectors

    return selectors.DefaultSelector.__name__
