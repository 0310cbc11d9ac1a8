"""Head-of-line blocking: N streams over one TCP connection versus N QUIC streams (simpy).

One sender sends the packets of N streams, one packet every ``send_interval_s``; each
packet takes ``rtt_s / 2`` to arrive. The sender either interleaves the streams
packet by packet (``scheduler="round-robin"``, what RFC 9218 calls incremental) or
sends them one after the other (``"sequential"``, RFC 9218's default for
non-incremental responses, and what Chrome's exclusive HTTP/2 dependencies produce).
A lost packet is noticed one RTT after it was sent and resent at the head of the
queue (roughly fast retransmit, RFC 9002 §6.1). The sender and the losses are
identical for both transports; only the receiver's rule for handing data to the
application differs:

* TCP delivers one byte stream in order, so packet *k* waits for every packet sent
  before it, whatever stream they belong to (RFC 9293 §3.10.7.4);
* QUIC orders data only within a stream (RFC 9000 §2.2), so a loss delays only the
  stream that lost the packet.

QUIC's rule waits for a subset of what TCP's rule waits for, so in this model no
packet, and no stream, is ever delivered later over QUIC than over TCP: that result
follows from the model's assumptions (same sender, same losses, one stream per
packet), it is not a measurement. Congestion control, pacing and packets that carry
frames of several streams are left out.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import simpy
from pydantic import Field

from netlab._validate import NonNegativeInt, Seed, check_work, public, result

TRANSPORTS = ("tcp", "quic")
SCHEDULERS = ("round-robin", "sequential")
_MAX_TRANSMISSIONS = 200_000  # expected packet transmissions a call may simulate (~5 s)


@public
@dataclass(frozen=True)
class HolConfig:
    """Parameters of one run: streams, their size in packets, scheduling, timing and losses."""

    streams: Annotated[int, Field(ge=1, le=64)] = 4
    segments_per_stream: Annotated[int, Field(ge=1, le=1000)] = 8
    rtt_s: Annotated[float, Field(gt=0, le=10)] = 0.040
    send_interval_s: Annotated[float, Field(gt=0, le=1)] = 0.001
    loss_rate: Annotated[float, Field(ge=0, le=0.5)] = 0.0
    lost_packets: tuple[NonNegativeInt, ...] = ()  #: first transmissions always lost
    scheduler: Literal["round-robin", "sequential"] = "round-robin"
    seed: Seed = 7
    horizon_s: Annotated[float, Field(gt=0, le=3600)] = 600.0

    def __post_init__(self) -> None:
        for packet in self.lost_packets:
            if packet >= self.packets:
                raise ValueError(f"lost_packets: each packet must be < {self.packets} "
                                 f"(streams x segments_per_stream), got {packet}")

    @property
    def packets(self) -> int:
        """Total packets: streams x segments_per_stream."""
        return self.streams * self.segments_per_stream

    def stream_of(self, packet: int) -> int:
        """Which stream a packet belongs to, under this configuration's scheduler."""
        if self.scheduler == "round-robin":
            return packet % self.streams
        return packet // self.segments_per_stream


@result
@dataclass(frozen=True)
class PacketEvent:
    """One trace record: a packet sent, lost, arrived or delivered to the application."""

    time_s: float
    event: str
    packet: int
    stream: int
    transmission: int = 0


@result
@dataclass(frozen=True)
class HolResult:
    """A run's trace and, per stream, when its last packet reached the application."""

    transport: str
    trace: tuple[PacketEvent, ...]
    completion_s: dict[int, float]

    @property
    def lost(self) -> list[int]:
        """Packets whose transmission was lost, in order."""
        return [e.packet for e in self.trace if e.event == "lost"]


def _lanes(transport: str, config: HolConfig) -> list[list[int]]:
    """The delivery order each lane enforces: one lane for TCP, one per stream for QUIC."""
    if transport == "tcp":
        return [list(range(config.packets))]
    lanes: list[list[int]] = [[] for _ in range(config.streams)]
    for packet in range(config.packets):
        lanes[config.stream_of(packet)].append(packet)
    return lanes


def _run(transport: str, config: HolConfig) -> HolResult:
    env, rng = simpy.Environment(), random.Random(config.seed)
    trace: list[PacketEvent] = []
    arrived: set[int] = set()
    lanes = _lanes(transport, config)
    lane_of = {packet: n for n, lane in enumerate(lanes) for packet in lane}
    next_in_lane = [0] * len(lanes)
    retransmit: deque[tuple[int, int]] = deque()
    lost_once = set(config.lost_packets)
    waiting: dict[str, Any] = {"losses": 0, "wake": None}

    def deliver(lane: int) -> None:
        order = lanes[lane]
        while next_in_lane[lane] < len(order) and order[next_in_lane[lane]] in arrived:
            packet = order[next_in_lane[lane]]
            trace.append(PacketEvent(env.now, "delivered", packet, config.stream_of(packet)))
            next_in_lane[lane] += 1

    def arrive(packet: int, transmission: int):  # type: ignore[no-untyped-def]
        yield env.timeout(config.rtt_s / 2)
        trace.append(PacketEvent(env.now, "arrived", packet, config.stream_of(packet),
                                 transmission))
        arrived.add(packet)
        deliver(lane_of[packet])

    def detect_loss(packet: int, transmission: int):  # type: ignore[no-untyped-def]
        yield env.timeout(config.rtt_s)
        retransmit.append((packet, transmission + 1))
        waiting["losses"] -= 1
        if waiting["wake"] is not None and not waiting["wake"].triggered:
            waiting["wake"].succeed()

    def sender():  # type: ignore[no-untyped-def]
        fresh = deque(range(config.packets))
        while retransmit or fresh or waiting["losses"]:
            if not retransmit and not fresh:  # everything is in flight: wait for a loss
                waiting["wake"] = env.event()
                yield waiting["wake"]
                continue
            packet, transmission = retransmit.popleft() if retransmit else (fresh.popleft(), 0)
            stream = config.stream_of(packet)
            trace.append(PacketEvent(env.now, "sent", packet, stream, transmission))
            drop = rng.random() < config.loss_rate  # drawn every time: same losses for both
            if transmission == 0 and packet in lost_once:
                drop = True
            if drop:
                trace.append(PacketEvent(env.now, "lost", packet, stream, transmission))
                waiting["losses"] += 1
                env.process(detect_loss(packet, transmission))
            else:
                env.process(arrive(packet, transmission))
            yield env.timeout(config.send_interval_s)

    env.process(sender())
    env.run(until=config.horizon_s)
    if len(arrived) < config.packets:
        raise ValueError(f"horizon_s: not every packet arrived within {config.horizon_s} s "
                         f"of simulated time; raise horizon_s or lower loss_rate")
    completion = {s: 0.0 for s in range(config.streams)}
    for record in trace:
        if record.event == "delivered":
            completion[record.stream] = max(completion[record.stream], record.time_s)
    return HolResult(transport, tuple(trace), completion)


def _check_size(config: HolConfig, runs: int = 1) -> None:
    check_work("segments_per_stream", config.segments_per_stream,
               work=runs * config.packets / (1 - config.loss_rate), limit=_MAX_TRANSMISSIONS,
               unit="packet transmissions")


@public
def simulate_hol(transport: Literal["tcp", "quic"],
                 config: HolConfig | None = None) -> HolResult:
    """Run the model for ``transport`` ('tcp' or 'quic') and return its trace."""
    config = config or HolConfig()
    _check_size(config)
    return _run(transport, config)


@public
def compare_hol(config: HolConfig | None = None) -> dict[str, HolResult]:
    """Run the same configuration (same sender, same losses) for TCP and for QUIC."""
    config = config or HolConfig()
    _check_size(config, runs=len(TRANSPORTS))
    return {transport: _run(transport, config) for transport in TRANSPORTS}


@public
def completion_table(config: HolConfig | None = None) -> list[tuple[int, float, float]]:
    """Rows (stream, TCP completion ms, QUIC completion ms), rounded to 0.1 ms."""
    results = compare_hol(config)
    tcp, quic = results["tcp"].completion_s, results["quic"].completion_s
    return [(s, round(tcp[s] * 1000, 1), round(quic[s] * 1000, 1)) for s in sorted(tcp)]


@public
def plot_completion(config: HolConfig | None = None, ax: Any = None) -> Any:
    """Bar chart of per-stream completion times, TCP beside QUIC; returns the Axes."""
    import matplotlib.pyplot as plt

    rows = completion_table(config)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3))
    elif not hasattr(ax, "bar"):
        raise ValueError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    streams = [r[0] for r in rows]
    ax.bar([s - 0.2 for s in streams], [r[1] for r in rows], width=0.4, label="TCP (HTTP/2)")
    ax.bar([s + 0.2 for s in streams], [r[2] for r in rows], width=0.4, label="QUIC (HTTP/3)")
    ax.set_xlabel("stream")
    ax.set_ylabel("completion time (ms, simulated)")
    ax.set_xticks(streams)
    ax.legend()
    return ax
