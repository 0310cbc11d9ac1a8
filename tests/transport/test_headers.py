import pytest
from scapy.layers.inet import TCP

from netlab.packets import checksum_ok, fields, header_bytes, layers, tcp_options
from netlab.transport import corrupt, tcp_segment, udp_datagram


def test_tcp_header_is_20_bytes_without_options():
    segment = tcp_segment(flags="A")
    assert header_bytes(segment, "TCP") == 20
    assert fields(segment, "TCP")["dataofs"] == 5  # 32-bit words
    assert tcp_options(segment) == []


def test_udp_header_is_always_8_bytes_and_length_counts_header_plus_data():
    dgram = udp_datagram(payload=b"x" * 100)
    assert header_bytes(dgram, "UDP") == 8
    assert fields(dgram, "UDP")["len"] == 108
    assert [row.layer for row in layers(dgram)] == ["IP", "UDP", "payload"]


def test_option_sizes_come_from_scapys_encoding():
    segment = TCP(options=[("MSS", 1460), ("NOP", None), ("WScale", 7), ("SAckOK", b"")])
    rows = tcp_options(segment)
    assert [(o.name, o.kind, o.length_bytes) for o in rows] == [
        ("MSS", 2, 4), ("NOP", 1, 1), ("WScale", 3, 3), ("SAckOK", 4, 2)]


@pytest.mark.parametrize("build", [lambda: tcp_segment(flags="PA", payload=b"hello"),
                                   lambda: udp_datagram(payload=b"hello")])
def test_checksum_catches_a_flipped_payload_byte(build):
    wire = bytes(build())
    layer = "TCP" if build().haslayer(TCP) else "UDP"
    assert checksum_ok(wire, layer)
    assert not checksum_ok(corrupt(wire, offset=len(wire) - 1), layer)


def test_bad_arguments():
    with pytest.raises(ValueError, match="flags: must be one of"):
        tcp_segment(flags="X")
    with pytest.raises(ValueError, match="flags: Input should be a valid string"):
        tcp_segment(flags=[])  # unhashable: still a clear message
    with pytest.raises(ValueError, match="seq: Input should be less than or equal to 4294967295"):
        tcp_segment(seq=2**32)
    with pytest.raises(ValueError, match="offset: must be below len"):
        corrupt(b"abcd", offset=4)
    with pytest.raises(ValueError, match="layer_name must be one of the packet's layers"):
        header_bytes(udp_datagram(), "TCP")
    with pytest.raises(ValueError, match="packet must be a scapy Packet"):
        layers(b"raw bytes")
    with pytest.raises(ValueError, match="packet must contain a TCP layer"):
        tcp_options(udp_datagram())
