"""HTTPS over TCP on loopback, for comparison: round trips before the first request.

The TLS handshake runs through ``ssl.MemoryBIO`` over a real TCP connection from
``netlab.loopback.tcp_pair``, one flight at a time, so each flight can be counted.
TCP's own handshake is one round trip (SYN, SYN-ACK; the client may send data with
the third segment, RFC 9293 §3.5): ``connect()`` returns only after the SYN-ACK.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field
from scapy.layers.tls.record import TLS
from scapy.packet import Raw

from netlab._validate import public, result
from netlab.loopback import tcp_pair
from netlab.quic.h3 import localhost_ca
from netlab.testca import TestCA

TLS_VERSIONS = {"1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}
REQUEST = b"GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"


@result
@dataclass(frozen=True)
class TcpTlsExchange:
    """Flights of one HTTPS connection and the round trips before the request left."""

    tls_version: str
    flights: tuple[tuple[str, str], ...]
    round_trips: int
    request_received: bool


@public
def tls_messages(data: Annotated[bytes, Field(max_length=2**20)]) -> str:
    """Name the TLS messages in a flight with scapy; records after ChangeCipherSpec are encrypted."""
    try:
        return _tls_messages(data)
    except Exception as exc:  # noqa: BLE001 - scapy raises many types on junk
        raise ValueError(f"data: not readable as TLS records: {exc}") from None


def _tls_messages(data: bytes) -> str:
    names: list[str] = []
    encrypted = False  # after ChangeCipherSpec, a record's bytes are ciphertext, whatever they look like
    layer = TLS(data) if data else None
    while layer is not None and not isinstance(layer, Raw) and layer.name != "NoPayload":
        messages = [type(m).__name__.removeprefix("TLS") for m in getattr(layer, "msg", [])]
        if encrypted or "ApplicationData" in messages or "Raw" in messages:
            names.append("encrypted")
        else:
            names += messages
        encrypted = encrypted or "ChangeCipherSpec" in messages
        layer = layer.payload
    if isinstance(layer, Raw):
        names.append("encrypted")
    return ", ".join(names)


def _recv_exactly(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise ConnectionError("peer closed the connection during the handshake")
        data += chunk
    return data


def _contexts(pki: TestCA, version: ssl.TLSVersion,
              folder: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    (folder / "cert.pem").write_text(pki.chain_pem)
    (folder / "key.pem").write_text(pki.server.key_pem)
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    client = ssl.create_default_context(cadata=pki.trust_pem)  # ssl wants str
    for ctx in (server, client):
        ctx.minimum_version = ctx.maximum_version = version
    return client, server


@public
def https_over_tcp(tls_version: Literal["1.2", "1.3"] = "1.3", *,
                   pki: TestCA | None = None) -> TcpTlsExchange:
    """Connect over TCP, run TLS ``tls_version`` flight by flight, send a GET; count round trips.

    The client waits for the server's Finished before it sends the GET: with TLS 1.2
    that is three round trips. A client using False Start (RFC 7918) would send the
    GET with its own Finished, one round trip earlier; Python's ``ssl`` does not.
    """
    pki = pki or localhost_ca()
    with tempfile.TemporaryDirectory() as tmp, tcp_pair() as (client_sock, server_sock):
        client_ctx, server_ctx = _contexts(pki, TLS_VERSIONS[tls_version], Path(tmp))
        flights = [("client", "SYN"), ("server", "SYN-ACK")]  # what connect() waited for
        round_trips = 1
        c_in, c_out, s_in, s_out = (ssl.MemoryBIO() for _ in range(4))
        client = client_ctx.wrap_bio(c_in, c_out, server_hostname="localhost")
        server = server_ctx.wrap_bio(s_in, s_out, server_side=True)
        for _ in range(6):  # a TLS handshake needs at most 3 client flights
            try:
                client.do_handshake()
                done = True
            except ssl.SSLWantReadError:
                done = False
            if done:
                client.write(REQUEST)  # leaves together with the client's last flight
            flight = c_out.read()
            client_sock.sendall(flight)
            flights.append(("client", tls_messages(flight)))
            s_in.write(_recv_exactly(server_sock, len(flight)))
            if done:
                break
            with contextlib.suppress(ssl.SSLWantReadError):
                server.do_handshake()
            reply = s_out.read()
            server_sock.sendall(reply)
            flights.append(("server", tls_messages(reply)))
            c_in.write(_recv_exactly(client_sock, len(reply)))
            round_trips += 1
        else:
            raise RuntimeError("TLS handshake did not finish in 6 flights")
        server.do_handshake()
        request_received = server.read(len(REQUEST)) == REQUEST
        return TcpTlsExchange(client.version() or "", tuple(flights), round_trips,
                              request_received)
