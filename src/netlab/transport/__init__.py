"""Chapter 1, TCP vs UDP: byte streams and datagrams, headers, MSS, connected UDP, and
reliability by retransmission (a model, checked against a real QUIC stack)."""

from netlab.transport.arq import (
    MODES,
    DeliveryConfig,
    DeliveryTrace,
    Event,
    binomial_tolerance,
    expected_arq_time_s,
    expected_delivered_fraction,
    expected_transmissions,
    expected_window_time_s,
    simulate_delivery,
)
from netlab.transport.capture import (
    SegmentRow,
    capture_rows,
    capture_table,
    first_syn,
    read_capture,
    syn_mss_option,
    syn_options,
    syn_options_table,
)
from netlab.transport.connected_udp import (
    ClosedPortResult,
    connected_udp_report,
    udp_receive_filter,
    udp_to_closed_port,
)
from netlab.transport.framing import Deframer, FramingError, frame
from netlab.transport.headers import corrupt, tcp_segment, udp_datagram
from netlab.transport.lossy_quic import QuicTransfer, quic_transfer
from netlab.transport.mss import (
    LoopbackMss,
    loopback_mss,
    mss_checks_report,
    mss_for_mtu,
    mss_rule_table,
)
from netlab.transport.report import (
    ReferenceRow,
    SweepRow,
    WindowRow,
    delivery_sweep,
    format_reference,
    format_sweep,
    format_window_sweep,
    plot_sweep,
    reference_sweep,
    show_delivery,
    window_sweep,
)
from netlab.transport.streams import (
    FramedResult,
    ReadResult,
    show_reads,
    tcp_framed_messages,
    tcp_stream_reads,
    udp_datagram_reads,
)

__all__ = [
    "ClosedPortResult", "Deframer", "DeliveryConfig", "DeliveryTrace", "Event", "FramedResult",
    "FramingError", "LoopbackMss", "MODES", "QuicTransfer", "ReadResult", "ReferenceRow",
    "SegmentRow", "SweepRow", "WindowRow", "binomial_tolerance", "capture_rows", "capture_table",
    "connected_udp_report", "corrupt", "delivery_sweep", "expected_arq_time_s",
    "expected_delivered_fraction", "expected_transmissions", "expected_window_time_s", "first_syn",
    "format_reference", "format_sweep", "format_window_sweep", "frame", "loopback_mss",
    "mss_checks_report", "mss_for_mtu", "mss_rule_table", "plot_sweep", "quic_transfer",
    "read_capture", "reference_sweep", "show_delivery", "show_reads", "simulate_delivery",
    "syn_mss_option", "syn_options", "syn_options_table", "tcp_framed_messages", "tcp_segment",
    "tcp_stream_reads", "udp_datagram", "udp_datagram_reads", "udp_receive_filter",
    "udp_to_closed_port", "window_sweep",
]
