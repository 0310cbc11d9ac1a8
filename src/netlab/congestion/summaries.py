"""One-call text summaries behind the labs' widgets, and Reno's window round by round."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import Field

from netlab._validate import NonNegativeInt, one_of, public
from netlab.congestion.algorithms import algorithm_class, algorithm_names, make_algorithm
from netlab.congestion.api import simulate
from netlab.congestion.models import (
    bdp_bytes,
    cubic_average_window_segments,
    mathis_window_segments,
)
from netlab.congestion.params import (
    AckEvery,
    AlgorithmName,
    BitsPerSecond,
    BufferBytes,
    LossModel,
    LossRate,
    MssBytes,
    QueuePackets,
    RttSeconds,
    Seed,
    SimSeconds,
    WindowSegments,
)


def _window_algorithms() -> list[str]:
    """Algorithms whose window moves on ACKs alone (not BBR, which needs rate samples)."""
    return [n for n in algorithm_names() if not algorithm_class(n).wants_rate_samples]


@public
def window_by_round(algorithm: Annotated[str, one_of(_window_algorithms)] = "reno", *,
                    rounds: Annotated[int, Field(ge=1, le=1000)] = 12,
                    loss_rounds: Annotated[Sequence[NonNegativeInt],
                                           Field(max_length=1000)] = (6,),
                    mss_bytes: MssBytes = 1000, rtt_s: RttSeconds = 0.1,
                    initial_cwnd_segments: WindowSegments = 10, ack_every: AckEvery = 1,
                    byte_counting: bool = True) -> list[tuple[int, float, float]]:
    """(round, cwnd, ssthresh) in segments when each round ACKs a whole window.

    Each round's window is acknowledged by one ACK per ``ack_every`` segments. In a round
    listed in ``loss_rounds`` the window ends with a congestion event (three duplicate
    ACKs) instead of its ACKs. No network: only the algorithm's own rules.
    """
    cc = make_algorithm(algorithm, mss_bytes=mss_bytes,
                        initial_cwnd_segments=initial_cwnd_segments,
                        byte_counting=byte_counting)
    losses = set(loss_rounds)
    rows = []
    for r in range(rounds):
        rows.append((r, cc.cwnd_bytes / mss_bytes, cc.ssthresh_bytes / mss_bytes))
        now = r * rtt_s
        if r in losses:
            cc.on_congestion_event(now=now, flight_bytes=int(cc.cwnd_bytes))
            continue
        for _ in range(int(cc.cwnd_bytes // mss_bytes) // ack_every):
            cc.on_ack(now=now, acked_bytes=ack_every * mss_bytes, rtt_s=rtt_s)
    return rows


@public
def flow_control_summary(*, rcv_buffer_bytes: BufferBytes = 8000,
                         app_read_bps: BitsPerSecond = 160e3,
                         pause_s: Annotated[float, Field(ge=0, le=8)] = 6.0,
                         window_updates: bool = True, seed: Seed = 7) -> str:
    """Run the slow-reader simulation (pause from 2 s) and describe it in a few lines."""
    pauses = [(2.0, 2.0 + pause_s)] if 2.0 + pause_s > 2.0 else []
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


@public
def congestion_summary(*, algorithm: AlgorithmName = "reno", rtt_s: RttSeconds = 0.1,
                       loss_rate: LossRate = 0.001, queue_packets: QueuePackets = 50,
                       bottleneck_bps: BitsPerSecond = 20e6, duration_s: SimSeconds = 30.0,
                       seed: Seed = 7) -> str:
    """Run one flow through a bottleneck and describe its window, losses and RTT.

    ``queue_packets`` 0 leaves room for the packet being transmitted only: every packet
    that arrives while the link is busy is dropped.
    """
    trace = simulate(algorithm=algorithm, rtt_s=rtt_s, loss_rate=loss_rate,
                     bottleneck_bps=bottleneck_bps, queue_packets=queue_packets,
                     duration_s=duration_s, seed=seed)
    warm = duration_s / 5
    counts = trace.event_counts()
    bdp = bdp_bytes(bottleneck_bps=bottleneck_bps, rtt_s=rtt_s) / trace.mss_bytes
    queue = [s.queue_packets for s in trace.samples if s.now >= warm]
    return "\n".join([
        f"{algorithm}, RTT {rtt_s * 1000:g} ms, loss {loss_rate:.2%}, queue {queue_packets} "
        f"packets, bottleneck {bottleneck_bps / 1e6:g} Mbit/s (BDP {bdp:.0f} segments)",
        f"  mean cwnd {trace.mean_cwnd_segments(warm):.1f} segments, "
        f"goodput {trace.goodput_bps_between(warm, duration_s) / 1e6:.2f} Mbit/s",
        f"  mean RTT {trace.mean_rtt_s(warm) * 1000:.0f} ms (simulated), "
        f"mean queue {sum(queue) / len(queue):.1f} packets",
        f"  fast retransmits {counts.get('fast_retransmit', 0)}, timeouts "
        f"{counts.get('timeout', 0)}, queue drops {counts.get('drop_queue', 0)}, random drops "
        f"{counts.get('drop_random', 0)}",
    ])


@public
def model_point_summary(*, algorithm: Literal["reno", "cubic"] = "reno",
                        rtt_s: RttSeconds = 0.1,
                        loss_rate: Annotated[float, Field(ge=1e-4, lt=1)] = 0.01,
                        loss_model: LossModel = "periodic", seed: Seed = 7) -> str:
    """Simulate one (RTT, p) point and set its mean window beside the model's."""
    model = (mathis_window_segments(loss_rate) if algorithm == "reno"
             else cubic_average_window_segments(rtt_s=rtt_s, loss_rate=loss_rate))
    duration = 60 * rtt_s / (loss_rate * model)  # about 60 loss events
    trace = simulate(algorithm=algorithm, rtt_s=rtt_s, loss_rate=loss_rate,
                     loss_model=loss_model, duration_s=duration, seed=seed)
    simulated = trace.mean_cwnd_segments(duration / 10)
    return (f"{algorithm}, RTT {rtt_s * 1000:g} ms, p = {loss_rate:.2%} ({loss_model}): "
            f"mean cwnd {simulated:.1f} segments, model {model:.1f}, "
            f"ratio {simulated / model:.2f}")
