"""Initial packet protection (RFC 9001 §5): keys from the Destination Connection ID.

Anyone who sees a client's first packet can derive its Initial keys, because they
come from a public salt and the Destination Connection ID written in clear in the
header (RFC 9001 §5.2). This module does it with ``cryptography`` (HKDF, AES-ECB for
the header-protection mask, AES-128-GCM for the payload), lets scapy read the long
header, and aioquic's ``Buffer`` read the variable-length integers of the frames.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from aioquic.buffer import Buffer, BufferReadError
from aioquic.quic.packet import QuicFrameType, pull_ack_frame
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF, HKDFExpand
from pydantic import Field
from scapy.layers.quic import QUIC_Initial

from netlab._validate import public, result

#: RFC 9001 §5.2: the salt for QUIC version 1 Initial secrets.
INITIAL_SALT_V1 = bytes.fromhex("38762cf7f55934b34d179ae6a4c80cadccbb7f0a")
QUIC_VERSION_1 = 0x00000001
MAX_CID_BYTES = 20  # RFC 9000 §17.2: a connection ID is at most 20 bytes in version 1
SAMPLE_BYTES = 16  # RFC 9001 §5.4.2: AES header protection samples 16 bytes
#: RFC 9000 §12.4 (Table 3): the only frames an Initial packet may carry.
INITIAL_FRAME_TYPES = frozenset({0x00, 0x01, 0x02, 0x03, 0x06, 0x1C})
ConnectionId = Annotated[bytes, Field(min_length=1, max_length=MAX_CID_BYTES)]
Packet = Annotated[bytes, Field(max_length=65_527)]


@result
@dataclass(frozen=True)
class DirectionKeys:
    """Secret, AEAD key, IV and header-protection key for one direction."""

    secret: bytes
    key: bytes
    iv: bytes
    hp: bytes


@result
@dataclass(frozen=True)
class InitialSecrets:
    """The Initial secret and the keys of both directions (RFC 9001 §5.2)."""

    initial_secret: bytes
    client: DirectionKeys
    server: DirectionKeys


@result
@dataclass(frozen=True)
class Frame:
    """One frame of a decrypted payload: its type name and, for CRYPTO, offset and data."""

    frame_type: str
    length: int
    offset: int = 0
    data: bytes = b""


@result
@dataclass(frozen=True)
class DecryptedInitial:
    """An Initial packet with header protection removed and its payload decrypted."""

    version: int
    dcid: bytes
    scid: bytes
    token: bytes
    packet_number: int
    packet_number_length: int
    header: bytes
    payload: bytes
    frames: tuple[Frame, ...]
    packet_bytes: int


@public
def hkdf_expand_label(secret: Annotated[bytes, Field(min_length=1, max_length=4096)],
                      label: Annotated[str, Field(min_length=1, max_length=249)],
                      length: Annotated[int, Field(ge=1, le=255 * 32)],
                      context: Annotated[bytes, Field(max_length=255)] = b"") -> bytes:
    """TLS 1.3 HKDF-Expand-Label with SHA-256 (RFC 8446 §7.1), as QUIC uses it."""
    if not label.isascii():
        raise ValueError(f"label: must be ASCII, got {label!r}")
    full_label = b"tls13 " + label.encode("ascii")
    info = (length.to_bytes(2, "big") + bytes([len(full_label)]) + full_label
            + bytes([len(context)]) + context)
    return HKDFExpand(algorithm=hashes.SHA256(), length=length, info=info).derive(secret)


def _direction(initial_secret: bytes, label: str) -> DirectionKeys:
    secret = hkdf_expand_label(initial_secret, label, 32)
    return DirectionKeys(secret=secret,
                         key=hkdf_expand_label(secret, "quic key", 16),
                         iv=hkdf_expand_label(secret, "quic iv", 12),
                         hp=hkdf_expand_label(secret, "quic hp", 16))


@public
def initial_secrets(dcid: ConnectionId) -> InitialSecrets:
    """Derive client and server Initial key, IV and hp key from the client's DCID."""
    initial_secret = HKDF.extract(hashes.SHA256(), INITIAL_SALT_V1, dcid)
    return InitialSecrets(initial_secret=initial_secret,
                          client=_direction(initial_secret, "client in"),
                          server=_direction(initial_secret, "server in"))


@public
def header_protection_mask(hp: Annotated[bytes, Field(min_length=16, max_length=32)],
                           sample: Annotated[bytes, Field(min_length=SAMPLE_BYTES,
                                                          max_length=SAMPLE_BYTES)]) -> bytes:
    """The 5-byte mask AES-ECB(hp, sample)[:5] of RFC 9001 §5.4.3."""
    if len(hp) not in (16, 24, 32):
        raise ValueError(f"hp: must be an AES key of 16, 24 or 32 bytes, got {len(hp)}")
    encryptor = Cipher(algorithms.AES(hp), modes.ECB()).encryptor()
    return (encryptor.update(sample) + encryptor.finalize())[:5]


def _pn_offset(packet: bytes) -> tuple[QUIC_Initial, int]:
    """Let scapy read the long header; return it and where the packet number starts."""
    if len(packet) < 7 or packet[0] & 0xB0 != 0x80 or packet[0] & 0x40 == 0:
        raise ValueError("packet: must start with a QUIC long header of type Initial "
                         "(0b1100xxxx)")
    try:
        parsed = QUIC_Initial(packet)
    except Exception as exc:  # noqa: BLE001 - scapy raises many types on junk
        raise ValueError(f"packet: not a readable Initial header: {exc}") from None
    if parsed.Version != QUIC_VERSION_1:
        raise ValueError(f"packet: must be QUIC version 1, got version {parsed.Version:#x}")
    if parsed.Length is None or parsed.DstConnID is None:
        raise ValueError("packet: the Initial header is truncated")
    # scapy consumed the (still protected) packet-number bytes too; step back over them
    consumed = len(packet) - len(bytes(parsed.payload))
    return parsed, consumed - ((packet[0] & 0x03) + 1)


@public
def decrypt_initial(packet: Packet, *, sender: Literal["client", "server"] = "client",
                    dcid: ConnectionId | None = None) -> DecryptedInitial:
    """Remove header protection from an Initial packet and decrypt it (RFC 9001 §5.3-5.4).

    A packet that was changed on the way fails the AEAD tag: cryptography's
    ``InvalidTag`` is raised, as a real endpoint would drop it.
    """
    parsed, pn_offset = _pn_offset(packet)
    if dcid is None:
        if sender == "server":
            raise ValueError("dcid: must be given for a server Initial (the client's "
                             "original DCID)")
        dcid = bytes(parsed.DstConnID)
        if not 1 <= len(dcid) <= MAX_CID_BYTES:
            raise ValueError(f"packet: its DCID must be 1 to {MAX_CID_BYTES} bytes, "
                             f"got {len(dcid)}")
    secrets = initial_secrets(dcid)
    keys = secrets.client if sender == "client" else secrets.server
    packet_bytes = pn_offset + parsed.Length
    if packet_bytes > len(packet) or pn_offset + 4 + SAMPLE_BYTES > len(packet):
        raise ValueError(f"packet: is truncated: header says {packet_bytes} bytes, "
                         f"got {len(packet)}")
    mask = header_protection_mask(keys.hp, packet[pn_offset + 4:pn_offset + 4 + SAMPLE_BYTES])
    first = packet[0] ^ (mask[0] & 0x0F)
    pn_length = (first & 0x03) + 1
    pn_bytes = bytes(b ^ m for b, m in zip(packet[pn_offset:pn_offset + pn_length],
                                           mask[1:1 + pn_length], strict=True))
    header = bytes([first]) + packet[1:pn_offset] + pn_bytes
    packet_number = int.from_bytes(pn_bytes, "big")
    nonce = (int.from_bytes(keys.iv, "big") ^ packet_number).to_bytes(12, "big")
    ciphertext = packet[pn_offset + pn_length:packet_bytes]
    payload = AESGCM(keys.key).decrypt(nonce, ciphertext, header)
    return DecryptedInitial(version=parsed.Version, dcid=bytes(parsed.DstConnID),
                            scid=bytes(parsed.SrcConnID), token=bytes(parsed.Token),
                            packet_number=packet_number, packet_number_length=pn_length,
                            header=header, payload=payload, frames=parse_frames(payload),
                            packet_bytes=packet_bytes)


@public
def parse_frames(payload: Packet) -> tuple[Frame, ...]:
    """Split a decrypted Initial payload into frames (RFC 9000 §19); runs of PADDING merge."""
    buf = Buffer(data=payload)
    frames: list[Frame] = []
    try:
        while not buf.eof():
            start = buf.tell()
            frame_type = buf.pull_uint_var()
            if frame_type not in INITIAL_FRAME_TYPES:
                raise ValueError(f"payload: holds frame type {frame_type:#x}, "
                                 "which an Initial packet may not carry")
            name = "CONNECTION_CLOSE" if frame_type == 0x1C else QuicFrameType(frame_type).name
            offset, data = 0, b""
            if frame_type == QuicFrameType.PADDING:
                while not buf.eof() and payload[buf.tell()] == 0:
                    buf.seek(buf.tell() + 1)
            elif frame_type in (QuicFrameType.ACK, QuicFrameType.ACK_ECN):
                pull_ack_frame(buf)
                if frame_type == QuicFrameType.ACK_ECN:
                    for _ in range(3):
                        buf.pull_uint_var()
            elif frame_type == QuicFrameType.CRYPTO:
                offset = buf.pull_uint_var()
                data = buf.pull_bytes(buf.pull_uint_var())
            elif frame_type == QuicFrameType.TRANSPORT_CLOSE:
                buf.pull_uint_var()
                buf.pull_uint_var()
                buf.pull_bytes(buf.pull_uint_var())
            frames.append(Frame(frame_type=name, length=buf.tell() - start,
                                offset=offset, data=data))
    except BufferReadError as exc:
        raise ValueError("payload: ends in the middle of a frame") from exc
    except ValueError as exc:  # aioquic's frame readers refuse impossible values
        if str(exc).startswith("payload:"):
            raise
        raise ValueError(f"payload: holds a malformed frame: {exc}") from None
    return tuple(frames)


@public
def crypto_stream(frames: Annotated[Sequence[Frame], Field(max_length=100_000)]) -> bytes:
    """Reassemble the CRYPTO frames' data in offset order; gaps raise ValueError."""
    data = b""
    for frame in sorted((f for f in frames if f.frame_type == "CRYPTO"), key=lambda f: f.offset):
        if frame.offset > len(data):
            raise ValueError(f"frames: leave a gap in the CRYPTO stream at offset {len(data)}")
        data += frame.data[len(data) - frame.offset:]
    return data
