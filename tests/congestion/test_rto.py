"""RFC 6298's estimator: the first sample, smoothing, bounds and backoff."""

from __future__ import annotations

import pytest

from netlab.congestion import RtoEstimator


def test_before_any_sample_the_rto_is_one_second() -> None:
    assert RtoEstimator().rto_s == 1.0  # rule 2.1


def test_first_sample_sets_srtt_r_rttvar_half_r_and_rto_3r() -> None:
    est = RtoEstimator(min_rto_s=0.2)
    assert est.on_rtt_sample(0.5) == pytest.approx(1.5)  # rule 2.2: R + 4·R/2
    assert est.srtt_s == 0.5 and est.rttvar_s == 0.25


def test_later_samples_use_gains_one_eighth_and_one_quarter() -> None:
    est = RtoEstimator(min_rto_s=0.01)
    est.on_rtt_sample(0.1)
    est.on_rtt_sample(0.2)  # rule 2.3: RTTVAR first, with the old SRTT
    assert est.rttvar_s == pytest.approx(0.75 * 0.05 + 0.25 * 0.1)
    assert est.srtt_s == pytest.approx(0.875 * 0.1 + 0.125 * 0.2)
    assert est.rto_s == pytest.approx(est.srtt_s + 4 * est.rttvar_s)


def test_rto_is_clamped_to_one_second_and_backs_off_to_sixty() -> None:
    est = RtoEstimator()
    assert est.on_rtt_sample(0.01) == 1.0  # rule 2.4: at least 1 s
    assert [est.on_timeout() for _ in range(7)] == [2, 4, 8, 16, 32, 60, 60]  # rule 5.5
    assert est.backoffs == 7
    est.on_rtt_sample(0.01)
    assert est.rto_s == 1.0 and est.backoffs == 0


def test_bad_arguments_name_themselves() -> None:
    with pytest.raises(ValueError, match="rtt_s: must be a number in"):
        RtoEstimator().on_rtt_sample(0.0)
    with pytest.raises(ValueError, match="min_rto_s: Input should be greater than 0"):
        RtoEstimator(min_rto_s=-1)
    with pytest.raises(ValueError, match="max_rto_s: must be >= min_rto_s"):
        RtoEstimator(min_rto_s=2, max_rto_s=1)
