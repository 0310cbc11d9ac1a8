"""Chapter 1, TCP vs UDP: byte streams and datagrams, headers, and reliability by retransmission."""

from netlab.transport.arq import (
    MODES,
    DeliveryConfig,
    DeliveryTrace,
    Event,
    binomial_tolerance,
    expected_arq_time_s,
    expected_delivered_fraction,
    simulate_delivery,
)
from netlab.transport.framing import Deframer, FramingError, frame
from netlab.transport.headers import LINUX_SYN_OPTIONS, corrupt, tcp_segment, udp_datagram
from netlab.transport.report import (
    SweepRow,
    delivery_sweep,
    format_sweep,
    plot_sweep,
    show_delivery,
)
from netlab.transport.streams import (
    FramedResult,
    ReadResult,
    tcp_framed_messages,
    tcp_stream_reads,
    udp_datagram_reads,
)

__all__ = [
    "LINUX_SYN_OPTIONS", "MODES", "Deframer", "DeliveryConfig", "DeliveryTrace", "Event",
    "FramedResult", "FramingError", "ReadResult", "SweepRow", "binomial_tolerance", "corrupt",
    "delivery_sweep", "expected_arq_time_s", "expected_delivered_fraction", "format_sweep",
    "frame", "plot_sweep", "show_delivery", "simulate_delivery", "tcp_framed_messages",
    "tcp_segment", "tcp_stream_reads", "udp_datagram", "udp_datagram_reads",
]
