"""The argument types chapter 4's functions share, and how much work a simulation is.

Constraints live in these ``Annotated`` aliases, checked by ``netlab._validate.public``
at each public entry point; the simulator's inner loops are never checked again.

A simulation's cost grows with the segments it sends. :func:`check_segments` estimates
them before a run starts (duration × the rate the window, the bottleneck or the reader
allows) and refuses a call that would take more than about ten seconds on a two-core
machine, naming the argument most responsible and the value that would fit.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from netlab import _validate
from netlab._validate import ArgumentError, check_work, one_of
from netlab.congestion.algorithms import algorithm_class, algorithm_names

MssBytes = Annotated[int, Field(ge=100, le=65_495)]
RttSeconds = Annotated[float, Field(gt=0, le=10)]
SimSeconds = Annotated[float, Field(gt=0, le=86_400)]
LossRate = Annotated[float, Field(ge=0, lt=1)]
PositiveLossRate = Annotated[float, Field(gt=0, lt=1)]
BitsPerSecond = Annotated[float, Field(gt=0, le=1e12)]
QueuePackets = Annotated[int, Field(ge=0, le=100_000)]
BufferBytes = Annotated[int, Field(ge=100, le=1 << 31)]
WindowSegments = Annotated[int, Field(ge=1, le=1000)]
Seed = Annotated[int, Field(ge=0, le=2**63 - 1)]
AckEvery = Literal[1, 2]
#: RFC 9293 MUST-40: an ACK may be delayed by less than 0.5 s.
DelayedAckSeconds = Annotated[float, Field(gt=0, lt=0.5)]
MinRtoSeconds = Annotated[float, Field(gt=0, le=60)]
LossModel = Literal["bernoulli", "periodic"]
AlgorithmName = Annotated[str, one_of(algorithm_names)]
LossEvents = Annotated[int, Field(ge=10, le=10_000)]

#: Simulated segments one lab call may take: about ten CPU seconds on a two-core machine
#: (tools/bench_congestion.py measures about 100 000 segments per second with SACK).
SEGMENT_LIMIT = 1_000_000
#: BBR's per-ACK model update makes each of its segments cost about twice as much.
_COST = {"bbr": 2.0}

_DEFAULTS = {"duration_s": 10.0, "rcv_buffer_bytes": 4 * 1024 * 1024, "bottleneck_bps": 20e6,
             "mss_bytes": 1460, "rtt_s": 0.1, "app_read_bps": 20e6}


def loss_window_segments(*, algorithms: list[str], loss_rate: float,
                         rtt_s: float) -> float | None:
    """A generous bound on the window random loss leaves a loss-based algorithm: four
    times the larger of the Reno and CUBIC response functions; None for BBR or no loss."""
    if loss_rate <= 0 or any(algorithm_class(name).wants_rate_samples for name in algorithms):
        return None
    reno = (1.5 / loss_rate) ** 0.5
    cubic = 1.054 * (rtt_s / loss_rate) ** 0.75
    return 4 * max(reno, cubic)


def segment_rate(*, rtt_s: float, mss_bytes: int, rcv_buffer_bytes: int,
                 bottleneck_bps: float | None, app_read_bps: float | None,
                 loss_window: float | None = None) -> tuple[float, str]:
    """Upper bound on segments per second, and what sets it: window, link, reader or loss."""
    rates = {"window": rcv_buffer_bytes / mss_bytes / rtt_s}
    if loss_window is not None:
        rates["loss"] = loss_window / rtt_s
    if bottleneck_bps is not None:
        rates["link"] = bottleneck_bps / 8 / mss_bytes
    if app_read_bps is not None:
        rates["reader"] = app_read_bps / 8 / mss_bytes
    binding = min(rates, key=lambda k: rates[k])
    return rates[binding], binding


def check_segments(*, algorithms: list[str], duration_s: float, rtt_s: float,
                   mss_bytes: int, rcv_buffer_bytes: int, bottleneck_bps: float | None,
                   app_read_bps: float | None, loss_rate: float = 0.0, runs: int = 1,
                   usual: dict[str, float] | None = None,
                   names: tuple[str, ...] | None = None) -> float:
    """Refuse runs that would simulate more than SEGMENT_LIMIT segments; return the estimate.

    ``usual`` overrides the values an argument is compared with to find the one most
    responsible; ``names`` restricts that choice to the caller's own parameters.
    """
    loss_window = loss_window_segments(algorithms=algorithms, loss_rate=loss_rate, rtt_s=rtt_s)
    rate, binding = segment_rate(rtt_s=rtt_s, mss_bytes=mss_bytes,
                                 rcv_buffer_bytes=rcv_buffer_bytes,
                                 bottleneck_bps=bottleneck_bps, app_read_bps=app_read_bps,
                                 loss_window=loss_window)
    flows = len(algorithms) if binding in ("window", "loss") else 1  # a window per flow
    cost = max(_COST.get(name, 1.0) for name in algorithms)
    # The first slow start can send up to a window's worth, or about 2/p before a loss.
    first = rcv_buffer_bytes / mss_bytes if loss_window is None else \
        min(rcv_buffer_bytes / mss_bytes, 2 / loss_rate)
    work = runs * (duration_s * rate * flows * cost + len(algorithms) * first)
    limit = SEGMENT_LIMIT * _validate.WORK_SCALE
    if work <= limit:
        return work
    base = {**_DEFAULTS, **(usual or {})}
    drivers: dict[str, tuple[float, float, bool, float | None]] = {
        "duration_s": (duration_s, base["duration_s"], True, None),
        "mss_bytes": (mss_bytes, base["mss_bytes"], False, None)}
    if binding == "window":
        drivers["rcv_buffer_bytes"] = (rcv_buffer_bytes, base["rcv_buffer_bytes"], True, None)
        drivers["rtt_s"] = (rtt_s, base["rtt_s"], False, None)
    if binding == "loss":
        drivers["loss_rate"] = (loss_rate, 0.01, False, None)
        drivers["rtt_s"] = (rtt_s, base["rtt_s"], False, None)
    for key, value in (("bottleneck_bps", bottleneck_bps), ("app_read_bps", app_read_bps)):
        if value is not None:  # the rate whose segments would fit in the budget
            fit = limit / (runs * duration_s * cost) * 8 * mss_bytes
            drivers[key] = (value, base[key], True, None if binding != "window" else fit)
    if names is not None:
        drivers = {k: v for k, v in drivers.items() if k in names}
    refuse_work(work, drivers)
    return work


def refuse_work(work: float, drivers: dict[str, tuple[float, float, bool, float | None]]) -> None:
    """Refuse ``work`` segments past the limit, naming the argument most responsible.

    ``drivers`` maps argument names to (value, usual value, whether the work grows with
    it, the value that would fit or None for "in proportion"); the argument furthest past
    its usual value is named, with the value that would fit.
    """
    limit = SEGMENT_LIMIT * _validate.WORK_SCALE
    if work <= limit:
        return

    def excess(item: tuple[float, float, bool, float | None]) -> float:
        value, usual, grows, _ = item
        return value / usual if grows else usual / value

    name = max(drivers, key=lambda k: excess(drivers[k]))
    value, _, grows, fit = drivers[name]
    if grows and fit is None:
        check_work(name, value, work=work, limit=SEGMENT_LIMIT, unit="simulated segments")
    if fit is None:
        fit = value * work / limit
    bound = "largest" if grows else "smallest"
    raise ArgumentError(f"{name}: would need about {work:.3g} simulated segments, more than "
                        f"the {limit:.3g} a lab call may take; the {bound} {name} allowed "
                        f"with the other arguments as given is about {fit:.4g}, got {value:g}")
