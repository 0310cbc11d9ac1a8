"""Certificate checks that fail for the right reason.

The client validates the server's chain against its *local* trust store and the
name it dialled (RFC 8446 §4.4.2.4 defers to RFC 5280 §6 for path validation,
RFC 9110 §4.3.4 and RFC 9525 for the name). Nothing here contacts a CA: the
failures below all happen inside the client, with OpenSSL's verify codes. (A
browser adds its own policy on top: Certificate Transparency, revocation data it
downloads ahead of time, intermediates it fetches or preloads; chapter 3 says which.)

The last two cases turn the check around: with mutual TLS the *server* sends a
CertificateRequest (RFC 8446 §4.3.2) and validates the client's certificate.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from netlab._validate import public, result
from netlab.testca import make_test_ca
from netlab.tls.dissect import CLIENT_TO_SERVER
from netlab.tls.handshake import DEFAULT_SERVER_NAME, HandshakeTrace, Version, handshake

FAILURES = {
    "ok": "chain leads to a root in the client's trust store, name and dates match",
    "untrusted issuer": "chain ends at a root the client does not trust",
    "name mismatch": "client dialled a name the certificate's subjectAltName does not list",
    "expired": "certificate's notAfter is in the past",
    "mtls ok": "server requires a client certificate and the client sends one from the CA",
    "mtls no certificate": "server requires a client certificate and the client has none",
}
Case = Literal["ok", "untrusted issuer", "name mismatch", "expired", "mtls ok",
               "mtls no certificate"]


@result
@dataclass(frozen=True)
class TrustResult:
    """The outcome of one certificate check, as the client reported it."""

    case: str
    completed: bool
    verify_code: int | None
    verify_message: str | None
    alert: str | None
    trace: HandshakeTrace
    alert_from: str | None = None


def _alert(trace: HandshakeTrace) -> tuple[str | None, str | None]:
    for flight in trace.flights:
        for message in flight.messages:
            if message.startswith("Alert("):
                side = "client" if flight.direction == CLIENT_TO_SERVER else "server"
                return message[len("Alert("):-1], side
    return None, None


@public
def check_trust(case: Case, version: Version = "1.3") -> TrustResult:
    """Run a handshake set up to pass (``"ok"``, ``"mtls ok"``) or to fail in one way."""
    if case == "ok":
        trace = handshake(version)
    elif case == "untrusted issuer":  # a valid chain, but from a CA the client never installed
        trace = handshake(version, trust_pem=make_test_ca(key_type="rsa").trust_pem)
    elif case == "name mismatch":
        trace = handshake(version, server_name="api.example.test")
    elif case == "expired":
        trace = handshake(version, pki=make_test_ca((DEFAULT_SERVER_NAME,), key_type="rsa",
                                                    expired=True))
    elif case == "mtls ok":
        trace = handshake(version, mtls="client sends a certificate")
    else:
        trace = handshake(version, mtls="client sends none")
    alert, side = _alert(trace)
    return TrustResult(case=case, completed=trace.completed, verify_code=trace.verify_code,
                       verify_message=trace.verify_message, alert=alert, trace=trace,
                       alert_from=side)


@public
def trust_table(version: Version = "1.3", mtls: bool = False) -> list[dict[str, object]]:
    """The server-certificate cases (or, with ``mtls``, the client-certificate ones) side by side."""
    cases = [c for c in FAILURES if c.startswith("mtls") == mtls]
    rows = []
    for case in cases:
        res = check_trust(case, version)  # type: ignore[arg-type]
        rows.append({"case": case, "handshake completed": res.completed,
                     "verify_code": res.verify_code, "verify_message": res.verify_message,
                     "alert": res.alert, "sent by": res.alert_from})
    return rows
