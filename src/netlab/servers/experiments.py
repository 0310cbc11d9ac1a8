"""The loopback experiments of the labs, each reduced to counts that repeat run to run.

Latencies are measured, but what is reported is what they show: how many
requests were answered, how many waited behind a full pool or a blocked loop,
and whether a limit was hit. Memory and threads are read from the kernel for a
server running in a child process of its own (``ServerProcess``), so that neither
the clients' sockets nor memory freed by an earlier run can enter the figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field

from netlab._validate import check_work, public, result
from netlab.servers.common import Backlog, PoolSize
from netlab.servers.eventloop import EventLoopServer
from netlab.servers.load import ClientScript, LoadReport, run_load
from netlab.servers.process import ServerProcess
from netlab.servers.threaded import ThreadPoolServer

DESIGNS = ("thread pool", "event loop")
Design = Literal["thread pool", "event loop"]
Connections = Annotated[int, Field(ge=1, le=1000)]
# Seconds of loopback work a lab call may ask for (the check_work limit): about 10 s.
_LOOPBACK_LIMIT_S = 10.0
# What each loopback client costs a run, measured on a loaded two-core machine: connecting,
# one request, and (for the pool) a thread; fixed costs such as a server's start are left out.
LOOPBACK_S_PER_CLIENT = 0.01


def check_clients(name: str, clients: int) -> None:
    """Refuse a loopback run whose ``clients`` would take more than the lab limit."""
    check_work(name, clients, work=clients * LOOPBACK_S_PER_CLIENT, limit=_LOOPBACK_LIMIT_S,
               unit="seconds of loopback clients")


@public
def make_server(design: Design, *, pool_size: PoolSize = 4, backlog: Backlog = 511,
                block_s: Annotated[float, Field(ge=0, le=10)] = 0.2,
                header_timeout_s: Annotated[float, Field(gt=0, le=60)] | None = None,
                keepalive_timeout_s: Annotated[float, Field(gt=0, le=60)] = 5.0,
                ) -> ThreadPoolServer | EventLoopServer:
    """Return a (not yet started) server of the given design."""
    if design == "thread pool":
        return ThreadPoolServer(pool_size=pool_size, backlog=backlog, block_s=block_s,
                                header_timeout_s=header_timeout_s,
                                keepalive_timeout_s=keepalive_timeout_s)
    return EventLoopServer(backlog=backlog, block_s=block_s, header_timeout_s=header_timeout_s,
                           keepalive_timeout_s=keepalive_timeout_s)


@result
@dataclass(frozen=True)
class IdleResult:
    """N idle keep-alive connections held open against one design (server in its own process)."""

    design: str
    connections: int
    pool_size: int | None
    threads: int
    answered: int
    waiting: int
    rss_growth_bytes: int

    @property
    def limit_hit(self) -> bool:
        """True when some connections could not be served while the others sat idle."""
        return self.waiting > 0

    @property
    def kib_per_connection(self) -> float:
        """The server process's resident memory growth per connection, in KiB."""
        return self.rss_growth_bytes / 1024 / self.connections


@public
def measure_idle(design: Design, connections: Connections, *,
                 pool_size: PoolSize | None = None) -> IdleResult:
    """Open ``connections`` keep-alive clients, one request each, and hold them idle.

    The pool gets ``pool_size`` workers (``connections`` when None). Threads and memory
    are the server process's, as the kernel reports them.
    """
    check_clients("connections", connections)
    pool = connections if pool_size is None else pool_size
    with ServerProcess(design, pool_size=pool) as server:
        report = run_load(server, [ClientScript(hold=True)] * connections, time_limit_s=20.0,
                          settle_s=0.5)
        before = server.rss_before_server
    snap = report.snapshot
    if snap is None:
        raise RuntimeError("the clients never settled within the time limit")
    return IdleResult(design=design, connections=connections,
                      pool_size=pool if design == "thread pool" else None,
                      threads=snap.threads, answered=snap.answered, waiting=snap.waiting,
                      rss_growth_bytes=snap.rss_bytes - before)


@result
@dataclass(frozen=True)
class SaturationResult:
    """Fresh requests sent while ``idle_connections`` keep-alive clients hold the server."""

    design: str
    pool_size: int | None
    idle_connections: int
    requests: int
    answered: int
    waited: int
    failed: int
    retransmitted: int

    @property
    def limit_hit(self) -> bool:
        """True when at least one fresh request had to wait for a worker."""
        return self.waited > 0


@public
def measure_saturation(design: Design, *,
                       idle_connections: Annotated[int, Field(ge=0, le=2000)],
                       requests: Annotated[int, Field(ge=1, le=200)] = 4,
                       pool_size: PoolSize = 4, backlog: Backlog = 511,
                       settle_s: Annotated[float, Field(ge=0.05, le=2)] = 0.3) -> SaturationResult:
    """Hold ``idle_connections`` open, send ``requests`` one-shot requests; count those that waited.

    A fresh request *waited* when it was answered only after the idle clients were released,
    which happens once every client is answered or has waited ``settle_s`` without progress.
    """
    check_clients("idle_connections", idle_connections + requests)
    scripts = [ClientScript(hold=True)] * idle_connections
    scripts += [ClientScript(start_s=0.05 + 0.01 * i) for i in range(requests)]
    with make_server(design, pool_size=pool_size, backlog=backlog) as server:
        report = run_load(server, scripts, time_limit_s=10.0, settle_s=settle_s)
    fresh = [r for r in report.records if r.client >= idle_connections]
    released_s = report.released_s if report.released_s is not None else float("inf")
    return SaturationResult(design=design,
                            pool_size=pool_size if design == "thread pool" else None,
                            idle_connections=idle_connections, requests=requests,
                            answered=sum(r.done_s is not None for r in fresh),
                            waited=sum(r.done_s is not None and r.done_s > released_s
                                       for r in fresh),
                            failed=report.failed_connections,
                            retransmitted=sum(r.retransmits > 0 for r in fresh))


@public
def knee_sweep(design: Design,
               connection_counts: Annotated[list[Annotated[int, Field(ge=1, le=500)]],
                                            Field(min_length=1, max_length=50)], *,
               pool_size: PoolSize = 4,
               hold_s: Annotated[float, Field(ge=0.05, le=2)] = 0.3) -> list[int]:
    """For each N: N clients connect at once and hold; how many were answered only on release."""
    check_work("connection_counts", len(connection_counts),
               work=len(connection_counts) * (hold_s + 0.05) + sum(connection_counts) * 0.002,
               limit=_LOOPBACK_LIMIT_S, unit="seconds of loopback runs")
    waited = []
    for count in connection_counts:
        with make_server(design, pool_size=pool_size) as server:
            report = run_load(server, [ClientScript(hold=True)] * count, time_limit_s=10.0,
                              settle_s=hold_s)
        waited.append(report.answered_after_release)
    return waited


@result
@dataclass(frozen=True)
class BlockingResult:
    """One ``/block`` request, then ``others`` plain requests while it blocks."""

    design: str
    others: int
    answered: int
    waited: int
    blocking_calls: int


@public
def measure_blocking(design: Design, *, others: Annotated[int, Field(ge=1, le=200)] = 8,
                     block_s: Annotated[float, Field(ge=0.1, le=5)] = 0.5) -> BlockingResult:
    """Send ``/block``; once the handler is blocking, send ``others`` GET / and count waits.

    A plain request *waited* when the server did not answer it while the blocking call ran.
    """
    server = make_server(design, pool_size=others + 1, block_s=block_s)
    with server:
        def blocking_started() -> bool:
            return server.stats().blocking_calls_started > 0

        scripts = [ClientScript(path="/block")]
        scripts += [ClientScript(gate=blocking_started)] * others
        report: LoadReport = run_load(server, scripts, time_limit_s=block_s + 5.0)
        stats = server.stats()
    answered = sum(r.done_s is not None for r in report.records if r.path == "/")
    return BlockingResult(design=design, others=others, answered=answered,
                          waited=answered - stats.served_while_blocking,
                          blocking_calls=stats.blocking_calls_started)
