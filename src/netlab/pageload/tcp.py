"""One visit over TCP + TLS + HTTP/1.1 or HTTP/2, counted flight by flight on loopback.

A real TCP connection to the address DNS returned, real TLS on both ends (Python's
``ssl`` over ``MemoryBIO``), h11 or h2 above it. The two ends take turns: the browser
sends everything it can, then must wait for the server's next flight. Each wait is one
round trip, and it is the libraries that decide when the browser may go on: OpenSSL
when the handshake lets it send, h11 and h2 when the response has arrived. TCP's own
handshake is the round trip ``connect()`` waits for (RFC 9293 §3.5).
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from netlab._validate import public, result
from netlab.pageload.http import CLIENTS, SERVERS, alt_svc
from netlab.pageload.site import SERVER_NAME, Site
from netlab.quic import tls_messages

TIMEOUT_S = 5.0
MAX_FLIGHTS = 8


def _loopback(text: str) -> str:
    try:
        ok = ipaddress.ip_address(text) in ipaddress.ip_network("127.0.0.0/8")
    except ValueError:
        ok = False
    if not ok:
        raise ValueError("must be an IPv4 address in 127.0.0.0/8 (the labs stay on loopback)")
    return text


#: An IPv4 loopback address, as the lab's DNS returns for www.shop.test.
Address = Annotated[str, AfterValidator(_loopback)]


@result
@dataclass(frozen=True)
class Flight:
    """What one side sent before it had to wait for the other."""

    sender: str  # "browser" or "server"
    what: str


@result
@dataclass(frozen=True)
class TcpVisit:
    """One connection: its flights, the round trips of each phase, what was negotiated."""

    http: str
    tls_version: str
    alpn: str | None
    flights: tuple[Flight, ...]
    round_trips: dict[str, int]  # "TCP", "TLS", "HTTP": the waits in each phase
    status: int | None
    alt_svc: str
    session_reused: bool
    session: Any = None  # the TLS session the browser may resume next time

    @property
    def to_first_byte(self) -> int:
        """Round trips from the SYN to the first byte of the response."""
        return sum(self.round_trips.values())


def _recv_exactly(sock: socket.socket, size: int) -> bytes:
    data = sock.recv(size, socket.MSG_WAITALL) if size else b""  # waits for all of the flight
    if len(data) < size:
        raise ConnectionError("the peer closed the connection mid-flight")
    return data


def _drain(tls: ssl.SSLObject) -> bytes:
    data = b""
    with contextlib.suppress(ssl.SSLWantReadError, ssl.SSLZeroReturnError):
        for _ in range(64):
            chunk = tls.read(65536)
            if not chunk:
                break
            data += chunk
    return data


def _try_handshake(tls: ssl.SSLObject) -> bool:
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        return False
    return True


def _name(data: bytes, extra: str) -> str:
    names = tls_messages(data) if data else ""
    return f"{names} + {extra}" if extra else names


@public
def visit_over_tcp(site: Site, address: Address = "127.0.0.1", *,
                   http: Annotated[str, Field(pattern="^(http/1.1|h2)$")] = "h2",
                   tls_version: Annotated[str, Field(pattern=r"^1\.[23]$")] = "1.3",
                   session: Any = None, h3_port: Annotated[int, Field(ge=1, le=65535)] = 443
                   ) -> TcpVisit:
    """Connect to ``address``, negotiate TLS and ALPN, GET / over ``http``; count round trips.

    ``session`` is a TLS session from an earlier visit with the same settings, to resume.
    ``h3_port`` is what the server's Alt-Svc header announces.
    """
    client_ctx = site.browser_context(tls_version, http)
    if session is not None and not isinstance(session, ssl.SSLSession):
        raise ValueError(f"visit_over_tcp: session: must be an ssl.SSLSession from an earlier "
                         f"visit, got {type(session).__name__}")
    flights = [Flight("browser", "SYN"), Flight("server", "SYN-ACK")]
    phases = {"TCP": 1, "TLS": 0, "HTTP": 0}
    with contextlib.ExitStack() as stack:
        listener = stack.enter_context(socket.create_server((address, 0)))
        listener.settimeout(TIMEOUT_S)
        port = listener.getsockname()[1]
        browser_sock = stack.enter_context(socket.create_connection((address, port),
                                                                    timeout=TIMEOUT_S))
        server_sock = stack.enter_context(listener.accept()[0])
        server_sock.settimeout(TIMEOUT_S)
        bios = [ssl.MemoryBIO() for _ in range(4)]
        browser = client_ctx.wrap_bio(bios[0], bios[1], server_hostname=SERVER_NAME,
                                      session=session)
        server = site.server_context(tls_version).wrap_bio(bios[2], bios[3], server_side=True)
        app_client = app_server = None
        for _ in range(MAX_FLIGHTS):
            mark = ""
            if _try_handshake(browser) and app_client is None:
                alpn = browser.selected_alpn_protocol() or "http/1.1"
                app_client = CLIENTS[alpn](SERVER_NAME)
                browser.write(app_client.request())  # leaves with the browser's last flight
                mark = "HTTP request"
            out = bios[1].read()
            browser_sock.sendall(out)
            flights.append(Flight("browser", _name(out, mark)))
            bios[2].write(_recv_exactly(server_sock, len(out)))
            mark = ""
            if _try_handshake(server):
                if app_server is None:
                    alpn = server.selected_alpn_protocol() or "http/1.1"
                    app_server = SERVERS[alpn](alt_svc(h3_port))
                before = app_server.responses
                answer = app_server.feed(_drain(server))
                if answer:
                    server.write(answer)
                    mark = "HTTP response" if app_server.responses > before else "HTTP/2 SETTINGS"
            reply = bios[3].read()
            server_sock.sendall(reply)
            flights.append(Flight("server", _name(reply, mark)))
            bios[0].write(_recv_exactly(browser_sock, len(reply)))
            phases["HTTP" if app_client is not None else "TLS"] += 1
            if app_client is not None:
                app_client.feed(_drain(browser))
                if app_client.status is not None:
                    break
        else:
            raise RuntimeError(f"no response after {MAX_FLIGHTS} flights")
        return TcpVisit(http=app_client.protocol, tls_version=browser.version() or "",
                        alpn=browser.selected_alpn_protocol(), flights=tuple(flights),
                        round_trips=phases, status=app_client.status,
                        alt_svc=app_client.headers.get("alt-svc", ""),
                        session_reused=browser.session_reused, session=browser.session)
