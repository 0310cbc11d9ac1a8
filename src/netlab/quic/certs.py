"""A throwaway test CA and a server certificate for ``localhost``, made with ``cryptography``.

The keys live only in memory for one lab run; nothing is written to the repository.
``padding_names`` adds extra DNS names to the certificate so that it becomes large
enough for the server's first flight to hit QUIC's anti-amplification limit.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from netlab._check import check_int

_NOT_BEFORE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
_NOT_AFTER = dt.datetime(2035, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class TestPKI:
    """A CA certificate and a leaf certificate with its private key."""

    __test__ = False  # not a pytest test class

    ca_certificate: x509.Certificate
    certificate: x509.Certificate
    private_key: ec.EllipticCurvePrivateKey

    @property
    def ca_pem(self) -> bytes:
        """The CA certificate in PEM, what a client trusts."""
        return self.ca_certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def certificate_pem(self) -> bytes:
        """The leaf certificate in PEM."""
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def key_pem(self) -> bytes:
        """The leaf private key in unencrypted PKCS#8 PEM."""
        return self.private_key.private_bytes(serialization.Encoding.PEM,
                                              serialization.PrivateFormat.PKCS8,
                                              serialization.NoEncryption())

    @property
    def certificate_bytes(self) -> int:
        """Size of the leaf certificate in DER, the bytes the server sends."""
        return len(self.certificate.public_bytes(serialization.Encoding.DER))


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_test_pki(*, padding_names: int = 0) -> TestPKI:
    """Make a test CA and a ``localhost`` certificate (ECDSA P-256) signed by it."""
    check_int("padding_names", padding_names, min_value=0, max_value=2000)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("netlab test CA"))
          .issuer_name(_name("netlab test CA")).public_key(ca_key.public_key())
          .serial_number(1).not_valid_before(_NOT_BEFORE).not_valid_after(_NOT_AFTER)
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                       False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = [x509.DNSName("localhost"),
                                     x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    names += [x509.DNSName(f"pad{i:04d}.localhost") for i in range(padding_names)]
    leaf = (x509.CertificateBuilder().subject_name(_name("localhost"))
            .issuer_name(ca.subject).public_key(key.public_key()).serial_number(2)
            .not_valid_before(_NOT_BEFORE).not_valid_after(_NOT_AFTER)
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .sign(ca_key, hashes.SHA256()))
    return TestPKI(ca_certificate=ca, certificate=leaf, private_key=key)
