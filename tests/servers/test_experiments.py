import pytest

from netlab.servers import (
    knee_sweep,
    make_server,
    measure_blocking,
    measure_idle,
    measure_saturation,
    model_blocking,
    model_knee,
)


def test_idle_connections_cost_a_thread_each_in_the_pool_and_nothing_in_the_loop():
    pool = measure_idle("thread pool", 60)
    loop = measure_idle("event loop", 60)
    assert (pool.threads, pool.answered, pool.waiting, pool.limit_hit) == (61, 60, 0, False)
    assert (loop.threads, loop.answered, loop.waiting, loop.limit_hit) == (1, 60, 0, False)
    # Thread stacks and per-thread state: several times the memory of a registered socket.
    assert pool.kib_per_connection > 3 * loop.kib_per_connection


def test_idle_connections_beyond_the_pool_wait_in_the_backlog():
    result = measure_idle("thread pool", 30, pool_size=10)
    assert (result.threads, result.answered, result.waiting, result.limit_hit) == (11, 10, 20,
                                                                                     True)


def test_saturation_fresh_requests_wait_only_once_the_pool_is_full():
    below = measure_saturation("thread pool", idle_connections=3, requests=3, pool_size=4)
    full = measure_saturation("thread pool", idle_connections=4, requests=3, pool_size=4)
    loop = measure_saturation("event loop", idle_connections=8, requests=3)
    assert (below.answered, below.waited, below.limit_hit) == (3, 0, False)
    assert (full.answered, full.waited, full.failed, full.limit_hit) == (3, 3, 0, True)
    assert full.retransmitted == 0
    assert (loop.answered, loop.waited, loop.limit_hit) == (3, 0, False)


def test_measured_knee_sits_at_the_pool_size_like_the_model_predicts():
    counts = [2, 3, 4, 5, 7]
    measured = knee_sweep("thread pool", counts, pool_size=3)
    assert measured == [0, 0, 1, 2, 4] == model_knee("thread pool", counts, pool_size=3)
    assert knee_sweep("event loop", counts) == [0] * 5 == model_knee("event loop", counts)


def test_blocking_call_delays_every_request_on_the_loop_and_none_in_the_pool():
    loop = measure_blocking("event loop", others=5)
    pool = measure_blocking("thread pool", others=5)
    assert (loop.answered, loop.waited, loop.blocking_calls) == (5, 5, 1)
    assert (pool.answered, pool.waited, pool.blocking_calls) == (5, 0, 1)
    assert model_blocking("event loop", others=5) == 5
    assert model_blocking("thread pool", others=5) == 0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: make_server("prefork"),
         "^make_server: design: Input should be 'thread pool' or 'event loop', got 'prefork'"),
        (lambda: make_server("thread pool", pool_size=0),
         "^make_server: pool_size: .* greater than or equal to 1"),
        (lambda: measure_idle("event loop", -5),
         "^measure_idle: connections: .* greater than or equal to 1, got -5"),
        (lambda: measure_idle("thread pool", 5, pool_size=0), "^measure_idle: pool_size:"),
        (lambda: measure_saturation("event loop", idle_connections=-1),
         "^measure_saturation: idle_connections:"),
        (lambda: knee_sweep("thread pool", [-3]), r"^knee_sweep: connection_counts\[0\]:"),
        (lambda: measure_blocking("event loop", others=0), "^measure_blocking: others:"),
        (lambda: measure_blocking("event loop", block_s=0),
         "^measure_blocking: block_s: .* greater than or equal to 0.1"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_connections_beyond_the_backlog_are_not_refused_their_syn_is_retried():
    # pool 2 busy, accept queue of backlog + 1 = 3: five of eight handshakes are dropped and
    # retransmitted by the clients' TCP (Linux TCP_INFO counts it), none is refused.
    result = measure_saturation("thread pool", idle_connections=2, requests=8, pool_size=2,
                                backlog=2)
    assert (result.answered, result.waited, result.failed) == (8, 8, 0)
    assert result.retransmitted == 5
