"""A simpy model of TCP flows crossing one bottleneck: the engine of chapter 4.

The path: sender -> optional random loss -> bottleneck (rate, drop-tail queue) ->
one-way propagation delay -> receiver; ACKs come back after the other half of the
RTT, never lost. Sequence numbers count bytes; every data segment carries one MSS.

The receiver keeps a finite buffer drained by the application and advertises rwnd
(its free space, rounded down to whole segments). It acknowledges every segment, or
every ``ack_every``-th with a delayed-ACK timer (RFC 5681 §4.2; out-of-order segments
and segments that fill a hole at once). Each ACK echoes the send time of the segment it
answers (the timestamps option, RFC 7323) and, when that segment sits above a hole, its
sequence number (the first SACK block, RFC 2018).

The sender keeps at most min(cwnd, rwnd) in flight, probes a zero window on a persist
timer, and recovers from loss in one of two ways:

- ``sack=True`` (the default, as Linux): a SACK scoreboard, RACK's time-based loss
  detection (RFC 8985) and, during recovery, Linux's Proportional Rate Reduction
  (RFC 9937), sending while the pipe is below cwnd (RFC 6675 §5); see ``sack.py``;
- ``sack=False``: three duplicate ACKs, NewReno recovery (RFC 6582) and limited
  transmit (RFC 3042), as RFC 5681 describes it.

Both use the RTO of RFC 6298. Algorithms that pace (BBR) get their segments spaced at
their pacing rate; the others send as the window allows.
"""

from __future__ import annotations

import math
import random

import simpy

from netlab.congestion.algorithms import CongestionControl, make_algorithm
from netlab.congestion.path import Bottleneck, FlowConfig, PathConfig
from netlab.congestion.rate import DeliveryRate, RateSample
from netlab.congestion.rto import RtoEstimator
from netlab.congestion.sack import Scoreboard
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
        self.in_loss = False  # after an RTO, until SND.UNA passes `recover` (SACK mode)
        self.recover = -1
        self.extra_bytes = 0  # NewReno: fast-recovery inflation and limited transmit
        self.sent_at: dict[int, float] = {}
        self.retransmitted: set[int] = set()
        self.rto = RtoEstimator(min_rto_s=cfg.min_rto_s)
        self.rto_timer = RestartableTimer(env, self._on_rto)
        self.persist_timer = RestartableTimer(env, self._on_persist)
        self.persist_backoff = 1
        self.last_rtt_s: float | None = None
        self.board = Scoreboard(self.mss) if cfg.sack else None
        self.rate = DeliveryRate() if cfg.sack and cc.wants_rate_samples else None
        self.prr_delivered = self.prr_out = 0
        self.prior_cwnd = 0.0
        self.next_send_s = 0.0
        self._try_send = self._try_send_sack if cfg.sack else self._try_send_newreno
        self._on_ack = self._on_ack_sack if cfg.sack else self._on_ack_newreno
        self.pace_timer = RestartableTimer(env, self._try_send) if cc.paces else None
        self.reorder_timer = RestartableTimer(env, self._on_reorder_timer) if cfg.sack else None
        # receiver
        self.rcv_nxt = 0
        self.ooo: set[int] = set()
        self.unread_bytes = 0
        self.last_advertised = self.rwnd
        self.reads_instantly = cfg.app_read_bps is None and not cfg.app_pauses_s
        self.data_waiter: simpy.Event | None = None
        self.pending_acks = 0
        self.pending_tsecr = self.last_tsecr = 0.0
        self.pending_seq = self.last_seq = -1
        self.delack_timer = RestartableTimer(env, self._on_delack) if cfg.ack_every > 1 else None

    # ----------------------------------------------------------------- helpers
    def _round(self, free_bytes: int) -> int:
        return max(0, free_bytes - free_bytes % self.mss)

    def _event(self, kind: str, seq: int) -> None:
        self.trace.events.append(TraceEvent(self.env.now, kind, seq))

    def _later(self, delay: float, callback, *args) -> None:  # noqa: ANN001
        ev = self.env.timeout(delay)
        ev.callbacks.append(lambda _ev: callback(*args))

    def _pipe_bytes(self) -> int:
        if self.board is None:
            return self.snd_nxt - self.snd_una
        outstanding = (self.snd_max - self.snd_una) // self.mss
        return self.board.pipe_segments(outstanding) * self.mss

    def _paced_out(self) -> bool:
        """True when pacing holds the next segment back (a wake-up is then armed)."""
        if self.pace_timer is None:
            return False
        wait = self.next_send_s - self.env.now
        if wait <= 1e-12:
            return False
        self.pace_timer.arm(wait)
        return True

    # ------------------------------------------------------------------ sender
    def start(self) -> None:
        """Open the flow: send the initial window."""
        self._try_send()

    def _arm_persist_if_needed(self) -> None:
        if self.rwnd < self.mss and self.snd_max == self.snd_una \
                and not self.persist_timer.running:
            self.persist_timer.arm(self._persist_interval())

    def _try_send_newreno(self) -> None:
        window = min(self.cc.cwnd_bytes + self.extra_bytes, self.rwnd)
        limit = self.snd_una + window
        mss = self.mss
        while self.snd_nxt + mss <= limit:
            if self.pace_timer is not None and self._paced_out():
                break
            self._transmit(self.snd_nxt)
            self.snd_nxt += mss
            if self.snd_nxt > self.snd_max:
                self.snd_max = self.snd_nxt
        self._arm_persist_if_needed()

    def _try_send_sack(self) -> None:
        board, mss = self.board, self.mss
        assert board is not None
        pipe = board.pipe_segments((self.snd_max - self.snd_una) // mss)
        cwnd = self.cc.cwnd_bytes + 1e-6
        while (pipe + 1) * mss <= cwnd:
            seq = board.next_to_resend()  # RFC 6675 NextSeg: lost segments first
            if seq is None:
                if self.snd_max + mss > self.snd_una + self.rwnd:
                    break
                seq = self.snd_max
            if self.pace_timer is not None and self._paced_out():
                break
            self._transmit(seq)
            pipe += 1  # a new segment, or a retransmission of one counted as lost
            if seq == self.snd_max:
                self.snd_max = self.snd_nxt = seq + mss
        self._arm_persist_if_needed()

    def _transmit(self, seq: int) -> None:
        now = self.env.now
        trace = self.trace
        trace.segments_sent += 1
        retransmission = seq < self.snd_max
        if retransmission:
            trace.retransmissions += 1
        if self.rate is not None:
            self.rate.on_sent(seq, now, self.snd_max == self.snd_una)
        if self.board is not None:
            self.board.on_sent(seq, now)
            if self.in_recovery:
                self.prr_out += self.mss
        else:  # NewReno's RTT samples need send times and Karn's rule
            self.sent_at[seq] = now
            if retransmission:
                self.retransmitted.add(seq)
        rate_bps = self.cc.pacing_rate_bps
        if self.pace_timer is not None and rate_bps:
            self.next_send_s = max(self.next_send_s, now) + 8 * self.mss / rate_bps
        if not self.rto_timer.running:
            self.rto_timer.arm(self.rto.rto_s)
        if self.path.random_drop(self):
            self._event("drop_random", seq)
            return
        departure = self.path.admit(now, self.mss)
        if departure is None:
            self._event("drop_queue", seq)
            return
        self._later(departure - now + self.half_rtt, self._on_segment, seq, self.mss, now)

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
        if self.board is None:
            self.snd_nxt = self.snd_una  # go back N: resend from the first unacknowledged byte
        else:
            self.in_loss = True  # every segment not SACKed is lost (RFC 6675 §5.1, Linux)
            self.board.mark_all_lost(self.snd_una, self.snd_max)
        self._try_send()
        if not self.rto_timer.running and self.snd_una != self.snd_max:
            self.rto_timer.arm(self.rto.rto_s)

    def _persist_interval(self) -> float:
        return min(self.rto.rto_s * self.persist_backoff, MAX_BACKOFF_S)

    def _on_persist(self) -> None:
        if self.rwnd >= self.mss or self.snd_max != self.snd_una:
            return
        # Like Linux, the probe carries no new data; it makes the receiver answer
        # with an ACK that states its current window (RFC 9293 §3.8.6.1).
        self._event("window_probe", self.snd_una)
        self.persist_backoff = min(self.persist_backoff * 2, 1 << 16)
        self._later(self.half_rtt, self._on_segment, self.snd_una, 0, self.env.now)
        self.persist_timer.arm(self._persist_interval())

    def _note_window(self, ack: int, wnd: int) -> bool:
        """Record the advertised window; return whether it changed."""
        mss = self.mss
        changed = wnd != self.rwnd
        if changed and wnd < mss <= self.rwnd:
            self._event("zero_window", ack)
        elif changed and self.rwnd < mss <= wnd:
            self._event("window_open", ack)
            self.persist_timer.stop()
            self.persist_backoff = 1
        self.rwnd = wnd
        return changed

    def _srtt(self) -> float:
        return self.rto.srtt_s if self.rto.srtt_s is not None else self.half_rtt * 2

    def _rearm_rto(self, advanced: bool) -> None:
        if self.snd_una == self.snd_max:
            self.rto_timer.stop()  # rule 5.2
        elif advanced:
            self.rto_timer.arm(self.rto.rto_s)  # rule 5.3

    # ------------------------------------------------ sender, without SACK (NewReno)
    def _on_ack_newreno(self, ack: int, wnd: int, sack_seq: int, tsecr: float,
                        echoed_seq: int) -> None:
        now = self.env.now
        mss = self.mss
        window_changed = wnd != self.rwnd and self._note_window(ack, wnd)
        advanced = ack > self.snd_una
        if advanced:
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
                self.rto.update(self.last_rtt_s)
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
                self.cc.on_ack(now=now, acked_bytes=acked, rtt_s=self._srtt())
        elif ack == self.snd_una and self.snd_max > self.snd_una and not window_changed:
            self._on_dupack(ack)
        self._rearm_rto(advanced)
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

    # ------------------------------------------- sender, with SACK, RACK and PRR
    def _on_ack_sack(self, ack: int, wnd: int, sack_seq: int, tsecr: float,
                     echoed_seq: int) -> None:
        now, mss, board, rate = self.env.now, self.mss, self.board, self.rate
        assert board is not None
        if wnd != self.rwnd:
            self._note_window(ack, wnd)
        prior_in_flight = self._pipe_bytes() if rate is not None else 0
        delivered = 0
        advanced = ack > self.snd_una
        if advanced:
            for seq in board.on_cumulative_ack(self.snd_una, ack):
                delivered += mss
                if rate is not None:
                    rate.on_delivered(seq, mss)
            # With timestamps every ACK that advances SND.UNA gives a valid sample,
            # retransmissions included (RFC 7323 §4.1, RFC 6298 §3).
            self.last_rtt_s = now - tsecr
            self.rto.update(max(self.last_rtt_s, 1e-6))
            self.snd_una = ack
        if sack_seq >= self.snd_una and board.on_sack(sack_seq):
            delivered += mss
            if rate is not None:
                rate.on_delivered(sack_seq, mss)
        if delivered:
            board.on_delivered_sent_at(echoed_seq, tsecr, now)
        if self.in_loss and self.snd_una >= self.recover:
            self.in_loss = False
        if self.in_recovery and self.snd_una >= self.recover:
            self._exit_recovery(now)
        newly_lost = self._detect_losses(prior_in_flight) if board.may_have_losses() else 0
        cc = self.cc
        if self.in_recovery and not cc.handles_recovery:
            self._prr(delivered, advanced and not newly_lost)
        elif advanced and delivered and not self.in_recovery:
            # Growth counts what this ACK newly delivered, not bytes SACKed earlier that
            # the cumulative ACK now covers (Linux passes tp->delivered's increase).
            cc.on_ack(now=now, acked_bytes=delivered, rtt_s=self._srtt())
        if rate is not None:
            prior_delivered, rate_bps = rate.sample(now, board.min_rtt_s)
            cc.on_delivery(now=now, sample=RateSample(
                now, rate.delivered, delivered, newly_lost * mss, prior_delivered, rate_bps,
                now - tsecr if delivered else None, prior_in_flight, self._pipe_bytes(),
                self._recovery_state()))
        self._rearm_rto(advanced)
        self._try_send()

    def _recovery_state(self) -> str:
        return "recovery" if self.in_recovery else "loss" if self.in_loss else "open"

    def _detect_losses(self, prior_in_flight: int) -> int:
        """RACK: mark losses, arm the reordering timer, enter recovery on a first loss."""
        assert self.board is not None and self.reorder_timer is not None
        now = self.env.now
        newly_lost, deadline = self.board.detect_losses(
            now, self.in_recovery or self.in_loss)
        if deadline is not None:
            self.reorder_timer.arm(deadline - now)
        if newly_lost and not self.in_recovery and not self.in_loss:
            self.in_recovery = True
            self.recover = self.snd_max
            self._event("fast_retransmit", self.board.next_to_resend() or self.snd_una)
            self.prior_cwnd = self.cc.cwnd_bytes
            self.prr_delivered = self.prr_out = 0
            # SACKed segments have left the network, so the sender kept sending while RACK
            # waited: FlightSize overstates the window. Halve what cwnd allowed, as Linux's
            # Reno does (tcp_reno_ssthresh: cwnd / 2).
            flight = min(self.snd_max - self.snd_una, int(self.cc.cwnd_bytes))
            self.cc.on_congestion_event(now=now, flight_bytes=flight)
        return newly_lost

    def _on_reorder_timer(self) -> None:
        if self._detect_losses(self._pipe_bytes()) and self.in_recovery \
                and not self.cc.handles_recovery:
            self._prr(0, False)
        self._try_send()

    def _prr(self, delivered: int, safe_ack: bool) -> None:
        """Linux's Proportional Rate Reduction (tcp_cwnd_reduction; RFC 9937)."""
        mss, cc = self.mss, self.cc
        self.prr_delivered += delivered
        pipe = self._pipe_bytes()
        ssthresh = cc.ssthresh_bytes
        if pipe > ssthresh:  # spread the reduction over one round trip
            sndcnt = math.ceil(self.prr_delivered * ssthresh / max(self.prior_cwnd, mss)
                               / mss) * mss - self.prr_out
        else:  # slow-start back up to ssthresh on ACKs that show no further loss
            sndcnt = max(self.prr_delivered - self.prr_out, delivered) + (mss if safe_ack else 0)
            sndcnt = min(ssthresh - pipe, sndcnt)
        sndcnt = max(sndcnt, 0 if self.prr_out else mss)  # the first retransmission goes out
        cc.cwnd_bytes = float(pipe + sndcnt)

    def _exit_recovery(self, now: float) -> None:
        self.in_recovery = False
        self._event("recovery_exit", self.snd_una)
        if not self.cc.handles_recovery and not math.isinf(self.cc.ssthresh_bytes):
            self.cc.cwnd_bytes = self.cc.ssthresh_bytes  # tcp_end_cwnd_reduction
        self.cc.on_recovery_exit(now=now)

    # ---------------------------------------------------------------- receiver
    def _window(self) -> int:
        return self._round(self.cfg.rcv_buffer_bytes - self.unread_bytes)

    def _on_segment(self, seq: int, length: int, sent_s: float) -> None:
        sack = -1
        if length:
            self.last_tsecr, self.last_seq = sent_s, seq
            hole_before = bool(self.ooo)
            in_order = seq == self.rcv_nxt and self._window() >= length
            if in_order:
                self._deliver(length)
                while self.rcv_nxt in self.ooo:
                    self.ooo.discard(self.rcv_nxt)
                    self._deliver(self.mss)
            elif seq > self.rcv_nxt and seq + length <= self.rcv_nxt + self._window():
                self.ooo.add(seq)
                sack = seq
            if self.delack_timer is not None and in_order and not hole_before:
                # In order, no hole: the ACK may wait (RFC 5681 §4.2, RFC 9293 §3.8.6.3).
                if self.pending_acks == 0:  # RFC 7323 §4.3: echo the earliest
                    self.pending_tsecr, self.pending_seq = sent_s, seq
                self.pending_acks += 1
                if self.pending_acks < self.cfg.ack_every:
                    if not self.delack_timer.running:
                        self.delack_timer.arm(self.cfg.delayed_ack_s)
                    return
        if self.pending_acks:
            self._send_ack(self.pending_tsecr, sack, self.pending_seq)
        else:
            self._send_ack(sent_s, sack, seq)

    def _on_delack(self) -> None:
        if self.pending_acks:
            self._send_ack(self.pending_tsecr, -1, self.pending_seq)

    def _deliver(self, length: int) -> None:
        self.rcv_nxt += length
        self.unread_bytes += length
        if self.reads_instantly:
            self._read(length)
        elif self.data_waiter is not None and not self.data_waiter.triggered:
            self.data_waiter.succeed()

    def _send_ack(self, tsecr: float, sack: int, echoed_seq: int) -> None:
        self.pending_acks = 0
        if self.delack_timer is not None:
            self.delack_timer.stop()
        wnd = self._window()
        self.last_advertised = wnd
        self._later(self.half_rtt, self._on_ack, self.rcv_nxt, wnd, sack, tsecr, echoed_seq)

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
                self._send_ack(self.last_tsecr, -1, self.last_seq)
            if cfg.app_read_bps is not None:
                yield env.timeout(8 * chunk / cfg.app_read_bps)

    def check_delivery(self) -> None:
        """Record whether the application got exactly the in-order prefix of the stream."""
        self.trace.delivered_in_order = (
            self.trace.delivered_bytes + self.unread_bytes == self.rcv_nxt
            and self.rcv_nxt <= self.snd_max and all(s > self.rcv_nxt for s in self.ooo))

    def sample(self) -> TraceSample:
        """The flow's state now, for the trace."""
        state = "recovery" if self.in_recovery else "loss" if self.in_loss else self.cc.state
        return TraceSample(self.env.now, self.cc.cwnd_bytes, self.cc.ssthresh_bytes,
                           self.rwnd, self.snd_nxt - self.snd_una, self.trace.delivered_bytes,
                           self.path.backlog(self.env.now), self.last_rtt_s,
                           self.cc.pacing_rate_bps, state)


def run(path_cfg: PathConfig, flow_cfgs: list[FlowConfig], *, duration_s: float,
        seed: int, sample_interval_s: float) -> list[Trace]:
    """Run already-validated configs; the public entry points are in netlab.congestion."""
    env = simpy.Environment()
    path = Bottleneck(path_cfg, random.Random(seed))
    flows: list[_Flow] = []
    for index, cfg in enumerate(flow_cfgs):
        trace = Trace(cfg.algorithm, cfg.mss_bytes, path_cfg.rtt_s, duration_s, cfg.start_s)
        cc = make_algorithm(cfg.algorithm, mss_bytes=cfg.mss_bytes,
                            initial_cwnd_segments=cfg.initial_cwnd_segments,
                            byte_counting=cfg.byte_counting)
        # Algorithms that randomise a phase (BBR) get a draw of their own, so that the
        # path's loss pattern does not depend on which algorithms run.
        cc.on_start(now=cfg.start_s, offset=random.Random(seed * 64 + index).randrange(1 << 16))
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
