"""A complete TLS handshake in memory with Python's ``ssl``, recorded flight by flight.

Client and server are two ``ssl.SSLObject`` instances joined by ``ssl.MemoryBIO``
pairs instead of a socket: whatever one side writes is handed to the other, so
every byte of the handshake can be kept and dissected. This is the sans-IO way
of running a real TLS stack (OpenSSL) with no network at all.

What the client offers (groups, key shares, padding) is the linked OpenSSL's
default: OpenSSL 3.0 and OpenSSL >= 3.5 differ there, so sizes are never part of
what the labs compare. Options:

* ``key_exchange="rsa"`` (TLS 1.2 only) restricts both sides to
  TLS_RSA_WITH_AES_128_GCM_SHA256, the RSA key transport TLS 1.3 removed;
* ``request`` makes the client send application data after the handshake and the
  server answer with a fixed response, both recorded;
* ``mtls`` makes the server require a client certificate from the test CA
  (CertificateRequest, RFC 8446 §4.3.2), which the client presents or not.
"""

from __future__ import annotations

import contextlib
import functools
import ssl
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from netlab._validate import ArgumentError, public, result
from netlab.testca import HostName, TestCA, make_test_ca
from netlab.tls.dissect import CLIENT_TO_SERVER, SERVER_TO_CLIENT, Flight, dissect_flights

VERSIONS = {"1.3": ssl.TLSVersion.TLSv1_3, "1.2": ssl.TLSVersion.TLSv1_2}
Version = Literal["1.3", "1.2"]
DEFAULT_SERVER_NAME = "www.example.test"
#: the one static-RSA suite the labs negotiate (OpenSSL's name; IANA TLS_RSA_WITH_AES_128_GCM_SHA256)
RSA_SUITE = "AES128-GCM-SHA256"
#: what the server answers to any request (application data, TLS record type 23)
RESPONSE = b"HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nhi\n"
MTLS_MODES = ("off", "client sends a certificate", "client sends none")
_MAX_STEPS = 12  # a full handshake needs 4 flights; this bounds a confused exchange
_CLIENT_NAME = "client.example.test"


@result
@dataclass(frozen=True)
class HandshakeTrace:
    """What one handshake did: its flights, what was negotiated, how it ended."""

    requested_version: str
    server_name: str
    flights: tuple[Flight, ...]
    completed: bool
    round_trips: int | None
    version: str | None
    cipher: str | None
    alpn: str | None
    resumed: bool
    verify_code: int | None
    verify_message: str | None
    #: the OpenSSL that ran it (machine-dependent: never printed by the labs)
    library: str = field(default="", repr=False, compare=False)
    #: what the server read as application data, and what the client read back
    request: bytes = b""
    response: bytes = b""
    #: the client's NSS key log of this test session (what Wireshark reads to decrypt)
    keylog: str = field(default="", repr=False, compare=False)

    def message_rows(self) -> list[dict[str, object]]:
        """One row per protocol message: flight, direction, name, and whether it was in clear."""
        return [{"flight": f.index + 1, "direction": f.direction, "message": m,
                 "in clear": not r.encrypted}
                for f in self.flights for r in f.records for m in r.messages]

    def clear_messages(self) -> list[str]:
        """Handshake messages an on-path observer can read without any key."""
        return [str(row["message"]) for row in self.message_rows()
                if row["in clear"] and row["message"] not in ("ChangeCipherSpec",
                                                               "ApplicationData")]

    def raw_flights(self) -> list[tuple[str, bytes]]:
        """The bytes of each flight as recorded, ``[(direction, bytes), ...]``."""
        return [(f.direction, f.raw) for f in self.flights]


@functools.lru_cache(maxsize=1)
def _default_pki() -> TestCA:
    return make_test_ca((DEFAULT_SERVER_NAME,), key_type="rsa", client_name=_CLIENT_NAME)


@public
def default_pki() -> TestCA:
    """The test CA used when none is given (RSA, with a client certificate; made once per process)."""
    return _default_pki()


def _contexts(version: str, pki: TestCA, trust_pem: str, alpn: tuple[str, ...],
              key_exchange: str, mtls: str, workdir: Path
              ) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    (workdir / "chain.pem").write_text(pki.chain_pem)
    (workdir / "key.pem").write_text(pki.server.key_pem)
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(workdir / "chain.pem", workdir / "key.pem")
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies chain and host name
    client.load_verify_locations(cadata=trust_pem)
    client.keylog_filename = str(workdir / "keylog.txt")
    # The client is a modern one (offers TLS 1.3 and 1.2); the server speaks only `version`.
    server.minimum_version = server.maximum_version = VERSIONS[version]
    if key_exchange == "rsa":  # static RSA: no longer in Python's default cipher string
        for ctx in (server, client):
            ctx.set_ciphers(RSA_SUITE)
    if mtls != "off":
        server.verify_mode = ssl.CERT_REQUIRED  # sends CertificateRequest
        server.load_verify_locations(cadata=pki.trust_pem)
        if mtls == "client sends a certificate" and pki.client is not None:
            (workdir / "client.pem").write_text(pki.client.cert_pem + (
                pki.intermediate.cert_pem if pki.intermediate is not None else ""))
            (workdir / "client-key.pem").write_text(pki.client.key_pem)
            client.load_cert_chain(workdir / "client.pem", workdir / "client-key.pem")
    for ctx in (server, client):
        if alpn:
            ctx.set_alpn_protocols(list(alpn))
    return server, client


def _step(obj: ssl.SSLObject) -> tuple[bool, ssl.SSLError | None]:
    try:
        obj.do_handshake()
        return True, None
    except ssl.SSLWantReadError:
        return False, None
    except ssl.SSLError as exc:  # a verify failure, or an alert from the peer
        return False, exc


def _read(obj: ssl.SSLObject) -> bytes:
    """Whatever application data (and post-handshake messages) ``obj`` can read now."""
    with contextlib.suppress(ssl.SSLWantReadError, ssl.SSLZeroReturnError, ssl.SSLError):
        return obj.read(65536)
    return b""


@dataclass
class _Wire:
    """The two directions of the in-memory connection, and every flight they carried."""

    c_in: ssl.MemoryBIO = field(default_factory=ssl.MemoryBIO)
    c_out: ssl.MemoryBIO = field(default_factory=ssl.MemoryBIO)
    s_in: ssl.MemoryBIO = field(default_factory=ssl.MemoryBIO)
    s_out: ssl.MemoryBIO = field(default_factory=ssl.MemoryBIO)
    raw: list[tuple[str, bytes]] = field(default_factory=list)

    def client_to_server(self) -> bool:
        if data := self.c_out.read():
            self.raw.append((CLIENT_TO_SERVER, data))
            self.s_in.write(data)
        return bool(data)

    def server_to_client(self) -> bool:
        if data := self.s_out.read():
            self.raw.append((SERVER_TO_CLIENT, data))
            self.c_in.write(data)
        return bool(data)


def _run(version: str, server_name: str, contexts: tuple[ssl.SSLContext, ssl.SSLContext],
         keylog_path: Path, session: ssl.SSLSession | None, request: bytes
         ) -> tuple[HandshakeTrace, ssl.SSLSession | None]:
    server_ctx, client_ctx = contexts
    wire = _Wire()
    client = client_ctx.wrap_bio(wire.c_in, wire.c_out, server_hostname=server_name,
                                 session=session)
    server = server_ctx.wrap_bio(wire.s_in, wire.s_out, server_side=True)
    client_done = server_done = False
    error: ssl.SSLError | None = None
    server_flights_read = 0
    round_trips = None
    for _ in range(_MAX_STEPS):
        if not client_done:
            client_done, error = _step(client)
            if client_done:
                round_trips = server_flights_read
        wire.client_to_server()
        if error is not None:
            break
        if not server_done:
            server_done, _ = _step(server)
        if wire.server_to_client():
            server_flights_read += 1
        elif client_done and server_done:
            break
    got_request = got_response = b""
    if client_done:
        _read(client)  # post-handshake messages (TLS 1.3 NewSessionTicket)
        if request and server_done:
            client.write(request)
            wire.client_to_server()
            got_request = _read(server)
            server.write(RESPONSE)
            wire.server_to_client()
            got_response = _read(client)
        else:
            _read(server)  # a client certificate the server refuses is judged here (TLS 1.3)
            wire.server_to_client()
            _read(client)
    keylog = keylog_path.read_text() if keylog_path.exists() else ""
    verify = error if isinstance(error, ssl.SSLCertVerificationError) else None
    trace = HandshakeTrace(
        requested_version=version, server_name=server_name,
        flights=dissect_flights(wire.raw, keylog),
        completed=client_done and server_done, round_trips=round_trips,
        version=client.version() if client_done else None,
        cipher=client.cipher()[0] if client_done else None,
        alpn=client.selected_alpn_protocol() if client_done else None,
        resumed=bool(client_done and client.session_reused),
        verify_code=None if verify is None else verify.verify_code,
        verify_message=None if verify is None else verify.verify_message,
        library=ssl.OPENSSL_VERSION, request=got_request, response=got_response,
        keylog=keylog)
    return trace, (client.session if client_done else None)


@public
def handshake(version: Version = "1.3", *, server_name: HostName = DEFAULT_SERVER_NAME,
              pki: TestCA | None = None,
              trust_pem: Annotated[str, Field(pattern="BEGIN CERTIFICATE")] | None = None,
              alpn: Annotated[tuple[Annotated[str, Field(min_length=1, max_length=255)], ...],
                              Field(max_length=16)] = ("h2", "http/1.1"),
              resume: bool = False,
              key_exchange: Literal["ecdhe", "rsa"] = "ecdhe",
              request: Annotated[bytes, Field(max_length=16_384)] = b"",
              mtls: Literal["off", "client sends a certificate", "client sends none"] = "off",
              ) -> HandshakeTrace:
    """Run one client/server TLS handshake in memory and return its dissected trace."""
    if key_exchange == "rsa" and version != "1.2":
        raise ArgumentError("handshake: key_exchange: 'rsa' exists only in TLS 1.2 "
                            "(RFC 8446 §1.2 removed static RSA), got version '1.3'")
    pki = default_pki() if pki is None else pki
    if mtls == "client sends a certificate" and pki.client is None:
        raise ArgumentError("handshake: pki: mtls needs a test CA made with client_name=...")
    trust_pem = pki.trust_pem if trust_pem is None else trust_pem
    with tempfile.TemporaryDirectory(prefix="netlab-tls-") as tmp:
        workdir = Path(tmp)
        contexts = _contexts(version, pki, trust_pem, tuple(alpn), key_exchange, mtls, workdir)
        keylog_path = workdir / "keylog.txt"
        trace, session = _run(version, server_name, contexts, keylog_path, None, request)
        if resume and session is not None:
            trace, _ = _run(version, server_name, contexts, keylog_path, session, request)
    return trace
