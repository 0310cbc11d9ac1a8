"""The three loopback experiments of the labs, each reduced to counts that repeat run to run.

Latencies are measured, but what is reported is what they show: how many
requests were answered, how many waited behind a full pool or a blocked loop,
and whether a limit was hit. Memory is measured in a fresh interpreter so that
memory freed by an earlier run cannot be reused and hide the growth.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import asdict, dataclass

from netlab._check import check_choice, check_float, check_int
from netlab.servers.common import rss_bytes, thread_count
from netlab.servers.eventloop import EventLoopServer
from netlab.servers.load import ClientScript, LoadReport, run_load
from netlab.servers.threaded import ThreadPoolServer

DESIGNS = ("thread pool", "event loop")


def make_server(design: str, *, pool_size: int = 4, backlog: int = 511,
                block_s: float = 0.2) -> ThreadPoolServer | EventLoopServer:
    """Return a (not yet started) server of the given design."""
    check_choice("design", design, DESIGNS)
    if design == "thread pool":
        return ThreadPoolServer(pool_size=pool_size, backlog=backlog, block_s=block_s)
    return EventLoopServer(backlog=backlog, block_s=block_s)


@dataclass(frozen=True)
class IdleResult:
    """N idle keep-alive connections held open against one design."""

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
        """Resident memory growth per connection, in KiB."""
        return self.rss_growth_bytes / 1024 / self.connections


def measure_idle(design: str, connections: int, *, pool_size: int | None = None,
                 isolated: bool = True) -> IdleResult:
    """Open ``connections`` keep-alive clients, one request each, and hold them idle."""
    check_choice("design", design, DESIGNS)
    check_int("connections", connections, min_value=1, max_value=2000)
    if pool_size is not None:
        check_int("pool_size", pool_size, min_value=1, max_value=2000)
    if isolated:
        args = json.dumps([design, connections, pool_size])
        code = "import sys; from netlab.servers.experiments import _idle_main; _idle_main()"
        done = subprocess.run([sys.executable, "-c", code, args], capture_output=True,
                              text=True, timeout=30, check=True)
        return IdleResult(**json.loads(done.stdout))
    pool = connections if pool_size is None else pool_size
    rss_before, threads_before = rss_bytes(), thread_count()
    with make_server(design, pool_size=pool) as server:
        report = run_load(server, [ClientScript(hold=True)] * connections, time_limit_s=10.0,
                          settle_s=0.5)
    snap = report.snapshot
    if snap is None:
        raise RuntimeError("the clients never settled within the time limit")
    return IdleResult(design=design, connections=connections,
                      pool_size=pool if design == "thread pool" else None,
                      threads=snap.threads - threads_before, answered=snap.answered,
                      waiting=snap.waiting, rss_growth_bytes=snap.rss_bytes - rss_before)


def _idle_main() -> None:
    design, connections, pool_size = json.loads(sys.argv[1])
    result = measure_idle(design, connections, pool_size=pool_size, isolated=False)
    print(json.dumps(asdict(result)))


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


def measure_saturation(design: str, *, idle_connections: int, requests: int = 4,
                       pool_size: int = 4, backlog: int = 511,
                       settle_s: float = 0.3) -> SaturationResult:
    """Hold ``idle_connections`` open, send ``requests`` one-shot requests; count those that waited.

    A fresh request *waited* when it was answered only after the idle clients were released,
    which happens once every client is answered or has waited ``settle_s`` without progress.
    """
    check_int("idle_connections", idle_connections, min_value=0, max_value=2000)
    check_int("requests", requests, min_value=1, max_value=200)
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


def knee_sweep(design: str, connection_counts: list[int], *, pool_size: int = 4,
               hold_s: float = 0.3) -> list[int]:
    """For each N: N clients connect at once and hold; how many were answered only on release."""
    check_float("hold_s", hold_s, min_value=0.05, max_value=2.0)
    waited = []
    for count in connection_counts:
        check_int("connection count", count, min_value=1, max_value=500)
        with make_server(design, pool_size=pool_size) as server:
            report = run_load(server, [ClientScript(hold=True)] * count, time_limit_s=10.0,
                              settle_s=hold_s)
        waited.append(report.answered_after_release)
    return waited


@dataclass(frozen=True)
class BlockingResult:
    """One ``/block`` request, then ``others`` plain requests while it blocks."""

    design: str
    others: int
    answered: int
    waited: int
    blocking_calls: int


def measure_blocking(design: str, *, others: int = 8, block_s: float = 0.5) -> BlockingResult:
    """Send ``/block``; once the handler is blocking, send ``others`` GET / and count waits.

    A plain request *waited* when the server did not answer it while the blocking call ran.
    """
    check_int("others", others, min_value=1, max_value=200)
    check_float("block_s", block_s, min_value=0.1, max_value=5.0)
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
