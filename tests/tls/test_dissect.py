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
    with pytest.raises(ValueError, match="direction must be one of"):
        dissect_flights([("up", b"")])
    with pytest.raises(ValueError, match="data must be bytes"):
        dissect_flights([("client->server", "text")])
