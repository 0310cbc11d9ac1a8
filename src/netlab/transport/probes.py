"""Probes for chapter 1's facts: what this machine's kernel shows on loopback.

Each returns the value the machine shows, or None where it cannot read it (another OS,
no IPv6 loopback, no ``CAP_NET_RAW`` for a capture). ``tests/test_facts.py`` runs them;
their values never go into a lab's compared output.
"""

from __future__ import annotations

import socket
import sys
from typing import Literal

from scapy.layers.inet import TCP

from netlab._validate import public
from netlab.loopback import LOOPBACK
from netlab.tcpinfo import TcpInfo, tcp_info
from netlab.transport.capture import capture_loopback, syn_mss_option
from netlab.transport.connected_udp import udp_to_closed_port

__all__ = ["connected_udp_error", "loopback_advmss", "loopback_route_mtu", "loopback_syn_mss",
           "unconnected_tcp_maxseg"]

Family = Literal["ipv4", "ipv6"]


def _fresh_info(family: str) -> TcpInfo | None:
    af, host = (socket.AF_INET, LOOPBACK) if family == "ipv4" else (socket.AF_INET6, "::1")
    try:
        with socket.create_server((host, 0), family=af) as listener, \
                socket.create_connection(listener.getsockname()[:2], timeout=2) as client:
            listener.accept()[0].close()
            return tcp_info(client)
    except OSError:
        return None


@public
def loopback_route_mtu(family: Family = "ipv4") -> int | None:
    """The path MTU a TCP socket on loopback uses (``tcpi_pmtu``)."""
    info = _fresh_info(family)
    return info.pmtu if info is not None else None


@public
def loopback_advmss(family: Family = "ipv4") -> int | None:
    """The payload per segment a loopback connection advertises, after the timestamp option."""
    info = _fresh_info(family)
    return info.advmss if info is not None else None


@public
def loopback_syn_mss(family: Family = "ipv4") -> int | None:
    """The MSS option of a real SYN on loopback, captured from ``lo`` (None without root)."""
    if not sys.platform.startswith("linux"):
        return None
    af, host = (socket.AF_INET, LOOPBACK) if family == "ipv4" else (socket.AF_INET6, "::1")
    try:
        listener = socket.create_server((host, 0), family=af)
    except OSError:
        return None
    with listener:
        port = listener.getsockname()[1]

        def connect() -> None:
            with socket.create_connection((host, port), timeout=2):
                listener.accept()[0].close()

        try:
            packets = capture_loopback(connect, settle_s=0.05, keep=lambda p: TCP in p
                                       and p[TCP].dport == port and p[TCP].flags == "S")
        except PermissionError:
            return None
    return syn_mss_option(packets) if packets else None


@public
def unconnected_tcp_maxseg() -> int | None:
    """``TCP_MAXSEG`` of a TCP socket that has no peer yet: the MSS assumed before any option."""
    if not sys.platform.startswith("linux"):
        return None
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG)


@public
def connected_udp_error() -> str | None:
    """What ``recv`` on a connected UDP socket raises after a send to a closed port."""
    if not sys.platform.startswith("linux"):
        return None
    return udp_to_closed_port(connected=True).outcome
