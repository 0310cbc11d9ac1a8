"""Fire-and-forget datagrams versus retransmission until acknowledged, simulated with simpy.

**The model.** A link with a fixed one-way delay loses each packet, in either direction,
independently with probability ``p`` (Bernoulli loss). It has no bandwidth limit and
no queue; the sender spaces its packets ``send_interval_s`` apart. Nothing else
happens on it: no reordering, no corruption, no congestion.

Three senders run on it:

``datagram``
    What bare UDP gives an application (RFC 768): each message is sent once, and a
    lost one is simply gone.
``arq`` with ``window=1``
    Stop-and-wait: one message outstanding, an acknowledgement for it, a retransmission
    after ``rto_s`` without one. This is the idea underneath TCP's reliability
    (RFC 9293 §3.8), not how TCP sends.
``arq`` with ``window=W > 1``
    Selective repeat: up to ``W`` messages outstanding, each with its own timer. The
    receiver buffers what arrives out of order, hands messages to the application in
    order, and acknowledges every packet with the next message it expects (cumulative,
    as TCP's ACK field) plus the three most recent arrivals (as TCP's SACK blocks,
    RFC 2018), so a lost ACK is usually repaired by the next one. A sliding window
    is how TCP and QUIC really send.

Closed forms under the same model (so agreement with them is a *consistency check* of
the simulator, not evidence about real networks): the datagram sender delivers a
fraction ``1 - p``; stop-and-wait needs ``K ~ Geometric(q)`` transmissions per message
with ``q = (1 - p)**2`` (data and ACK must both survive) and takes
``2·delay + rto·(K - 1)`` per message; selective repeat needs ``Geometric(1 - p)``
transmissions per message, because only the data has to survive.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import deque
from dataclasses import dataclass, field
from typing import Annotated, Literal

import simpy
from pydantic import Field

from netlab._validate import (
    ArgumentError,
    Probability,
    Seed,
    check_work,
    public,
    result,
)
from netlab.sim import LinkConfig, LossyLink

MODES = ("datagram", "arq")
#: How many recent arrivals an ACK reports besides the cumulative point (TCP's SACK
#: option has room for three or four blocks, RFC 2018 §3).
SACK_BLOCKS = 3
MAX_MESSAGES = 1_000_000
MAX_WINDOW = 100_000
#: Simulated events a call may schedule (about ten seconds on a two-core machine).
WORK_LIMIT_EVENTS = 2_000_000
_SLACK_S = 1e-12

Mode = Literal["datagram", "arq"]
Messages = Annotated[int, Field(ge=1, le=MAX_MESSAGES)]
Window = Annotated[int, Field(ge=1, le=MAX_WINDOW)]
DelaySeconds = Annotated[float, Field(gt=0, le=10)]
RtoSeconds = Annotated[float, Field(gt=0, le=60)]
IntervalSeconds = Annotated[float, Field(gt=0, le=10)]


@result
@dataclass(frozen=True)
class DeliveryConfig:
    """Parameters of one run; frozen so a run is fully described by its config and seed."""

    mode: str
    n_messages: int = 1_000
    loss_rate: float = 0.1
    one_way_delay_s: float = 0.01
    rto_s: float = 0.05
    send_interval_s: float = 0.001
    window: int = 1


@result
@dataclass(frozen=True)
class Event:
    """One thing that happened: ``kind`` is send, retransmit, deliver, duplicate or ack."""

    now: float
    kind: str
    seq: int


@result
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
    def retransmissions(self) -> int:
        """Data packets sent again after a timeout."""
        return sum(1 for e in self.events if e.kind == "retransmit")

    @property
    def duplicates(self) -> int:
        """Copies the receiver already had (their ACK, not the data, was lost)."""
        return sum(1 for e in self.events if e.kind == "duplicate")

    @property
    def in_order(self) -> bool:
        """True if the application saw messages in sequence order with no repeats."""
        return self.delivered == sorted(set(self.delivered))


def _datagram_receiver(env: simpy.Environment, data: LossyLink, trace: DeliveryTrace):
    while True:
        seq = yield data.inbox.get()
        trace.delivered.append(seq)
        trace.events.append(Event(env.now, "deliver", seq))


def _arq_receiver(env: simpy.Environment, n: int, data: LossyLink, acks: LossyLink,
                  trace: DeliveryTrace):
    """Buffer out-of-order arrivals, deliver in order, ACK every packet (cumulative + recent)."""
    have = bytearray(n)
    expected = 0  # the next message the application is waiting for
    recent: deque[int] = deque(maxlen=SACK_BLOCKS)
    while True:
        seq = yield data.inbox.get()
        if have[seq]:
            trace.events.append(Event(env.now, "duplicate", seq))
        else:
            have[seq] = 1
            recent.appendleft(seq)
            while expected < n and have[expected]:  # reassembly: hand over what is in order
                trace.delivered.append(expected)
                trace.events.append(Event(env.now, "deliver", expected))
                expected += 1
        acks.send((expected, tuple(recent)))


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
    """Selective repeat with ``cfg.window`` outstanding; window 1 is stop-and-wait."""
    n, window = cfg.n_messages, cfg.window
    acked = bytearray(n)
    sends = [0] * n  # how often each message was sent: a timer entry from an older send is stale
    base = next_new = 0  # oldest unacknowledged message; next message never sent
    timers: list[tuple[float, int, int]] = []  # (deadline, seq, send number)
    due: deque[int] = deque()  # timed out, waiting for the next send slot
    next_slot = 0.0
    ack_wait = acks.inbox.get()
    while base < n:
        now = env.now
        while timers and timers[0][0] <= now + _SLACK_S:
            _, seq, number = heapq.heappop(timers)
            if not acked[seq] and number == sends[seq]:
                due.append(seq)
        while due and acked[due[0]]:
            due.popleft()
        can_send_new = next_new < min(n, base + window)
        if now + _SLACK_S >= next_slot and (due or can_send_new):
            if due:
                seq, kind = due.popleft(), "retransmit"
            else:
                seq, kind = next_new, "send"
                next_new += 1
            trace.events.append(Event(now, kind, seq))
            data.send(seq)
            sends[seq] += 1
            heapq.heappush(timers, (now + cfg.rto_s, seq, sends[seq]))
            next_slot = now + cfg.send_interval_s
            continue
        wake = timers[0][0] if timers else math.inf
        if due or can_send_new:
            wake = min(wake, next_slot)
        got = yield ack_wait | env.timeout(max(wake - now, 0.0))
        if ack_wait in got:
            cumulative, recent = got[ack_wait]
            ack_wait = acks.inbox.get()
            for seq in (*range(base, cumulative), *recent):
                acked[seq] = 1
            while base < n and acked[base]:
                base += 1
            trace.events.append(Event(env.now, "ack", cumulative))
    trace.completion_time_s = env.now


def _events_estimate(mode: str, n_messages: int, loss_rate: float) -> float:
    """Simulated events per run: sends, deliveries and ACKs, with a margin."""
    if mode == "datagram":
        return 3.0 * n_messages
    return 6.0 * n_messages / (1.0 - loss_rate) ** 2


@public
def simulate_delivery(mode: Mode, *, n_messages: Messages = 1_000, loss_rate: Probability = 0.1,
                      one_way_delay_s: DelaySeconds = 0.01, rto_s: RtoSeconds = 0.05,
                      send_interval_s: IntervalSeconds = 0.001, window: Window = 1,
                      seed: Seed = 7) -> DeliveryTrace:
    """Run one sender/receiver pair over a lossy link and return the recorded trace."""
    if rto_s <= 2 * one_way_delay_s:
        raise ArgumentError(f"simulate_delivery: rto_s: must exceed the round trip "
                            f"2·one_way_delay_s = {2 * one_way_delay_s:g}, got {rto_s:g}")
    check_work("n_messages", n_messages, work=_events_estimate(mode, n_messages, loss_rate),
               limit=WORK_LIMIT_EVENTS, unit="simulated events")
    cfg = DeliveryConfig(mode, n_messages, loss_rate, one_way_delay_s, rto_s, send_interval_s,
                         window)
    rng = random.Random(seed)
    env = simpy.Environment()
    link = LinkConfig(delay_s=one_way_delay_s, loss_rate=loss_rate)
    data = LossyLink(env, link, rng)
    trace = DeliveryTrace(cfg)
    if mode == "datagram":
        env.process(_datagram_receiver(env, data, trace))
        sender = env.process(_datagram_sender(env, cfg, data, trace))
    else:
        acks = LossyLink(env, link, rng)
        env.process(_arq_receiver(env, n_messages, data, acks, trace))
        sender = env.process(_arq_sender(env, cfg, data, acks, trace))
    env.run(until=sender)
    env.run()  # let items still in flight land; the receiver then waits on nothing
    return trace


@public
def expected_delivered_fraction(mode: Mode, loss_rate: Probability) -> float:
    """Closed form: 1 - p for fire-and-forget, 1 for ARQ (it retries until acknowledged)."""
    return 1.0 - loss_rate if mode == "datagram" else 1.0


@public
def expected_transmissions(mode: Mode, *, n_messages: Messages, loss_rate: Probability,
                           window: Window = 1) -> tuple[float, float]:
    """Mean and standard deviation of the data packets sent for ``n_messages`` (closed form).

    Stop-and-wait resends after a lost ACK too: ``Geometric((1-p)**2)`` per message.
    Selective repeat (``window > 1``) is taken to resend only lost data, ``Geometric(1-p)``
    per message: a lower bound, since a lost ACK that no later ACK repairs before the
    timer fires still costs a (spurious) retransmission.
    """
    if mode == "datagram":
        return float(n_messages), 0.0
    q = (1.0 - loss_rate) ** 2 if window == 1 else 1.0 - loss_rate
    return n_messages / q, math.sqrt(n_messages * (1.0 - q)) / q


@public
def expected_arq_time_s(*, n_messages: Messages, loss_rate: Probability,
                        one_way_delay_s: DelaySeconds, rto_s: RtoSeconds) -> tuple[float, float]:
    """Mean and standard deviation of stop-and-wait's completion time for ``n_messages``."""
    q = (1.0 - loss_rate) ** 2
    mean = n_messages * (2 * one_way_delay_s + rto_s * (1.0 / q - 1.0))
    std = rto_s * math.sqrt(n_messages * (1.0 - q)) / q
    return mean, std


@public
def binomial_tolerance(n_messages: Messages, loss_rate: Probability, *,
                       sigmas: Annotated[float, Field(gt=0, le=10)] = 4.0) -> float:
    """Half-width of a ±``sigmas`` band around 1 - p for a fraction measured over n messages."""
    return sigmas * math.sqrt(loss_rate * (1.0 - loss_rate) / n_messages)


@public
def expected_window_time_s(*, n_messages: Messages, window: Window,
                           one_way_delay_s: DelaySeconds,
                           send_interval_s: IntervalSeconds) -> float:
    """Completion time of the windowed sender *without loss* (closed form).

    Message ``k`` leaves at ``max(s[k-1] + interval, s[k-window] + rtt)``: paced by the
    interval, and held back until the message ``window`` places earlier is acknowledged.
    With ``window·interval >= rtt`` the window never binds and the time is
    ``(n-1)·interval + rtt``; otherwise the sender moves ``window`` messages per round trip.
    """
    rtt = 2 * one_way_delay_s
    last = n_messages - 1
    if window * send_interval_s >= rtt:
        return last * send_interval_s + rtt
    return (last // window) * rtt + (last % window) * send_interval_s + rtt
