"""ClientHello and ServerHello field tables read from real handshakes."""

import pytest

from netlab.tls import client_hello_fields, handshake, offered_cipher_suites, server_hello_fields


def _as_dict(rows):
    return {r["field"]: r["value"] for r in rows}


def test_tls13_client_hello_fields():
    fields = _as_dict(client_hello_fields(handshake("1.3")))
    assert fields["legacy_version"] == "TLS 1.2"
    assert fields["random"] == "32 bytes"
    assert fields["extension: supported_versions"] == "[TLS 1.3, TLS 1.2]"
    assert fields["extension: key_share"] == "x25519 (32-byte public key)"
    assert fields["extension: server_name"] == "www.example.test"
    assert fields["extension: alpn"] == "h2, http/1.1"
    assert fields["extension: signature_algorithms"].startswith("20 schemes")
    assert fields["cipher_suites"].split(": ")[1].startswith("TLS_AES_256_GCM_SHA384")


def test_server_hello_fields_per_version():
    tls13 = _as_dict(server_hello_fields(handshake("1.3")))
    assert tls13["legacy_version"] == "TLS 1.2"  # the real version is in the extension
    assert tls13["extension: supported_versions"] == "TLS 1.3"
    assert tls13["extension: key_share"].startswith("x25519")
    tls12 = _as_dict(server_hello_fields(handshake("1.2")))
    assert "extension: supported_versions" not in tls12
    assert tls12["cipher_suite"].startswith("TLS_ECDHE_")
    assert tls12["extension: alpn"] == "h2"


def test_rejects_non_trace():
    with pytest.raises(ValueError, match="^client_hello_fields: trace:"):
        client_hello_fields("trace")


def test_no_rsa_key_transport_suite_offered():
    suites = offered_cipher_suites(handshake("1.2"))
    assert suites[:3] == ["TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                          "TLS_AES_128_GCM_SHA256"]
    assert not [s for s in suites if s.startswith("TLS_RSA_")]
    assert any(s.startswith("TLS_ECDHE_") for s in suites)
