"""The handshake under loss: RFC 6298 backoff, scenarios, and simulation against the formula."""

from __future__ import annotations

import math
import statistics

import pytest

from netlab.tcp import Connected, TcpConfig, TcpState
from netlab.tcp.loss import (
    backoff_schedule,
    connect_time_distribution,
    connect_time_std,
    connect_times,
    expected_connect_time,
    give_up_after_s,
    handshake_scenario,
)


def test_backoff_schedule_doubles_from_one_second() -> None:
    assert backoff_schedule(6) == [0.0, 1.0, 3.0, 7.0, 15.0, 31.0, 63.0]
    assert backoff_schedule(3, initial_rto_s=1.0, max_rto_s=2.0) == [0.0, 1.0, 3.0, 5.0]


def test_give_up_times_match_linux_defaults() -> None:
    assert give_up_after_s(6) == 127.0  # tcp_syn_retries = 6
    assert give_up_after_s(5) == 63.0  # tcp_synack_retries = 5
    assert (give_up_after_s(1), give_up_after_s(2)) == (3.0, 7.0)  # TCP_SYNCNT = 1, 2


@pytest.mark.parametrize(("lost", "client_up", "server_up", "segments"), [
    ("none", 0.1, 0.15, 3), ("SYN", 1.1, 1.15, 4), ("SYN-ACK", 1.1, 1.15, 7),
    ("ACK", 0.1, 1.15, 5)])
def test_each_lost_segment_costs_one_rto(lost: str, client_up: float, server_up: float,
                                         segments: int) -> None:
    trace = handshake_scenario(lost)
    assert trace.first_time("client", Connected) == pytest.approx(client_up)
    assert trace.first_time("server", Connected) == pytest.approx(server_up)
    assert len(trace.segments()) == segments
    last = trace.rows[-1]
    assert (last.client_state, last.server_state) == (TcpState.ESTABLISHED,) * 2


def test_distribution_sums_to_one_and_mean_matches_closed_form() -> None:
    p, rtt = 0.2, 0.1
    dist = connect_time_distribution(loss=p, rtt_s=rtt)
    assert math.isclose(sum(q for _, q in dist), 1.0)
    closed_form = sum(p**k * (1 - p) * (2**k - 1 + rtt) for k in range(7)) / (1 - p**7)
    assert expected_connect_time(loss=p, rtt_s=rtt) == pytest.approx(closed_form)
    assert expected_connect_time(loss=0.0, rtt_s=rtt) == pytest.approx(rtt)


def test_simulated_outcomes_and_mean_agree_with_the_formula() -> None:
    trials = 4000
    for p in (0.1, 0.3):
        ok = [t for t in connect_times(loss_c2s=p, trials=trials, seed=7) if t is not None]
        for time_s, prob in connect_time_distribution(loss=p, rtt_s=0.1)[:3]:
            count = sum(1 for t in ok if t == pytest.approx(time_s))
            sigma = math.sqrt(trials * prob * (1 - prob))
            assert abs(count - trials * prob) < 4 * sigma, (p, time_s, count)
        # the mean has a heavy tail (a 63 s outcome is rare but huge): allow 5 standard errors
        tolerance = 5 * connect_time_std(loss=p, rtt_s=0.1) / math.sqrt(len(ok))
        assert abs(statistics.fmean(ok) - expected_connect_time(loss=p, rtt_s=0.1)) < tolerance


def test_server_retransmissions_make_two_way_loss_cheaper_than_independent_attempts() -> None:
    p = 0.3
    times = [t for t in connect_times(loss_c2s=p, loss_s2c=p, trials=3000, seed=1) if t]
    q = 1 - (1 - p) ** 2  # an attempt fails if either the SYN or the SYN-ACK is lost
    independent = expected_connect_time(loss=q, rtt_s=0.1)
    assert statistics.fmean(times) < independent


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="backoff_schedule: retries: Input should be greater than or equal"):
        backoff_schedule(-1)
    with pytest.raises(ValueError, match="expected_connect_time: loss: Input should be less than 1"):
        expected_connect_time(loss=1.0, rtt_s=0.1)
    with pytest.raises(ValueError, match="expected_connect_time: rtt_s: Input should be greater than 0"):
        expected_connect_time(loss=0.1, rtt_s=0.0)
    with pytest.raises(ValueError, match="handshake_scenario: lost: must be one of"):
        handshake_scenario("FIN")
    with pytest.raises(ValueError, match="connect_times: trials: Input should be greater than or equal to 1"):
        connect_times(loss_c2s=0.1, trials=0)
    with pytest.raises(ValueError, match="expected_connect_time: config: Input should be an instance"):
        expected_connect_time(loss=0.1, rtt_s=0.1, config="linux")
    assert expected_connect_time(loss=0.0, rtt_s=0.2, config=TcpConfig()) == pytest.approx(0.2)


def test_text_summary_and_plot_helpers() -> None:
    from netlab.tcp.loss import (
        final_ack_lost_mermaid,
        plot_mean_connect_time,
        show_connect_times,
        summarize_connect_times,
        syn_ack_lost_mermaid,
    )

    text = show_connect_times(0.2, trials=300, seed=3)
    assert text.startswith("loss rate 0.20, 300 handshakes") and "formula 0.431 s" in text
    assert "(lost)" in syn_ack_lost_mermaid() and "(lost)" in final_ack_lost_mermaid()
    with pytest.raises(ValueError, match="summarize_connect_times: times: List should have at least 1 item"):
        summarize_connect_times([], loss=0.1)
    with pytest.raises(ValueError, match="plot_mean_connect_time: means: List should have at least"):
        plot_mean_connect_time([0.1], [])
    with pytest.raises(ValueError, match="plot_mean_connect_time: means: must have one value"):
        plot_mean_connect_time([0.1, 0.2], [1.0])
