"""Probes for chapter 9's facts file: what dnspython and this machine do.

Each returns the value it reads, or None where it cannot read it. None of them sends
a packet off the machine.
"""

from __future__ import annotations

import socket
from pathlib import Path

import dns.message
import dns.resolver

from netlab._validate import public

__all__ = ["can_bind_loopback", "dnspython_edns_payload", "dnspython_negative_ttl_without_soa",
           "dnspython_stub_timeout", "hosts_lookup_order"]


@public
def dnspython_edns_payload() -> int:
    """The EDNS(0) UDP payload dnspython offers when a query uses EDNS."""
    return int(dns.message.DEFAULT_EDNS_PAYLOAD)


@public
def dnspython_negative_ttl_without_soa() -> int:
    """How long dnspython caches a negative answer that came without an SOA record."""
    return int(dns.message.NEGATIVE_TTL_WITHOUT_SOA)


@public
def dnspython_stub_timeout() -> float:
    """dnspython's stub resolver: seconds it waits for one server before trying the next."""
    return float(dns.resolver.Resolver(configure=False).timeout)


@public
def can_bind_loopback(address: str = "127.0.0.42") -> bool | None:
    """Whether a UDP socket can bind ``address`` in 127.0.0.0/8 (Linux: all of it is lo's)."""
    parts = address.split(".")
    if len(parts) != 4 or parts[0] != "127" or not all(p.isdigit() and int(p) < 256 for p in parts):
        raise ValueError(f"address must be an IPv4 address in 127.0.0.0/8, got {address!r}")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.bind((address, 0))
        except OSError:
            return False
    return True


@public
def hosts_lookup_order() -> str | None:
    """The first source of the ``hosts:`` line in /etc/nsswitch.conf ('files' = /etc/hosts first)."""
    try:
        text = Path("/etc/nsswitch.conf").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if words and words[0] == "hosts:" and len(words) > 1:
            return words[1]
    return None
