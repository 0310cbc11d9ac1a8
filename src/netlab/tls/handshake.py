"""A complete TLS handshake in memory with Python's ``ssl``, recorded flight by flight.

Client and server are two ``ssl.SSLObject`` instances joined by ``ssl.MemoryBIO``
pairs instead of a socket: whatever one side writes is handed to the other, so
every byte of the handshake can be kept and dissected. This is the sans-IO way
of running a real TLS stack (OpenSSL) with no network at all.
"""

from __future__ import annotations

import contextlib
import functools
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path

from netlab._check import check_choice
from netlab.testca import TestCA, make_test_ca
from netlab.tls.dissect import CLIENT_TO_SERVER, SERVER_TO_CLIENT, Flight, dissect_flights

VERSIONS = {"1.3": ssl.TLSVersion.TLSv1_3, "1.2": ssl.TLSVersion.TLSv1_2}
DEFAULT_SERVER_NAME = "www.example.test"
_MAX_STEPS = 12  # a full handshake needs 4 flights; this bounds a confused exchange


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

    def message_rows(self) -> list[dict[str, object]]:
        """One row per protocol message: flight, direction, name, and whether it was in clear."""
        return [{"flight": f.index + 1, "direction": f.direction, "message": m,
                 "in clear": not r.encrypted}
                for f in self.flights for r in f.records for m in r.messages]

    def clear_messages(self) -> list[str]:
        """Handshake messages an on-path observer can read without any key."""
        return [row["message"] for row in self.message_rows()
                if row["in clear"] and row["message"] != "ChangeCipherSpec"]


def _check_server_name(server_name: object) -> str:
    if not isinstance(server_name, str) or not server_name.strip():
        raise ValueError(f"server_name must be a non-empty host name, got {server_name!r}")
    if len(server_name) > 253 or " " in server_name:
        raise ValueError("server_name must be a host name of 1 to 253 characters without "
                         f"spaces, got {server_name!r}")
    return server_name


@functools.lru_cache(maxsize=1)
def default_pki() -> TestCA:
    """The test CA used when none is given (RSA, made once per process)."""
    return make_test_ca((DEFAULT_SERVER_NAME,), key_type="rsa")


def _contexts(version: str, pki: TestCA, trust_pem: str, alpn: tuple[str, ...],
              workdir: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    (workdir / "chain.pem").write_text(pki.chain_pem)
    (workdir / "key.pem").write_text(pki.server.key_pem)
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(workdir / "chain.pem", workdir / "key.pem")
    client = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies chain and host name
    client.load_verify_locations(cadata=trust_pem)
    client.keylog_filename = str(workdir / "keylog.txt")
    # The client is a modern one (offers TLS 1.3 and 1.2); the server speaks only `version`.
    server.minimum_version = server.maximum_version = VERSIONS[version]
    for ctx in (server, client):
        if alpn:
            ctx.set_alpn_protocols(list(alpn))
    return server, client


def _step(obj: ssl.SSLObject) -> tuple[bool, ssl.SSLCertVerificationError | None]:
    try:
        obj.do_handshake()
        return True, None
    except ssl.SSLWantReadError:
        return False, None
    except ssl.SSLCertVerificationError as exc:
        return False, exc


def _drain_tickets(client: ssl.SSLObject) -> None:
    """Let the client read post-handshake messages (TLS 1.3 NewSessionTicket)."""
    with contextlib.suppress(ssl.SSLWantReadError, ssl.SSLZeroReturnError):
        client.read(1)


def _run(version: str, server_name: str, contexts: tuple[ssl.SSLContext, ssl.SSLContext],
         keylog_path: Path, session: ssl.SSLSession | None
         ) -> tuple[HandshakeTrace, ssl.SSLSession | None]:
    server_ctx, client_ctx = contexts
    c_in, c_out, s_in, s_out = (ssl.MemoryBIO() for _ in range(4))
    client = client_ctx.wrap_bio(c_in, c_out, server_hostname=server_name, session=session)
    server = server_ctx.wrap_bio(s_in, s_out, server_side=True)
    raw: list[tuple[str, bytes]] = []
    client_done = server_done = False
    error: ssl.SSLCertVerificationError | None = None
    server_flights_read = 0
    round_trips = None
    for _ in range(_MAX_STEPS):
        if not client_done:
            client_done, error = _step(client)
            if client_done:
                round_trips = server_flights_read
        if data := c_out.read():
            raw.append((CLIENT_TO_SERVER, data))
            s_in.write(data)
        if error is not None:
            break
        if not server_done:
            server_done, _ = _step(server)
        if data := s_out.read():
            raw.append((SERVER_TO_CLIENT, data))
            c_in.write(data)
            server_flights_read += 1
        elif client_done and server_done:
            break
    if client_done:
        _drain_tickets(client)
    keylog = keylog_path.read_text() if keylog_path.exists() else ""
    trace = HandshakeTrace(
        requested_version=version, server_name=server_name,
        flights=dissect_flights(raw, keylog),
        completed=client_done and server_done, round_trips=round_trips,
        version=client.version() if client_done else None,
        cipher=client.cipher()[0] if client_done else None,
        alpn=client.selected_alpn_protocol() if client_done else None,
        resumed=bool(client_done and client.session_reused),
        verify_code=None if error is None else error.verify_code,
        verify_message=None if error is None else error.verify_message)
    return trace, (client.session if client_done else None)


def handshake(version: str = "1.3", *, server_name: str = DEFAULT_SERVER_NAME,
              pki: TestCA | None = None, trust_pem: str | None = None,
              alpn: tuple[str, ...] = ("h2", "http/1.1"), resume: bool = False
              ) -> HandshakeTrace:
    """Run one client/server TLS handshake in memory and return its dissected trace."""
    check_choice("version", version, VERSIONS)
    server_name = _check_server_name(server_name)
    if pki is not None and not isinstance(pki, TestCA):
        raise ValueError(f"pki must be a TestCA from make_test_ca(), got {type(pki).__name__}")
    pki = default_pki() if pki is None else pki
    trust_pem = pki.trust_pem if trust_pem is None else trust_pem
    if not isinstance(trust_pem, str) or "BEGIN CERTIFICATE" not in trust_pem:
        raise ValueError("trust_pem must be PEM text holding at least one certificate")
    if not isinstance(alpn, tuple | list) or not all(isinstance(p, str) and p for p in alpn):
        raise ValueError(f"alpn must be a tuple of non-empty protocol names, got {alpn!r}")
    alpn = tuple(alpn)
    with tempfile.TemporaryDirectory(prefix="netlab-tls-") as tmp:
        workdir = Path(tmp)
        contexts = _contexts(version, pki, trust_pem, alpn, workdir)
        keylog_path = workdir / "keylog.txt"
        trace, session = _run(version, server_name, contexts, keylog_path, None)
        if resume and session is not None:
            trace, _ = _run(version, server_name, contexts, keylog_path, session)
    return trace
