"""MTU and MSS: the rule Linux uses to pick the MSS it advertises, and what a socket shows.

The MSS is the largest segment *payload* (RFC 9293 §3.7.1): the MSS option a SYN carries
is "the effective MTU minus the fixed IP and TCP headers". Linux computes it from the
route's MTU (``ipv4_default_advmss`` in ``net/ipv4/route.c``)::

    mtu    = min(route or device MTU, IP_MAX_MTU)        # IP_MAX_MTU = 65,535
    advmss = max(mtu - 20 - 20, ip_rt_min_advmss)        # min_adv_mss, 256 by default
    advmss = min(advmss, IPV4_MAX_PMTU - 20 - 20)        # IPV4_MAX_PMTU = 65,535

The cap exists because IPv4's Total Length field has 16 bits: a datagram, header
included, is at most 65,535 bytes, so loopback's 65,536-byte MTU gives an MSS of 65,495.
IPv6's Payload Length counts only what follows the 40-byte header, so IPv6 caps at
65,535 + 40 and loopback's full MTU counts (``ip6_default_advmss``: MTU - 60).

Once both ends agree on timestamps (RFC 7323), each segment carries 12 more bytes of
options, and Linux lowers the payload per segment accordingly (``tp->advmss -=
TCPOLEN_TSTAMP_ALIGNED`` when the SYN-ACK carries timestamps): 65,483 on IPv4 loopback.

:func:`loopback_mss` reads what a real connection on 127.0.0.1 (or ::1) reports through
``TCP_INFO`` and ``TCP_MAXSEG``; :meth:`LoopbackMss.checks` compares it with the rule
above. The values depend on the machine (an MTU is a setting), the relations do not.
"""

from __future__ import annotations

import socket
import threading
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field

from netlab._validate import public, result
from netlab.probes import interface_mtu
from netlab.tables import format_table
from netlab.tcpinfo import tcp_info

IP_MAX_MTU = 65_535  # IPv4 Total Length is 16 bits (RFC 791 §3.1)
IPV6_MAX_PAYLOAD = 65_535  # IPv6 Payload Length is 16 bits (RFC 8200 §3)
IPV4_HEADER_BYTES = 20
IPV6_HEADER_BYTES = 40
TCP_HEADER_BYTES = 20
TIMESTAMP_OPTION_BYTES = 12  # kind 8, length 10, padded with two NOPs (RFC 7323 §3)
MIN_ADVMSS = {"ipv4": 256, "ipv6": 1220}  # net.ipv4.route.min_adv_mss, net.ipv6.route.min_adv_mss
#: What the sender writes to make the receiver's window grow (so Linux's half-window bound lifts).
FILL_BYTES = 2_000_000

Family = Literal["ipv4", "ipv6"]


@public
def mss_for_mtu(mtu_bytes: Annotated[int, Field(ge=68, le=1 << 20)], *,
                family: Family = "ipv4", timestamps: bool = False) -> int:
    """The payload per segment Linux derives from a route MTU (the SYN's MSS without timestamps)."""
    if family == "ipv4":
        mtu = min(mtu_bytes, IP_MAX_MTU)
        headers = IPV4_HEADER_BYTES + TCP_HEADER_BYTES
        mss = min(max(mtu - headers, MIN_ADVMSS[family]), IP_MAX_MTU - headers)
    else:
        mtu = min(mtu_bytes, IPV6_MAX_PAYLOAD + IPV6_HEADER_BYTES)
        mss = max(mtu - IPV6_HEADER_BYTES - TCP_HEADER_BYTES, MIN_ADVMSS[family])
    return mss - (TIMESTAMP_OPTION_BYTES if timestamps else 0)


@result
@dataclass(frozen=True)
class LoopbackMss:
    """What one loopback connection reported: the route MTU, the MSS, and TCP_MAXSEG over time."""

    family: str
    device_mtu: int | None  # /sys/class/net/lo/mtu
    pmtu: int  # tcpi_pmtu: the path MTU the socket uses
    advmss: int  # tcpi_advmss: payload per segment it advertises, after options
    timestamps: bool  # negotiated on this connection
    peer_window_at_start: int | None  # the peer's first advertised window (tcpi_snd_wnd)
    peer_window_after_fill: int | None  # the same after FILL_BYTES have crossed
    maxseg_at_start: int  # getsockopt(TCP_MAXSEG) right after connect
    maxseg_after_fill: int  # the same once the peer's window has grown

    def checks(self) -> dict[str, bool]:
        """The relations the kernel's rule predicts, each True when the socket agrees.

        Linux also bounds the MSS it uses by half the largest window the peer has
        advertised (``tcp_bound_to_half_wnd``), so TCP_MAXSEG starts below the MSS on a
        fresh loopback connection and reaches it once the receiver's window has grown.
        Relations whose inputs this kernel does not report are left out.
        """
        if self.device_mtu is None:
            capped = self.pmtu
        elif self.family == "ipv4":
            capped = min(self.device_mtu, IP_MAX_MTU)
        else:
            capped = min(self.device_mtu, IPV6_MAX_PAYLOAD + IPV6_HEADER_BYTES)
        family: Family = "ipv4" if self.family == "ipv4" else "ipv6"
        expected = mss_for_mtu(self.pmtu, family=family, timestamps=self.timestamps)
        found = {
            "path MTU = device MTU, capped by the IP length field": self.pmtu == capped,
            "MSS = path MTU - IP and TCP headers - timestamp option": self.advmss == expected,
        }
        if self.peer_window_at_start is not None and self.peer_window_after_fill is not None:
            largest = max(self.peer_window_at_start, self.peer_window_after_fill)
            found["TCP_MAXSEG at start = min(MSS, half the peer's window)"] = \
                self.maxseg_at_start == min(self.advmss, self.peer_window_at_start // 2)
            found["TCP_MAXSEG after the window grew = min(MSS, half its largest window)"] = \
                self.maxseg_after_fill == min(self.advmss, largest // 2)
        return found


def _drain(sock: socket.socket, total: int) -> None:
    received = 0
    try:
        while received < total:
            chunk = sock.recv(1 << 20)
            if not chunk:
                break
            received += len(chunk)
    except OSError:  # the socket timed out or was closed under us: the caller reports that
        return


@public
def loopback_mss(*, family: Family = "ipv4",
                 timeout_s: Annotated[float, Field(ge=0.5, le=30)] = 5.0) -> LoopbackMss | None:
    """Open a TCP connection on loopback and read its MTU and MSS (None where TCP_INFO is absent)."""
    af, host = (socket.AF_INET, "127.0.0.1") if family == "ipv4" else (socket.AF_INET6, "::1")
    with ExitStack() as stack:
        try:
            listener = stack.enter_context(socket.create_server((host, 0), family=af))
        except OSError:
            return None  # no IPv6 loopback here
        listener.settimeout(timeout_s)
        client = stack.enter_context(socket.create_connection(listener.getsockname()[:2],
                                                              timeout=timeout_s))
        server = stack.enter_context(listener.accept()[0])
        server.settimeout(timeout_s)
        info = tcp_info(client)
        if info is None or info.pmtu is None or info.advmss is None:
            return None
        at_start = client.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG)
        reader = threading.Thread(target=_drain, args=(server, FILL_BYTES), daemon=True)
        reader.start()
        client.sendall(bytes(FILL_BYTES))
        reader.join(timeout_s)
        after = client.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG)
        later = tcp_info(client)
    return LoopbackMss(family, interface_mtu("lo"), info.pmtu, info.advmss,
                       "timestamps" in info.option_names, info.snd_wnd,
                       later.snd_wnd if later is not None else None, at_start, after)


#: Links whose MSS the rule gives, as (what, MTU, family): the lab's fixed examples.
RULE_EXAMPLES = (("Ethernet, IPv4", 1_500, "ipv4"), ("Ethernet, IPv6", 1_500, "ipv6"),
                 ("IPv4 minimum reassembly (576)", 576, "ipv4"),
                 ("IPv6 minimum MTU (1,280)", 1_280, "ipv6"),
                 ("Linux loopback, IPv4", 65_536, "ipv4"), ("Linux loopback, IPv6", 65_536, "ipv6"))


@public
def mss_rule_table() -> str:
    """The kernel's MSS rule applied to a few MTUs, without and with timestamps."""
    rows = [(what, mtu, mss_for_mtu(mtu, family=family),  # type: ignore[arg-type]
             mss_for_mtu(mtu, family=family, timestamps=True))  # type: ignore[arg-type]
            for what, mtu, family in RULE_EXAMPLES]
    return format_table(rows, ("link", "MTU", "SYN's MSS", "with timestamps"))


@public
def mss_checks_report(*, family: Family = "ipv4") -> str:
    """Whether a live loopback connection agrees with the rule, one line per relation (no values)."""
    seen = loopback_mss(family=family)
    if seen is None:
        return f"{family} loopback: TCP_INFO is not available here"
    return "\n".join(f"{'yes' if ok else 'NO '}  {name}" for name, ok in seen.checks().items())
