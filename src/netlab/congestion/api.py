"""The public entry points: one flow, or several flows sharing a bottleneck."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field

from netlab._validate import ArgumentError, NonNegativeFloat, public, result
from netlab.congestion.algorithms import algorithm_class
from netlab.congestion.models import jain_fairness_index
from netlab.congestion.params import (
    AckEvery,
    AlgorithmName,
    BitsPerSecond,
    BufferBytes,
    DelayedAckSeconds,
    LossModel,
    LossRate,
    MinRtoSeconds,
    MssBytes,
    QueuePackets,
    RttSeconds,
    Seed,
    SimSeconds,
    WindowSegments,
    check_segments,
)
from netlab.congestion.path import FlowConfig, PathConfig
from netlab.congestion.simulator import run
from netlab.congestion.trace import Trace

LOSS_MODELS = ("bernoulli", "periodic")
DEFAULT_RCV_BUFFER_BYTES = 4 * 1024 * 1024
MAX_SAMPLES = 20_000

Pause = tuple[NonNegativeFloat, NonNegativeFloat]


def _flow(algorithm: str, mss_bytes: int, rcv_buffer_bytes: int, app_read_bps: float | None,
          app_pauses_s: Sequence[tuple[float, float]], initial_cwnd_segments: int,
          min_rto_s: float, start_s: float, window_updates: bool, sack: bool,
          ack_every: int = 1, delayed_ack_s: float = 0.04,
          byte_counting: bool = True) -> FlowConfig:
    """Cross-argument checks the signature cannot state; the values are already valid."""
    if rcv_buffer_bytes < mss_bytes:
        raise ArgumentError(f"rcv_buffer_bytes: must hold at least one segment "
                            f"(mss_bytes = {mss_bytes}), got {rcv_buffer_bytes}")
    for start, end in app_pauses_s:
        if end <= start:
            raise ArgumentError(f"app_pauses_s: each pause must end after it starts, "
                                f"got ({start:g}, {end:g})")
    if algorithm_class(algorithm).needs_sack and not sack:
        raise ArgumentError(f"sack: algorithm {algorithm!r} runs only with the SACK "
                            f"scoreboard (its rate samples need it), got sack=False")
    return FlowConfig(algorithm, mss_bytes, rcv_buffer_bytes, app_read_bps,
                      tuple(app_pauses_s), initial_cwnd_segments, min_rto_s, start_s,
                      window_updates, sack, ack_every, delayed_ack_s, byte_counting)


def _interval(sample_interval_s: float | None, rtt_s: float, duration_s: float) -> float:
    if sample_interval_s is None:
        return max(rtt_s / 4, duration_s / MAX_SAMPLES)
    if duration_s / sample_interval_s > 10 * MAX_SAMPLES:
        raise ArgumentError(f"sample_interval_s: must be >= {duration_s / (10 * MAX_SAMPLES):g} "
                            f"for this duration, got {sample_interval_s:g}")
    return sample_interval_s


@public
def simulate(*, algorithm: AlgorithmName = "reno", rtt_s: RttSeconds = 0.1,
             loss_rate: LossRate = 0.0, mss_bytes: MssBytes = 1460,
             duration_s: SimSeconds = 10.0, seed: Seed = 0,
             bottleneck_bps: BitsPerSecond | None = None, queue_packets: QueuePackets = 100,
             rcv_buffer_bytes: BufferBytes = DEFAULT_RCV_BUFFER_BYTES,
             app_read_bps: BitsPerSecond | None = None,
             app_pauses_s: Annotated[Sequence[Pause], Field(max_length=100)] = (),
             loss_model: LossModel = "bernoulli", initial_cwnd_segments: WindowSegments = 10,
             min_rto_s: MinRtoSeconds = 1.0, window_updates: bool = True,
             sample_interval_s: Annotated[float, Field(gt=0, le=3600)] | None = None,
             sack: bool = True, ack_every: AckEvery = 1,
             delayed_ack_s: DelayedAckSeconds = 0.04, byte_counting: bool = True) -> Trace:
    """Simulate one bulk TCP flow for ``duration_s`` and return its trace.

    ``rtt_s`` is the path's base round trip (propagation only); ``bottleneck_bps`` None
    means no bottleneck, and ``queue_packets`` is the bottleneck's drop-tail queue (0:
    room only for the packet being transmitted). ``loss_model`` "periodic" drops exactly
    every (1/p)-th data segment, the assumption behind the Mathis and CUBIC models;
    "bernoulli" drops each one independently with probability p. ``app_read_bps`` None
    reads instantly. ``sack`` chooses SACK-based recovery (as Linux) or NewReno;
    ``ack_every`` 2 turns on delayed ACKs (every second segment, or after
    ``delayed_ack_s``); ``byte_counting`` False grows cwnd per ACK, not per byte.
    """
    check_segments(algorithms=[algorithm], duration_s=duration_s, rtt_s=rtt_s,
                   mss_bytes=mss_bytes, rcv_buffer_bytes=rcv_buffer_bytes,
                   bottleneck_bps=bottleneck_bps, app_read_bps=app_read_bps,
                   loss_rate=loss_rate)
    path = PathConfig(rtt_s, bottleneck_bps, queue_packets, loss_rate, loss_model)
    flow = _flow(algorithm, mss_bytes, rcv_buffer_bytes, app_read_bps, app_pauses_s,
                 initial_cwnd_segments, min_rto_s, 0.0, window_updates, sack, ack_every,
                 delayed_ack_s, byte_counting)
    interval = _interval(sample_interval_s, rtt_s, duration_s)
    return run(path, [flow], duration_s=duration_s, seed=seed, sample_interval_s=interval)[0]


@result
@dataclass(frozen=True, slots=True)
class SharedTrace:
    """Several flows on one bottleneck, with their shares measured from ``measure_from_s``."""

    flows: tuple[Trace, ...]
    bottleneck_bps: float
    measure_from_s: float

    def goodputs_bps(self) -> list[float]:
        """Each flow's goodput from measure_from_s to the end of the run."""
        return [t.goodput_bps_between(self.measure_from_s, t.duration_s) for t in self.flows]

    @property
    def jain_index(self) -> float:
        """Jain's fairness index of the measured goodputs."""
        return jain_fairness_index(self.goodputs_bps())

    @property
    def utilization(self) -> float:
        """Sum of the measured goodputs over the bottleneck rate."""
        return sum(self.goodputs_bps()) / self.bottleneck_bps


@public
def simulate_shared(*, algorithms: Annotated[Sequence[AlgorithmName],
                                             Field(min_length=1, max_length=32)]
                    = ("reno", "reno", "reno"),
                    rtt_s: RttSeconds = 0.05, bottleneck_bps: BitsPerSecond = 10e6,
                    queue_packets: QueuePackets = 50, loss_rate: LossRate = 0.0,
                    mss_bytes: MssBytes = 1460, duration_s: SimSeconds = 60.0,
                    start_gap_s: NonNegativeFloat = 5.0, seed: Seed = 0,
                    loss_model: LossModel = "bernoulli", min_rto_s: MinRtoSeconds = 1.0,
                    sample_interval_s: Annotated[float, Field(gt=0, le=3600)] | None = None,
                    sack: bool = True) -> SharedTrace:
    """Several bulk flows share one bottleneck; flow i starts at i·start_gap_s."""
    last_start = start_gap_s * (len(algorithms) - 1)
    if last_start >= duration_s / 2:
        raise ArgumentError(f"start_gap_s: must leave the last flow half the run "
                            f"(duration_s = {duration_s:g}, {len(algorithms)} algorithms), "
                            f"i.e. be < {duration_s / 2 / max(1, len(algorithms) - 1):g}, "
                            f"got {start_gap_s:g}")
    check_segments(algorithms=list(algorithms), duration_s=duration_s, rtt_s=rtt_s,
                   mss_bytes=mss_bytes, rcv_buffer_bytes=DEFAULT_RCV_BUFFER_BYTES,
                   bottleneck_bps=bottleneck_bps, app_read_bps=None, loss_rate=loss_rate,
                   usual={"duration_s": 60.0, "rtt_s": 0.05, "bottleneck_bps": 10e6},
                   names=("duration_s", "mss_bytes", "rtt_s", "loss_rate", "bottleneck_bps"))
    path = PathConfig(rtt_s, bottleneck_bps, queue_packets, loss_rate, loss_model)
    flows = [_flow(name, mss_bytes, DEFAULT_RCV_BUFFER_BYTES, None, (), 10, min_rto_s,
                   i * start_gap_s, True, sack) for i, name in enumerate(algorithms)]
    interval = _interval(sample_interval_s, rtt_s, duration_s)
    traces = run(path, flows, duration_s=duration_s, seed=seed, sample_interval_s=interval)
    measure_from = last_start + (duration_s - last_start) / 2
    return SharedTrace(tuple(traces), bottleneck_bps, measure_from)
