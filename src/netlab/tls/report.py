"""Plain-text tables and one-call summaries for the chapter 3 labs (deterministic output).

Live handshakes run on whatever OpenSSL Python links, and the sizes of their flights
differ between OpenSSL 3.0 and >= 3.5 (the post-quantum key share alone is 1,216
bytes). The summaries of live handshakes therefore show messages, not sizes; sizes
are shown for recorded handshakes (:func:`netlab.tls.load_recorded`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from netlab._validate import public
from netlab.tables import format_table
from netlab.tls import rfc8448
from netlab.tls.handshake import HandshakeTrace, Version, handshake
from netlab.tls.keyschedule import key_schedule
from netlab.tls.trust import FAILURES, Case, check_trust


@public
def flights_table(trace: HandshakeTrace, sizes: bool = True) -> str:
    """One line per flight: direction, size (if ``sizes``), each message clear or {encrypted}."""
    rows = []
    for f in trace.flights:
        row: dict[str, object] = {"#": f.index + 1, "direction": f.direction}
        if sizes:
            row["bytes"] = f.size_bytes
        row["messages ({...} = encrypted)"] = ", ".join(
            "{" + m + "}" if r.encrypted else m for r in f.records for m in r.messages)
        rows.append(row)
    return format_table(rows, max_width=100)


@public
def flight_summary(version: Version = "1.3", resume: bool = False) -> str:
    """Run a handshake and describe it: negotiated parameters, round trips, flights."""
    trace = handshake(version, resume=resume)
    head = (f"TLS {version}{' (resumed)' if trace.resumed else ''}: negotiated {trace.version}, "
            f"{trace.cipher}, ALPN {trace.alpn}\n"
            f"round trips before the client may send data: {trace.round_trips}\n"
            f"readable without keys: {', '.join(trace.clear_messages())}\n")
    return head + flights_table(trace, sizes=False)


@public
def trust_report(case: Case = "ok", version: Version = "1.3") -> str:
    """Run one certificate check and say what the client decided and why."""
    result = check_trust(case, version)
    verdict = "handshake completed" if result.completed else "handshake aborted"
    lines = [f"case: {case} ({FAILURES[case]})", f"TLS {version}: {verdict}"]
    if result.verify_code is not None:
        lines.append(f"verify_code {result.verify_code}: {result.verify_message}")
    if result.alert is not None:
        lines.append(f"alert sent by the {result.alert_from}: {result.alert}")
    return "\n".join(lines) + "\n" + flights_table(result.trace, sizes=False)


@public
def tamper_report(offset: Annotated[int, Field(ge=0, le=195)] = 0) -> str:
    """Flip one byte of the RFC 8448 ClientHello and show which secrets still match."""
    msgs = list(rfc8448.messages().values())
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
