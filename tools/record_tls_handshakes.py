"""Record two TLS 1.3 handshakes for lab 3.1: ``labs/data/03-tls-handshakes.json``.

One client is Python's ``ssl`` (the OpenSSL the interpreter links, 3.0 on Debian 12/13's
Python 3.11); the other is pyOpenSSL, which runs on the newer OpenSSL bundled in the
``cryptography`` wheel (4.0 with cryptography 50). Both talk to a server of the same
library, in memory, with a throwaway test CA. The file keeps each flight's bytes and
the client's NSS key log, so scapy can dissect the encrypted records too; the keys
are of test sessions that never touched a network.

Run from the repository root:  .venv/bin/python tools/record_tls_handshakes.py
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from OpenSSL import SSL, crypto

from netlab.testca import TestCA, make_test_ca
from netlab.tls import handshake

OUT = Path(__file__).resolve().parents[1] / "labs" / "data" / "03-tls-handshakes.json"
SERVER_NAME = "www.example.test"


def _pyopenssl_contexts(ca: TestCA) -> tuple[SSL.Context, SSL.Context, list[str]]:
    keylog: list[str] = []
    server = SSL.Context(SSL.TLS_METHOD)
    server.use_certificate(ca.server.cert)
    server.add_extra_chain_cert(ca.intermediate.cert)
    server.use_privatekey(ca.server.key)
    server.set_alpn_select_callback(lambda conn, offered: b"h2" if b"h2" in offered else b"")
    client = SSL.Context(SSL.TLS_METHOD)
    client.set_verify(SSL.VERIFY_PEER)
    client.get_cert_store().add_cert(crypto.X509.from_cryptography(ca.root.cert))
    client.set_alpn_protos([b"h2", b"http/1.1"])
    client.set_keylog_callback(lambda conn, line: keylog.append(line.decode("ascii")))
    return server, client, keylog


def record_pyopenssl() -> dict:
    """A TLS 1.3 handshake between pyOpenSSL client and server, flight by flight."""
    ca = make_test_ca((SERVER_NAME,), key_type="rsa")
    server_ctx, client_ctx, keylog = _pyopenssl_contexts(ca)
    client = SSL.Connection(client_ctx, None)
    client.set_connect_state()
    client.set_tlsext_host_name(SERVER_NAME.encode("ascii"))
    server = SSL.Connection(server_ctx, None)
    server.set_accept_state()
    flights: list[tuple[str, str]] = []
    server_flights, round_trips, client_done = 0, None, False
    for _ in range(8):
        for side, peer, direction in ((client, server, "client->server"),
                                      (server, client, "server->client")):
            try:
                side.do_handshake()
                if side is client and not client_done:
                    client_done, round_trips = True, server_flights
            except SSL.WantReadError:
                pass
            try:
                data = side.bio_read(1 << 20)
            except SSL.WantReadError:
                data = b""
            if data:
                flights.append((direction, data.hex()))
                peer.bio_write(data)
                server_flights += side is server
    with contextlib.suppress(SSL.WantReadError):  # read the NewSessionTickets
        client.recv(1)
    return {"name": "OpenSSL " + SSL.OpenSSL_version(SSL.OPENSSL_VERSION).decode().split()[1],
            "library": SSL.OpenSSL_version(SSL.OPENSSL_VERSION).decode(),
            "client": "pyOpenSSL", "version": "1.3", "server_name": SERVER_NAME,
            "negotiated": client.get_protocol_version_name(), "cipher": client.get_cipher_name(),
            "alpn": client.get_alpn_proto_negotiated().decode() or None,
            "round_trips": round_trips, "flights": flights, "keylog": "".join(
                line + "\n" for line in keylog)}


def record_stdlib() -> dict:
    """A TLS 1.3 handshake between Python's ssl client and server (netlab.tls.handshake)."""
    trace = handshake("1.3")
    return {"name": "OpenSSL " + trace.library.split()[1], "library": trace.library,
            "client": "Python ssl", "version": "1.3", "server_name": trace.server_name,
            "negotiated": trace.version, "cipher": trace.cipher, "alpn": trace.alpn,
            "round_trips": trace.round_trips,
            "flights": [(d, data.hex()) for d, data in trace.raw_flights()],
            "keylog": trace.keylog}


def main() -> None:
    recorded = [record_stdlib(), record_pyopenssl()]
    doc = {"tool": "tools/record_tls_handshakes.py",
           "note": "test-only sessions: throwaway CA, in memory, no network",
           "handshakes": recorded}
    OUT.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    for entry in recorded:
        print(entry["name"], [len(bytes.fromhex(h)) for _, h in entry["flights"]])


if __name__ == "__main__":
    main()
