"""Key exchange made visible: ephemeral X25519 versus TLS 1.2's RSA key transport.

* ECDHE (RFC 7748 X25519, RFC 8446 §4.2.8): each side sends a public share and
  keeps its private half; both compute the same shared secret; nothing secret
  ever crosses the wire, and the private halves are thrown away afterwards.
* RSA key transport (RFC 5246 §7.4.7.1): the client invents a 48-byte premaster
  secret and encrypts it to the public key in the server's certificate. Whoever
  later obtains that long-term private key can decrypt every recorded session:
  no forward secrecy (RFC 5246 §F.1.1.2). TLS 1.3 removed it (RFC 8446 §1.2).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from scapy.layers.tls.crypto.prf import PRF

from netlab._check import check_seed

_RAW = serialization.Encoding.Raw
_RAW_PUBLIC = serialization.PublicFormat.Raw
PREMASTER_BYTES = 48
TLS12_VERSION = b"\x03\x03"


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


def x25519_exchange(seed: int = 7) -> X25519Exchange:
    """Run X25519 between a client and a server whose private keys come from ``seed``."""
    rng = random.Random(check_seed("seed", seed))
    client, server = _x25519_from(rng), _x25519_from(rng)
    client_pub = client.public_key().public_bytes(_RAW, _RAW_PUBLIC)
    server_pub = server.public_key().public_bytes(_RAW, _RAW_PUBLIC)
    return X25519Exchange(client_public=client_pub, server_public=server_pub,
                          client_shared_secret=client.exchange(server.public_key()),
                          server_shared_secret=server.exchange(client.public_key()))


@dataclass(frozen=True)
class RsaKeyTransport:
    """A TLS 1.2 RSA key exchange: what crossed the wire and the secrets behind it."""

    client_random: bytes
    server_random: bytes
    encrypted_premaster: bytes
    premaster_secret: bytes
    master_secret: bytes


def master_secret_tls12(premaster_secret: bytes, client_random: bytes,
                        server_random: bytes) -> bytes:
    """TLS 1.2 master secret: PRF(premaster, "master secret", randoms)[:48] (RFC 5246 §8.1)."""
    for name, value, size in (("client_random", client_random, 32),
                              ("server_random", server_random, 32)):
        if not isinstance(value, bytes) or len(value) != size:
            raise ValueError(f"{name} must be {size} bytes, got {value!r:.40}")
    if not isinstance(premaster_secret, bytes) or not premaster_secret:
        raise ValueError("premaster_secret must be non-empty bytes")
    prf = PRF(hash_name="SHA256", tls_version=0x0303)
    return prf.compute_master_secret(premaster_secret, client_random, server_random)


def rsa_key_transport(server_key: rsa.RSAPrivateKey, seed: int = 7) -> RsaKeyTransport:
    """Do what a TLS 1.2 client does with RSA key exchange, against ``server_key``'s public key."""
    if not isinstance(server_key, rsa.RSAPrivateKey):
        raise ValueError(f"server_key must be an RSA private key, got {type(server_key).__name__}")
    rng = random.Random(check_seed("seed", seed))
    client_random, server_random = rng.randbytes(32), rng.randbytes(32)  # both sent in clear
    premaster = TLS12_VERSION + rng.randbytes(PREMASTER_BYTES - 2)
    encrypted = server_key.public_key().encrypt(premaster, padding.PKCS1v15())
    return RsaKeyTransport(client_random=client_random, server_random=server_random,
                           encrypted_premaster=encrypted, premaster_secret=premaster,
                           master_secret=master_secret_tls12(premaster, client_random,
                                                             server_random))


def attack_recorded_rsa_session(recorded: RsaKeyTransport,
                                stolen_key: rsa.RSAPrivateKey) -> bytes | None:
    """The master secret an eavesdropper computes once the key is stolen (None: wrong key)."""
    if not isinstance(recorded, RsaKeyTransport):
        raise ValueError("recorded must be an RsaKeyTransport")
    if not isinstance(stolen_key, rsa.RSAPrivateKey):
        raise ValueError(f"stolen_key must be an RSA private key, got {type(stolen_key).__name__}")
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
