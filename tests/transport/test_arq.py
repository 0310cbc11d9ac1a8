import pytest

from netlab.transport import (
    binomial_tolerance,
    delivery_sweep,
    expected_arq_time_s,
    format_sweep,
    simulate_delivery,
)

RATES = [0.0, 0.01, 0.05, 0.1, 0.2, 0.3]


def test_no_loss_means_everything_arrives_once_in_order():
    for mode in ("datagram", "arq"):
        trace = simulate_delivery(mode, n_messages=50, loss_rate=0.0)
        assert trace.delivered == list(range(50))
        assert trace.transmissions == 50


def test_arq_without_loss_takes_one_round_trip_per_message():
    trace = simulate_delivery("arq", n_messages=10, loss_rate=0.0, one_way_delay_s=0.01)
    assert trace.completion_time_s == pytest.approx(10 * 0.02)


def test_datagram_delivered_fraction_matches_one_minus_p_within_four_sigma():
    for p in RATES:
        trace = simulate_delivery("datagram", n_messages=5_000, loss_rate=p, seed=11)
        assert abs(trace.delivered_fraction - (1 - p)) <= binomial_tolerance(5_000, p) + 1e-12


def test_arq_delivers_everything_once_and_in_order_despite_loss():
    trace = simulate_delivery("arq", n_messages=2_000, loss_rate=0.3, seed=3)
    assert trace.delivered == list(range(2_000))
    assert trace.in_order
    assert trace.transmissions > 2_000
    assert any(e.kind == "duplicate" for e in trace.events)  # lost ACKs cause duplicates


def test_arq_completion_time_matches_stop_and_wait_formula():
    for p in RATES:
        trace = simulate_delivery("arq", n_messages=2_000, loss_rate=p, seed=5)
        mean, std = expected_arq_time_s(n_messages=2_000, loss_rate=p, one_way_delay_s=0.01,
                                        rto_s=0.05)
        assert abs(trace.completion_time_s - mean) <= 4 * std + 1e-9


def test_same_seed_same_trace_other_seed_other_trace():
    a = simulate_delivery("datagram", n_messages=500, loss_rate=0.2, seed=1)
    b = simulate_delivery("datagram", n_messages=500, loss_rate=0.2, seed=1)
    c = simulate_delivery("datagram", n_messages=500, loss_rate=0.2, seed=2)
    assert a.events == b.events
    assert a.delivered != c.delivered


def test_work_is_linear_in_messages():
    small = simulate_delivery("arq", n_messages=1_000, loss_rate=0.1).events
    large = simulate_delivery("arq", n_messages=10_000, loss_rate=0.1).events
    assert 8 <= len(large) / len(small) <= 12


def test_sweep_is_sorted_and_formats_deterministically():
    rows = delivery_sweep([0.2, 0.0, 0.1], n_messages=300)
    assert [r.loss_rate for r in rows] == [0.0, 0.1, 0.2]
    assert format_sweep(rows) == format_sweep(delivery_sweep([0.1, 0.2, 0.0], n_messages=300))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mode": "tcp"}, "mode must be one of 'arq', 'datagram'"),
        ({"mode": "arq", "loss_rate": 1.0}, r"loss_rate must be in \[0, 1\)"),
        ({"mode": "arq", "loss_rate": -0.1}, r"loss_rate must be in \[0, 1\)"),
        ({"mode": "arq", "n_messages": 0}, "n_messages must be >= 1"),
        ({"mode": "arq", "rto_s": 0.01}, r"rto_s must be in \(0.02, inf\]"),
        ({"mode": "arq", "one_way_delay_s": 0}, "one_way_delay_s must be in"),
        ({"mode": "arq", "seed": -1}, "seed must be >= 0"),
    ],
)
def test_bad_arguments(kwargs, message):
    mode = kwargs.pop("mode")
    with pytest.raises(ValueError, match=message):
        simulate_delivery(mode, **kwargs)


def test_sweep_rejects_empty_and_bad_rates():
    with pytest.raises(ValueError, match="loss_rates must hold at least one"):
        delivery_sweep([])
    with pytest.raises(ValueError, match="loss_rates"):
        delivery_sweep([0.1, 1.5])
