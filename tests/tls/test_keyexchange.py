"""X25519 agreement, RSA key transport, and why the latter has no forward secrecy."""

import pytest

from netlab.tls import (
    attack_recorded_rsa_session,
    make_test_ca,
    master_secret_tls12,
    record_and_steal,
    rsa_key_transport,
    stolen_key_table,
    x25519_exchange,
)


def test_x25519_both_sides_agree_and_are_seeded():
    exchange = x25519_exchange(7)
    assert exchange.agree and len(exchange.client_shared_secret) == 32
    assert exchange.client_public != exchange.server_public
    assert x25519_exchange(7) == exchange
    assert x25519_exchange(8).client_shared_secret != exchange.client_shared_secret


def test_rsa_key_transport_shapes():
    pki = make_test_ca(key_type="rsa")
    session = rsa_key_transport(pki.server.key, seed=7)
    assert len(session.premaster_secret) == 48
    assert session.premaster_secret[:2] == b"\x03\x03"  # client_version, RFC 5246 §7.4.7.1
    assert len(session.encrypted_premaster) == 256  # one RSA-2048 block
    assert len(session.master_secret) == 48


def test_stolen_rsa_key_decrypts_recorded_session():
    pki = make_test_ca(key_type="rsa")
    session = rsa_key_transport(pki.server.key, seed=7)
    assert attack_recorded_rsa_session(session, pki.server.key) == session.master_secret
    wrong = make_test_ca(key_type="rsa").server.key
    assert attack_recorded_rsa_session(session, wrong) != session.master_secret


def test_master_secret_depends_on_both_randoms():
    pms = b"\x03\x03" + bytes(46)
    base = master_secret_tls12(pms, bytes(32), bytes(32))
    assert master_secret_tls12(pms, b"\x01" + bytes(31), bytes(32)) != base
    assert master_secret_tls12(pms, bytes(32), b"\x01" + bytes(31)) != base


def test_bad_arguments():
    with pytest.raises(ValueError, match="^x25519_exchange: seed:"):
        x25519_exchange(-1)
    with pytest.raises(ValueError, match="^rsa_key_transport: server_key:"):
        rsa_key_transport(make_test_ca(key_type="ed25519").server.key)
    with pytest.raises(ValueError, match="^master_secret_tls12: client_random:"):
        master_secret_tls12(b"x" * 48, b"short", bytes(32))


def test_implicit_rejection_of_any_length_is_a_miss_not_an_error(monkeypatch):
    right, wrong = make_test_ca(key_type="rsa").server.key, make_test_ca(key_type="rsa").server.key
    session = rsa_key_transport(right, seed=1)
    for length in (0, 1, 47, 49):  # what a wrong key's implicit rejection may hand back
        monkeypatch.setattr(type(wrong), "decrypt", lambda self, c, p, n=length: b"\x03" * n)
        assert attack_recorded_rsa_session(session, wrong) is None


def test_wrong_key_never_recovers_the_session():
    right, wrong = make_test_ca(key_type="rsa").server.key, make_test_ca(key_type="rsa").server.key
    for seed in range(20):  # 20 ciphertexts: both padding failure and implicit rejection occur
        session = rsa_key_transport(right, seed=seed)
        assert attack_recorded_rsa_session(session, wrong) != session.master_secret


def test_recorded_rsa_session_opens_with_the_server_key_alone():
    rsa = record_and_steal("rsa")
    assert rsa.cipher == "AES128-GCM-SHA256"
    assert rsa.plaintexts[0] == ("client->server", rsa.recorded.request)
    assert rsa.plaintexts[1][1].startswith(b"HTTP/1.1 200")


def test_ecdhe_session_stays_closed_with_the_same_key():
    ecdhe = record_and_steal("ecdhe")
    assert ecdhe.cipher.startswith("ECDHE-RSA-") and ecdhe.recorded.request  # the data was sent
    assert ecdhe.plaintexts == []
    assert {m for f in ecdhe.opened[2:] for r in f.records if r.encrypted
            for m in r.messages} == {"(not decrypted)"}


def test_stolen_key_table():
    rows = stolen_key_table()
    assert [r["key exchange"] for r in rows] == ["rsa", "ecdhe"]
    assert rows[0]["request read"] == "GET /account HTTP/1.1" and rows[1]["request read"] is None
