"""Certificate checks that fail for the right reason.

The client validates the server's chain against its *local* trust store and the
name it dialled (RFC 8446 §4.4.2.4 defers to RFC 5280 §6 for path validation,
RFC 9110 §4.3.4 and RFC 6125 for the name). Nothing here contacts a CA: the
failures below all happen inside the client, with OpenSSL's verify codes.
"""

from __future__ import annotations

from dataclasses import dataclass

from netlab._check import check_choice
from netlab.testca import make_test_ca
from netlab.tls.handshake import DEFAULT_SERVER_NAME, HandshakeTrace, default_pki, handshake

FAILURES = {
    "ok": "chain leads to a root in the client's trust store, name and dates match",
    "untrusted issuer": "chain ends at a root the client does not trust",
    "name mismatch": "client dialled a name the certificate's subjectAltName does not list",
    "expired": "certificate's notAfter is in the past",
}


@dataclass(frozen=True)
class TrustResult:
    """The outcome of one certificate check, as the client reported it."""

    case: str
    completed: bool
    verify_code: int | None
    verify_message: str | None
    alert: str | None
    trace: HandshakeTrace


def _alert(trace: HandshakeTrace) -> str | None:
    for row in trace.message_rows():
        message = str(row["message"])
        if message.startswith("Alert("):
            return message[len("Alert("):-1]
    return None


def check_trust(case: str, version: str = "1.3") -> TrustResult:
    """Run a handshake set up to pass (``"ok"``) or to fail in one of three ways."""
    check_choice("case", case, FAILURES)
    if case == "ok":
        trace = handshake(version)
    elif case == "untrusted issuer":  # a valid chain, but from a CA the client never installed
        trace = handshake(version, trust_pem=make_test_ca(key_type="rsa").trust_pem)
    elif case == "name mismatch":
        trace = handshake(version, server_name="api.example.test", pki=default_pki())
    else:
        trace = handshake(version, pki=make_test_ca((DEFAULT_SERVER_NAME,), key_type="rsa",
                                                    expired=True))
    return TrustResult(case=case, completed=trace.completed, verify_code=trace.verify_code,
                       verify_message=trace.verify_message, alert=_alert(trace), trace=trace)


def trust_table(version: str = "1.3") -> list[dict[str, object]]:
    """All four cases side by side: did the handshake finish, and what did OpenSSL say."""
    rows = []
    for case in FAILURES:
        result = check_trust(case, version)
        rows.append({"case": case, "handshake completed": result.completed,
                     "verify_code": result.verify_code, "verify_message": result.verify_message,
                     "alert sent by client": result.alert})
    return rows
