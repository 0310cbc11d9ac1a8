"""Reno, CUBIC and BBR on the same paths: the rows, timelines and figure behind lab 4.4.

Each row sets a simulated flow's goodput beside a reference derived independently of the
simulator: for Reno under random loss, the Mathis et al. formula (with what the formula
assumes); for BBR, the link rate × (1 − p) that Cardwell et al. (2016) report BBR keeps
up to a few per cent of random loss. A queue near zero in steady state, and a loss-based
flow that fills any buffer, are the other published behaviours the lab checks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from pydantic import Field

from netlab._validate import ArgumentError, public, result
from netlab.congestion.api import DEFAULT_RCV_BUFFER_BYTES, simulate
from netlab.congestion.models import mathis_throughput_bps
from netlab.congestion.params import (
    AlgorithmName,
    BitsPerSecond,
    LossRate,
    MssBytes,
    QueuePackets,
    RttSeconds,
    Seed,
    SimSeconds,
    check_segments,
)
from netlab.congestion.trace import Trace
from netlab.tables import format_table


@result
@dataclass(frozen=True, slots=True)
class CompareRow:
    """One flow on one path: what it achieved, and the independent reference for it."""

    algorithm: str
    queue_packets: int
    loss_rate: float
    goodput_bps: float
    bottleneck_bps: float
    mean_queue_packets: float
    mean_rtt_s: float
    base_rtt_s: float
    retransmitted_share: float
    reference_bps: float | None
    reference: str

    @property
    def link_share(self) -> float:
        """Goodput as a share of the bottleneck rate."""
        return self.goodput_bps / self.bottleneck_bps

    @property
    def ratio(self) -> float | None:
        """Goodput over the reference, where there is one."""
        return None if not self.reference_bps else self.goodput_bps / self.reference_bps


def _reference(algorithm: str, loss_rate: float, *, mss_bytes: int, rtt_s: float,
               bottleneck_bps: float) -> tuple[float | None, str]:
    if loss_rate > 0 and algorithm == "reno":
        mathis = mathis_throughput_bps(mss_bytes=mss_bytes, rtt_s=rtt_s, loss_rate=loss_rate)
        return min(mathis, bottleneck_bps), "Mathis et al. 1997"
    if algorithm == "bbr":
        return bottleneck_bps * (1 - loss_rate), "link × (1 − p), Cardwell et al. 2016"
    return None, ""


@public
def compare_algorithms(*, algorithms: Annotated[Sequence[AlgorithmName],
                                                Field(min_length=1, max_length=8)]
                       = ("reno", "cubic", "bbr"),
                       loss_rates: Annotated[Sequence[LossRate], Field(min_length=1,
                                                                      max_length=12)] = (0.0,),
                       queue_packets: Annotated[Sequence[QueuePackets],
                                                Field(min_length=1, max_length=8)] = (10,),
                       bottleneck_bps: BitsPerSecond = 10e6, rtt_s: RttSeconds = 0.1,
                       mss_bytes: MssBytes = 1500, duration_s: SimSeconds = 20.0,
                       measure_from_s: Annotated[float, Field(ge=0, le=86_400)] = 8.0,
                       seed: Seed = 7) -> list[CompareRow]:
    """One flow of each algorithm alone on each (queue, loss rate) path; one row per run."""
    if measure_from_s >= duration_s:
        raise ArgumentError(f"measure_from_s: must be before duration_s ({duration_s:g}), "
                            f"got {measure_from_s:g}")
    runs = len(algorithms) * len(loss_rates) * len(queue_packets)
    check_segments(algorithms=list(algorithms), duration_s=duration_s, rtt_s=rtt_s,
                   mss_bytes=mss_bytes, rcv_buffer_bytes=DEFAULT_RCV_BUFFER_BYTES,
                   bottleneck_bps=bottleneck_bps, app_read_bps=None, runs=runs,
                   usual={"duration_s": 20.0, "bottleneck_bps": 10e6},
                   names=("duration_s", "mss_bytes", "rtt_s", "bottleneck_bps"))
    rows = []
    for queue in queue_packets:
        for p in loss_rates:
            for name in algorithms:
                trace = simulate(algorithm=name, rtt_s=rtt_s, loss_rate=p,
                                 bottleneck_bps=bottleneck_bps, queue_packets=queue,
                                 mss_bytes=mss_bytes, duration_s=duration_s, seed=seed)
                samples = [s for s in trace.samples if s.now >= measure_from_s]
                if not any(s.rtt_s is not None for s in samples):
                    raise ArgumentError(
                        f"duration_s: too short to measure this path after measure_from_s "
                        f"({measure_from_s:g} s): a segment of mss_bytes {mss_bytes} takes "
                        f"{8 * mss_bytes / bottleneck_bps:.3g} s at bottleneck_bps "
                        f"{bottleneck_bps:g}, a round trip rtt_s {rtt_s:g} s; got {duration_s:g}")
                reference, source = _reference(name, p, mss_bytes=mss_bytes, rtt_s=rtt_s,
                                               bottleneck_bps=bottleneck_bps)
                rows.append(CompareRow(
                    name, queue, p, trace.goodput_bps_between(measure_from_s, duration_s),
                    bottleneck_bps, sum(s.queue_packets for s in samples) / len(samples),
                    trace.mean_rtt_s(measure_from_s), rtt_s,
                    trace.retransmissions / max(1, trace.segments_sent), reference, source))
    return rows


@public
def format_comparison(rows: Annotated[Sequence[CompareRow], Field(max_length=1000)]) -> str:
    """A table of comparison rows: goodput, queue, RTT and the reference where there is one."""
    table = [(r.algorithm, r.queue_packets, r.loss_rate, r.goodput_bps / 1e6, r.link_share,
              r.mean_queue_packets, r.mean_rtt_s * 1000,
              None if r.reference_bps is None else r.reference_bps / 1e6, r.ratio)
             for r in rows]
    return format_table(table, ("algorithm", "queue", "loss", "goodput (Mbit/s)", "of link",
                                "mean queue", "RTT (ms)", "reference (Mbit/s)", "ratio"),
                        floatfmt=("g", "g", ".1%", ".2f", ".0%", ".1f", ".0f", ".2f", ".2f"))


@public
def state_timeline(trace: Trace) -> list[tuple[float, str]]:
    """(time, state) each time the sampled state changes: BBR's modes, or Reno's phases."""
    timeline: list[tuple[float, str]] = []
    for sample in trace.samples:
        if not timeline or timeline[-1][1] != sample.state:
            timeline.append((round(sample.now, 3), sample.state))
    return timeline


@public
def plot_bbr(trace: Trace) -> Figure:
    """cwnd and BDP (top), pacing rate (middle) and bottleneck queue (bottom) over time."""
    if trace.algorithm != "bbr":
        raise ArgumentError(f"plot_bbr: trace: must come from algorithm 'bbr', "
                            f"got {trace.algorithm!r}")
    t = [s.now for s in trace.samples]
    fig, (top, middle, bottom) = plt.subplots(3, 1, figsize=(8, 5.4), sharex=True)
    top.plot(t, [s.cwnd_bytes / trace.mss_bytes for s in trace.samples], label="cwnd")
    top.plot(t, [s.flight_bytes / trace.mss_bytes for s in trace.samples], linestyle="--",
             label="in flight")
    top.set_ylabel("segments")
    top.legend(loc="upper right", fontsize="small")
    middle.plot(t, [(s.pacing_rate_bps or 0) / 1e6 for s in trace.samples])
    middle.set_ylabel("pacing (Mbit/s)")
    bottom.plot(t, [s.queue_packets for s in trace.samples])
    bottom.set_ylabel("queue (packets)")
    bottom.set_xlabel("time (s)")
    fig.tight_layout()
    return fig

