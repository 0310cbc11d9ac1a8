"""The latency budget: round trips from the chapter's table, time from the model."""

import pytest

from netlab.pageload import budget_rows, chapter_table, time_to_first_byte


def total(**kwargs):
    return sum(s.expected_ms for s in time_to_first_byte(**kwargs))


def test_no_loss_is_round_trips_times_rtt():
    assert total(rtt_ms=100, dns="cold", tls="1.3", http="2") == pytest.approx(700)
    assert total(rtt_ms=100, dns="browser cache", tls="1.2", http="1.1") == pytest.approx(400)
    assert total(rtt_ms=100, dns="browser cache", http="3", resumption="0-RTT") == 100


def test_hand_computation_with_loss():
    # q = 1 - 0.99**2 = 0.0199; q / (1 - q) = 0.0203041; timeouts 5000, 1000, 250, 250 ms
    f = 0.0199 / 0.9801
    by_hand = (50 + f * 5000) + (50 + f * 1000) + 2 * (50 + f * 250)
    assert total(rtt_ms=50, loss=0.01, dns="resolver cache", tls="1.3",
                 http="2") == pytest.approx(by_hand)


def test_rows_are_sorted_and_only_valid_combinations():
    rows = budget_rows(80, 0.0, dns="resolver cache")
    assert len(rows) == 13
    assert [r["TTFB (ms)"] for r in rows] == sorted(r["TTFB (ms)"] for r in rows)
    assert not any(r["HTTP"] == "3" and r["TLS"] == "1.2" for r in rows)


def test_invalid_combinations_and_ranges_are_refused():
    with pytest.raises(ValueError, match="time_to_first_byte: tls"):
        time_to_first_byte(50, tls="1.2", http="3")
    with pytest.raises(ValueError, match="time_to_first_byte: rtt_ms"):
        time_to_first_byte(0)
    with pytest.raises(ValueError, match="budget_rows: loss"):
        budget_rows(50, 0.5)


def test_table_rows_come_from_the_facts_file():
    rows = {r["fact"]: r for r in chapter_table()}
    assert rows["rt-tls13-full"]["round trips"] == 1
    assert rows["rt-tls12-full"]["source"].startswith("RFC 5246 §7.3")
