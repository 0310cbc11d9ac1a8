"""Baselines for netlab.congestion: small, valid calls that the fuzz test perturbs.

Simulations are kept to a few thousand segments, so that the values the fuzz test tries
that are valid but large are refused by check_work (scaled down for the test) instead of
running for seconds.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from fuzz_harness import Baseline

from netlab.congestion import (
    Phase,
    Reno,
    bdp_sweep,
    cubic_check,
    simulate,
)


@cache
def _trace() -> Any:
    return simulate(duration_s=0.5, rcv_buffer_bytes=20_000)


@contextmanager
def _trace_fixture() -> Iterator[dict[str, Any]]:
    yield {"trace": _trace()}


@cache
def _bbr_trace() -> Any:
    return simulate(algorithm="bbr", duration_s=0.5, rcv_buffer_bytes=20_000)


@contextmanager
def _bbr_trace_fixture() -> Iterator[dict[str, Any]]:
    yield {"trace": _bbr_trace()}


@contextmanager
def _traces_fixture() -> Iterator[dict[str, Any]]:
    yield {"traces": [_trace()]}


@cache
def _model_rows() -> Any:
    return cubic_check(((0.01, 0.02),), loss_events=10)


@cache
def _bdp_rows() -> Any:
    return bdp_sweep((0.5,), duration_s=0.5)


SMALL_SIM = {"duration_s": 0.5, "rcv_buffer_bytes": 20_000}

BASELINES = {
    "Reno": Baseline(kwargs={"mss_bytes": 1000}),
    "Cubic": Baseline(kwargs={"mss_bytes": 1000}),
    "Bbr": Baseline(kwargs={"mss_bytes": 1000}),
    "register_algorithm": Baseline(args=(Reno,)),
    "make_algorithm": Baseline(args=("reno",), kwargs={"mss_bytes": 1000}),
    "cubic_window_segments": Baseline(args=(1.0,), kwargs={"w_max_segments": 100.0,
                                                            "k_s": 4.2}),
    "cubic_k_s": Baseline(kwargs={"w_max_segments": 100.0, "cwnd_epoch_segments": 70.0}),
    "mathis_window_segments": Baseline(args=(0.01,)),
    "mathis_throughput_bps": Baseline(kwargs={"mss_bytes": 1460, "rtt_s": 0.1,
                                              "loss_rate": 0.01}),
    "cubic_only_window_segments": Baseline(kwargs={"rtt_s": 0.1, "loss_rate": 0.01}),
    "cubic_average_window_segments": Baseline(kwargs={"rtt_s": 0.1, "loss_rate": 0.01}),
    "cubic_is_reno_friendly": Baseline(kwargs={"rtt_s": 0.1, "loss_rate": 0.01}),
    "bdp_bytes": Baseline(kwargs={"bottleneck_bps": 10e6, "rtt_s": 0.05}),
    "window_limited_goodput_bps": Baseline(kwargs={"window_bytes": 30_000.0, "rtt_s": 0.05,
                                                   "bottleneck_bps": 10e6}),
    "jain_fairness_index": Baseline(args=([1.0, 2.0, 3.0],)),
    "next_phase": Baseline(args=(Phase.SLOW_START, "new ACK")),
    "simulate": Baseline(kwargs=SMALL_SIM),
    "simulate_shared": Baseline(kwargs={"duration_s": 2.0, "start_gap_s": 0.3,
                                        "bottleneck_bps": 1e6}),
    "mathis_check": Baseline(args=((0.02,),), kwargs={"loss_events": 10}),
    "cubic_check": Baseline(args=(((0.01, 0.02),),), kwargs={"loss_events": 10}),
    "bdp_sweep": Baseline(args=((0.5,),), kwargs={"duration_s": 0.5}),
    "format_rows": Baseline(args=(_model_rows(),)),
    "plot_cwnd": Baseline(fixture=_traces_fixture),
    "plot_flow_control": Baseline(fixture=_trace_fixture),
    "plot_model_check": Baseline(args=(_model_rows(),), kwargs={"ylabel": "window"}),
    "plot_bdp": Baseline(args=(_bdp_rows(),)),
    "format_events": Baseline(fixture=_trace_fixture),
    "window_by_round": Baseline(kwargs={"rounds": 4}),
    "flow_control_summary": Baseline(kwargs={"rcv_buffer_bytes": 4000, "pause_s": 1.0}),
    "congestion_summary": Baseline(kwargs={"duration_s": 1.0, "bottleneck_bps": 1e6}),
    "model_point_summary": Baseline(kwargs={"loss_rate": 0.05, "rtt_s": 0.02}),
    "slow_reader_experiment": Baseline(kwargs={"total_bytes": 100_000, "pause_s": 0.05,
                                               "timeout_s": 2.0}),
    "compare_algorithms": Baseline(kwargs={"algorithms": ("reno",), "duration_s": 2.0,
                                           "measure_from_s": 1.0, "bottleneck_bps": 1e6}),
    "format_comparison": Baseline(args=([],)),
    "state_timeline": Baseline(fixture=_trace_fixture),
    "plot_bbr": Baseline(fixture=_bbr_trace_fixture),
    "small_buffer_pair": Baseline(kwargs={"rcvbuf_bytes": 4096, "sndbuf_bytes": 4096}),
}
