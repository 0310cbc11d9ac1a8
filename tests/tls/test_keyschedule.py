"""HKDF and the TLS 1.3 key schedule against published vectors."""

import pytest

from netlab.tls import hkdf_expand_label, hkdf_extract, key_schedule, rfc8448, traffic_key_iv


def test_hkdf_extract_rfc5869_case_1():
    prk = hkdf_extract(bytes.fromhex("000102030405060708090a0b0c"), b"\x0b" * 22)
    assert prk.hex() == "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5"


def test_every_rfc8448_value_reproduced():
    rows = rfc8448.reproduce()
    assert len(rows) == len(rfc8448.PUBLISHED) == 17
    assert all(row["reproduced"] for row in rows), [r for r in rows if not r["reproduced"]]


def test_rfc8448_step_by_step():
    msgs = list(rfc8448.messages().values())
    secret, _ = rfc8448.shared_secrets()
    sched = key_schedule(secret, msgs[:2], msgs[:6])
    assert sched.early_secret.hex() == rfc8448.PUBLISHED["early secret"]
    assert sched.handshake_secret.hex() == rfc8448.PUBLISHED["handshake secret"]
    key, iv = traffic_key_iv(sched.server_handshake_traffic_secret)
    assert (key.hex(), iv.hex()) == (rfc8448.PUBLISHED["server handshake key"],
                                     rfc8448.PUBLISHED["server handshake iv"])
    assert sched.master_secret.hex() == rfc8448.PUBLISHED["master secret"]


def test_both_sides_compute_the_same_ecdhe_secret():
    client_secret, server_secret = rfc8448.shared_secrets()
    assert client_secret == server_secret
    assert client_secret.hex() == rfc8448.PUBLISHED["ECDHE shared secret"]


def test_transcript_matters():
    msgs = list(rfc8448.messages().values())
    secret, _ = rfc8448.shared_secrets()
    tampered = [msgs[0][:-1] + b"\x02", msgs[1]]  # one byte of the ClientHello changed
    sched = key_schedule(secret, tampered, msgs[:6])
    assert sched.client_handshake_traffic_secret.hex() != rfc8448.PUBLISHED["c hs traffic"]


def test_bad_arguments():
    with pytest.raises(ValueError, match="^hkdf_extract: hash_name:"):
        hkdf_extract(b"", b"x", hash_name="md5")
    with pytest.raises(ValueError, match="^hkdf_expand_label: label:"):
        hkdf_expand_label(b"k" * 32, "", b"", 16)
    with pytest.raises(ValueError, match="^hkdf_expand_label: length:"):
        hkdf_expand_label(b"k" * 32, "key", b"", 0)
    with pytest.raises(ValueError, match="^hkdf_expand_label: context:"):
        hkdf_expand_label(b"k" * 32, "key", b"x" * 256, 16)
    with pytest.raises(ValueError, match="^key_schedule: shared_secret:"):
        key_schedule(b"", [], [])
    with pytest.raises(ValueError, match="^traffic_key_iv: key_bytes:"):
        traffic_key_iv(b"k" * 32, key_bytes=8)


@pytest.mark.parametrize("label", [b"key", 7, None, "ключ", "x" * 250])
def test_label_must_be_ascii_text_of_1_to_249(label):
    with pytest.raises(ValueError, match="^hkdf_expand_label: label:"):
        hkdf_expand_label(b"k" * 32, label, b"", 16)


def test_length_bounded_by_the_hash():
    assert len(hkdf_expand_label(b"k" * 48, "key", b"", 255 * 48, "sha384")) == 255 * 48
    with pytest.raises(ValueError, match="^hkdf_expand_label: length: must be at most 255 times"):
        hkdf_expand_label(b"k" * 32, "key", b"", 255 * 32 + 1)
