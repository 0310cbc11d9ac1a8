"""TCP and UDP headers built with scapy, and a bit error to make their checksums fail.

The TCP header is 20 bytes plus up to 40 bytes of options (RFC 9293 §3.1, Data
Offset counts 32-bit words, 5..15); the UDP header is always 8 bytes (RFC 768).
Addresses are loopback and ports fixed so that every build is identical; nothing
here is sent anywhere. A SYN with real options comes from a capture
(:mod:`netlab.transport.capture`), not from a list written here.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from scapy.layers.inet import IP, TCP, UDP
from scapy.packet import Packet

from netlab._validate import ArgumentError, one_of, public

SRC = "127.0.0.1"
DST = "127.0.0.1"
CLIENT_PORT = 50_000
SERVER_PORT = 8080
MAX_PAYLOAD_BYTES = 65_507

TCP_FLAG_SETS = {"S": "SYN", "SA": "SYN-ACK", "A": "ACK", "PA": "PSH-ACK", "FA": "FIN-ACK",
                 "R": "RST", "RA": "RST-ACK"}
SeqNumber = Annotated[int, Field(ge=0, le=2**32 - 1)]


@public
def tcp_segment(*, flags: Annotated[str, one_of(TCP_FLAG_SETS)] = "S",
                payload: Annotated[bytes, Field(max_length=MAX_PAYLOAD_BYTES - 20)] = b"",
                seq: SeqNumber = 1_000, ack: SeqNumber = 0) -> Packet:
    """Build an IPv4/TCP segment from loopback to loopback with fixed ports and no options."""
    segment = TCP(sport=CLIENT_PORT, dport=SERVER_PORT, flags=flags, seq=seq, ack=ack,
                  window=65_483)
    packet = IP(src=SRC, dst=DST) / segment
    return packet / payload if payload else packet


@public
def udp_datagram(*, payload: Annotated[bytes, Field(max_length=MAX_PAYLOAD_BYTES)] = b"") -> Packet:
    """Build an IPv4/UDP datagram from loopback to loopback with fixed ports."""
    packet = IP(src=SRC, dst=DST) / UDP(sport=CLIENT_PORT, dport=SERVER_PORT)
    return packet / payload if payload else packet


@public
def corrupt(wire: Annotated[bytes, Field(min_length=1)], *,
            offset: Annotated[int, Field(ge=0)]) -> bytes:
    """Return ``wire`` with the byte at ``offset`` flipped, as a bit error on a link would."""
    if offset >= len(wire):
        raise ArgumentError(f"corrupt: offset: must be below len(wire) = {len(wire)}, got {offset}")
    out = bytearray(wire)
    out[offset] ^= 0xFF
    return bytes(out)
