from dataclasses import replace

import pytest

from netlab.servers import (
    ModelConfig,
    load_sweep,
    model_backlog,
    model_blocking,
    model_knee,
    saturation_rate_per_s,
    simulate,
)


def test_pool_knee_is_exactly_max_zero_n_minus_c():
    counts = list(range(1, 13))
    for pool_size in (1, 4, 6):
        assert model_knee("thread pool", counts, pool_size=pool_size) == [
            max(0, n - pool_size) for n in counts]
    assert model_knee("event loop", counts) == [0] * len(counts)


def test_waiting_connection_starts_when_a_holder_leaves():
    trace = simulate(ModelConfig(connections=3, pool_size=2, linger_s=0.2, service_s=0.01,
                                 cores=2))
    starts = [round(r.start_s, 6) for r in trace.records]
    assert starts == [0.0, 0.0, 0.21]  # service 0.01 + linger 0.2 frees the first worker
    assert trace.peak_workers == 2
    assert trace.waited(0.1) == 1


def test_event_loop_serialises_requests_on_one_thread():
    trace = simulate(ModelConfig(design="event loop", connections=4, service_s=0.01,
                                 think_s=0.0))
    assert [round(r.done_s, 6) for r in trace.records] == [0.01, 0.02, 0.03, 0.04]


def test_full_backlog_drops_syns_and_the_client_retries_after_syn_retry_s():
    # Linux's accept queue holds backlog + 1: one connection served, two queued, one dropped
    trace = simulate(ModelConfig(connections=4, pool_size=1, backlog=1, linger_s=0.1,
                                 service_s=0.01, syn_retry_s=1.0))
    assert (trace.syn_drops, trace.dropped_connections) == (1, 1)
    assert max(r.latency_s for r in trace.records) >= 1.0
    assert len(trace.records) == 4  # late, but nobody is refused


def test_saturation_rates_follow_littles_law_and_utilisation():
    # five requests have four gaps: lifetime 5 x 2 ms + 4 x 0.25 s = 1.01 s
    config = ModelConfig(pool_size=50, requests_per_connection=5, think_s=0.25, service_s=0.002)
    assert config.lifetime_s == pytest.approx(1.01)
    assert saturation_rate_per_s(config) == pytest.approx(50 / 1.01)
    assert saturation_rate_per_s(replace(config, design="event loop")) == pytest.approx(100)
    # with 200 workers the pool is bound by its one core; two cores let it pass one loop
    big = replace(config, pool_size=200)
    assert saturation_rate_per_s(big) == pytest.approx(100)
    assert saturation_rate_per_s(replace(big, cores=2)) == pytest.approx(200 / 1.01)
    assert saturation_rate_per_s(replace(big, cores=2, design="event loop")) == pytest.approx(100)
    assert saturation_rate_per_s(replace(big, cores=2, loops=2, design="event loop")) == \
        pytest.approx(200)
    assert saturation_rate_per_s(replace(config, linger_s=5.0)) == pytest.approx(50 / 6.01)


def test_cpu_time_is_requests_times_service_and_a_worker_is_mostly_idle():
    config = ModelConfig(connections=200, pool_size=50, requests_per_connection=5, think_s=0.25,
                         service_s=0.002, arrival_rate_per_s=40.0)
    trace = simulate(config)
    assert trace.cpu_busy_s == pytest.approx(200 * 5 * 0.002)
    assert 0.3 < trace.cpu_utilisation < 0.5  # 40/s x 10 ms = 0.4 of one core


def test_backlog_model_counts_connections_that_found_the_queue_full():
    assert model_backlog(idle=2, fresh=8, pool_size=2, backlog=2) == 5
    assert model_backlog(idle=2, fresh=3, pool_size=2, backlog=2) == 0


def test_each_design_saturates_at_its_predicted_rate():
    base = ModelConfig(connections=600, pool_size=50, requests_per_connection=5, think_s=0.25,
                       service_s=0.002)
    for design in ("thread pool", "event loop"):
        config = replace(base, design=design)
        knee = saturation_rate_per_s(config)
        below, above = load_sweep(config, [0.6 * knee, 1.5 * knee])
        assert below < 0.05, design
        assert above > 5 * below, design


def test_one_blocking_call_delays_every_other_request_on_the_loop():
    assert model_blocking("event loop", others=8, block_s=0.3) == 8
    assert model_blocking("thread pool", others=8, block_s=0.3) == 0


def test_same_seed_same_trace_other_seed_other_trace():
    config = ModelConfig(connections=50, arrival_rate_per_s=100.0, think_s=0.05)
    assert simulate(config) == simulate(config)
    assert simulate(config).records != simulate(replace(config, seed=8)).records


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"pool_size": 0}, "^ModelConfig: pool_size:"),
        ({"connections": -1}, "^ModelConfig: connections:"),
        ({"design": "prefork"}, "^ModelConfig: design: Input should be 'thread pool' or 'event loop'"),
        ({"service_s": 0}, "^ModelConfig: service_s: .* greater than 0"),
        ({"arrival_rate_per_s": -2.0}, "^ModelConfig: arrival_rate_per_s:"),
        ({"seed": -1}, "^ModelConfig: seed:"),
        ({"cores": 0}, "^ModelConfig: cores:"),
    ],
)
def test_bad_config_is_refused_with_a_clear_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ModelConfig(**kwargs)


def test_simulate_wants_a_config():
    with pytest.raises(ValueError, match="^simulate: config: Input should be an instance of ModelConfig"):
        simulate({"connections": 3})


def test_work_that_would_take_minutes_is_refused_naming_the_largest_value():
    with pytest.raises(ValueError, match="^connections: would need .* the largest connections"):
        simulate(ModelConfig(connections=100_000, requests_per_connection=100))
    with pytest.raises(ValueError, match="^model_blocking: others:"):
        model_blocking("event loop", others=-1)
    with pytest.raises(ValueError, match="^model_knee: hold_s:"):
        model_knee("thread pool", [1], hold_s=-1)
