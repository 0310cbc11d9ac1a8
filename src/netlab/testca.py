"""A throwaway certificate authority for the labs, made in memory with ``cryptography``.

Everything here is TEST-ONLY: keys are generated at run time, live in memory and are
never written into the repository. :func:`make_test_ca` makes a root CA, optionally an
intermediate CA signed by it, and a server certificate signed by the last CA, whose
subjectAltName lists the DNS names and IP addresses it is valid for (RFC 5280
§4.2.1.6). The server sends its certificate and the intermediate; the client trusts only
the root, like a browser with its local trust store.

The profile follows RFC 5280 §4.2.1: CA certificates carry basicConstraints (critical),
keyUsage keyCertSign + cRLSign (critical) and a subjectKeyIdentifier; every certificate
a CA issued carries an authorityKeyIdentifier; the server certificate has
extendedKeyUsage serverAuth. With ``client_name``, the last CA also issues a client
certificate (extendedKeyUsage clientAuth, the name as its CN and a DNS subjectAltName)
for mutual TLS, where the server asks the client for a certificate (RFC 8446 §4.3.2).

PEM comes both as ``str`` (what Python's ``ssl`` wants: ``cadata=``, files written with
``write_text``) and as ``bytes`` (what aioquic's ``load_verify_locations(cadata=...)``
wants; a ``str`` there fails deep inside the handshake).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pydantic import AwareDatetime, Field

from netlab._validate import ArgumentError, one_of, public, result

__all__ = ["KEY_TYPES", "Issued", "TestCA", "chain_rows", "make_test_ca"]

#: Key types a test CA can use: RSA 2048 (with SHA-256), Ed25519, ECDSA P-256 (with SHA-256).
KEY_TYPES = ("rsa", "ed25519", "ecdsa-p256")

PrivateKey = rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey
HostName = Annotated[str, Field(min_length=1, max_length=253, pattern=r"^[\x21-\x2e\x30-\x7e]+$")]
_PEM = serialization.Encoding.PEM
_DAY = dt.timedelta(days=1)


@result
@dataclass(frozen=True)
class Issued:
    """A certificate and its private key (test-only)."""

    cert: x509.Certificate
    key: PrivateKey

    @property
    def cert_pem(self) -> str:
        """The certificate as PEM text."""
        return self.cert_pem_bytes.decode("ascii")

    @property
    def cert_pem_bytes(self) -> bytes:
        """The certificate as PEM bytes."""
        return self.cert.public_bytes(_PEM)

    @property
    def key_pem(self) -> str:
        """The private key as unencrypted PKCS#8 PEM text (test-only)."""
        return self.key_pem_bytes.decode("ascii")

    @property
    def key_pem_bytes(self) -> bytes:
        """The private key as unencrypted PKCS#8 PEM bytes (test-only)."""
        return self.key.private_bytes(_PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption())

    @property
    def der_size_bytes(self) -> int:
        """Size of the certificate in DER, as it travels in a TLS Certificate message."""
        return len(self.cert.public_bytes(serialization.Encoding.DER))


@result
@dataclass(frozen=True)
class TestCA:
    """Root CA, optional intermediate CA and the server certificate of one test CA."""

    __test__ = False  # not a pytest test class despite its name

    root: Issued
    intermediate: Issued | None
    server: Issued
    dns_names: tuple[str, ...]
    ip_addresses: tuple[str, ...]
    #: a client certificate from the same CA (mutual TLS), when ``client_name`` was given
    client: Issued | None = None

    @property
    def chain(self) -> tuple[x509.Certificate, ...]:
        """What the server sends: its own certificate, then the intermediate if there is one."""
        return tuple(i.cert for i in (self.server, self.intermediate) if i is not None)

    @property
    def chain_pem(self) -> str:
        """:attr:`chain` as PEM text (a file for ``SSLContext.load_cert_chain``)."""
        return self.chain_pem_bytes.decode("ascii")

    @property
    def chain_pem_bytes(self) -> bytes:
        """:attr:`chain` as PEM bytes."""
        return b"".join(c.public_bytes(_PEM) for c in self.chain)

    @property
    def trust_pem(self) -> str:
        """What the client trusts, only the root, as PEM text (``ssl``'s ``cadata``)."""
        return self.root.cert_pem

    @property
    def trust_pem_bytes(self) -> bytes:
        """The root as PEM bytes (aioquic's ``cadata``)."""
        return self.root.cert_pem_bytes


def _new_key(key_type: str) -> PrivateKey:
    if key_type == "rsa":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if key_type == "ecdsa-p256":
        return ec.generate_private_key(ec.SECP256R1())
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


def _issue(subject: str, key: PrivateKey, issuer: Issued | None, *,
           sans: list[x509.GeneralName] | None, not_before: dt.datetime,
           not_after: dt.datetime, serial: int,
           usage: x509.ObjectIdentifier = ExtendedKeyUsageOID.SERVER_AUTH) -> Issued:
    """Sign a CA certificate (``sans`` None) or an end-entity one (``sans`` given)."""
    signer_key = key if issuer is None else issuer.key
    issuer_name = _name(subject) if issuer is None else issuer.cert.subject
    ca = sans is None
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
        builder = (builder
                   .add_extension(x509.SubjectAlternativeName(sans), critical=False)
                   .add_extension(x509.ExtendedKeyUsage([usage]), critical=False))
    return Issued(cert=builder.sign(signer_key, _sign_hash(signer_key)), key=key)


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        raise ArgumentError(f"make_test_ca: ip_addresses: must hold IPv4 or IPv6 addresses, "
                            f"got {text!r}") from None


@public
def make_test_ca(dns_names: Annotated[Sequence[HostName], Field(min_length=1, max_length=100)]
                 = ("localhost",), *,
                 ip_addresses: Annotated[Sequence[str], Field(max_length=100)] = (),
                 key_type: Annotated[str, one_of(KEY_TYPES)] = "ecdsa-p256",
                 intermediate: bool = True,
                 padding_names: Annotated[int, Field(ge=0, le=2000)] = 0,
                 valid_days: Annotated[int, Field(ge=1, le=825)] = 30,
                 expired: bool = False,
                 now: AwareDatetime | None = None,
                 client_name: HostName | None = None) -> TestCA:
    """Make a test-only root CA (-> intermediate CA) -> server certificate, keys in memory."""
    names = tuple(dns_names)
    ips = [_ip(a) for a in ip_addresses]
    now = dt.datetime.now(dt.UTC) if now is None else now
    root = _issue("netlab Test Root CA", _new_key(key_type), None, sans=None,
                  not_before=now - _DAY, not_after=now + 3650 * _DAY, serial=1)
    inter = None
    if intermediate:
        inter = _issue("netlab Test Intermediate CA", _new_key(key_type), root, sans=None,
                       not_before=now - _DAY, not_after=now + 1825 * _DAY, serial=2)
    if expired:  # valid once, for valid_days, ending yesterday
        start, end = now - (valid_days + 1) * _DAY, now - _DAY
    else:
        start, end = now - _DAY, now + valid_days * _DAY
    # extra names only make the certificate bigger (QUIC's anti-amplification lab)
    padding = [f"pad{i:04d}.{names[0]}" for i in range(padding_names)]
    sans: list[x509.GeneralName] = [x509.DNSName(n) for n in (*names, *padding)]
    sans += [x509.IPAddress(ip) for ip in ips]
    server = _issue(names[0], _new_key(key_type), inter or root, sans=sans,
                    not_before=start, not_after=end, serial=3)
    client = None
    if client_name is not None:  # for mutual TLS: same CA, clientAuth instead of serverAuth
        client = _issue(client_name, _new_key(key_type), inter or root,
                        sans=[x509.DNSName(client_name)], not_before=now - _DAY,
                        not_after=now + valid_days * _DAY, serial=4,
                        usage=ExtendedKeyUsageOID.CLIENT_AUTH)
    return TestCA(root=root, intermediate=inter, server=server, dns_names=names,
                  ip_addresses=tuple(str(ip) for ip in ips), client=client)


@public
def chain_rows(ca: TestCA) -> list[dict[str, str]]:
    """One row per certificate the client sees, server first, with who signed it."""
    links = [("server (leaf)", ca.server, ca.intermediate or ca.root)]
    if ca.intermediate is not None:
        links.append(("intermediate CA", ca.intermediate, ca.root))
    links.append(("root CA (trust anchor)", ca.root, ca.root))
    rows = []
    for role, issued, signer in links:
        cert = issued.cert
        try:
            cert.verify_directly_issued_by(signer.cert)
            signed = "yes"
        except (InvalidSignature, ValueError, TypeError):
            signed = "no"
        is_ca = cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
        rows.append({"role": role,
                     "subject CN": _cn(cert.subject),
                     "issuer CN": _cn(cert.issuer),
                     "CA": "yes" if is_ca else "no",
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
    return (sorted(ext.value.get_values_for_type(x509.DNSName))
            + [str(ip) for ip in ext.value.get_values_for_type(x509.IPAddress)])
