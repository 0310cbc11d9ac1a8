"""aioquic on the model's lossy link: the independent reference for the ARQ model."""

import pytest

from netlab.transport import quic_transfer, reference_sweep


def test_without_loss_every_byte_is_sent_once():
    run = quic_transfer(n_messages=100, loss_rate=0.0)
    assert run.completed and run.stream_bytes_sent == run.payload_bytes == 100_000
    assert run.datagrams_lost == 0


def test_with_loss_everything_arrives_and_costs_at_least_one_over_one_minus_p():
    run = quic_transfer(n_messages=300, loss_rate=0.1, seed=3)
    assert run.completed
    assert run.datagrams_lost > 0
    assert run.sent_per_payload >= 1 / (1 - 0.1) - 0.05  # every lost copy is sent again


def test_runs_are_deterministic_for_a_seed():
    assert quic_transfer(n_messages=200, loss_rate=0.2, seed=5) == \
        quic_transfer(n_messages=200, loss_rate=0.2, seed=5)


def test_the_real_stack_beats_stop_and_wait_in_time_and_in_data_sent():
    for row in reference_sweep([0.05, 0.2], n_messages=300):
        assert row.quic_completed
        assert row.quic_s < row.stop_and_wait_s / 2
        assert row.quic_sent < row.stop_and_wait_sent


def test_bad_arguments():
    with pytest.raises(ValueError, match="loss_rate: Input should be less than or equal to 0.5"):
        quic_transfer(loss_rate=0.9)
    with pytest.raises(ValueError, match="the largest n_messages"):
        quic_transfer(n_messages=100_000, message_bytes=65_536)
