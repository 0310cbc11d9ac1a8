"""Capacity arithmetic from the servers' own documentation, as small functions.

Each is the formula a document gives, so a check against it is arithmetic, not evidence:
- Apache httpd 2.4's event MPM (``AsyncRequestWorkerFactor``): a process accepts new
  connections while it has fewer than ThreadsPerChild + AsyncRequestWorkerFactor × idle
  workers, so the server holds about that many × ServerLimit;
- Apache's *Performance Tuning*: MaxRequestWorkers no larger than the RAM left for
  httpd divided by the size of one child, or the machine swaps;
- Little's law: connections open at once = arrival rate × time each stays open.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from netlab._validate import public

__all__ = ["concurrent_connections", "event_mpm_max_connections", "max_workers_for_ram"]


@public
def event_mpm_max_connections(*, threads_per_child: Annotated[int, Field(ge=1, le=100_000)] = 25,
                              server_limit: Annotated[int, Field(ge=1, le=200_000)] = 16,
                              async_request_worker_factor: Annotated[float, Field(gt=0, le=100)]
                              = 2.0,
                              idle_workers: Annotated[float, Field(ge=0, le=100_000)] | None
                              = None) -> float:
    """Connections the event MPM holds: (ThreadsPerChild + factor × idle workers) × ServerLimit.

    ``idle_workers`` is the average per process; None means all of them idle, which gives
    (factor + 1) × MaxRequestWorkers when MaxRequestWorkers = ServerLimit × ThreadsPerChild.
    """
    idle = threads_per_child if idle_workers is None else idle_workers
    if idle > threads_per_child:
        raise ValueError(f"idle_workers must be <= threads_per_child ({threads_per_child}), "
                         f"got {idle:g}")
    return (threads_per_child + async_request_worker_factor * idle) * server_limit


@public
def max_workers_for_ram(*, ram_bytes: Annotated[int, Field(gt=0, le=2**50)],
                        per_worker_bytes: Annotated[int, Field(gt=0, le=2**40)],
                        reserved_bytes: Annotated[int, Field(ge=0, le=2**50)] = 0) -> int:
    """The largest MaxRequestWorkers that fits in RAM: (RAM - reserved) // size of one worker."""
    if reserved_bytes >= ram_bytes:
        raise ValueError(f"reserved_bytes must be < ram_bytes ({ram_bytes}), got {reserved_bytes}")
    return (ram_bytes - reserved_bytes) // per_worker_bytes


@public
def concurrent_connections(*, arrival_rate_per_s: Annotated[float, Field(ge=0, le=1e9)],
                           open_s: Annotated[float, Field(ge=0, le=1e6)]) -> float:
    """Little's law: connections open at once when ``arrival_rate_per_s`` stay ``open_s`` each."""
    return arrival_rate_per_s * open_s
