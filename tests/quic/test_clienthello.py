import pytest

from netlab.quic import (
    RFC9001_CLIENT_INITIAL,
    client_hello_summary,
    crypto_stream,
    decrypt_initial,
    dissect_client_hello,
)


def rfc_client_hello() -> bytes:
    return crypto_stream(decrypt_initial(RFC9001_CLIENT_INITIAL).frames)


def test_scapy_reads_the_rfc_client_hello():
    hello = dissect_client_hello(rfc_client_hello())
    assert hello.msglen == 237


def test_summary_of_the_rfc_client_hello():
    summary = client_hello_summary(rfc_client_hello())
    assert summary["server_name"] == ["example.com"]
    assert summary["alpn"] == ["alpn"]  # RFC 9001 A.2 uses a placeholder ALPN token
    assert summary["supported_versions"] == ["TLS 1.3"]
    assert summary["key_share"] == ["x25519"]
    assert summary["cipher_suites"] == ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"]
    assert "initial_source_connection_id" in summary["quic_transport_parameters"]
    assert summary["extensions"][-1] == "quic_transport_parameters"


def test_not_a_client_hello_raises():
    with pytest.raises(ValueError, match="ClientHello handshake header"):
        dissect_client_hello(b"\x02\x00\x00\x00")
    with pytest.raises(ValueError, match="data: Input should be a valid bytes"):
        dissect_client_hello("hello")
