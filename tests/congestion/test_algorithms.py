"""Reno and CUBIC as sans-IO classes: step by step, against RFC 5681 and RFC 9438."""

from __future__ import annotations

import math
from typing import ClassVar

import pytest

from netlab.congestion import (
    CUBIC_ALPHA,
    CUBIC_BETA,
    CongestionControl,
    Cubic,
    Reno,
    algorithm_names,
    cubic_k_s,
    cubic_window_segments,
    make_algorithm,
    register_algorithm,
    simulate,
)

MSS = 1000


def test_registry_knows_reno_and_cubic_and_refuses_unknown_names() -> None:
    assert {"reno", "cubic"} <= set(algorithm_names())
    assert isinstance(make_algorithm("reno", mss_bytes=MSS), Reno)
    assert isinstance(make_algorithm("cubic", mss_bytes=MSS), Cubic)
    with pytest.raises(ValueError, match="make_algorithm: name: must be one of .*'cubic'.*got 'vegas'"):
        make_algorithm("vegas", mss_bytes=MSS)


def test_reno_walks_slow_start_avoidance_and_loss() -> None:
    cc = Reno(mss_bytes=MSS, initial_cwnd_segments=10)
    assert cc.cwnd_bytes == 10 * MSS and cc.ssthresh_bytes == math.inf and cc.in_slow_start
    for _ in range(10):  # one RTT of ACKs, one per segment: cwnd doubles (RFC 5681 eq. 2)
        cc.on_ack(now=0.1, acked_bytes=MSS, rtt_s=0.1)
    assert cc.cwnd_bytes == 20 * MSS
    cc.on_congestion_event(now=0.2, flight_bytes=20 * MSS)  # eq. 4: FlightSize / 2
    assert cc.ssthresh_bytes == 10 * MSS and cc.cwnd_bytes == 10 * MSS
    assert not cc.in_slow_start
    for _ in range(10):  # one RTT in congestion avoidance: about one MSS more (eq. 3)
        cc.on_ack(now=0.3, acked_bytes=MSS, rtt_s=0.1)
    assert 10.9 * MSS < cc.cwnd_bytes < 11 * MSS
    cc.on_timeout(now=1.3, flight_bytes=11 * MSS)  # loss window: one segment
    assert cc.cwnd_bytes == MSS and cc.ssthresh_bytes == 5.5 * MSS and cc.in_slow_start


def test_reno_ssthresh_never_below_two_segments() -> None:
    cc = Reno(mss_bytes=MSS)
    cc.on_congestion_event(now=0.0, flight_bytes=MSS)
    assert cc.ssthresh_bytes == 2 * MSS and cc.cwnd_bytes == 2 * MSS


def test_cubic_k_and_window_reproduce_rfc9438_numbers() -> None:
    # W_max = 100 segments, cwnd_epoch = β·W_max = 70: K = ∛(30 / 0.4) = ∛75 ≈ 4.217 s.
    k = cubic_k_s(w_max_segments=100, cwnd_epoch_segments=70)
    assert k == pytest.approx(75 ** (1 / 3)) and k == pytest.approx(4.2172, abs=1e-4)
    assert cubic_window_segments(0.0, w_max_segments=100, k_s=k) == pytest.approx(70)
    assert cubic_window_segments(k, w_max_segments=100, k_s=k) == pytest.approx(100)
    assert cubic_window_segments(k + 1, w_max_segments=100, k_s=k) == pytest.approx(100.4)
    assert round(CUBIC_ALPHA, 4) == 0.5294  # §4.3: 3·0.3/1.7


def test_cubic_reduces_by_beta_and_uses_fast_convergence() -> None:
    cc = Cubic(mss_bytes=MSS, initial_cwnd_segments=100)
    cc.on_congestion_event(now=1.0, flight_bytes=100 * MSS)
    assert cc.w_max_segments == 100
    assert cc.cwnd_bytes == pytest.approx(CUBIC_BETA * 100 * MSS)
    assert cc.ssthresh_bytes == cc.cwnd_bytes
    # A second loss below the old W_max: fast convergence remembers W_max·(1+β)/2 (§4.7).
    cc.on_congestion_event(now=2.0, flight_bytes=70 * MSS)
    assert cc.w_max_segments == pytest.approx(70 * (1 + CUBIC_BETA) / 2)
    assert cc.cwnd_bytes == pytest.approx(49 * MSS)


def test_cubic_follows_the_curve_back_to_w_max_at_a_long_rtt() -> None:
    cc = Cubic(mss_bytes=MSS, initial_cwnd_segments=100)
    cc.on_congestion_event(now=0.0, flight_bytes=100 * MSS)
    rtt, now = 0.5, 0.0
    k = cubic_k_s(w_max_segments=100, cwnd_epoch_segments=70)
    while now < k:  # one window of ACKs per RTT
        for _ in range(int(cc.cwnd_bytes / MSS)):
            cc.on_ack(now=now, acked_bytes=MSS, rtt_s=rtt)
        now += rtt
    assert not cc.in_reno_friendly_region
    # Concave region: close to W_max at t = K, and never far past it.
    assert 95 * MSS < cc.cwnd_bytes < 106 * MSS


def test_cubic_is_reno_friendly_at_a_short_rtt() -> None:
    cc = Cubic(mss_bytes=MSS, initial_cwnd_segments=20)
    cc.on_congestion_event(now=0.0, flight_bytes=20 * MSS)  # cwnd 14, W_max 20, K ≈ 2.47 s
    now, rtt = 0.0, 0.001
    for _ in range(30):  # 30 ms: the cubic curve has barely moved, W_est has grown
        for _ in range(int(cc.cwnd_bytes / MSS)):
            cc.on_ack(now=now, acked_bytes=MSS, rtt_s=rtt)
        now += rtt
    assert cc.in_reno_friendly_region
    assert cc.cwnd_bytes == pytest.approx(cc.w_est_segments * MSS)
    assert cc.cwnd_bytes > 14 * MSS + 30 * CUBIC_ALPHA * MSS * 0.9


def test_cubic_timeout_restarts_with_k_zero() -> None:
    cc = Cubic(mss_bytes=MSS, initial_cwnd_segments=40)
    cc.on_timeout(now=0.0, flight_bytes=40 * MSS)
    assert cc.cwnd_bytes == MSS and cc.ssthresh_bytes == pytest.approx(28 * MSS)
    assert cc.w_max_segments is None
    while cc.in_slow_start:
        cc.on_ack(now=1.0, acked_bytes=MSS, rtt_s=0.1)
    cc.on_ack(now=1.0, acked_bytes=MSS, rtt_s=0.1)  # first ACK of the new epoch
    assert cc.k_s == 0.0 and cc.w_max_segments == pytest.approx(28, abs=1.1)


def test_a_new_algorithm_plugs_in_without_touching_the_simulator() -> None:
    @register_algorithm
    class FixedWindow(CongestionControl):
        """Test-only: a constant window of four segments."""

        name: ClassVar[str] = "fixed-window-test"

        def on_ack(self, *, now: float, acked_bytes: int, rtt_s: float) -> None:
            self.cwnd_bytes = 4.0 * self.mss_bytes

        def on_congestion_event(self, *, now: float, flight_bytes: int) -> None:
            self.cwnd_bytes = 4.0 * self.mss_bytes

    trace = simulate(algorithm="fixed-window-test", rtt_s=0.1, mss_bytes=MSS,
                     duration_s=2.0, initial_cwnd_segments=4)
    # Four segments per 100 ms RTT = 40 segments per second, minus the first half RTT.
    assert trace.goodput_bps == pytest.approx(8 * MSS * 40 * 1.95 / 2, rel=0.03)
    assert max(s.flight_bytes for s in trace.samples) == 4 * MSS


def test_register_algorithm_refuses_what_is_not_an_algorithm() -> None:
    with pytest.raises(ValueError, match="register_algorithm: cls: Input should be a subclass"):
        register_algorithm(int)  # type: ignore[arg-type]


def test_bad_arguments_name_themselves() -> None:
    with pytest.raises(ValueError, match="mss_bytes: Input should be greater than or equal to 100"):
        Reno(mss_bytes=0)
    with pytest.raises(ValueError, match="initial_cwnd_segments: Input should be greater than or equal to 1"):
        Cubic(mss_bytes=MSS, initial_cwnd_segments=0)
    with pytest.raises(ValueError, match="w_max_segments: Input should be greater than 0"):
        cubic_k_s(w_max_segments=-1, cwnd_epoch_segments=1)
    with pytest.raises(ValueError, match="c: Input should be greater than 0"):
        cubic_window_segments(1.0, w_max_segments=10, k_s=1.0, c=0)
