"""The simpy path: flow control, loss recovery, saturation, fairness and bad input."""

from __future__ import annotations

import pytest

from netlab.congestion import (
    bdp_bytes,
    simulate,
    simulate_shared,
)

MSS = 1000


def test_slow_start_doubles_cwnd_every_rtt_without_loss() -> None:
    trace = simulate(algorithm="reno", rtt_s=0.1, mss_bytes=MSS, duration_s=0.55,
                     sample_interval_s=0.05)
    # Samples between ACK bursts (at 0.05, 0.15, ...): one flight per RTT, cwnd doubles.
    cwnds = [round(s.cwnd_bytes / MSS) for s in trace.samples[1::2]]
    assert cwnds == [10, 20, 40, 80, 160, 320]
    assert trace.events == []


def test_sender_never_has_more_than_min_cwnd_rwnd_in_flight() -> None:
    trace = simulate(algorithm="reno", rtt_s=0.1, mss_bytes=MSS, rcv_buffer_bytes=8 * MSS,
                     app_read_bps=80e3, duration_s=5.0, sample_interval_s=0.01)
    assert all(s.flight_bytes <= min(s.cwnd_bytes, 8 * MSS) for s in trace.samples)
    assert all(s.rwnd_bytes % MSS == 0 and 0 <= s.rwnd_bytes <= 8 * MSS for s in trace.samples)
    # The application reads 10 kB/s, so it, not the network, sets the pace.
    assert trace.goodput_bps == pytest.approx(80e3, rel=0.05)
    assert trace.delivered_in_order


def test_zero_window_probes_and_reopening_step_by_step() -> None:
    trace = simulate(algorithm="reno", rtt_s=0.1, mss_bytes=MSS, rcv_buffer_bytes=8 * MSS,
                     app_read_bps=160e3, app_pauses_s=[(2.0, 8.0)], duration_s=12.0)
    kinds = [(round(e.now, 2), e.kind) for e in trace.events if e.now > 1.0]
    # The reader stops at 2 s; the buffer fills and the window closes.
    assert kinds[0] == (2.2, "zero_window")
    # The persist timer probes after one RTO (1 s), then backs off to 2 s.
    assert kinds[1:3] == [(3.2, "window_probe"), (5.2, "window_probe")]
    # The reader resumes at 8 s and announces the open window; the sender resumes.
    assert kinds[3:] == [(8.0, "window_update"), (8.05, "window_open")]
    during = [s for s in trace.samples if 2.3 <= s.now <= 7.9]
    assert all(s.rwnd_bytes == 0 and s.flight_bytes == 0 for s in during)
    assert trace.delivered_bytes == pytest.approx(20_000 * 6, abs=MSS)  # 6 s at 20 kB/s
    assert trace.delivered_in_order


def test_without_window_updates_only_the_probes_restart_the_sender() -> None:
    with_updates = simulate(rtt_s=0.1, mss_bytes=MSS, rcv_buffer_bytes=8 * MSS,
                            app_read_bps=160e3, duration_s=12.0)
    without = simulate(rtt_s=0.1, mss_bytes=MSS, rcv_buffer_bytes=8 * MSS,
                       app_read_bps=160e3, duration_s=12.0, window_updates=False)
    assert without.event_counts().get("window_update", 0) == 0
    assert without.event_counts()["window_probe"] >= 3
    assert 0 < without.delivered_bytes < with_updates.delivered_bytes / 2
    assert without.delivered_in_order


def test_one_loss_is_repaired_by_fast_retransmit_not_by_the_timer() -> None:
    trace = simulate(algorithm="reno", rtt_s=0.1, mss_bytes=MSS, loss_rate=0.001,
                     loss_model="periodic", duration_s=1.0, sample_interval_s=0.05,
                     sack=False)
    first = [e for e in trace.events if e.seq == 999 * MSS]
    # The 1000th segment is dropped; three duplicate ACKs come back one RTT later.
    assert [e.kind for e in first] == ["drop_random", "fast_retransmit"]
    assert first[1].now - first[0].now == pytest.approx(0.1, abs=0.005)
    kinds = [e.kind for e in trace.events]
    assert "recovery_exit" in kinds and "timeout" not in kinds
    before = [s for s in trace.samples if s.now < first[1].now][-1]
    after = [s for s in trace.samples if s.now > first[1].now][0]
    assert before.ssthresh_bytes == float("inf")
    # ssthresh = FlightSize / 2 and cwnd = ssthresh (RFC 5681 §3.2), never grown in recovery.
    assert after.cwnd_bytes == after.ssthresh_bytes < before.flight_bytes


def test_a_lost_retransmission_needs_the_timer_and_backs_off() -> None:
    trace = simulate(algorithm="reno", rtt_s=0.05, mss_bytes=MSS, loss_rate=0.3,
                     duration_s=20.0, seed=3)
    counts = trace.event_counts()
    assert counts["timeout"] > 0
    assert min(s.cwnd_bytes for s in trace.samples) == MSS
    assert trace.delivered_in_order and trace.delivered_bytes > 0


def test_same_seed_same_trace_other_seed_other_trace() -> None:
    a = simulate(loss_rate=0.02, duration_s=20.0, seed=1)
    b = simulate(loss_rate=0.02, duration_s=20.0, seed=1)
    c = simulate(loss_rate=0.02, duration_s=20.0, seed=2)
    assert a.events == b.events and a.samples == b.samples
    assert a.events != c.events


def test_goodput_saturates_at_the_bottleneck_once_the_window_passes_the_bdp() -> None:
    bdp = bdp_bytes(bottleneck_bps=10e6, rtt_s=0.05)  # 62 500 bytes
    small = simulate(rtt_s=0.05, mss_bytes=MSS, bottleneck_bps=10e6, queue_packets=200,
                     rcv_buffer_bytes=int(bdp / 2) // MSS * MSS, duration_s=5.0)
    large = simulate(rtt_s=0.05, mss_bytes=MSS, bottleneck_bps=10e6, queue_packets=200,
                     rcv_buffer_bytes=2 * int(bdp) // MSS * MSS, duration_s=5.0)
    assert small.goodput_bps_between(2, 5) == pytest.approx(31_000 * 8 / 0.0508, rel=0.01)
    assert large.goodput_bps_between(2, 5) == pytest.approx(10e6, rel=0.001)
    # The extra window waits in the queue: RTT = window / rate = 125 000·8 / 10⁷ = 0.1 s.
    assert small.mean_rtt_s(2) == pytest.approx(0.0508, rel=0.01)
    assert large.mean_rtt_s(2) == pytest.approx(0.1, rel=0.01)


def test_a_big_drop_tail_queue_fills_and_the_rtt_grows() -> None:
    short = simulate(rtt_s=0.05, mss_bytes=MSS, bottleneck_bps=10e6, queue_packets=20,
                     duration_s=40.0)
    bloated = simulate(rtt_s=0.05, mss_bytes=MSS, bottleneck_bps=10e6, queue_packets=200,
                       duration_s=40.0)
    assert bloated.mean_rtt_s(10) > 2.5 * short.mean_rtt_s(10)
    assert max(s.queue_packets for s in bloated.samples) == 201  # 200 waiting + 1 sending
    assert short.event_counts()["drop_queue"] > 0


def test_reno_flows_sharing_a_bottleneck_converge_to_equal_shares() -> None:
    shared = simulate_shared(algorithms=("reno",) * 4, rtt_s=0.05, bottleneck_bps=10e6,
                             queue_packets=50, duration_s=120.0, start_gap_s=10.0)
    assert shared.jain_index > 0.98
    assert shared.utilization > 0.95
    # The first flow had the link to itself for 10 s: the others caught up.
    first = shared.flows[0]
    assert first.goodput_bps_between(1, 10) > 0.9e6 * 8


def test_bad_input_raises_value_error_naming_the_argument() -> None:
    cases = [
        (dict(rtt_s=0), "rtt_s: Input should be greater than 0"),
        (dict(rtt_s=-0.1), "rtt_s: Input should be greater than 0"),
        (dict(rtt_s=1e12), "rtt_s: Input should be less than or equal to 10"),
        (dict(mss_bytes=0), "mss_bytes: Input should be greater than or equal to 100"),
        (dict(loss_rate=1.0), "loss_rate: Input should be less than 1"),
        (dict(loss_rate=-0.1), "loss_rate: Input should be greater than or equal to 0"),
        (dict(algorithm="bbr2"), "algorithm: must be one of 'bbr', 'cubic', .*'reno', got 'bbr2'"),
        (dict(algorithm=[]), "algorithm: Input should be a valid string"),
        (dict(duration_s=0), "duration_s: Input should be greater than 0"),
        (dict(bottleneck_bps=-5), "bottleneck_bps: Input should be greater than 0"),
        (dict(app_read_bps=0), "app_read_bps: Input should be greater than 0"),
        (dict(rcv_buffer_bytes=200), "rcv_buffer_bytes: must hold at least one segment"),
        (dict(queue_packets=-1), "queue_packets: Input should be greater than or equal to 0"),
        (dict(seed=-1), "seed: Input should be greater than or equal to 0"),
        (dict(loss_model="bursty"), "loss_model: Input should be 'bernoulli' or 'periodic'"),
        (dict(app_pauses_s=[(2.0, 1.0)]), "app_pauses_s: each pause must end after it starts"),
        (dict(window_updates="yes"), "window_updates: Input should be a valid boolean"),
        (dict(ack_every=3), "ack_every: Input should be 1 or 2"),
        (dict(delayed_ack_s=0.5), "delayed_ack_s: Input should be less than 0.5"),
        (dict(algorithm="bbr", sack=False), "sack: algorithm 'bbr' runs only with the SACK"),
    ]
    for kwargs, message in cases:
        with pytest.raises(ValueError, match=message):
            simulate(**kwargs)
    with pytest.raises(ValueError, match="start_gap_s: must leave the last flow half the run"):
        simulate_shared(algorithms=("reno",) * 3, duration_s=10.0, start_gap_s=5.0)
    with pytest.raises(ValueError, match="bottleneck_bps: Input should be greater than 0"):
        simulate_shared(bottleneck_bps=0)
    with pytest.raises(ValueError, match="bottleneck_bps: Input should be a valid number"):
        simulate_shared(bottleneck_bps=None)  # type: ignore[arg-type]


def test_runs_that_would_take_minutes_are_refused_naming_the_cause() -> None:
    # Each estimate counts the segments the run would send and names what drives them.
    with pytest.raises(ValueError, match="duration_s: would need about .* the largest "
                                         "duration_s allowed .* is about 3"):
        simulate(duration_s=36_000.0)
    with pytest.raises(ValueError, match="rcv_buffer_bytes: would need about .* simulated "
                                         "segments"):
        simulate(rcv_buffer_bytes=10**8)
    with pytest.raises(ValueError, match="mss_bytes: .* the smallest mss_bytes allowed"):
        simulate(mss_bytes=100)
    with pytest.raises(ValueError, match="bottleneck_bps: would need about"):
        simulate(bottleneck_bps=1e11, rcv_buffer_bytes=1 << 30)


def test_trace_helpers_refuse_times_outside_the_run() -> None:
    trace = simulate(duration_s=2.0)
    with pytest.raises(ValueError, match="end_s must be in"):
        trace.goodput_bps_between(1.0, 0.5)
    with pytest.raises(ValueError, match="time must lie within the sampled run"):
        trace.goodput_bps_between(0.0, 3.0)
    with pytest.raises(ValueError, match="start_s must be before the last sample"):
        trace.mean_cwnd_segments(5.0)
    assert trace.goodput_bps_between(0.0, 2.0) == pytest.approx(trace.goodput_bps)
