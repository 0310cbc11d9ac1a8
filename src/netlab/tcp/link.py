"""Two :class:`TcpConnection` endpoints joined by a simulated link (simpy).

:func:`simulate` plays a script of user calls against a client and a server, carries each
segment across a link with a fixed one-way delay that may lose it, runs the retransmission
and TIME-WAIT timers, and returns a :class:`Trace`: one row per segment sent (or per state
change without a segment), with both endpoints' states right after it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import simpy

from netlab._check import check_bytes, check_choice, check_float, check_int, check_probability
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
from netlab.tcp.segment import Segment, flag_names
from netlab.tcp.states import TcpState

SIDES = ("client", "server")
CALLS = ("listen", "connect", "send", "close", "abort")


@dataclass(frozen=True)
class LinkConfig:
    """The path between the endpoints: one-way delay, loss per direction, forced drops."""

    delay_s: float = 0.05
    loss_c2s: float = 0.0
    loss_s2c: float = 0.0
    drop: frozenset[int] = frozenset()  #: indexes (0 = first segment sent) always lost

    def __post_init__(self) -> None:
        check_float("delay_s", self.delay_s, min_value=0.0, min_inclusive=False)
        check_probability("loss_c2s", self.loss_c2s)
        check_probability("loss_s2c", self.loss_s2c)
        if not isinstance(self.drop, frozenset):
            raise ValueError(f"drop must be a frozenset of ints, got {type(self.drop).__name__}")
        for index in self.drop:
            check_int("drop index", index, min_value=0)


@dataclass(frozen=True)
class Call:
    """A user call in a script: at ``at_s`` the ``side`` endpoint calls ``call``."""

    at_s: float
    side: str
    call: str
    data: bytes = b""

    def __post_init__(self) -> None:
        check_float("at_s", self.at_s, min_value=0.0)
        check_choice("side", self.side, SIDES)
        check_choice("call", self.call, CALLS)
        check_bytes("data", self.data)
        if (self.call == "send") != bool(self.data):
            raise ValueError(f"data must be non-empty for 'send' and empty otherwise, "
                             f"got {len(self.data)} bytes for {self.call!r}")


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
        check_choice("sender", sender, SIDES)
        mine, peer = ((self.client_isn, self.server_isn) if sender == "client"
                      else (self.server_isn, self.client_isn))
        ack = (seg.ack - peer) % 2**32 if "A" in seg.flags else 0
        return (seg.seq - mine) % 2**32, ack

    def first_time(self, side: str, event_type: type[TcpEvent]) -> float | None:
        """When ``side`` first reported an event of ``event_type``, or None."""
        check_choice("side", side, SIDES)
        return next((t for t, s, e in self.events if s == side and isinstance(e, event_type)),
                    None)


def simulate(calls: Iterable[Call], *, client_isn: int, server_isn: int,
             link: LinkConfig | None = None, client_config: TcpConfig | None = None,
             server_config: TcpConfig | None = None, seed: int = 0,
             stop_when: Callable[[TcpState, TcpState], bool] | None = None,
             until_s: float = 1000.0) -> Trace:
    """Run the script of ``calls`` over a simulated link and return the :class:`Trace`."""
    calls = list(calls)
    if not all(isinstance(c, Call) for c in calls):
        raise ValueError("calls must be Call objects")
    link = LinkConfig() if link is None else link
    if not isinstance(link, LinkConfig):
        raise ValueError(f"link must be a LinkConfig, got {type(link).__name__}")
    check_int("seed", seed, min_value=0)
    check_float("until_s", until_s, min_value=0.0, min_inclusive=False)
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
        handle(dst, conns[dst].receive(seg, now=env.now), f"rcv {flag_names(seg.flags)}")

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


def trace_table(trace: Trace) -> list[tuple[str, ...]]:
    """Rows of strings: time, direction, segment (relative numbers), window, both states."""
    if not isinstance(trace, Trace):
        raise ValueError(f"trace must be a Trace, got {type(trace).__name__}")
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
    text = f"{flag_names(seg.flags)} seq={seq}"
    if "A" in seg.flags:
        text += f" ack={ack}"
    return text + (f" len={len(seg.payload)}" if seg.payload else "")


def sequence_diagram_mermaid(trace: Trace) -> str:
    """Mermaid ``sequenceDiagram`` source for a trace: arrows for segments, notes for states."""
    if not isinstance(trace, Trace):
        raise ValueError(f"trace must be a Trace, got {type(trace).__name__}")
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
