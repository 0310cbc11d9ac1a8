"""What Linux's TCP stack says about one socket: ``getsockopt(TCP_INFO)``, read with ``struct``.

The kernel fills ``struct tcp_info`` (``include/uapi/linux/tcp.h``) and copies as many
bytes as the caller's buffer holds, up to its own ``sizeof``; kernels only ever append
fields. There is no maintained Python library for this struct, so the layout below is
written once, as one ``struct`` format, against the header:

=======  ======  =====================================================  ==============
offset   C type  fields                                                 unit
=======  ======  =====================================================  ==============
0        u8 x8   state, ca_state, retransmits, probes, backoff,         counts, flags
                 options, snd_wscale:4 | rcv_wscale:4,
                 delivery_rate_app_limited:1 | fastopen_client_fail:2
8        u32 x4  rto, ato, snd_mss, rcv_mss                             µs, µs, bytes
24       u32 x5  unacked, sacked, lost, retrans, fackets                segments
44       u32 x4  last_data_sent, last_ack_sent, last_data_recv,         ms ago
                 last_ack_recv
60       u32 x8  pmtu, rcv_ssthresh, rtt, rttvar, snd_ssthresh,         bytes, µs,
                 snd_cwnd, advmss, reordering                           segments
92       u32 x3  rcv_rtt, rcv_space, total_retrans                      µs, bytes, count
104      u64 x4  pacing_rate, max_pacing_rate, bytes_acked,             bytes/s, bytes
                 bytes_received
136      u32 x6  segs_out, segs_in, notsent_bytes, min_rtt,             segments, µs
                 data_segs_in, data_segs_out
160      u64 x4  delivery_rate, busy_time, rwnd_limited, sndbuf_limited bytes/s, µs
192      u32 x2  delivered, delivered_ce                                segments
200      u64 x2  bytes_sent, bytes_retrans                              bytes
216      u32 x5  dsack_dups, reord_seen, rcv_ooopack, snd_wnd, rcv_wnd  count, bytes
236      u32     rehash                                                 count
240      u16 x2  total_rto, total_rto_recoveries                        count
244      u32     total_rto_time                                         ms
=======  ======  =====================================================  ==============

That is 248 bytes. The header of linux-libc-dev 6.1 ends at ``snd_wnd`` (232 bytes);
``rcv_wnd`` and ``rehash`` follow in 6.2 and the ``total_rto`` fields in 6.7. Linux 6.18
returns 280 bytes: Accurate ECN counters follow, which this reader does not decode. A
field the running kernel does not fill is ``None``; on another OS :func:`tcp_info`
returns ``None``.

Names are the header's without ``tcpi_``, in the kernel's units (the table); the
``*_s`` properties give the times in seconds. Bit-fields are decoded in the order GCC
lays them out: from the low bit on little-endian machines, from the high bit on
big-endian ones.
"""

from __future__ import annotations

import re
import socket
import struct
import sys
from dataclasses import dataclass

from netlab._validate import ArgumentError, public, result

__all__ = ["CA_STATES", "OPTION_FLAGS", "STATES", "TCP_INFO_FORMAT", "TCP_INFO_SIZE",
           "TcpInfo", "field_offsets", "parse_tcp_info", "tcp_info"]

#: The whole layout in one format: native byte order, standard sizes, no padding (the
#: struct has none: every field sits at a multiple of its size).
TCP_INFO_FORMAT = "=8B" + "4I" + "5I" + "4I" + "8I" + "3I" + "4Q" + "6I" + "4Q" + "2I" + "2Q" \
    + "5I" + "I" + "2H" + "I"
_STRUCT = struct.Struct(TCP_INFO_FORMAT)
#: Bytes of ``struct tcp_info`` this reader decodes.
TCP_INFO_SIZE = _STRUCT.size
_ASK_BYTES = 512  # more than any kernel's struct; the kernel returns its own size

#: ``tcpi_state`` values (include/net/tcp_states.h).
STATES = {1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1", 5: "FIN_WAIT2",
          6: "TIME_WAIT", 7: "CLOSE", 8: "CLOSE_WAIT", 9: "LAST_ACK", 10: "LISTEN",
          11: "CLOSING", 12: "NEW_SYN_RECV"}
#: ``tcpi_ca_state`` values (enum tcp_ca_state in include/uapi/linux/tcp.h).
CA_STATES = {0: "Open", 1: "Disorder", 2: "CWR", 3: "Recovery", 4: "Loss"}
#: ``tcpi_options`` bits (TCPI_OPT_* in include/uapi/linux/tcp.h).
OPTION_FLAGS = {1: "timestamps", 2: "sack", 4: "wscale", 8: "ecn", 16: "ecn_seen",
                32: "syn_data"}


@result
@dataclass(frozen=True, slots=True)
class TcpInfo:
    """One reading of ``struct tcp_info``; a field is None where the kernel did not fill it."""

    kernel_size_bytes: int  #: how many bytes the kernel returned (its sizeof, or more than read)
    state: int | None
    ca_state: int | None
    retransmits: int | None
    probes: int | None
    backoff: int | None
    options: int | None
    snd_wscale: int | None
    rcv_wscale: int | None
    delivery_rate_app_limited: bool | None
    fastopen_client_fail: int | None
    rto: int | None
    ato: int | None
    snd_mss: int | None
    rcv_mss: int | None
    unacked: int | None
    sacked: int | None
    lost: int | None
    retrans: int | None
    fackets: int | None
    last_data_sent: int | None
    last_ack_sent: int | None
    last_data_recv: int | None
    last_ack_recv: int | None
    pmtu: int | None
    rcv_ssthresh: int | None
    rtt: int | None
    rttvar: int | None
    snd_ssthresh: int | None
    snd_cwnd: int | None
    advmss: int | None
    reordering: int | None
    rcv_rtt: int | None
    rcv_space: int | None
    total_retrans: int | None
    pacing_rate: int | None
    max_pacing_rate: int | None
    bytes_acked: int | None
    bytes_received: int | None
    segs_out: int | None
    segs_in: int | None
    notsent_bytes: int | None
    min_rtt: int | None
    data_segs_in: int | None
    data_segs_out: int | None
    delivery_rate: int | None
    busy_time: int | None
    rwnd_limited: int | None
    sndbuf_limited: int | None
    delivered: int | None
    delivered_ce: int | None
    bytes_sent: int | None
    bytes_retrans: int | None
    dsack_dups: int | None
    reord_seen: int | None
    rcv_ooopack: int | None
    snd_wnd: int | None
    rcv_wnd: int | None
    rehash: int | None
    total_rto: int | None
    total_rto_recoveries: int | None
    total_rto_time: int | None

    @property
    def state_name(self) -> str | None:
        """The TCP state as Linux names it (``ESTABLISHED``), or None."""
        return None if self.state is None else STATES.get(self.state, f"state {self.state}")

    @property
    def ca_state_name(self) -> str | None:
        """The congestion-avoidance state (``Open``, ``Recovery``, ``Loss``...), or None."""
        return None if self.ca_state is None else CA_STATES.get(self.ca_state,
                                                                  f"ca_state {self.ca_state}")

    @property
    def option_names(self) -> tuple[str, ...]:
        """The options negotiated on the handshake (``timestamps``, ``sack``, ``wscale``...)."""
        return tuple(name for bit, name in OPTION_FLAGS.items() if (self.options or 0) & bit)

    rto_s = property(lambda self: _seconds(self.rto), doc="The retransmission timeout, s.")
    ato_s = property(lambda self: _seconds(self.ato), doc="The delayed-ACK timeout, s.")
    rtt_s = property(lambda self: _seconds(self.rtt), doc="The smoothed RTT, s.")
    rttvar_s = property(lambda self: _seconds(self.rttvar), doc="The RTT variation, s.")
    min_rtt_s = property(lambda self: _seconds(self.min_rtt), doc="The smallest RTT seen, s.")


def _seconds(microseconds: int | None) -> float | None:
    return None if microseconds is None else microseconds / 1e6


def _codes(fmt: str) -> list[str]:
    """One struct code per field: "=2I" -> ["I", "I"]."""
    return [code for count, code in re.findall(r"(\d*)([BHIQ])", fmt) for _ in range(int(count or 1))]


# (name, format code) in struct order; the two bit-field bytes are decoded separately.
_LAYOUT: tuple[tuple[str, str], ...] = tuple(zip(
    ("state", "ca_state", "retransmits", "probes", "backoff", "options", "_wscale", "_flags",
     "rto", "ato", "snd_mss", "rcv_mss", "unacked", "sacked", "lost", "retrans", "fackets",
     "last_data_sent", "last_ack_sent", "last_data_recv", "last_ack_recv",
     "pmtu", "rcv_ssthresh", "rtt", "rttvar", "snd_ssthresh", "snd_cwnd", "advmss",
     "reordering", "rcv_rtt", "rcv_space", "total_retrans",
     "pacing_rate", "max_pacing_rate", "bytes_acked", "bytes_received",
     "segs_out", "segs_in", "notsent_bytes", "min_rtt", "data_segs_in", "data_segs_out",
     "delivery_rate", "busy_time", "rwnd_limited", "sndbuf_limited",
     "delivered", "delivered_ce", "bytes_sent", "bytes_retrans",
     "dsack_dups", "reord_seen", "rcv_ooopack", "snd_wnd", "rcv_wnd", "rehash",
     "total_rto", "total_rto_recoveries", "total_rto_time"),
    _codes(TCP_INFO_FORMAT), strict=True))


@public
def field_offsets() -> dict[str, tuple[int, int]]:
    """``{field: (offset, size)}`` in ``struct tcp_info``, computed from the one format."""
    offsets, at = {}, 0
    for name, code in _LAYOUT:
        size = struct.calcsize("=" + code)
        offsets[name] = (at, size)
        at += size
    return offsets


_OFFSETS = field_offsets()


@public
def parse_tcp_info(raw: bytes) -> TcpInfo:
    """Decode the bytes ``getsockopt(TCP_INFO)`` returned; fields past their end are None."""
    if len(raw) < 8:
        raise ArgumentError(f"parse_tcp_info: raw: must hold at least the 8 one-byte fields, "
                            f"got {len(raw)} bytes")
    values = dict(zip((n for n, _ in _LAYOUT),
                      _STRUCT.unpack(raw[:TCP_INFO_SIZE].ljust(TCP_INFO_SIZE, b"\0")),
                      strict=True))
    present = {name: at + size <= len(raw) for name, (at, size) in _OFFSETS.items()}
    wscale, flags = values.pop("_wscale"), values.pop("_flags")
    if sys.byteorder == "little":  # GCC: first bit-field in the lowest bits
        snd_wscale, rcv_wscale = wscale & 0xF, wscale >> 4
        app_limited, fastopen_fail = bool(flags & 0x1), (flags >> 1) & 0x3
    else:
        snd_wscale, rcv_wscale = wscale >> 4, wscale & 0xF
        app_limited, fastopen_fail = bool(flags & 0x80), (flags >> 5) & 0x3
    out = {name: (value if present[name] else None) for name, value in values.items()}
    return TcpInfo(kernel_size_bytes=len(raw), snd_wscale=snd_wscale, rcv_wscale=rcv_wscale,
                   delivery_rate_app_limited=app_limited, fastopen_client_fail=fastopen_fail,
                   **out)


@public
def tcp_info(sock: socket.socket) -> TcpInfo | None:
    """Read TCP_INFO from a TCP socket (Linux); None on systems without it."""
    if sock.fileno() < 0:
        raise ArgumentError("tcp_info: sock: must be an open socket, got a closed one")
    if sock.type != socket.SOCK_STREAM or sock.family not in (socket.AF_INET, socket.AF_INET6):
        raise ArgumentError(f"tcp_info: sock: must be a TCP socket, got {sock.family.name} "
                            f"{sock.type.name}")
    if not sys.platform.startswith("linux") or not hasattr(socket, "TCP_INFO"):
        return None
    return parse_tcp_info(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, _ASK_BYTES))

