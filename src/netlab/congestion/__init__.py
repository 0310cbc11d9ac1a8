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
from netlab.congestion.bbr import (
    BBR_CWND_GAIN,
    BBR_DRAIN_GAIN,
    BBR_HIGH_GAIN,
    BBR_PACING_GAINS,
    BBR_STATES,
    Bbr,
)
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
from netlab.congestion.compare import (
    CompareRow,
    compare_algorithms,
    format_comparison,
    plot_bbr,
    state_timeline,
)
from netlab.congestion.diagrams import (
    BBR_TRANSITIONS,
    Phase,
    bbr_diagram_mermaid,
    next_phase,
    phase_diagram_mermaid,
)
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
    mathis_constant,
    mathis_throughput_bps,
    mathis_window_segments,
    window_limited_goodput_bps,
)
from netlab.congestion.params import SEGMENT_LIMIT
from netlab.congestion.plots import (
    format_events,
    plot_bdp,
    plot_cwnd,
    plot_flow_control,
    plot_model_check,
)
from netlab.congestion.rate import RateSample
from netlab.congestion.rto import RtoEstimator
from netlab.congestion.summaries import (
    congestion_summary,
    flow_control_summary,
    model_point_summary,
    window_by_round,
)
from netlab.congestion.trace import EVENT_KINDS, Trace, TraceEvent, TraceSample

__all__ = [
    "BBR_CWND_GAIN", "BBR_DRAIN_GAIN", "BBR_HIGH_GAIN", "BBR_PACING_GAINS", "BBR_STATES",
    "BBR_TRANSITIONS", "CUBIC_ALPHA", "CUBIC_BETA", "CUBIC_C", "CUBIC_TOLERANCE",
    "EVENT_KINDS", "MATHIS_C", "MATHIS_TOLERANCE", "SEGMENT_LIMIT", "Bbr", "BdpRow",
    "CompareRow", "CongestionControl", "Cubic", "ModelRow", "Phase", "RateSample", "Reno",
    "RtoEstimator", "SharedTrace", "SlowReaderResult", "Trace", "TraceEvent", "TraceSample",
    "algorithm_names", "bbr_diagram_mermaid", "bdp_bytes", "bdp_sweep",
    "compare_algorithms", "congestion_summary", "cubic_average_window_segments",
    "cubic_check", "cubic_is_reno_friendly", "cubic_k_s", "cubic_only_window_segments",
    "cubic_window_segments", "flow_control_summary", "format_comparison", "format_events",
    "format_rows", "jain_fairness_index", "make_algorithm", "mathis_check",
    "mathis_constant", "mathis_throughput_bps", "mathis_window_segments",
    "model_point_summary", "next_phase", "phase_diagram_mermaid", "plot_bbr", "plot_bdp",
    "plot_cwnd", "plot_flow_control", "plot_model_check", "register_algorithm", "simulate",
    "simulate_shared", "slow_reader_experiment", "small_buffer_pair", "state_timeline",
    "window_by_round", "window_limited_goodput_bps",
]
