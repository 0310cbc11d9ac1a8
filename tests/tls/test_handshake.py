"""Real in-memory handshakes: flights, round trips, what is negotiated, what is in clear."""

import pytest

from netlab.tls import handshake, hello_profile


def test_tls13_full_handshake_flight_by_flight():
    trace = handshake("1.3")
    assert trace.completed and trace.version == "TLSv1.3"
    assert [f.direction for f in trace.flights] == [
        "client->server", "server->client", "client->server", "server->client"]
    assert trace.flights[0].messages == ["ClientHello"]
    assert trace.flights[1].messages == ["ServerHello", "ChangeCipherSpec", "EncryptedExtensions",
                                         "Certificate", "CertificateVerify", "Finished"]
    assert trace.flights[2].messages == ["ChangeCipherSpec", "Finished"]
    assert set(trace.flights[3].messages) == {"NewSessionTicket"}
    assert trace.round_trips == 1


def test_tls12_full_handshake_flight_by_flight():
    trace = handshake("1.2")
    assert trace.completed and trace.version == "TLSv1.2"
    assert trace.flights[1].messages == ["ServerHello", "Certificate", "ServerKeyExchange",
                                         "ServerHelloDone"]
    assert trace.flights[2].messages == ["ClientKeyExchange", "ChangeCipherSpec", "Finished"]
    assert trace.flights[3].messages[-2:] == ["ChangeCipherSpec", "Finished"]
    assert trace.round_trips == 2


def test_negotiated_cipher_suite_families():
    assert handshake("1.3").cipher.startswith("TLS_AES_")  # a TLS 1.3 AEAD suite
    tls12 = handshake("1.2").cipher
    assert tls12.startswith("ECDHE-") and "GCM" in tls12  # ephemeral ECDH, AEAD


def test_what_travels_in_clear():
    assert handshake("1.3").clear_messages() == ["ClientHello", "ServerHello"]
    clear12 = handshake("1.2").clear_messages()
    assert "Certificate" in clear12 and "ServerKeyExchange" in clear12
    assert "Finished" not in clear12


def test_client_hello_size_follows_the_linked_openssl_and_is_stable():
    first, second = handshake("1.3"), handshake("1.3")
    profile = hello_profile(first)
    if profile["hybrid post-quantum share"]:  # OpenSSL >= 3.5: X25519MLKEM768 + X25519
        assert first.flights[0].size_bytes > 1200 and not profile["padding extension"]
    else:  # OpenSSL 3.0 to 3.4: one X25519 share, padded to 512 bytes of handshake
        assert first.flights[0].size_bytes == 517 and profile["padding extension"]
    assert [f.size_bytes for f in first.flights] == [f.size_bytes for f in second.flights]


def test_record_headers_show_legacy_versions():
    trace = handshake("1.3")
    hello_record = trace.flights[0].records[0]
    assert hello_record.content_type == "handshake" and hello_record.legacy_version == "TLS 1.0"
    encrypted = [r for r in trace.flights[1].records if r.encrypted]
    assert encrypted and all(r.content_type == "application_data" for r in encrypted)


def test_alpn_negotiated():
    assert handshake("1.3").alpn == "h2"
    assert handshake("1.2", alpn=("http/1.1",)).alpn == "http/1.1"


def test_tls13_resumption_skips_certificate():
    trace = handshake("1.3", resume=True)
    assert trace.resumed and trace.round_trips == 1
    assert "Certificate" not in trace.flights[1].messages
    assert "Finished" in trace.flights[1].messages


def test_tls12_resumption_is_one_round_trip():
    trace = handshake("1.2", resume=True)
    assert trace.resumed and trace.round_trips == 1


def test_message_rows_mark_encryption():
    rows = handshake("1.3").message_rows()
    by_message = {r["message"]: r["in clear"] for r in rows if r["flight"] == 2}
    assert by_message["ServerHello"] is True and by_message["Certificate"] is False


@pytest.mark.parametrize("version", ["1.1", "TLSv1.3", "", 1.3, None])
def test_unknown_version_rejected(version):
    with pytest.raises(ValueError, match="^handshake: version:"):
        handshake(version)


@pytest.mark.parametrize("name", ["", "   ", None, "a b"])
def test_empty_or_bad_server_name_rejected(name):
    with pytest.raises(ValueError, match="^handshake: server_name:"):
        handshake("1.3", server_name=name)


def test_bad_pki_trust_and_alpn_rejected():
    with pytest.raises(ValueError, match="^handshake: pki:"):
        handshake("1.3", pki="not a pki")
    with pytest.raises(ValueError, match="^handshake: trust_pem:"):
        handshake("1.3", trust_pem="nothing here")
    with pytest.raises(ValueError, match=r"^handshake: alpn\[0\]:"):
        handshake("1.3", alpn=("",))


def test_static_rsa_only_in_tls12():
    trace = handshake("1.2", key_exchange="rsa")
    assert trace.completed and trace.cipher == "AES128-GCM-SHA256"
    assert trace.flights[1].messages == ["ServerHello", "Certificate", "ServerHelloDone"]
    with pytest.raises(ValueError, match="^handshake: key_exchange: 'rsa' exists only in TLS 1.2"):
        handshake("1.3", key_exchange="rsa")


def test_application_data_is_carried_and_recorded():
    trace = handshake("1.3", request=b"GET / HTTP/1.1\r\n\r\n")
    assert trace.request == b"GET / HTTP/1.1\r\n\r\n" and trace.response.startswith(b"HTTP/1.1 200")
    assert trace.flights[-2].messages == ["ApplicationData"]
    assert "ApplicationData" not in trace.clear_messages()
    assert trace.flights[-2].records[0].plaintext == trace.request  # opened with the key log
