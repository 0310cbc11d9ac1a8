"""Hand the CRYPTO stream of an Initial packet to scapy's TLS dissector.

QUIC carries TLS 1.3 handshake messages in CRYPTO frames, without TLS records
(RFC 9001 §4.1), so the bytes start directly with the handshake header of the
ClientHello that scapy's ``TLSClientHello`` understands.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from scapy.layers.tls.handshake import TLSClientHello

from netlab._validate import public

HandshakeBytes = Annotated[bytes, Field(min_length=4, max_length=2**24)]

CLIENT_HELLO = 0x01  # RFC 8446 §4: HandshakeType client_hello


@public
def dissect_client_hello(data: HandshakeBytes) -> TLSClientHello:
    """Dissect a TLS ClientHello handshake message (as found in CRYPTO frames) with scapy."""
    if data[0] != CLIENT_HELLO:
        raise ValueError("data: must start with a ClientHello handshake header (type 0x01)")
    try:
        return TLSClientHello(data)
    except Exception as exc:  # noqa: BLE001 - scapy raises many types on junk
        raise ValueError(f"data: not a readable ClientHello: {exc}") from None


def _names(packet: object, field: str) -> list[str]:
    """The names scapy prints for a list field (suites, groups, versions)."""
    value = getattr(packet, field)
    text = packet.get_field(field).i2repr(packet, value)  # type: ignore[attr-defined]
    return [item.strip() for item in text.strip("[]").split(",") if item.strip()]


@public
def client_hello_summary(data: HandshakeBytes) -> dict[str, list[str]]:
    """The fields of a ClientHello that matter for QUIC, as lists of readable names."""
    hello = dissect_client_hello(data)
    try:
        return _summary(hello)
    except (AttributeError, TypeError, ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"data: the ClientHello's extensions do not parse: {exc}") from None


def _summary(hello: TLSClientHello) -> dict[str, list[str]]:
    summary: dict[str, list[str]] = {
        "cipher_suites": _names(hello, "ciphers"),
        "extensions": [],
    }
    for ext in hello.ext or []:
        name = ext.get_field("type").i2repr(ext, ext.type)
        summary["extensions"].append(name)
        if name == "server_name":
            summary["server_name"] = [n.servername.decode() for n in ext.servernames]
        elif name == "alpn":
            summary["alpn"] = [p.protocol.decode() for p in ext.protocols]
        elif name == "supported_versions":
            summary["supported_versions"] = _names(ext, "versions")
        elif name == "key_share":
            summary["key_share"] = [entry.get_field("group").i2repr(entry, entry.group)
                                    for entry in ext.client_shares]
        elif name == "quic_transport_parameters":
            summary["quic_transport_parameters"] = [
                p.get_field("type").i2repr(p, p.type) for p in ext.params]
    return summary
