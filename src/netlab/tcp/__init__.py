"""netlab.tcp: the 3-way handshake and the 4-way close as a sans-IO state machine."""

from netlab.tables import format_table  # the core's table, re-exported for the labs
from netlab.tcp.connection import (
    LINUX_CONFIG,
    LINUX_TIME_WAIT_S,
    RFC_MSL_S,
    RTO_AFTER_SYN_LOSS_S,
    Connected,
    ConnectionClosed,
    ConnectionRefused,
    ConnectionReset,
    DataReceived,
    PeerClosed,
    Retransmitted,
    StateChanged,
    Step,
    TcpConfig,
    TcpConnection,
    TcpEvent,
    TcpProtocolError,
    TimedOut,
)
from netlab.tcp.link import (
    Call,
    LinkConfig,
    Trace,
    TraceRow,
    sequence_diagram_mermaid,
    simulate,
    trace_table,
)
from netlab.tcp.segment import Segment, flag_names, make_segment, seq_add, seq_le, seq_lt
from netlab.tcp.states import (
    ABNORMAL_INPUTS,
    TRANSITIONS,
    TcpInput,
    TcpState,
    Transition,
    allowed_inputs,
    full_state_diagram_mermaid,
    state_diagram_mermaid,
)

__all__ = [
    "ABNORMAL_INPUTS", "Call", "Connected", "ConnectionClosed", "ConnectionRefused",
    "ConnectionReset", "DataReceived", "LINUX_CONFIG", "LINUX_TIME_WAIT_S", "LinkConfig",
    "PeerClosed", "RFC_MSL_S", "RTO_AFTER_SYN_LOSS_S", "Retransmitted", "Segment",
    "StateChanged", "Step", "TRANSITIONS", "TcpConfig", "TcpConnection", "TcpEvent",
    "TcpInput", "TcpProtocolError", "TcpState", "TimedOut", "Trace", "TraceRow",
    "Transition", "allowed_inputs", "flag_names", "format_table",
    "full_state_diagram_mermaid", "make_segment", "seq_add", "seq_le", "seq_lt",
    "sequence_diagram_mermaid", "simulate", "state_diagram_mermaid", "trace_table",
]
