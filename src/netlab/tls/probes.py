"""Probes for chapter 3's facts: what the OpenSSL that Python's ``ssl`` links sends.

Each runs one in-memory handshake (well under a second) and reads the ClientHello
that OpenSSL wrote. The facts that name them are scoped with ``applies: {openssl: ...}``:
OpenSSL 3.0 and OpenSSL >= 3.5 differ in exactly these values.
"""

from __future__ import annotations

import functools
import ssl

from netlab._validate import public
from netlab.tls.handshake import HandshakeTrace, handshake
from netlab.tls.hello import hello_profile

__all__ = ["client_hello_key_shares", "client_hello_padded", "client_hello_record_bytes",
           "client_hello_over", "rsa_key_transport_negotiates"]


@functools.lru_cache(maxsize=1)
def _trace() -> HandshakeTrace:
    return handshake("1.3")


@public
def client_hello_key_shares() -> str:
    """The groups of the key shares in the default ClientHello, e.g. 'x25519'."""
    return ", ".join(hello_profile(_trace())["key shares"])  # type: ignore[arg-type]


@public
def client_hello_record_bytes() -> int:
    """Size of the default ClientHello's record (5-byte header included)."""
    return int(hello_profile(_trace())["record bytes"])  # type: ignore[call-overload]


@public
def client_hello_over(limit: str) -> bool:
    """Whether the default ClientHello record is longer than ``limit`` bytes."""
    if not limit.isdigit():
        raise ValueError(f"limit must be a number of bytes such as 1200, got {limit!r}")
    return client_hello_record_bytes() > int(limit)


@public
def client_hello_padded() -> bool:
    """Whether the default ClientHello carries the RFC 7685 padding extension."""
    return bool(hello_profile(_trace())["padding extension"])


@public
def rsa_key_transport_negotiates() -> bool | None:
    """Whether this OpenSSL still negotiates TLS_RSA_WITH_AES_128_GCM_SHA256 when asked."""
    if not ssl.OPENSSL_VERSION.startswith("OpenSSL"):
        return None
    return handshake("1.2", key_exchange="rsa").cipher == "AES128-GCM-SHA256"

