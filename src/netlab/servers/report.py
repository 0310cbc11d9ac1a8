"""Small tables, plots and one-call summaries for the labs' steps and sliders."""

from __future__ import annotations

import http.client
from collections.abc import Sequence
from typing import Annotated, Any

from pydantic import Field

from netlab._validate import public
from netlab.servers.experiments import (
    BlockingResult,
    IdleResult,
    SaturationResult,
    check_clients,
    measure_idle,
    measure_saturation,
)
from netlab.servers.limits import FdLimitResult, SlowlorisResult
from netlab.servers.load import RunningServer, UrlPath
from netlab.servers.model import Design, ModelConfig, _simulate, saturation_rate_per_s
from netlab.tables import format_table

MEMORY_MARK_KIB = 10.0

Counts = Annotated[list[Annotated[int, Field(ge=0, le=1_000_000)]],
                   Field(min_length=1, max_length=200)]
Columns = Annotated[dict[Annotated[str, Field(min_length=1, max_length=40)], Counts],
                    Field(min_length=1, max_length=8)]


def _same_length(name: str, expected: int, columns: dict[str, Sequence[float]]) -> None:
    for label, values in columns.items():
        if len(values) != expected:
            raise ValueError(f"{name}[{label!r}] must have {expected} values (one per count), "
                             f"got {len(values)}")


@public
def fetch(server: RunningServer, path: UrlPath = "/") -> tuple[int, bytes, str]:
    """One GET with the standard library's client: (status, body, Server header)."""
    conn = http.client.HTTPConnection(*server.address, timeout=5)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read(), response.getheader("Server") or ""
    finally:
        conn.close()


@public
def idle_table(results: Sequence[IdleResult]) -> str:
    """One row per run: threads, answered and waiting connections, limit hit, memory mark."""
    rows = [(r.design, r.connections, r.pool_size, r.threads, r.answered, r.waiting, r.limit_hit,
             r.kib_per_connection > MEMORY_MARK_KIB) for r in results]
    return format_table(rows, ("design", "idle conns", "pool", "threads", "answered", "waiting",
                              "limit hit", f"> {MEMORY_MARK_KIB:g} KiB/conn"))


@public
def saturation_table(results: Sequence[SaturationResult]) -> str:
    """One row per run: fresh requests answered, waited, retransmitted (queue full), failed."""
    rows = [(r.design, r.pool_size, r.idle_connections, r.requests, r.answered, r.waited,
             r.retransmitted, r.failed, r.limit_hit) for r in results]
    return format_table(rows, ("design", "pool", "idle", "fresh", "answered", "waited",
                              "retransmitted", "failed", "limit hit"))


@public
def blocking_table(results: Sequence[BlockingResult]) -> str:
    """One row per design: plain requests sent during one blocking call, and how many waited."""
    rows = [(r.design, r.blocking_calls, r.others, r.answered, r.waited) for r in results]
    return format_table(rows, ("design", "blocking calls", "other requests", "answered", "waited"))


@public
def fd_limit_table(results: Sequence[FdLimitResult]) -> str:
    """One row per design: clients answered and waiting while descriptors ran out, EMFILE seen."""
    rows = [(r.design, r.clients, r.spare_fds, r.answered_while_full, r.waiting_while_full,
             r.accept_errors_seen, r.answered_in_the_end, r.failed) for r in results]
    return format_table(rows, ("design", "clients", "spare fds", "answered", "waiting",
                              "EMFILE on accept", "answered in the end", "failed"))


@public
def slowloris_table(results: Sequence[SlowlorisResult]) -> str:
    """One row per run: the defences on, slow clients dropped, legitimate requests answered."""
    rows = [(r.design, r.keepalive_timeout_s, r.header_timeout_s, r.slow_clients,
             r.slow_dropped_by_server, r.legit, r.legit_answered_during_attack,
             r.legit_answered, r.denied) for r in results]
    return format_table(rows, ("design", "idle timeout s", "header deadline s", "slow",
                              "slow dropped", "legit", "answered during attack",
                              "answered in the end", "denied"),
                        floatfmt="g")


@public
def knee_table(counts: Counts, columns: Columns) -> str:
    """Connections that waited, per connection count, one column per source."""
    _same_length("columns", len(counts), columns)
    rows = [(n, *(values[i] for values in columns.values())) for i, n in enumerate(counts)]
    return format_table(rows, ("connections", *columns))


@public
def show_idle(connections: Annotated[int, Field(ge=1, le=1000)] = 100,
              pool_size: Annotated[int, Field(ge=1, le=1000)] = 100) -> str:
    """Measure ``connections`` idle clients against both designs and return the table."""
    check_clients("connections", 2 * connections)
    return idle_table([measure_idle("thread pool", connections, pool_size=pool_size),
                       measure_idle("event loop", connections)])


@public
def show_saturation(idle_connections: Annotated[int, Field(ge=0, le=100)] = 4,
                    pool_size: Annotated[int, Field(ge=1, le=100)] = 4) -> str:
    """Hold ``idle_connections`` open, send 4 fresh requests to both designs, return the table."""
    return saturation_table([
        measure_saturation("thread pool", idle_connections=idle_connections,
                           pool_size=pool_size),
        measure_saturation("event loop", idle_connections=idle_connections)])


def example_config(design: Design, *, pool_size: int, rate_per_s: float, cores: int, loops: int,
                   seed: int) -> ModelConfig:
    """The chapter's example: 600 connections of 5 requests of 2 ms CPU, 0.25 s apart."""
    return ModelConfig(design=design, connections=600, pool_size=pool_size,
                       requests_per_connection=5, think_s=0.25, service_s=0.002, cores=cores,
                       loops=loops, arrival_rate_per_s=rate_per_s, seed=seed)


@public
def show_model(pool_size: Annotated[int, Field(ge=1, le=2000)] = 50,
               rate_per_s: Annotated[float, Field(ge=1, le=1000)] = 40.0, *,
               cores: Annotated[int, Field(ge=1, le=64)] = 1,
               loops: Annotated[int, Field(ge=1, le=64)] = 1,
               seed: Annotated[int, Field(ge=0, le=2**32)] = 7) -> str:
    """Simulate both designs at one load; return saturation points, latencies and CPU use."""
    rows = []
    for design in ("thread pool", "event loop"):
        config = example_config(design, pool_size=pool_size, rate_per_s=rate_per_s, cores=cores,
                                loops=loops, seed=seed)
        trace = _simulate(config)
        knee = saturation_rate_per_s(config)
        rows.append((design, knee, "OVER" if rate_per_s >= knee else "under",
                     trace.percentile_s(50) * 1000, trace.percentile_s(99) * 1000,
                     trace.peak_workers if design == "thread pool" else loops,
                     100 * trace.cpu_utilisation))
    return (f"load {rate_per_s:g} new connections/s, pool {pool_size}, {cores} core(s), "
            f"{loops} loop(s) (simulated)\n"
            + format_table(rows, ("design", "saturates at (conn/s)", "load", "p50 ms",
                                  "p99 ms", "threads busy at peak", "CPU busy %"),
                           floatfmt=("g", ".1f", "g", ".1f", ".1f", "g", ".0f")))


@public
def plot_knee(counts: Counts, columns: Columns, *,
              pool_size: Annotated[int, Field(ge=1, le=1_000_000)]) -> Any:
    """Connections that waited against connections opened, with the pool size marked.

    Returns a matplotlib Figure (matplotlib is imported here, so that the server processes,
    which import this package, start without it).
    """
    import matplotlib.pyplot as plt

    _same_length("columns", len(counts), columns)
    fig, ax = plt.subplots(figsize=(6, 3.4))
    for (label, values), marker in zip(columns.items(), "os^v", strict=False):
        ax.plot(counts, values, marker=marker, label=label)
    ax.axvline(pool_size, color="grey", linestyle=":", label=f"pool size {pool_size}")
    ax.set_xlabel("connections opened at once")
    ax.set_ylabel("connections that waited")
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig


Rates = Annotated[list[Annotated[float, Field(gt=0, le=1e6)]], Field(min_length=1, max_length=100)]
Latencies = Annotated[dict[Annotated[str, Field(min_length=1, max_length=40)],
                           Annotated[list[Annotated[float, Field(gt=0, le=1e6)]],
                                     Field(min_length=1, max_length=100)]],
                      Field(min_length=1, max_length=4)]


@public
def plot_load_sweep(rates_per_s: Rates, p99_s: Latencies,
                    knees: Annotated[dict[str, Annotated[float, Field(gt=0, le=1e6)]],
                                     Field(min_length=1, max_length=4)]) -> Any:
    """Simulated p99 latency against arrival rate, with each design's predicted saturation."""
    import matplotlib.pyplot as plt

    _same_length("p99_s", len(rates_per_s), p99_s)
    missing = sorted(set(p99_s) - set(knees))
    if missing:
        raise ValueError(f"knees must give a saturation rate for every design in p99_s, "
                         f"missing {missing}")
    fig, ax = plt.subplots(figsize=(6, 3.4))
    for (design, values), color in zip(p99_s.items(), ("C0", "C1", "C2", "C3"), strict=False):
        ax.plot(rates_per_s, [v * 1000 for v in values], marker="o", color=color, label=design)
        ax.axvline(knees[design], color=color, linestyle=":")
    ax.set_yscale("log")
    ax.set_xlabel("new connections per second")
    ax.set_ylabel("p99 latency (ms, simulated)")
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig
