import pytest
from aioquic.quic.crypto import CryptoPair
from cryptography.exceptions import InvalidTag

from netlab.quic import (
    RFC9001_CLIENT_INITIAL,
    RFC9001_DCID,
    RFC9001_SERVER_INITIAL,
    crypto_stream,
    decrypt_initial,
    header_protection_mask,
    hkdf_expand_label,
    initial_secrets,
    parse_frames,
)
from netlab.quic.initial import Frame

# RFC 9001 Appendix A.1, copied from the RFC text.
A1 = {
    "initial_secret": "7db5df06e7a69e432496adedb00851923595221596ae2ae9fb8115c1e9ed0a44",
    "client": ("c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea",
               "1f369613dd76d5467730efcbe3b1a22d", "fa044b2f42a3fd3b46fb255c",
               "9f50449e04a0e810283a1e9933adedd2"),
    "server": ("3c199828fd139efd216c155ad844cc81fb82fa8d7446fa7d78be803acdda951b",
               "cf3a5331653c364c88f0f379b6067e37", "0ac1493ca1905853b0bba03e",
               "c206b8d9b9f0f37644430b490eeaa314"),
}


def test_initial_secret_matches_rfc9001_a1():
    assert initial_secrets(RFC9001_DCID).initial_secret.hex() == A1["initial_secret"]


@pytest.mark.parametrize("side", ["client", "server"])
def test_key_iv_hp_match_rfc9001_a1(side):
    keys = getattr(initial_secrets(RFC9001_DCID), side)
    assert (keys.secret.hex(), keys.key.hex(), keys.iv.hex(), keys.hp.hex()) == A1[side]
    assert all(isinstance(v, bytes) for v in (keys.key, keys.iv, keys.hp))


def test_hkdf_expand_label_client_in_matches_rfc():
    secret = bytes.fromhex(A1["initial_secret"])
    assert hkdf_expand_label(secret, "client in", 32).hex() == A1["client"][0]


def test_header_protection_mask_matches_rfc9001_a2():
    # A.2: sample d1b1c98dd7689fb8ec11d242b123dc9b gives mask 437b9aec36
    hp = initial_secrets(RFC9001_DCID).client.hp
    sample = bytes.fromhex("d1b1c98dd7689fb8ec11d242b123dc9b")
    assert header_protection_mask(hp, sample).hex() == "437b9aec36"


def test_rfc_client_initial_decrypts_to_the_published_header_and_frames():
    packet = decrypt_initial(RFC9001_CLIENT_INITIAL)
    assert packet.header.hex() == "c300000001088394c8f03e5157080000449e00000002"
    assert packet.packet_number == 2 and packet.packet_number_length == 4
    assert packet.packet_bytes == len(RFC9001_CLIENT_INITIAL) == 1200
    assert [(f.frame_type, f.length) for f in packet.frames] == [("CRYPTO", 245), ("PADDING", 917)]
    assert packet.payload.startswith(bytes.fromhex("060040f1010000ed0303ebf8fa56f129"))
    assert len(crypto_stream(packet.frames)) == 241  # 4-byte header + 237-byte ClientHello


def test_rfc_server_initial_decrypts_with_the_clients_dcid():
    packet = decrypt_initial(RFC9001_SERVER_INITIAL, sender="server", dcid=RFC9001_DCID)
    assert packet.header.hex() == "c1000000010008f067a5502a4262b50040750001"
    assert packet.packet_number == 1
    assert [f.frame_type for f in packet.frames] == ["ACK", "CRYPTO"]
    # a ServerHello of 86 bytes inside a 90-byte CRYPTO frame
    assert crypto_stream(packet.frames)[:4].hex() == "02000056"


def test_decryption_agrees_with_aioquic():
    pair = CryptoPair()
    pair.setup_initial(cid=RFC9001_DCID, is_client=False, version=1)
    header, payload, number = pair.decrypt_packet(RFC9001_CLIENT_INITIAL, 22 - 4, 0)
    mine = decrypt_initial(RFC9001_CLIENT_INITIAL)
    assert (mine.header, mine.payload, mine.packet_number) == (header, payload, number)


def test_a_flipped_ciphertext_bit_fails_authentication():
    damaged = bytearray(RFC9001_CLIENT_INITIAL)
    damaged[100] ^= 0x01
    with pytest.raises(InvalidTag):
        decrypt_initial(bytes(damaged))


def test_wrong_dcid_gives_wrong_keys_and_fails():
    with pytest.raises(InvalidTag):
        decrypt_initial(RFC9001_CLIENT_INITIAL, dcid=b"\x00" * 8)


@pytest.mark.parametrize("dcid, message", [
    (b"", "dcid: Data should have at least 1 byte"),
    (b"x" * 21, "dcid: Data should have at most 20 bytes"),
    ("8394c8f03e515708", "dcid: Input should be a valid bytes"),
])
def test_bad_dcid_raises(dcid, message):
    with pytest.raises(ValueError, match=message):
        initial_secrets(dcid)


def test_twenty_byte_dcid_is_allowed():
    assert len(initial_secrets(b"x" * 20).client.key) == 16


def test_bad_packets_raise():
    with pytest.raises(ValueError, match="long header of type Initial"):
        decrypt_initial(b"\x40" + bytes(40))
    with pytest.raises(ValueError, match="sender: Input should be 'client' or 'server'"):
        decrypt_initial(RFC9001_CLIENT_INITIAL, sender="middlebox")
    with pytest.raises(ValueError, match="dcid: must be given"):
        decrypt_initial(RFC9001_SERVER_INITIAL, sender="server")
    with pytest.raises(ValueError, match="truncated"):
        decrypt_initial(RFC9001_CLIENT_INITIAL[:600])
    with pytest.raises(ValueError, match="version 0x2"):
        decrypt_initial(RFC9001_CLIENT_INITIAL[:1] + b"\x00\x00\x00\x02"
                        + RFC9001_CLIENT_INITIAL[5:])


def test_sample_must_be_sixteen_bytes():
    with pytest.raises(ValueError, match="sample: Data should have at least 16 bytes"):
        header_protection_mask(bytes(16), bytes(15))


def test_parse_frames_rejects_frames_not_allowed_in_initial():
    with pytest.raises(ValueError, match="frame type 0x8, which an Initial packet may not"):
        parse_frames(bytes([0x08, 0x00]))
    with pytest.raises(ValueError, match="ends in the middle of a frame"):
        parse_frames(bytes([0x06, 0x00, 0x10, 0x01]))


def test_crypto_stream_reassembles_out_of_order_and_refuses_gaps():
    parts = [Frame("CRYPTO", 0, offset=3, data=b"def"), Frame("CRYPTO", 0, offset=0, data=b"abc")]
    assert crypto_stream(parts) == b"abcdef"
    with pytest.raises(ValueError, match="gap in the CRYPTO stream at offset 3"):
        crypto_stream([Frame("CRYPTO", 0, offset=5, data=b"x"), parts[1]])
