"""Simulation against the published models: the rows behind lab 4.3's tables and plots.

The Mathis formula and RFC 9438's response function are derived from the same rules the
simulator implements (AIMD, or CUBIC's curve, with a loss every 1/p segments). Agreement
therefore checks that the simulator implements those rules, and the gaps show what the
idealisation leaves out (the round trip spent in recovery, timeouts, random loss); it
says nothing by itself about real networks. The formulas themselves are checked against
the tables their sources publish.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field

from netlab._validate import ArgumentError, check_work, public, result
from netlab.congestion.api import simulate
from netlab.congestion.models import (
    bdp_bytes,
    cubic_average_window_segments,
    cubic_is_reno_friendly,
    mathis_throughput_bps,
    mathis_window_segments,
    window_limited_goodput_bps,
)
from netlab.congestion.params import (
    SEGMENT_LIMIT,
    AckEvery,
    BitsPerSecond,
    LossEvents,
    LossModel,
    MssBytes,
    PositiveLossRate,
    RttSeconds,
    Seed,
    SimSeconds,
    refuse_work,
)
from netlab.tables import format_table

#: The tolerance the simulator is held to against each model (ratio within 1 ± this).
MATHIS_TOLERANCE = 0.20
CUBIC_TOLERANCE = 0.20

LossRates = Annotated[Sequence[PositiveLossRate], Field(min_length=1, max_length=20)]


@result
@dataclass(frozen=True, slots=True)
class ModelRow:
    """One point: what the simulator measured and what the model predicts."""

    algorithm: str
    rtt_s: float
    loss_rate: float
    simulated: float
    model: float
    region: str

    @property
    def ratio(self) -> float:
        """simulated / model."""
        return self.simulated / self.model


def _duration_s(rtt_s: float, loss_rate: float, window_segments: float,
                loss_events: int) -> float:
    packets_per_s = window_segments / rtt_s
    return loss_events / (loss_rate * packets_per_s)


def _check_runs(loss_events: int, loss_rates: Sequence[float]) -> None:
    """Each run lasts about loss_events / p segments: refuse runs that add up to too many."""
    segments = sum(loss_events / p for p in loss_rates)
    check_work("loss_events", loss_events, work=segments, limit=SEGMENT_LIMIT,
               unit="simulated segments")


@public
def mathis_check(loss_rates: LossRates = (0.001, 0.002, 0.005, 0.01, 0.02), *,
                 rtt_s: RttSeconds = 0.1, mss_bytes: MssBytes = 1460,
                 loss_model: LossModel = "bernoulli", loss_events: LossEvents = 150,
                 seed: Seed = 7, ack_every: AckEvery = 1, byte_counting: bool = True,
                 sack: bool = True) -> list[ModelRow]:
    """Reno's goodput against (MSS/RTT)·√(3/(2b))/√p, one row per loss rate (in bit/s).

    b is the number of segments each window-growing ACK covers: ``ack_every`` when cwnd
    grows per ACK (``byte_counting=False``), 1 when it grows per acknowledged byte.
    """
    _check_runs(loss_events, loss_rates)
    b = 1 if byte_counting else ack_every
    rows = []
    for p in loss_rates:
        model = mathis_throughput_bps(mss_bytes=mss_bytes, rtt_s=rtt_s, loss_rate=p,
                                      segments_per_ack=b)
        window = mathis_window_segments(p, segments_per_ack=b)
        duration = _duration_s(rtt_s, p, window, loss_events)
        trace = simulate(algorithm="reno", rtt_s=rtt_s, loss_rate=p, mss_bytes=mss_bytes,
                         duration_s=duration, seed=seed, loss_model=loss_model,
                         ack_every=ack_every, byte_counting=byte_counting, sack=sack)
        goodput = trace.goodput_bps_between(duration / 10, duration)
        rows.append(ModelRow("reno", rtt_s, p, goodput, model, "reno"))
    return rows


CubicPoints = Annotated[Sequence[tuple[RttSeconds, PositiveLossRate]],
                        Field(min_length=1, max_length=20)]


@public
def cubic_check(points: CubicPoints = ((0.01, 0.01), (0.05, 0.002), (0.2, 0.001),
                                       (0.4, 0.001)), *,
                mss_bytes: MssBytes = 1460, loss_model: LossModel = "periodic",
                loss_events: LossEvents = 60, seed: Seed = 7) -> list[ModelRow]:
    """CUBIC's time-averaged cwnd (segments) against RFC 9438's response function."""
    _check_runs(loss_events, [p for _, p in points])
    rows = []
    for rtt_s, p in points:
        model = cubic_average_window_segments(rtt_s=rtt_s, loss_rate=p)
        duration = _duration_s(rtt_s, p, model, loss_events)
        trace = simulate(algorithm="cubic", rtt_s=rtt_s, loss_rate=p, mss_bytes=mss_bytes,
                         duration_s=duration, seed=seed, loss_model=loss_model)
        region = "reno-friendly" if cubic_is_reno_friendly(rtt_s=rtt_s, loss_rate=p) \
            else "cubic"
        rows.append(ModelRow("cubic", rtt_s, p, trace.mean_cwnd_segments(duration / 10),
                             model, region))
    return rows


@result
@dataclass(frozen=True, slots=True)
class BdpRow:
    """One receive-buffer size: goodput and RTT against min(W/RTT, C) and max(RTT, W/C)."""

    window_bytes: int
    goodput_bps: float
    model_goodput_bps: float
    rtt_s: float
    model_rtt_s: float


@public
def bdp_sweep(fractions: Annotated[Sequence[Annotated[float, Field(gt=0, le=100)]],
                                   Field(min_length=1, max_length=20)]
              = (0.25, 0.5, 1.0, 2.0, 4.0), *,
              bottleneck_bps: BitsPerSecond = 10e6, rtt_s: RttSeconds = 0.05,
              mss_bytes: MssBytes = 1000, duration_s: SimSeconds = 10.0) -> list[BdpRow]:
    """Cap the window with the receive buffer at fractions of the BDP; no loss, big queue."""
    bdp = bdp_bytes(bottleneck_bps=bottleneck_bps, rtt_s=rtt_s)
    # A window of f·BDP sends min(f, 1) × the link's segment rate, and fills a queue of f·BDP.
    link_segments = bottleneck_bps / 8 / mss_bytes
    work = sum(duration_s * link_segments * min(f, 1.0) + f * bdp / mss_bytes for f in fractions)
    refuse_work(work, {"duration_s": (duration_s, 10.0, True, None),
                       "bottleneck_bps": (bottleneck_bps, 10e6, True, None),
                       "rtt_s": (rtt_s, 0.05, True, None),
                       "mss_bytes": (mss_bytes, 1000, False, None)})
    rows = []
    for fraction in fractions:
        window = max(mss_bytes, int(fraction * bdp) // mss_bytes * mss_bytes)
        if window > 1 << 31:
            raise ArgumentError(f"fractions: {fraction:g} × the BDP is a window beyond 2 GiB")
        queue = min(100_000, max(1, int(window / mss_bytes) + 1))
        trace = simulate(algorithm="reno", rtt_s=rtt_s, mss_bytes=mss_bytes,
                         bottleneck_bps=bottleneck_bps, queue_packets=queue,
                         rcv_buffer_bytes=window, duration_s=duration_s)
        serialization = 8 * mss_bytes / bottleneck_bps
        if not any(s.rtt_s is not None for s in trace.samples if s.now >= duration_s / 2):
            needed = 20 * (rtt_s + serialization * max(1.0, fraction) * bdp / mss_bytes)
            raise ArgumentError(f"duration_s: too short to measure this path (rtt_s {rtt_s:g}, "
                                f"bottleneck_bps {bottleneck_bps:g}, mss_bytes {mss_bytes}): "
                                f"make it at least about {needed:.3g} s, got {duration_s:g}")
        rows.append(BdpRow(window, trace.goodput_bps_between(duration_s / 2, duration_s),
                           window_limited_goodput_bps(window_bytes=window, rtt_s=rtt_s,
                                                      bottleneck_bps=bottleneck_bps),
                           trace.mean_rtt_s(duration_s / 2),
                           max(rtt_s + serialization, 8 * window / bottleneck_bps)))
    return rows


@public
def format_rows(rows: Annotated[Sequence[ModelRow], Field(max_length=10_000)], *,
                unit: Literal["Mbit/s", "segments"] = "Mbit/s") -> str:
    """A small fixed-width table of model rows (goodput rows in Mbit/s, windows in segments)."""
    scale = 1e6 if unit == "Mbit/s" else 1.0
    table = [(r.algorithm, r.rtt_s, r.loss_rate, r.simulated / scale, r.model / scale, r.ratio,
              r.region) for r in rows]
    return format_table(table, ("algorithm", "rtt_s", "loss", f"simulated ({unit})",
                                f"model ({unit})", "ratio", "region"),
                        floatfmt=("g", ".3f", ".2%", ".2f", ".2f", ".2f", "g"))
