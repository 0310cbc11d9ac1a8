"""BBR v1 through the registry: its state machine, its model, and its published behaviour."""

from __future__ import annotations

import math
from itertools import pairwise

import pytest

from netlab.congestion import (
    BBR_CWND_GAIN,
    BBR_HIGH_GAIN,
    BBR_PACING_GAINS,
    BBR_STATES,
    BBR_TRANSITIONS,
    Bbr,
    algorithm_names,
    bbr_diagram_mermaid,
    compare_algorithms,
    format_comparison,
    make_algorithm,
    simulate,
    simulate_shared,
    state_timeline,
)
from netlab.congestion.probes import bbr_gains
from netlab.congestion.rate import RateSample

PATH = dict(bottleneck_bps=10e6, rtt_s=0.1, mss_bytes=1500)
MSS = 1500


@pytest.fixture(scope="module")
def deep() -> object:
    return simulate(algorithm="bbr", queue_packets=300, duration_s=30.0, seed=7, **PATH)


def test_bbr_is_registered_and_needs_sack() -> None:
    assert "bbr" in algorithm_names()
    assert isinstance(make_algorithm("bbr", mss_bytes=MSS), Bbr)
    with pytest.raises(ValueError, match="sack: algorithm 'bbr' runs only with the SACK"):
        simulate(algorithm="bbr", sack=False)


def test_constants_are_bbr_v1s() -> None:
    assert BBR_HIGH_GAIN == pytest.approx(2 / math.log(2)) == pytest.approx(2.885, abs=1e-3)
    assert BBR_CWND_GAIN == 2.0
    assert BBR_PACING_GAINS == (1.25, 0.75, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)


def test_the_running_kernels_bbr_has_the_same_gains() -> None:
    # An independent check: Linux's tcp_bbr.c, read with TCP_CC_INFO on loopback.
    startup = bbr_gains("startup")
    if startup is None:
        pytest.skip("this kernel, or this user, cannot choose BBR")
    assert startup == pytest.approx([BBR_HIGH_GAIN, BBR_HIGH_GAIN], abs=0.005)
    assert bbr_gains("probe_bw_cwnd") == BBR_CWND_GAIN


def test_state_machine_moves_only_along_the_table(deep: object) -> None:
    timeline = state_timeline(deep)
    states = [state for _, state in timeline]
    assert states[:3] == ["startup", "drain", "probe_bw"]
    assert set(states) == set(BBR_STATES)
    assert all(move in BBR_TRANSITIONS for move in pairwise(states))
    probe_rtt = [now for now, state in timeline if state == "probe_rtt"]
    # RTprop expires 10 s after it was last lowered, then again 10 s after each ProbeRTT.
    assert len(probe_rtt) == 2 and probe_rtt[1] - probe_rtt[0] == pytest.approx(10.3, abs=0.2)
    mermaid = bbr_diagram_mermaid()
    assert all(f"{a} --> {b}" in mermaid for a, b in BBR_TRANSITIONS)


def test_probe_bw_paces_at_the_bottleneck_and_caps_cwnd_near_two_bdp(deep: object) -> None:
    steady = [s for s in deep.samples if s.state == "probe_bw" and 12 < s.now < 20]
    bdp = 10e6 * 0.1 / 8 / MSS
    pacing = sorted(s.pacing_rate_bps for s in steady)
    assert pacing[len(pacing) // 2] == pytest.approx(10e6 * 0.99, rel=0.02)  # 1 % margin
    # ⌈2·BDP⌉ (the measured RTprop includes 1.2 ms of serialization) plus three send quanta
    # of two segments, made even, plus two in the 1.25 phase (draft-cardwell-...-00 §4.2.3).
    assert all(2 * bdp <= s.cwnd_bytes / MSS <= 2 * bdp + 12 for s in steady)
    # ProbeRTT holds cwnd at four segments.
    assert all(s.cwnd_bytes == 4 * MSS for s in deep.samples if s.state == "probe_rtt")


def test_a_deep_buffer_stays_nearly_empty_with_bbr_and_fills_with_reno() -> None:
    rows = {r.algorithm: r for r in compare_algorithms(algorithms=("reno", "bbr"),
                                                       queue_packets=(300,), seed=7, **PATH)}
    assert rows["bbr"].link_share > 0.95 and rows["reno"].link_share > 0.95
    assert rows["bbr"].mean_queue_packets < 20 < 100 < rows["reno"].mean_queue_packets
    assert rows["bbr"].mean_rtt_s < 1.2 * 0.1 < 2 * 0.1 < rows["reno"].mean_rtt_s
    text = format_comparison(list(rows.values()))
    assert "reno" in text and "bbr" in text and "Mathis" not in text


def test_random_loss_caps_reno_as_mathis_says_but_not_bbr() -> None:
    rows = compare_algorithms(algorithms=("reno", "bbr"), loss_rates=(0.01, 0.05),
                              queue_packets=(100,), seed=7, duration_s=15.0, **PATH)
    reno = [r for r in rows if r.algorithm == "reno"]
    bbr = [r for r in rows if r.algorithm == "bbr"]
    assert reno[0].reference == "Mathis et al. 1997" and 0.8 < reno[0].ratio < 1.1
    assert all(r.link_share < 0.2 for r in reno)
    # Cardwell et al. 2016: BBR keeps link x (1 - p) up to about 5 % random loss.
    assert all(r.ratio > 0.9 for r in bbr)


def test_bbr_v1_takes_a_shallow_buffer_from_cubic() -> None:
    shared = simulate_shared(algorithms=("cubic", "bbr"), queue_packets=10, duration_s=40.0,
                             start_gap_s=5.0, seed=7, **PATH)
    cubic_bps, bbr_bps = shared.goodputs_bps()
    assert bbr_bps > 5 * cubic_bps and shared.utilization > 0.9


def test_recovery_keeps_packet_conservation_then_restores_the_window() -> None:
    cc = Bbr(mss_bytes=MSS)
    cc.cwnd_bytes = 100.0 * MSS

    def sample(recovery: str, in_flight: int) -> RateSample:
        return RateSample(now=1.0, delivered_bytes=10**6, newly_delivered_bytes=MSS,
                          newly_lost_bytes=0, prior_delivered_bytes=10**6 - MSS,
                          rate_bytes_per_s=None, rtt_s=None, prior_in_flight_bytes=in_flight,
                          in_flight_bytes=in_flight, recovery=recovery)

    cc.on_congestion_event(now=1.0, flight_bytes=100 * MSS)  # saves the window
    cc.on_delivery(now=1.0, sample=sample("recovery", 60 * MSS))
    assert cc.cwnd_bytes == 61 * MSS  # what is in flight plus what was delivered
    cc.on_delivery(now=1.1, sample=sample("open", 60 * MSS))
    assert cc.cwnd_bytes >= 100 * MSS  # restored after recovery
