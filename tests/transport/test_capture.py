"""The committed loopback capture: a real Linux SYN and a real ICMP error."""

import json
import os
from pathlib import Path

import pytest
from scapy.layers.inet import TCP

from netlab.transport import capture_rows, first_syn, read_capture, syn_mss_option, syn_options
from netlab.transport.capture import capture_loopback

ROOT = Path(__file__).resolve().parents[2]
PCAP = ROOT / "labs" / "data" / "01-loopback.pcap"


@pytest.fixture(scope="module")
def packets():
    return read_capture(PCAP)


def test_the_capture_holds_a_handshake_data_a_close_and_an_icmp_error(packets):
    kinds = [row.summary for row in capture_rows(packets)]
    assert kinds[:3] == ["TCP S", "TCP SA", "TCP A"]
    assert kinds.count("TCP FA") == 2
    assert kinds[-2:] == ["UDP", "ICMP 3/3"]


def test_the_syn_carries_five_options_in_twenty_bytes(packets):
    options = syn_options(packets)
    assert [o.name for o in options] == ["MSS", "SAckOK", "Timestamp", "NOP", "WScale"]
    assert sum(o.length_bytes for o in options) == 20
    assert capture_rows(packets)[0].transport_header_bytes == 40
    assert syn_mss_option(packets) == 65_495


def test_capture_times_are_kept_and_increase(packets):
    times = [row.offset_ms for row in capture_rows(packets)]
    assert times == sorted(times) and times[-1] > 0


def test_the_json_says_where_it_was_captured():
    summary = json.loads(PCAP.with_suffix(".json").read_text())
    assert summary["pcap"] == PCAP.name
    assert summary["captured_on"]["lo_mtu"] == 65_536
    assert summary["tcp_segments"] + summary["udp_and_icmp_packets"] == len(read_capture(PCAP))


@pytest.mark.skipif(os.geteuid() != 0, reason="capturing needs CAP_NET_RAW")
def test_a_live_capture_sees_a_syn():
    import socket

    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]

        def connect():
            with socket.create_connection(("127.0.0.1", port)):
                listener.accept()[0].close()

        frames = capture_loopback(connect, settle_s=0.05,
                                  keep=lambda p: TCP in p and port in (p[TCP].sport, p[TCP].dport))
    assert first_syn(frames)[TCP].dport == port


def test_bad_arguments(packets):
    with pytest.raises(ValueError, match="read_capture: path: no such file"):
        read_capture("no-such.pcap")
    with pytest.raises(ValueError, match="first_syn: packets: no SYN"):
        first_syn(packets[-2:])
