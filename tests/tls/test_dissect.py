"""Dissection of raw flights: record splitting, names, encryption flags."""

import pytest

from netlab.tls import dissect_flights, message_name, rfc8448


def test_message_names_follow_rfc8446():
    assert [message_name(t) for t in (1, 2, 4, 8, 11, 15, 20)] == [
        "ClientHello", "ServerHello", "NewSessionTicket", "EncryptedExtensions", "Certificate",
        "CertificateVerify", "Finished"]


def test_rfc8448_client_hello_dissects():
    body = rfc8448.messages()["ClientHello"]
    record = b"\x16\x03\x01" + len(body).to_bytes(2, "big") + body
    (flight,) = dissect_flights([("client->server", record + record)])
    assert flight.messages == ["ClientHello", "ClientHello"]  # two records split correctly
    assert flight.size_bytes == 2 * (5 + 196)
    assert not any(r.encrypted for r in flight.records)


def test_bad_direction_rejected():
    with pytest.raises(ValueError, match=r"^dissect_flights: raw\[0\]\[0\]"):
        dissect_flights([("up", b"")])
    with pytest.raises(ValueError, match=r"^dissect_flights: raw\[0\]\[1\]"):
        dissect_flights([("client->server", "text")])


@pytest.mark.parametrize("msgtype", [float("nan"), 1.0, -1, 256, "1", None])
def test_message_name_refuses_what_is_not_a_type_byte(msgtype):
    with pytest.raises(ValueError, match="^message_name: msgtype:"):
        message_name(msgtype)


def test_keylog_must_be_text_and_key_must_be_pem():
    with pytest.raises(ValueError, match="^dissect_flights: keylog:"):
        dissect_flights([], keylog=b"CLIENT_RANDOM")
    assert dissect_flights([], keylog="not a key log") == ()  # scapy skips lines it cannot read
    with pytest.raises(ValueError, match="^dissect_flights: server_rsa_key_pem: must be an RSA"):
        dissect_flights([], server_rsa_key_pem="-----BEGIN nothing")
