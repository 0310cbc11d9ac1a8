"""netlab.testca: a real chain that an independent RFC 5280 path validator accepts.

The validator is ``cryptography.x509.verification`` (the webpki profile), not this
module, so agreement is evidence; the TLS and QUIC tests then use the same CA in
OpenSSL and aioquic handshakes.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re
import ssl

import pytest
from aioquic.quic.configuration import QuicConfiguration
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.verification import PolicyBuilder, Store, VerificationError

from netlab.testca import KEY_TYPES, chain_rows, make_test_ca

NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)


def _verify(ca, name: x509.GeneralName, when: dt.datetime = NOW) -> list[x509.Certificate]:
    verifier = (PolicyBuilder().store(Store([ca.root.cert])).time(when)
                .build_server_verifier(name))
    return verifier.verify(ca.server.cert, list(ca.chain[1:]))


@pytest.mark.parametrize("key_type", ["rsa", "ecdsa-p256"])
def test_an_independent_validator_accepts_the_chain(key_type: str) -> None:
    ca = make_test_ca(("www.example.test",), key_type=key_type, now=NOW)
    path = _verify(ca, x509.DNSName("www.example.test"))
    assert [c.subject for c in path] == [ca.server.cert.subject, ca.intermediate.cert.subject,
                                         ca.root.cert.subject]
    with pytest.raises(VerificationError):
        _verify(ca, x509.DNSName("api.example.test"))  # a name the certificate does not list


def test_ip_address_san_and_no_intermediate() -> None:
    ca = make_test_ca(ip_addresses=("127.0.0.1",), intermediate=False, now=NOW)
    assert ca.intermediate is None and len(ca.chain) == 1
    assert len(_verify(ca, x509.IPAddress(ipaddress.ip_address("127.0.0.1")))) == 2
    assert ca.dns_names == ("localhost",) and ca.ip_addresses == ("127.0.0.1",)


def test_expired_server_certificate_is_refused_by_the_validator() -> None:
    ca = make_test_ca(("www.example.test",), expired=True, valid_days=10, now=NOW)
    cert = ca.server.cert
    assert cert.not_valid_after_utc == NOW - dt.timedelta(days=1)
    assert cert.not_valid_before_utc == NOW - dt.timedelta(days=11)
    with pytest.raises(VerificationError):
        _verify(ca, x509.DNSName("www.example.test"))


@pytest.mark.parametrize("key_type", KEY_TYPES)
def test_key_types(key_type: str) -> None:
    ca = make_test_ca(key_type=key_type)
    assert all(r["signature checks with issuer key"] == "yes" for r in chain_rows(ca))
    key = ca.server.key
    if key_type == "rsa":
        assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048
    elif key_type == "ecdsa-p256":
        assert isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1"
    else:
        assert isinstance(key, ed25519.Ed25519PrivateKey)


def test_pem_as_str_for_ssl_and_as_bytes_for_aioquic() -> None:
    ca = make_test_ca()
    assert isinstance(ca.trust_pem, str) and isinstance(ca.trust_pem_bytes, bytes)
    assert ca.trust_pem.encode() == ca.trust_pem_bytes
    assert ca.chain_pem.count("BEGIN CERTIFICATE") == 2
    assert ca.chain_pem.startswith(ca.server.cert_pem)
    assert ca.server.key_pem.startswith("-----BEGIN PRIVATE KEY-----")
    assert ca.server.key_pem_bytes == ca.server.key_pem.encode()
    ssl.create_default_context(cadata=ca.trust_pem)  # ssl takes text
    QuicConfiguration().load_verify_locations(cadata=ca.trust_pem_bytes)  # aioquic takes bytes


def test_padding_names_grow_the_der_certificate() -> None:
    small = make_test_ca(intermediate=False)
    big = make_test_ca(intermediate=False, padding_names=100)
    assert big.server.der_size_bytes > small.server.der_size_bytes + 100 * 15
    sans = big.server.cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert "pad0099.localhost" in sans.value.get_values_for_type(x509.DNSName)


def test_chain_rows_roles_and_links() -> None:
    rows = chain_rows(make_test_ca(("www.example.test", "example.test"), key_type="ed25519"))
    assert [r["role"] for r in rows] == ["server (leaf)", "intermediate CA",
                                         "root CA (trust anchor)"]
    assert [r["CA"] for r in rows] == ["no", "yes", "yes"]
    assert rows[0]["subjectAltName"] == "example.test, www.example.test"
    assert rows[0]["issuer CN"] == rows[1]["subject CN"]
    assert rows[2]["issuer CN"] == rows[2]["subject CN"]  # self-signed root
    eku = make_test_ca().server.cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert x509.oid.ExtendedKeyUsageOID.SERVER_AUTH in eku.value


def test_two_cas_have_different_keys() -> None:
    assert make_test_ca().server.key_pem != make_test_ca().server.key_pem


@pytest.mark.parametrize(("kwargs", "parameter"), [
    ({"dns_names": ()}, "dns_names"),
    ({"dns_names": "www.example.test"}, "dns_names"),
    ({"dns_names": ("",)}, "dns_names[0]"),
    ({"dns_names": ("a b",)}, "dns_names[0]"),
    ({"ip_addresses": ("1.2.3",)}, "ip_addresses"),
    ({"key_type": "dsa"}, "key_type"),
    ({"intermediate": 1}, "intermediate"),
    ({"padding_names": 2001}, "padding_names"),
    ({"valid_days": 0}, "valid_days"),
    ({"expired": "yes"}, "expired"),
    ({"now": dt.datetime(2026, 1, 1)}, "now"),  # naive: no time zone
])
def test_bad_arguments_name_the_parameter(kwargs: dict, parameter: str) -> None:
    with pytest.raises(ValueError, match=r"^make_test_ca: " + re.escape(parameter) + ":"):
        make_test_ca(**kwargs)


def test_chain_rows_refuses_what_is_not_a_test_ca() -> None:
    with pytest.raises(ValueError, match="^chain_rows: ca: "):
        chain_rows("pki")


def test_client_certificate_for_mutual_tls() -> None:
    ca = make_test_ca(("www.example.test",), client_name="client.example.test")
    assert ca.client is not None and make_test_ca().client is None
    eku = ca.client.cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH]
    ca.client.cert.verify_directly_issued_by(ca.intermediate.cert)
