"""Published closed-form models the simulator is checked against."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Annotated

from pydantic import Field

from netlab._validate import ArgumentError, NonNegativeFloat, public
from netlab.congestion.algorithms import CUBIC_BETA, CUBIC_C

#: Mathis et al. (1997): the constant of the periodic-loss model with an ACK per segment,
#: √(3/(2b)) with b = 1.
MATHIS_C = math.sqrt(3 / 2)

LossRate = Annotated[float, Field(gt=0, lt=1)]
Rtt = Annotated[float, Field(gt=0, le=10)]
Rate = Annotated[float, Field(gt=0, le=1e12)]
SegmentsPerAck = Annotated[int, Field(ge=1, le=8)]


@public
def mathis_constant(segments_per_ack: SegmentsPerAck = 1) -> float:
    """C = √(3/(2b)), where b segments are acknowledged by each ACK that grows cwnd."""
    return math.sqrt(3 / (2 * segments_per_ack))


@public
def mathis_window_segments(loss_rate: LossRate, *, segments_per_ack: SegmentsPerAck = 1) -> float:
    """Average Reno window in segments, √(3/(2b))/√p (Mathis et al. 1997)."""
    return mathis_constant(segments_per_ack) / math.sqrt(loss_rate)


@public
def mathis_throughput_bps(*, mss_bytes: Annotated[int, Field(ge=1, le=65_495)], rtt_s: Rtt,
                          loss_rate: LossRate, segments_per_ack: SegmentsPerAck = 1) -> float:
    """Reno throughput (MSS/RTT)·C/√p in bits per second, C = √(3/(2b)) (Mathis et al. 1997)."""
    return 8 * mss_bytes / rtt_s * mathis_window_segments(loss_rate,
                                                          segments_per_ack=segments_per_ack)


def _cubic_only(rtt_s: float, loss_rate: float, c: float, beta: float) -> float:
    return (c * (3 + beta) / (4 * (1 - beta))) ** 0.25 * (rtt_s / loss_rate) ** 0.75


@public
def cubic_only_window_segments(*, rtt_s: Rtt, loss_rate: LossRate,
                               c: Annotated[float, Field(gt=0, le=100)] = CUBIC_C,
                               beta: Annotated[float, Field(gt=0, lt=1)] = CUBIC_BETA) -> float:
    """AVG_W_cubic = (C(3+β)/(4(1−β)))^¼ · RTT^¾ / p^¾ (RFC 9438 §5.1, RFC 8312 Eq. 5)."""
    return _cubic_only(rtt_s, loss_rate, c, beta)


@public
def cubic_average_window_segments(*, rtt_s: Rtt, loss_rate: LossRate,
                                  c: Annotated[float, Field(gt=0, le=100)] = CUBIC_C) -> float:
    """CUBIC's response function: the larger of AVG_W_cubic and the Reno-friendly window."""
    return max(_cubic_only(rtt_s, loss_rate, c, CUBIC_BETA), MATHIS_C / math.sqrt(loss_rate))


@public
def cubic_is_reno_friendly(*, rtt_s: Rtt, loss_rate: LossRate) -> bool:
    """True where Reno's average window exceeds AVG_W_cubic (short RTT, high loss)."""
    return MATHIS_C / math.sqrt(loss_rate) > _cubic_only(rtt_s, loss_rate, CUBIC_C, CUBIC_BETA)


@public
def bdp_bytes(*, bottleneck_bps: Rate, rtt_s: Rtt) -> float:
    """The bandwidth-delay product: bytes in flight needed to keep the bottleneck busy."""
    return bottleneck_bps * rtt_s / 8


@public
def window_limited_goodput_bps(*, window_bytes: Annotated[float, Field(gt=0, le=1e15)],
                               rtt_s: Rtt, bottleneck_bps: Rate) -> float:
    """min(window/RTT, bottleneck rate): what a fixed window can carry."""
    return min(8 * window_bytes / rtt_s, bottleneck_bps)


@public
def jain_fairness_index(allocations: Annotated[Sequence[Annotated[NonNegativeFloat,
                                                                  Field(le=1e15)]],
                                               Field(min_length=1, max_length=10_000)]) -> float:
    """Jain's index (Σx)²/(n·Σx²): 1 when all shares are equal, 1/n when one takes all."""
    total_sq = sum(x * x for x in allocations)
    if total_sq == 0:
        raise ArgumentError("jain_fairness_index: allocations: must not all be zero")
    return sum(allocations) ** 2 / (len(allocations) * total_sq)
