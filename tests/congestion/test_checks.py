"""The simulator against the published models, at the tolerances the book states."""

from __future__ import annotations

import pytest

from netlab.congestion import (
    CUBIC_TOLERANCE,
    MATHIS_TOLERANCE,
    bdp_sweep,
    cubic_check,
    format_rows,
    mathis_check,
    simulate,
)


@pytest.mark.parametrize("loss_model", ["bernoulli", "periodic"])
def test_reno_follows_mathis_from_0_1_to_2_percent_loss(loss_model: str) -> None:
    rows = mathis_check((0.001, 0.005, 0.02) if loss_model == "bernoulli" else (0.001, 0.005, 0.01),
                        loss_model=loss_model, loss_events=100)
    for row in rows:
        assert abs(row.ratio - 1) <= MATHIS_TOLERANCE, (row.loss_rate, row.ratio)
    # The throughput falls as 1/√p: 20 times the loss, about √20 ≈ 4.5 times less.
    span = rows[-1].loss_rate / rows[0].loss_rate
    assert rows[0].simulated / rows[-1].simulated == pytest.approx(span ** 0.5, rel=0.2)


def test_cubic_follows_its_response_function_in_both_regions() -> None:
    rows = cubic_check(((0.01, 0.01), (0.2, 0.001)), loss_events=40)
    assert [r.region for r in rows] == ["reno-friendly", "cubic"]
    for row in rows:
        assert abs(row.ratio - 1) <= CUBIC_TOLERANCE, (row.rtt_s, row.ratio)


def test_cubic_beats_reno_only_where_the_rtt_is_long() -> None:
    def mean_window(algorithm: str, rtt_s: float) -> float:
        trace = simulate(algorithm=algorithm, rtt_s=rtt_s, loss_rate=0.001,
                         loss_model="periodic", duration_s=1200 * rtt_s)
        return trace.mean_cwnd_segments(100 * rtt_s)

    short = mean_window("cubic", 0.01) / mean_window("reno", 0.01)
    long = mean_window("cubic", 0.4) / mean_window("reno", 0.4)
    assert short == pytest.approx(1.0, abs=0.12)  # Reno-friendly: the same window
    assert long > 1.5  # the cubic curve: more than Reno at a long RTT


def test_bdp_sweep_matches_min_window_over_rtt_and_rate() -> None:
    for row in bdp_sweep((0.5, 1.0, 2.0), duration_s=4.0):
        assert row.goodput_bps == pytest.approx(row.model_goodput_bps, rel=0.03)
        assert row.rtt_s == pytest.approx(row.model_rtt_s, rel=0.02)


def test_format_rows_prints_one_line_per_row() -> None:
    rows = mathis_check((0.01,), loss_events=20)
    text = format_rows(rows)
    lines = text.splitlines()
    assert len(lines) == 2 + len(rows) and lines[2].startswith("reno") and "1.00%" in text
    with pytest.raises(ValueError, match="unit: Input should be 'Mbit/s' or 'segments'"):
        format_rows(rows, unit="bytes")


def test_bad_arguments_name_themselves() -> None:
    with pytest.raises(ValueError, match="loss_model: Input should be 'bernoulli' or 'periodic'"):
        mathis_check(loss_model="gilbert")
    with pytest.raises(ValueError, match="loss_events: Input should be greater than or equal to 10"):
        cubic_check(loss_events=1)
    with pytest.raises(ValueError, match=r"loss_rates\[0\]: Input should be greater than 0"):
        mathis_check((0.0,))
