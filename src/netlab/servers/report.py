"""Small tables, plots and one-call summaries for the labs' steps and sliders."""

from __future__ import annotations

import http.client
from collections.abc import Sequence
from typing import TYPE_CHECKING

from netlab._check import check_float, check_int
from netlab.servers.experiments import (
    BlockingResult,
    IdleResult,
    SaturationResult,
    measure_idle,
    measure_saturation,
)
from netlab.servers.load import Server
from netlab.servers.model import ModelConfig, saturation_rate_per_s, simulate
from netlab.tables import format_table

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MEMORY_MARK_KIB = 10.0


def fetch(server: Server, path: str = "/") -> tuple[int, bytes, str]:
    """One GET with the standard library's client: (status, body, Server header)."""
    if not isinstance(path, str) or not path.startswith("/"):
        raise ValueError(f"path must be a str starting with '/', got {path!r}")
    conn = http.client.HTTPConnection(*server.address, timeout=5)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read(), response.getheader("Server") or ""
    finally:
        conn.close()


def idle_table(results: Sequence[IdleResult]) -> str:
    """One row per run: threads, answered and waiting connections, limit hit, memory mark."""
    rows = [(r.design, r.connections, r.pool_size, r.threads, r.answered, r.waiting, r.limit_hit,
             r.kib_per_connection > MEMORY_MARK_KIB) for r in results]
    return format_table(rows, ("design", "idle conns", "pool", "threads", "answered", "waiting",
                              "limit hit", f"> {MEMORY_MARK_KIB:g} KiB/conn"))


def saturation_table(results: Sequence[SaturationResult]) -> str:
    """One row per run: fresh requests answered, waited, retransmitted (queue full), failed."""
    rows = [(r.design, r.pool_size, r.idle_connections, r.requests, r.answered, r.waited,
             r.retransmitted, r.failed, r.limit_hit) for r in results]
    return format_table(rows, ("design", "pool", "idle", "fresh", "answered", "waited",
                              "retransmitted", "failed", "limit hit"))


def blocking_table(results: Sequence[BlockingResult]) -> str:
    """One row per design: plain requests sent during one blocking call, and how many waited."""
    rows = [(r.design, r.blocking_calls, r.others, r.answered, r.waited) for r in results]
    return format_table(rows, ("design", "blocking calls", "other requests", "answered", "waited"))


def knee_table(counts: Sequence[int], columns: dict[str, Sequence[int]]) -> str:
    """Connections that waited, per connection count, one column per source."""
    rows = [(n, *(values[i] for values in columns.values())) for i, n in enumerate(counts)]
    return format_table(rows, ("connections", *columns))


def show_idle(connections: int = 100, pool_size: int = 100) -> str:
    """Measure ``connections`` idle clients against both designs and return the table."""
    check_int("connections", connections, min_value=1, max_value=1000)
    check_int("pool_size", pool_size, min_value=1, max_value=1000)
    return idle_table([measure_idle("thread pool", connections, pool_size=pool_size),
                       measure_idle("event loop", connections)])


def show_saturation(idle_connections: int = 4, pool_size: int = 4) -> str:
    """Hold ``idle_connections`` open, send 4 fresh requests to both designs, return the table."""
    return saturation_table([
        measure_saturation("thread pool", idle_connections=idle_connections,
                           pool_size=pool_size),
        measure_saturation("event loop", idle_connections=idle_connections)])


def show_model(pool_size: int = 50, rate_per_s: float = 40.0, *, seed: int = 7) -> str:
    """Simulate both designs at one load; return saturation points and latency percentiles."""
    check_float("rate_per_s", rate_per_s, min_value=1.0, max_value=1000.0)
    rows = []
    for design in ("thread pool", "event loop"):
        config = ModelConfig(design=design, connections=600, pool_size=pool_size,
                             requests_per_connection=5, think_s=0.2, service_s=0.002,
                             arrival_rate_per_s=rate_per_s, seed=seed)
        trace = simulate(config)
        knee = saturation_rate_per_s(config)
        rows.append((design, knee, "OVER" if rate_per_s >= knee else "under",
                     trace.percentile_s(50) * 1000, trace.percentile_s(99) * 1000,
                     trace.peak_workers if design == "thread pool" else 1))
    return (f"load {rate_per_s:g} new connections/s, pool {pool_size} (simulated)\n"
            + format_table(rows, ("design", "saturates at (conn/s)", "load", "p50 ms",
                                  "p99 ms", "peak workers"),
                           floatfmt=("g", ".1f", "g", ".1f", ".1f", "g")))


def plot_knee(counts: Sequence[int], columns: dict[str, Sequence[int]], *,
              pool_size: int) -> Figure:
    """Connections that waited against connections opened, with the pool size marked."""
    import matplotlib.pyplot as plt  # imported here: measuring processes need no plotting

    fig, ax = plt.subplots(figsize=(6, 3.4))
    for (label, values), marker in zip(columns.items(), "os^v", strict=False):
        ax.plot(counts, values, marker=marker, label=label)
    ax.axvline(pool_size, color="grey", linestyle=":", label=f"pool size {pool_size}")
    ax.set_xlabel("connections opened at once")
    ax.set_ylabel("connections that waited")
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig


def plot_load_sweep(rates_per_s: Sequence[float], p99_s: dict[str, Sequence[float]],
                    knees: dict[str, float]) -> Figure:
    """Simulated p99 latency against arrival rate, with each design's predicted saturation."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.4))
    for (design, values), color in zip(p99_s.items(), ("C0", "C1"), strict=False):
        ax.plot(rates_per_s, [v * 1000 for v in values], marker="o", color=color, label=design)
        ax.axvline(knees[design], color=color, linestyle=":")
    ax.set_yscale("log")
    ax.set_xlabel("new connections per second")
    ax.set_ylabel("p99 latency (ms, simulated)")
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig
