"""What a simulation returns: samples over time, events, counters, goodput."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from netlab._check import check_float
from netlab._validate import result

#: Event kinds a trace may hold, in the order a reader meets them.
EVENT_KINDS = (
    "drop_random",      # the path lost a data segment at random
    "drop_queue",       # the bottleneck's drop-tail queue was full
    "fast_retransmit",  # third duplicate ACK: retransmit and enter fast recovery
    "recovery_exit",    # a full ACK ended fast recovery
    "timeout",          # the retransmission timer expired
    "zero_window",      # the sender learned rwnd = 0
    "window_open",      # the sender learned rwnd > 0 again
    "window_probe",     # the persist timer fired: a zero-window probe was sent
    "window_update",    # the receiver announced a reopened window on its own
)


@result
@dataclass(frozen=True, slots=True)
class TraceSample:
    """The sender's and the path's state at one instant."""

    now: float
    cwnd_bytes: float
    ssthresh_bytes: float
    rwnd_bytes: int
    flight_bytes: int
    delivered_bytes: int
    queue_packets: int
    rtt_s: float | None
    pacing_rate_bps: float | None = None
    state: str = ""


@result
@dataclass(frozen=True, slots=True)
class TraceEvent:
    """Something that happened to one flow: a loss, a recovery, a window change."""

    now: float
    kind: str
    seq: int


@result
@dataclass(slots=True)
class Trace:
    """One flow's run: samples, events, counters and its goodput."""

    algorithm: str
    mss_bytes: int
    rtt_s: float
    duration_s: float
    start_s: float = 0.0
    samples: list[TraceSample] = field(default_factory=list)
    events: list[TraceEvent] = field(default_factory=list)
    segments_sent: int = 0
    retransmissions: int = 0
    delivered_bytes: int = 0
    delivered_in_order: bool = True

    @property
    def goodput_bps(self) -> float:
        """Bytes the application read, in bits per second over the flow's lifetime."""
        return 8 * self.delivered_bytes / (self.duration_s - self.start_s)

    def event_counts(self) -> dict[str, int]:
        """How many events of each kind happened (kinds that never happened omitted)."""
        return dict(sorted(Counter(e.kind for e in self.events).items()))

    def goodput_bps_between(self, start_s: float, end_s: float) -> float:
        """Goodput over [start_s, end_s], from the delivered-bytes samples."""
        check_float("start_s", start_s, min_value=0.0)
        check_float("end_s", end_s, min_value=start_s, min_inclusive=False)
        first = self._sample_at(start_s)
        last = self._sample_at(end_s)
        return 8 * (last.delivered_bytes - first.delivered_bytes) / (last.now - first.now)

    def mean_cwnd_segments(self, start_s: float = 0.0) -> float:
        """Time-averaged cwnd in segments over the samples taken at or after start_s."""
        check_float("start_s", start_s, min_value=0.0)
        cwnds = [s.cwnd_bytes for s in self.samples if s.now >= start_s]
        if not cwnds:
            raise ValueError(f"start_s must be before the last sample, got {start_s!r}")
        return sum(cwnds) / len(cwnds) / self.mss_bytes

    def mean_rtt_s(self, start_s: float = 0.0) -> float:
        """Average of the latest RTT measurement over the samples taken at or after start_s."""
        check_float("start_s", start_s, min_value=0.0)
        rtts = [s.rtt_s for s in self.samples if s.now >= start_s and s.rtt_s is not None]
        if not rtts:
            raise ValueError(f"start_s must be before the last RTT sample, got {start_s!r}")
        return sum(rtts) / len(rtts)

    def _sample_at(self, now: float) -> TraceSample:
        if not self.samples or now > self.samples[-1].now + 1e-9:
            raise ValueError(f"time must lie within the sampled run, got {now!r}")
        for sample in self.samples:
            if sample.now >= now - 1e-9:
                return sample
        return self.samples[-1]
