"""Tables and plots for the delivery simulation, made from traces."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from netlab._check import check_int, check_probability, check_seed
from netlab.tables import format_table
from netlab.transport.arq import (
    binomial_tolerance,
    expected_arq_time_s,
    expected_delivered_fraction,
    simulate_delivery,
)


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


def delivery_sweep(loss_rates: Sequence[float], *, n_messages: int = 2_000,
                   one_way_delay_s: float = 0.01, rto_s: float = 0.05,
                   seed: int = 7) -> list[SweepRow]:
    """Simulate both senders at each loss rate and return one row per rate, sorted by rate."""
    if not loss_rates:
        raise ValueError("loss_rates must hold at least one loss rate in [0, 1)")
    rates = sorted(check_probability("loss_rates[i]", p) for p in loss_rates)
    check_int("n_messages", n_messages, min_value=1, max_value=1_000_000)
    check_seed("seed", seed)
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


def format_sweep(rows: Sequence[SweepRow]) -> str:
    """Return the sweep as a fixed-width text table (rounded, so it prints the same every run)."""
    table = [(r.loss_rate, r.datagram_delivered, r.datagram_expected, r.datagram_tolerance,
              r.arq_delivered, r.arq_transmissions, r.arq_time_s, r.arq_expected_time_s)
             for r in rows]
    return format_table(table, ("loss", "datagram", "1-p", "±tol", "arq", "sent", "arq time s",
                                "expected s"),
                        floatfmt=(".2f", ".3f", ".3f", ".3f", ".2f", "g", ".2f", ".2f"))


def plot_sweep(rows: Sequence[SweepRow]) -> Figure:
    """Plot delivered fraction and completion time against loss rate, simulation and formula."""
    if not rows:
        raise ValueError("rows must hold at least one SweepRow")
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


def show_delivery(loss_rate: float = 0.1, n_messages: int = 2_000, seed: int = 7) -> str:
    """One loss rate, both senders: the text shown by the lab's slider."""
    check_probability("loss_rate", loss_rate)
    (row,) = delivery_sweep([loss_rate], n_messages=n_messages, seed=seed)
    return (f"loss rate {row.loss_rate:.2f}, {n_messages} messages\n"
            f"  datagram: delivered {row.datagram_delivered:.3f} "
            f"(formula 1-p = {row.datagram_expected:.3f} ± {row.datagram_tolerance:.3f})\n"
            f"  ARQ:      delivered {row.arq_delivered:.3f} with {row.arq_transmissions} "
            f"transmissions in {row.arq_time_s:.2f} s "
            f"(formula {row.arq_expected_time_s:.2f} ± {4 * row.arq_time_std_s:.2f} s)")
