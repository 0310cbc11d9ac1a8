import pytest
from scapy.layers.inet import TCP

from netlab.packets import checksum_ok, fields, header_bytes, layers
from netlab.transport import corrupt, tcp_segment, udp_datagram


def test_tcp_header_is_20_bytes_without_options_and_40_with_linux_syn_options():
    assert header_bytes(tcp_segment(flags="A"), "TCP") == 20
    syn = tcp_segment(flags="S", with_options=True)
    assert header_bytes(syn, "TCP") == 40
    assert fields(syn, "TCP")["dataofs"] == 10  # 32-bit words: 40 / 4


def test_udp_header_is_always_8_bytes_and_length_counts_header_plus_data():
    dgram = udp_datagram(payload=b"x" * 100)
    assert header_bytes(dgram, "UDP") == 8
    assert fields(dgram, "UDP")["len"] == 108
    assert [row.layer for row in layers(dgram)] == ["IP", "UDP", "payload"]


def test_syn_options_round_trip_through_scapy():
    syn = TCP(bytes(tcp_segment(with_options=True)[TCP]))
    names = [name for name, _ in syn.options]
    assert names == ["MSS", "SAckOK", "Timestamp", "NOP", "WScale"]
    assert dict(syn.options)["MSS"] == 65_495


@pytest.mark.parametrize("build", [lambda: tcp_segment(flags="PA", payload=b"hello"),
                                   lambda: udp_datagram(payload=b"hello")])
def test_checksum_catches_a_flipped_payload_byte(build):
    wire = bytes(build())
    layer = "TCP" if b"hello" and build().haslayer(TCP) else "UDP"
    assert checksum_ok(wire, layer)
    assert not checksum_ok(corrupt(wire, offset=len(wire) - 1), layer)


def test_bad_arguments():
    with pytest.raises(ValueError, match="flags must be one of"):
        tcp_segment(flags="X")
    with pytest.raises(ValueError, match="seq must be <= 4294967295"):
        tcp_segment(seq=2**32)
    with pytest.raises(ValueError, match="offset must be <= 3"):
        corrupt(b"abcd", offset=4)
    with pytest.raises(ValueError, match="layer_name must be one of the packet's layers"):
        header_bytes(udp_datagram(), "TCP")
    with pytest.raises(ValueError, match="packet must be a scapy Packet"):
        layers(b"raw bytes")
