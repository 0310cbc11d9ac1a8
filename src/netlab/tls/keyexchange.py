"""Key exchange made visible: ephemeral X25519 versus TLS 1.2's RSA key transport.

* ECDHE (RFC 7748 X25519, RFC 8446 §4.2.8): each side sends a public share and
  keeps its private half; both compute the same shared secret; nothing secret
  ever crosses the wire, and the private halves are thrown away afterwards.
* RSA key transport (RFC 5246 §7.4.7.1): the client invents a 48-byte premaster
  secret and encrypts it to the public key in the server's certificate. Whoever
  later obtains that long-term private key can decrypt every recorded session:
  no forward secrecy (RFC 5246 §F.1.1.2). TLS 1.3 removed it (RFC 8446 §1.2).

:func:`record_and_steal` shows the second point on a real session: OpenSSL runs a
TLS 1.2 handshake plus one request and response in memory, an eavesdropper keeps the
bytes, and scapy, given nothing but the server's private key, opens what it can.
With RSA key transport that is everything; with ECDHE it is nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Annotated, Literal

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from pydantic import Field
from scapy.layers.tls.crypto.prf import PRF

from netlab._validate import Seed, public, result
from netlab.tls.dissect import Flight, dissect_flights
from netlab.tls.handshake import HandshakeTrace, default_pki, handshake

_RAW = serialization.Encoding.Raw
_RAW_PUBLIC = serialization.PublicFormat.Raw
PREMASTER_BYTES = 48
TLS12_VERSION = b"\x03\x03"


@result
@dataclass(frozen=True)
class X25519Exchange:
    """Both sides of one X25519 exchange: public shares sent, secrets computed."""

    client_public: bytes
    server_public: bytes
    client_shared_secret: bytes
    server_shared_secret: bytes

    @property
    def agree(self) -> bool:
        """True if both sides computed the same shared secret."""
        return self.client_shared_secret == self.server_shared_secret


def _x25519_from(rng: random.Random) -> X25519PrivateKey:
    return X25519PrivateKey.from_private_bytes(rng.randbytes(32))


@public
def x25519_exchange(seed: Seed = 7) -> X25519Exchange:
    """Run X25519 between a client and a server whose private keys come from ``seed``."""
    rng = random.Random(seed)
    client, server = _x25519_from(rng), _x25519_from(rng)
    client_pub = client.public_key().public_bytes(_RAW, _RAW_PUBLIC)
    server_pub = server.public_key().public_bytes(_RAW, _RAW_PUBLIC)
    return X25519Exchange(client_public=client_pub, server_public=server_pub,
                          client_shared_secret=client.exchange(server.public_key()),
                          server_shared_secret=server.exchange(client.public_key()))


@result
@dataclass(frozen=True)
class RsaKeyTransport:
    """A TLS 1.2 RSA key exchange: what crossed the wire and the secrets behind it."""

    client_random: bytes
    server_random: bytes
    encrypted_premaster: bytes
    premaster_secret: bytes
    master_secret: bytes


Random32 = Annotated[bytes, Field(min_length=32, max_length=32)]


@public
def master_secret_tls12(premaster_secret: Annotated[bytes, Field(min_length=1, max_length=1024)],
                        client_random: Random32, server_random: Random32) -> bytes:
    """TLS 1.2 master secret: PRF(premaster, "master secret", randoms)[:48] (RFC 5246 §8.1)."""
    prf = PRF(hash_name="SHA256", tls_version=0x0303)
    return prf.compute_master_secret(premaster_secret, client_random, server_random)


@public
def rsa_key_transport(server_key: rsa.RSAPrivateKey, seed: Seed = 7) -> RsaKeyTransport:
    """Do what a TLS 1.2 client does with RSA key exchange, against ``server_key``'s public key."""
    rng = random.Random(seed)
    client_random, server_random = rng.randbytes(32), rng.randbytes(32)  # both sent in clear
    premaster = TLS12_VERSION + rng.randbytes(PREMASTER_BYTES - 2)
    encrypted = server_key.public_key().encrypt(premaster, padding.PKCS1v15())
    return RsaKeyTransport(client_random=client_random, server_random=server_random,
                           encrypted_premaster=encrypted, premaster_secret=premaster,
                           master_secret=master_secret_tls12(premaster, client_random,
                                                             server_random))


@public
def attack_recorded_rsa_session(recorded: RsaKeyTransport,
                                stolen_key: rsa.RSAPrivateKey) -> bytes | None:
    """The master secret an eavesdropper computes once the key is stolen (None: wrong key)."""
    # Only what travelled on the wire is used: the randoms and the ClientKeyExchange body.
    try:
        premaster = stolen_key.decrypt(recorded.encrypted_premaster, padding.PKCS1v15())
    except ValueError:  # the padding did not check out: not the key it was encrypted to
        return None
    # A wrong key may also "decrypt" to random bytes of a random length (implicit rejection).
    # A premaster secret is always 48 bytes (RFC 5246 §7.4.7.1), so any other length is a miss;
    # a 48-byte result simply gives a master secret that differs from the session's.
    if len(premaster) != PREMASTER_BYTES:
        return None
    return master_secret_tls12(premaster, recorded.client_random, recorded.server_random)


#: what the client of the recorded session asks for
REQUEST = b"GET /account HTTP/1.1\r\nHost: www.example.test\r\n\r\n"


@result
@dataclass(frozen=True)
class StolenKeyResult:
    """A recorded TLS 1.2 session, and what its server's private key alone opens."""

    key_exchange: str
    cipher: str | None
    recorded: HandshakeTrace
    opened: tuple[Flight, ...]

    @property
    def plaintexts(self) -> list[tuple[str, bytes]]:
        """Application data the eavesdropper read, as (direction, bytes)."""
        return [(f.direction, r.plaintext) for f in self.opened for r in f.records
                if r.plaintext is not None]


@public
def record_and_steal(key_exchange: Literal["rsa", "ecdhe"] = "rsa") -> StolenKeyResult:
    """Record a real TLS 1.2 session with one request, then open it with the server's key only."""
    pki = default_pki()
    recorded = handshake("1.2", pki=pki, key_exchange=key_exchange, request=REQUEST)
    # The eavesdropper has the bytes on the wire and, later, the server's private key;
    # not the key log, not the client's secrets.
    opened = dissect_flights(recorded.raw_flights(), server_rsa_key_pem=pki.server.key_pem)
    return StolenKeyResult(key_exchange=key_exchange, cipher=recorded.cipher,
                           recorded=recorded, opened=opened)


@public
def stolen_key_table() -> list[dict[str, object]]:
    """Both key exchanges side by side: suite, and what the stolen server key reads."""
    rows = []
    for kx in ("rsa", "ecdhe"):
        res = record_and_steal(kx)
        read = res.plaintexts
        rows.append({"key exchange": kx, "suite negotiated": res.cipher,
                     "records opened with the stolen key": sum(
                         1 for f in res.opened for r in f.records
                         if r.encrypted and r.messages != ("(not decrypted)",)),
                     "request read": read[0][1].split(b"\r\n")[0].decode() if read else None})
    return rows
