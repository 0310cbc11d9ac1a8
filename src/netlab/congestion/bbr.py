"""BBR version 1, the algorithm Linux ships as ``bbr`` (net/ipv4/tcp_bbr.c).

The version modelled is BBR v1 as published by Cardwell et al. (ACM Queue 14(5), 2016)
and specified in draft-cardwell-iccrg-bbr-congestion-control-00 (2017), which is what
mainline Linux has run since 4.9. BBR v3 (draft-ietf-ccwg-bbr) keeps the same model of
the path but also reacts to loss and ECN; it is not in mainline Linux.

BBR builds a model of the path from two estimates, updated on every ACK:

- **BtlBw**, the bottleneck bandwidth: the highest delivery rate over the last 10 rounds;
- **RTprop**, the round-trip propagation time: the lowest RTT over the last 10 seconds.

It paces at ``pacing_gain × BtlBw`` and caps what is in flight at
``cwnd_gain × BtlBw × RTprop`` (plus a small allowance), and moves through four states:

- **Startup**: both gains 2/ln 2 ≈ 2.89, so the sending rate doubles every round, until
  the bandwidth estimate stops growing by 25 % for three rounds;
- **Drain**: pacing gain ln 2/2 ≈ 0.35 until the queue Startup built has drained;
- **ProbeBW**: cwnd gain 2, pacing gain cycling through 1.25, 0.75 and six rounds of 1,
  each phase about one RTprop long: probe for more bandwidth, then drain what probing
  queued, then cruise;
- **ProbeRTT**: when RTprop has not been refreshed for 10 s, cwnd falls to four segments
  for at least 200 ms and one round, so the queue empties and the minimum RTT is seen.

BBR v1 does not treat loss as a congestion signal. During fast recovery it only keeps
packet conservation for the first round (as many segments out as came back), and after
recovery it restores the window it had. Linux's long-term bandwidth estimator for traffic
policers and its ACK-aggregation allowance are not modelled.
"""

from __future__ import annotations

import math
from collections import deque
from typing import ClassVar

from netlab._validate import public
from netlab.congestion.algorithms import (
    CongestionControl,
    MssBytes,
    WindowSegments,
    register_algorithm,
)
from netlab.congestion.rate import RateSample

#: Startup gain 2/ln 2: the smallest that doubles the delivery rate every round.
BBR_HIGH_GAIN = 2 / math.log(2)
#: Drain's pacing gain, the inverse of the Startup gain.
BBR_DRAIN_GAIN = 1 / BBR_HIGH_GAIN
#: ProbeBW's cwnd gain.
BBR_CWND_GAIN = 2.0
#: ProbeBW's pacing-gain cycle, one phase per RTprop.
BBR_PACING_GAINS = (1.25, 0.75, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0)
#: Window of the bandwidth filter, in rounds, and of the RTprop filter, in seconds.
BBR_BW_WINDOW_ROUNDS = 10
BBR_MIN_RTT_WINDOW_S = 10.0
#: ProbeRTT lasts at least this long, with at most BBR_MIN_CWND_SEGMENTS in flight.
BBR_PROBE_RTT_S = 0.2
BBR_MIN_CWND_SEGMENTS = 4
#: Startup ends after three rounds in which the bandwidth grew by less than 25 %.
BBR_FULL_BW_GROWTH = 1.25
BBR_FULL_BW_ROUNDS = 3
#: Linux paces about 1 % below the estimate, to keep the bottleneck queue small.
BBR_PACING_MARGIN = 0.01

STARTUP, DRAIN, PROBE_BW, PROBE_RTT = "startup", "drain", "probe_bw", "probe_rtt"
#: BBR's states as the trace names them.
BBR_STATES = (STARTUP, DRAIN, PROBE_BW, PROBE_RTT)


class _WindowedMax:
    """The largest value seen in the last ``window`` rounds (a monotonic deque)."""

    def __init__(self, window: int) -> None:
        self.window = window
        self._items: deque[tuple[int, float]] = deque()

    def update(self, round_count: int, value: float) -> None:
        items = self._items
        while items and items[-1][1] <= value:
            items.pop()
        items.append((round_count, value))
        while items[0][0] <= round_count - self.window:
            items.popleft()

    @property
    def best(self) -> float:
        return self._items[0][1] if self._items else 0.0


@register_algorithm
@public
class Bbr(CongestionControl):
    """BBR v1: pace at the estimated bottleneck rate, keep about 2 BDP in flight."""

    name: ClassVar[str] = "bbr"
    paces: ClassVar[bool] = True
    wants_rate_samples: ClassVar[bool] = True
    handles_recovery: ClassVar[bool] = True
    needs_sack: ClassVar[bool] = True

    def __init__(self, *, mss_bytes: MssBytes, initial_cwnd_segments: WindowSegments = 10,
                 byte_counting: bool = True) -> None:
        super().__init__(mss_bytes=mss_bytes, initial_cwnd_segments=initial_cwnd_segments,
                         byte_counting=byte_counting)
        self.mode = STARTUP
        self.pacing_gain = self.cwnd_gain = BBR_HIGH_GAIN
        self._bw = _WindowedMax(BBR_BW_WINDOW_ROUNDS)
        self.min_rtt_s = math.inf
        self.min_rtt_stamp_s = 0.0
        self.round_count = 0
        self._next_round_delivered = 0
        self.round_start = False
        self.full_bw_bytes_per_s = 0.0
        self._full_bw_count = 0
        self.filled_pipe = False
        self.cycle_index = 0
        self._cycle_stamp_s = 0.0
        self._cycle_offset = 0
        self._probe_rtt_done_s: float | None = None
        self._probe_rtt_round_done = False
        self._app_limited_until = 0
        self.prior_cwnd_bytes = 0.0
        self._packet_conservation = False
        self._prev_recovery = "open"
        self._has_seen_rtt = False
        # Before any RTT sample Linux assumes 1 ms (bbr_init_pacing_rate_from_rtt).
        self.pacing_rate_bps = BBR_HIGH_GAIN * self.cwnd_bytes * 8 / 0.001 \
            * (1 - BBR_PACING_MARGIN)

    # ------------------------------------------------------------- the model
    @property
    def btlbw_bytes_per_s(self) -> float:
        """The bottleneck-bandwidth estimate: the windowed maximum delivery rate."""
        return self._bw.best

    @property
    def state(self) -> str:
        """The BBR state: startup, drain, probe_bw or probe_rtt."""
        return self.mode

    def on_start(self, *, now: float, offset: int) -> None:
        """Where ProbeBW's gain cycle starts (Linux draws it at random; the simulator
        passes a seeded draw): any phase but the 0.75 one."""
        self._cycle_offset = offset % (len(BBR_PACING_GAINS) - 1)

    def bdp_bytes(self, gain: float) -> float:
        """gain × BtlBw × RTprop, in whole segments (the initial window before an RTT)."""
        if math.isinf(self.min_rtt_s):
            return self.initial_cwnd_segments * self.mss_bytes
        segments = math.ceil(gain * self.btlbw_bytes_per_s * self.min_rtt_s / self.mss_bytes)
        return segments * self.mss_bytes

    def inflight_bytes(self, gain: float) -> float:
        """BDP times gain, plus the draft's allowance of three send quanta, made even."""
        quantum = 1 if self.pacing_rate_bps < 1.2e6 else 2
        segments = self.bdp_bytes(gain) / self.mss_bytes + 3 * quantum
        segments = 2 * math.ceil(segments / 2)
        if self.mode == PROBE_BW and self.cycle_index == 0:
            segments += 2
        return segments * self.mss_bytes

    # ------------------------------------------------------------- the hooks
    def on_ack(self, *, now: float, acked_bytes: int, rtt_s: float) -> None:
        """BBR does its work in on_delivery, which sees every ACK."""

    def on_congestion_event(self, *, now: float, flight_bytes: int) -> None:
        """Loss recovery begins: remember the window (BBR does not cut it for the loss)."""
        self._save_cwnd()

    def on_timeout(self, *, now: float, flight_bytes: int) -> None:
        """RTO: everything is lost, one segment may be sent; the model is kept."""
        self._save_cwnd()
        self.full_bw_bytes_per_s = 0.0
        self.round_start = True
        self.cwnd_bytes = float(self.mss_bytes)

    def on_delivery(self, *, now: float, sample: RateSample) -> None:
        """Update the model from one ACK's rate sample, then set pacing rate and cwnd."""
        self._update_bandwidth(sample)
        self._update_cycle_phase(now, sample)
        self._check_full_pipe(sample)
        self._check_drain(now, sample)
        self._update_min_rtt(now, sample)
        self._update_gains()
        self._set_pacing_rate()
        self._set_cwnd(sample)

    # ------------------------------------------------------------- internals
    def _save_cwnd(self) -> None:
        if self._prev_recovery == "open" and self.mode != PROBE_RTT:
            self.prior_cwnd_bytes = self.cwnd_bytes
        else:
            self.prior_cwnd_bytes = max(self.prior_cwnd_bytes, self.cwnd_bytes)

    def _app_limited(self, sample: RateSample) -> bool:
        return sample.prior_delivered_bytes < self._app_limited_until

    def _update_bandwidth(self, sample: RateSample) -> None:
        self.round_start = False
        if sample.rate_bytes_per_s is None:
            return
        if sample.prior_delivered_bytes >= self._next_round_delivered:
            self._next_round_delivered = sample.delivered_bytes
            self.round_count += 1
            self.round_start = True
            self._packet_conservation = False
        rate = sample.rate_bytes_per_s
        if not self._app_limited(sample) or rate >= self.btlbw_bytes_per_s:
            self._bw.update(self.round_count, rate)

    def _update_cycle_phase(self, now: float, sample: RateSample) -> None:
        if self.mode != PROBE_BW:
            return
        full_length = now - self._cycle_stamp_s > self.min_rtt_s
        gain = self.pacing_gain
        inflight = sample.prior_in_flight_bytes
        if gain == 1.0:
            advance = full_length
        elif gain > 1.0:
            advance = full_length and (sample.newly_lost_bytes > 0
                                       or inflight >= self.inflight_bytes(gain))
        else:
            advance = full_length or inflight <= self.inflight_bytes(1.0)
        if advance:
            self._advance_cycle(now)

    def _advance_cycle(self, now: float) -> None:
        self.cycle_index = (self.cycle_index + 1) % len(BBR_PACING_GAINS)
        self._cycle_stamp_s = now

    def _check_full_pipe(self, sample: RateSample) -> None:
        if self.filled_pipe or not self.round_start or self._app_limited(sample):
            return
        if self.btlbw_bytes_per_s >= self.full_bw_bytes_per_s * BBR_FULL_BW_GROWTH:
            self.full_bw_bytes_per_s = self.btlbw_bytes_per_s
            self._full_bw_count = 0
            return
        self._full_bw_count += 1
        self.filled_pipe = self._full_bw_count >= BBR_FULL_BW_ROUNDS

    def _enter_probe_bw(self, now: float) -> None:
        self.mode = PROBE_BW
        self.cycle_index = len(BBR_PACING_GAINS) - 1 - self._cycle_offset
        self._advance_cycle(now)

    def _check_drain(self, now: float, sample: RateSample) -> None:
        if self.mode == STARTUP and self.filled_pipe:
            self.mode = DRAIN
        if self.mode == DRAIN and sample.in_flight_bytes <= self.inflight_bytes(1.0):
            self._enter_probe_bw(now)

    def _update_min_rtt(self, now: float, sample: RateSample) -> None:
        expired = now > self.min_rtt_stamp_s + BBR_MIN_RTT_WINDOW_S
        if sample.rtt_s is not None and (sample.rtt_s < self.min_rtt_s or expired):
            self.min_rtt_s = sample.rtt_s
            self.min_rtt_stamp_s = now
        if expired and self.mode != PROBE_RTT:
            self.mode = PROBE_RTT
            self._save_cwnd()
            self._probe_rtt_done_s = None
        if self.mode != PROBE_RTT:
            return
        # Samples taken while the window is held down say nothing about the bottleneck.
        self._app_limited_until = sample.delivered_bytes + sample.in_flight_bytes
        min_inflight = BBR_MIN_CWND_SEGMENTS * self.mss_bytes
        if self._probe_rtt_done_s is None and sample.in_flight_bytes <= min_inflight:
            self._probe_rtt_done_s = now + BBR_PROBE_RTT_S
            self._probe_rtt_round_done = False
            self._next_round_delivered = sample.delivered_bytes
        elif self._probe_rtt_done_s is not None:
            if self.round_start:
                self._probe_rtt_round_done = True
            if self._probe_rtt_round_done and now > self._probe_rtt_done_s:
                self.min_rtt_stamp_s = now
                self.cwnd_bytes = max(self.cwnd_bytes, self.prior_cwnd_bytes)
                if self.filled_pipe:
                    self._enter_probe_bw(now)
                else:
                    self.mode = STARTUP

    def _update_gains(self) -> None:
        if self.mode == STARTUP:
            self.pacing_gain = self.cwnd_gain = BBR_HIGH_GAIN
        elif self.mode == DRAIN:
            self.pacing_gain, self.cwnd_gain = BBR_DRAIN_GAIN, BBR_HIGH_GAIN
        elif self.mode == PROBE_BW:
            self.pacing_gain = BBR_PACING_GAINS[self.cycle_index]
            self.cwnd_gain = BBR_CWND_GAIN
        else:
            self.pacing_gain = self.cwnd_gain = 1.0

    def _set_pacing_rate(self) -> None:
        bw = self.btlbw_bytes_per_s
        if bw <= 0:
            return
        if not self._has_seen_rtt and not math.isinf(self.min_rtt_s):
            self._has_seen_rtt = True
            self.pacing_rate_bps = BBR_HIGH_GAIN * self.cwnd_bytes * 8 / self.min_rtt_s \
                * (1 - BBR_PACING_MARGIN)
        rate = self.pacing_gain * bw * 8 * (1 - BBR_PACING_MARGIN)
        if self.filled_pipe or rate > self.pacing_rate_bps:
            self.pacing_rate_bps = rate

    def _set_cwnd(self, sample: RateSample) -> None:
        acked = sample.newly_delivered_bytes
        if acked > 0:
            self._set_cwnd_for(sample, acked)
        if self.mode == PROBE_RTT:
            self.cwnd_bytes = min(self.cwnd_bytes, BBR_MIN_CWND_SEGMENTS * self.mss_bytes)

    def _set_cwnd_for(self, sample: RateSample, acked: int) -> None:
        mss = self.mss_bytes
        cwnd = self.cwnd_bytes
        if sample.newly_lost_bytes:
            cwnd = max(cwnd - sample.newly_lost_bytes, float(mss))
        state, prev = sample.recovery, self._prev_recovery
        if state == "recovery" and prev != "recovery":
            # First round of recovery: packet conservation (Linux bbr_set_cwnd_to_recover...).
            self._packet_conservation = True
            self._next_round_delivered = sample.delivered_bytes
            cwnd = float(sample.in_flight_bytes + acked)
        elif prev != "open" and state == "open":
            cwnd = max(cwnd, self.prior_cwnd_bytes)  # recovery over: restore the window
            self._packet_conservation = False
        self._prev_recovery = state
        if self._packet_conservation:
            self.cwnd_bytes = max(cwnd, float(sample.in_flight_bytes + acked))
            return
        target = self.inflight_bytes(self.cwnd_gain)
        if self.filled_pipe:
            cwnd = min(cwnd + acked, target)
        elif cwnd < target or sample.delivered_bytes < self.initial_cwnd_segments * mss:
            cwnd += acked
        self.cwnd_bytes = max(cwnd, float(BBR_MIN_CWND_SEGMENTS * mss))
