"""Baselines for netlab.tcpinfo."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fuzz_harness import Baseline

from netlab.loopback import tcp_pair


@contextmanager
def _connected() -> Iterator[dict[str, Any]]:
    with tcp_pair() as (client, _server):
        yield {"sock": client}


BASELINES = {
    "parse_tcp_info": Baseline(args=(bytes(104),)),
    "tcp_info": Baseline(fixture=_connected),
}
