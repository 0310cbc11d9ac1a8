"""The throwaway PKI: a real chain, names in subjectAltName, dates where asked."""

import datetime as dt

import pytest
from cryptography import x509

from netlab.tls import chain_rows, make_pki


def test_chain_links_and_roles():
    pki = make_pki(("www.example.test", "example.test"), key_type="ed25519")
    rows = chain_rows(pki)
    assert [r["role"] for r in rows] == ["server (leaf)", "intermediate CA",
                                         "root CA (trust anchor)"]
    assert [r["CA"] for r in rows] == ["no", "yes", "yes"]
    assert all(r["signature checks with issuer key"] == "yes" for r in rows)
    assert rows[0]["subjectAltName"] == "example.test, www.example.test"
    assert rows[0]["issuer CN"] == rows[1]["subject CN"]
    assert rows[2]["issuer CN"] == rows[2]["subject CN"]  # self-signed root


def test_server_sends_leaf_then_intermediate_and_client_trusts_root_only():
    pki = make_pki()
    assert pki.chain_pem.count("BEGIN CERTIFICATE") == 2
    assert pki.trust_pem.count("BEGIN CERTIFICATE") == 1
    assert pki.chain_pem.startswith(pki.server.cert_pem)


def test_expired_certificate_dates():
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    cert = make_pki(expired=True, valid_days=10, now=now).server.cert
    assert cert.not_valid_after_utc == now - dt.timedelta(days=1)
    assert cert.not_valid_before_utc == now - dt.timedelta(days=11)


def test_server_certificate_is_for_server_auth():
    cert = make_pki().server.cert
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert x509.oid.ExtendedKeyUsageOID.SERVER_AUTH in eku


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"server_names": ()}, "server_names must be a non-empty list"),
    ({"server_names": "www.example.test"}, "server_names must be a non-empty list"),
    ({"server_names": ("",)}, "server_names must hold host names"),
    ({"key_type": "dsa"}, "key_type must be one of 'ed25519', 'rsa'"),
    ({"valid_days": 0}, "valid_days must be >= 1"),
    ({"now": dt.datetime(2026, 1, 1)}, "now must be a timezone-aware datetime"),
])
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_pki(**kwargs)


def test_chain_rows_rejects_non_pki():
    with pytest.raises(ValueError, match="pki must be a TestPKI"):
        chain_rows("pki")
