"""Web server architectures on loopback: a thread pool (Apache worker MPM) vs an event loop (nginx).

Two real HTTP/1.1 servers on 127.0.0.1, a bounded single-threaded load
generator, the lab experiments reduced to counts, and a simpy model of both
designs.
"""

from netlab.servers.common import (
    ServerStats,
    ensure_fd_limit,
    open_fd_count,
    rss_bytes,
    thread_count,
)
from netlab.servers.eventloop import EventLoopServer
from netlab.servers.experiments import (
    DESIGNS,
    BlockingResult,
    IdleResult,
    SaturationResult,
    knee_sweep,
    make_server,
    measure_blocking,
    measure_idle,
    measure_saturation,
)
from netlab.servers.http import HttpSession, Reply, app
from netlab.servers.load import (
    ClientScript,
    LoadReport,
    RequestRecord,
    Snapshot,
    run_load,
)
from netlab.servers.model import (
    ModelConfig,
    ModelRecord,
    ModelTrace,
    load_sweep,
    model_blocking,
    model_knee,
    saturation_rate_per_s,
    simulate,
)
from netlab.servers.report import (
    MEMORY_MARK_KIB,
    blocking_table,
    fetch,
    idle_table,
    knee_table,
    plot_knee,
    plot_load_sweep,
    saturation_table,
    show_idle,
    show_model,
    show_saturation,
)
from netlab.servers.threaded import ThreadPoolServer

__all__ = [
    "MEMORY_MARK_KIB", "app", "blocking_table", "BlockingResult", "ClientScript", "DESIGNS",
    "ensure_fd_limit",
    "EventLoopServer", "fetch", "HttpSession", "idle_table", "IdleResult", "knee_sweep",
    "knee_table", "load_sweep", "LoadReport", "make_server", "measure_blocking", "measure_idle",
    "measure_saturation", "model_blocking", "model_knee", "ModelConfig", "ModelRecord",
    "ModelTrace", "open_fd_count", "plot_knee", "plot_load_sweep", "Reply", "RequestRecord",
    "rss_bytes", "run_load", "saturation_rate_per_s", "saturation_table", "SaturationResult",
    "ServerStats", "show_idle", "show_model", "show_saturation", "simulate", "Snapshot",
    "thread_count", "ThreadPoolServer",
]
