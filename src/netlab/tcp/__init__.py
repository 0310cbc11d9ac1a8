"""netlab.tcp: the 3-way handshake and the 4-way close.

A sans-IO state machine (``connection``, ``states``) on a simulated link (``link``), its
lossy-path experiments (``loss``) and scripted walk-throughs (``walkthrough``), a reader
of the committed loopback captures (``capture``), and experiments with the real kernel on
loopback that need no root (``kernel``, ``resets``, ``timewait``, ``procfs``).

The SYN-schedule and accept-queue measurements (``kernel.measure_syn_schedule``,
``kernel.measure_syn_schedules``, ``kernel.accept_queue_stall``) wait on the kernel's own
1 s SYN timer, seconds per call, so they are used from ``netlab.tcp.kernel`` and their
argument checks are tested in ``tests/tcp/test_kernel.py`` rather than by the fuzz test.
"""

from netlab.tables import format_table  # the core's table, re-exported for the labs
from netlab.tcp.capture import (
    CapturedSegment,
    fin_ack_delay_ms,
    load_capture,
    load_summary,
    model_rows,
    relative_rows,
    replay_in_model,
    replay_scenario,
    show_capture,
    syn_option_table,
    timeline_rows,
)
from netlab.tcp.connection import (
    LINUX_CONFIG,
    LINUX_SYN_LINEAR_TIMEOUTS,
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
from netlab.tcp.kernel import AcceptQueueRun, ListenQueue, SynSchedule, full_listener, listen_queue
from netlab.tcp.link import (
    Call,
    LinkConfig,
    Trace,
    TraceRow,
    sequence_diagram_mermaid,
    simulate,
    trace_table,
)
from netlab.tcp.loss import (
    SynTimeline,
    backoff_schedule,
    compare_with_kernel,
    connect_time_distribution,
    connect_time_std,
    connect_times,
    expected_connect_time,
    final_ack_lost_mermaid,
    give_up_after_s,
    handshake_scenario,
    plot_mean_connect_time,
    schedule_table,
    show_connect_times,
    summarize_connect_times,
    syn_ack_lost_mermaid,
    syn_schedule,
)
from netlab.tcp.procfs import ProcSocket, netstat_counters, proc_net_tcp
from netlab.tcp.resets import CLOSE_CASES, CloseOutcome, close_outcome, close_table
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
from netlab.tcp.timewait import TimeWaitReuse, reopen_time_wait
from netlab.tcp.walkthrough import (
    SCRIPTS,
    random_isns,
    run_script,
    server_closes_first_mermaid,
    show_script,
    simultaneous_close_mermaid,
    walkthrough_sequence_mermaid,
)

__all__ = [
    "ABNORMAL_INPUTS", "AcceptQueueRun", "CLOSE_CASES", "Call", "CapturedSegment",
    "CloseOutcome", "Connected", "ConnectionClosed", "ConnectionRefused", "ConnectionReset",
    "DataReceived", "LINUX_CONFIG", "LINUX_SYN_LINEAR_TIMEOUTS", "LINUX_TIME_WAIT_S",
    "LinkConfig", "ListenQueue", "PeerClosed", "ProcSocket", "RFC_MSL_S",
    "RTO_AFTER_SYN_LOSS_S", "Retransmitted", "SCRIPTS", "Segment", "StateChanged", "Step",
    "SynSchedule", "SynTimeline", "TRANSITIONS", "TcpConfig", "TcpConnection", "TcpEvent",
    "TcpInput", "TcpProtocolError", "TcpState", "TimeWaitReuse", "TimedOut", "Trace",
    "TraceRow", "Transition", "allowed_inputs", "backoff_schedule",
    "close_outcome", "close_table", "compare_with_kernel", "connect_time_distribution", "connect_time_std",
    "connect_times", "expected_connect_time", "final_ack_lost_mermaid", "fin_ack_delay_ms",
    "flag_names", "format_table", "full_listener", "full_state_diagram_mermaid",
    "give_up_after_s", "handshake_scenario", "listen_queue", "load_capture", "load_summary",
    "make_segment", "model_rows",
    "netstat_counters", "plot_mean_connect_time", "proc_net_tcp", "random_isns",
    "relative_rows", "reopen_time_wait", "replay_in_model", "replay_scenario", "run_script",
    "schedule_table", "seq_add", "seq_le", "seq_lt", "sequence_diagram_mermaid",
    "server_closes_first_mermaid", "show_capture", "show_connect_times", "show_script",
    "simulate", "simultaneous_close_mermaid", "state_diagram_mermaid",
    "summarize_connect_times", "syn_ack_lost_mermaid", "syn_option_table", "syn_schedule",
    "timeline_rows", "trace_table", "walkthrough_sequence_mermaid",
]
