"""The TLS 1.3 key schedule (RFC 8446 §7.1) on top of ``cryptography``'s HKDF.

HKDF-Extract and HKDF-Expand are RFC 5869's; TLS 1.3 only adds a label format
(HKDF-Expand-Label) and the order in which secrets are derived:

    PSK (or zeros) -> Early Secret -> (+ ECDHE shared secret) -> Handshake Secret
    -> (+ zeros) -> Master Secret

Each stage also derives traffic secrets from the transcript hash, and each
traffic secret yields an AEAD key and IV (§7.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand
from pydantic import Field

from netlab._validate import ArgumentError, public, result

HASHES: dict[str, type[hashes.HashAlgorithm]] = {"sha256": hashes.SHA256,
                                                 "sha384": hashes.SHA384}
HashName = Literal["sha256", "sha384"]
Secret = Annotated[bytes, Field(max_length=1024)]
Messages = Annotated[list[Annotated[bytes, Field(max_length=1 << 20)]] |
                     tuple[Annotated[bytes, Field(max_length=1 << 20)], ...],
                     Field(max_length=64)]
# RFC 8446 §7.1: opaque label<7..255> = "tls13 " + Label, so Label is 1..249 bytes of ASCII.
Label = Annotated[str, Field(min_length=1, max_length=249, pattern=r"^[\x20-\x7e]+$")]


def _hash(hash_name: str) -> hashes.HashAlgorithm:
    return HASHES[hash_name]()


@public
def transcript_hash(messages: Messages, hash_name: HashName = "sha256") -> bytes:
    """Hash of the concatenated handshake messages (RFC 8446 §4.4.1)."""
    digest = hashes.Hash(_hash(hash_name))
    for message in messages:
        digest.update(message)
    return digest.finalize()


@public
def hkdf_extract(salt: Secret, ikm: Secret, hash_name: HashName = "sha256") -> bytes:
    """HKDF-Extract(salt, IKM) = HMAC-Hash(salt, IKM) (RFC 5869 §2.2)."""
    algorithm = _hash(hash_name)
    return HKDF.extract(algorithm, salt or bytes(algorithm.digest_size), ikm)


@public
def hkdf_expand_label(secret: Secret, label: Label,
                      context: Annotated[bytes, Field(max_length=255)],
                      length: Annotated[int, Field(ge=1, le=255 * 48)],
                      hash_name: HashName = "sha256") -> bytes:
    """HKDF-Expand-Label(Secret, Label, Context, Length) (RFC 8446 §7.1)."""
    if length > 255 * _hash(hash_name).digest_size:  # RFC 5869 §2.3: L <= 255 * HashLen
        raise ArgumentError(f"hkdf_expand_label: length: must be at most 255 times the hash "
                            f"length ({255 * _hash(hash_name).digest_size}), got {length}")
    full_label = b"tls13 " + label.encode("ascii")
    hkdf_label = (length.to_bytes(2, "big") + bytes([len(full_label)]) + full_label
                  + bytes([len(context)]) + context)
    return HKDFExpand(_hash(hash_name), length, hkdf_label).derive(secret)


@public
def derive_secret(secret: Secret, label: Label, messages: Messages,
                  hash_name: HashName = "sha256") -> bytes:
    """Derive-Secret(Secret, Label, Messages) = Expand-Label over the transcript hash."""
    algorithm = _hash(hash_name)
    return hkdf_expand_label(secret, label, transcript_hash(messages, hash_name),
                             algorithm.digest_size, hash_name)


@public
def traffic_key_iv(traffic_secret: Secret, key_bytes: Annotated[int, Field(ge=16, le=32)] = 16,
                   iv_bytes: Annotated[int, Field(ge=8, le=16)] = 12,
                   hash_name: HashName = "sha256") -> tuple[bytes, bytes]:
    """The AEAD write key and IV for one direction (RFC 8446 §7.3)."""
    return (hkdf_expand_label(traffic_secret, "key", b"", key_bytes, hash_name),
            hkdf_expand_label(traffic_secret, "iv", b"", iv_bytes, hash_name))


@public
def finished_verify_data(base_key: Secret, transcript: Annotated[bytes, Field(max_length=64)],
                         hash_name: HashName = "sha256") -> bytes:
    """verify_data = HMAC(finished_key, Transcript-Hash) (RFC 8446 §4.4.4)."""
    algorithm = _hash(hash_name)
    finished_key = hkdf_expand_label(base_key, "finished", b"", algorithm.digest_size,
                                     hash_name)
    mac = hmac.HMAC(finished_key, _hash(hash_name))
    mac.update(transcript)
    return mac.finalize()


@result
@dataclass(frozen=True)
class KeySchedule:
    """The secrets of one full (EC)DHE handshake without PSK, in derivation order."""

    early_secret: bytes
    handshake_secret: bytes
    client_handshake_traffic_secret: bytes
    server_handshake_traffic_secret: bytes
    master_secret: bytes
    client_application_traffic_secret: bytes
    server_application_traffic_secret: bytes
    exporter_master_secret: bytes


@public
def key_schedule(shared_secret: Annotated[bytes, Field(min_length=1, max_length=1024)],
                 hello_messages: Messages, through_server_finished: Messages,
                 hash_name: HashName = "sha256") -> KeySchedule:
    """Run RFC 8446 §7.1 for a 1-RTT handshake: ECDHE secret in, every secret out.

    ``hello_messages`` are ClientHello and ServerHello; ``through_server_finished``
    are all handshake messages from ClientHello to the server's Finished.
    """
    size = _hash(hash_name).digest_size
    zeros = bytes(size)
    early = hkdf_extract(zeros, zeros, hash_name)  # no PSK: IKM is a string of zeros
    handshake = hkdf_extract(derive_secret(early, "derived", [], hash_name), shared_secret,
                             hash_name)
    master = hkdf_extract(derive_secret(handshake, "derived", [], hash_name), zeros, hash_name)
    return KeySchedule(
        early_secret=early,
        handshake_secret=handshake,
        client_handshake_traffic_secret=derive_secret(handshake, "c hs traffic",
                                                      hello_messages, hash_name),
        server_handshake_traffic_secret=derive_secret(handshake, "s hs traffic",
                                                      hello_messages, hash_name),
        master_secret=master,
        client_application_traffic_secret=derive_secret(master, "c ap traffic",
                                                        through_server_finished, hash_name),
        server_application_traffic_secret=derive_secret(master, "s ap traffic",
                                                        through_server_finished, hash_name),
        exporter_master_secret=derive_secret(master, "exp master", through_server_finished,
                                             hash_name))
