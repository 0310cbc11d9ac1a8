"""Baselines for netlab.quic: a valid call of each callable with required arguments.

The callables that talk to a server get a live aioquic server on 127.0.0.1, running in
its own event loop on a thread for the whole of one callable's fuzzing, since every
fuzzed call of an async function runs in a fresh loop (``asyncio.run``). The trace
readers get a small hand-made exchange; ``run_sync`` gets a coroutine that can be run
again and again. InvalidTag (a packet that fails its AEAD tag) and TimeoutError (a
coroutine that outlives ``timeout_s``) are the domain errors.
"""

from __future__ import annotations

import asyncio
import collections.abc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from cryptography.exceptions import InvalidTag
from fuzz_harness import Baseline

from netlab.quic import (
    RFC9001_CLIENT_INITIAL,
    RFC9001_DCID,
    Event,
    Exchange,
    Frame,
    StreamLimitReport,
    crypto_stream,
    decrypt_initial,
    h3_server,
    http3_get,
)


@contextmanager
def live_server() -> Iterator[dict[str, Any]]:
    """An HTTP/3 server on 127.0.0.1 in a loop on its own thread, stopped at the end."""
    loop = asyncio.new_event_loop()
    started, box = threading.Event(), {}

    async def serve() -> None:
        box["stop"] = asyncio.Event()
        async with h3_server(timeout_s=2.0) as server:
            box["server"] = server
            started.set()
            await box["stop"].wait()

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    if not started.wait(10):
        raise RuntimeError("the fuzz fixture's HTTP/3 server did not start")
    try:
        yield {"server": box["server"]}
    finally:
        loop.call_soon_threadsafe(box["stop"].set)
        thread.join(10)
        loop.close()


@contextmanager
def replay_target() -> Iterator[dict[str, Any]]:
    """A live server and a captured 0-RTT exchange with it, for replay_first_flight."""
    with live_server() as extra:
        server = extra["server"]
        first = asyncio.run(http3_get(server, ["/"]))
        early = asyncio.run(http3_get(server, ["/pay"], ticket=first.ticket, early_data=True))
        yield {"target": server, "exchange": early}


class ReusableCoroutine(collections.abc.Coroutine):
    """A coroutine that can be run any number of times: each run is a fresh sleep(0)."""

    def __init__(self) -> None:
        self._inner: Any = None

    def __await__(self) -> Any:
        return self

    def __iter__(self) -> Any:
        return self

    def __next__(self) -> Any:
        return self.send(None)

    def send(self, value: Any) -> Any:
        if self._inner is None:
            self._inner = asyncio.sleep(0, result="done").__await__()
        try:
            return self._inner.send(value)
        except StopIteration:
            self._inner = None
            raise

    def throw(self, *args: Any) -> Any:
        inner, self._inner = self._inner, None
        if inner is None:
            raise args[0] if isinstance(args[0], BaseException) else args[0]()
        return inner.throw(*args)

    def close(self) -> None:
        self._inner = None


def _exchange() -> Exchange:
    """A hand-made exchange: ClientHello, the server's flight, then the request marker."""
    events = [Event(0, "send", "client", 1, 1200, ("Initial", "padding"), "", b"a"),
              Event(1, "receive", "server", 1, 1200, ("Initial", "padding"), "", b"a"),
              Event(2, "send", "server", 1, 1200, ("Initial", "Handshake"), "", b"b"),
              Event(3, "receive", "client", 1, 1200, ("Initial", "Handshake"), "", b"b"),
              Event(4, "mark", "client", 1, 0, (), "request /", b"")]
    return Exchange(events=events, alpn="h3", session_resumed=False,
                    early_data_accepted=False, responses=[])


EXCHANGE = _exchange()
HELLO = crypto_stream(decrypt_initial(RFC9001_CLIENT_INITIAL).frames)
REPORT = StreamLimitReport(requests=1, advertised_max_streams_bidi=128,
                           first_stream_that_waited=None, client_sent_streams_blocked=False,
                           server_raised_limit=False, answered=1)

BASELINES = {
    "packet_types": Baseline(args=(RFC9001_CLIENT_INITIAL,)),
    "TicketStore": Baseline(kwargs={"single_use": True}),
    "stream_limit_experiment": Baseline(kwargs={"requests": 2}),
    "flow_control_experiment": Baseline(args=(20_000,)),
    "h3_client": Baseline(fixture=live_server),
    "http3_get": Baseline(fixture=live_server),
    "replay_first_flight": Baseline(fixture=replay_target),
    "run_sync": Baseline(args=(ReusableCoroutine(),), domain_errors=(TimeoutError,)),
    "simulate_hol": Baseline(args=("tcp",)),
    "hkdf_expand_label": Baseline(args=(bytes(range(32)), "quic key", 16)),
    "initial_secrets": Baseline(args=(RFC9001_DCID,)),
    "header_protection_mask": Baseline(args=(bytes(16), bytes(16))),
    "decrypt_initial": Baseline(args=(RFC9001_CLIENT_INITIAL,), domain_errors=(InvalidTag,)),
    "parse_frames": Baseline(args=(b"\x01",)),
    "crypto_stream": Baseline(args=([Frame("CRYPTO", 4, 0, b"ab")],)),
    "dissect_client_hello": Baseline(args=(HELLO,)),
    "client_hello_summary": Baseline(args=(HELLO,)),
    "tls_messages": Baseline(args=(b"\x16\x03\x01\x00\x00",)),
    "format_initial_secrets": Baseline(args=("8394c8f03e515708",)),
    "hol_sweep": Baseline(args=([0.0, 0.05],), kwargs={"streams": 2, "seeds": 2}),
    "scheduling_sweep": Baseline(args=([0.01],),
                                 kwargs={"segments_per_stream": 8, "seeds": 2}),
    "round_trips_before_request": Baseline(args=(EXCHANGE,)),
    "request_before_server": Baseline(args=(EXCHANGE,)),
    "datagram_rows": Baseline(args=(EXCHANGE,)),
    "flights": Baseline(args=(EXCHANGE,)),
    "amplification": Baseline(args=(EXCHANGE,)),
    "first_datagram": Baseline(args=(EXCHANGE,)),
    "lifecycle_table": Baseline(args=(REPORT,)),
}
