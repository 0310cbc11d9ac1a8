"""A real HTTP/3 server (aioquic) on 127.0.0.1, every datagram recorded.

The server runs in the caller's asyncio loop, so a notebook can ``await`` it; the
client side is in :mod:`netlab.quic.session`. Each end's transport is wrapped so that
every UDP datagram is logged when it is sent and when it is received (size and QUIC
packet types); no root and no packet capture. The server also keeps aioquic's own
qlog trace of every connection (:class:`aioquic.quic.logger.QuicLogger`), which names
the frames inside the encrypted packets.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Annotated, Any

from aioquic.asyncio.protocol import QuicConnectionProtocol
from aioquic.asyncio.server import serve
from aioquic.buffer import Buffer, BufferReadError
from aioquic.h3.connection import H3_ALPN, H3Connection
from aioquic.h3.events import H3Event, HeadersReceived
from aioquic.quic.configuration import QuicConfiguration
from aioquic.quic.connection import QuicConnection
from aioquic.quic.events import HandshakeCompleted, ProtocolNegotiated, QuicEvent
from aioquic.quic.logger import QuicLogger
from aioquic.quic.packet import QuicPacketType, pull_quic_header
from aioquic.tls import SessionTicket
from pydantic import Field

from netlab._validate import public, result
from netlab.testca import TestCA, make_test_ca

LOOPBACK = "127.0.0.1"
PACKET_NAMES = {QuicPacketType.INITIAL: "Initial", QuicPacketType.ZERO_RTT: "0-RTT",
                QuicPacketType.HANDSHAKE: "Handshake", QuicPacketType.RETRY: "Retry",
                QuicPacketType.ONE_RTT: "1-RTT",
                QuicPacketType.VERSION_NEGOTIATION: "VersionNegotiation"}
CID_BYTES = 8  # aioquic's connection ID length, needed to read short headers
KNOWN_VERSIONS = (0x00000001, 0x6B3343CF)  # QUIC v1 (RFC 9000), v2 (RFC 9369)
Datagram = Annotated[bytes, Field(max_length=65_527)]  # RFC 9000 §18.2 max_udp_payload_size


@public
def packet_types(datagram: Datagram) -> tuple[str, ...]:
    """The QUIC packets coalesced in one UDP datagram (RFC 9000 §12.2), by type name.

    A long header of a version this reader does not know is named by its version
    (``"Initial(v0x1a2a3a4a)"``); its type bits are version-specific (RFC 8999 §5.1).
    """
    buf = Buffer(data=datagram)
    names: list[str] = []
    while not buf.eof():
        start = buf.tell()
        if not any(datagram[start:]):  # zero bytes after the last packet pad the datagram
            names.append("padding")
            break
        try:
            header = pull_quic_header(buf, host_cid_length=CID_BYTES)
        except (ValueError, BufferReadError) as exc:
            raise ValueError(f"datagram: no QUIC packet at byte {start}: {exc}") from None
        name = PACKET_NAMES[header.packet_type]
        if header.version and header.version not in KNOWN_VERSIONS:
            name = f"long header (version {header.version:#010x})"
        names.append(name)
        if header.packet_type in (QuicPacketType.RETRY, QuicPacketType.VERSION_NEGOTIATION):
            break  # neither has a Length field: it runs to the end of the datagram
        buf.seek(start + header.packet_length)
    return tuple(names)


@result
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
    connection: int = field(default=-1, repr=False)  # the client session, -1 if unknown


class Recorder:
    """Collects events from every connection in the order the event loop saw them."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.owners: dict[int, int] = {}  # client port -> client session number

    def register(self, port: int) -> int:
        """Give a new client session a number and remember its port."""
        number = len(set(self.owners.values()))
        self.owners[port] = number
        return number

    def add(self, kind: str, role: str, client_port: int, data: bytes = b"",
            label: str = "") -> None:
        """Append one event."""
        try:
            packets = packet_types(data) if data else ()
        except ValueError:
            packets = ("unreadable",)
        self.events.append(Event(len(self.events), kind, role, client_port, len(data),
                                 packets, label, bytes(data),
                                 self.owners.get(client_port, -1)))


class RecordingTransport:
    """Wraps a datagram transport so that ``sendto`` is logged first."""

    def __init__(self, inner: asyncio.DatagramTransport, recorder: Recorder, role: str,
                 local_port: int) -> None:
        self.inner, self._recorder, self._role, self.local_port = (
            inner, recorder, role, local_port)

    def sendto(self, data: bytes, addr: Any = None) -> None:
        port = self.local_port if self._role == "client" else addr[1]
        self._recorder.add("send", self._role, port, data)
        self.inner.sendto(data, addr)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


@result
@dataclass(frozen=True)
class Response:
    """What the client got back on one request stream."""

    stream_id: int
    path: str
    status: int
    body_bytes: int


@result
@dataclass(frozen=True)
class HandledRequest:
    """A request the server answered, and whether it came before its handshake finished."""

    path: str
    stream_id: int
    early: bool


class H3Protocol(QuicConnectionProtocol):
    """Shared by both ends: records datagrams and feeds QUIC events to an H3Connection."""

    def __init__(self, quic: QuicConnection, stream_handler: Any = None, *,
                 recorder: Recorder, role: str) -> None:
        super().__init__(quic, stream_handler)
        self.recorder, self.role = recorder, role
        self.client_port = 0
        self.number = -1  # the client session's number in the recorder
        self.http = H3Connection(quic) if role == "client" else None
        self.handshake: HandshakeCompleted | None = None
        self.terminated: QuicEvent | None = None

    def connection_made(self, transport: Any) -> None:
        if self.role == "server":  # the server's socket is wrapped once, in h3_server
            super().connection_made(transport)
            return
        self.client_port = transport.get_extra_info("sockname")[1]
        self.number = self.recorder.register(self.client_port)
        super().connection_made(RecordingTransport(transport, self.recorder, self.role,
                                                   self.client_port))

    def datagram_received(self, data: bytes | str, addr: Any) -> None:
        if self.role == "client":  # the server records what arrives before dispatching it
            self.recorder.add("receive", self.role, self.client_port, bytes(data))
        super().datagram_received(data, addr)

    def quic_event_received(self, event: QuicEvent) -> None:
        if isinstance(event, HandshakeCompleted):
            self.handshake = event
        if type(event).__name__ == "ConnectionTerminated":
            self.terminated = event
        if self.http is None and isinstance(event, ProtocolNegotiated):
            self.http = H3Connection(self._quic)
        if self.http is not None:
            for http_event in self.http.handle_event(event):
                self.http_event_received(http_event)

    def http_event_received(self, event: H3Event) -> None:
        """Overridden by each end."""


class _ServerProtocol(H3Protocol):
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
            # no transmit() here: the protocol sends once every event of the datagram
            # has been handled, so responses to requests that arrive together share packets


@public
class TicketStore:
    """The server's session tickets; ``single_use`` deletes a ticket when it is used.

    One dict in this process: every server instance given the same store sees the same
    tickets at once, which is what makes single use trivial here. Replicas on different
    machines need a shared store with an atomic delete, or must refuse 0-RTT.
    """

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


@result
@dataclass
class H3Server:
    """A running HTTP/3 server on 127.0.0.1: its port, trace, tickets and answered requests."""

    port: int
    pki: TestCA
    recorder: Recorder
    tickets: TicketStore
    handled: list[HandledRequest]
    timeout_s: float
    qlog: QuicLogger = field(default_factory=QuicLogger, repr=False)
    retry: bool = False
    endpoint: Any = field(default=None, repr=False)  # aioquic's QuicServer


def _record_server(server: Any, recorder: Recorder) -> None:
    """Wrap aioquic's QuicServer so that it records what it sends and receives itself.

    The QuicServer answers some datagrams without a connection (Version Negotiation,
    Retry) and drops others (unknown connection IDs); recording at its socket sees them.
    """
    server._transport = RecordingTransport(server._transport, recorder, "server", 0)  # noqa: SLF001
    dispatch = server.datagram_received

    def receive(data: bytes, addr: Any) -> None:
        recorder.add("receive", "server", addr[1], bytes(data))
        dispatch(data, addr)

    server.datagram_received = receive


@asynccontextmanager
@public
async def h3_server(*, single_use_tickets: bool = True,
                    padding_names: Annotated[int, Field(ge=0, le=2000)] = 0,
                    body_bytes: Annotated[int, Field(ge=1, le=10_000_000)] = 1000,
                    timeout_s: Annotated[float, Field(gt=0, le=60)] = 5.0,
                    pki: TestCA | None = None,
                    tickets: TicketStore | None = None,
                    retry: bool = False,
                    idle_timeout_s: Annotated[float, Field(gt=0, le=600)] = 60.0,
                    port: Annotated[int, Field(ge=0, le=65535)] = 0,
                    recorder: Recorder | None = None,
                    graceful: bool = True) -> AsyncIterator[H3Server]:
    """Run an HTTP/3 server on 127.0.0.1 until the block ends (port 0: the kernel picks one).

    Passing the ``pki`` and ``tickets`` of an earlier server starts another instance of
    the same site (same certificate, same session-ticket store), as behind a load
    balancer; passing its ``port`` and ``recorder`` too restarts it in place, with
    none of the old instance's connection state. ``retry`` makes the server answer
    every new client Initial with a Retry packet first (RFC 9000 §8.1.2). With
    ``graceful`` false the server ends like a crashed process: its socket closes and
    its connections vanish without a CONNECTION_CLOSE.
    """
    pki = pki or localhost_ca(padding_names=padding_names)
    tickets = tickets or TicketStore(single_use=single_use_tickets)
    recorder, handled, qlog = recorder or Recorder(), [], QuicLogger()
    config = QuicConfiguration(is_client=False, alpn_protocols=H3_ALPN,
                               certificate=pki.server.cert, private_key=pki.server.key,
                               certificate_chain=list(pki.chain[1:]), quic_logger=qlog,
                               idle_timeout=idle_timeout_s)
    factory = partial(_ServerProtocol, recorder=recorder, role="server", handled=handled,
                      body_bytes=body_bytes)
    try:
        server = await serve(LOOPBACK, port, configuration=config, create_protocol=factory,
                             session_ticket_fetcher=tickets.fetch,
                             session_ticket_handler=tickets.add, retry=retry)
    except OSError as exc:
        raise ValueError(f"port: cannot bind 127.0.0.1:{port}: {exc.strerror}") from None
    _record_server(server, recorder)
    try:
        bound = server._transport.get_extra_info("sockname")[1]  # noqa: SLF001
        yield H3Server(bound, pki, recorder, tickets, handled, timeout_s, qlog, retry, server)
    finally:
        if graceful:
            server.close()
        else:
            for protocol in set(server._protocols.values()):  # noqa: SLF001
                if protocol._timer is not None:  # noqa: SLF001 - the process is gone:
                    protocol._timer.cancel()  # noqa: SLF001 - no timer fires, nothing is sent
                    protocol._timer = None  # noqa: SLF001
            server._transport.close()  # noqa: SLF001
        await asyncio.sleep(0)
