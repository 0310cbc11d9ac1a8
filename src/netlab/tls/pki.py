"""A throwaway public-key infrastructure for the labs, made with ``cryptography``.

Everything here is TEST-ONLY: keys are generated at run time, live in memory,
and are never written into the repository. A root CA signs an intermediate CA,
which signs a server certificate whose subjectAltName lists the host names it
is valid for (RFC 5280 §4.2.1.6). The server sends leaf + intermediate; the
client trusts only the root, exactly like a browser with its local trust store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from netlab._check import check_choice, check_int

KEY_TYPES = ("rsa", "ed25519")
_PEM = serialization.Encoding.PEM

PrivateKey = rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey


@dataclass(frozen=True)
class Issued:
    """A certificate and its private key (test-only)."""

    cert: x509.Certificate
    key: PrivateKey

    @property
    def cert_pem(self) -> str:
        """The certificate as PEM text."""
        return self.cert.public_bytes(_PEM).decode("ascii")

    @property
    def key_pem(self) -> str:
        """The private key as unencrypted PKCS#8 PEM text (test-only)."""
        return self.key.private_bytes(_PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()).decode("ascii")


@dataclass(frozen=True)
class TestPKI:
    """Root CA, intermediate CA and server certificate of one throwaway PKI."""

    __test__ = False  # not a pytest test class despite its name

    root: Issued
    intermediate: Issued
    server: Issued
    server_names: tuple[str, ...]

    @property
    def chain_pem(self) -> str:
        """What the server sends: its own certificate, then the intermediate."""
        return self.server.cert_pem + self.intermediate.cert_pem

    @property
    def trust_pem(self) -> str:
        """What the client trusts: only the root (its local trust store)."""
        return self.root.cert_pem


def _new_key(key_type: str) -> PrivateKey:
    if key_type == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return ed25519.Ed25519PrivateKey.generate()


def _sign_hash(key: PrivateKey) -> hashes.HashAlgorithm | None:
    return None if isinstance(key, ed25519.Ed25519PrivateKey) else hashes.SHA256()


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "netlab test PKI"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _ca_usage() -> x509.KeyUsage:
    return x509.KeyUsage(digital_signature=True, content_commitment=False,
                         key_encipherment=False, data_encipherment=False, key_agreement=False,
                         key_cert_sign=True, crl_sign=True, encipher_only=False,
                         decipher_only=False)


def _issue(subject: str, key: PrivateKey, issuer: Issued | None, *, ca: bool,
           names: tuple[str, ...], not_before: dt.datetime, not_after: dt.datetime,
           serial: int) -> Issued:
    signer_key = key if issuer is None else issuer.key
    issuer_name = _name(subject) if issuer is None else issuer.cert.subject
    builder = (x509.CertificateBuilder()
               .subject_name(_name(subject)).issuer_name(issuer_name)
               .public_key(key.public_key()).serial_number(serial)
               .not_valid_before(not_before).not_valid_after(not_after)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                              critical=False))
    if issuer is not None:
        aki = x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key())
        builder = builder.add_extension(aki, critical=False)
    if ca:
        builder = builder.add_extension(_ca_usage(), critical=True)
    else:
        sans = [x509.DNSName(n) for n in names]
        builder = (builder
                   .add_extension(x509.SubjectAlternativeName(sans), critical=False)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                                  critical=False))
    cert = builder.sign(signer_key, _sign_hash(signer_key))
    return Issued(cert=cert, key=key)


def _check_names(server_names: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    if isinstance(server_names, str) or not server_names:
        raise ValueError("server_names must be a non-empty list of host names, "
                         f"got {server_names!r}")
    for name in server_names:
        if not isinstance(name, str) or not name or len(name) > 253 or " " in name:
            raise ValueError("server_names must hold host names of 1 to 253 characters "
                             f"without spaces, got {name!r}")
    return tuple(server_names)


def make_pki(server_names: tuple[str, ...] | list[str] = ("www.example.test",), *,
             key_type: str = "rsa", valid_days: int = 30, expired: bool = False,
             now: dt.datetime | None = None) -> TestPKI:
    """Make a test-only root CA -> intermediate CA -> server certificate chain."""
    names = _check_names(server_names)
    check_choice("key_type", key_type, KEY_TYPES)
    check_int("valid_days", valid_days, min_value=1, max_value=825)
    now = dt.datetime.now(dt.UTC) if now is None else now
    if now.tzinfo is None:
        raise ValueError("now must be a timezone-aware datetime, got a naive one")
    day = dt.timedelta(days=1)
    root = _issue("netlab Test Root CA", _new_key(key_type), None, ca=True, names=(),
                  not_before=now - day, not_after=now + 3650 * day, serial=1)
    inter = _issue("netlab Test Intermediate CA", _new_key(key_type), root, ca=True, names=(),
                   not_before=now - day, not_after=now + 1825 * day, serial=2)
    if expired:  # valid once, for valid_days, ending yesterday
        start, end = now - (valid_days + 1) * day, now - day
    else:
        start, end = now - day, now + valid_days * day
    server = _issue(names[0], _new_key(key_type), inter, ca=False, names=names,
                    not_before=start, not_after=end, serial=3)
    return TestPKI(root=root, intermediate=inter, server=server, server_names=names)


def chain_rows(pki: TestPKI) -> list[dict[str, str]]:
    """One row per certificate the client sees, leaf first, with who signed it."""
    if not isinstance(pki, TestPKI):
        raise ValueError(f"pki must be a TestPKI from make_pki(), got {type(pki).__name__}")
    rows = []
    for role, issued, signer in (("server (leaf)", pki.server, pki.intermediate),
                                 ("intermediate CA", pki.intermediate, pki.root),
                                 ("root CA (trust anchor)", pki.root, pki.root)):
        cert = issued.cert
        try:
            cert.verify_directly_issued_by(signer.cert)
            signed = "yes"
        except (InvalidSignature, ValueError, TypeError):
            signed = "no"
        ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        rows.append({"role": role,
                     "subject CN": _cn(cert.subject),
                     "issuer CN": _cn(cert.issuer),
                     "CA": "yes" if ca else "no",
                     "signature checks with issuer key": signed,
                     "subjectAltName": ", ".join(_sans(cert)) or "-"})
    return rows


def _cn(name: x509.Name) -> str:
    return str(name.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value)


def _sans(cert: x509.Certificate) -> list[str]:
    try:
        ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    except x509.ExtensionNotFound:
        return []
    return sorted(ext.value.get_values_for_type(x509.DNSName))
