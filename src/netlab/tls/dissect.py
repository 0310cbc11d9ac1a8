"""Dissect recorded TLS flights with scapy, record by record.

scapy's ``tlsSession`` follows the conversation as a passive observer would.
Given the key log a TLS library writes (the NSS key-log format that Wireshark
reads too), it also opens the encrypted records, so a trace can say both what a
message *was* and whether it crossed the wire in clear. Given instead only the
server's RSA private key, it opens exactly what an eavesdropper holding that key
could open: the records of a TLS 1.2 session that used RSA key transport.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import Field
from scapy.layers.tls.all import TLS
from scapy.layers.tls.basefields import _tls_version
from scapy.layers.tls.cert import PrivKeyRSA
from scapy.layers.tls.handshake import _tls_handshake_type
from scapy.layers.tls.record import TLSAlert, TLSApplicationData, TLSChangeCipherSpec, _tls_type
from scapy.layers.tls.record_tls13 import TLS13
from scapy.layers.tls.session import parse_nss_keys, tlsSession

from netlab._validate import ArgumentError, public, result

CLIENT_TO_SERVER = "client->server"
SERVER_TO_CLIENT = "server->client"
DIRECTIONS = (CLIENT_TO_SERVER, SERVER_TO_CLIENT)
Direction = Literal["client->server", "server->client"]
_RECORD_HEADER_BYTES = 5
_MAX_FLIGHTS = 64
_MAX_FLIGHT_BYTES = 1 << 20


@result
@dataclass(frozen=True)
class Record:
    """One TLS record: its outer header, whether it was encrypted, what it carried."""

    content_type: str
    legacy_version: str
    length_bytes: int
    encrypted: bool
    messages: tuple[str, ...]
    packet: Any = field(repr=False, compare=False)
    #: the application data inside, when the keys given opened it
    plaintext: bytes | None = field(default=None, repr=False)


@result
@dataclass(frozen=True)
class Flight:
    """The bytes one side wrote before waiting for the other: one or more records."""

    index: int
    direction: str
    size_bytes: int
    records: tuple[Record, ...]
    raw: bytes = field(default=b"", repr=False, compare=False)

    @property
    def messages(self) -> list[str]:
        """The protocol messages of this flight, in order."""
        return [m for r in self.records for m in r.messages]


@public
def message_name(msgtype: Annotated[int, Field(ge=0, le=255)]) -> str:
    """RFC 8446 §4 name of a handshake message type, e.g. 1 -> 'ClientHello'."""
    if msgtype == 4:  # scapy says "session_ticket"; RFC 8446 §4.6.1 names it this way
        return "NewSessionTicket"
    if msgtype == 24:  # RFC 8446 §4.6.3
        return "KeyUpdate"
    name = _tls_handshake_type.get(msgtype, f"unknown_{msgtype}")
    return "".join(part.capitalize() for part in name.split("_"))


def _describe(msg: Any) -> str:
    if isinstance(msg, TLSChangeCipherSpec):
        return "ChangeCipherSpec"
    if isinstance(msg, TLSAlert):
        return f"Alert({msg.sprintf('%descr%')})"
    if hasattr(msg, "msgtype"):
        return message_name(msg.msgtype)
    if isinstance(msg, TLSApplicationData):
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


def _plaintext(msgs: Any) -> bytes | None:
    data = b"".join(bytes(m.data) for m in msgs or () if isinstance(m, TLSApplicationData))
    return data or None


def _record(pkt: Any, after_ccs: bool) -> Record:
    plaintext = None
    if isinstance(pkt, TLS13):
        inner = pkt.inner
        msgs = tuple(_describe(m) for m in inner.msg) if inner is not None else ()
        if inner is not None and inner.type == 23:
            msgs = ("ApplicationData",)
            plaintext = _plaintext(inner.msg)
        encrypted = True
    else:
        msgs = tuple(_describe(m) for m in pkt.msg) if pkt.msg else ()
        encrypted = after_ccs and pkt.type != 20
        if pkt.type == 23 and msgs == ("ApplicationData",):
            plaintext = _plaintext(pkt.msg)
    return Record(content_type=_tls_type.get(pkt.type, str(pkt.type)),
                  legacy_version=_tls_version.get(pkt.version, hex(pkt.version)),
                  length_bytes=int(pkt.len), encrypted=encrypted,
                  messages=msgs or ("(encrypted)",), packet=pkt, plaintext=plaintext)


def _session(keylog: str, server_rsa_key_pem: str) -> Any:
    session = tlsSession()  # scapy reads the first flight as the server would
    if keylog:
        session.nss_keys = parse_nss_keys(keylog)  # lines it cannot read are skipped
    if server_rsa_key_pem:
        try:
            session.server_rsa_key = PrivKeyRSA(server_rsa_key_pem.encode("ascii"))
        except Exception:  # scapy raises several kinds for a key it cannot read
            raise ArgumentError("dissect_flights: server_rsa_key_pem: must be an RSA private "
                                "key in PEM") from None
    return session


@public
def dissect_flights(raw: Annotated[list[tuple[Direction, bytes]], Field(max_length=_MAX_FLIGHTS)],
                    keylog: str = "", server_rsa_key_pem: str = "") -> tuple[Flight, ...]:
    """Parse ``[(direction, bytes), ...]`` (client speaks first) into dissected flights.

    ``keylog`` (NSS format) opens every encrypted record, as Wireshark does with it;
    ``server_rsa_key_pem`` opens only what the server's private key alone can: a TLS 1.2
    session with RSA key transport.
    """
    for index, (_direction, data) in enumerate(raw):
        if len(data) > _MAX_FLIGHT_BYTES:
            raise ArgumentError(f"dissect_flights: raw[{index}]: a flight may hold at most "
                                f"{_MAX_FLIGHT_BYTES} bytes, got {len(data)}")
    session = _session(keylog, server_rsa_key_pem)
    flights: list[Flight] = []
    ccs_seen = dict.fromkeys(DIRECTIONS, False)
    previous = CLIENT_TO_SERVER
    for index, (direction, data) in enumerate(raw):
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
                              records=tuple(records), raw=data))
    return tuple(flights)
