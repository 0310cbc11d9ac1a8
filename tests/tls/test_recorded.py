"""The recorded handshakes of lab 3.1: OpenSSL 3.0.19 and OpenSSL 4.0.3, dissected by scapy.

These files never change with the machine, so the numbers are exact. The last test
checks the live handshake against whichever profile the linked OpenSSL should have.
"""

import ssl
from dataclasses import replace
from pathlib import Path

import pytest

from netlab.tls import handshake, hello_comparison, hello_profile, load_recorded

RECORDED = Path(__file__).resolve().parents[2] / "labs" / "data" / "03-tls-handshakes.json"


@pytest.fixture(scope="module")
def recorded():
    return load_recorded(str(RECORDED))


def test_two_generations_recorded(recorded):
    assert list(recorded) == ["OpenSSL 3.0.19", "OpenSSL 4.0.3"]
    for trace in recorded.values():
        assert trace.round_trips == 1 and trace.version == "TLSv1.3"
        assert trace.flights[1].messages == ["ServerHello", "ChangeCipherSpec",
                                             "EncryptedExtensions", "Certificate",
                                             "CertificateVerify", "Finished"]


def test_openssl_30_one_x25519_share_padded_to_512(recorded):
    p = hello_profile(recorded["OpenSSL 3.0.19"])
    assert p["key shares"] == ["x25519"] and p["server share"] == "x25519"
    assert p["padding extension"] and p["handshake bytes"] == 512 and p["record bytes"] == 517


def test_openssl_4_hybrid_share_no_padding(recorded):
    p = hello_profile(recorded["OpenSSL 4.0.3"])
    assert p["key shares"] == ["X25519MLKEM768", "x25519"]
    assert p["hybrid post-quantum share"] and p["server share"] == "X25519MLKEM768"
    assert not p["padding extension"] and p["record bytes"] > 1200


def test_key_share_sizes(recorded):
    rows = {r["field"]: r for r in hello_comparison(recorded)}
    assert rows["extension: key_share"]["OpenSSL 4.0.3"].startswith(
        "X25519MLKEM768 (1216-byte public key)")  # 1,184-byte ML-KEM-768 key + 32 X25519
    assert rows["server's key share"]["OpenSSL 4.0.3"] == "X25519MLKEM768"
    assert rows["extension: padding"]["OpenSSL 4.0.3"] == "(absent)"


def test_live_hello_matches_the_profile_of_its_openssl():
    p = hello_profile(handshake("1.3"))
    if ssl.OPENSSL_VERSION_INFO[:2] >= (3, 5):
        assert p["hybrid post-quantum share"] and not p["padding extension"]
        assert p["record bytes"] > 1200
    else:
        assert p["key shares"] == ["x25519"] and p["padding extension"]
        assert p["record bytes"] == 517


def test_load_recorded_refuses_other_files(tmp_path):
    with pytest.raises(ValueError, match="^load_recorded: path: must name an existing"):
        load_recorded(str(tmp_path / "missing.json"))
    other = tmp_path / "other.json"
    other.write_text("[1, 2]")
    with pytest.raises(ValueError, match="^load_recorded: path: other.json is not"):
        load_recorded(str(other))


def test_the_newer_openssl_still_sends_what_was_recorded():
    """Re-record with pyOpenSSL (the OpenSSL inside the cryptography wheel) and compare."""
    import importlib.util

    from OpenSSL import SSL

    from netlab.tls import dissect_flights

    version = SSL.OpenSSL_version(SSL.OPENSSL_VERSION).decode().split()[1]
    if tuple(int(p) for p in version.split(".")[:2]) < (3, 5):
        pytest.skip(f"the cryptography wheel bundles OpenSSL {version}, older than 3.5")
    tool = RECORDED.parents[2] / "tools" / "record_tls_handshakes.py"
    spec = importlib.util.spec_from_file_location("record_tls_handshakes", tool)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    entry = module.record_pyopenssl()
    raw = [(d, bytes.fromhex(h)) for d, h in entry["flights"]]
    trace = replace(handshake("1.3"), flights=dissect_flights(raw, entry["keylog"]))
    profile = hello_profile(trace)
    assert profile["key shares"][:2] == ["X25519MLKEM768", "x25519"]
    assert not profile["padding extension"] and profile["record bytes"] > 1200
    assert profile["server share"] == "X25519MLKEM768"
