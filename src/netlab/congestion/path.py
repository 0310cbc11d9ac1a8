"""The pieces of the simulated path: configs and the bottleneck link (timers: netlab.sim)."""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass
from typing import Protocol


class _CountsData(Protocol):
    data_count: int


@dataclass(frozen=True, slots=True)
class PathConfig:
    """The shared path: base RTT, bottleneck rate and queue, random loss."""

    rtt_s: float
    bottleneck_bps: float | None
    queue_packets: int
    loss_rate: float
    loss_model: str


@dataclass(frozen=True, slots=True)
class FlowConfig:
    """One flow: its algorithm, segment size, receiver buffer and reading application."""

    algorithm: str
    mss_bytes: int
    rcv_buffer_bytes: int
    app_read_bps: float | None
    app_pauses_s: tuple[tuple[float, float], ...]
    initial_cwnd_segments: int
    min_rto_s: float
    start_s: float
    window_updates: bool
    sack: bool = True
    ack_every: int = 1
    delayed_ack_s: float = 0.04
    byte_counting: bool = True


class Bottleneck:
    """A FIFO link of fixed rate with room for ``queue_packets`` waiting packets."""

    def __init__(self, cfg: PathConfig, rng: random.Random) -> None:
        self.rate_bps = cfg.bottleneck_bps
        self.capacity = cfg.queue_packets + 1  # waiting packets plus the one on the wire
        self.departures: deque[float] = deque()
        self.last_departure = 0.0
        self.loss_rate = cfg.loss_rate
        self.periodic = cfg.loss_model == "periodic"
        # A loss every 1/p segments; rates below 1e-15 lose nothing within any run.
        self.periodic_every = round(1 / cfg.loss_rate) if cfg.loss_rate > 1e-15 else 0
        if self.periodic_every == 0:
            self.loss_rate = 0.0
        self.rng = rng

    def backlog(self, now: float) -> int:
        """Packets queued or in transmission at ``now``."""
        deps = self.departures
        while deps and deps[0] <= now:
            deps.popleft()
        return len(deps)

    def random_drop(self, flow: _CountsData) -> bool:
        """Decide whether the path loses this data segment at random."""
        if self.loss_rate == 0.0:
            return False
        if self.periodic:
            flow.data_count += 1
            return flow.data_count % self.periodic_every == 0
        return self.rng.random() < self.loss_rate

    def admit(self, now: float, size_bytes: int) -> float | None:
        """Departure time of a packet arriving now, or None when the queue is full."""
        if self.rate_bps is None:
            return now
        if self.backlog(now) >= self.capacity:
            return None
        departure = max(now, self.last_departure) + 8 * size_bytes / self.rate_bps
        self.last_departure = departure
        self.departures.append(departure)
        return departure

