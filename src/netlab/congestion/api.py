"""The public entry points: one flow, or several flows sharing a bottleneck."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from netlab._check import (
    check_choice,
    check_float,
    check_int,
    check_positive,
    check_probability,
    check_seed,
)
from netlab.congestion.algorithms import algorithm_names
from netlab.congestion.models import jain_fairness_index
from netlab.congestion.path import FlowConfig, PathConfig
from netlab.congestion.simulator import run
from netlab.congestion.trace import Trace

LOSS_MODELS = ("bernoulli", "periodic")
DEFAULT_RCV_BUFFER_BYTES = 4 * 1024 * 1024
MAX_SAMPLES = 20_000


def _path(rtt_s: float, bottleneck_bps: float | None, queue_packets: int, loss_rate: float,
          loss_model: str) -> PathConfig:
    check_positive("rtt_s", rtt_s)
    if bottleneck_bps is not None:
        check_positive("bottleneck_bps", bottleneck_bps)
    check_int("queue_packets", queue_packets, min_value=0)
    check_probability("loss_rate", loss_rate)
    check_choice("loss_model", loss_model, LOSS_MODELS)
    return PathConfig(rtt_s, bottleneck_bps, queue_packets, float(loss_rate), loss_model)


def _flow(algorithm: str, mss_bytes: int, rcv_buffer_bytes: int, app_read_bps: float | None,
          app_pauses_s: Sequence[tuple[float, float]], initial_cwnd_segments: int,
          min_rto_s: float, start_s: float, window_updates: bool, sack: bool = True,
          ack_every: int = 1, delayed_ack_s: float = 0.04,
          byte_counting: bool = True) -> FlowConfig:
    check_choice("algorithm", algorithm, algorithm_names())
    check_int("mss_bytes", mss_bytes, min_value=1, max_value=65_495)
    check_int("rcv_buffer_bytes", rcv_buffer_bytes, min_value=mss_bytes)
    if app_read_bps is not None:
        check_positive("app_read_bps", app_read_bps)
    pauses = []
    for start, end in app_pauses_s:
        check_float("app_pauses_s start", start, min_value=0.0)
        check_float("app_pauses_s end", end, min_value=start, min_inclusive=False)
        pauses.append((float(start), float(end)))
    check_int("initial_cwnd_segments", initial_cwnd_segments, min_value=1, max_value=1000)
    check_positive("min_rto_s", min_rto_s)
    check_float("start_s", start_s, min_value=0.0)
    if not isinstance(window_updates, bool):
        raise ValueError(f"window_updates must be True or False, got {window_updates!r}")
    return FlowConfig(algorithm, mss_bytes, rcv_buffer_bytes, app_read_bps, tuple(pauses),
                      initial_cwnd_segments, float(min_rto_s), float(start_s), window_updates,
                      sack, ack_every, float(delayed_ack_s), byte_counting)


def _interval(sample_interval_s: float | None, rtt_s: float, duration_s: float) -> float:
    if sample_interval_s is None:
        return max(rtt_s / 4, duration_s / MAX_SAMPLES)
    check_positive("sample_interval_s", sample_interval_s)
    if duration_s / sample_interval_s > 10 * MAX_SAMPLES:
        raise ValueError(f"sample_interval_s must be >= {duration_s / (10 * MAX_SAMPLES):g} "
                         f"for this duration, got {sample_interval_s!r}")
    return float(sample_interval_s)


def simulate(*, algorithm: str = "reno", rtt_s: float = 0.1, loss_rate: float = 0.0,
             mss_bytes: int = 1460, duration_s: float = 10.0, seed: int = 0,
             bottleneck_bps: float | None = None, queue_packets: int = 100,
             rcv_buffer_bytes: int = DEFAULT_RCV_BUFFER_BYTES,
             app_read_bps: float | None = None,
             app_pauses_s: Sequence[tuple[float, float]] = (),
             loss_model: str = "bernoulli", initial_cwnd_segments: int = 10,
             min_rto_s: float = 1.0, window_updates: bool = True,
             sample_interval_s: float | None = None, sack: bool = True, ack_every: int = 1,
             delayed_ack_s: float = 0.04, byte_counting: bool = True) -> Trace:
    """Simulate one bulk TCP flow for ``duration_s`` and return its trace.

    ``rtt_s`` is the path's base round trip (propagation only); ``bottleneck_bps`` None
    means no bottleneck. ``loss_model`` "periodic" drops exactly every (1/p)-th data
    segment, the assumption behind the Mathis and CUBIC models; "bernoulli" drops each
    one independently with probability p. ``app_read_bps`` None reads instantly.
    """
    check_positive("duration_s", duration_s)
    check_seed("seed", seed)
    path = _path(rtt_s, bottleneck_bps, queue_packets, loss_rate, loss_model)
    flow = _flow(algorithm, mss_bytes, rcv_buffer_bytes, app_read_bps, app_pauses_s,
                 initial_cwnd_segments, min_rto_s, 0.0, window_updates, sack, ack_every,
                 delayed_ack_s, byte_counting)
    interval = _interval(sample_interval_s, rtt_s, duration_s)
    return run(path, [flow], duration_s=float(duration_s), seed=seed,
               sample_interval_s=interval)[0]


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


def simulate_shared(*, algorithms: Sequence[str] = ("reno", "reno", "reno"),
                    rtt_s: float = 0.05, bottleneck_bps: float = 10e6,
                    queue_packets: int = 50, loss_rate: float = 0.0,
                    mss_bytes: int = 1460, duration_s: float = 60.0,
                    start_gap_s: float = 5.0, seed: int = 0,
                    loss_model: str = "bernoulli", min_rto_s: float = 1.0,
                    sample_interval_s: float | None = None, sack: bool = True) -> SharedTrace:
    """Several bulk flows share one bottleneck; flow i starts at i·start_gap_s."""
    check_int("len(algorithms)", len(algorithms), min_value=1, max_value=32)
    check_positive("duration_s", duration_s)
    check_float("start_gap_s", start_gap_s, min_value=0.0)
    last_start = start_gap_s * (len(algorithms) - 1)
    if last_start >= duration_s / 2:
        raise ValueError(f"start_gap_s must leave the last flow half the run, "
                         f"i.e. be < {duration_s / 2 / max(1, len(algorithms) - 1):g}, "
                         f"got {start_gap_s!r}")
    check_seed("seed", seed)
    path = _path(rtt_s, bottleneck_bps, queue_packets, loss_rate, loss_model)
    flows = [_flow(name, mss_bytes, DEFAULT_RCV_BUFFER_BYTES, None, (), 10, min_rto_s,
                   i * float(start_gap_s), True, sack) for i, name in enumerate(algorithms)]
    interval = _interval(sample_interval_s, rtt_s, duration_s)
    traces = run(path, flows, duration_s=float(duration_s), seed=seed,
                 sample_interval_s=interval)
    measure_from = last_start + (duration_s - last_start) / 2
    return SharedTrace(tuple(traces), float(bottleneck_bps), measure_from)
