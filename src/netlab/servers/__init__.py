"""Web server architectures on loopback: a thread pool (Apache worker MPM) vs an event loop (nginx).

Two real HTTP/1.1 servers on 127.0.0.1 (in this process, or in a child process of
their own so that their memory and threads are measured alone), a bounded
single-threaded load generator that can also play Slowloris, the lab experiments
reduced to counts, kernel-side measurements of the accept queue, the thundering herd
and SO_REUSEPORT, capacity arithmetic from the servers' documentation, and a simpy
model of both designs on a given number of cores.
"""

from netlab.servers.capacity import (
    concurrent_connections,
    event_mpm_max_connections,
    max_workers_for_ram,
)
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
from netlab.servers.limits import (
    AcceptQueue,
    FdLimitResult,
    ReuseportResult,
    SlowlorisResult,
    accept_queue,
    herd_wakeups,
    measure_fd_limit,
    measure_slowloris,
    reuseport_spread,
)
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
    model_backlog,
    model_blocking,
    model_knee,
    saturation_rate_per_s,
    simulate,
)
from netlab.servers.process import ServerProcess
from netlab.servers.report import (
    MEMORY_MARK_KIB,
    blocking_table,
    fd_limit_table,
    fetch,
    idle_table,
    knee_table,
    plot_knee,
    plot_load_sweep,
    saturation_table,
    show_idle,
    show_model,
    show_saturation,
    slowloris_table,
)
from netlab.servers.threaded import ThreadPoolServer

__all__ = [
    "DESIGNS", "MEMORY_MARK_KIB", "AcceptQueue", "BlockingResult", "ClientScript",
    "EventLoopServer", "FdLimitResult", "HttpSession", "IdleResult", "LoadReport", "ModelConfig",
    "ModelRecord", "ModelTrace", "Reply", "RequestRecord", "ReuseportResult", "SaturationResult",
    "ServerProcess", "ServerStats", "SlowlorisResult", "Snapshot", "ThreadPoolServer",
    "accept_queue", "app", "blocking_table", "concurrent_connections", "ensure_fd_limit",
    "event_mpm_max_connections", "fd_limit_table", "fetch", "herd_wakeups", "idle_table",
    "knee_sweep", "knee_table", "load_sweep", "make_server", "max_workers_for_ram",
    "measure_blocking", "measure_fd_limit", "measure_idle", "measure_saturation",
    "measure_slowloris", "model_backlog", "model_blocking", "model_knee", "open_fd_count",
    "plot_knee", "plot_load_sweep", "reuseport_spread", "rss_bytes", "run_load",
    "saturation_rate_per_s", "saturation_table", "show_idle", "show_model", "show_saturation",
    "simulate", "slowloris_table", "thread_count",
]
