"""Plain-text tables and one-call summaries for the chapter 3 labs (deterministic output)."""

from __future__ import annotations

from netlab._check import check_choice, check_int
from netlab.tables import format_table
from netlab.tls import rfc8448
from netlab.tls.handshake import VERSIONS, HandshakeTrace, handshake
from netlab.tls.keyschedule import key_schedule
from netlab.tls.trust import FAILURES, check_trust


def flights_table(trace: HandshakeTrace) -> str:
    """One line per flight: direction, size, and each message marked clear or {encrypted}."""
    if not isinstance(trace, HandshakeTrace):
        raise ValueError(f"trace must be a HandshakeTrace, got {type(trace).__name__}")
    rows = [{"#": f.index + 1, "direction": f.direction, "bytes": f.size_bytes,
             "messages ({...} = encrypted)": ", ".join(
                 "{" + m + "}" if r.encrypted else m for r in f.records for m in r.messages)}
            for f in trace.flights]
    return format_table(rows, max_width=100)


def flight_summary(version: str = "1.3", resume: bool = False) -> str:
    """Run a handshake and describe it: negotiated parameters, round trips, flights."""
    check_choice("version", version, VERSIONS)
    check_choice("resume", resume, (False, True))
    trace = handshake(version, resume=resume)
    head = (f"TLS {version}{' (resumed)' if trace.resumed else ''}: negotiated {trace.version}, "
            f"{trace.cipher}, ALPN {trace.alpn}\n"
            f"round trips before the client may send data: {trace.round_trips}\n"
            f"readable without keys: {', '.join(trace.clear_messages())}\n")
    return head + flights_table(trace)


def trust_report(case: str = "ok", version: str = "1.3") -> str:
    """Run one certificate check and say what the client decided and why."""
    check_choice("case", case, FAILURES)
    result = check_trust(case, version)
    verdict = "handshake completed" if result.completed else "handshake aborted by the client"
    lines = [f"case: {case} ({FAILURES[case]})", f"TLS {version}: {verdict}"]
    if not result.completed:
        lines += [f"verify_code {result.verify_code}: {result.verify_message}",
                  f"alert sent: {result.alert}"]
    return "\n".join(lines) + "\n" + flights_table(result.trace)


def tamper_report(offset: int = 0) -> str:
    """Flip one byte of the RFC 8448 ClientHello and show which secrets still match."""
    msgs = list(rfc8448.messages().values())
    check_int("offset", offset, min_value=0, max_value=len(msgs[0]) - 1)
    hello = bytearray(msgs[0])
    hello[offset] ^= 0x01
    secret, _ = rfc8448.shared_secrets()
    sched = key_schedule(secret, [bytes(hello), msgs[1]], [bytes(hello), *msgs[1:6]])
    checks = {"early secret": sched.early_secret,
              "handshake secret": sched.handshake_secret,
              "c hs traffic": sched.client_handshake_traffic_secret,
              "s hs traffic": sched.server_handshake_traffic_secret,
              "master secret": sched.master_secret,
              "c ap traffic": sched.client_application_traffic_secret}
    rows = [{"value": name, "still matches RFC 8448": value.hex() == rfc8448.PUBLISHED[name]}
            for name, value in checks.items()]
    return f"ClientHello byte {offset} flipped (0x01 xor)\n" + format_table(rows)
