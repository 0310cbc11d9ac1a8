"""Fire-and-forget datagrams versus retransmit-until-acknowledged, simulated with simpy.

The datagram sender is what UDP gives an application (RFC 768): each message is
sent once, and a lost one is simply gone. The ARQ sender is the idea underneath
TCP's reliability (RFC 9293 §3.8): stop-and-wait with sequence numbers, an
acknowledgement for every message and a retransmission timeout.

Both are checked against closed forms: the datagram sender delivers a fraction
``1 - p``; stop-and-wait needs ``K`` transmissions per message with
``K ~ Geometric(q)``, ``q = (1 - p)**2`` (data and ACK must both survive), so a
message takes ``2·delay + rto·(K - 1)`` on average ``2·delay + rto·(1/q - 1)``.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

import simpy

from netlab._check import check_choice, check_float, check_int, check_probability, check_seed
from netlab.sim import LinkConfig, LossyLink

MODES = ("datagram", "arq")


@dataclass(frozen=True)
class DeliveryConfig:
    """Parameters of one run; frozen so a run is fully described by its config and seed."""

    mode: str
    n_messages: int = 1_000
    loss_rate: float = 0.1
    one_way_delay_s: float = 0.01
    rto_s: float = 0.05
    send_interval_s: float = 0.001

    def __post_init__(self) -> None:
        check_choice("mode", self.mode, MODES)
        check_int("n_messages", self.n_messages, min_value=1, max_value=10_000_000)
        check_probability("loss_rate", self.loss_rate)
        check_float("one_way_delay_s", self.one_way_delay_s, min_value=0.0, min_inclusive=False)
        check_float("send_interval_s", self.send_interval_s, min_value=0.0, min_inclusive=False)
        check_float("rto_s", self.rto_s, min_value=2 * self.one_way_delay_s, min_inclusive=False)


@dataclass(frozen=True)
class Event:
    """One thing that happened: ``kind`` is send, retransmit, deliver, duplicate or ack."""

    now: float
    kind: str
    seq: int


@dataclass
class DeliveryTrace:
    """The recorded events of a run and the numbers computed from them."""

    config: DeliveryConfig
    events: list[Event] = field(default_factory=list)
    delivered: list[int] = field(default_factory=list)
    completion_time_s: float = 0.0

    @property
    def delivered_fraction(self) -> float:
        """Share of distinct messages that reached the receiving application."""
        return len(set(self.delivered)) / self.config.n_messages

    @property
    def transmissions(self) -> int:
        """Data packets put on the link, first sends and retransmissions together."""
        return sum(1 for e in self.events if e.kind in ("send", "retransmit"))

    @property
    def in_order(self) -> bool:
        """True if the application saw messages in sequence order with no repeats."""
        return self.delivered == sorted(set(self.delivered))


def _receiver(env: simpy.Environment, data: LossyLink, acks: LossyLink | None,
              trace: DeliveryTrace):
    seen: set[int] = set()
    while True:
        seq = yield data.inbox.get()
        if seq in seen:
            trace.events.append(Event(env.now, "duplicate", seq))
        else:
            seen.add(seq)
            trace.delivered.append(seq)
            trace.events.append(Event(env.now, "deliver", seq))
        if acks is not None:
            acks.send(seq)


def _datagram_sender(env: simpy.Environment, cfg: DeliveryConfig, data: LossyLink,
                     trace: DeliveryTrace):
    for seq in range(cfg.n_messages):
        trace.events.append(Event(env.now, "send", seq))
        data.send(seq)
        if seq < cfg.n_messages - 1:
            yield env.timeout(cfg.send_interval_s)
    yield env.timeout(cfg.one_way_delay_s)  # the last datagram lands, or never will
    trace.completion_time_s = env.now


def _arq_sender(env: simpy.Environment, cfg: DeliveryConfig, data: LossyLink,
                acks: LossyLink, trace: DeliveryTrace):
    for seq in range(cfg.n_messages):
        kind = "send"
        while True:
            trace.events.append(Event(env.now, kind, seq))
            data.send(seq)
            deadline = env.now + cfg.rto_s
            acked = False
            while not acked and env.now < deadline:
                got = acks.inbox.get()
                result = yield got | env.timeout(deadline - env.now)
                if got in result:
                    acked = result[got] == seq  # a late ACK for an older seq is ignored
                    if acked:
                        trace.events.append(Event(env.now, "ack", seq))
                else:
                    got.cancel()
            if acked:
                break
            kind = "retransmit"
    trace.completion_time_s = env.now


def simulate_delivery(mode: str, *, n_messages: int = 1_000, loss_rate: float = 0.1,
                      one_way_delay_s: float = 0.01, rto_s: float = 0.05,
                      send_interval_s: float = 0.001, seed: int = 7) -> DeliveryTrace:
    """Run one sender/receiver pair over a lossy link and return the recorded trace."""
    cfg = DeliveryConfig(mode, n_messages, loss_rate, one_way_delay_s, rto_s, send_interval_s)
    check_seed("seed", seed)
    rng = random.Random(seed)
    env = simpy.Environment()
    link = LinkConfig(delay_s=one_way_delay_s, loss_rate=loss_rate)
    data = LossyLink(env, link, rng)
    trace = DeliveryTrace(cfg)
    if mode == "datagram":
        env.process(_receiver(env, data, None, trace))
        sender = env.process(_datagram_sender(env, cfg, data, trace))
    else:
        acks = LossyLink(env, link, rng)
        env.process(_receiver(env, data, acks, trace))
        sender = env.process(_arq_sender(env, cfg, data, acks, trace))
    env.run(until=sender)
    env.run()  # let items still in flight land; the receiver then waits on nothing
    return trace


def expected_delivered_fraction(mode: str, loss_rate: float) -> float:
    """Closed form: 1 - p for fire-and-forget, 1 for ARQ (it retries until acknowledged)."""
    check_choice("mode", mode, MODES)
    p = check_probability("loss_rate", loss_rate)
    return 1.0 - p if mode == "datagram" else 1.0


def expected_arq_time_s(*, n_messages: int, loss_rate: float, one_way_delay_s: float,
                        rto_s: float) -> tuple[float, float]:
    """Mean and standard deviation of stop-and-wait's completion time for ``n_messages``."""
    cfg = DeliveryConfig("arq", n_messages, loss_rate, one_way_delay_s, rto_s)
    q = (1.0 - cfg.loss_rate) ** 2
    mean = cfg.n_messages * (2 * cfg.one_way_delay_s + cfg.rto_s * (1.0 / q - 1.0))
    std = cfg.rto_s * math.sqrt(cfg.n_messages * (1.0 - q)) / q
    return mean, std


def binomial_tolerance(n_messages: int, loss_rate: float, *, sigmas: float = 4.0) -> float:
    """Half-width of a ±``sigmas`` band around 1 - p for a fraction measured over n messages."""
    check_int("n_messages", n_messages, min_value=1)
    p = check_probability("loss_rate", loss_rate)
    check_float("sigmas", sigmas, min_value=0.0, min_inclusive=False)
    return sigmas * math.sqrt(p * (1.0 - p) / n_messages)
