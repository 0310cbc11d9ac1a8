"""The real kernel on loopback: SYN schedule, accept queue, resets, /proc readers, probes.

Each test compares the kernel with something derived independently of it: the model's
Linux configuration (written from tcp_timer.c and ip-sysctl), or the RFC's rule.
"""

from __future__ import annotations

import socket
import sys

import pytest

from netlab.probes import sysctl
from netlab.tcp import TcpConfig, TcpConnection, TcpState
from netlab.tcp import probes as tcp_probes
from netlab.tcp.kernel import (
    accept_queue_stall,
    full_listener,
    listen_queue,
    measure_syn_schedule,
    measure_syn_schedules,
)
from netlab.tcp.procfs import netstat_counters, proc_net_tcp
from netlab.tcp.resets import CLOSE_CASES, close_outcome
from netlab.tcp.timewait import reopen_time_wait

LINEAR = sysctl("net.ipv4.tcp_syn_linear_timeouts")
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")
needs_linear = pytest.mark.skipif(not isinstance(LINEAR, int),
                                  reason="this kernel has no tcp_syn_linear_timeouts (< 6.5)")


def model_syn_times(syn_retries: int, linear: int) -> tuple[list[float], float]:
    """Resend times and give-up time of netlab.tcp's model with Linux's rules."""
    client = TcpConnection(isn=1, config=TcpConfig(syn_retries=syn_retries,
                                                   syn_linear_timeouts=linear))
    client.connect(now=0.0)
    resent = []
    while client.state is TcpState.SYN_SENT:
        now = client.timer_deadline()
        if client.on_timer(now=now).segments:
            resent.append(now)
    return resent, now


@needs_linear
def test_the_kernels_syn_schedule_matches_the_linux_model() -> None:
    measured = measure_syn_schedule(1, timeout_s=6.0)
    resent, failed_at = model_syn_times(1, LINEAR)
    assert measured.error == "ETIMEDOUT"
    assert measured.retransmissions == measured.resends == len(resent)
    assert [round(t) for t in measured.resent_at_s] == resent
    assert measured.failed_after_s is not None and round(measured.failed_after_s) == failed_at
    assert all(t >= m for t, m in zip(measured.resent_at_s, resent, strict=True))  # never early


def test_a_measurement_that_runs_out_of_time_says_so() -> None:
    measured = measure_syn_schedule(2, timeout_s=0.5)
    assert measured.failed_after_s is None and measured.error is None
    assert measured.resends == 0


@needs_linear
def test_a_full_accept_queue_stalls_connect_until_the_next_syn() -> None:
    run = accept_queue_stall(accept_after_s=1.5)
    assert run.queued_before.waiting == run.backlog + 1 == 1
    resent, _ = model_syn_times(6, LINEAR)
    first_after_accept = next(t for t in resent if t > run.accepted_at_s)
    assert run.connected_after_s is not None and round(run.connected_after_s) == first_after_accept
    assert run.syn_retransmissions == resent.index(first_after_accept) + 1
    if run.counters_grew is not None:
        assert run.counters_grew == {"ListenOverflows": True, "ListenDrops": True}


def test_listener_reports_its_queue_and_the_somaxconn_cap() -> None:
    with full_listener(backlog=2) as listener:
        assert listen_queue(listener) == listen_queue(listener)
        assert listen_queue(listener).waiting == 3 and listen_queue(listener).backlog == 2
    assert tcp_probes.listen_backlog_cap() == sysctl("net.core.somaxconn")
    assert tcp_probes.accept_queue_extra() == 1
    with socket.socket() as plain, pytest.raises(ValueError, match="must be a listening"):
        listen_queue(plain)


def test_closing_with_unread_data_or_linger_zero_sends_a_reset() -> None:
    outcomes = {case: close_outcome(case) for case in CLOSE_CASES}
    fin = outcomes["close() after reading everything"]
    assert fin.server_state == "FIN_WAIT2" and fin.recvs == ("EOF", "EOF")
    assert fin.sends == ("ok", "EPIPE")  # the write is answered with a RST
    for case in ("close() with unread data", "SO_LINGER 0, then close()"):
        assert outcomes[case].server_state == "gone"  # a RST leaves no TIME-WAIT
        assert outcomes[case].recvs[0] == "ECONNRESET" and outcomes[case].sends[0] == "EPIPE"
        assert outcomes[case].counter_grew in (True, None)
    late = outcomes["response, then close() with unread data"]
    assert late.recvs == ("40 bytes", "ECONNRESET")  # Linux keeps what already arrived


def test_proc_readers_see_a_time_wait_socket_and_the_counters() -> None:
    assert tcp_probes.time_wait_timer_s() == 60
    counters = netstat_counters()
    assert counters is not None and {"ListenOverflows", "ListenDrops", "TCPAbortOnClose"} <= set(
        counters)
    assert all(isinstance(s.state, str) for s in proc_net_tcp() or [])


def test_probes_of_the_handshake_facts() -> None:
    assert tcp_probes.keepalive_default() is False
    assert tcp_probes.rst_on_close_with_unread_data() == "ECONNRESET"
    if isinstance(LINEAR, int):
        assert tcp_probes.syn_rto_after_first_timeout() == (1.0 if LINEAR else 2.0)


def test_a_time_wait_4_tuple_can_be_connected_again_from_either_side() -> None:
    server_side = reopen_time_wait("server")  # RFC 6191: the SYN's newer timestamp reopens it
    assert server_side.in_time_wait in (True, None)
    assert server_side.plain_bind == "ok" and server_side.connected and server_side.same_4_tuple
    client_side = reopen_time_wait("client")  # bind() + SO_REUSEADDR, then tcp_twsk_unique
    assert client_side.in_time_wait in (True, None)
    assert client_side.plain_bind == "EADDRINUSE"
    assert client_side.connected and client_side.same_4_tuple


@pytest.mark.parametrize(("call", "name"), [
    (lambda: measure_syn_schedule(0), "syn_count"),
    (lambda: measure_syn_schedule(128), "syn_count"),
    (lambda: measure_syn_schedule(1.5), "syn_count"),
    (lambda: measure_syn_schedule(1, timeout_s=float("nan")), "timeout_s"),
    (lambda: measure_syn_schedule(1, timeout_s=1e12), "timeout_s"),
    (lambda: measure_syn_schedules([]), "syn_counts"),
    (lambda: measure_syn_schedules([1, 0]), "syn_counts"),
    (lambda: accept_queue_stall(backlog=-1), "backlog"),
    (lambda: accept_queue_stall(accept_after_s=float("inf")), "accept_after_s"),
    (lambda: accept_queue_stall(accept_after_s=None), "accept_after_s"),
])
def test_the_long_measurements_refuse_bad_arguments_by_name(call: object, name: str) -> None:
    # these wait on the kernel's 1 s SYN timer, so the fuzz test leaves them out
    with pytest.raises(ValueError, match=f": {name}"):
        call()  # type: ignore[operator]
