"""A real SYN from Linux: captured on loopback (as root), committed, and dissected with scapy.

:func:`capture_loopback` opens an ``AF_PACKET`` socket on ``lo`` (it needs
``CAP_NET_RAW``, so in practice root), runs an action, and returns the frames the
action produced, each stamped with the kernel's receive time (``SO_TIMESTAMPNS``), so
a pcap written from them shows the real timing. Loopback shows every frame twice, as
sent and as received; the outgoing copy is skipped.

``tools/capture_transport.py`` uses it to write ``labs/data/01-loopback.pcap``: one TCP
connection set up and closed on 127.0.0.1, and one UDP datagram to a closed port with
the ICMP error it drew. The lab reads that file with :func:`read_capture`, so its SYN is
a real one on every machine, with or without root.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scapy.layers.inet import ICMP, IP, TCP, UDP
from scapy.layers.l2 import Ether
from scapy.packet import Packet
from scapy.utils import rdpcap, wrpcap

from netlab._validate import ArgumentError, public, result
from netlab.packets import TcpOption, header_bytes, tcp_options
from netlab.tables import format_table

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4  # sll_pkttype of a frame the host sent (linux/if_packet.h)
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)
_TIMESPEC = struct.Struct("=qq")
MAX_FRAMES = 1_000


@result
@dataclass(frozen=True)
class SegmentRow:
    """One packet of a capture, as a table row: what it is and the sizes of its headers."""

    index: int
    summary: str  # "TCP S", "TCP SA", "UDP", "ICMP 3/3" ...
    ip_header_bytes: int
    transport_header_bytes: int
    payload_bytes: int
    offset_ms: float  # since the first packet of the capture


def _read_frames(raw: socket.socket, stop: threading.Event, limit: int,
                 frames: list[tuple[float, bytes]]) -> None:
    """Collect incoming frames with their kernel receive time until ``stop`` is set."""
    while not stop.is_set() and len(frames) < limit:
        try:
            data, ancillary, _flags, address = raw.recvmsg(65_600, 64)
        except (BlockingIOError, TimeoutError):
            continue
        if address[2] == PACKET_OUTGOING:
            continue
        stamp = 0.0
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                seconds, nanoseconds = _TIMESPEC.unpack_from(payload)
                stamp = seconds + nanoseconds / 1e9
        frames.append((stamp, data))


def capture_loopback(action: Callable[[], Any], *, keep: Callable[[Packet], bool],
                     settle_s: float = 0.2, limit: int = MAX_FRAMES) -> list[Packet]:
    """Run ``action`` while listening on ``lo``; return the frames ``keep`` accepts, timed.

    A thread reads the frames while the action runs, so each keeps the time the kernel
    received it. Raises PermissionError without ``CAP_NET_RAW``. Not decorated as
    public: it takes callables and serves the capture tool and the probes, not lab cells.
    """
    frames: list[tuple[float, bytes]] = []
    stop = threading.Event()
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL)) as raw:
        raw.bind(("lo", 0))
        raw.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        raw.settimeout(0.02)
        reader = threading.Thread(target=_read_frames, args=(raw, stop, limit, frames),
                                  daemon=True)
        reader.start()
        try:
            action()
            time.sleep(settle_s)
        finally:
            stop.set()
            reader.join(2.0)
    packets = []
    for stamp, data in frames:
        packet = Ether(data)
        if keep(packet):
            packet.time = stamp
            packets.append(packet)
    return packets


def write_capture(path: Path, packets: list[Packet]) -> None:
    """Write packets to a pcap file, keeping their capture times."""
    wrpcap(str(path), packets)


def _summary(packet: Packet) -> str:
    if TCP in packet:
        return f"TCP {packet[TCP].flags}"
    if ICMP in packet:
        return f"ICMP {packet[ICMP].type}/{packet[ICMP].code}"
    if UDP in packet:
        return "UDP"
    return packet.lastlayer().name


@public
def read_capture(path: Path | str) -> list[Packet]:
    """The packets of a pcap file, as scapy dissects them."""
    target = Path(path)
    if not target.is_file():
        raise ArgumentError(f"read_capture: path: no such file, got {str(path)!r}")
    return list(rdpcap(str(target)))


@public
def capture_rows(packets: list[Packet]) -> list[SegmentRow]:
    """One row per IP packet: kind, header sizes, payload and time since the first packet."""
    rows = []
    first = float(packets[0].time) if packets else 0.0
    for i, packet in enumerate(p for p in packets if IP in p):
        transport = TCP if TCP in packet else UDP if UDP in packet else ICMP
        if transport not in packet:
            continue
        ip_bytes = header_bytes(packet[IP], "IP")
        layer_bytes = header_bytes(packet[IP], transport.__name__) if transport is not ICMP else 8
        payload = len(bytes(packet[IP])) - ip_bytes - layer_bytes
        rows.append(SegmentRow(i, _summary(packet), ip_bytes, layer_bytes, payload,
                               round((float(packet.time) - first) * 1000, 3)))
    return rows


@public
def first_syn(packets: list[Packet]) -> Packet:
    """The first segment with SYN set and ACK clear: the client's opening segment."""
    for packet in packets:
        if TCP in packet and packet[TCP].flags == "S":
            return packet
    raise ArgumentError("first_syn: packets: no SYN among them")


@public
def syn_options(packets: list[Packet]) -> list[TcpOption]:
    """The options of the capture's first SYN, in wire order, with their sizes."""
    return tcp_options(first_syn(packets))


@public
def syn_mss_option(packets: list[Packet]) -> int:
    """The MSS the first SYN of a capture advertises."""
    for option in syn_options(packets):
        if option.name == "MSS":
            return int(option.value)  # type: ignore[arg-type]
    raise ArgumentError("syn_mss_option: packets: the SYN carries no MSS option")


@public
def capture_table(packets: list[Packet]) -> str:
    """The capture as a text table: kind, header sizes, payload and time since the first packet."""
    rows = [(r.index, r.summary, r.ip_header_bytes, r.transport_header_bytes, r.payload_bytes,
             r.offset_ms) for r in capture_rows(packets)]
    return format_table(rows, ("#", "packet", "IP header", "L4 header", "payload", "ms"),
                        floatfmt=("g", "", "g", "g", "g", ".3f"))


@public
def syn_options_table(packets: list[Packet]) -> str:
    """The first SYN's options as a text table: name, kind, bytes on the wire."""
    rows = [(o.name, o.kind, o.length_bytes) for o in syn_options(packets)]
    total = sum(o.length_bytes for o in syn_options(packets))
    return format_table([*rows, ("total", None, total)], ("option", "kind", "bytes"))
