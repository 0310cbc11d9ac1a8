"""ClientHello and ServerHello, field by field, from scapy's dissection of a real trace."""

from __future__ import annotations

from typing import Any

from scapy.layers.tls.basefields import _tls_version
from scapy.layers.tls.crypto.groups import _tls_named_groups
from scapy.layers.tls.crypto.suites import _tls_cipher_suites
from scapy.layers.tls.extensions import _tls_ext

from netlab.tls.handshake import HandshakeTrace

# What each extension is for, with the section that defines it.
EXTENSION_PURPOSE = {
    "server_name": "SNI: which host the client wants, in clear (RFC 6066 §3)",
    "supported_groups": "key-exchange groups the client can do (RFC 8446 §4.2.7)",
    "ec_point_formats": "legacy EC point encodings, TLS 1.2 only (RFC 8422 §5.1.2)",
    "session_ticket": "can resume with a ticket, TLS 1.2 style (RFC 5077)",
    "alpn": "application protocols offered, e.g. h2 (RFC 7301 §3.1)",
    "encrypt_then_mac": "TLS 1.2 CBC fix (RFC 7366)",
    "extended_master_secret": "binds the 1.2 master secret to the transcript (RFC 7627)",
    "signature_algorithms": "signatures the client accepts in CertificateVerify (§4.2.3)",
    "supported_versions": "the real version negotiation (RFC 8446 §4.2.1)",
    "psk_key_exchange_modes": "resumption must still do (EC)DHE: psk_dhe_ke (§4.2.9)",
    "key_share": "the client's ephemeral public key, sent before any reply (§4.2.8)",
    "padding": "pads the hello to 512 bytes for old middleboxes (RFC 7685)",
    "renegotiation_info": "secure renegotiation marker, TLS 1.2 (RFC 5746)",
    "pre_shared_key": "offers a ticket from an earlier session (§4.2.11)",
}

# Where the server's answer means something different from the client's offer.
SERVER_PURPOSE = {
    "key_share": "the server's ephemeral public key: with the client's, the shared secret",
    "supported_versions": "the version the server chose (RFC 8446 §4.2.1)",
    "alpn": "the one protocol the server chose (RFC 7301 §3.2)",
}


def _repr(pkt: Any, field: str) -> str:
    return str(pkt.get_field(field).i2repr(pkt, getattr(pkt, field)))


def _ext_value(ext: Any) -> str:
    name = _tls_ext.get(ext.type, str(ext.type))
    if name == "server_name":
        return ", ".join(n.servername.decode("ascii") for n in ext.servernames)
    if name == "alpn":
        return ", ".join(p.protocol.decode("ascii") for p in ext.protocols)
    if name == "key_share" and hasattr(ext, "client_shares"):
        return ", ".join(f"{_tls_named_groups.get(e.group, e.group)} ({e.kxlen}-byte public key)"
                         for e in ext.client_shares)
    if name == "key_share" and hasattr(ext, "server_share"):
        share = ext.server_share
        return f"{_tls_named_groups.get(share.group, share.group)} ({share.kxlen}-byte public key)"
    if name == "supported_versions":
        return _repr(ext, "versions") if hasattr(ext, "versions") else _repr(ext, "version")
    if name == "signature_algorithms":
        first = ", ".join(_repr(ext, "sig_algs").strip("[]").split(", ")[:3])
        return f"{len(ext.sig_algs)} schemes: {first}, ..."
    if name == "supported_groups":
        return _repr(ext, "groups").strip("[]")
    if name == "psk_key_exchange_modes":
        return _repr(ext, "kxmodes").strip("[]")
    if name == "padding":
        return f"{len(ext.padding)} zero bytes"
    if not ext.len:
        return "(empty)"
    return "1 byte" if ext.len == 1 else f"{ext.len} bytes"


def _hello(trace: HandshakeTrace, flight: int) -> tuple[Any, Any]:
    if not isinstance(trace, HandshakeTrace):
        raise ValueError(f"trace must be a HandshakeTrace, got {type(trace).__name__}")
    if len(trace.flights) <= flight:
        raise ValueError(f"trace must hold at least {flight + 1} flight(s), "
                         f"got {len(trace.flights)}")
    record = trace.flights[flight].records[0].packet
    return record, record.msg[0]


def client_hello_fields(trace: HandshakeTrace) -> list[dict[str, str]]:
    """The ClientHello of ``trace``, one row per field and extension, with what it is for."""
    record, hello = _hello(trace, 0)
    suites = [_tls_cipher_suites.get(c, hex(c)) for c in hello.ciphers]
    rows = [
        ("record: content type", "handshake (22)", "TLSPlaintext header (RFC 8446 §5.1)"),
        ("record: legacy_record_version", _tls_version[record.version],
         "frozen old value, ignored (§5.1)"),
        ("legacy_version", _tls_version[hello.version],
         "frozen at TLS 1.2; see supported_versions (§4.1.2)"),
        ("random", f"{len(hello.random_bytes) + 4} bytes", "fresh nonce, in clear, mixed into keys"),
        ("legacy_session_id", f"{hello.sidlen} bytes", "TLS 1.3: middlebox compatibility (§D.4)"),
        ("cipher_suites", f"{len(suites)}: " + ", ".join(suites[:3]) + ", ...",
         "AEAD + hash choices; 1.3 suites first (§4.1.2, §B.4)"),
        ("legacy_compression_methods", "null", "must be null (§4.1.2)"),
    ]
    for ext in hello.ext:
        name = _tls_ext.get(ext.type, str(ext.type))
        rows.append((f"extension: {name}", _ext_value(ext), EXTENSION_PURPOSE.get(name, "")))
    return [{"field": f, "value": v, "what it is for": w} for f, v, w in rows]


def offered_cipher_suites(trace: HandshakeTrace) -> list[str]:
    """Every cipher suite name the client offered in its ClientHello, in its order."""
    _record, hello = _hello(trace, 0)
    return [_tls_cipher_suites.get(c, hex(c)) for c in hello.ciphers]


def server_hello_fields(trace: HandshakeTrace) -> list[dict[str, str]]:
    """The ServerHello of ``trace``: the version and suite chosen, and its extensions."""
    _record, hello = _hello(trace, 1)
    rows = [
        ("legacy_version", _tls_version[hello.version],
         "0x0303; 1.3 states its version in supported_versions (§4.1.3)"),
        ("random", "32 bytes", "the server's nonce, in clear"),
        ("cipher_suite", _tls_cipher_suites.get(hello.cipher, hex(hello.cipher)),
         "one suite chosen from the client's list"),
    ]
    for ext in hello.ext or []:
        name = _tls_ext.get(ext.type, str(ext.type))
        purpose = SERVER_PURPOSE.get(name, EXTENSION_PURPOSE.get(name, ""))
        rows.append((f"extension: {name}", _ext_value(ext), purpose))
    return [{"field": f, "value": v, "what it is for": w} for f, v, w in rows]
