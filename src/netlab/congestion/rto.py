"""The retransmission timeout estimator of RFC 6298, sans-IO."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from netlab._validate import ArgumentError, public

TimerSeconds = Annotated[float, Field(gt=0, le=3600)]

#: RFC 6298 §2: gains of the smoothed RTT and of the RTT variation.
ALPHA = 1 / 8
BETA = 1 / 4
#: RFC 6298 §2: the RTO is SRTT + max(G, K·RTTVAR).
K = 4


@public
class RtoEstimator:
    """SRTT, RTTVAR and RTO from RTT samples, with exponential backoff (RFC 6298 §2, §5)."""

    def __init__(self, *, initial_rto_s: TimerSeconds = 1.0, min_rto_s: TimerSeconds = 1.0,
                 max_rto_s: TimerSeconds = 60.0, granularity_s: TimerSeconds = 0.001) -> None:
        if max_rto_s < min_rto_s:
            raise ArgumentError(f"max_rto_s: must be >= min_rto_s ({min_rto_s:g}), "
                                f"got {max_rto_s:g}")
        self.min_rto_s = min_rto_s
        self.max_rto_s = max_rto_s
        self.granularity_s = granularity_s
        self.srtt_s: float | None = None
        self.rttvar_s: float | None = None
        self.rto_s = initial_rto_s
        self.backoffs = 0

    def on_rtt_sample(self, rtt_s: float) -> float:
        """Fold one RTT measurement in (rules 2.2 and 2.3) and return the new RTO."""
        if isinstance(rtt_s, bool) or not isinstance(rtt_s, int | float) \
                or not 0 < rtt_s <= 3600:
            raise ArgumentError(f"on_rtt_sample: rtt_s: must be a number in (0, 3600], "
                                f"got {rtt_s!r}")
        return self.update(float(rtt_s))

    def update(self, rtt_s: float) -> float:
        """on_rtt_sample without the argument check, for the simulator's inner loop."""
        if self.srtt_s is None or self.rttvar_s is None:
            self.srtt_s = rtt_s
            self.rttvar_s = rtt_s / 2
        else:
            self.rttvar_s = (1 - BETA) * self.rttvar_s + BETA * abs(self.srtt_s - rtt_s)
            self.srtt_s = (1 - ALPHA) * self.srtt_s + ALPHA * rtt_s
        self.backoffs = 0
        rto = self.srtt_s + max(self.granularity_s, K * self.rttvar_s)
        self.rto_s = min(max(rto, self.min_rto_s), self.max_rto_s)  # rules 2.4 and 2.5
        return self.rto_s

    def on_timeout(self) -> float:
        """The timer expired: double the RTO, up to the maximum (rule 5.5), and return it."""
        self.backoffs += 1
        self.rto_s = min(self.rto_s * 2, self.max_rto_s)
        return self.rto_s
