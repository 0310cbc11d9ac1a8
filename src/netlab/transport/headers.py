"""TCP and UDP headers built and dissected with scapy.

The TCP header is 20 bytes plus up to 40 bytes of options (RFC 9293 §3.1, Data
Offset counts 32-bit words, 5..15); the UDP header is always 8 bytes (RFC 768).
Addresses are loopback and ports fixed so that every build is identical; nothing
here is sent anywhere.
"""

from __future__ import annotations

from scapy.layers.inet import IP, TCP, UDP
from scapy.packet import Packet

from netlab._check import check_bytes, check_choice, check_int

SRC = "127.0.0.1"
DST = "127.0.0.1"
CLIENT_PORT = 50_000
SERVER_PORT = 8080
MAX_PAYLOAD_BYTES = 65_507

#: The options of a SYN from Linux on loopback, in Linux's order: MSS 65495
#: (65535 loopback MTU - 40), SACK permitted (RFC 2018), timestamps (RFC 7323 §3),
#: a NOP for alignment and window scale (RFC 7323 §2).
LINUX_SYN_OPTIONS: list[tuple[str, object]] = [
    ("MSS", 65_495),
    ("SAckOK", b""),
    ("Timestamp", (1_000, 0)),
    ("NOP", None),
    ("WScale", 7),
]

TCP_FLAG_SETS = {"S": "SYN", "SA": "SYN-ACK", "A": "ACK", "PA": "PSH-ACK", "FA": "FIN-ACK",
                 "R": "RST", "RA": "RST-ACK"}


def tcp_segment(*, flags: str = "S", payload: bytes = b"", with_options: bool = False,
                seq: int = 1_000, ack: int = 0) -> Packet:
    """Build an IPv4/TCP segment from loopback to loopback with fixed ports."""
    check_choice("flags", flags, TCP_FLAG_SETS)
    data = check_bytes("payload", payload, max_len=MAX_PAYLOAD_BYTES - 40)
    check_int("seq", seq, min_value=0, max_value=2**32 - 1)
    check_int("ack", ack, min_value=0, max_value=2**32 - 1)
    options = LINUX_SYN_OPTIONS if with_options else []
    segment = TCP(sport=CLIENT_PORT, dport=SERVER_PORT, flags=flags, seq=seq, ack=ack,
                  window=65_483, options=options)
    packet = IP(src=SRC, dst=DST) / segment
    return packet / data if data else packet


def udp_datagram(*, payload: bytes = b"") -> Packet:
    """Build an IPv4/UDP datagram from loopback to loopback with fixed ports."""
    data = check_bytes("payload", payload, max_len=MAX_PAYLOAD_BYTES)
    packet = IP(src=SRC, dst=DST) / UDP(sport=CLIENT_PORT, dport=SERVER_PORT)
    return packet / data if data else packet


def corrupt(wire: bytes, *, offset: int) -> bytes:
    """Return ``wire`` with the byte at ``offset`` flipped, as a bit error on a link would."""
    data = check_bytes("wire", wire)
    check_int("offset", offset, min_value=0, max_value=len(data) - 1)
    out = bytearray(data)
    out[offset] ^= 0xFF
    return bytes(out)
