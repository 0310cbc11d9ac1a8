"""ClientHello and ServerHello, field by field, from scapy's dissection of a real trace.

What a client offers depends on its TLS library. OpenSSL 3.0 sends one X25519 key
share and pads its hello to 512 bytes of handshake data (RFC 7685 padding, a
workaround for servers that choke on hellos of 256 to 511 bytes); OpenSSL >= 3.5
sends a hybrid X25519MLKEM768 share beside X25519, which makes the hello longer
than 1,200 bytes, so it is not padded. :func:`hello_profile` states those
properties, so that checks can say what holds on either.

:func:`load_recorded` reads handshakes recorded by ``tools/record_tls_handshakes.py``
(raw flights and the client's key log), so that a lab can show both generations of
ClientHello on any machine, whatever OpenSSL its Python links.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

from scapy.layers.tls.basefields import _tls_version
from scapy.layers.tls.crypto.groups import _tls_named_groups
from scapy.layers.tls.crypto.suites import _tls_cipher_suites
from scapy.layers.tls.extensions import _tls_ext

from netlab._validate import ArgumentError, public
from netlab.tls.dissect import dissect_flights
from netlab.tls.handshake import HandshakeTrace

#: Code points scapy 2.8 does not name (IANA TLS Supported Groups and SignatureScheme).
GROUP_NAMES = {0x0029: "curveSM2", 0x11EE: "curveSM2MLKEM768", 0x0200: "MLKEM512",
               0x0201: "MLKEM768", 0x0202: "MLKEM1024"}
SIGNATURE_NAMES = {0x0904: "mldsa44", 0x0905: "mldsa65", 0x0906: "mldsa87"}
#: the hybrid post-quantum groups (draft-ietf-tls-ecdhe-mlkem)
HYBRID_GROUPS = ("X25519MLKEM768", "SecP256r1MLKEM768", "SecP384r1MLKEM1024",
                 "curveSM2MLKEM768")

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
    "padding": "pads a 256-511-byte hello to 512 for servers that hang on it (RFC 7685)",
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


def group_name(code: int) -> str:
    """The IANA name of a supported group, e.g. 29 -> 'x25519', 4588 -> 'X25519MLKEM768'."""
    return GROUP_NAMES.get(code) or str(_tls_named_groups.get(code, code))


def _sig_names(ext: Any) -> list[str]:
    names = _repr(ext, "sig_algs").strip("[]").split(", ")
    return [SIGNATURE_NAMES.get(code, name) for code, name in zip(ext.sig_algs, names,
                                                                   strict=True)]


def _ext_value(ext: Any) -> str:
    name = _tls_ext.get(ext.type, str(ext.type))
    if name == "server_name":
        return ", ".join(n.servername.decode("ascii") for n in ext.servernames)
    if name == "alpn":
        return ", ".join(p.protocol.decode("ascii") for p in ext.protocols)
    if name == "key_share" and hasattr(ext, "client_shares"):
        return ", ".join(f"{group_name(e.group)} ({e.kxlen}-byte public key)"
                         for e in ext.client_shares)
    if name == "key_share" and hasattr(ext, "server_share"):
        share = ext.server_share
        return f"{group_name(share.group)} ({share.kxlen}-byte key share)"
    if name == "supported_versions":
        return _repr(ext, "versions") if hasattr(ext, "versions") else _repr(ext, "version")
    if name == "signature_algorithms":
        return f"{len(ext.sig_algs)} schemes: {', '.join(_sig_names(ext)[:3])}, ..."
    if name == "supported_groups":
        return ", ".join(group_name(g) for g in ext.groups)
    if name == "psk_key_exchange_modes":
        return _repr(ext, "kxmodes").strip("[]")
    if name == "padding":
        return f"{len(ext.padding)} zero bytes"
    if not ext.len:
        return "(empty)"
    return "1 byte" if ext.len == 1 else f"{ext.len} bytes"


def _hello(trace: HandshakeTrace, flight: int) -> tuple[Any, Any]:
    if len(trace.flights) <= flight:
        raise ArgumentError(f"trace: must hold at least {flight + 1} flight(s), "
                            f"got {len(trace.flights)}")
    record = trace.flights[flight].records[0].packet
    return record, record.msg[0]


@public
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


@public
def offered_cipher_suites(trace: HandshakeTrace) -> list[str]:
    """Every cipher suite name the client offered in its ClientHello, in its order."""
    _record, hello = _hello(trace, 0)
    return [_tls_cipher_suites.get(c, hex(c)) for c in hello.ciphers]


@public
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


def _extensions(hello: Any) -> dict[str, Any]:
    return {_tls_ext.get(e.type, str(e.type)): e for e in hello.ext or []}


@public
def hello_profile(trace: HandshakeTrace) -> dict[str, object]:
    """What a ClientHello offers, in terms that separate OpenSSL 3.0 from OpenSSL >= 3.5.

    ``record bytes`` (the whole first record), ``key shares`` (group names, in order),
    ``hybrid post-quantum share`` and ``padding extension`` (yes/no), ``padded to``
    (the handshake length when padded), ``server share`` (the group the server chose).
    """
    record, hello = _hello(trace, 0)
    exts = _extensions(hello)
    shares = [group_name(e.group) for e in getattr(exts.get("key_share"), "client_shares", [])]
    server_share = None
    if len(trace.flights) > 1:
        server_ext = _extensions(_hello(trace, 1)[1]).get("key_share")
        if server_ext is not None and hasattr(server_ext, "server_share"):
            server_share = group_name(server_ext.server_share.group)
    return {"record bytes": len(trace.flights[0].records[0].packet),
            "key shares": shares,
            "hybrid post-quantum share": any(s in HYBRID_GROUPS for s in shares),
            "padding extension": "padding" in exts,
            "handshake bytes": int(record.len),
            "server share": server_share}


@public
def load_recorded(path: str) -> dict[str, HandshakeTrace]:
    """Handshakes recorded by ``tools/record_tls_handshakes.py``, dissected, by their name."""
    file = Path(path)
    if not file.is_file():
        raise ArgumentError(f"load_recorded: path: must name an existing JSON file, got {path!r}")
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        entries = data["handshakes"]
    except (ValueError, KeyError, TypeError):
        raise ArgumentError(f"load_recorded: path: {file.name} is not a recording made by "
                            "tools/record_tls_handshakes.py") from None
    out = {}
    for entry in entries:
        raw = [(d, bytes.fromhex(h)) for d, h in entry["flights"]]
        flights = dissect_flights(raw, entry["keylog"])
        trace = HandshakeTrace(requested_version=entry["version"],
                               server_name=entry["server_name"], flights=flights,
                               completed=True, round_trips=entry["round_trips"],
                               version=entry["negotiated"], cipher=entry["cipher"],
                               alpn=entry.get("alpn"), resumed=False, verify_code=None,
                               verify_message=None)
        out[entry["name"]] = replace(trace, library=entry["library"])
    return out


@public
def hello_comparison(traces: dict[str, HandshakeTrace]) -> list[dict[str, object]]:
    """The ClientHellos of several traces side by side: one row per field, one column each."""
    if not traces:
        raise ArgumentError("hello_comparison: traces: must hold at least one trace, got {}")
    columns = {name: {r["field"]: r["value"] for r in client_hello_fields(t)}
               for name, t in traces.items()}
    profiles = {name: hello_profile(t) for name, t in traces.items()}
    fields: list[str] = []
    for values in columns.values():
        fields += [f for f in values if f not in fields]
    rows: list[dict[str, object]] = [{"field": "ClientHello record",
                                      **{n: f"{p['record bytes']:,} bytes"
                                         for n, p in profiles.items()}}]
    rows += [{"field": f, **{n: columns[n].get(f, "(absent)") for n in columns}} for f in fields
             if not f.startswith("record:")]
    rows.append({"field": "server's key share",
                 **{n: p["server share"] or "-" for n, p in profiles.items()}})
    return rows
