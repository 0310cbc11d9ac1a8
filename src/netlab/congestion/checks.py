"""Simulation against the published models: the rows behind lab 4.3's tables and plots."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from netlab._check import check_choice, check_int, check_positive, check_seed
from netlab.congestion.api import LOSS_MODELS, simulate
from netlab.congestion.models import (
    bdp_bytes,
    cubic_average_window_segments,
    cubic_is_reno_friendly,
    mathis_throughput_bps,
    mathis_window_segments,
    window_limited_goodput_bps,
)
from netlab.tables import format_table

#: The tolerance the simulator is held to against each model (ratio within 1 ± this).
MATHIS_TOLERANCE = 0.15
CUBIC_TOLERANCE = 0.20


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


def mathis_check(loss_rates: Sequence[float] = (0.001, 0.002, 0.005, 0.01, 0.02), *,
                 rtt_s: float = 0.1, mss_bytes: int = 1460, loss_model: str = "bernoulli",
                 loss_events: int = 150, seed: int = 7) -> list[ModelRow]:
    """Reno's goodput against (MSS/RTT)·√(3/2)/√p, one row per loss rate (in bit/s)."""
    check_positive("rtt_s", rtt_s)
    check_choice("loss_model", loss_model, LOSS_MODELS)
    check_int("loss_events", loss_events, min_value=10, max_value=10_000)
    check_seed("seed", seed)
    rows = []
    for p in loss_rates:
        model = mathis_throughput_bps(mss_bytes=mss_bytes, rtt_s=rtt_s, loss_rate=p)
        duration = _duration_s(rtt_s, p, mathis_window_segments(p), loss_events)
        trace = simulate(algorithm="reno", rtt_s=rtt_s, loss_rate=p, mss_bytes=mss_bytes,
                         duration_s=duration, seed=seed, loss_model=loss_model)
        goodput = trace.goodput_bps_between(duration / 10, duration)
        rows.append(ModelRow("reno", rtt_s, p, goodput, model, "reno"))
    return rows


def cubic_check(points: Sequence[tuple[float, float]] = ((0.01, 0.01), (0.05, 0.002),
                                                          (0.2, 0.001), (0.4, 0.001)), *,
                mss_bytes: int = 1460, loss_model: str = "periodic", loss_events: int = 60,
                seed: int = 7) -> list[ModelRow]:
    """CUBIC's time-averaged cwnd (segments) against RFC 9438's response function."""
    check_choice("loss_model", loss_model, LOSS_MODELS)
    check_int("loss_events", loss_events, min_value=10, max_value=10_000)
    check_seed("seed", seed)
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


@dataclass(frozen=True, slots=True)
class BdpRow:
    """One receive-buffer size: goodput and RTT against min(W/RTT, C) and max(RTT, W/C)."""

    window_bytes: int
    goodput_bps: float
    model_goodput_bps: float
    rtt_s: float
    model_rtt_s: float


def bdp_sweep(fractions: Sequence[float] = (0.25, 0.5, 1.0, 2.0, 4.0), *,
              bottleneck_bps: float = 10e6, rtt_s: float = 0.05, mss_bytes: int = 1000,
              duration_s: float = 10.0) -> list[BdpRow]:
    """Cap the window with the receive buffer at fractions of the BDP; no loss, big queue."""
    bdp = bdp_bytes(bottleneck_bps=bottleneck_bps, rtt_s=rtt_s)
    check_positive("duration_s", duration_s)
    rows = []
    for fraction in fractions:
        check_positive("fractions", fraction)
        window = max(mss_bytes, int(fraction * bdp) // mss_bytes * mss_bytes)
        queue = max(1, int(window / mss_bytes) + 1)
        trace = simulate(algorithm="reno", rtt_s=rtt_s, mss_bytes=mss_bytes,
                         bottleneck_bps=bottleneck_bps, queue_packets=queue,
                         rcv_buffer_bytes=window, duration_s=duration_s)
        serialization = 8 * mss_bytes / bottleneck_bps
        rows.append(BdpRow(window, trace.goodput_bps_between(duration_s / 2, duration_s),
                           window_limited_goodput_bps(window_bytes=window, rtt_s=rtt_s,
                                                      bottleneck_bps=bottleneck_bps),
                           trace.mean_rtt_s(duration_s / 2),
                           max(rtt_s + serialization, 8 * window / bottleneck_bps)))
    return rows


def format_rows(rows: Sequence[ModelRow], *, unit: str = "Mbit/s") -> str:
    """A small fixed-width table of model rows (goodput rows in Mbit/s, windows in segments)."""
    check_choice("unit", unit, ("Mbit/s", "segments"))
    scale = 1e6 if unit == "Mbit/s" else 1.0
    table = [(r.algorithm, r.rtt_s, r.loss_rate, r.simulated / scale, r.model / scale, r.ratio,
              r.region) for r in rows]
    return format_table(table, ("algorithm", "rtt_s", "loss", f"simulated ({unit})",
                                f"model ({unit})", "ratio", "region"),
                        floatfmt=("g", ".3f", ".2%", ".2f", ".2f", ".2f", "g"))
