"""Dissect recorded TLS flights with scapy, record by record.

scapy's ``tlsSession`` follows the conversation as a passive observer would.
Given the key log a TLS library writes (the NSS key-log format that Wireshark
reads too), it also opens the encrypted records, so a trace can say both what a
message *was* and whether it crossed the wire in clear.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scapy.layers.tls.all import TLS
from scapy.layers.tls.basefields import _tls_version
from scapy.layers.tls.handshake import _tls_handshake_type
from scapy.layers.tls.record import TLSAlert, TLSChangeCipherSpec, _tls_type
from scapy.layers.tls.record_tls13 import TLS13
from scapy.layers.tls.session import parse_nss_keys, tlsSession

from netlab._check import check_bytes, check_choice

CLIENT_TO_SERVER = "client->server"
SERVER_TO_CLIENT = "server->client"
DIRECTIONS = (CLIENT_TO_SERVER, SERVER_TO_CLIENT)
_RECORD_HEADER_BYTES = 5


@dataclass(frozen=True)
class Record:
    """One TLS record: its outer header, whether it was encrypted, what it carried."""

    content_type: str
    legacy_version: str
    length_bytes: int
    encrypted: bool
    messages: tuple[str, ...]
    packet: Any = field(repr=False, compare=False)


@dataclass(frozen=True)
class Flight:
    """The bytes one side wrote before waiting for the other: one or more records."""

    index: int
    direction: str
    size_bytes: int
    records: tuple[Record, ...]

    @property
    def messages(self) -> list[str]:
        """The protocol messages of this flight, in order."""
        return [m for r in self.records for m in r.messages]


def message_name(msgtype: int) -> str:
    """RFC 8446 §4 name of a handshake message type, e.g. 1 -> 'ClientHello'."""
    if msgtype == 4:  # scapy says "session_ticket"; RFC 8446 §4.6.1 names it this way
        return "NewSessionTicket"
    name = _tls_handshake_type.get(msgtype, f"unknown_{msgtype}")
    return "".join(part.capitalize() for part in name.split("_"))


def _describe(msg: Any) -> str:
    if isinstance(msg, TLSChangeCipherSpec):
        return "ChangeCipherSpec"
    if isinstance(msg, TLSAlert):
        return f"Alert({msg.sprintf('%descr%')})"
    if hasattr(msg, "msgtype"):
        return message_name(msg.msgtype)
    if type(msg).__name__ == "TLSApplicationData":
        return "ApplicationData"
    return "(not decrypted)"


def _split_records(data: bytes) -> list[bytes]:
    """Cut a flight at record boundaries using the 5-byte header's length field."""
    out = []
    while data:
        end = _RECORD_HEADER_BYTES + int.from_bytes(data[3:5], "big")
        out.append(data[:end])
        data = data[end:]
    return out


def _record(pkt: Any, after_ccs: bool) -> Record:
    if isinstance(pkt, TLS13):
        inner = pkt.inner
        msgs = tuple(_describe(m) for m in inner.msg) if inner is not None else ()
        if inner is not None and inner.type == 23:
            msgs = ("ApplicationData",)
        encrypted = True
    else:
        msgs = tuple(_describe(m) for m in pkt.msg) if pkt.msg else ()
        encrypted = after_ccs and pkt.type != 20
    return Record(content_type=_tls_type.get(pkt.type, str(pkt.type)),
                  legacy_version=_tls_version.get(pkt.version, hex(pkt.version)),
                  length_bytes=int(pkt.len), encrypted=encrypted,
                  messages=msgs or ("(encrypted)",), packet=pkt)


def dissect_flights(raw: list[tuple[str, bytes]], keylog: str = "") -> tuple[Flight, ...]:
    """Parse ``[(direction, bytes), ...]`` (client speaks first) into dissected flights."""
    session = tlsSession()  # scapy reads the first flight as the server would
    if keylog:
        session.nss_keys = parse_nss_keys(keylog)
    flights: list[Flight] = []
    ccs_seen = dict.fromkeys(DIRECTIONS, False)
    previous = CLIENT_TO_SERVER
    for index, (direction, data) in enumerate(raw):
        check_choice("direction", direction, DIRECTIONS)
        data = check_bytes("data", data)
        if direction != previous:
            session = session.mirror()
            previous = direction
        records = []
        for chunk in _split_records(data):
            pkt = TLS(chunk, tls_session=session)
            session = pkt.tls_session
            records.append(_record(pkt, ccs_seen[direction]))
            if pkt.type == 20:
                ccs_seen[direction] = True
        flights.append(Flight(index=index, direction=direction, size_bytes=len(data),
                              records=tuple(records)))
    return tuple(flights)
