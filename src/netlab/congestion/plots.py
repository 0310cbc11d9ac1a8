"""Figures and small text tables made from traces (English labels only)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from pydantic import Field

from netlab._validate import NonNegativeFloat, public
from netlab.congestion.checks import BdpRow, ModelRow
from netlab.congestion.trace import EVENT_KINDS, Trace
from netlab.tables import format_table

Traces = Annotated[Sequence[Trace], Field(min_length=1, max_length=64)]
EventKind = Literal["drop_random", "drop_queue", "fast_retransmit", "recovery_exit",
                    "timeout", "zero_window", "window_open", "window_probe", "window_update"]


@public
def plot_cwnd(traces: Traces, *, show_ssthresh: bool = True,
              start_s: NonNegativeFloat = 0.0) -> Figure:
    """cwnd (and ssthresh) in segments over time from start_s, one line per trace."""
    fig, ax = plt.subplots(figsize=(8, 3.2))
    for trace in traces:
        samples = [s for s in trace.samples if s.now >= start_s]
        t = [s.now for s in samples]
        line, = ax.plot(t, [s.cwnd_bytes / trace.mss_bytes for s in samples],
                        label=f"{trace.algorithm} cwnd")
        if show_ssthresh:
            ss = [s.ssthresh_bytes / trace.mss_bytes if s.ssthresh_bytes != float("inf")
                  else float("nan") for s in samples]
            ax.plot(t, ss, linestyle="--", color=line.get_color(), alpha=0.6,
                    label=f"{trace.algorithm} ssthresh")
    ax.set_xlabel("time (s)")
    ax.set_ylabel("segments")
    ax.legend(loc="upper left", fontsize="small")
    fig.tight_layout()
    return fig


@public
def plot_flow_control(trace: Trace) -> Figure:
    """rwnd and bytes in flight (top) and bytes delivered to the application (bottom)."""
    t = [s.now for s in trace.samples]
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 4.4), sharex=True)
    top.step(t, [s.rwnd_bytes for s in trace.samples], where="post", label="rwnd (bytes)")
    top.step(t, [s.flight_bytes for s in trace.samples], where="post", linestyle="--",
             label="in flight (bytes)")
    probes = [e.now for e in trace.events if e.kind == "window_probe"]
    top.plot(probes, [0] * len(probes), "v", color="black", label="zero-window probe")
    top.legend(loc="upper right", fontsize="small")
    bottom.plot(t, [s.delivered_bytes for s in trace.samples])
    bottom.set_ylabel("delivered (bytes)")
    bottom.set_xlabel("time (s)")
    fig.tight_layout()
    return fig


@public
def plot_model_check(rows: Annotated[Sequence[ModelRow], Field(min_length=1, max_length=1000)],
                     *, ylabel: Annotated[str, Field(min_length=1, max_length=80)]) -> Figure:
    """Simulation (dots) against the model (line) on log-log axes, by loss rate."""
    fig, ax = plt.subplots(figsize=(6, 3.6))
    for rtt in sorted({r.rtt_s for r in rows}):
        sel = sorted((r for r in rows if r.rtt_s == rtt), key=lambda r: r.loss_rate)
        p = [r.loss_rate for r in sel]
        line, = ax.plot(p, [r.model for r in sel], label=f"model, RTT {rtt:g} s")
        ax.plot(p, [r.simulated for r in sel], "o", color=line.get_color(),
                label=f"simulation, RTT {rtt:g} s")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("loss rate p")
    ax.set_ylabel(ylabel)
    ax.legend(fontsize="small")
    fig.tight_layout()
    return fig


@public
def plot_bdp(rows: Annotated[Sequence[BdpRow], Field(min_length=1, max_length=1000)]) -> Figure:
    """Goodput and RTT against the window, with min(W/RTT, C) and max(RTT, W/C)."""
    w = [r.window_bytes / 1000 for r in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.2))
    left.plot(w, [r.model_goodput_bps / 1e6 for r in rows], label="min(W/RTT, C)")
    left.plot(w, [r.goodput_bps / 1e6 for r in rows], "o", label="simulation")
    left.set_xlabel("window (kB)")
    left.set_ylabel("goodput (Mbit/s)")
    left.legend(fontsize="small")
    right.plot(w, [r.model_rtt_s * 1000 for r in rows], label="max(RTT, W/C)")
    right.plot(w, [r.rtt_s * 1000 for r in rows], "o", label="simulation")
    right.set_xlabel("window (kB)")
    right.set_ylabel("RTT (ms, simulated)")
    right.legend(fontsize="small")
    fig.tight_layout()
    return fig


@public
def format_events(trace: Trace, *,
                  kinds: Annotated[Sequence[EventKind], Field(max_length=20)] = EVENT_KINDS,
                  start_s: NonNegativeFloat = 0.0,
                  limit: Annotated[int, Field(ge=1, le=10_000)] = 20) -> str:
    """The first ``limit`` events of the given kinds from start_s on: time, kind, seq."""
    chosen = [e for e in trace.events if e.kind in kinds and e.now >= start_s][:limit]
    return format_table([(e.now, e.kind, e.seq) for e in chosen], ("time_s", "event", "seq"),
                        floatfmt=".3f")
