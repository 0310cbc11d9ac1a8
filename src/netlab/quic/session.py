"""The client side: an aioquic HTTP/3 client on 127.0.0.1, one session per connection.

:func:`h3_client` opens a connection to a server of :mod:`netlab.quic.h3`, sends its
first requests as early as the handshake allows (in the client's Finished flight, or
in 0-RTT packets with a ticket), and then lets the caller act on the live
connection: more requests, a key update (RFC 9001 §6), a move to a new UDP port
(NAT rebinding or migration, RFC 9000 §9), an idle wait. :func:`http3_get` is the
one-shot form. Every datagram goes into the server's recorder, and both ends keep
aioquic's qlog trace, so what happened inside the encrypted packets can be read.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import socket
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from typing import Annotated, Any

from aioquic.h3.connection import H3_ALPN
from aioquic.h3.events import DataReceived, H3Event, HeadersReceived
from aioquic.quic.configuration import QuicConfiguration
from aioquic.quic.connection import QuicConnection
from aioquic.quic.events import HandshakeCompleted, QuicEvent
from aioquic.quic.logger import QuicLogger
from aioquic.tls import SessionTicket
from pydantic import Field

from netlab._validate import public, result
from netlab.quic.h3 import LOOPBACK, Event, H3Protocol, H3Server, RecordingTransport, Response

H3_NO_ERROR = 0x100  # RFC 9114 §8.1: the connection is closed with no error
Path = Annotated[str, Field(pattern=r"^/", max_length=2000)]
Paths = Annotated[Sequence[Path], Field(min_length=1, max_length=1000)]
Timeout = Annotated[float, Field(gt=0, le=60)]
Version = Annotated[int, Field(ge=1, le=2**32 - 1)]


class _ClientProtocol(H3Protocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.waiters: dict[int, asyncio.Future[Response]] = {}
        self.partial: dict[int, list[Any]] = {}
        self.pending: list[str] = []
        self.sent: asyncio.Future[list[asyncio.Future[Response]]] = (
            asyncio.get_running_loop().create_future())
        self.terminated_event = asyncio.Event()

    def quic_event_received(self, event: QuicEvent) -> None:
        super().quic_event_received(event)
        if isinstance(event, HandshakeCompleted) and self.pending and not self.sent.done():
            # ask as soon as the handshake allows: the GET leaves with the client's Finished
            self.sent.set_result([self.send_get(path) for path in self.pending])
        if self.terminated is not None:
            self.terminated_event.set()
            for waiter in self.waiters.values():
                if not waiter.done():
                    waiter.cancel()

    def send_get(self, path: str) -> asyncio.Future[Response]:
        """Send one GET on a new bidirectional stream; the future resolves with the response."""
        assert self.http is not None
        stream_id = self._quic.get_next_available_stream_id()
        self.http.send_headers(stream_id, [(b":method", b"GET"), (b":scheme", b"https"),
                                           (b":authority", b"localhost"),
                                           (b":path", path.encode())], end_stream=True)
        self.recorder.add("mark", "client", self.client_port, label=f"request {path}")
        self.partial[stream_id] = [path, 0, 0]
        self.waiters[stream_id] = asyncio.get_running_loop().create_future()
        return self.waiters[stream_id]

    def http_event_received(self, event: H3Event) -> None:
        state = self.partial.get(getattr(event, "stream_id", -1))
        if state is None:
            return
        if isinstance(event, HeadersReceived):
            state[1] = int(dict(event.headers)[b":status"])
        elif isinstance(event, DataReceived):
            state[2] += len(event.data)
        if event.stream_ended and not self.waiters[event.stream_id].done():
            self.waiters[event.stream_id].set_result(
                Response(event.stream_id, state[0], state[1], state[2]))

    def use_transport(self, transport: asyncio.DatagramTransport) -> None:
        """Send from another local socket from now on (the old one is the caller's to close)."""
        self.client_port = transport.get_extra_info("sockname")[1]
        self.recorder.owners[self.client_port] = self.number
        self._transport = RecordingTransport(transport, self.recorder, "client",
                                             self.client_port)


class _Forwarder(asyncio.DatagramProtocol):
    """Hands what a new local socket receives to the client protocol."""

    def __init__(self, target: _ClientProtocol) -> None:
        self.target = target

    def datagram_received(self, data: bytes, addr: Any) -> None:
        self.target.datagram_received(data, addr)


def trace_events(logger: QuicLogger, odcid: bytes | None = None) -> list[dict[str, Any]]:
    """The qlog events of one connection of ``logger`` (the one with this original DCID)."""
    traces = logger.to_dict()["traces"]
    for trace in traces:
        if odcid is None or trace["common_fields"]["ODCID"] == odcid.hex():
            return list(trace["events"])
    return []


def frames(events: list[dict[str, Any]], direction: str,
           frame_type: str | None = None) -> list[dict[str, Any]]:
    """Frames of the packets an end sent or received, in order, with the packet's type."""
    wanted = f"transport:packet_{direction}"
    found = []
    for event in events:
        if event["name"] != wanted:
            continue
        for frame in event["data"].get("frames") or []:
            if frame_type is None or frame["frame_type"] == frame_type:
                found.append({**frame,
                              "packet_type": event["data"]["header"].get("packet_type", "")})
    return found


@result
@dataclass
class Exchange:
    """One client connection: its trace, the negotiated ALPN, resumption and responses."""

    events: list[Event]
    alpn: str | None
    session_resumed: bool
    early_data_accepted: bool
    responses: list[Response]
    ticket: SessionTicket | None = field(default=None, repr=False)
    client_qlog: list[dict[str, Any]] = field(default_factory=list, repr=False)
    server_qlog: list[dict[str, Any]] = field(default_factory=list, repr=False)
    terminated: Any = field(default=None, repr=False)

    @property
    def datagrams(self) -> list[Event]:
        """Only the 'send' events: each UDP datagram once, in the order it left."""
        return [e for e in self.events if e.kind == "send"]


@result
class H3Client:
    """A live client connection, made by :func:`h3_client`; its methods act on it."""

    def __init__(self, server: H3Server, protocol: _ClientProtocol,
                 transport: asyncio.DatagramTransport, qlog: QuicLogger) -> None:
        self.server, self.protocol, self.qlog = server, protocol, qlog
        self.transports = [transport]
        self.responses: list[Response] = []
        self.tickets: list[SessionTicket] = []
        self.number = protocol.number

    @property
    def quic(self) -> QuicConnection:
        """aioquic's connection object (sans-IO state machine) of this client."""
        return self.protocol._quic  # noqa: SLF001

    async def get(self, paths: list[str] | tuple[str, ...]) -> list[Response]:
        """Send a GET per path on new streams now, and wait for every response."""
        futures = [self.protocol.send_get(path) for path in paths]
        self.protocol.transmit()
        responses = await asyncio.wait_for(asyncio.gather(*futures), self.server.timeout_s)
        self.responses += responses
        return list(responses)

    async def key_update(self) -> None:
        """Switch to the next 1-RTT keys (RFC 9001 §6); the next packets use them."""
        self.quic.request_key_update()
        self.protocol.transmit()
        await asyncio.sleep(0)

    async def rebind(self, *, new_connection_id: bool) -> None:
        """Continue from a new local UDP port, as after NAT rebinding or a network change.

        With ``new_connection_id`` the client also switches to an unused connection ID
        the server issued (RFC 9000 §9.5), as a client that migrates on purpose does.
        """
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(
            partial(_Forwarder, self.protocol), local_addr=(LOOPBACK, 0),
            family=socket.AF_INET)
        old = self.transports[-1]
        self.transports.append(transport)
        if new_connection_id:
            self.quic.change_connection_id()
        self.protocol.use_transport(transport)
        old.close()  # packets to the old port now go nowhere, as behind a NAT that moved

    async def wait_terminated(self, timeout_s: float) -> Any:
        """Wait until the connection ends by itself (idle timeout); its termination event."""
        try:
            await asyncio.wait_for(self.protocol.terminated_event.wait(), timeout_s)
        except TimeoutError:
            return None
        return self.protocol.terminated

    def exchange(self) -> Exchange:
        """Everything recorded for this connection so far."""
        shake = self.protocol.handshake
        odcid = self.quic.original_destination_connection_id
        return Exchange(events=[e for e in self.server.recorder.events
                                if e.connection == self.number],
                        alpn=shake.alpn_protocol if shake else None,
                        session_resumed=bool(shake and shake.session_resumed),
                        early_data_accepted=bool(shake and shake.early_data_accepted),
                        responses=sorted(self.responses, key=lambda r: r.stream_id),
                        ticket=self.tickets[-1] if self.tickets else None,
                        client_qlog=trace_events(self.qlog),
                        server_qlog=trace_events(self.server.qlog, odcid),
                        terminated=self.protocol.terminated)


def _configuration(server: H3Server, ticket: SessionTicket | None, qlog: QuicLogger,
                   options: dict[str, Any]) -> QuicConfiguration:
    config = QuicConfiguration(is_client=True, alpn_protocols=H3_ALPN, server_name="localhost",
                               session_ticket=ticket, quic_logger=qlog,
                               idle_timeout=options["idle_timeout_s"],
                               max_data=options["max_data"],
                               max_stream_data=options["max_stream_data"])
    if options["version"] is not None:  # start with it; fall back to v1 or v2 if refused
        config.original_version = options["version"]
        config.supported_versions = [options["version"]] + [
            v for v in config.supported_versions if v != options["version"]]
    config.load_verify_locations(cadata=server.pki.trust_pem_bytes)  # aioquic wants bytes
    return config


@asynccontextmanager
@public
async def h3_client(server: H3Server, paths: Paths = ("/",), *,
                    ticket: SessionTicket | None = None, early_data: bool = False,
                    idle_timeout_s: Timeout = 60.0,
                    max_data: Annotated[int, Field(ge=1200, le=2**30)] = 1_048_576,
                    max_stream_data: Annotated[int, Field(ge=1200, le=2**30)] = 1_048_576,
                    version: Version | None = None,
                    close: bool = True) -> AsyncIterator[H3Client]:
    """Connect to ``server``, GET ``paths`` as early as allowed, and hand over the connection.

    ``version`` sets the QUIC version of the first Initial (0x1a2a3a4a, a reserved
    version, makes the server answer with Version Negotiation; 0x6b3343cf is QUIC v2).
    At the end of the block the client closes the connection with H3_NO_ERROR, unless
    ``close`` is false (then it just stops, as a client that vanished).
    """
    if early_data and ticket is None:
        raise ValueError("early_data: needs a ticket from an earlier connection")
    qlog = QuicLogger()
    options = {"idle_timeout_s": idle_timeout_s, "max_data": max_data,
               "max_stream_data": max_stream_data, "version": version}
    tickets: list[SessionTicket] = []
    connection = QuicConnection(configuration=_configuration(server, ticket, qlog, options),
                                session_ticket_handler=tickets.append)
    loop = asyncio.get_running_loop()
    factory: Callable[[], _ClientProtocol] = partial(
        _ClientProtocol, connection, recorder=server.recorder, role="client")
    transport, protocol = await loop.create_datagram_endpoint(
        factory, local_addr=(LOOPBACK, 0), family=socket.AF_INET)
    client = H3Client(server, protocol, transport, qlog)
    client.tickets = tickets
    started = False
    try:
        if early_data:
            protocol.connect((LOOPBACK, server.port), transmit=False)
            started = True
            futures = [protocol.send_get(p) for p in paths]
            protocol.transmit()
        else:
            protocol.pending = list(paths)
            started = True
            protocol.connect((LOOPBACK, server.port))
            futures = await asyncio.wait_for(protocol.sent, server.timeout_s)
        client.responses += await asyncio.wait_for(asyncio.gather(*futures), server.timeout_s)
        yield client
    finally:
        if close and started and protocol.terminated is None:
            connection.close(error_code=H3_NO_ERROR)
            protocol.transmit()
            with suppress(TimeoutError):
                await asyncio.wait_for(protocol.wait_closed(), server.timeout_s)
        for used in client.transports:
            used.close()
        await asyncio.sleep(0)


@public
async def http3_get(server: H3Server, paths: Paths = ("/",), *,
                    ticket: SessionTicket | None = None,
                    early_data: bool = False) -> Exchange:
    """Connect to ``server``, GET every path on its own stream, close, and return the trace."""
    async with h3_client(server, paths, ticket=ticket, early_data=early_data) as client:
        for _ in range(100):  # the server sends its ticket just after the handshake
            if client.tickets:
                break
            await asyncio.sleep(0.005)
    return client.exchange()


@public
async def replay_first_flight(target: H3Server, exchange: Exchange) -> list[Any]:
    """Resend, from a new port, the client datagrams sent before the server's first reply.

    This is what an on-path attacker can do with a captured 0-RTT flight: it cannot read
    it, but it can send it again. Returns the requests ``target`` answered because of it.
    """
    flight: list[bytes] = []
    for event in exchange.datagrams:
        if event.role == "server":
            break
        flight.append(event.data)
    if not flight:
        raise ValueError("exchange: has no client datagram before the server's first reply")
    before = len(target.handled)
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(
        asyncio.DatagramProtocol, local_addr=(LOOPBACK, 0), family=socket.AF_INET)
    try:
        port = transport.get_extra_info("sockname")[1]
        for datagram in flight:
            transport.sendto(datagram, (LOOPBACK, target.port))
        for _ in range(int(target.timeout_s / 0.005)):  # bounded wait for the server
            seen = [e for e in target.recorder.events
                    if e.kind == "receive" and e.client_port == port]
            if len(seen) >= len(flight):
                break
            await asyncio.sleep(0.005)
        await asyncio.sleep(0.01)
    finally:
        transport.close()
    return target.handled[before:]


@public
def run_sync(coro: Any, *, timeout_s: Annotated[float, Field(gt=0, le=600)] = 30.0) -> Any:
    """Run a coroutine to completion in a fresh event loop on a worker thread.

    For callers that are not coroutines, such as an ipywidgets callback inside a
    notebook whose own loop is already running.
    """
    if not asyncio.iscoroutine(coro):
        if hasattr(coro, "close"):
            coro.close()
        raise ValueError(f"coro: must be a coroutine, got {type(coro).__name__}")
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, asyncio.wait_for(coro, timeout_s)).result()
