"""Delivery-rate samples: how fast the path delivered data, measured from ACKs.

Model-based algorithms (BBR) need the rate at which the network *delivered* data, not the
rate at which the sender sent it. The estimator follows draft-cheng-iccrg-delivery-rate-
estimation and Linux's ``net/ipv4/tcp_rate.c``: when a segment is sent it records how much
had been delivered so far and when; when it is delivered, the sample is

    delivered since it was sent / max(send interval, ACK interval)

taking the most recently sent of the segments this ACK delivers. Taking the larger of
the two intervals keeps ACK compression from inflating the rate. A sample whose interval
is shorter than the minimum RTT is discarded, as Linux does. The simulated sender is never
application-limited, so no sample is marked so here; BBR marks its own in ProbeRTT.
"""

from __future__ import annotations

from dataclasses import dataclass

from netlab._validate import result


@result
@dataclass(frozen=True, slots=True)
class RateSample:
    """What one ACK tells a congestion controller: delivery rate, losses, flight, RTT."""

    now: float
    delivered_bytes: int        # total delivered so far (Linux tp->delivered, in bytes)
    newly_delivered_bytes: int  # acknowledged or SACKed by this ACK
    newly_lost_bytes: int       # marked lost while processing this ACK
    prior_delivered_bytes: int  # delivered when the sampled segment was sent
    rate_bytes_per_s: float | None  # None when this ACK gives no valid rate sample
    rtt_s: float | None         # RTT of the most recently sent segment it delivered
    prior_in_flight_bytes: int  # in flight before this ACK was processed
    in_flight_bytes: int        # in flight after it
    recovery: str               # "open", "recovery" (fast recovery) or "loss" (after an RTO)


class DeliveryRate:
    """Per-segment send records and the rate sample each ACK produces."""

    def __init__(self) -> None:
        self.delivered = 0
        self.delivered_s = 0.0
        self.first_sent_s = 0.0
        # seq -> (delivered, delivered_s, first_sent_s, sent_s) at its (last) send.
        self._sent: dict[int, tuple[int, float, float, float]] = {}
        self._best: tuple[int, float, float, float] | None = None

    def on_sent(self, seq: int, now: float, nothing_in_flight: bool) -> None:
        """Record the state a later sample starts from (tcp_rate_skb_sent)."""
        if nothing_in_flight:
            self.first_sent_s = self.delivered_s = now
        self._sent[seq] = (self.delivered, self.delivered_s, self.first_sent_s, now)

    def on_delivered(self, seq: int, mss: int) -> int:
        """A segment was ACKed or SACKed; return the bytes newly delivered (0 if counted)."""
        record = self._sent.pop(seq, None)
        if record is None:
            return 0
        if self._best is None or record[3] > self._best[3]:
            self._best = record
        self.delivered += mss
        return mss

    def forget(self, seq: int) -> None:
        """Drop the record of a segment that can no longer be delivered by this send."""
        self._sent.pop(seq, None)

    def sample(self, now: float, min_rtt_s: float) -> tuple[int, float | None]:
        """(prior delivered, rate in bytes/s or None) from the ACK just processed."""
        best, self._best = self._best, None
        if best is None:
            return self.delivered, None
        prior_delivered, prior_delivered_s, first_sent_s, sent_s = best
        self.first_sent_s = sent_s
        self.delivered_s = now
        interval = max(sent_s - first_sent_s, now - prior_delivered_s)
        if interval <= 0 or interval < min_rtt_s:
            return prior_delivered, None
        return prior_delivered, (self.delivered - prior_delivered) / interval
