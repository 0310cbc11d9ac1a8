"""Congestion control algorithms as small sans-IO classes, registered by name.

Each algorithm owns ``cwnd_bytes`` and ``ssthresh_bytes`` and reacts to keyword-only
hooks called by the sender: ``on_ack`` (new data cumulatively acknowledged outside loss
recovery), ``on_congestion_event`` (loss recovery begins), ``on_timeout`` (the
retransmission timer expired), ``on_recovery_exit`` and, for algorithms that ask for it
(``wants_rate_samples``), ``on_delivery`` with a delivery-rate sample on every ACK. An
algorithm that paces sets ``pacing_rate_bps``. They never read a clock, open a socket or
draw a random number: the simulator passes ``now``. Loss detection and retransmission
belong to the sender, so a new algorithm only subclasses :class:`CongestionControl` and
calls :func:`register_algorithm` (BBR in ``netlab.congestion.bbr`` does exactly that).

Window growth counts acknowledged *bytes* by default (``byte_counting=True``): in
congestion avoidance this is RFC 5681 §3.1's RECOMMENDED method, in slow start RFC 3465's
limit L = 2·SMSS; Linux counts acknowledged segments the same way. With
``byte_counting=False`` growth is per ACK, as RFC 5681's equations (2) and (3) are
written: then delayed ACKs, one ACK per two segments, slow both phases down.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Annotated, ClassVar

from pydantic import Field

from netlab._validate import ArgumentError, one_of, public

if TYPE_CHECKING:
    from netlab.congestion.rate import RateSample

#: RFC 9438 §4.6: multiplicative decrease factor.
CUBIC_BETA = 0.7
#: RFC 9438 §4.2: the cubic scaling constant.
CUBIC_C = 0.4
#: RFC 9438 §4.3: additive increase of the Reno-friendly estimate, 3(1-β)/(1+β).
CUBIC_ALPHA = 3 * (1 - CUBIC_BETA) / (1 + CUBIC_BETA)

_REGISTRY: dict[str, type[CongestionControl]] = {}

MssBytes = Annotated[int, Field(ge=100, le=65_495)]
WindowSegments = Annotated[int, Field(ge=1, le=1000)]
#: Times and windows the cubic curve is evaluated at; beyond them (t − K)³ overflows.
CurveSeconds = Annotated[float, Field(ge=-1e6, le=1e6)]
CurveSegments = Annotated[float, Field(gt=0, le=1e9)]
CurveC = Annotated[float, Field(gt=0, le=100)]


@public
class CongestionControl(ABC):
    """Base class: the state and hooks every congestion control algorithm shares."""

    name: ClassVar[str] = ""
    #: Whether the algorithm sets pacing_rate_bps (the sender then spaces its segments).
    paces: ClassVar[bool] = False
    #: Whether the sender should compute a delivery-rate sample for every ACK.
    wants_rate_samples: ClassVar[bool] = False
    #: Whether the algorithm sets cwnd itself during recovery (else the sender uses PRR).
    handles_recovery: ClassVar[bool] = False
    #: Whether the algorithm only runs with the SACK scoreboard.
    needs_sack: ClassVar[bool] = False

    def __init__(self, *, mss_bytes: MssBytes, initial_cwnd_segments: WindowSegments = 10,
                 byte_counting: bool = True) -> None:
        self.mss_bytes = mss_bytes
        self.initial_cwnd_segments = initial_cwnd_segments
        self.byte_counting = byte_counting
        self.cwnd_bytes = float(initial_cwnd_segments * mss_bytes)
        self.ssthresh_bytes = math.inf
        self.pacing_rate_bps: float | None = None

    @property
    def in_slow_start(self) -> bool:
        """True while cwnd < ssthresh (RFC 5681 §3.1)."""
        return self.cwnd_bytes < self.ssthresh_bytes

    @property
    def state(self) -> str:
        """The phase the window is in, as the trace records it."""
        return "slow start" if self.in_slow_start else "congestion avoidance"

    def slow_start(self, acked_bytes: int) -> None:
        """Grow cwnd by min(N, SMSS) per ACK (RFC 5681 eq. 2) or min(N, 2·SMSS) (RFC 3465)."""
        limit = 2 * self.mss_bytes if self.byte_counting else self.mss_bytes
        self.cwnd_bytes += min(acked_bytes, limit)

    def acks_counted(self, acked_bytes: int) -> float:
        """How many segments' worth of growth an ACK earns: its bytes, or one per ACK."""
        return acked_bytes / self.mss_bytes if self.byte_counting else 1.0

    def on_start(self, *, now: float, offset: int) -> None:  # noqa: B027 - optional hook
        """The flow starts; ``offset`` is a seeded draw for algorithms that randomise."""

    def on_delivery(self, *, now: float, sample: RateSample) -> None:  # noqa: B027
        """Every ACK's delivery-rate sample, for algorithms with wants_rate_samples."""

    @abstractmethod
    def on_ack(self, *, now: float, acked_bytes: int, rtt_s: float) -> None:
        """New data was cumulatively acknowledged outside loss recovery."""

    @abstractmethod
    def on_congestion_event(self, *, now: float, flight_bytes: int) -> None:
        """Three duplicate ACKs: set ssthresh and reduce cwnd before fast recovery."""

    def on_timeout(self, *, now: float, flight_bytes: int) -> None:
        """RTO expiry (RFC 5681 §3.1 eq. 4 and the loss window): back to one segment."""
        self.ssthresh_bytes = max(flight_bytes / 2, 2.0 * self.mss_bytes)
        self.cwnd_bytes = float(self.mss_bytes)

    def on_recovery_exit(self, *, now: float) -> None:  # noqa: B027 - optional hook
        """Fast recovery ended with a full ACK; cwnd is already ssthresh here."""


@public
def register_algorithm(cls: type[CongestionControl]) -> type[CongestionControl]:
    """Class decorator: make an algorithm selectable by its ``name``."""
    if not isinstance(cls.name, str) or not cls.name.strip():
        raise ArgumentError(f"register_algorithm: cls: {cls.__name__}.name must be a "
                            f"non-empty string, got {cls.name!r}")
    _REGISTRY[cls.name] = cls
    return cls


@public
def algorithm_names() -> list[str]:
    """The registered algorithm names, sorted."""
    return sorted(_REGISTRY)


def algorithm_class(name: str) -> type[CongestionControl]:
    """The class registered as ``name`` (the name already validated)."""
    return _REGISTRY[name]


@public
def make_algorithm(name: Annotated[str, one_of(algorithm_names)], *, mss_bytes: MssBytes,
                   initial_cwnd_segments: WindowSegments = 10,
                   byte_counting: bool = True) -> CongestionControl:
    """Build the algorithm registered as ``name`` (ValueError lists the known names)."""
    return _REGISTRY[name](mss_bytes=mss_bytes, initial_cwnd_segments=initial_cwnd_segments,
                           byte_counting=byte_counting)


@register_algorithm
class Reno(CongestionControl):
    """Reno (RFC 5681): slow start, additive increase, halve on loss, one MSS after RTO."""

    name: ClassVar[str] = "reno"

    def on_ack(self, *, now: float, acked_bytes: int, rtt_s: float) -> None:
        """Slow start below ssthresh, else about one MSS per RTT (RFC 5681 §3.1 eq. 3)."""
        if self.in_slow_start:
            self.slow_start(acked_bytes)
        else:
            self.cwnd_bytes += self.mss_bytes * self.mss_bytes * \
                self.acks_counted(acked_bytes) / self.cwnd_bytes

    def on_congestion_event(self, *, now: float, flight_bytes: int) -> None:
        """ssthresh = max(FlightSize/2, 2·MSS), cwnd = ssthresh (RFC 5681 §3.2 steps 2-3)."""
        self.ssthresh_bytes = max(flight_bytes / 2, 2.0 * self.mss_bytes)
        self.cwnd_bytes = self.ssthresh_bytes


@public
def cubic_window_segments(t_s: CurveSeconds, *, w_max_segments: CurveSegments,
                          k_s: CurveSeconds, c: CurveC = CUBIC_C) -> float:
    """W_cubic(t) = C·(t − K)³ + W_max, in segments (RFC 9438 §4.2, Figure 1)."""
    return c * (t_s - k_s) ** 3 + w_max_segments


@public
def cubic_k_s(*, w_max_segments: CurveSegments, cwnd_epoch_segments: CurveSegments,
              c: CurveC = CUBIC_C) -> float:
    """K = ∛((W_max − cwnd_epoch)/C): seconds until the curve is back at W_max (RFC 9438 §4.2)."""
    return math.copysign(abs((w_max_segments - cwnd_epoch_segments) / c) ** (1 / 3),
                         w_max_segments - cwnd_epoch_segments)


@register_algorithm
@public
class Cubic(CongestionControl):
    """CUBIC (RFC 9438): a cubic curve around the last W_max, never slower than Reno."""

    name: ClassVar[str] = "cubic"

    def __init__(self, *, mss_bytes: MssBytes, initial_cwnd_segments: WindowSegments = 10,
                 byte_counting: bool = True, fast_convergence: bool = True) -> None:
        super().__init__(mss_bytes=mss_bytes, initial_cwnd_segments=initial_cwnd_segments,
                         byte_counting=byte_counting)
        self.fast_convergence = fast_convergence
        self.w_max_segments: float | None = None
        self.k_s = 0.0
        self.epoch_start_s: float | None = None
        self.w_est_segments = 0.0
        self.cwnd_prior_segments = 0.0
        self.in_reno_friendly_region = False

    def on_ack(self, *, now: float, acked_bytes: int, rtt_s: float) -> None:
        """Slow start, then grow toward W_cubic(t + RTT) or the Reno estimate (§4.2-§4.5)."""
        if self.in_slow_start:
            self.slow_start(acked_bytes)
            return
        mss = self.mss_bytes
        cwnd = self.cwnd_bytes / mss
        acked = acked_bytes / mss
        if self.epoch_start_s is None:
            # First ACK of a congestion avoidance stage: start the epoch (§4.2).
            self.epoch_start_s = now
            self.w_est_segments = cwnd
            if self.w_max_segments is None:  # after a timeout or a loss-free slow start (§4.8)
                self.w_max_segments = cwnd
            self.k_s = cubic_k_s(w_max_segments=self.w_max_segments, cwnd_epoch_segments=cwnd)
        t = now - self.epoch_start_s
        alpha = 1.0 if self.w_est_segments >= self.cwnd_prior_segments else CUBIC_ALPHA
        self.w_est_segments += alpha * acked / cwnd
        w_cubic = CUBIC_C * (t - self.k_s) ** 3 + self.w_max_segments
        if w_cubic < self.w_est_segments:  # Reno-friendly region (§4.3)
            self.in_reno_friendly_region = True
            self.cwnd_bytes = max(self.cwnd_bytes, self.w_est_segments * mss)
            return
        self.in_reno_friendly_region = False
        target = CUBIC_C * (t + rtt_s - self.k_s) ** 3 + self.w_max_segments
        target = min(max(target, cwnd), 1.5 * cwnd)  # §4.2: clamp to [cwnd, 1.5·cwnd]
        self.cwnd_bytes += (target - cwnd) / cwnd * self.acks_counted(acked_bytes) * mss

    def _reduce(self) -> float:
        cwnd = self.cwnd_bytes / self.mss_bytes
        self.cwnd_prior_segments = cwnd
        if self.fast_convergence and self.w_max_segments is not None \
                and cwnd < self.w_max_segments:
            self.w_max_segments = cwnd * (1 + CUBIC_BETA) / 2  # fast convergence (§4.7)
        else:
            self.w_max_segments = cwnd
        self.epoch_start_s = None
        self.ssthresh_bytes = max(self.cwnd_bytes * CUBIC_BETA, 2.0 * self.mss_bytes)
        return self.ssthresh_bytes

    def on_congestion_event(self, *, now: float, flight_bytes: int) -> None:
        """ssthresh = cwnd·β (β = 0.7, at least 2 MSS), cwnd = ssthresh (RFC 9438 §4.6)."""
        self.cwnd_bytes = self._reduce()

    def on_timeout(self, *, now: float, flight_bytes: int) -> None:
        """ssthresh from β, cwnd to one MSS; the next epoch starts with K = 0 (§4.8)."""
        self._reduce()
        self.w_max_segments = None
        self.cwnd_bytes = float(self.mss_bytes)
