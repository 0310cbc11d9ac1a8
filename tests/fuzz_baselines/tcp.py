"""Baselines for netlab.tcp: one valid call of each export with required parameters."""

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fuzz_harness import Baseline

from netlab.tcp import Call, SynSchedule, TcpState, handshake_scenario, load_capture

DATA = Path(__file__).resolve().parents[2] / "labs" / "data"
PCAP = DATA / "02-handshake-three-segment-close.pcap"
SEGMENTS = load_capture(PCAP)
TRACE = handshake_scenario("SYN-ACK")
SCRIPT = [Call(0.0, "server", "listen"), Call(0.0, "client", "connect")]
MEASURED = [SynSchedule(2, (1.0, 2.0, 3.0, 4.0, 5.0), 7.1, "ETIMEDOUT", 5)]


@contextmanager
def _listener() -> Iterator[dict[str, Any]]:
    with socket.create_server(("127.0.0.1", 0)) as listener:
        yield {"listener": listener}


BASELINES = {
    "Call": Baseline(args=(0.0, "client", "connect")),
    "TcpConnection": Baseline(kwargs={"isn": 1}),
    "allowed_inputs": Baseline(args=(TcpState.LISTEN,)),
    "backoff_schedule": Baseline(args=(2,)),
    "close_outcome": Baseline(args=("close() with unread data",)),
    "close_table": Baseline(args=(["SO_LINGER 0, then close()"],)),
    "compare_with_kernel": Baseline(args=(MEASURED,)),
    "connect_time_distribution": Baseline(kwargs={"loss": 0.1, "rtt_s": 0.1}),
    "connect_time_std": Baseline(kwargs={"loss": 0.1, "rtt_s": 0.1}),
    "connect_times": Baseline(kwargs={"loss_c2s": 0.1, "trials": 20}),
    "expected_connect_time": Baseline(kwargs={"loss": 0.1, "rtt_s": 0.1}),
    "fin_ack_delay_ms": Baseline(args=(SEGMENTS,)),
    "flag_names": Baseline(args=("SA",)),
    "format_table": Baseline(args=([{"a": 1, "b": "x"}],)),  # the core's, re-exported
    "give_up_after_s": Baseline(args=(2,)),
    "handshake_scenario": Baseline(args=("SYN",)),
    "listen_queue": Baseline(fixture=_listener),
    "load_capture": Baseline(args=(PCAP,)),
    "load_summary": Baseline(args=(DATA,)),
    "make_segment": Baseline(kwargs={"seq": 1, "ack": 2, "flags": "A"}),
    "model_rows": Baseline(args=(TRACE,)),
    "plot_mean_connect_time": Baseline(args=([0.1, 0.2], [0.3, 0.5])),
    "random_isns": Baseline(args=(7,)),
    "relative_rows": Baseline(args=(SEGMENTS,)),
    "reopen_time_wait": Baseline(args=("server",)),
    "replay_in_model": Baseline(kwargs={"request": b"GET", "response": b"OK",
                                        "client_pause_s": 0.0}),
    "replay_scenario": Baseline(args=(DATA, "three-segment-close")),
    "run_script": Baseline(args=("abort (RST)",)),
    "schedule_table": Baseline(args=([1, 2],)),
    "seq_add": Baseline(args=(1, 2)),
    "seq_le": Baseline(args=(1, 2)),
    "seq_lt": Baseline(args=(1, 2)),
    "sequence_diagram_mermaid": Baseline(args=(TRACE,)),
    "show_capture": Baseline(args=(DATA, "three-segment-close")),
    "show_connect_times": Baseline(args=(0.1,), kwargs={"trials": 50}),
    "show_script": Baseline(args=("abort (RST)",)),
    "simulate": Baseline(args=(SCRIPT,), kwargs={"client_isn": 1, "server_isn": 2}),
    "summarize_connect_times": Baseline(args=([0.1, 1.1, None],), kwargs={"loss": 0.2}),
    "syn_option_table": Baseline(args=(SEGMENTS[0],)),
    "timeline_rows": Baseline(args=(SEGMENTS,)),
    "trace_table": Baseline(args=(TRACE,)),
}
