"""DNS servers on loopback addresses: UDP and TCP on one port, every message recorded.

Each server binds its own 127.0.0.x address (all of 127.0.0.0/8 is the loopback
network, RFC 1122 §3.2.1.3; Linux routes it all to ``lo``) on a port the kernel picks,
UDP and TCP on the same port number as DNS uses one port for both (RFC 1035 §4.2).
Where an extra loopback address cannot be bound (macOS has only 127.0.0.1 unless
aliases are added), the server falls back to 127.0.0.1 and keeps its lab address as a
name: :class:`Network` maps every lab address to where its server really listens.

Servers run ``socketserver`` threads, handle TCP with the two-byte length prefix of
RFC 1035 §4.2.2 (several queries per connection, RFC 7766 §6.2.1), and stop when their
``with`` block ends.
"""

from __future__ import annotations

import contextlib
import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import dns.exception
import dns.message

LOOPBACK = "127.0.0.1"
PORT_TRIES = 20
TCP_IDLE_S = 2.0

Handler = Callable[[dns.message.Message, str], tuple[str, bytes]]


@dataclass(frozen=True)
class Message:
    """One DNS message a server received or sent."""

    index: int
    server: str  # the role of the server: root, tld, shop, resolver
    direction: str  # "in" (query received) or "out" (response sent)
    transport: str  # "udp" or "tcp"
    wire: bytes = field(repr=False)
    kind: str = ""  # for responses: answer, referral, nxdomain, nodata, ...

    @property
    def size_bytes(self) -> int:
        """Size of the DNS message (without TCP's two-byte length prefix)."""
        return len(self.wire)


class Recorder:
    """Every message every server saw, in the order they saw them (thread-safe)."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self._lock = threading.Lock()

    def add(self, server: str, direction: str, transport: str, wire: bytes, kind: str = "") -> None:
        """Append one message."""
        with self._lock:
            self.messages.append(Message(len(self.messages), server, direction, transport,
                                         bytes(wire), kind))

    def mark(self) -> int:
        """How many messages there are now, to read only the later ones with :meth:`since`."""
        with self._lock:
            return len(self.messages)

    def since(self, mark: int) -> list[Message]:
        """The messages recorded after ``mark``."""
        with self._lock:
            return list(self.messages[mark:])


@dataclass(frozen=True)
class Endpoint:
    """Where a server with a lab address really listens."""

    address: str  # the lab address that zones and referrals use
    host: str  # the address bound (the lab address, or 127.0.0.1 as a fallback)
    port: int


@dataclass
class Network:
    """The lab's address book: lab address -> endpoint. The one thing real DNS does not need."""

    endpoints: dict[str, Endpoint] = field(default_factory=dict)

    def endpoint(self, address: str) -> Endpoint:
        """Where the server known as ``address`` listens; KeyError if there is none."""
        return self.endpoints[address]


def _serve(handler: Handler, server: str, recorder: Recorder, wire: bytes, transport: str) -> bytes | None:
    recorder.add(server, "in", transport, wire)
    try:
        query = dns.message.from_wire(wire)
    except dns.exception.DNSException:
        return None  # not a DNS query: drop it, as servers do with garbage
    kind, answer = handler(query, transport)
    recorder.add(server, "out", transport, answer, kind)
    return answer


def _udp_class(handler: Handler, server: str, recorder: Recorder) -> type:
    class UdpHandler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            data, sock = self.request
            answer = _serve(handler, server, recorder, data, "udp")
            if answer is not None:
                sock.sendto(answer, self.client_address)
    return UdpHandler


def _recv_exactly(sock: socket.socket, size: int) -> bytes | None:
    """``size`` bytes, or None if the peer closed first (MSG_WAITALL waits for all of them)."""
    data = sock.recv(size, socket.MSG_WAITALL) if size else b""
    return data if len(data) == size else None


def _tcp_class(handler: Handler, server: str, recorder: Recorder) -> type:
    class TcpHandler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            sock: socket.socket = self.request
            sock.settimeout(TCP_IDLE_S)
            with contextlib.suppress(OSError):
                for _ in range(100):  # bounded: a lab connection carries a few queries
                    prefix = _recv_exactly(sock, 2)
                    if prefix is None:
                        return
                    wire = _recv_exactly(sock, int.from_bytes(prefix, "big"))
                    if wire is None:
                        return
                    answer = _serve(handler, server, recorder, wire, "tcp")
                    if answer is None:
                        return
                    sock.sendall(len(answer).to_bytes(2, "big") + answer)
    return TcpHandler


class _UDPServer(socketserver.ThreadingUDPServer):
    daemon_threads = True
    allow_reuse_address = False


class _TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = False


def _bind_pair(host: str, udp: type, tcp: type) -> tuple[_UDPServer, _TCPServer]:
    for _ in range(PORT_TRIES):
        udp_server = _UDPServer((host, 0), udp)
        port = udp_server.server_address[1]
        try:
            return udp_server, _TCPServer((host, port), tcp)
        except OSError:  # that TCP port is taken: try another UDP port
            udp_server.server_close()
    raise OSError(f"no port free for both UDP and TCP on {host} after {PORT_TRIES} tries")


@contextlib.contextmanager
def dns_server(address: str, role: str, handler: Handler, recorder: Recorder,
               network: Network) -> Iterator[Endpoint]:
    """Serve ``handler`` on ``address`` (UDP and TCP, one port) until the block ends."""
    udp, tcp = _udp_class(handler, role, recorder), _tcp_class(handler, role, recorder)
    try:
        servers = _bind_pair(address, udp, tcp)
        host = address
    except OSError:  # no such loopback address on this system
        servers = _bind_pair(LOOPBACK, udp, tcp)
        host = LOOPBACK
    endpoint = Endpoint(address, host, servers[0].server_address[1])
    threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.05},
                                name=f"dns-{role}-{kind}", daemon=True)
               for s, kind in zip(servers, ("udp", "tcp"), strict=True)]
    for thread in threads:
        thread.start()
    network.endpoints[address] = endpoint
    try:
        yield endpoint
    finally:
        network.endpoints.pop(address, None)
        for s in servers:
            s.shutdown()
            s.server_close()
        for thread in threads:
            thread.join(timeout=2.0)
