"""What Linux reports about TCP in ``/proc``: sockets with their timers, and the stack's counters.

``/proc/net/tcp`` lists every IPv4 TCP socket of the network namespace, TIME-WAIT ones
included, with the state and the running timer (``proc_net_tcp(5)``); ``/proc/net/netstat``
holds the ``TcpExt`` counters that ``nstat`` and ``netstat -s`` print (ListenOverflows,
ListenDrops, TCPAbortOnClose...). Both are readable without privileges. Counters are
namespace-wide: other programs move them too, so a lab reports whether they grew, never
their values.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from netlab._validate import public, result

__all__ = ["PROC_STATES", "ProcSocket", "netstat_counters", "proc_net_tcp"]

#: The ``st`` column of /proc/net/tcp (include/net/tcp_states.h), in the kernel's spelling.
PROC_STATES = {1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1", 5: "FIN_WAIT2",
               6: "TIME_WAIT", 7: "CLOSE", 8: "CLOSE_WAIT", 9: "LAST_ACK", 10: "LISTEN",
               11: "CLOSING", 12: "NEW_SYN_RECV"}
_USER_HZ = 100  # the unit of the tm->when column (clock_t, sysconf(_SC_CLK_TCK) on Linux)
_PROC_TCP = Path("/proc/net/tcp")
_PROC_NETSTAT = Path("/proc/net/netstat")


@result
@dataclass(frozen=True, slots=True)
class ProcSocket:
    """One line of /proc/net/tcp: the two ports, the state and the running timer."""

    local_port: int
    remote_port: int
    state: str
    timer_s: float  #: time left on the socket's timer (TIME-WAIT, retransmission...), seconds
    recv_queue: int  #: for a listener: connections in its accept queue
    send_queue: int


@public
def proc_net_tcp(ports: frozenset[int] | None = None) -> list[ProcSocket] | None:
    """IPv4 TCP sockets from /proc/net/tcp whose ports are both in ``ports`` (all if None).

    None where the file cannot be read (not Linux).
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        lines = _PROC_TCP.read_text(encoding="ascii").splitlines()[1:]
    except OSError:
        return None
    found = []
    for line in lines:
        fields = line.split()
        local, remote = (int(f.rsplit(":", 1)[1], 16) for f in fields[1:3])
        if ports is not None and not (local in ports and remote in ports):
            continue
        send_q, recv_q = (int(x, 16) for x in fields[4].split(":"))
        ticks = int(fields[5].split(":")[1], 16)
        found.append(ProcSocket(local, remote, PROC_STATES.get(int(fields[3], 16), fields[3]),
                                ticks / _USER_HZ, recv_q, send_q))
    return found


@public
def netstat_counters() -> dict[str, int] | None:
    """Every ``TcpExt`` counter of /proc/net/netstat by name (``ListenOverflows``), or None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        lines = _PROC_NETSTAT.read_text(encoding="ascii").splitlines()
    except OSError:
        return None
    counters: dict[str, int] = {}
    for header, values in zip(lines[::2], lines[1::2], strict=False):
        names, numbers = header.split(), values.split()
        if names and names[0] == "TcpExt:" and numbers and numbers[0] == "TcpExt:":
            counters.update(zip(names[1:], (int(n) for n in numbers[1:]), strict=False))
    return counters
