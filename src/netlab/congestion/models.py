"""Published closed-form models the simulator is checked against."""

from __future__ import annotations

import math
from collections.abc import Sequence

from netlab._check import check_float, check_positive
from netlab.congestion.algorithms import CUBIC_BETA, CUBIC_C

#: Mathis et al. (1997): the constant of the periodic-loss model, √(3/2).
MATHIS_C = math.sqrt(3 / 2)


def _check_loss(name: str, value: float) -> float:
    return check_float(name, value, min_value=0.0, max_value=1.0,
                       min_inclusive=False, max_inclusive=False)


def mathis_window_segments(loss_rate: float) -> float:
    """Average Reno window in segments, √(3/2)/√p (Mathis et al. 1997)."""
    return MATHIS_C / math.sqrt(_check_loss("loss_rate", loss_rate))


def mathis_throughput_bps(*, mss_bytes: int, rtt_s: float, loss_rate: float) -> float:
    """Reno throughput (MSS/RTT)·√(3/2)/√p in bits per second (Mathis et al. 1997)."""
    check_positive("mss_bytes", mss_bytes)
    check_positive("rtt_s", rtt_s)
    return 8 * mss_bytes / rtt_s * mathis_window_segments(loss_rate)


def cubic_only_window_segments(*, rtt_s: float, loss_rate: float, c: float = CUBIC_C,
                               beta: float = CUBIC_BETA) -> float:
    """AVG_W_cubic = (C(3+β)/(4(1−β)))^¼ · RTT^¾ / p^¾ (RFC 9438 §5.1, RFC 8312 Eq. 5)."""
    check_positive("rtt_s", rtt_s)
    _check_loss("loss_rate", loss_rate)
    check_positive("c", c)
    check_float("beta", beta, min_value=0.0, max_value=1.0, min_inclusive=False,
                max_inclusive=False)
    return (c * (3 + beta) / (4 * (1 - beta))) ** 0.25 * (rtt_s / loss_rate) ** 0.75


def cubic_average_window_segments(*, rtt_s: float, loss_rate: float,
                                  c: float = CUBIC_C) -> float:
    """CUBIC's response function: the larger of AVG_W_cubic and the Reno-friendly window."""
    return max(cubic_only_window_segments(rtt_s=rtt_s, loss_rate=loss_rate, c=c),
               mathis_window_segments(loss_rate))


def cubic_is_reno_friendly(*, rtt_s: float, loss_rate: float) -> bool:
    """True where Reno's average window exceeds AVG_W_cubic (short RTT, high loss)."""
    return mathis_window_segments(loss_rate) > cubic_only_window_segments(
        rtt_s=rtt_s, loss_rate=loss_rate)


def bdp_bytes(*, bottleneck_bps: float, rtt_s: float) -> float:
    """The bandwidth-delay product: bytes in flight needed to keep the bottleneck busy."""
    check_positive("bottleneck_bps", bottleneck_bps)
    check_positive("rtt_s", rtt_s)
    return bottleneck_bps * rtt_s / 8


def window_limited_goodput_bps(*, window_bytes: float, rtt_s: float,
                               bottleneck_bps: float) -> float:
    """min(window/RTT, bottleneck rate): what a fixed window can carry."""
    check_positive("window_bytes", window_bytes)
    check_positive("rtt_s", rtt_s)
    check_positive("bottleneck_bps", bottleneck_bps)
    return min(8 * window_bytes / rtt_s, bottleneck_bps)


def jain_fairness_index(allocations: Sequence[float]) -> float:
    """Jain's index (Σx)²/(n·Σx²): 1 when all shares are equal, 1/n when one takes all."""
    if len(allocations) == 0:
        raise ValueError("allocations must hold at least one value, got none")
    values = [check_float("allocations", x, min_value=0.0) for x in allocations]
    total_sq = sum(x * x for x in values)
    if total_sq == 0:
        raise ValueError("allocations must not all be zero")
    return sum(values) ** 2 / (len(values) * total_sq)
