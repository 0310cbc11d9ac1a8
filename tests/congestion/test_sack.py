"""The SACK scoreboard, RACK's loss detection and PRR, step by step and in the simulator."""

from __future__ import annotations

import pytest

from netlab.congestion import simulate
from netlab.congestion.rate import DeliveryRate
from netlab.congestion.sack import Scoreboard

MSS = 1000


def test_scoreboard_counts_the_pipe_and_marks_a_hole_lost_by_time() -> None:
    board = Scoreboard(MSS)
    for i in range(5):  # segments 0..4 sent at t = 0, 0.001, ...
        board.on_sent(i * MSS, now=i * 0.001)
    assert board.pipe_segments(5) == 5
    # Segment 0 is lost; 1, 2 and 3 arrive and are SACKed, about one RTT (0.1 s) later.
    for i in (1, 2, 3):
        assert board.on_sack(i * MSS)
        board.on_delivered_sent_at(i * MSS, i * 0.001, now=0.1 + i * 0.001)
    assert board.pipe_segments(5) == 2  # 0 and 4 are still counted as in the network
    # Three SACKs and no reordering seen: the reordering window is zero (RFC 8985 §6.2),
    # so segment 0, sent before the newest delivered one and older than its RTT, is lost.
    lost, deadline = board.detect_losses(now=0.104, in_recovery=False)
    assert (lost, deadline) == (1, None)
    assert board.lost == {0} and board.next_to_resend() == 0
    assert board.pipe_segments(5) == 1  # only segment 4
    board.on_sent(0, now=0.104)  # the retransmission
    assert board.rexmit == {0} and board.next_to_resend() is None
    assert board.pipe_segments(5) == 2
    # The retransmission fills the hole: the cumulative ACK covers 0..3.
    newly = board.on_cumulative_ack(0, 4 * MSS)
    assert newly == [0]  # 1..3 were already SACKed, so only 0 is newly delivered
    assert board.sacked == set() and board.lost == set() and board.pipe_segments(1) == 1


def test_before_three_sacks_rack_waits_a_quarter_rtt() -> None:
    board = Scoreboard(MSS)
    board.on_sent(0, now=0.0)
    board.on_sent(MSS, now=0.001)
    board.on_sack(MSS)
    board.on_delivered_sent_at(MSS, 0.001, now=0.101)
    lost, deadline = board.detect_losses(now=0.101, in_recovery=False)
    # One SACK only: the reordering window is min_RTT/4 = 25 ms.
    assert lost == 0 and deadline == pytest.approx(0.0 + 0.1 + 0.025)
    assert board.detect_losses(now=deadline, in_recovery=False) == (1, None)


def test_an_rto_marks_everything_not_sacked_lost() -> None:
    board = Scoreboard(MSS)
    for i in range(4):
        board.on_sent(i * MSS, now=0.0)
    board.on_sack(2 * MSS)
    board.mark_all_lost(0, 4 * MSS)
    assert board.lost == {0, MSS, 3 * MSS} and board.pipe_segments(4) == 0
    assert [board.next_to_resend()] == [0]


def test_delivery_rate_takes_the_longer_of_send_and_ack_intervals() -> None:
    rate = DeliveryRate()
    rate.on_sent(0, now=0.0, nothing_in_flight=True)
    rate.on_sent(MSS, now=0.01, nothing_in_flight=False)
    # Both delivered by one ACK at 0.11: 2000 bytes since the first send (delivered = 0 then).
    assert rate.on_delivered(0, MSS) == MSS and rate.on_delivered(MSS, MSS) == MSS
    prior, bytes_per_s = rate.sample(now=0.11, min_rtt_s=0.1)
    # The sampled segment is the most recently sent one (sent at 0.01): send interval 0.01,
    # ACK interval 0.11 - 0.0 = 0.11; the longer one is used.
    assert prior == 0 and bytes_per_s == pytest.approx(2 * MSS / 0.11)
    assert rate.on_delivered(0, MSS) == 0  # counted once
    rate.on_sent(2 * MSS, now=0.11, nothing_in_flight=True)
    rate.on_delivered(2 * MSS, MSS)
    assert rate.sample(now=0.12, min_rtt_s=0.1)[1] is None  # shorter than min RTT: discarded


def test_one_loss_with_sack_is_repaired_by_recovery_and_prr_lands_on_ssthresh() -> None:
    trace = simulate(algorithm="reno", rtt_s=0.1, mss_bytes=MSS, loss_rate=0.001,
                     loss_model="periodic", duration_s=1.0, sample_interval_s=0.01)
    first = [e for e in trace.events if e.seq == 999 * MSS]
    assert [e.kind for e in first] == ["drop_random", "fast_retransmit"]
    # Detected as soon as three later segments are SACKed: about one RTT after the drop.
    assert first[1].now - first[0].now == pytest.approx(0.1, abs=0.005)
    kinds = [e.kind for e in trace.events]
    assert "recovery_exit" in kinds and "timeout" not in kinds
    exit_time = next(e.now for e in trace.events if e.kind == "recovery_exit")
    after = next(s for s in trace.samples if s.now > exit_time)
    during = [s for s in trace.samples if first[1].now < s.now < exit_time]
    assert during and all(s.state == "recovery" for s in during)
    # PRR lets cwnd fall gradually during recovery and ends it at ssthresh.
    assert after.cwnd_bytes == pytest.approx(after.ssthresh_bytes, rel=0.01)
    assert max(s.cwnd_bytes for s in during) > after.ssthresh_bytes


def test_sack_repairs_a_burst_of_losses_faster_than_newreno() -> None:
    def recovery_time(sack: bool) -> float:
        trace = simulate(rtt_s=0.05, mss_bytes=MSS, bottleneck_bps=5e6, queue_packets=150,
                         duration_s=20.0, sack=sack)
        events = [e for e in trace.events if e.kind in ("fast_retransmit", "recovery_exit")]
        assert events[0].kind == "fast_retransmit" and trace.delivered_in_order
        return events[1].now - events[0].now

    with_sack, newreno = recovery_time(True), recovery_time(False)
    # Slow start's overshoot drops about a hundred segments at once: NewReno repairs one
    # hole per round trip, SACK all of them within a few.
    assert with_sack < 1.0 < newreno


def test_delayed_acks_slow_per_ack_growth_to_one_and_a_half() -> None:
    trace = simulate(algorithm="reno", rtt_s=0.1, mss_bytes=MSS, duration_s=0.55,
                     sample_interval_s=0.05, ack_every=2, byte_counting=False)
    cwnds = [round(s.cwnd_bytes / MSS) for s in trace.samples[1::2]]
    assert cwnds == [10, 15, 23, 35, 52, 78]
    by_byte = simulate(algorithm="reno", rtt_s=0.1, mss_bytes=MSS, duration_s=0.55,
                       sample_interval_s=0.05, ack_every=2)
    assert [round(s.cwnd_bytes / MSS) for s in by_byte.samples[1::2]] == [10, 20, 40, 80, 160, 320]
