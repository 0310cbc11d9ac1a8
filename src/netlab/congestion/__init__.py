"""Flow control and congestion control: a simpy TCP path checked against published models."""

from netlab.congestion.algorithms import (
    CUBIC_ALPHA,
    CUBIC_BETA,
    CUBIC_C,
    CongestionControl,
    Cubic,
    Reno,
    algorithm_names,
    cubic_k_s,
    cubic_window_segments,
    make_algorithm,
    register_algorithm,
)
from netlab.congestion.api import SharedTrace, simulate, simulate_shared
from netlab.congestion.checks import (
    CUBIC_TOLERANCE,
    MATHIS_TOLERANCE,
    BdpRow,
    ModelRow,
    bdp_sweep,
    cubic_check,
    format_rows,
    mathis_check,
)
from netlab.congestion.diagrams import Phase, next_phase, phase_diagram_mermaid
from netlab.congestion.loopback import (
    SlowReaderResult,
    slow_reader_experiment,
    small_buffer_pair,
)
from netlab.congestion.models import (
    MATHIS_C,
    bdp_bytes,
    cubic_average_window_segments,
    cubic_is_reno_friendly,
    cubic_only_window_segments,
    jain_fairness_index,
    mathis_throughput_bps,
    mathis_window_segments,
    window_limited_goodput_bps,
)
from netlab.congestion.plots import (
    format_events,
    plot_bdp,
    plot_cwnd,
    plot_flow_control,
    plot_model_check,
)
from netlab.congestion.rto import RtoEstimator
from netlab.congestion.summaries import (
    congestion_summary,
    flow_control_summary,
    model_point_summary,
    window_by_round,
)
from netlab.congestion.trace import EVENT_KINDS, Trace, TraceEvent, TraceSample

__all__ = [
    "CUBIC_ALPHA", "CUBIC_BETA", "CUBIC_C", "CUBIC_TOLERANCE", "EVENT_KINDS", "MATHIS_C",
    "MATHIS_TOLERANCE", "BdpRow", "ModelRow", "Phase", "SlowReaderResult",
    "bdp_sweep", "cubic_check", "format_events", "format_rows", "mathis_check",
    "next_phase", "phase_diagram_mermaid", "plot_bdp", "plot_cwnd", "plot_flow_control",
    "plot_model_check", "congestion_summary", "flow_control_summary", "model_point_summary",
    "window_by_round", "slow_reader_experiment", "small_buffer_pair",
    "CongestionControl", "Cubic", "Reno", "RtoEstimator", "SharedTrace", "Trace",
    "TraceEvent", "TraceSample", "algorithm_names", "bdp_bytes",
    "cubic_average_window_segments", "cubic_is_reno_friendly", "cubic_k_s",
    "cubic_only_window_segments", "cubic_window_segments", "jain_fairness_index",
    "make_algorithm", "mathis_throughput_bps", "mathis_window_segments",
    "register_algorithm", "simulate", "simulate_shared", "window_limited_goodput_bps",
]
