"""Ready-made scripts for the state-machine lab, and the diagrams the book draws from them.

Every diagram here is computed from a simulated run, so the picture on the page and the
table in the lab are the same trace.
"""

from __future__ import annotations

import random
from typing import Annotated

from netlab._validate import Seed, one_of, public
from netlab.tables import format_table
from netlab.tcp.link import Call, Trace, sequence_diagram_mermaid, simulate, trace_table

WALKTHROUGH_SEED = 7
_OPEN = [Call(0.0, "server", "listen"), Call(0.0, "client", "connect")]

#: Named scripts: open, some data, and the different ways of closing.
SCRIPTS: dict[str, list[Call]] = {
    "client closes first": _OPEN + [
        Call(0.5, "client", "send", b"GET / HTTP/1.1\r\n\r\n"),
        Call(1.0, "server", "send", b"HTTP/1.1 200 OK\r\n\r\n"),
        Call(1.5, "client", "close"), Call(2.0, "server", "close")],
    "server closes first": _OPEN + [
        Call(0.5, "client", "send", b"GET / HTTP/1.0\r\n\r\n"),
        Call(1.0, "server", "send", b"HTTP/1.0 200 OK\r\n\r\n"),
        Call(1.5, "server", "close"), Call(2.0, "client", "close")],
    "simultaneous close": _OPEN + [
        Call(1.0, "client", "close"), Call(1.0, "server", "close")],
    "half-close": _OPEN + [
        Call(0.5, "client", "send", b"upload"), Call(1.0, "client", "close"),
        Call(1.5, "server", "send", b"result"), Call(2.0, "server", "close")],
    "abort (RST)": _OPEN + [Call(0.5, "client", "send", b"hi"), Call(1.0, "server", "abort")],
}


ScriptName = Annotated[str, one_of(SCRIPTS)]


@public
def random_isns(seed: Seed) -> tuple[int, int]:
    """Two 32-bit initial sequence numbers drawn from ``random.Random(seed)``."""
    rng = random.Random(seed)
    return rng.getrandbits(32), rng.getrandbits(32)


@public
def run_script(name: ScriptName, *, seed: Seed = WALKTHROUGH_SEED) -> Trace:
    """Simulate one of :data:`SCRIPTS` with ISNs drawn from ``seed``."""
    client_isn, server_isn = random_isns(seed)
    return simulate(SCRIPTS[name], client_isn=client_isn, server_isn=server_isn)


@public
def show_script(name: ScriptName, *, seed: Seed = WALKTHROUGH_SEED) -> str:
    """The trace table of one script, as text."""
    return format_table(trace_table(run_script(name, seed=seed)))


@public
def walkthrough_sequence_mermaid() -> str:
    """Sequence diagram of the open, request, response and close that the lab tabulates."""
    return sequence_diagram_mermaid(run_script("client closes first"))


@public
def server_closes_first_mermaid() -> str:
    """Sequence diagram of an HTTP/1.0-style exchange where the server closes first."""
    return sequence_diagram_mermaid(run_script("server closes first"))


@public
def simultaneous_close_mermaid() -> str:
    """Sequence diagram of both sides closing at once: both pass through CLOSING."""
    return sequence_diagram_mermaid(run_script("simultaneous close"))
