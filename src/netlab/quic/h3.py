"""A real HTTP/3 server and client (aioquic) on 127.0.0.1, every datagram recorded.

Both ends run in the caller's asyncio loop, so a notebook can ``await`` them. Each
end's transport is wrapped so that every UDP datagram is logged when it is sent and
when it is received (size and QUIC packet types); no root and no packet capture.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Annotated, Any

from aioquic.asyncio.protocol import QuicConnectionProtocol
from aioquic.asyncio.server import serve
from aioquic.buffer import Buffer
from aioquic.h3.connection import H3_ALPN, H3Connection
from aioquic.h3.events import DataReceived, H3Event, HeadersReceived
from aioquic.quic.configuration import QuicConfiguration
from aioquic.quic.connection import QuicConnection
from aioquic.quic.events import HandshakeCompleted, ProtocolNegotiated, QuicEvent
from aioquic.quic.packet import QuicPacketType, pull_quic_header
from aioquic.tls import SessionTicket
from pydantic import Field

from netlab._check import check_int, check_positive
from netlab._validate import public
from netlab.testca import TestCA, make_test_ca

LOOPBACK = "127.0.0.1"
PACKET_NAMES = {QuicPacketType.INITIAL: "Initial", QuicPacketType.ZERO_RTT: "0-RTT",
                QuicPacketType.HANDSHAKE: "Handshake", QuicPacketType.RETRY: "Retry",
                QuicPacketType.ONE_RTT: "1-RTT",
                QuicPacketType.VERSION_NEGOTIATION: "VersionNegotiation"}
CID_BYTES = 8  # aioquic's connection ID length, needed to read short headers


def packet_types(datagram: bytes) -> tuple[str, ...]:
    """The QUIC packets coalesced in one UDP datagram (RFC 9000 §12.2), by type name."""
    buf = Buffer(data=datagram)
    names: list[str] = []
    while not buf.eof():
        start = buf.tell()
        if not any(datagram[start:]):  # zero bytes after the last packet pad the datagram
            names.append("padding")
            break
        header = pull_quic_header(buf, host_cid_length=CID_BYTES)
        names.append(PACKET_NAMES[header.packet_type])
        buf.seek(start + header.packet_length)
    return tuple(names)


@dataclass(frozen=True)
class Event:
    """One line of the trace: a datagram sent or received, or a marker such as 'request'."""

    index: int
    kind: str  # "send", "receive" or "mark"
    role: str  # "client" or "server": who sent it, who received it, or who marked
    client_port: int = field(repr=False)
    size_bytes: int = 0
    packets: tuple[str, ...] = ()
    label: str = ""
    data: bytes = field(default=b"", repr=False)


class Recorder:
    """Collects events from every connection in the order the event loop saw them."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def add(self, kind: str, role: str, client_port: int, data: bytes = b"",
            label: str = "") -> None:
        """Append one event."""
        packets = packet_types(data) if data else ()
        self.events.append(Event(len(self.events), kind, role, client_port, len(data),
                                 packets, label, bytes(data)))


class _RecordingTransport:
    """Wraps a datagram transport so that ``sendto`` is logged first."""

    def __init__(self, inner: asyncio.DatagramTransport, recorder: Recorder, role: str,
                 local_port: int) -> None:
        self._inner, self._recorder, self._role, self._local_port = (
            inner, recorder, role, local_port)

    def sendto(self, data: bytes, addr: Any = None) -> None:
        port = self._local_port if self._role == "client" else addr[1]
        self._recorder.add("send", self._role, port, data)
        self._inner.sendto(data, addr)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@dataclass(frozen=True)
class Response:
    """What the client got back on one request stream."""

    stream_id: int
    path: str
    status: int
    body_bytes: int


@dataclass(frozen=True)
class HandledRequest:
    """A request the server answered, and whether it came before its handshake finished."""

    path: str
    stream_id: int
    early: bool


class _H3Protocol(QuicConnectionProtocol):
    """Shared by both ends: records datagrams and feeds QUIC events to an H3Connection."""

    def __init__(self, quic: QuicConnection, stream_handler: Any = None, *,
                 recorder: Recorder, role: str) -> None:
        super().__init__(quic, stream_handler)
        self.recorder, self.role = recorder, role
        self.client_port = 0
        self.http = H3Connection(quic) if role == "client" else None
        self.handshake: HandshakeCompleted | None = None

    def connection_made(self, transport: Any) -> None:
        if self.role == "client":
            self.client_port = transport.get_extra_info("sockname")[1]
        super().connection_made(_RecordingTransport(transport, self.recorder, self.role,
                                                    self.client_port))

    def datagram_received(self, data: bytes | str, addr: Any) -> None:
        port = self.client_port if self.role == "client" else addr[1]
        self.recorder.add("receive", self.role, port, bytes(data))
        super().datagram_received(data, addr)

    def quic_event_received(self, event: QuicEvent) -> None:
        if isinstance(event, HandshakeCompleted):
            self.handshake = event
        if self.http is None and isinstance(event, ProtocolNegotiated):
            self.http = H3Connection(self._quic)
        if self.http is not None:
            for http_event in self.http.handle_event(event):
                self.http_event_received(http_event)

    def http_event_received(self, event: H3Event) -> None:
        """Overridden by each end."""


class _ServerProtocol(_H3Protocol):
    def __init__(self, *args: Any, handled: list[HandledRequest], body_bytes: int,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.handled, self.body_bytes = handled, body_bytes

    def http_event_received(self, event: H3Event) -> None:
        if isinstance(event, HeadersReceived) and self.http is not None:
            path = dict(event.headers).get(b":path", b"/").decode()
            self.handled.append(HandledRequest(path, event.stream_id, self.handshake is None))
            body = (path.encode() + b"\n") * max(1, self.body_bytes // (len(path) + 1))
            self.http.send_headers(event.stream_id, [(b":status", b"200"),
                                                     (b"content-type", b"text/plain")])
            self.http.send_data(event.stream_id, body, end_stream=True)
            self.transmit()


class _ClientProtocol(_H3Protocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.waiters: dict[int, asyncio.Future[Response]] = {}
        self.partial: dict[int, list[Any]] = {}
        self.pending: list[str] = []
        self.sent: asyncio.Future[list[asyncio.Future[Response]]] = (
            asyncio.get_running_loop().create_future())

    def quic_event_received(self, event: QuicEvent) -> None:
        super().quic_event_received(event)
        if isinstance(event, HandshakeCompleted) and self.pending and not self.sent.done():
            # ask as soon as the handshake allows: the GET leaves with the client's Finished
            self.sent.set_result([self.send_get(path) for path in self.pending])

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


class TicketStore:
    """The server's session tickets; ``single_use`` deletes a ticket when it is used."""

    def __init__(self, *, single_use: bool) -> None:
        self.single_use = single_use
        self.tickets: dict[bytes, SessionTicket] = {}

    def add(self, ticket: SessionTicket) -> None:
        """Remember a ticket the server issued."""
        self.tickets[ticket.ticket] = ticket

    def fetch(self, label: bytes) -> SessionTicket | None:
        """Find the ticket a client presents (and forget it if tickets are single-use)."""
        return self.tickets.pop(label, None) if self.single_use else self.tickets.get(label)


@public
def localhost_ca(*, padding_names: Annotated[int, Field(ge=0, le=2000)] = 0) -> TestCA:
    """The site's test CA: an ECDSA P-256 root signing ``localhost`` + 127.0.0.1 directly.

    ``padding_names`` extra DNS names make the certificate large enough for the server's
    first flight to hit QUIC's anti-amplification limit (RFC 9000 §8.1).
    """
    return make_test_ca(("localhost",), ip_addresses=("127.0.0.1",), key_type="ecdsa-p256",
                        intermediate=False, padding_names=padding_names)


@dataclass
class H3Server:
    """A running HTTP/3 server on 127.0.0.1: its port, trace, tickets and answered requests."""

    port: int
    pki: TestCA
    recorder: Recorder
    tickets: TicketStore
    handled: list[HandledRequest]
    timeout_s: float


@asynccontextmanager
async def h3_server(*, single_use_tickets: bool = True, padding_names: int = 0,
                    body_bytes: int = 1000, timeout_s: float = 5.0,
                    pki: TestCA | None = None,
                    tickets: TicketStore | None = None) -> AsyncIterator[H3Server]:
    """Run an HTTP/3 server on 127.0.0.1 (ephemeral port) until the block ends.

    Passing the ``pki`` and ``tickets`` of an earlier server starts another instance of
    the same site (same certificate, same session-ticket store), as behind a load balancer.
    """
    check_int("body_bytes", body_bytes, min_value=1, max_value=1_000_000)
    check_int("padding_names", padding_names, min_value=0, max_value=2000)
    check_positive("timeout_s", timeout_s)
    if pki is not None and not isinstance(pki, TestCA):
        raise ValueError(f"pki must be a TestCA, got {type(pki).__name__}")
    if tickets is not None and not isinstance(tickets, TicketStore):
        raise ValueError(f"tickets must be a TicketStore, got {type(tickets).__name__}")
    pki = pki or localhost_ca(padding_names=padding_names)
    tickets = tickets or TicketStore(single_use=single_use_tickets)
    recorder, handled = Recorder(), []
    config = QuicConfiguration(is_client=False, alpn_protocols=H3_ALPN,
                               certificate=pki.server.cert, private_key=pki.server.key,
                               certificate_chain=list(pki.chain[1:]))
    factory = partial(_ServerProtocol, recorder=recorder, role="server", handled=handled,
                      body_bytes=body_bytes)
    server = await serve(LOOPBACK, 0, configuration=config, create_protocol=factory,
                         session_ticket_fetcher=tickets.fetch,
                         session_ticket_handler=tickets.add)
    try:
        port = server._transport.get_extra_info("sockname")[1]  # noqa: SLF001
        yield H3Server(port, pki, recorder, tickets, handled, timeout_s)
    finally:
        server.close()
        await asyncio.sleep(0)


@dataclass
class Exchange:
    """One client connection: its trace, the negotiated ALPN, resumption and responses."""

    events: list[Event]
    alpn: str | None
    session_resumed: bool
    early_data_accepted: bool
    responses: list[Response]
    ticket: SessionTicket | None = field(default=None, repr=False)

    @property
    def datagrams(self) -> list[Event]:
        """Only the 'send' events: each UDP datagram once, in the order it left."""
        return [e for e in self.events if e.kind == "send"]


async def http3_get(server: H3Server, paths: list[str] | tuple[str, ...] = ("/",), *,
                    ticket: SessionTicket | None = None,
                    early_data: bool = False) -> Exchange:
    """Connect to ``server``, GET every path on its own stream, close, and return the trace."""
    if not paths or not all(isinstance(p, str) and p.startswith("/") for p in paths):
        raise ValueError("paths must be a non-empty list of strings starting with '/'")
    if early_data and ticket is None:
        raise ValueError("early_data needs a ticket from an earlier connection")
    tickets: list[SessionTicket] = []
    config = QuicConfiguration(is_client=True, alpn_protocols=H3_ALPN, server_name="localhost",
                               session_ticket=ticket)
    config.load_verify_locations(cadata=server.pki.trust_pem_bytes)  # aioquic wants bytes
    connection = QuicConnection(configuration=config, session_ticket_handler=tickets.append)
    loop = asyncio.get_running_loop()
    factory: Callable[[], _ClientProtocol] = partial(
        _ClientProtocol, connection, recorder=server.recorder, role="client")
    transport, protocol = await loop.create_datagram_endpoint(
        factory, local_addr=(LOOPBACK, 0), family=socket.AF_INET)
    try:
        if early_data:
            protocol.connect((LOOPBACK, server.port), transmit=False)
            futures = [protocol.send_get(p) for p in paths]
            protocol.transmit()
        else:
            protocol.pending = list(paths)
            protocol.connect((LOOPBACK, server.port))
            futures = await asyncio.wait_for(protocol.sent, server.timeout_s)
        responses = await asyncio.wait_for(asyncio.gather(*futures), server.timeout_s)
        for _ in range(100):  # the server sends its ticket just after the handshake
            if tickets:
                break
            await asyncio.sleep(0.005)
    finally:
        protocol.close()
        try:
            await asyncio.wait_for(protocol.wait_closed(), server.timeout_s)
        finally:
            transport.close()
    port = protocol.client_port
    shake = protocol.handshake
    return Exchange(events=[e for e in server.recorder.events if e.client_port == port],
                    alpn=shake.alpn_protocol if shake else None,
                    session_resumed=bool(shake and shake.session_resumed),
                    early_data_accepted=bool(shake and shake.early_data_accepted),
                    responses=sorted(responses, key=lambda r: r.stream_id),
                    ticket=tickets[-1] if tickets else None)


async def replay_first_flight(target: H3Server, exchange: Exchange) -> list[HandledRequest]:
    """Resend, from a new port, the client datagrams sent before the server's first reply.

    This is what an on-path attacker can do with a captured 0-RTT flight: it cannot read
    it, but it can send it again. Returns the requests ``target`` answered because of it.
    """
    if not isinstance(target, H3Server):
        raise ValueError(f"target must be an H3Server, got {type(target).__name__}")
    flight: list[bytes] = []
    for event in exchange.datagrams:
        if event.role == "server":
            break
        flight.append(event.data)
    if not flight:
        raise ValueError("exchange has no client datagram before the server's first reply")
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


def run_sync(coro: Any, *, timeout_s: float = 30.0) -> Any:
    """Run a coroutine to completion in a fresh event loop on a worker thread.

    For callers that are not coroutines, such as an ipywidgets callback inside a
    notebook whose own loop is already running.
    """
    check_positive("timeout_s", timeout_s)
    if not asyncio.iscoroutine(coro):
        raise ValueError(f"coro must be a coroutine, got {type(coro).__name__}")
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, asyncio.wait_for(coro, timeout_s)).result()
