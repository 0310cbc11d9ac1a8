"""A simpy model of the two designs: a worker pool with a backlog vs one event loop.

Connections arrive (all at once, or as a Poisson stream), each sends
``requests_per_connection`` requests separated by ``think_s`` of idle time, and
closes. In the pool design a connection holds one of ``pool_size`` workers for
its whole life and waits in the backlog while none is free; in the event-loop
design a connection needs nothing while idle, and each request needs
``service_s`` of the single loop thread. One optional blocking call occupies the
loop (or one worker) for ``block_s``. The simulation returns a trace of records.
"""

from __future__ import annotations

import math
import random
from collections.abc import Generator
from dataclasses import dataclass, replace

import simpy

from netlab._check import check_choice, check_float, check_int, check_seed

DESIGNS = ("thread pool", "event loop")


@dataclass(frozen=True)
class ModelConfig:
    """Parameters of one simulated run; times in seconds."""

    design: str = "thread pool"
    connections: int = 8
    pool_size: int = 4
    backlog: int = 511
    requests_per_connection: int = 1
    think_s: float = 0.15
    service_s: float = 0.001
    arrival_rate_per_s: float | None = None
    block_s: float = 0.0
    syn_retry_s: float = 1.0
    seed: int = 7

    def __post_init__(self) -> None:
        check_choice("design", self.design, DESIGNS)
        check_int("connections", self.connections, min_value=1, max_value=100_000)
        check_int("pool_size", self.pool_size, min_value=1, max_value=100_000)
        check_int("backlog", self.backlog, min_value=1, max_value=100_000)
        check_int("requests_per_connection", self.requests_per_connection, min_value=1,
                  max_value=10_000)
        check_float("think_s", self.think_s, min_value=0.0, max_value=3600.0)
        check_float("service_s", self.service_s, min_value=0.0, min_inclusive=False,
                    max_value=60.0)
        if self.arrival_rate_per_s is not None:
            check_float("arrival_rate_per_s", self.arrival_rate_per_s, min_value=0.0,
                        min_inclusive=False, max_value=1e6)
        check_float("block_s", self.block_s, min_value=0.0, max_value=3600.0)
        check_float("syn_retry_s", self.syn_retry_s, min_value=0.0, min_inclusive=False,
                    max_value=60.0)
        check_seed("seed", self.seed)


@dataclass(frozen=True)
class ModelRecord:
    """One simulated request: when it was sent, started and answered."""

    connection: int
    index: int
    sent_s: float
    start_s: float
    done_s: float

    @property
    def latency_s(self) -> float:
        """Seconds from sending to the response."""
        return self.done_s - self.sent_s


@dataclass(frozen=True)
class ModelTrace:
    """What a run produced: every request, the backlog overflows and the peak concurrency."""

    config: ModelConfig
    records: tuple[ModelRecord, ...]
    syn_drops: int
    peak_workers: int

    def waited(self, threshold_s: float) -> int:
        """Requests whose latency exceeded ``threshold_s``."""
        check_float("threshold_s", threshold_s, min_value=0.0, min_inclusive=False)
        return sum(r.latency_s > threshold_s for r in self.records)

    def percentile_s(self, q: float) -> float:
        """Latency percentile ``q`` in [0, 100] (nearest rank)."""
        check_float("q", q, min_value=0.0, max_value=100.0)
        latencies = sorted(r.latency_s for r in self.records)
        if not latencies:
            return math.nan
        return latencies[max(1, math.ceil(q / 100 * len(latencies))) - 1]


def simulate(config: ModelConfig) -> ModelTrace:
    """Run the model for ``config`` until every connection has closed."""
    if not isinstance(config, ModelConfig):
        raise ValueError(f"config must be a ModelConfig, got {type(config).__name__}")
    env = simpy.Environment()
    rng = random.Random(config.seed)
    state = _State(env, config)
    env.process(_arrivals(env, config, rng, state))
    env.run()
    records = sorted(state.records, key=lambda r: (r.connection, r.index))
    return ModelTrace(config, tuple(records), state.syn_drops, state.peak_workers)


class _State:
    def __init__(self, env: simpy.Environment, config: ModelConfig) -> None:
        self.workers = simpy.Resource(env, capacity=config.pool_size)
        self.loop = simpy.Resource(env, capacity=1)
        self.records: list[ModelRecord] = []
        self.syn_drops = 0
        self.peak_workers = 0


def _arrivals(env: simpy.Environment, config: ModelConfig, rng: random.Random,
              state: _State) -> Generator[simpy.Event, object, None]:
    for index in range(config.connections):
        env.process(_connection(env, config, state, index))
        if config.arrival_rate_per_s is not None:
            yield env.timeout(rng.expovariate(config.arrival_rate_per_s))
    yield env.timeout(0)


def _connection(env: simpy.Environment, config: ModelConfig, state: _State,
                index: int) -> Generator[simpy.Event, object, None]:
    if config.design == "event loop":
        yield from _requests(env, config, state, index, first_sent_s=env.now)
        return
    first_sent_s = env.now
    while len(state.workers.queue) >= config.backlog:  # accept queue full: SYN dropped
        state.syn_drops += 1
        yield env.timeout(config.syn_retry_s)
    with state.workers.request() as worker:
        yield worker
        state.peak_workers = max(state.peak_workers, state.workers.count)
        yield from _requests(env, config, state, index, first_sent_s=first_sent_s)


def _requests(env: simpy.Environment, config: ModelConfig, state: _State, index: int, *,
              first_sent_s: float) -> Generator[simpy.Event, object, None]:
    for number in range(config.requests_per_connection):
        sent_s = first_sent_s if number == 0 else env.now
        cost_s = config.block_s if (index == 0 and number == 0 and config.block_s) \
            else config.service_s
        if config.design == "event loop":
            with state.loop.request() as turn:
                yield turn
                start_s = env.now
                yield env.timeout(cost_s)
        else:
            start_s = env.now
            yield env.timeout(cost_s)  # the worker's own thread; cores are not modelled
        state.records.append(ModelRecord(index, number, sent_s, start_s, env.now))
        yield env.timeout(config.think_s)


def model_knee(design: str, connection_counts: list[int], *, pool_size: int = 4,
               hold_s: float = 0.3) -> list[int]:
    """For each N: N connections arrive at once and hold ``hold_s``; how many waited."""
    waited = []
    for count in connection_counts:
        config = ModelConfig(design=design, connections=count, pool_size=pool_size,
                             think_s=hold_s)
        waited.append(simulate(config).waited(hold_s / 2))
    return waited


def saturation_rate_per_s(config: ModelConfig) -> float:
    """Connection arrival rate at which the design saturates (Little's law / utilisation)."""
    if not isinstance(config, ModelConfig):
        raise ValueError(f"config must be a ModelConfig, got {type(config).__name__}")
    k = config.requests_per_connection
    if config.design == "thread pool":
        lifetime_s = k * (config.service_s + config.think_s)
        return config.pool_size / lifetime_s
    return 1.0 / (k * config.service_s)


def load_sweep(config: ModelConfig, rates_per_s: list[float]) -> list[float]:
    """The 99th-percentile latency (simulated seconds) at each connection arrival rate."""
    return [simulate(replace(config, arrival_rate_per_s=rate)).percentile_s(99)
            for rate in rates_per_s]


def model_blocking(design: str, *, others: int = 8, block_s: float = 0.5) -> int:
    """One blocking request, then ``others`` plain ones: how many of the others waited."""
    config = ModelConfig(design=design, connections=others + 1, pool_size=others + 1,
                         think_s=0.0, block_s=block_s)
    trace = simulate(config)
    return sum(r.latency_s > block_s / 2 for r in trace.records if r.connection != 0)
