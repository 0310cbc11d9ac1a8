import pytest

from netlab.transport import (
    binomial_tolerance,
    delivery_sweep,
    expected_arq_time_s,
    expected_transmissions,
    expected_window_time_s,
    format_sweep,
    simulate_delivery,
)

RATES = [0.0, 0.05, 0.2, 0.3]


def test_no_loss_means_everything_arrives_once_in_order():
    for mode in ("datagram", "arq"):
        trace = simulate_delivery(mode, n_messages=50, loss_rate=0.0)
        assert trace.delivered == list(range(50))
        assert trace.transmissions == 50
        assert trace.retransmissions == trace.duplicates == 0


def test_stop_and_wait_without_loss_takes_one_round_trip_per_message():
    trace = simulate_delivery("arq", n_messages=10, loss_rate=0.0, one_way_delay_s=0.01)
    assert trace.completion_time_s == pytest.approx(10 * 0.02)


def test_datagram_delivered_fraction_matches_one_minus_p_within_four_sigma():
    for p in RATES:
        trace = simulate_delivery("datagram", n_messages=5_000, loss_rate=p, seed=11)
        assert abs(trace.delivered_fraction - (1 - p)) <= binomial_tolerance(5_000, p) + 1e-12


def test_stop_and_wait_delivers_everything_once_and_in_order_despite_loss():
    trace = simulate_delivery("arq", n_messages=1_000, loss_rate=0.3, seed=3)
    assert trace.delivered == list(range(1_000))
    assert trace.in_order
    assert trace.transmissions > 1_000
    assert trace.duplicates > 0  # lost ACKs make the sender resend what had arrived


def test_stop_and_wait_time_and_transmissions_match_the_closed_forms():
    # consistency check: the formulas rest on the simulator's own loss model
    for p in RATES:
        trace = simulate_delivery("arq", n_messages=1_000, loss_rate=p, seed=5)
        mean, std = expected_arq_time_s(n_messages=1_000, loss_rate=p, one_way_delay_s=0.01,
                                        rto_s=0.05)
        assert abs(trace.completion_time_s - mean) <= 4 * std + 1e-9
        sent, sent_std = expected_transmissions("arq", n_messages=1_000, loss_rate=p)
        assert abs(trace.transmissions - sent) <= 4 * sent_std + 1e-9


@pytest.mark.parametrize("window", [1, 3, 16, 64])
def test_window_without_loss_matches_its_closed_form(window):
    trace = simulate_delivery("arq", n_messages=500, loss_rate=0.0, window=window)
    expected = expected_window_time_s(n_messages=500, window=window, one_way_delay_s=0.01,
                                      send_interval_s=0.001)
    assert trace.completion_time_s == pytest.approx(expected, abs=1e-9)


def test_window_delivers_everything_in_order_and_sends_at_least_n_over_one_minus_p():
    trace = simulate_delivery("arq", n_messages=2_000, loss_rate=0.2, window=32, seed=9)
    assert trace.delivered == list(range(2_000))
    bound, std = expected_transmissions("arq", n_messages=2_000, loss_rate=0.2, window=32)
    assert trace.transmissions >= bound - 4 * std
    # selective ACKs repair most lost ACKs: far fewer duplicates than stop-and-wait's
    saw = simulate_delivery("arq", n_messages=2_000, loss_rate=0.2, window=1, seed=9)
    assert trace.duplicates < saw.duplicates / 2


def test_a_bigger_window_finishes_sooner_until_the_send_interval_binds():
    times = [simulate_delivery("arq", n_messages=1_000, loss_rate=0.1, window=w).completion_time_s
             for w in (1, 4, 16, 64)]
    assert times == sorted(times, reverse=True)
    assert times[-1] < times[0] / 10


def test_same_seed_same_trace_other_seed_other_trace():
    a = simulate_delivery("datagram", n_messages=500, loss_rate=0.2, seed=1)
    b = simulate_delivery("datagram", n_messages=500, loss_rate=0.2, seed=1)
    c = simulate_delivery("datagram", n_messages=500, loss_rate=0.2, seed=2)
    assert a.events == b.events
    assert a.delivered != c.delivered


def test_work_is_linear_in_messages():
    small = simulate_delivery("arq", n_messages=500, loss_rate=0.1, window=8).events
    large = simulate_delivery("arq", n_messages=5_000, loss_rate=0.1, window=8).events
    assert 8 <= len(large) / len(small) <= 12


def test_sweep_is_sorted_and_formats_deterministically():
    rows = delivery_sweep([0.2, 0.0, 0.1], n_messages=300)
    assert [r.loss_rate for r in rows] == [0.0, 0.1, 0.2]
    assert format_sweep(rows) == format_sweep(delivery_sweep([0.1, 0.2, 0.0], n_messages=300))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mode": "tcp"}, "mode: Input should be 'datagram' or 'arq'"),
        ({"mode": "arq", "loss_rate": 1.0}, "loss_rate: Input should be less than 1"),
        ({"mode": "arq", "loss_rate": -0.1}, "loss_rate: Input should be greater than or equal to 0"),
        ({"mode": "arq", "n_messages": 0}, "n_messages: Input should be greater than or equal to 1"),
        ({"mode": "arq", "rto_s": 0.01}, "rto_s: must exceed the round trip"),
        ({"mode": "arq", "one_way_delay_s": 0}, "one_way_delay_s: Input should be greater than 0"),
        ({"mode": "arq", "window": 0}, "window: Input should be greater than or equal to 1"),
        ({"mode": "arq", "seed": -1}, "seed: Input should be greater than or equal to 0"),
        ({"mode": "arq", "n_messages": 1_000_000, "loss_rate": 0.9}, "the largest n_messages"),
    ],
)
def test_bad_arguments(kwargs, message):
    mode = kwargs.pop("mode")
    with pytest.raises(ValueError, match=message):
        simulate_delivery(mode, **kwargs)


def test_sweep_rejects_empty_and_bad_rates():
    with pytest.raises(ValueError, match="loss_rates: .*at least 1 item"):
        delivery_sweep([])
    with pytest.raises(ValueError, match=r"loss_rates\[1\]"):
        delivery_sweep([0.1, 1.5])
