"""Baselines for netlab.servers: a valid call of each callable with required arguments.

Calls that need a running server (``run_load``, ``fetch``) get one from a fixture: an
event loop on 127.0.0.1 for the duration of the fuzzing. The loopback experiments are
given their smallest sizes, so that each valid call takes a fraction of a second.
"""

from contextlib import contextmanager

from fuzz_harness import Baseline

from netlab.servers import (
    BlockingResult,
    ClientScript,
    EventLoopServer,
    FdLimitResult,
    IdleResult,
    ModelConfig,
    SaturationResult,
    SlowlorisResult,
)


@contextmanager
def running_server():
    with EventLoopServer() as server:
        yield {"server": server}


CONFIG = ModelConfig(connections=20, requests_per_connection=2, think_s=0.01)
IDLE = IdleResult("event loop", 2, None, 1, 2, 0, 4096)
SATURATION = SaturationResult("event loop", None, 0, 1, 1, 0, 0, 0)
BLOCKING = BlockingResult("event loop", 1, 1, 1, 1)
FD = FdLimitResult("event loop", 2, 1, 1, 1, True, 2, 0)
SLOW = SlowlorisResult("event loop", None, 5.0, 1, 0, 1, 1, 1)

BASELINES = {
    "app": Baseline(args=("/",)),
    "HttpSession": Baseline(kwargs={"server_name": "fuzz"}),
    "ServerProcess": Baseline(args=("event loop",)),
    "ensure_fd_limit": Baseline(args=(64,)),
    "run_load": Baseline(kwargs={"scripts": [ClientScript()], "time_limit_s": 2.0},
                         fixture=running_server),
    "fetch": Baseline(fixture=running_server),
    "measure_idle": Baseline(args=("event loop", 2)),
    "measure_saturation": Baseline(args=("event loop",),
                                   kwargs={"idle_connections": 0, "requests": 1,
                                           "settle_s": 0.05}),
    "measure_blocking": Baseline(args=("event loop",), kwargs={"others": 1, "block_s": 0.1}),
    "measure_fd_limit": Baseline(args=("event loop",), kwargs={"clients": 2, "spare_fds": 1}),
    "measure_slowloris": Baseline(args=("event loop",),
                                  kwargs={"slow_clients": 1, "legit": 1, "attack_s": 0.5}),
    "knee_sweep": Baseline(args=("event loop", [1]), kwargs={"hold_s": 0.05}),
    "make_server": Baseline(args=("event loop",)),
    "idle_table": Baseline(args=([IDLE],)),
    "saturation_table": Baseline(args=([SATURATION],)),
    "blocking_table": Baseline(args=([BLOCKING],)),
    "fd_limit_table": Baseline(args=([FD],)),
    "slowloris_table": Baseline(args=([SLOW],)),
    "knee_table": Baseline(args=([1, 2], {"a": [0, 0]})),
    "plot_knee": Baseline(args=([1, 2], {"a": [0, 0]}), kwargs={"pool_size": 1}),
    "plot_load_sweep": Baseline(args=([1.0, 2.0], {"a": [0.1, 0.2]}, {"a": 1.5})),
    "show_idle": Baseline(kwargs={"connections": 2, "pool_size": 2}),
    "show_saturation": Baseline(kwargs={"idle_connections": 0, "pool_size": 1}),
    "show_model": Baseline(kwargs={"pool_size": 5, "rate_per_s": 5.0}),
    "simulate": Baseline(args=(CONFIG,)),
    "load_sweep": Baseline(args=(CONFIG, [5.0])),
    "saturation_rate_per_s": Baseline(args=(CONFIG,)),
    "model_knee": Baseline(args=("event loop", [1, 2])),
    "model_blocking": Baseline(args=("event loop",), kwargs={"others": 2, "block_s": 0.1}),
    "model_backlog": Baseline(),
    "max_workers_for_ram": Baseline(kwargs={"ram_bytes": 2**30, "per_worker_bytes": 2**20}),
    "concurrent_connections": Baseline(kwargs={"arrival_rate_per_s": 10.0, "open_s": 1.0}),
    "accept_queue": Baseline(kwargs={"backlog": 1, "clients": 1}),
    "herd_wakeups": Baseline(kwargs={"waiters": 1}),
    "reuseport_spread": Baseline(kwargs={"listeners": 2, "connections": 2}),
}
