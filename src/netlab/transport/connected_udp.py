"""What ``connect()`` changes on a UDP socket, shown on 127.0.0.1 (Linux).

``connect()`` on a UDP socket sends nothing. It records a default peer in the local
kernel, and that has two effects an application can see:

* **Filtering.** The socket now receives only datagrams from that peer; datagrams from
  any other address are not delivered to it (POSIX ``connect``; Linux ``udp(7)``).
* **Errors.** A datagram sent to a port with no socket makes the peer's kernel answer
  with ICMP Port Unreachable (RFC 1122 §3.2.2.1; type 3, code 3, RFC 792). Linux hands
  that error to a *connected* socket: its next ``recv`` or ``send`` fails with
  ``ECONNREFUSED``. An unconnected socket hears nothing, unless it asked for errors
  with ``IP_RECVERR``, in which case the error is reported too and the ICMP details wait
  on the socket's error queue (``ip(7)``; ``__udp4_lib_err`` in ``net/ipv4/udp.c``).

Either way UDP itself reports nothing: the error is ICMP's, it may be filtered or
rate-limited on a real path, and a datagram that is simply dropped produces none.
"""

from __future__ import annotations

import socket
import struct
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field

from netlab._validate import public, result
from netlab.loopback import LOOPBACK
from netlab.tables import format_table

IP_RECVERR = getattr(socket, "IP_RECVERR", 11)  # include/uapi/linux/in.h
SO_EE_ORIGIN_ICMP = 2  # include/uapi/linux/errqueue.h
#: struct sock_extended_err: ee_errno, ee_origin, ee_type, ee_code, pad, ee_info, ee_data.
_EXTENDED_ERR = struct.Struct("=IBBBxII")
ICMP_NAMES = {(3, 3): "destination unreachable: port unreachable",
              (3, 1): "destination unreachable: host unreachable",
              (3, 4): "destination unreachable: fragmentation needed"}

WaitSeconds = Annotated[float, Field(gt=0, le=5)]


@result
@dataclass(frozen=True)
class ClosedPortResult:
    """What a UDP sender saw after one datagram to a port where nothing listens."""

    connected: bool
    recverr: bool
    outcome: str  # "ECONNREFUSED", "nothing (timed out)" or "a reply"
    icmp: str | None  # what the error queue held (IP_RECVERR only)


def _closed_port() -> int:
    """A UDP port on 127.0.0.1 with no socket: bound by the kernel's choice, then released."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def _error_queue(sock: socket.socket) -> str | None:
    try:
        _data, ancillary, _flags, _addr = sock.recvmsg(64, 512, socket.MSG_ERRQUEUE)
    except (BlockingIOError, TimeoutError, OSError):
        return None
    for level, kind, payload in ancillary:
        if level == socket.IPPROTO_IP and kind == IP_RECVERR and len(payload) >= _EXTENDED_ERR.size:
            errno, origin, icmp_type, icmp_code, _info, _data2 = _EXTENDED_ERR.unpack_from(payload)
            if origin == SO_EE_ORIGIN_ICMP:
                name = ICMP_NAMES.get((icmp_type, icmp_code), f"type {icmp_type} code {icmp_code}")
                return f"ICMP {name} (errno {errno})"
    return None


@public
def udp_to_closed_port(*, connected: bool, recverr: bool = False,
                       wait_s: WaitSeconds = 0.2) -> ClosedPortResult:
    """Send one datagram to a closed port on 127.0.0.1 and report what ``recv`` then does."""
    target = (LOOPBACK, _closed_port())
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(wait_s)
        if recverr:
            sock.setsockopt(socket.IPPROTO_IP, IP_RECVERR, 1)
        if connected:
            sock.connect(target)
            sock.send(b"ping")
        else:
            sock.sendto(b"ping", target)
        try:
            sock.recv(64)
            outcome = "a reply"  # someone took the port meanwhile
        except ConnectionRefusedError:
            outcome = "ECONNREFUSED"
        except TimeoutError:
            outcome = "nothing (timed out)"
        icmp = _error_queue(sock) if recverr else None
    return ClosedPortResult(connected, recverr, outcome, icmp)


@public
def udp_receive_filter(*, connected: bool, wait_s: WaitSeconds = 0.2) -> tuple[str, ...]:
    """Datagrams from the peer and from a stranger arrive; which does the socket receive?"""
    with ExitStack() as stack:
        socks = [stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
                 for _ in range(3)]
        receiver, peer, stranger = socks
        for sock in socks:
            sock.bind((LOOPBACK, 0))
            sock.settimeout(wait_s)
        if connected:
            receiver.connect(peer.getsockname())
        stranger.sendto(b"from a stranger", receiver.getsockname())
        peer.sendto(b"from the peer", receiver.getsockname())
        got: list[str] = []
        for _ in range(2):
            try:
                got.append(receiver.recv(64).decode("ascii"))
            except TimeoutError:
                break
    return tuple(got)


@public
def connected_udp_report(*, wait_s: WaitSeconds = 0.2) -> str:
    """The three ways of sending to a closed port, and the receive filter, as one text table."""
    cases = [("sendto() on an unconnected socket", False, False),
             ("unconnected, with IP_RECVERR", False, True),
             ("connect(), then send()", True, False)]
    rows = []
    for what, connected, recverr in cases:
        result = udp_to_closed_port(connected=connected, recverr=recverr, wait_s=wait_s)
        rows.append((what, result.outcome, result.icmp or "-"))
    table = format_table(rows, ("sender", "the next recv()", "error queue"))
    heard = {c: ", ".join(udp_receive_filter(connected=c, wait_s=wait_s)) for c in (False, True)}
    return (f"{table}\n\ndatagrams received, from a stranger then from the peer:\n"
            f"  unconnected: {heard[False]}\n  connected to the peer: {heard[True]}")
