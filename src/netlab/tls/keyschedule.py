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

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand

from netlab._check import check_bytes, check_choice, check_int

HASHES: dict[str, type[hashes.HashAlgorithm]] = {"sha256": hashes.SHA256,
                                                 "sha384": hashes.SHA384}


def _hash(hash_name: str) -> hashes.HashAlgorithm:
    return HASHES[check_choice("hash_name", hash_name, HASHES)]()


def transcript_hash(messages: list[bytes] | tuple[bytes, ...], hash_name: str = "sha256"
                    ) -> bytes:
    """Hash of the concatenated handshake messages (RFC 8446 §4.4.1)."""
    digest = hashes.Hash(_hash(hash_name))
    for index, message in enumerate(messages):
        digest.update(check_bytes(f"messages[{index}]", message))
    return digest.finalize()


def hkdf_extract(salt: bytes, ikm: bytes, hash_name: str = "sha256") -> bytes:
    """HKDF-Extract(salt, IKM) = HMAC-Hash(salt, IKM) (RFC 5869 §2.2)."""
    algorithm = _hash(hash_name)
    salt = check_bytes("salt", salt) or bytes(algorithm.digest_size)
    return HKDF.extract(algorithm, salt, check_bytes("ikm", ikm))


def hkdf_expand_label(secret: bytes, label: str, context: bytes, length: int,
                      hash_name: str = "sha256") -> bytes:
    """HKDF-Expand-Label(Secret, Label, Context, Length) (RFC 8446 §7.1)."""
    secret = check_bytes("secret", secret)
    if not isinstance(label, str) or not 1 <= len(label) <= 249:
        raise ValueError(f"label must be a string of 1 to 249 characters, got {label!r}")
    context = check_bytes("context", context, max_len=255)
    length = check_int("length", length, min_value=1, max_value=255 * 48)
    full_label = b"tls13 " + label.encode("ascii")
    hkdf_label = (length.to_bytes(2, "big") + bytes([len(full_label)]) + full_label
                  + bytes([len(context)]) + context)
    return HKDFExpand(_hash(hash_name), length, hkdf_label).derive(secret)


def derive_secret(secret: bytes, label: str, messages: list[bytes] | tuple[bytes, ...],
                  hash_name: str = "sha256") -> bytes:
    """Derive-Secret(Secret, Label, Messages) = Expand-Label over the transcript hash."""
    algorithm = _hash(hash_name)
    return hkdf_expand_label(secret, label, transcript_hash(messages, hash_name),
                             algorithm.digest_size, hash_name)


def traffic_key_iv(traffic_secret: bytes, key_bytes: int = 16, iv_bytes: int = 12,
                   hash_name: str = "sha256") -> tuple[bytes, bytes]:
    """The AEAD write key and IV for one direction (RFC 8446 §7.3)."""
    check_int("key_bytes", key_bytes, min_value=16, max_value=32)
    check_int("iv_bytes", iv_bytes, min_value=8, max_value=16)
    return (hkdf_expand_label(traffic_secret, "key", b"", key_bytes, hash_name),
            hkdf_expand_label(traffic_secret, "iv", b"", iv_bytes, hash_name))


def finished_verify_data(base_key: bytes, transcript: bytes, hash_name: str = "sha256"
                         ) -> bytes:
    """verify_data = HMAC(finished_key, Transcript-Hash) (RFC 8446 §4.4.4)."""
    algorithm = _hash(hash_name)
    finished_key = hkdf_expand_label(base_key, "finished", b"", algorithm.digest_size,
                                     hash_name)
    mac = hmac.HMAC(finished_key, _hash(hash_name))
    mac.update(check_bytes("transcript", transcript))
    return mac.finalize()


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


def key_schedule(shared_secret: bytes, hello_messages: list[bytes] | tuple[bytes, ...],
                 through_server_finished: list[bytes] | tuple[bytes, ...],
                 hash_name: str = "sha256") -> KeySchedule:
    """Run RFC 8446 §7.1 for a 1-RTT handshake: ECDHE secret in, every secret out.

    ``hello_messages`` are ClientHello and ServerHello; ``through_server_finished``
    are all handshake messages from ClientHello to the server's Finished.
    """
    shared_secret = check_bytes("shared_secret", shared_secret)
    if not shared_secret:
        raise ValueError("shared_secret must be the non-empty (EC)DHE output, got b''")
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
