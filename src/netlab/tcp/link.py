"""Two :class:`TcpConnection` endpoints joined by a simulated link (simpy).

:func:`simulate` plays a script of user calls against a client and a server, carries each
segment across a link with a fixed one-way delay that may lose it, runs the retransmission
and TIME-WAIT timers, and returns a :class:`Trace`: one row per segment sent (or per state
change without a segment), with both endpoints' states right after it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Annotated

import simpy
from pydantic import Field

from netlab._validate import NonNegativeInt, Probability, Seed, check_work, one_of, public, result
from netlab.sim import RestartableTimer
from netlab.tcp.connection import (
    Retransmitted,
    StateChanged,
    Step,
    TcpConfig,
    TcpConnection,
    TcpEvent,
    TimedOut,
)
from netlab.tcp.segment import Segment, SeqNumber, _flag_names
from netlab.tcp.states import TcpState

SIDES = ("client", "server")
CALLS = ("listen", "connect", "send", "close", "abort")
_MAX_CALLS = 100_000  # a script of user calls; each is one simulated event or more
Side = Annotated[str, one_of(SIDES)]


@public
@dataclass(frozen=True)
class LinkConfig:
    """The path between the endpoints: one-way delay, loss per direction, forced drops."""

    delay_s: Annotated[float, Field(gt=0, le=60)] = 0.05
    loss_c2s: Probability = 0.0
    loss_s2c: Probability = 0.0
    drop: frozenset[NonNegativeInt] = frozenset()  #: indexes (0 = first segment sent) always lost


@public
@dataclass(frozen=True)
class Call:
    """A user call in a script: at ``at_s`` the ``side`` endpoint calls ``call``."""

    at_s: Annotated[float, Field(ge=0, le=86_400)]
    side: Side
    call: Annotated[str, one_of(CALLS)]
    data: Annotated[bytes, Field(max_length=2**20)] = b""

    def __post_init__(self) -> None:
        if (self.call == "send") != bool(self.data):
            raise ValueError(f"data must be non-empty for 'send' and empty otherwise, "
                             f"got {len(self.data)} bytes for {self.call!r}")


@result
@dataclass(frozen=True, slots=True)
class TraceRow:
    """One moment of a run: a segment sent (``sender`` set) or a silent state change."""

    time_s: float
    cause: str
    sender: str | None
    segment: Segment | None
    lost: bool
    client_state: TcpState
    server_state: TcpState


@result
@dataclass(frozen=True)
class Trace:
    """Everything a run produced, in time order."""

    rows: tuple[TraceRow, ...]
    events: tuple[tuple[float, str, TcpEvent], ...]
    client_isn: int
    server_isn: int
    end_s: float = field(default=0.0)

    def segments(self, *, include_lost: bool = True) -> list[tuple[str, Segment]]:
        """``(sender, segment)`` for every transmission, in order."""
        return [(r.sender, r.segment) for r in self.rows if r.segment is not None
                and r.sender is not None and (include_lost or not r.lost)]

    def relative(self, sender: str, seg: Segment) -> tuple[int, int]:
        """``(seq, ack)`` of a segment relative to the ISNs, as Wireshark shows them."""
        if sender not in SIDES:
            raise ValueError(f"sender must be one of {SIDES}, got {sender!r}")
        mine, peer = ((self.client_isn, self.server_isn) if sender == "client"
                      else (self.server_isn, self.client_isn))
        ack = (seg.ack - peer) % 2**32 if "A" in seg.flags else 0
        return (seg.seq - mine) % 2**32, ack

    def first_time(self, side: str, event_type: type[TcpEvent]) -> float | None:
        """When ``side`` first reported an event of ``event_type``, or None."""
        if side not in SIDES:
            raise ValueError(f"side must be one of {SIDES}, got {side!r}")
        return next((t for t, s, e in self.events if s == side and isinstance(e, event_type)),
                    None)


@public
def simulate(calls: Sequence[Call], *, client_isn: SeqNumber, server_isn: SeqNumber,
             link: LinkConfig | None = None, client_config: TcpConfig | None = None,
             server_config: TcpConfig | None = None, seed: Seed = 0,
             stop_when: Callable[[TcpState, TcpState], bool] | None = None,
             until_s: Annotated[float, Field(gt=0, le=86_400)] = 1000.0) -> Trace:
    """Run the script of ``calls`` over a simulated link and return the :class:`Trace`.

    The work grows with the number of calls; the timers of each endpoint are bounded by
    its retry limits, so ``until_s`` only caps simulated time.
    """
    check_work("calls", len(calls), work=len(calls), limit=_MAX_CALLS, unit="user calls")
    return _simulate(calls, client_isn=client_isn, server_isn=server_isn, link=link,
                     client_config=client_config, server_config=server_config, seed=seed,
                     stop_when=stop_when, until_s=until_s)


def _simulate(calls: Sequence[Call], *, client_isn: int, server_isn: int,
              link: LinkConfig | None, client_config: TcpConfig | None,
              server_config: TcpConfig | None, seed: int,
              stop_when: Callable[[TcpState, TcpState], bool] | None, until_s: float) -> Trace:
    """:func:`simulate` without the argument checks, for callers that checked them once."""
    link = LinkConfig() if link is None else link
    env = simpy.Environment()
    done = env.event()
    rng = random.Random(seed)
    conns = {"client": TcpConnection(isn=client_isn, config=client_config),
             "server": TcpConnection(isn=server_isn, config=server_config)}
    loss = {"client": link.loss_c2s, "server": link.loss_s2c}
    rows: list[TraceRow] = []
    events: list[tuple[float, str, TcpEvent]] = []
    sent = [0]
    # each endpoint keeps its own timers (sans-IO); one restartable timer per side wakes it
    timers = {side: RestartableTimer(env, lambda side=side: fire(side)) for side in SIDES}

    def rearm(side: str) -> None:
        deadline = conns[side].timer_deadline()
        if deadline is None:
            timers[side].stop()
        else:
            timers[side].arm(max(0.0, deadline - env.now))

    def handle(side: str, step: Step, cause: str) -> None:
        now = env.now
        events.extend((now, side, e) for e in step.events)
        states = conns["client"].state, conns["server"].state
        if not step.segments and any(isinstance(e, StateChanged) for e in step.events):
            rows.append(TraceRow(now, cause, None, None, False, *states))
        for seg in step.segments:
            lost = sent[0] in link.drop or (loss[side] > 0 and rng.random() < loss[side])
            sent[0] += 1
            rows.append(TraceRow(now, cause, side, seg, lost, *states))
            if not lost:
                env.process(deliver("server" if side == "client" else "client", seg))
        rearm(side)
        if stop_when is not None and not done.triggered and stop_when(*states):
            done.succeed()

    def deliver(dst: str, seg: Segment):  # type: ignore[no-untyped-def]
        yield env.timeout(link.delay_s)
        handle(dst, conns[dst].receive(seg, now=env.now), f"rcv {_flag_names(seg.flags)}")

    def fire(side: str) -> None:
        step = conns[side].on_timer(now=env.now)
        if step.segments or step.events:
            handle(side, step, _timer_cause(step))
        else:
            rearm(side)

    def user(call: Call):  # type: ignore[no-untyped-def]
        yield env.timeout(call.at_s)
        method = getattr(conns[call.side], call.call)
        step = method(call.data, now=env.now) if call.call == "send" else method(now=env.now)
        handle(call.side, step, f"{call.call}()")

    for call in sorted(calls, key=lambda c: c.at_s):
        env.process(user(call))
    env.run(until=env.any_of([done, env.timeout(until_s)]))
    return Trace(tuple(rows), tuple(events), client_isn, server_isn, float(env.now))


def _timer_cause(step: Step) -> str:
    if any(isinstance(e, TimedOut) for e in step.events):
        return "retries exhausted"
    if any(isinstance(e, Retransmitted) for e in step.events):
        return "RTO"
    return "2MSL timeout"


@public
def trace_table(trace: Trace) -> list[tuple[str, ...]]:
    """Rows of strings: time, direction, segment (relative numbers), window, both states."""
    table = [("time_s", "dir", "segment", "window", "client", "server")]
    for row in trace.rows:
        if row.segment is None or row.sender is None:
            direction, text, window = "", f"({row.cause})", ""
        else:
            direction = "C->S" if row.sender == "client" else "C<-S"
            seq, ack = trace.relative(row.sender, row.segment)
            text = _segment_text(row.segment, seq, ack) + (" LOST" if row.lost else "")
            window = str(row.segment.window)
        table.append((f"{row.time_s:.2f}", direction, text, window,
                      row.client_state.value, row.server_state.value))
    return table


def _segment_text(seg: Segment, seq: int, ack: int) -> str:
    text = f"{_flag_names(seg.flags)} seq={seq}"
    if "A" in seg.flags:
        text += f" ack={ack}"
    return text + (f" len={len(seg.payload)}" if seg.payload else "")


@public
def sequence_diagram_mermaid(trace: Trace) -> str:
    """Mermaid ``sequenceDiagram`` source for a trace: arrows for segments, notes for states."""
    lines = ["sequenceDiagram", "    participant C as Client", "    participant S as Server"]
    before = (TcpState.CLOSED, TcpState.CLOSED)
    for row in trace.rows:
        if row.segment is not None and row.sender is not None:
            seq, ack = trace.relative(row.sender, row.segment)
            arrow = "-x" if row.lost else "->>"
            src, dst = ("C", "S") if row.sender == "client" else ("S", "C")
            label = f"t={row.time_s:.2f} {_segment_text(row.segment, seq, ack)}"
            lines.append(f"    {src}{arrow}{dst}: {label}" + (" (lost)" if row.lost else ""))
        if row.client_state is not before[0]:
            lines.append(f"    Note left of C: {row.client_state.value}")
        if row.server_state is not before[1]:
            lines.append(f"    Note right of S: {row.server_state.value}")
        before = (row.client_state, row.server_state)
    return "\n".join(lines) + "\n"
