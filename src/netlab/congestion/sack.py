"""The sender's SACK scoreboard and its time-based loss detection, as Linux runs them.

With SACK (RFC 2018) the receiver tells the sender which segments above a hole it holds.
The scoreboard keeps, per outstanding segment, whether it was selectively acknowledged,
marked lost, or retransmitted, and from that the *pipe*: the segments still in the
network (RFC 6675 §4, "SetPipe"; Linux's ``tcp_packets_in_flight``)::

    pipe = outstanding − SACKed − marked lost + retransmitted (and not yet delivered)

Loss is detected by time, as RACK does (RFC 8985 §6.2): a segment is lost when a segment
*sent after it* has been delivered and it has been outstanding longer than the latest RTT
plus a reordering window. Linux detects loss with RACK (``net.ipv4.tcp_recovery``, whose
documentation in Linux 6.18 calls it the only loss detection the kernel supports). The
simulated path never reorders, so the window is RFC 8985 §6.2's for a connection that
has seen no reordering: zero in loss recovery or once DupThresh (3) segments are SACKed,
min_RTT/4 otherwise. Tail-loss probes (TLP, the other
half of RFC 8985) are not modelled: a lost tail waits for the retransmission timer.

Sequence numbers are byte offsets; every segment is one MSS, so a segment is named by
its first byte. Nothing here reads a clock: the sender passes ``now``.
"""

from __future__ import annotations

import heapq
import math

#: RFC 8985 §6.2: the reordering window is min_RTT / 4 ...
REORDER_WINDOW_FRACTION = 0.25
#: ... or zero, without reordering seen, once this many segments are SACKed.
DUP_THRESH = 3


class Scoreboard:
    """SACKed, lost and retransmitted segments above SND.UNA, and RACK's loss detection."""

    def __init__(self, mss_bytes: int) -> None:
        self.mss = mss_bytes
        self.sacked: set[int] = set()
        self.lost: set[int] = set()      # marked lost (retransmitted or not)
        self.rexmit: set[int] = set()    # retransmitted after being marked lost, in flight
        self._to_resend: list[int] = []  # heap of lost segments not yet retransmitted
        # Segments in flight in the order they were (last) sent, with their send times
        # (a dict keeps insertion order; a retransmission is removed and re-inserted).
        self._in_flight: dict[int, float] = {}
        self.rack_xmit_s = -math.inf     # send time of the most recently sent delivered one
        self.rack_xmit_seq = -1          # and its sequence number, which breaks ties
        self.rack_rtt_s = 0.0
        self.min_rtt_s = math.inf

    # ---------------------------------------------------------------- counts
    def pipe_segments(self, outstanding_segments: int) -> int:
        """Segments in the network (RFC 6675 SetPipe, Linux tcp_packets_in_flight)."""
        return outstanding_segments - len(self.sacked) - len(self.lost) + len(self.rexmit)

    # ---------------------------------------------------------------- sending
    def on_sent(self, seq: int, now: float) -> None:
        """A segment left the sender (first transmission or retransmission)."""
        flight = self._in_flight
        if seq in self.lost:
            self.rexmit.add(seq)
            flight.pop(seq, None)
        flight[seq] = now

    def next_to_resend(self) -> int | None:
        """The lowest segment marked lost and not yet retransmitted (RFC 6675 NextSeg rule 1)."""
        heap = self._to_resend
        while heap:
            seq = heap[0]
            if seq in self.lost and seq not in self.rexmit and seq not in self.sacked:
                return seq
            heapq.heappop(heap)
        return None

    # ---------------------------------------------------------------- feedback
    def on_cumulative_ack(self, old_una: int, new_una: int) -> list[int]:
        """SND.UNA moved: forget the acknowledged segments; return those not SACKed before."""
        flight = self._in_flight
        if not (self.sacked or self.lost or self.rexmit):  # the common case: no holes
            newly = list(range(old_una, new_una, self.mss))
            for seq in newly:
                flight.pop(seq, None)
            return newly
        newly = []
        for seq in range(old_una, new_una, self.mss):
            if seq in self.sacked:
                self.sacked.discard(seq)
            else:
                newly.append(seq)
            self.lost.discard(seq)
            self.rexmit.discard(seq)
            flight.pop(seq, None)
        return newly

    def on_sack(self, seq: int) -> bool:
        """The receiver holds ``seq`` above a hole; True when that is news."""
        if seq in self.sacked:
            return False
        self.sacked.add(seq)
        self.lost.discard(seq)
        self.rexmit.discard(seq)
        self._in_flight.pop(seq, None)
        return True

    def on_delivered_sent_at(self, seq: int, sent_s: float, now: float) -> None:
        """Segment ``seq``, sent at ``sent_s`` (its echoed timestamp), arrived: update RACK."""
        rtt = now - sent_s
        if rtt > 0:
            self.min_rtt_s = min(self.min_rtt_s, rtt)
        # RFC 8985 §6.1 RACK_sent_after: a later send time, or the same and a higher seq.
        if (sent_s, seq) > (self.rack_xmit_s, self.rack_xmit_seq):
            self.rack_xmit_s, self.rack_xmit_seq = sent_s, seq
            self.rack_rtt_s = max(rtt, 0.0)

    def may_have_losses(self) -> bool:
        """Whether a segment in flight was sent before the newest delivered one (cheap)."""
        flight = self._in_flight
        if not flight:
            return False
        seq = next(iter(flight))
        return (flight[seq], seq) < (self.rack_xmit_s, self.rack_xmit_seq)

    def detect_losses(self, now: float, in_recovery: bool) -> tuple[int, float | None]:
        """Mark what RACK deems lost; return (newly lost, when to look again or None)."""
        if in_recovery or len(self.sacked) >= DUP_THRESH or math.isinf(self.min_rtt_s):
            reo_wnd = 0.0
        else:
            reo_wnd = REORDER_WINDOW_FRACTION * self.min_rtt_s
        newly = 0
        flight = self._in_flight
        while flight:
            seq, sent_s = next(iter(flight.items()))
            if (sent_s, seq) >= (self.rack_xmit_s, self.rack_xmit_seq):
                break  # not sent before the newest delivered segment
            deadline = sent_s + self.rack_rtt_s + reo_wnd
            if now + 1e-12 < deadline:
                return newly, deadline
            del flight[seq]
            self._mark_lost(seq)
            newly += 1
        return newly, None

    def mark_all_lost(self, una: int, snd_max: int) -> None:
        """The retransmission timer expired: every segment not SACKed is lost (Linux's
        tcp_enter_loss; RFC 6675 §5.1)."""
        for seq in range(una, snd_max, self.mss):
            if seq not in self.sacked:
                self._in_flight.pop(seq, None)
                self._mark_lost(seq)

    def _mark_lost(self, seq: int) -> None:
        self.lost.add(seq)
        self.rexmit.discard(seq)
        heapq.heappush(self._to_resend, seq)
