"""A simpy model of TCP flows crossing one bottleneck: the engine of chapter 4.

The path: sender -> optional random loss -> bottleneck (rate, drop-tail queue) ->
one-way propagation delay -> receiver; ACKs come back after the other half of the
RTT, never lost. Sequence numbers count bytes; every data segment carries one MSS.
The receiver keeps a finite buffer drained by the application and advertises rwnd
(its free space, rounded down to whole segments); the sender keeps at most
min(cwnd, rwnd) in flight, probes a zero window on a persist timer, detects loss by
three duplicate ACKs (NewReno recovery, RFC 6582) or by the RTO (RFC 6298), and lets
the chosen algorithm (netlab.congestion.algorithms) move cwnd and ssthresh.
"""

from __future__ import annotations

import random

import simpy

from netlab.congestion.algorithms import CongestionControl, make_algorithm
from netlab.congestion.path import Bottleneck, FlowConfig, PathConfig
from netlab.congestion.rto import RtoEstimator
from netlab.congestion.trace import Trace, TraceEvent, TraceSample
from netlab.sim import RestartableTimer

#: RFC 6298 rule 2.5 allows an upper bound of at least 60 s on the RTO; the persist
#: timer backs off to the same bound.
MAX_BACKOFF_S = 60.0


class _Flow:
    """Sender and receiver of one TCP connection, driven by simpy callbacks."""

    def __init__(self, env: simpy.Environment, path: Bottleneck, pcfg: PathConfig,
                 cfg: FlowConfig, cc: CongestionControl, trace: Trace) -> None:
        self.env, self.path, self.cfg, self.cc, self.trace = env, path, cfg, cc, trace
        self.mss = cfg.mss_bytes
        self.half_rtt = pcfg.rtt_s / 2
        self.data_count = 0
        # sender
        self.snd_una = self.snd_nxt = self.snd_max = 0
        self.rwnd = self._round(cfg.rcv_buffer_bytes)  # advertised during the handshake
        self.dupacks = 0
        self.in_recovery = False
        self.recover = -1
        self.extra_bytes = 0  # fast-recovery inflation and limited-transmit allowance
        self.sent_at: dict[int, float] = {}
        self.retransmitted: set[int] = set()
        self.rto = RtoEstimator(min_rto_s=cfg.min_rto_s)
        self.rto_timer = RestartableTimer(env, self._on_rto)
        self.persist_timer = RestartableTimer(env, self._on_persist)
        self.persist_backoff = 1
        self.last_rtt_s: float | None = None
        # receiver
        self.rcv_nxt = 0
        self.ooo: set[int] = set()
        self.unread_bytes = 0
        self.last_advertised = self.rwnd
        self.reads_instantly = cfg.app_read_bps is None and not cfg.app_pauses_s
        self.data_waiter: simpy.Event | None = None

    # ----------------------------------------------------------------- helpers
    def _round(self, free_bytes: int) -> int:
        return max(0, free_bytes - free_bytes % self.mss)

    def _event(self, kind: str, seq: int) -> None:
        self.trace.events.append(TraceEvent(self.env.now, kind, seq))

    def _later(self, delay: float, callback, *args) -> None:  # noqa: ANN001
        ev = self.env.timeout(delay)
        ev.callbacks.append(lambda _ev: callback(*args))

    # ------------------------------------------------------------------ sender
    def start(self) -> None:
        """Open the flow: send the initial window."""
        self._try_send()

    def _try_send(self) -> None:
        window = min(self.cc.cwnd_bytes + self.extra_bytes, self.rwnd)
        limit = self.snd_una + window
        mss = self.mss
        while self.snd_nxt + mss <= limit:
            self._transmit(self.snd_nxt)
            self.snd_nxt += mss
            if self.snd_nxt > self.snd_max:
                self.snd_max = self.snd_nxt
        if self.snd_nxt == self.snd_una and self.rwnd < mss and not self.persist_timer.running:
            self.persist_timer.arm(self._persist_interval())

    def _transmit(self, seq: int) -> None:
        now = self.env.now
        trace = self.trace
        trace.segments_sent += 1
        if seq < self.snd_max:
            trace.retransmissions += 1
            self.retransmitted.add(seq)
        self.sent_at[seq] = now
        if not self.rto_timer.running:
            self.rto_timer.arm(self.rto.rto_s)
        if self.path.random_drop(self):
            self._event("drop_random", seq)
            return
        departure = self.path.admit(now, self.mss)
        if departure is None:
            self._event("drop_queue", seq)
            return
        self._later(departure - now + self.half_rtt, self._on_segment, seq, self.mss)

    def _on_rto(self) -> None:
        if self.snd_una == self.snd_max:
            return
        now = self.env.now
        self._event("timeout", self.snd_una)
        self.cc.on_timeout(now=now, flight_bytes=self.snd_max - self.snd_una)
        self.rto.on_timeout()  # rule 5.5: double the RTO
        self.recover = self.snd_max  # RFC 6582 §3.2: no fast retransmit below this point
        self.in_recovery = False
        self.extra_bytes = 0
        self.dupacks = 0
        self.snd_nxt = self.snd_una  # go back N: resend from the first unacknowledged byte
        self._try_send()
        if not self.rto_timer.running and self.snd_una != self.snd_max:
            self.rto_timer.arm(self.rto.rto_s)

    def _persist_interval(self) -> float:
        return min(self.rto.rto_s * self.persist_backoff, MAX_BACKOFF_S)

    def _on_persist(self) -> None:
        if self.rwnd >= self.mss or self.snd_nxt != self.snd_una:
            return
        # Like Linux, the probe carries no new data; it makes the receiver answer
        # with an ACK that states its current window (RFC 9293 §3.8.6.1).
        self._event("window_probe", self.snd_una)
        self.persist_backoff = min(self.persist_backoff * 2, 1 << 16)
        self._later(self.half_rtt, self._on_segment, self.snd_una, 0)
        self.persist_timer.arm(self._persist_interval())

    def _on_ack(self, ack: int, wnd: int) -> None:
        now = self.env.now
        mss = self.mss
        window_changed = wnd != self.rwnd
        if window_changed and wnd < mss <= self.rwnd:
            self._event("zero_window", ack)
        elif window_changed and self.rwnd < mss <= wnd:
            self._event("window_open", ack)
            self.persist_timer.stop()
            self.persist_backoff = 1
        self.rwnd = wnd
        if ack > self.snd_una:
            acked = ack - self.snd_una
            sent = self.sent_at.get(ack - mss)
            ambiguous = False
            for seq in range(self.snd_una, ack, mss):
                self.sent_at.pop(seq, None)
                if seq in self.retransmitted:
                    ambiguous = True
                    self.retransmitted.discard(seq)
            # Karn's rule (RFC 6298 §3): no sample from an ACK a retransmission triggered.
            if sent is not None and not ambiguous and not self.in_recovery:
                self.last_rtt_s = now - sent
                self.rto.on_rtt_sample(self.last_rtt_s)
            self.snd_una = ack
            if self.snd_nxt < ack:
                self.snd_nxt = ack
            self.dupacks = 0
            if self.in_recovery:
                if ack >= self.recover:  # full ACK (RFC 6582 §3.2 step 3)
                    self.in_recovery = False
                    self.extra_bytes = 0
                    self._event("recovery_exit", ack)
                    self.cc.on_recovery_exit(now=now)
                else:  # partial ACK: retransmit the next hole, deflate the window
                    self._transmit(ack)
                    self.extra_bytes += (mss if acked >= mss else 0) - acked
            else:
                self.extra_bytes = 0
                srtt = self.rto.srtt_s if self.rto.srtt_s is not None else self.half_rtt * 2
                self.cc.on_ack(now=now, acked_bytes=acked, rtt_s=srtt)
            if self.snd_una == self.snd_max:
                self.rto_timer.stop()  # rule 5.2
            else:
                self.rto_timer.arm(self.rto.rto_s)  # rule 5.3
        elif ack == self.snd_una and self.snd_max > self.snd_una and not window_changed:
            self._on_dupack(ack)
        self._try_send()

    def _on_dupack(self, ack: int) -> None:
        self.dupacks += 1
        mss = self.mss
        if self.in_recovery:
            self.extra_bytes += mss  # RFC 5681 §3.2 step 4: inflate by one MSS
        elif self.dupacks == 3 and ack > self.recover:
            flight = self.snd_nxt - self.snd_una
            self._event("fast_retransmit", ack)
            self.in_recovery = True
            self.recover = self.snd_max
            self.cc.on_congestion_event(now=self.env.now, flight_bytes=flight)
            self.extra_bytes = 3 * mss  # RFC 5681 §3.2 step 3
            self._transmit(ack)
        elif self.dupacks < 3:
            self.extra_bytes = self.dupacks * mss  # limited transmit (RFC 3042)

    # ---------------------------------------------------------------- receiver
    def _window(self) -> int:
        return self._round(self.cfg.rcv_buffer_bytes - self.unread_bytes)

    def _on_segment(self, seq: int, length: int) -> None:
        if length:
            if seq == self.rcv_nxt and self._window() >= length:
                self._deliver(length)
                while self.rcv_nxt in self.ooo:
                    self.ooo.discard(self.rcv_nxt)
                    self._deliver(self.mss)
            elif seq > self.rcv_nxt and seq + length <= self.rcv_nxt + self._window():
                self.ooo.add(seq)
        self._send_ack()

    def _deliver(self, length: int) -> None:
        self.rcv_nxt += length
        self.unread_bytes += length
        if self.reads_instantly:
            self._read(length)
        elif self.data_waiter is not None and not self.data_waiter.triggered:
            self.data_waiter.succeed()

    def _send_ack(self) -> None:
        wnd = self._window()
        self.last_advertised = wnd
        self._later(self.half_rtt, self._on_ack, self.rcv_nxt, wnd)

    def _read(self, length: int) -> None:
        self.unread_bytes -= length
        self.trace.delivered_bytes += length

    def reader(self):  # noqa: ANN201 - a simpy process
        """The application: read at app_read_bps, pausing during app_pauses_s."""
        env, cfg = self.env, self.cfg
        while True:
            pause_end = next((end for start, end in cfg.app_pauses_s
                              if start <= env.now < end), None)
            if pause_end is not None:
                yield env.timeout(pause_end - env.now)
                continue
            if self.unread_bytes == 0:
                self.data_waiter = env.event()
                yield self.data_waiter
                continue
            chunk = self.unread_bytes if cfg.app_read_bps is None else \
                min(self.unread_bytes, self.mss)
            self._read(chunk)
            wnd = self._window()
            if cfg.window_updates and self.last_advertised < self.mss <= wnd:
                self._event("window_update", self.rcv_nxt)
                self._send_ack()
            if cfg.app_read_bps is not None:
                yield env.timeout(8 * chunk / cfg.app_read_bps)

    def check_delivery(self) -> None:
        """Record whether the application got exactly the in-order prefix of the stream."""
        self.trace.delivered_in_order = (
            self.trace.delivered_bytes + self.unread_bytes == self.rcv_nxt
            and self.rcv_nxt <= self.snd_max and all(s > self.rcv_nxt for s in self.ooo))

    def sample(self) -> TraceSample:
        """The flow's state now, for the trace."""
        return TraceSample(self.env.now, self.cc.cwnd_bytes, self.cc.ssthresh_bytes,
                           self.rwnd, self.snd_nxt - self.snd_una, self.trace.delivered_bytes,
                           self.path.backlog(self.env.now), self.last_rtt_s)


def run(path_cfg: PathConfig, flow_cfgs: list[FlowConfig], *, duration_s: float,
        seed: int, sample_interval_s: float) -> list[Trace]:
    """Run already-validated configs; the public entry points are in netlab.congestion."""
    env = simpy.Environment()
    path = Bottleneck(path_cfg, random.Random(seed))
    flows: list[_Flow] = []
    for cfg in flow_cfgs:
        trace = Trace(cfg.algorithm, cfg.mss_bytes, path_cfg.rtt_s, duration_s, cfg.start_s)
        cc = make_algorithm(cfg.algorithm, mss_bytes=cfg.mss_bytes,
                            initial_cwnd_segments=cfg.initial_cwnd_segments)
        flow = _Flow(env, path, path_cfg, cfg, cc, trace)
        flows.append(flow)
        if not flow.reads_instantly:
            env.process(flow.reader())
        if cfg.start_s == 0:
            flow.start()
        else:
            flow._later(cfg.start_s, flow.start)

    def sampler():  # noqa: ANN202 - a simpy process
        while True:
            for flow in flows:
                if env.now >= flow.cfg.start_s:
                    flow.trace.samples.append(flow.sample())
            yield env.timeout(sample_interval_s)

    env.process(sampler())
    env.run(until=duration_s)
    for flow in flows:  # a last sample at the end of the run
        flow.check_delivery()
        if not flow.trace.samples or flow.trace.samples[-1].now < env.now:
            flow.trace.samples.append(flow.sample())
    return [flow.trace for flow in flows]
