"""One-call text summaries behind the labs' widgets, and Reno's window round by round."""

from __future__ import annotations

from collections.abc import Sequence

from netlab._check import check_choice, check_float, check_int, check_positive
from netlab.congestion.algorithms import algorithm_names, make_algorithm
from netlab.congestion.api import simulate
from netlab.congestion.models import (
    bdp_bytes,
    cubic_average_window_segments,
    mathis_window_segments,
)


def window_by_round(algorithm: str = "reno", *, rounds: int = 12,
                    loss_rounds: Sequence[int] = (6,), mss_bytes: int = 1000,
                    rtt_s: float = 0.1) -> list[tuple[int, float, float]]:
    """(round, cwnd, ssthresh) in segments when each round ACKs a whole window.

    In a round listed in ``loss_rounds`` the window ends with a congestion event
    (three duplicate ACKs) instead of its ACKs.
    """
    check_int("rounds", rounds, min_value=1, max_value=1000)
    check_positive("rtt_s", rtt_s)
    cc = make_algorithm(algorithm, mss_bytes=mss_bytes, initial_cwnd_segments=1)
    rows = []
    for r in range(rounds):
        rows.append((r, cc.cwnd_bytes / mss_bytes, cc.ssthresh_bytes / mss_bytes))
        now = r * rtt_s
        if r in loss_rounds:
            cc.on_congestion_event(now=now, flight_bytes=int(cc.cwnd_bytes))
            continue
        for _ in range(int(cc.cwnd_bytes // mss_bytes)):
            cc.on_ack(now=now, acked_bytes=mss_bytes, rtt_s=rtt_s)
    return rows


def flow_control_summary(*, rcv_buffer_bytes: int = 8000, app_read_bps: float = 160e3,
                         pause_s: float = 6.0, window_updates: bool = True,
                         seed: int = 7) -> str:
    """Run the slow-reader simulation (pause from 2 s) and describe it in a few lines."""
    check_float("pause_s", pause_s, min_value=0.0, max_value=8.0)
    pauses = [(2.0, 2.0 + pause_s)] if pause_s > 0 else []
    trace = simulate(rtt_s=0.1, mss_bytes=1000, rcv_buffer_bytes=rcv_buffer_bytes,
                     app_read_bps=app_read_bps, app_pauses_s=pauses, duration_s=12.0,
                     window_updates=window_updates, seed=seed)
    counts = trace.event_counts()
    return "\n".join([
        f"buffer {rcv_buffer_bytes} B, reader {app_read_bps / 8000:g} kB/s, pause {pause_s:g} s,"
        f" window updates {'on' if window_updates else 'off'}",
        f"  zero windows seen by the sender: {counts.get('zero_window', 0)}",
        f"  zero-window probes sent:         {counts.get('window_probe', 0)}",
        f"  window updates sent:             {counts.get('window_update', 0)}",
        f"  delivered {trace.delivered_bytes} bytes in order: {trace.delivered_in_order}",
        f"  goodput {trace.goodput_bps / 1e3:.1f} kbit/s",
    ])


def congestion_summary(*, algorithm: str = "reno", rtt_s: float = 0.1,
                       loss_rate: float = 0.001, queue_packets: int = 50,
                       bottleneck_bps: float = 20e6, duration_s: float = 30.0,
                       seed: int = 7) -> str:
    """Run one flow through a bottleneck and describe its window, losses and RTT."""
    check_choice("algorithm", algorithm, algorithm_names())
    trace = simulate(algorithm=algorithm, rtt_s=rtt_s, loss_rate=loss_rate,
                     bottleneck_bps=bottleneck_bps, queue_packets=queue_packets,
                     duration_s=duration_s, seed=seed)
    warm = duration_s / 5
    counts = trace.event_counts()
    bdp = bdp_bytes(bottleneck_bps=bottleneck_bps, rtt_s=rtt_s) / trace.mss_bytes
    return "\n".join([
        f"{algorithm}, RTT {rtt_s * 1000:g} ms, loss {loss_rate:.2%}, queue {queue_packets} "
        f"packets, bottleneck {bottleneck_bps / 1e6:g} Mbit/s (BDP {bdp:.0f} segments)",
        f"  mean cwnd {trace.mean_cwnd_segments(warm):.1f} segments, "
        f"goodput {trace.goodput_bps_between(warm, duration_s) / 1e6:.2f} Mbit/s",
        f"  mean RTT {trace.mean_rtt_s(warm) * 1000:.0f} ms (simulated)",
        f"  fast retransmits {counts.get('fast_retransmit', 0)}, timeouts "
        f"{counts.get('timeout', 0)}, queue drops {counts.get('drop_queue', 0)}, random drops "
        f"{counts.get('drop_random', 0)}",
    ])


def model_point_summary(*, algorithm: str = "reno", rtt_s: float = 0.1,
                        loss_rate: float = 0.01, loss_model: str = "periodic",
                        seed: int = 7) -> str:
    """Simulate one (RTT, p) point and set its mean window beside the model's."""
    check_choice("algorithm", algorithm, ("reno", "cubic"))
    model = (mathis_window_segments(loss_rate) if algorithm == "reno"
             else cubic_average_window_segments(rtt_s=rtt_s, loss_rate=loss_rate))
    duration = 60 * rtt_s / (loss_rate * model)  # about 60 loss events
    trace = simulate(algorithm=algorithm, rtt_s=rtt_s, loss_rate=loss_rate,
                     loss_model=loss_model, duration_s=duration, seed=seed)
    simulated = trace.mean_cwnd_segments(duration / 10)
    return (f"{algorithm}, RTT {rtt_s * 1000:g} ms, p = {loss_rate:.2%} ({loss_model}): "
            f"mean cwnd {simulated:.1f} segments, model {model:.1f}, "
            f"ratio {simulated / model:.2f}")
