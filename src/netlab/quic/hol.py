"""Head-of-line blocking: N streams over one TCP connection versus N QUIC streams (simpy).

One sender interleaves the packets of N streams round-robin (as HTTP/2 and HTTP/3
both multiplex), one packet every ``send_interval_s``; each packet takes ``rtt_s / 2``
to arrive. A lost packet is noticed one RTT after it was sent and resent at the head
of the queue (roughly fast retransmit, RFC 9002 §6.1). The sender and the losses are
identical for both transports; only the receiver's rule for handing data to the
application differs:

* TCP delivers one byte stream in order, so packet *k* waits for every packet before
  it, whatever stream they belong to (RFC 9293 §3.10.7.4);
* QUIC orders data only within a stream (RFC 9000 §2.2), so a loss delays only the
  stream that lost the packet.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import simpy

from netlab._check import check_choice, check_float, check_int, check_positive, check_seed

TRANSPORTS = ("tcp", "quic")


@dataclass(frozen=True)
class HolConfig:
    """Parameters of one run: streams, their size in packets, timing and losses."""

    streams: int = 4
    segments_per_stream: int = 8
    rtt_s: float = 0.040
    send_interval_s: float = 0.001
    loss_rate: float = 0.0
    lost_packets: tuple[int, ...] = ()
    seed: int = 7
    horizon_s: float = field(default=60.0, repr=False)

    def __post_init__(self) -> None:
        check_int("streams", self.streams, min_value=1, max_value=64)
        check_int("segments_per_stream", self.segments_per_stream, min_value=1,
                  max_value=1000)
        check_positive("rtt_s", self.rtt_s)
        check_positive("send_interval_s", self.send_interval_s)
        check_float("loss_rate", self.loss_rate, min_value=0.0, max_value=0.5)
        total = self.streams * self.segments_per_stream
        for packet in self.lost_packets:
            check_int("lost_packets[i]", packet, min_value=0, max_value=total - 1)
        check_seed("seed", self.seed)
        check_positive("horizon_s", self.horizon_s)

    @property
    def packets(self) -> int:
        """Total packets: streams x segments_per_stream."""
        return self.streams * self.segments_per_stream

    def stream_of(self, packet: int) -> int:
        """Which stream a packet belongs to (round-robin interleaving)."""
        return packet % self.streams


@dataclass(frozen=True)
class PacketEvent:
    """One trace record: a packet sent, lost, arrived or delivered to the application."""

    time_s: float
    event: str
    packet: int
    stream: int
    transmission: int = 0


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


def simulate_hol(transport: str, config: HolConfig | None = None) -> HolResult:
    """Run the model for ``transport`` ('tcp' or 'quic') and return its trace."""
    check_choice("transport", transport, TRANSPORTS)
    config = config or HolConfig()
    if not isinstance(config, HolConfig):
        raise ValueError(f"config must be a HolConfig, got {type(config).__name__}")
    env, rng = simpy.Environment(), random.Random(config.seed)
    trace: list[PacketEvent] = []
    arrived: set[int] = set()
    next_packet = [0] * (1 if transport == "tcp" else config.streams)  # next to deliver
    retransmit: list[tuple[int, int]] = []
    lost_once = set(config.lost_packets)

    def deliver() -> None:
        for lane in range(len(next_packet)):
            step = 1 if transport == "tcp" else config.streams
            while next_packet[lane] * step + lane in arrived:
                packet = next_packet[lane] * step + lane
                trace.append(PacketEvent(env.now, "delivered", packet, config.stream_of(packet)))
                next_packet[lane] += 1

    def arrive(packet: int, transmission: int):  # type: ignore[no-untyped-def]
        yield env.timeout(config.rtt_s / 2)
        trace.append(PacketEvent(env.now, "arrived", packet, config.stream_of(packet),
                                 transmission))
        arrived.add(packet)
        deliver()

    def detect_loss(packet: int, transmission: int):  # type: ignore[no-untyped-def]
        yield env.timeout(config.rtt_s)
        retransmit.append((packet, transmission + 1))

    def sender():  # type: ignore[no-untyped-def]
        fresh = list(range(config.packets))
        while len(arrived) < config.packets:
            if not retransmit and not fresh:
                yield env.timeout(config.send_interval_s)
                continue
            packet, transmission = retransmit.pop(0) if retransmit else (fresh.pop(0), 0)
            stream = config.stream_of(packet)
            trace.append(PacketEvent(env.now, "sent", packet, stream, transmission))
            drop = rng.random() < config.loss_rate  # drawn every time: same losses for both
            if transmission == 0 and packet in lost_once:
                drop = True
            if drop:
                trace.append(PacketEvent(env.now, "lost", packet, stream, transmission))
                env.process(detect_loss(packet, transmission))
            else:
                env.process(arrive(packet, transmission))
            yield env.timeout(config.send_interval_s)

    env.process(sender())
    env.run(until=config.horizon_s)
    if len(arrived) < config.packets:
        raise RuntimeError(f"not every packet arrived within horizon_s={config.horizon_s}")
    completion = {s: 0.0 for s in range(config.streams)}
    for record in trace:
        if record.event == "delivered":
            completion[record.stream] = max(completion[record.stream], record.time_s)
    return HolResult(transport, tuple(trace), completion)


def compare_hol(config: HolConfig | None = None) -> dict[str, HolResult]:
    """Run the same configuration (same sender, same losses) for TCP and for QUIC."""
    return {transport: simulate_hol(transport, config) for transport in TRANSPORTS}


def completion_table(config: HolConfig | None = None) -> list[tuple[int, float, float]]:
    """Rows (stream, TCP completion ms, QUIC completion ms), rounded to 0.1 ms."""
    results = compare_hol(config)
    tcp, quic = results["tcp"].completion_s, results["quic"].completion_s
    return [(s, round(tcp[s] * 1000, 1), round(quic[s] * 1000, 1)) for s in sorted(tcp)]


def plot_completion(config: HolConfig | None = None, ax=None):  # type: ignore[no-untyped-def]
    """Bar chart of per-stream completion times, TCP beside QUIC; returns the Axes."""
    import matplotlib.pyplot as plt

    rows = completion_table(config)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3))
    streams = [r[0] for r in rows]
    ax.bar([s - 0.2 for s in streams], [r[1] for r in rows], width=0.4, label="TCP (HTTP/2)")
    ax.bar([s + 0.2 for s in streams], [r[2] for r in rows], width=0.4, label="QUIC (HTTP/3)")
    ax.set_xlabel("stream")
    ax.set_ylabel("completion time (ms, simulated)")
    ax.set_xticks(streams)
    ax.legend()
    return ax
