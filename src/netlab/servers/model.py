"""A simpy model of the two designs: a worker pool with a backlog vs event loops, on a few cores.

Connections arrive (all at once, or as a seeded Poisson stream). Each sends
``requests_per_connection`` requests with ``think_s`` of idle time *between* them
(k requests have k - 1 gaps), stays open ``linger_s`` after its last response (an idle
keep-alive connection before the client or the server closes it), and closes.

- **Pool.** A connection holds one of ``pool_size`` workers for its whole life, idle
  time included, and waits in the accept queue while none is free. The queue holds
  ``backlog + 1`` connections, as Linux's does (``sk_acceptq_is_full`` tests
  ``>``); a connection that finds it full has its SYN dropped and retries after
  ``syn_retry_s``.
- **Event loop.** ``loops`` single-threaded loops (nginx's ``worker_processes``);
  connection i belongs to loop i mod ``loops``. An idle connection holds nothing.

Either way each request needs ``service_s`` of CPU on one of ``cores`` cores (first
come, first served). One optional blocking call (the first request of connection 0)
sleeps ``block_s``: it holds its worker, or its whole loop, but no core. The
simulation returns a trace of records and the CPU time used.
"""

from __future__ import annotations

import math
import random
from collections.abc import Generator
from dataclasses import dataclass, replace
from typing import Annotated, Literal

import simpy
from pydantic import Field

from netlab._validate import Seed, check_work, public, result

DESIGNS = ("thread pool", "event loop")
Design = Literal["thread pool", "event loop"]
SimSeconds = Annotated[float, Field(ge=0, le=3600)]
# Simulated requests one call may process: about ten seconds on a two-core machine.
_REQUEST_LIMIT = 300_000
# A connection that finds the accept queue full retries every syn_retry_s until the pool
# has drained enough, so retries grow with the square of the connections: a
# few hundred thousand simulated retries take a second or two here.
_RETRY_LIMIT = 400_000


@public
@dataclass(frozen=True)
class ModelConfig:
    """Parameters of one simulated run; times in simulated seconds.

    The first ``holders`` connections stay open ``hold_s`` (instead of ``linger_s``) after
    their last response: idle clients that occupy the server while others arrive.
    """

    design: Design = "thread pool"
    connections: Annotated[int, Field(ge=1, le=100_000)] = 8
    pool_size: Annotated[int, Field(ge=1, le=100_000)] = 4
    backlog: Annotated[int, Field(ge=0, le=100_000)] = 511
    requests_per_connection: Annotated[int, Field(ge=1, le=10_000)] = 1
    think_s: SimSeconds = 0.15
    linger_s: SimSeconds = 0.0
    service_s: Annotated[float, Field(gt=0, le=60)] = 0.001
    cores: Annotated[int, Field(ge=1, le=1024)] = 1
    loops: Annotated[int, Field(ge=1, le=1024)] = 1
    arrival_rate_per_s: Annotated[float, Field(gt=0, le=1e6)] | None = None
    block_s: SimSeconds = 0.0
    syn_retry_s: Annotated[float, Field(gt=0, le=60)] = 1.0
    holders: Annotated[int, Field(ge=0, le=100_000)] = 0
    hold_s: SimSeconds = 0.0
    seed: Seed = 7

    @property
    def lifetime_s(self) -> float:
        """A connection's life without queueing: its requests, the gaps, the linger."""
        k = self.requests_per_connection
        return k * self.service_s + (k - 1) * self.think_s + self.linger_s


@result
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


@result
@dataclass(frozen=True)
class ModelTrace:
    """What a run produced: every request, accept-queue overflows, peak workers, CPU used."""

    config: ModelConfig
    records: tuple[ModelRecord, ...]
    syn_drops: int
    dropped_connections: int
    peak_workers: int
    cpu_busy_s: float
    duration_s: float

    def waited(self, threshold_s: float) -> int:
        """Requests whose latency exceeded ``threshold_s``."""
        return sum(r.latency_s > threshold_s for r in self.records)

    def percentile_s(self, q: float) -> float:
        """Latency percentile ``q`` in [0, 100] (nearest rank)."""
        if not isinstance(q, int | float) or not 0 <= q <= 100:
            raise ValueError(f"q must be in [0, 100], got {q!r}")
        latencies = sorted(r.latency_s for r in self.records)
        if not latencies:
            return math.nan
        return latencies[max(1, math.ceil(q / 100 * len(latencies))) - 1]

    @property
    def cpu_utilisation(self) -> float:
        """Fraction of the cores' time spent computing, over the whole run."""
        if self.duration_s <= 0:
            return 0.0
        return self.cpu_busy_s / (self.config.cores * self.duration_s)


def _check_size(config: ModelConfig, name: str = "connections", value: float | None = None,
                ) -> None:
    value = config.connections if value is None else value
    work = config.connections * config.requests_per_connection
    check_work(name, value, work=work, limit=_REQUEST_LIMIT, unit="simulated requests")
    check_work(name, value, work=_retries(config), limit=_RETRY_LIMIT,
               unit="simulated SYN retries", exponent=2)


def _retries(config: ModelConfig) -> float:
    """About how many SYN retries a run makes (an upper estimate).

    Each connection beyond the pool and the queue retries until it gets in: while the
    pool drains (half the drain time, on average), and, since the retries of one round
    come together, for as many rounds as it takes to admit them a queue's worth at a time.
    """
    room = config.pool_size + config.backlog + 1
    waiting = config.connections - room
    if config.design != "thread pool" or waiting <= 0:
        return 0.0
    per_connection_s = config.lifetime_s + config.block_s + (
        config.hold_s * min(config.holders, config.connections) / config.connections)
    drain_s = config.connections * per_connection_s / config.pool_size
    return waiting * drain_s / (2 * config.syn_retry_s) + waiting * waiting / (2 * room)


@public
def simulate(config: ModelConfig) -> ModelTrace:
    """Run the model for ``config`` until every connection has closed."""
    _check_size(config)
    return _simulate(config)


def _simulate(config: ModelConfig) -> ModelTrace:
    env = simpy.Environment()
    rng = random.Random(config.seed)
    state = _State(env, config)
    env.process(_arrivals(env, config, rng, state))
    env.run()
    records = sorted(state.records, key=lambda r: (r.connection, r.index))
    return ModelTrace(config, tuple(records), state.syn_drops, len(state.dropped),
                      state.peak_workers, state.cpu_busy_s, env.now)


class _State:
    def __init__(self, env: simpy.Environment, config: ModelConfig) -> None:
        self.workers = simpy.Resource(env, capacity=config.pool_size)
        self.loops = [simpy.Resource(env, capacity=1) for _ in range(config.loops)]
        self.cpu = simpy.Resource(env, capacity=config.cores)
        self.records: list[ModelRecord] = []
        self.syn_drops = 0
        self.dropped: set[int] = set()
        self.peak_workers = 0
        self.cpu_busy_s = 0.0


def _arrivals(env: simpy.Environment, config: ModelConfig, rng: random.Random,
              state: _State) -> Generator[simpy.Event, object, None]:
    for index in range(config.connections):
        env.process(_connection(env, config, state, index))
        if config.arrival_rate_per_s is not None:
            yield env.timeout(rng.expovariate(config.arrival_rate_per_s))
    yield env.timeout(0)


def _connection(env: simpy.Environment, config: ModelConfig, state: _State,
                index: int) -> Generator[simpy.Event, object, None]:
    linger_s = config.hold_s if index < config.holders else config.linger_s
    if config.design == "event loop":
        yield from _requests(env, config, state, index, first_sent_s=env.now)
        yield env.timeout(linger_s)
        return
    first_sent_s = env.now
    while len(state.workers.queue) > config.backlog:  # accept queue full: SYN dropped
        state.syn_drops += 1
        state.dropped.add(index)
        yield env.timeout(config.syn_retry_s)
    with state.workers.request() as worker:
        yield worker
        state.peak_workers = max(state.peak_workers, state.workers.count)
        yield from _requests(env, config, state, index, first_sent_s=first_sent_s)
        yield env.timeout(linger_s)


def _requests(env: simpy.Environment, config: ModelConfig, state: _State, index: int, *,
              first_sent_s: float) -> Generator[simpy.Event, object, None]:
    loop = state.loops[index % config.loops] if config.design == "event loop" else None
    for number in range(config.requests_per_connection):
        if number:
            yield env.timeout(config.think_s)
        sent_s = first_sent_s if number == 0 else env.now
        blocking = index == 0 and number == 0 and config.block_s > 0
        if loop is not None:
            with loop.request() as turn:
                yield turn
                start_s = env.now
                yield from _work(env, config, state, blocking)
        else:
            start_s = env.now
            yield from _work(env, config, state, blocking)
        state.records.append(ModelRecord(index, number, sent_s, start_s, env.now))


def _work(env: simpy.Environment, config: ModelConfig, state: _State,
          blocking: bool) -> Generator[simpy.Event, object, None]:
    if blocking:  # asleep in a blocking call: the thread is held, no core is used
        yield env.timeout(config.block_s)
        return
    with state.cpu.request() as core:
        yield core
        yield env.timeout(config.service_s)
        state.cpu_busy_s += config.service_s


@public
def saturation_rate_per_s(config: ModelConfig) -> float:
    """Connection arrival rate at which the design saturates: the tighter of its two bounds.

    Pool: Little's law, pool_size / lifetime, and the cores, cores / (k × service).
    Loops: min(loops, cores) / (k × service).
    """
    cpu_per_connection_s = config.requests_per_connection * config.service_s
    if config.design == "thread pool":
        return min(config.pool_size / config.lifetime_s, config.cores / cpu_per_connection_s)
    return min(config.loops, config.cores) / cpu_per_connection_s


@public
def model_knee(design: Design,
               connection_counts: Annotated[list[Annotated[int, Field(ge=1, le=10_000)]],
                                            Field(min_length=1, max_length=200)], *,
               pool_size: Annotated[int, Field(ge=1, le=10_000)] = 4,
               hold_s: Annotated[float, Field(gt=0, le=3600)] = 0.3) -> list[int]:
    """For each N: N connections arrive at once, one request each, then hold ``hold_s``.

    Returns how many waited more than ``hold_s / 2`` for their answer.
    """
    check_work("connection_counts", len(connection_counts), work=sum(connection_counts),
               limit=_REQUEST_LIMIT, unit="simulated requests")
    waited = []
    configs = [ModelConfig(design=design, connections=count, pool_size=pool_size,
                           linger_s=hold_s) for count in connection_counts]
    for config in configs:
        _check_size(config, "connection_counts", config.connections)
    for config in configs:
        waited.append(_simulate(config).waited(hold_s / 2))
    return waited


@public
def model_backlog(*, idle: Annotated[int, Field(ge=0, le=10_000)] = 2,
                  fresh: Annotated[int, Field(ge=1, le=10_000)] = 8,
                  pool_size: Annotated[int, Field(ge=1, le=10_000)] = 2,
                  backlog: Annotated[int, Field(ge=0, le=10_000)] = 2) -> int:
    """``idle`` clients hold a pool, ``fresh`` ones arrive: how many found the queue full."""
    config = ModelConfig(connections=idle + fresh, pool_size=pool_size, backlog=backlog,
                         holders=idle, hold_s=0.3)
    # The connections are idle + fresh: name the larger part, the one to make smaller.
    _check_size(config, *(("idle", idle) if idle >= fresh else ("fresh", fresh)))
    return _simulate(config).dropped_connections


@public
def load_sweep(config: ModelConfig,
               rates_per_s: Annotated[list[Annotated[float, Field(gt=0, le=1e6)]],
                                      Field(min_length=1, max_length=100)]) -> list[float]:
    """The 99th-percentile latency (simulated seconds) at each connection arrival rate."""
    check_work("rates_per_s", len(rates_per_s),
               work=len(rates_per_s) * config.connections * config.requests_per_connection,
               limit=_REQUEST_LIMIT, unit="simulated requests")
    _check_size(config, "config", config.connections)
    return [_simulate(replace(config, arrival_rate_per_s=rate)).percentile_s(99)
            for rate in rates_per_s]


@public
def model_blocking(design: Design, *, others: Annotated[int, Field(ge=1, le=10_000)] = 8,
                   block_s: Annotated[float, Field(gt=0, le=3600)] = 0.5) -> int:
    """One blocking request, then ``others`` plain ones at once: how many of the others waited."""
    config = ModelConfig(design=design, connections=others + 1, pool_size=others + 1,
                         think_s=0.0, block_s=block_s)
    trace = _simulate(config)
    return sum(r.latency_s > block_s / 2 for r in trace.records if r.connection != 0)
