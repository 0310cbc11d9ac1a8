"""Scenario tests: walk each path of RFC 9293 step by step, asserting both states each time."""

from __future__ import annotations

import pytest

from netlab.tcp import (
    LINUX_CONFIG,
    RFC_MSL_S,
    Connected,
    ConnectionClosed,
    ConnectionRefused,
    ConnectionReset,
    DataReceived,
    PeerClosed,
    Retransmitted,
    Segment,
    StateChanged,
    Step,
    TcpConfig,
    TcpConnection,
    TcpProtocolError,
    TcpState,
    TimedOut,
)

S = TcpState


def pair(*, client_isn: int = 100, server_isn: int = 300,
         **kw: object) -> tuple[TcpConnection, TcpConnection]:
    """A client and a listening server."""
    client, server = TcpConnection(isn=client_isn, **kw), TcpConnection(isn=server_isn, **kw)
    server.listen(now=0.0)
    return client, server


def only(step: Step) -> Segment:
    """The single segment of a step."""
    assert len(step.segments) == 1, step.segments
    return step.segments[0]


def states(client: TcpConnection, server: TcpConnection) -> tuple[TcpState, TcpState]:
    """Both states, client first."""
    return client.state, server.state


def established(client_isn: int = 100, server_isn: int = 300,
                **kw: object) -> tuple[TcpConnection, TcpConnection]:
    """A pair that has completed the handshake at t=0."""
    client, server = pair(client_isn=client_isn, server_isn=server_isn, **kw)
    syn = only(client.connect(now=0.0))
    syn_ack = only(server.receive(syn, now=0.0))
    ack = only(client.receive(syn_ack, now=0.0))
    assert server.receive(ack, now=0.0).segments == []
    assert states(client, server) == (TcpState.ESTABLISHED, TcpState.ESTABLISHED)
    return client, server


def test_active_and_passive_open_step_by_step() -> None:
    client, server = pair(client_isn=100, server_isn=300)
    assert states(client, server) == (S.CLOSED, S.LISTEN)
    syn = only(client.connect(now=0.0))
    assert (syn.flags, syn.seq) == ("S", 100)
    assert states(client, server) == (S.SYN_SENT, S.LISTEN)
    step = server.receive(syn, now=0.05)
    syn_ack = only(step)
    assert (syn_ack.flags, syn_ack.seq, syn_ack.ack) == ("SA", 300, 101)
    assert step.events == [StateChanged(S.LISTEN, S.SYN_RECEIVED)]
    assert states(client, server) == (S.SYN_SENT, S.SYN_RECEIVED)
    step = client.receive(syn_ack, now=0.1)
    ack = only(step)
    assert (ack.flags, ack.seq, ack.ack) == ("A", 101, 301)
    assert Connected() in step.events
    assert states(client, server) == (S.ESTABLISHED, S.SYN_RECEIVED)
    step = server.receive(ack, now=0.15)
    assert step.segments == [] and Connected() in step.events
    assert states(client, server) == (S.ESTABLISHED, S.ESTABLISHED)


def test_data_transfer_numbers_follow_the_bytes() -> None:
    client, server = established(client_isn=100, server_isn=300)
    data = only(client.send(b"hello", now=1.0))
    assert (data.flags, data.seq, data.ack, data.payload) == ("PA", 101, 301, b"hello")
    step = server.receive(data, now=1.05)
    assert step.events == [DataReceived(b"hello")]
    ack = only(step)
    assert (ack.flags, ack.seq, ack.ack) == ("A", 301, 106)
    assert client.receive(ack, now=1.1).segments == []
    assert client.snd_una == client.snd_nxt == 106
    assert client.timer_deadline() is None  # everything acknowledged: no timer runs
    assert states(client, server) == (S.ESTABLISHED, S.ESTABLISHED)


def test_send_splits_into_mss_sized_segments() -> None:
    client, _ = established(config=TcpConfig(mss_bytes=4))
    segs = client.send(b"abcdefghij", now=1.0).segments
    assert [s.payload for s in segs] == [b"abcd", b"efgh", b"ij"]
    assert [s.seq for s in segs] == [101, 105, 109]


def test_active_and_passive_close_four_segments() -> None:
    client, server = established()
    fin = only(client.close(now=2.0))
    assert (fin.flags, fin.seq, fin.ack) == ("FA", 101, 301)
    assert states(client, server) == (S.FIN_WAIT_1, S.ESTABLISHED)
    step = server.receive(fin, now=2.05)
    ack_of_fin = only(step)
    assert PeerClosed() in step.events and ack_of_fin.ack == 102
    assert states(client, server) == (S.FIN_WAIT_1, S.CLOSE_WAIT)
    assert client.receive(ack_of_fin, now=2.1).segments == []
    assert states(client, server) == (S.FIN_WAIT_2, S.CLOSE_WAIT)
    server_fin = only(server.close(now=3.0))
    assert (server_fin.flags, server_fin.seq, server_fin.ack) == ("FA", 301, 102)
    assert states(client, server) == (S.FIN_WAIT_2, S.LAST_ACK)
    last_ack = only(client.receive(server_fin, now=3.05))
    assert (last_ack.flags, last_ack.ack) == ("A", 302)
    assert states(client, server) == (S.TIME_WAIT, S.LAST_ACK)
    step = server.receive(last_ack, now=3.1)
    assert ConnectionClosed() in step.events
    assert states(client, server) == (S.TIME_WAIT, S.CLOSED)


def test_time_wait_lasts_two_msl_rfc_and_linux() -> None:
    for config, expected_s in ((TcpConfig(), 2 * RFC_MSL_S), (LINUX_CONFIG, 60.0)):
        client, server = established(config=config)
        server.receive(only(client.close(now=10.0)), now=10.0)
        client.receive(only(server.close(now=10.0)), now=11.0)
        assert client.state is S.TIME_WAIT
        assert client.timer_deadline() == 11.0 + expected_s
        assert client.on_timer(now=11.0 + expected_s - 0.001).events == []
        assert client.state is S.TIME_WAIT
        step = client.on_timer(now=11.0 + expected_s)
        assert ConnectionClosed() in step.events and client.state is S.CLOSED
    assert 2 * RFC_MSL_S == 240.0


def test_lost_final_ack_fin_is_retransmitted_and_time_wait_restarts() -> None:
    client, server = established()
    client.receive(only(server.receive(only(client.close(now=0.0)), now=0.0)), now=0.0)
    assert states(client, server) == (S.FIN_WAIT_2, S.CLOSE_WAIT)
    server_fin = only(server.close(now=1.0))
    only(client.receive(server_fin, now=1.0))  # this final ACK is lost on the way
    assert states(client, server) == (S.TIME_WAIT, S.LAST_ACK)
    assert server.timer_deadline() == 2.0  # RTO = 1 s after the FIN
    step = server.on_timer(now=2.0)
    again = only(step)
    assert (again.flags, again.seq) == ("FA", server_fin.seq)
    assert Retransmitted("FA", 1) in step.events and server.state is S.LAST_ACK
    re_ack = only(client.receive(again, now=2.0))
    assert client.timer_deadline() == 2.0 + 240.0  # the 2 MSL timer starts over
    assert client.state is S.TIME_WAIT
    server.receive(re_ack, now=2.0)
    assert states(client, server) == (S.TIME_WAIT, S.CLOSED)


def test_simultaneous_close_goes_through_closing_on_both_sides() -> None:
    client, server = established()
    fin_c, fin_s = only(client.close(now=1.0)), only(server.close(now=1.0))
    assert states(client, server) == (S.FIN_WAIT_1, S.FIN_WAIT_1)
    ack_c, ack_s = only(client.receive(fin_s, now=1.05)), only(server.receive(fin_c, now=1.05))
    assert states(client, server) == (S.CLOSING, S.CLOSING)
    client.receive(ack_s, now=1.1)
    assert states(client, server) == (S.TIME_WAIT, S.CLOSING)
    server.receive(ack_c, now=1.1)
    assert states(client, server) == (S.TIME_WAIT, S.TIME_WAIT)


def test_three_segment_close_when_the_ack_rides_on_the_fin() -> None:
    client, server = established(config=TcpConfig(fin_ack_delay_s=0.04))
    fin = only(client.close(now=1.0))
    step = server.receive(fin, now=1.05)
    assert step.segments == [] and server.state is S.CLOSE_WAIT  # the ACK is held back
    assert server.timer_deadline() == pytest.approx(1.09)
    fin_ack = only(server.close(now=1.06))
    assert (fin_ack.flags, fin_ack.ack) == ("FA", 102)
    assert server.timer_deadline() == pytest.approx(2.06)  # only the FIN's RTO is left
    last = only(client.receive(fin_ack, now=1.11))
    assert states(client, server) == (S.TIME_WAIT, S.LAST_ACK)
    server.receive(last, now=1.16)
    assert states(client, server) == (S.TIME_WAIT, S.CLOSED)


def test_delayed_ack_of_fin_fires_on_its_timer() -> None:
    client, server = established(config=TcpConfig(fin_ack_delay_s=0.04))
    server.receive(only(client.close(now=1.0)), now=1.0)
    ack = only(server.on_timer(now=1.04))
    assert (ack.flags, ack.ack, server.state) == ("A", 102, S.CLOSE_WAIT)


def test_half_close_data_flows_after_the_first_fin() -> None:
    client, server = established()
    client.receive(only(server.receive(only(client.close(now=1.0)), now=1.0)), now=1.0)
    assert states(client, server) == (S.FIN_WAIT_2, S.CLOSE_WAIT)
    data = only(server.send(b"late reply", now=2.0))
    step = client.receive(data, now=2.0)
    assert DataReceived(b"late reply") in step.events
    assert states(client, server) == (S.FIN_WAIT_2, S.CLOSE_WAIT)
    server.receive(only(step), now=2.0)
    with pytest.raises(TcpProtocolError, match="send is not allowed in FIN-WAIT-2"):
        client.send(b"no", now=2.0)
    client.receive(only(server.close(now=3.0)), now=3.0)
    assert states(client, server) == (S.TIME_WAIT, S.LAST_ACK)


def test_simultaneous_open() -> None:
    a, b = TcpConnection(isn=100), TcpConnection(isn=300)
    syn_a, syn_b = only(a.connect(now=0.0)), only(b.connect(now=0.0))
    assert (a.state, b.state) == (S.SYN_SENT, S.SYN_SENT)
    sa_a, sa_b = only(a.receive(syn_b, now=0.05)), only(b.receive(syn_a, now=0.05))
    assert (sa_a.flags, sa_a.seq, sa_a.ack) == ("SA", 100, 301)
    assert (a.state, b.state) == (S.SYN_RECEIVED, S.SYN_RECEIVED)
    assert a.receive(sa_b, now=0.1).segments == [] and b.receive(sa_a, now=0.1).segments == []
    assert (a.state, b.state) == (S.ESTABLISHED, S.ESTABLISHED)
    assert a.snd_nxt == 101 and a.rcv_nxt == 301


def test_rst_in_established_closes_both() -> None:
    client, server = established()
    rst = only(client.abort(now=1.0))
    assert rst.flags == "RA" and client.state is S.CLOSED
    step = server.receive(rst, now=1.0)
    assert ConnectionReset() in step.events and server.state is S.CLOSED


def test_rst_in_syn_received_returns_a_passive_open_to_listen() -> None:
    client, server = pair()
    server.receive(only(client.connect(now=0.0)), now=0.0)
    assert server.state is S.SYN_RECEIVED
    server.receive(Segment(101, 301, "RA"), now=0.1)
    assert server.state is S.LISTEN and server.timer_deadline() is None


def test_rst_in_syn_received_after_active_open_is_refused() -> None:
    a, b = TcpConnection(isn=100), TcpConnection(isn=300)
    a.connect(now=0.0)
    a.receive(only(b.connect(now=0.0)), now=0.05)  # simultaneous open: a came from SYN-SENT
    assert a.state is S.SYN_RECEIVED
    step = a.receive(Segment(301, 101, "RA"), now=0.1)
    assert ConnectionRefused() in step.events and a.state is S.CLOSED


def test_rst_answering_a_syn_means_refused() -> None:
    client = TcpConnection(isn=100)
    client.connect(now=0.0)
    step = client.receive(Segment(0, 101, "RA"), now=0.1)
    assert ConnectionRefused() in step.events and client.state is S.CLOSED
    with pytest.raises(TcpProtocolError, match="does not acknowledge our SYN"):
        other = TcpConnection(isn=5)
        other.connect(now=0.0)
        other.receive(Segment(0, 999, "RA"), now=0.1)


def test_syn_retransmission_follows_rfc6298_and_gives_up_after_127_s() -> None:
    client = TcpConnection(isn=100)
    syn = only(client.connect(now=0.0))
    sent_at = [0.0]
    while client.state is S.SYN_SENT:
        now = client.timer_deadline()
        step = client.on_timer(now=now)
        if step.segments:
            assert only(step) == syn
            sent_at.append(now)
    assert sent_at == [0.0, 1.0, 3.0, 7.0, 15.0, 31.0, 63.0]  # Linux tcp_syn_retries = 6
    assert now == 127.0 and client.state is S.CLOSED


@pytest.mark.parametrize(("syn_retries", "give_up_s"), [(1, 3.0), (2, 7.0), (6, 127.0)])
def test_tcp_syncnt_give_up_times(syn_retries: int, give_up_s: float) -> None:
    client = TcpConnection(isn=1, config=TcpConfig(syn_retries=syn_retries))
    client.connect(now=0.0)
    while client.state is S.SYN_SENT:
        now = client.timer_deadline()
        step = client.on_timer(now=now)
    assert TimedOut() in step.events and now == give_up_s


def syn_times(config: TcpConfig) -> tuple[list[float], float]:
    """When a lone SYN and its retransmissions leave, and when the endpoint gives up."""
    client = TcpConnection(isn=1, config=config)
    client.connect(now=0.0)
    sent_at = [0.0]
    while client.state is S.SYN_SENT:
        now = client.timer_deadline()
        step = client.on_timer(now=now)
        if step.segments:
            sent_at.append(now)
    assert TimedOut() in step.events
    return sent_at, now


def test_linux_syn_linear_timeouts_match_the_kernel_documentation() -> None:
    # ip-sysctl (Linux 6.18): with tcp_syn_retries = 6 and tcp_syn_linear_timeouts = 4 the last
    # SYN leaves at 67 s and the attempt fails at 131 s; RTOs 1, 1, 1, 1, 1, 2, 4, ...
    sent_at, failed_at = syn_times(LINUX_CONFIG)
    assert sent_at == [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 7.0, 11.0, 19.0, 35.0, 67.0]
    assert failed_at == 131.0


@pytest.mark.parametrize(("syn_retries", "resends", "failed_at_s"),
                         [(1, 2, 3.0), (2, 5, 7.0), (3, 7, 19.0)])
def test_linux_gives_up_a_small_syncnt_on_elapsed_time(syn_retries: int, resends: int,
                                                        failed_at_s: float) -> None:
    # tcp_write_timeout: the linear timeouts add to the count, but retransmits_timed_out()
    # also ends the attempt once syn_retries doubling RTOs' worth of time has passed, checked
    # only when the timer fires. Measured on Linux 6.18 loopback: 2 resends and ETIMEDOUT at
    # 3.06 s, 5 and 7.12 s, 7 and 19.5 s (TCP_SYNCNT = 1, 2, 3).
    config = TcpConfig(syn_retries=syn_retries, syn_linear_timeouts=4)
    sent_at, failed_at = syn_times(config)
    assert (len(sent_at) - 1, failed_at) == (resends, failed_at_s)
    assert config.syn_time_budget_s == 2 ** (syn_retries + 1) - 1


def synack_times(config: TcpConfig | None = None) -> tuple[list[float], float, TcpState]:
    """A server's SYN-ACK retransmissions to a client that never answers, and its end."""
    client, server = pair(config=config)
    server.receive(only(client.connect(now=0.0)), now=0.0)
    times = []
    while server.state is S.SYN_RECEIVED:
        now = server.timer_deadline()
        if server.on_timer(now=now).segments:
            times.append(now)
    return times, now, server.state


def test_linear_timeouts_do_not_touch_the_syn_ack_or_data_timers() -> None:
    assert synack_times(LINUX_CONFIG) == synack_times()


def test_synack_retransmission_gives_up_after_63_s() -> None:
    # tcp_synack_retries = 5; the request is dropped and the listener stays
    assert synack_times() == ([1.0, 3.0, 7.0, 15.0, 31.0], 63.0, S.LISTEN)


def test_a_listener_that_gave_up_on_a_request_takes_the_next_syn() -> None:
    client, server = pair()
    syn = only(client.connect(now=0.0))
    server.receive(syn, now=0.0)
    while server.state is S.SYN_RECEIVED:
        server.on_timer(now=server.timer_deadline())
    assert only(server.receive(syn, now=70.0)).flags == "SA" and server.state is S.SYN_RECEIVED


def test_a_segment_for_no_connection_is_answered_with_a_reset() -> None:
    closed = TcpConnection(isn=7)
    step = closed.receive(Segment(100, 0, "S"), now=0.0)  # RFC 9293 §3.10.7.1
    assert step.segments == [Segment(0, 101, "RA", 0)] and closed.state is S.CLOSED
    assert only(closed.receive(Segment(5, 900, "PA", payload=b"x"), now=0.1)) == Segment(
        900, 0, "R", 0)
    assert closed.receive(Segment(5, 0, "R"), now=0.2).segments == []
    client = TcpConnection(isn=100)
    client.connect(now=0.0)
    refused = client.receive(Segment(0, 101, "RA", 0), now=0.3)
    assert ConnectionRefused() in refused.events and client.state is S.CLOSED


def test_protocol_errors_survive_being_copied() -> None:
    err = TcpProtocolError(S.LISTEN, None, "why")
    copy = type(err)(*err.args)  # what simpy does when it re-raises a process's exception
    assert str(copy) == str(err) == "segment is not allowed in LISTEN: why"


def test_duplicate_syn_gets_the_syn_ack_again() -> None:
    client, server = pair()
    syn = only(client.connect(now=0.0))
    first = only(server.receive(syn, now=0.0))
    again = only(server.receive(syn, now=1.0))
    assert again == first and server.state is S.SYN_RECEIVED


def test_lost_syn_ack_then_duplicate_is_reacked_once_established() -> None:
    client, server = pair()
    syn_ack = only(server.receive(only(client.connect(now=0.0)), now=0.0))
    client.receive(syn_ack, now=0.1)
    assert client.state is S.ESTABLISHED
    re_ack = only(client.receive(syn_ack, now=1.1))  # server retransmitted: final ACK was lost
    assert (re_ack.flags, re_ack.ack) == ("A", 301) and client.state is S.ESTABLISHED
    server.receive(re_ack, now=1.2)
    assert server.state is S.ESTABLISHED


def test_rto_is_three_seconds_after_a_lost_syn() -> None:
    client, server = pair()
    syn = only(client.connect(now=0.0))
    client.on_timer(now=1.0)  # the first SYN was lost
    client.receive(only(server.receive(syn, now=1.0)), now=1.1)
    assert client.state is S.ESTABLISHED and client.rto_s == 3.0  # RFC 6298 rule 5.7
    fresh_client, _ = established()
    assert fresh_client.rto_s == 1.0


def test_final_ack_may_carry_data_and_still_establishes() -> None:
    client, server = pair()
    syn_ack = only(server.receive(only(client.connect(now=0.0)), now=0.0))
    client.receive(syn_ack, now=0.1)  # its pure ACK is lost...
    data = only(client.send(b"GET", now=0.1))
    step = server.receive(data, now=0.2)  # ...but the data segment acknowledges the SYN too
    assert server.state is S.ESTABLISHED and DataReceived(b"GET") in step.events


def test_illegal_inputs_raise_and_leave_the_state_unchanged() -> None:
    conn = TcpConnection(isn=1)
    for call in (conn.close, conn.abort):
        with pytest.raises(TcpProtocolError, match="in CLOSED"):
            call(now=0.0)
    with pytest.raises(TcpProtocolError, match="send is not allowed in CLOSED"):
        conn.send(b"x", now=0.0)
    assert conn.receive(Segment(5, 2, "A"), now=0.0).segments == [Segment(2, 0, "R", 0)]
    assert conn.state is S.CLOSED  # no connection: answered with a RST (§3.10.7.1)
    client, server = established()
    with pytest.raises(TcpProtocolError, match="connect is not allowed in ESTABLISHED"):
        client.connect(now=1.0)
    with pytest.raises(TcpProtocolError, match="acknowledges data never sent"):
        server.receive(Segment(101, 999, "A"), now=1.0)
    assert states(client, server) == (S.ESTABLISHED, S.ESTABLISHED)
    assert (server.snd_una, server.snd_nxt, server.rcv_nxt) == (301, 301, 101)


def test_out_of_order_segment_is_reacked_not_accepted() -> None:
    client, server = established()
    step = server.receive(Segment(150, 301, "PA", payload=b"future"), now=1.0)
    assert only(step).ack == 101 and step.events == [] and server.rcv_nxt == 101


def test_bad_arguments_raise_value_error_naming_them() -> None:
    with pytest.raises(ValueError, match="msl_s: Input should be greater than or equal to 0"):
        TcpConfig(msl_s=-1.0)
    with pytest.raises(ValueError, match="initial_rto_s: Input should be greater than 0"):
        TcpConfig(initial_rto_s=0.0)
    with pytest.raises(ValueError, match="max_rto_s must be >= initial_rto_s"):
        TcpConfig(initial_rto_s=3.0, max_rto_s=2.0)
    for name in ("syn_retries", "synack_retries", "retries", "syn_linear_timeouts"):
        with pytest.raises(ValueError, match=f"{name}: Input should be greater than or equal"):
            TcpConfig(**{name: -1})
    with pytest.raises(ValueError, match="isn: Input should be less than or equal"):
        TcpConnection(isn=2**32)
    with pytest.raises(ValueError, match="config: Input should be an instance of TcpConfig"):
        TcpConnection(isn=1, config={"msl_s": 1})
    conn = TcpConnection(isn=1)
    with pytest.raises(ValueError, match="now must be a finite number"):
        conn.listen(now=float("nan"))
    conn.listen(now=5.0)
    with pytest.raises(ValueError, match="now must be >= the previous now"):
        conn.on_timer(now=4.0)
    with pytest.raises(ValueError, match="segment must be a Segment"):
        conn.receive(b"SYN", now=6.0)
    client, _ = established()
    with pytest.raises(ValueError, match="data must be at least 1 byte"):
        client.send(b"", now=1.0)
    with pytest.raises(ValueError, match="data must be bytes"):
        client.send("text", now=1.0)
