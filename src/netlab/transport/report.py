"""Tables and plots for the delivery experiments, made from traces.

Three comparisons, all on the model link of :mod:`netlab.transport.arq`:

* :func:`delivery_sweep`: fire-and-forget against stop-and-wait over loss rates, each
  beside its closed form (a consistency check of the simulator);
* :func:`window_sweep`: the windowed sender over window sizes, against its no-loss
  closed form (consistency again) and its lower bound on transmissions;
* :func:`reference_sweep`: stop-and-wait and a window of 64 beside aioquic's QUIC on the
  same lossy link: a real, independently written reliable transport.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from pydantic import Field

from netlab._validate import Probability, Seed, check_work, public, result
from netlab.tables import format_table
from netlab.transport.arq import (
    DelaySeconds,
    Messages,
    RtoSeconds,
    Window,
    binomial_tolerance,
    expected_arq_time_s,
    expected_delivered_fraction,
    expected_transmissions,
    expected_window_time_s,
    simulate_delivery,
)
from netlab.transport.lossy_quic import LossRate, quic_transfer

#: Messages a sweep may simulate in total, over all its rows (about ten seconds here).
SWEEP_WORK_MESSAGES = 200_000
SEND_INTERVAL_S = 0.001


@result
@dataclass(frozen=True)
class SweepRow:
    """Both senders at one loss rate, beside what the closed forms predict."""

    loss_rate: float
    datagram_delivered: float
    datagram_expected: float
    datagram_tolerance: float
    arq_delivered: float
    arq_transmissions: int
    arq_time_s: float
    arq_expected_time_s: float
    arq_time_std_s: float


LossRates = Annotated[Sequence[Probability], Field(min_length=1, max_length=50)]


@public
def delivery_sweep(loss_rates: LossRates, *, n_messages: Messages = 2_000,
                   one_way_delay_s: DelaySeconds = 0.01, rto_s: RtoSeconds = 0.05,
                   seed: Seed = 7) -> list[SweepRow]:
    """Simulate both senders at each loss rate and return one row per rate, sorted by rate."""
    rates = sorted(loss_rates)
    check_work("n_messages", n_messages,
               work=sum(n_messages / (1 - p) ** 2 for p in rates) * 2,
               limit=SWEEP_WORK_MESSAGES, unit="simulated messages")
    rows = []
    for p in rates:
        kw = dict(n_messages=n_messages, loss_rate=p, one_way_delay_s=one_way_delay_s,
                  rto_s=rto_s, seed=seed)
        dg = simulate_delivery("datagram", **kw)
        arq = simulate_delivery("arq", **kw)
        mean, std = expected_arq_time_s(n_messages=n_messages, loss_rate=p,
                                        one_way_delay_s=one_way_delay_s, rto_s=rto_s)
        rows.append(SweepRow(p, dg.delivered_fraction, expected_delivered_fraction("datagram", p),
                             binomial_tolerance(n_messages, p), arq.delivered_fraction,
                             arq.transmissions, arq.completion_time_s, mean, std))
    return rows


@public
def format_sweep(rows: Sequence[SweepRow]) -> str:
    """Return the sweep as a fixed-width text table (rounded, so it prints the same every run)."""
    table = [(r.loss_rate, r.datagram_delivered, r.datagram_expected, r.datagram_tolerance,
              r.arq_delivered, r.arq_transmissions, r.arq_time_s, r.arq_expected_time_s)
             for r in rows]
    return format_table(table, ("loss", "datagram", "1-p", "±tol", "arq", "sent", "arq time s",
                                "expected s"),
                        floatfmt=(".2f", ".3f", ".3f", ".3f", ".2f", "g", ".2f", ".2f"))


@public
def plot_sweep(rows: Annotated[Sequence[SweepRow], Field(min_length=1)]) -> Figure:
    """Plot delivered fraction and completion time against loss rate, simulation and formula."""
    p = [r.loss_rate for r in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4))
    left.plot(p, [r.datagram_expected for r in rows], "-", color="tab:orange", label="1 - p")
    left.plot(p, [r.datagram_delivered for r in rows], "o", color="tab:orange",
              label="datagram (simulated)")
    left.plot(p, [r.arq_delivered for r in rows], "s", color="tab:blue", label="ARQ (simulated)")
    left.set(xlabel="loss rate p", ylabel="delivered fraction", ylim=(0, 1.05))
    left.legend(loc="lower left", fontsize=8)
    right.plot(p, [r.arq_expected_time_s for r in rows], "-", color="tab:blue",
               label="stop-and-wait formula")
    right.plot(p, [r.arq_time_s for r in rows], "s", color="tab:blue", label="ARQ (simulated)")
    right.set(xlabel="loss rate p", ylabel="time to deliver all (s)")
    right.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    plt.close(fig)
    return fig


@result
@dataclass(frozen=True)
class WindowRow:
    """The windowed sender at one window size: without loss, and at the sweep's loss rate."""

    window: int
    time_no_loss_s: float
    expected_no_loss_s: float
    time_s: float
    transmissions: int
    lower_bound: float  # n / (1 - p): every copy of the data must get through once
    spurious: int  # copies the receiver already had


Windows = Annotated[Sequence[Window], Field(min_length=1, max_length=20)]


@public
def window_sweep(windows: Windows, *, loss_rate: Probability = 0.1,
                 n_messages: Messages = 2_000, one_way_delay_s: DelaySeconds = 0.01,
                 rto_s: RtoSeconds = 0.05, seed: Seed = 7) -> list[WindowRow]:
    """Run the windowed sender for each window, with no loss and at ``loss_rate``."""
    sizes = sorted(set(windows))
    check_work("n_messages", n_messages,
               work=len(sizes) * n_messages * (1 + 1 / (1 - loss_rate) ** 2),
               limit=SWEEP_WORK_MESSAGES, unit="simulated messages")
    rows = []
    for w in sizes:
        kw = dict(n_messages=n_messages, one_way_delay_s=one_way_delay_s, rto_s=rto_s,
                  send_interval_s=SEND_INTERVAL_S, window=w, seed=seed)
        clean = simulate_delivery("arq", loss_rate=0.0, **kw)
        lossy = simulate_delivery("arq", loss_rate=loss_rate, **kw)
        bound, _ = expected_transmissions("arq", n_messages=n_messages, loss_rate=loss_rate,
                                          window=max(w, 2))
        rows.append(WindowRow(w, clean.completion_time_s,
                              expected_window_time_s(n_messages=n_messages, window=w,
                                                     one_way_delay_s=one_way_delay_s,
                                                     send_interval_s=SEND_INTERVAL_S),
                              lossy.completion_time_s, lossy.transmissions, bound,
                              lossy.duplicates))
    return rows


@public
def format_window_sweep(rows: Sequence[WindowRow]) -> str:
    """The window sweep as a text table."""
    table = [(r.window, r.time_no_loss_s, r.expected_no_loss_s, r.time_s, r.transmissions,
              r.lower_bound, r.spurious) for r in rows]
    return format_table(table, ("window", "no loss s", "formula s", "with loss s", "sent",
                                "n/(1-p)", "spurious"),
                        floatfmt=("g", ".3f", ".3f", ".2f", "g", ".0f", "g"))


@result
@dataclass(frozen=True)
class ReferenceRow:
    """Stop-and-wait, a window of 64 and real QUIC at one loss rate: time and data sent."""

    loss_rate: float
    stop_and_wait_s: float
    window_s: float
    quic_s: float
    stop_and_wait_sent: float  # data packets per message
    window_sent: float
    quic_sent: float  # stream bytes sent per byte delivered
    quic_completed: bool


@public
def reference_sweep(loss_rates: Annotated[Sequence[LossRate], Field(min_length=1, max_length=10)],
                    *, n_messages: Annotated[int, Field(ge=1, le=5_000)] = 500,
                    message_bytes: Annotated[int, Field(ge=1, le=1_200)] = 1_000,
                    window: Window = 64, one_way_delay_s: DelaySeconds = 0.01,
                    seed: Seed = 7) -> list[ReferenceRow]:
    """The model's senders beside aioquic's QUIC on the same link, one row per loss rate."""
    rows = []
    for p in sorted(loss_rates):
        kw = dict(n_messages=n_messages, loss_rate=p, one_way_delay_s=one_way_delay_s,
                  rto_s=5 * one_way_delay_s, send_interval_s=SEND_INTERVAL_S, seed=seed)
        saw = simulate_delivery("arq", window=1, **kw)
        win = simulate_delivery("arq", window=window, **kw)
        quic = quic_transfer(n_messages=n_messages, message_bytes=message_bytes, loss_rate=p,
                             one_way_delay_s=one_way_delay_s, seed=seed)
        rows.append(ReferenceRow(p, saw.completion_time_s, win.completion_time_s,
                                 quic.completion_time_s, saw.transmissions / n_messages,
                                 win.transmissions / n_messages, quic.sent_per_payload,
                                 quic.completed))
    return rows


@public
def format_reference(rows: Sequence[ReferenceRow]) -> str:
    """The reference sweep as a text table: seconds, then data sent per unit delivered."""
    table = [(r.loss_rate, r.stop_and_wait_s, r.window_s, r.quic_s, r.stop_and_wait_sent,
              r.window_sent, r.quic_sent, 1 / (1 - r.loss_rate)) for r in rows]
    return format_table(table, ("loss", "stop-wait s", "window s", "QUIC s", "stop-wait sent",
                                "window sent", "QUIC sent", "1/(1-p)"),
                        floatfmt=(".2f", ".2f", ".2f", ".2f", ".3f", ".3f", ".3f", ".3f"))


@public
def show_delivery(loss_rate: Annotated[float, Field(ge=0, le=0.5)] = 0.1,
                  window: Window = 1, n_messages: Annotated[int, Field(ge=1, le=20_000)] = 1_000,
                  seed: Seed = 7) -> str:
    """One loss rate and window, both senders: the text shown by the lab's sliders."""
    kw = dict(n_messages=n_messages, loss_rate=loss_rate, seed=seed)
    dg = simulate_delivery("datagram", **kw)
    arq = simulate_delivery("arq", window=window, **kw)
    tolerance = binomial_tolerance(n_messages, loss_rate)
    kind = "stop-and-wait" if window == 1 else f"window {window}"
    return (f"loss rate {loss_rate:.2f}, {n_messages} messages, one-way delay 10 ms\n"
            f"  datagram: delivered {dg.delivered_fraction:.3f} "
            f"(1-p = {1 - loss_rate:.3f} ± {tolerance:.3f})\n"
            f"  ARQ ({kind}): delivered {arq.delivered_fraction:.3f} with "
            f"{arq.transmissions} transmissions in {arq.completion_time_s:.2f} s")
