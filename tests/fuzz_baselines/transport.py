"""Baselines for netlab.transport: small, valid calls that return quickly."""

from pathlib import Path

from fuzz_harness import Baseline

from netlab.transport import (
    FramingError,
    delivery_sweep,
    read_capture,
    reference_sweep,
    window_sweep,
)

PCAP = Path(__file__).resolve().parents[2] / "labs" / "data" / "01-loopback.pcap"
PACKETS = read_capture(PCAP)
SWEEP = delivery_sweep([0.1], n_messages=20)
WINDOWS = window_sweep([1, 4], n_messages=20)
REFERENCE = reference_sweep([0.1], n_messages=10)

BASELINES = {
    "simulate_delivery": Baseline(args=("arq",), kwargs={"n_messages": 50, "window": 4}),
    "expected_delivered_fraction": Baseline(args=("datagram", 0.1)),
    "expected_transmissions": Baseline(args=("arq",), kwargs={"n_messages": 100,
                                                              "loss_rate": 0.1}),
    "expected_arq_time_s": Baseline(kwargs={"n_messages": 100, "loss_rate": 0.1,
                                            "one_way_delay_s": 0.01, "rto_s": 0.05}),
    "expected_window_time_s": Baseline(kwargs={"n_messages": 100, "window": 8,
                                               "one_way_delay_s": 0.01,
                                               "send_interval_s": 0.001}),
    "binomial_tolerance": Baseline(args=(100, 0.1)),
    "delivery_sweep": Baseline(args=([0.0, 0.1],), kwargs={"n_messages": 20}),
    "window_sweep": Baseline(args=([1, 4],), kwargs={"n_messages": 20}),
    "reference_sweep": Baseline(args=([0.1],), kwargs={"n_messages": 10}),
    "format_sweep": Baseline(args=(SWEEP,)),
    "plot_sweep": Baseline(args=(SWEEP,)),
    "format_window_sweep": Baseline(args=(WINDOWS,)),
    "format_reference": Baseline(args=(REFERENCE,)),
    "show_delivery": Baseline(kwargs={"n_messages": 50}),
    "quic_transfer": Baseline(kwargs={"n_messages": 20}),
    "read_capture": Baseline(args=(PCAP,)),
    "capture_rows": Baseline(args=(PACKETS,)),
    "capture_table": Baseline(args=(PACKETS,)),
    "syn_options_table": Baseline(args=(PACKETS,)),
    "connected_udp_report": Baseline(kwargs={"wait_s": 0.05}),
    "first_syn": Baseline(args=(PACKETS,)),
    "syn_options": Baseline(args=(PACKETS,)),
    "syn_mss_option": Baseline(args=(PACKETS,)),
    "udp_to_closed_port": Baseline(kwargs={"connected": True, "wait_s": 0.05}),
    "udp_receive_filter": Baseline(kwargs={"connected": True, "wait_s": 0.05}),
    "loopback_mss": Baseline(),
    "mss_for_mtu": Baseline(args=(1500,)),
    "tcp_stream_reads": Baseline(args=([b"ab", b"c"],)),
    "udp_datagram_reads": Baseline(args=([b"ab", b"c"],)),
    "tcp_framed_messages": Baseline(args=([b"ab", b"c"],)),
    "frame": Baseline(args=(b"abc",)),
    "corrupt": Baseline(args=(b"abcd",), kwargs={"offset": 1}),
    "tcp_segment": Baseline(),
    "udp_datagram": Baseline(),
    "Deframer": Baseline(domain_errors=(FramingError,)),
}
