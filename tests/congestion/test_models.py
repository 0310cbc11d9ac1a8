"""The closed forms against the numbers their sources publish."""

from __future__ import annotations

import math

import pytest

from netlab.congestion import (
    bdp_bytes,
    cubic_average_window_segments,
    cubic_is_reno_friendly,
    cubic_only_window_segments,
    jain_fairness_index,
    mathis_throughput_bps,
    mathis_window_segments,
    window_limited_goodput_bps,
)

# RFC 8312 §5.1 Tables 1 and 2 (kept in RFC 9438 §5.1): average windows in segments for
# Reno and for CUBIC with C = 0.4, at RTT 0.1 s and 0.01 s.
TABLE_RTT_0_1 = {1e-2: 12, 1e-3: 38, 1e-4: 187, 1e-5: 1054, 1e-6: 5926, 1e-7: 33325,
                 1e-8: 187400}
TABLE_RTT_0_01 = {1e-2: 12, 1e-3: 38, 1e-4: 120, 1e-5: 379, 1e-6: 1200, 1e-7: 5926,
                  1e-8: 33325}
TABLE_RENO = {1e-2: 12, 1e-3: 38, 1e-4: 120, 1e-5: 379, 1e-6: 1200, 1e-7: 3795, 1e-8: 12000}


@pytest.mark.parametrize(("p", "window"), sorted(TABLE_RENO.items()))
def test_reno_window_matches_the_published_table(p: float, window: int) -> None:
    # The table rounds 1.2/√p; √(3/2) = 1.2247 sits 2 % above it.
    assert mathis_window_segments(p) == pytest.approx(window, rel=0.03)


@pytest.mark.parametrize(("rtt", "table"), [(0.1, TABLE_RTT_0_1), (0.01, TABLE_RTT_0_01)])
def test_cubic_response_function_matches_the_published_tables(rtt: float, table: dict) -> None:
    for p, window in table.items():
        assert cubic_average_window_segments(rtt_s=rtt, loss_rate=p) == pytest.approx(
            window, rel=0.03), (rtt, p)


def test_cubic_constant_is_1_054() -> None:
    # RFC 8312 Eq. 7 / RFC 9438: with C = 0.4 and β = 0.7, AVG_W = 1.054·RTT^¾/p^¾.
    assert cubic_only_window_segments(rtt_s=1.0, loss_rate=0.5 ** 4) / 8 == pytest.approx(
        1.054, abs=5e-4)


def test_reno_friendly_region_is_short_rtt_or_high_loss() -> None:
    assert cubic_is_reno_friendly(rtt_s=0.01, loss_rate=1e-3)
    assert not cubic_is_reno_friendly(rtt_s=0.1, loss_rate=1e-5)


def test_mathis_throughput_in_bits_per_second() -> None:
    # 1460-byte segments, 100 ms, 1 % loss: 116.8 kbit/s per segment of window x 12.25.
    assert mathis_throughput_bps(mss_bytes=1460, rtt_s=0.1, loss_rate=0.01) == pytest.approx(
        8 * 1460 / 0.1 * math.sqrt(1.5) / 0.1)


def test_bdp_and_window_limited_goodput() -> None:
    assert bdp_bytes(bottleneck_bps=10e6, rtt_s=0.05) == 62_500
    assert window_limited_goodput_bps(window_bytes=31_250, rtt_s=0.05,
                                      bottleneck_bps=10e6) == 5e6
    assert window_limited_goodput_bps(window_bytes=1e6, rtt_s=0.05, bottleneck_bps=10e6) == 10e6


def test_jain_index_is_one_for_equal_shares_and_one_over_n_for_a_hog() -> None:
    assert jain_fairness_index([3.0, 3.0, 3.0]) == pytest.approx(1.0)
    assert jain_fairness_index([9.0, 0.0, 0.0]) == pytest.approx(1 / 3)
    assert jain_fairness_index([1.0, 3.0]) == pytest.approx(16 / 20)


def test_bad_arguments_name_themselves() -> None:
    with pytest.raises(ValueError, match="loss_rate: Input should be greater than 0"):
        mathis_window_segments(0.0)
    with pytest.raises(ValueError, match="rtt_s: Input should be greater than 0"):
        mathis_throughput_bps(mss_bytes=1460, rtt_s=-0.1, loss_rate=0.01)
    with pytest.raises(ValueError, match="bottleneck_bps: Input should be greater than 0"):
        bdp_bytes(bottleneck_bps=0, rtt_s=0.1)
    with pytest.raises(ValueError, match="allocations: .*at least 1 item"):
        jain_fairness_index([])
    with pytest.raises(ValueError, match=r"allocations\[1\]: Input should be greater than or"):
        jain_fairness_index([1.0, -1.0])
    with pytest.raises(ValueError, match="allocations: must not all be zero"):
        jain_fairness_index([0.0, 0.0])
