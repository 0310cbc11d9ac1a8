"""A sans-IO TCP endpoint: segments and ``now`` in, segments to send and events out.

:class:`TcpConnection` never opens a socket, reads the clock or draws a random number: the
caller passes the time, the initial sequence number (ISN) and every arriving segment, and
gets back a :class:`Step` with what to put on the wire and what happened. Every move goes
through :data:`netlab.tcp.states.TRANSITIONS`; an input the table does not list for the
current state raises :class:`TcpProtocolError` and changes nothing.

Deliberately left out (other chapters cover them): flow and congestion control (data is
sent at once, whatever the windows), RTT measurement (the RTO only backs off and resets),
options, urgent data and reassembly of out-of-order segments (they are re-ACKed and dropped).
"""

from __future__ import annotations

import math
from collections import deque
from typing import Any, NamedTuple

from netlab._check import check_bytes, check_float
from netlab._validate import public, result
from netlab.tcp.config import (
    LINUX_CONFIG,
    LINUX_SYN_LINEAR_TIMEOUTS,
    LINUX_TIME_WAIT_S,
    RFC_MSL_S,
    RTO_AFTER_SYN_LOSS_S,
    TcpConfig,
)
from netlab.tcp.events import (
    Connected,
    ConnectionClosed,
    ConnectionRefused,
    ConnectionReset,
    DataReceived,
    PeerClosed,
    Retransmitted,
    StateChanged,
    TcpEvent,
    TimedOut,
)
from netlab.tcp.segment import SEQ_MOD, Segment, SeqNumber
from netlab.tcp.states import TRANSITIONS, TcpInput, TcpState

__all__ = ["LINUX_CONFIG", "LINUX_SYN_LINEAR_TIMEOUTS", "LINUX_TIME_WAIT_S", "RFC_MSL_S",
           "RTO_AFTER_SYN_LOSS_S", "Connected", "ConnectionClosed", "ConnectionRefused",
           "ConnectionReset", "DataReceived", "PeerClosed", "Retransmitted", "StateChanged",
           "Step", "TcpConfig", "TcpConnection", "TcpEvent", "TcpProtocolError", "TimedOut"]

_INF = math.inf
_HALF = 2**31
_new_step = tuple.__new__
I, S = TcpInput, TcpState  # noqa: E741 - short aliases for the two enums
_DEFAULT_CONFIG = TcpConfig()  # frozen: one instance serves every endpoint built without one


@result
class Step(NamedTuple):
    """What one call produced: segments to send, in order, and events that happened."""

    segments: list[Segment]
    events: list[TcpEvent]


class TcpProtocolError(Exception):
    """An input that the transition table does not allow in the current state."""

    def __init__(self, state: TcpState, tcp_input: TcpInput | None, reason: str = "") -> None:
        # args are the constructor's own, so that copying the exception (simpy re-raises a
        # failed process's exception as type(e)(*e.args)) rebuilds it unchanged
        super().__init__(state, tcp_input, reason)
        self.state = state
        self.tcp_input = tcp_input
        self.reason = reason

    def __str__(self) -> str:
        what = self.tcp_input.value if self.tcp_input is not None else "segment"
        text = f"{what} is not allowed in {self.state.value}"
        return f"{text}: {self.reason}" if self.reason else text


@public
class TcpConnection:
    """One TCP endpoint as a sans-IO state machine (RFC 9293 §3.10)."""

    def __init__(self, *, isn: SeqNumber, config: TcpConfig | None = None) -> None:
        self.config = _DEFAULT_CONFIG if config is None else config
        self.isn = isn
        self.snd_una = self.snd_nxt = isn
        self.irs: int | None = None
        self.rcv_nxt = 0
        self.snd_wnd = 0
        self._state = S.CLOSED
        self._now = 0.0
        self._passive = False
        self._fin_sent = False
        self._rtx: deque[Segment] = deque()
        self._rto_s = self._base_rto_s = self.config.initial_rto_s
        self._rtx_deadline: float | None = None
        self._attempts = 0
        self._first_sent_at: float | None = None  # when the segment now retransmitted first left
        self._handshake_timed_out = False
        self._tw_deadline: float | None = None
        self._delack_deadline: float | None = None
        self._window = self.config.window_bytes
        self._out: list[Segment] = []
        self._events: list[TcpEvent] = []

    @property
    def state(self) -> TcpState:
        """The current RFC 9293 state."""
        return self._state

    @property
    def rto_s(self) -> float:
        """The current retransmission timeout, after any backoff."""
        return self._rto_s

    # -- user calls -------------------------------------------------------------------
    def listen(self, *, now: float) -> Step:
        """Passive OPEN: wait for a SYN."""
        return self._run(I.PASSIVE_OPEN, now, None)

    def connect(self, *, now: float) -> Step:
        """Active OPEN: send a SYN carrying our ISN."""
        return self._run(I.ACTIVE_OPEN, now, None)

    def send(self, data: bytes, *, now: float) -> Step:
        """Send ``data`` as PSH-ACK segments of at most ``mss_bytes`` each."""
        if type(data) is not bytes:
            data = check_bytes("data", data)
        if not data:
            raise ValueError("data must be at least 1 byte long, got b''")
        return self._run(I.SEND, now, data)

    def close(self, *, now: float) -> Step:
        """CLOSE: no more data from us; send a FIN (or just forget a half-open attempt)."""
        return self._run(I.CLOSE, now, None)

    def abort(self, *, now: float) -> Step:
        """ABORT: send a RST and drop the connection at once."""
        return self._run(I.ABORT, now, None)

    # -- network and timers -------------------------------------------------------------
    def receive(self, segment: Segment, *, now: float) -> Step:
        """Process one arriving segment."""
        if type(segment) is not Segment:
            raise ValueError(f"segment must be a Segment, got {type(segment).__name__}")
        return self._run(self._classify(segment), now, segment)

    def timer_deadline(self) -> float | None:
        """When :meth:`on_timer` next has work to do, or None if no timer runs."""
        if self._tw_deadline is not None:
            return self._tw_deadline
        if self._delack_deadline is not None:
            if self._rtx_deadline is not None:
                return min(self._delack_deadline, self._rtx_deadline)
            return self._delack_deadline
        return self._rtx_deadline

    def on_timer(self, *, now: float) -> Step:
        """Fire whichever timer is due at ``now`` (nothing happens if none is due)."""
        self._check_now(now)
        if self._tw_deadline is not None and now >= self._tw_deadline:
            return self._run(I.TIME_WAIT_TIMEOUT, now, None)
        if self._delack_deadline is not None and now >= self._delack_deadline:
            return self._run(I.DELAYED_ACK, now, None)
        if self._rtx_deadline is not None and now >= self._rtx_deadline:
            if not self._retries_exhausted(now):
                return self._run(I.RTO, now, None)
            passive = self._passive and self._state is S.SYN_RECEIVED
            return self._run(I.GIVE_UP_PASSIVE if passive else I.GIVE_UP, now, None)
        return Step([], [])

    # -- the machine ----------------------------------------------------------------------
    def _check_now(self, now: Any) -> None:
        if (type(now) is not float and type(now) is not int) or not self._now <= now < _INF:
            check_float("now", now, min_value=0.0)
            raise ValueError(f"now must be >= the previous now ({self._now:g}), got {now!r}")
        self._now = now

    def _run(self, tcp_input: TcpInput, now: float, arg: Any) -> Step:
        old = self._state
        row = _MACHINE.get((old, tcp_input))
        if row is None:
            raise TcpProtocolError(old, tcp_input)
        if (type(now) is not float and type(now) is not int) or not self._now <= now < _INF:
            self._check_now(now)
        self._now = now
        out = self._out = []
        events = self._events = []
        if (type(arg) is Segment and "A" in arg.flags and arg.ack != self.snd_una
                and tcp_input not in _NO_ACK_PROCESSING):
            self._process_ack(arg.ack, now)
        action, new = row
        action(self, now, arg)
        self._state = new
        if new is not old:
            events.insert(0, StateChanged(old, new))
            if new is S.ESTABLISHED:
                events.append(Connected())
        return _new_step(Step, (out, events))

    def _classify(self, seg: Segment) -> TcpInput:
        state, flags = self._state, seg.flags
        if state is S.CLOSED:
            return I.RCV_NO_CONNECTION
        if (flags == "A" or flags == "PA") and state is S.ESTABLISHED:
            if seg.seq != self.rcv_nxt:
                return I.RCV_UNACCEPTABLE
            if 0 < (seg.ack - self.snd_nxt) % SEQ_MOD < _HALF:
                raise TcpProtocolError(state, None, "it acknowledges data never sent")
            return I.RCV_ACK
        if "R" in flags:
            if state is S.SYN_SENT and not ("A" in flags and seg.ack == self.snd_nxt):
                raise TcpProtocolError(state, I.RCV_RST, "the RST does not acknowledge our SYN")
            if state is S.SYN_RECEIVED and not self._passive:
                return I.RCV_RST_ACTIVE
            return I.RCV_RST
        if "S" in flags:
            if "A" not in flags:
                return I.RCV_UNACCEPTABLE if seg.seq == self.irs else I.RCV_SYN
            if state in (S.SYN_SENT, S.SYN_RECEIVED) and seg.ack != self.snd_nxt:
                raise TcpProtocolError(state, I.RCV_SYN_ACK, "its ACK does not cover our SYN")
            if state is S.SYN_SENT or (state is S.SYN_RECEIVED and seg.seq == self.irs
                                       and not self._passive):
                return I.RCV_SYN_ACK
            return I.RCV_UNACCEPTABLE if seg.seq == self.irs else I.RCV_SYN_ACK
        if self.irs is None or "A" not in flags:
            return I.RCV_FIN if "F" in flags else I.RCV_ACK  # no table row: raises
        if seg.seq != self.rcv_nxt:
            return I.RCV_UNACCEPTABLE
        ack = seg.ack
        if 0 < (ack - self.snd_nxt) % SEQ_MOD < _HALF:
            raise TcpProtocolError(state, None, "it acknowledges data never sent")
        if state is S.SYN_RECEIVED and ack != self.snd_nxt:
            raise TcpProtocolError(state, I.RCV_ACK, "its ACK does not cover our SYN")
        acks_fin = self._fin_sent and ack == self.snd_nxt and self.snd_una != self.snd_nxt
        if "F" in flags:
            return I.RCV_FIN_ACK_OF_FIN if acks_fin else I.RCV_FIN
        return I.RCV_ACK_OF_FIN if acks_fin else I.RCV_ACK

    def _retries_exhausted(self, now: float) -> bool:
        """Whether the retransmission timer expiring at ``now`` gives up instead of resending.

        SYN-SENT with ``syn_linear_timeouts`` follows Linux's ``tcp_write_timeout``: the linear
        timeouts add to the count, and the connection also gives up once the time that
        ``syn_retries`` doubling timeouts would take has passed since the first SYN.
        """
        cfg = self.config
        if self._state is S.SYN_SENT:
            if not cfg.syn_linear_timeouts:
                return self._attempts >= cfg.syn_retries
            if self._attempts >= cfg.syn_retries + cfg.syn_linear_timeouts:
                return True
            return (self._attempts > 0 and self._first_sent_at is not None
                    and now - self._first_sent_at >= cfg.syn_time_budget_s - 1e-9)
        if self._state is S.SYN_RECEIVED:
            return self._attempts >= cfg.synack_retries
        return self._attempts >= cfg.retries

    def _process_ack(self, ack: int, now: float) -> None:
        if not 0 < (ack - self.snd_una) % SEQ_MOD < _HALF:
            return  # a duplicate or old ACK: nothing new is acknowledged
        self.snd_una = ack
        rtx = self._rtx
        while rtx:
            first = rtx[0]
            end = first.seq + len(first.payload) + ("S" in first.flags) + ("F" in first.flags)
            if 0 < (end - ack) % SEQ_MOD < _HALF:
                break  # the oldest segment is not fully acknowledged yet
            rtx.popleft()
        self._attempts = 0
        self._first_sent_at = now if rtx else None
        self._rto_s = self._base_rto_s
        self._rtx_deadline = now + self._rto_s if rtx else None

    def _emit(self, flags: str, payload: bytes = b"", *, seq: int | None = None) -> Segment:
        seg = Segment(self.snd_nxt if seq is None else seq, self.rcv_nxt if "A" in flags else 0,
                      flags, self._window, payload)
        if "A" in flags:
            self._delack_deadline = None  # whatever ACK was held back travels now
        self._out.append(seg)
        return seg

    def _queue(self, seg: Segment, now: float) -> None:
        """Remember a sequence-consuming segment for retransmission and advance SND.NXT."""
        self._rtx.append(seg)
        self.snd_nxt = (self.snd_nxt + len(seg.payload) + ("S" in seg.flags)
                        + ("F" in seg.flags)) % SEQ_MOD
        if self._rtx_deadline is None:
            self._rtx_deadline = now + self._rto_s
            self._first_sent_at = now

    def _take_payload(self, seg: Segment) -> None:
        if seg.payload:
            self.rcv_nxt = (self.rcv_nxt + len(seg.payload)) % SEQ_MOD
            self._events.append(DataReceived(seg.payload))
        if "F" in seg.flags:
            self.rcv_nxt = (self.rcv_nxt + 1) % SEQ_MOD
            self._events.append(PeerClosed())
        self.snd_wnd = seg.window

    def _stop_timers(self) -> None:
        self._rtx.clear()
        self._rtx_deadline = self._tw_deadline = self._delack_deadline = None

    # -- actions: one method per name in the table -------------------------------------
    def _a_listen(self, now: float, arg: None) -> None:
        self._passive = True

    def _a_send_syn(self, now: float, seg: None) -> None:
        self._queue(self._emit("S"), now)

    def _a_send_syn_ack(self, now: float, seg: Segment) -> None:
        self.irs = seg.seq
        self.rcv_nxt = (seg.seq + 1) % SEQ_MOD
        self.snd_wnd = seg.window
        if self._state is S.SYN_SENT:  # simultaneous open: our SYN is already queued
            self._rtx.clear()
            self.snd_nxt = self.isn
        self._queue(self._emit("SA"), now)

    def _a_resend_syn_ack(self, now: float, seg: Segment) -> None:
        self._emit("SA", seq=self.isn)

    def _a_send_ack(self, now: float, seg: Segment) -> None:
        if self._state is S.SYN_SENT:
            self.irs = seg.seq
            self.rcv_nxt = (seg.seq + 1) % SEQ_MOD
            self.snd_wnd = seg.window
            self._after_handshake()
        self._emit("A")

    def _a_established(self, now: float, seg: Segment) -> None:
        self._after_handshake()
        self._a_receive(now, seg)

    def _a_established_ack_fin(self, now: float, seg: Segment) -> None:
        self._after_handshake()
        self._a_ack_fin(now, seg)

    def _after_handshake(self) -> None:
        if self._handshake_timed_out:
            self._base_rto_s = max(RTO_AFTER_SYN_LOSS_S, self.config.initial_rto_s)
        self._rto_s = self._base_rto_s

    def _a_send_data(self, now: float, data: bytes) -> None:
        mss = self.config.mss_bytes
        if len(data) <= mss:
            self._queue(self._emit("PA", data), now)
            return
        for start in range(0, len(data), mss):
            self._queue(self._emit("PA", data[start:start + mss]), now)

    def _a_receive(self, now: float, seg: Segment) -> None:
        payload = seg.payload
        if payload and "F" not in seg.flags:  # the common case, inlined: data, then its ACK
            self.rcv_nxt = (self.rcv_nxt + len(payload)) % SEQ_MOD
            self.snd_wnd = seg.window
            self._events.append(DataReceived(payload))
            self._out.append(Segment(self.snd_nxt, self.rcv_nxt, "A", self._window, b""))
            return
        self._take_payload(seg)
        if payload:
            self._emit("A")

    def _a_ack_fin(self, now: float, seg: Segment) -> None:
        self._take_payload(seg)
        delay = self.config.fin_ack_delay_s
        if delay and self._state is not S.FIN_WAIT_1:  # entering CLOSE-WAIT: hold the ACK
            self._delack_deadline = now + delay
        else:
            self._emit("A")

    def _a_ack_fin_time_wait(self, now: float, seg: Segment) -> None:
        self._take_payload(seg)
        self._emit("A")
        self._a_start_time_wait(now, seg)

    def _a_start_time_wait(self, now: float, seg: Segment | None) -> None:
        self._stop_timers()
        self._tw_deadline = now + self.config.time_wait_s

    def _a_ack_restart_time_wait(self, now: float, seg: Segment) -> None:
        self._emit("A")
        self._tw_deadline = now + self.config.time_wait_s

    def _a_send_fin(self, now: float, arg: None) -> None:
        self._fin_sent = True
        self._queue(self._emit("FA"), now)

    def _a_retransmit(self, now: float, arg: None) -> None:
        first = self._rtx[0]
        flags = first.flags
        self._emit(flags, first.payload, seq=first.seq)
        self._attempts += 1
        state = self._state
        if state is S.SYN_SENT or state is S.SYN_RECEIVED:
            self._handshake_timed_out = True
        if state is not S.SYN_SENT or self._attempts > self.config.syn_linear_timeouts:
            self._rto_s = min(self._rto_s * 2, self.config.max_rto_s)  # RFC 6298 rule 5.5
        self._rtx_deadline = now + self._rto_s
        self._events.append(Retransmitted(flags, self._attempts))

    def _a_give_up(self, now: float, arg: None) -> None:
        self._stop_timers()
        self._events.append(TimedOut())

    def _a_delete_tcb(self, now: float, arg: Segment | None) -> None:
        self._stop_timers()
        self._events.append(ConnectionClosed())

    def _a_reset(self, now: float, seg: Segment) -> None:
        self._stop_timers()
        self._events.append(ConnectionReset())

    def _a_refused(self, now: float, seg: Segment) -> None:
        self._stop_timers()
        self._events.append(ConnectionRefused())

    def _a_back_to_listen(self, now: float, seg: Segment) -> None:
        self._stop_timers()
        self.snd_una = self.snd_nxt = self.isn
        self.irs = None
        self._events.append(ConnectionReset())

    def _a_drop_request(self, now: float, arg: None) -> None:
        """A passively opened connection whose SYN-ACK retries ran out: back to LISTEN."""
        self._stop_timers()
        self.snd_una = self.snd_nxt = self.isn
        self.irs = None
        self._attempts = 0
        self._rto_s = self._base_rto_s = self.config.initial_rto_s
        self._handshake_timed_out = False

    def _a_reset_stray(self, now: float, seg: Segment) -> None:
        """No connection (RFC 9293 §3.10.7.1): ignore a RST, answer anything else with one."""
        if "R" in seg.flags:
            return
        if "A" in seg.flags:
            self._out.append(Segment(seg.ack, 0, "R", 0, b""))
        else:
            self._out.append(Segment(0, (seg.seq + seg.seg_len) % SEQ_MOD, "RA", 0, b""))

    def _a_send_rst(self, now: float, arg: None) -> None:
        self._emit("RA")
        self._stop_timers()
        self._events.append(ConnectionReset())

    def _a_ignore(self, now: float, seg: Segment) -> None:
        pass


_NO_ACK_PROCESSING = frozenset({I.RCV_UNACCEPTABLE, I.RCV_RST, I.RCV_RST_ACTIVE,
                                I.RCV_NO_CONNECTION})
_ACTIONS = {name[3:]: fn for name, fn in vars(TcpConnection).items() if name.startswith("_a_")}
_missing = {row.action for row in TRANSITIONS.values()} - _ACTIONS.keys()
if _missing:
    raise AssertionError(f"transition table names actions with no method: {sorted(_missing)}")
#: TRANSITIONS with each action name resolved to its method, for the hot path.
_MACHINE = {key: (_ACTIONS[row.action], row.next_state) for key, row in TRANSITIONS.items()}
