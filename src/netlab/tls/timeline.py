"""Round trips before the first HTTP byte, and sequence diagrams drawn from real traces.

The round-trip counts are the protocol's own (RFC 9293 §3.5 for TCP, RFC 5246
§7.3 and RFC 8446 §2 for TLS, RFC 9000 §7 for QUIC); the measured ``round_trips``
of :func:`netlab.tls.handshake` checks the TLS part against OpenSSL.
"""

from __future__ import annotations

from dataclasses import dataclass

from netlab._check import check_choice, check_float
from netlab.tls.dissect import CLIENT_TO_SERVER
from netlab.tls.handshake import HandshakeTrace, handshake


@dataclass(frozen=True)
class Stack:
    """How many round trips each handshake layer costs before the request may leave."""

    name: str
    transport_rtts: int
    tls_rtts: int
    note: str

    @property
    def request_after_rtts(self) -> int:
        """Round trips that pass before the HTTP request can be sent."""
        return self.transport_rtts + self.tls_rtts

    @property
    def first_byte_rtts(self) -> int:
        """Round trips until the first byte of the response arrives (one more)."""
        return self.request_after_rtts + 1


STACKS: dict[str, Stack] = {s.name: s for s in (
    Stack("TCP + TLS 1.2", 1, 2, "full handshake, RFC 5246 §7.3"),
    Stack("TCP + TLS 1.3", 1, 1, "full handshake, RFC 8446 §2"),
    Stack("TCP + TLS 1.3 0-RTT", 1, 0, "resumption with early data: replayable"),
    Stack("QUIC (HTTP/3)", 0, 1, "transport and TLS 1.3 in one handshake, RFC 9000 §7"),
    Stack("QUIC 0-RTT", 0, 0, "resumption with early data: replayable"),
)}


def first_byte_table(rtt_s: float = 0.05) -> list[dict[str, object]]:
    """For each stack: round trips before the request, to the first byte, and that in seconds."""
    rtt_s = check_float("rtt_s", rtt_s, min_value=0.0, max_value=10.0, min_inclusive=False)
    return [{"stack": s.name, "RTTs before request": s.request_after_rtts,
             "RTTs to first byte": s.first_byte_rtts,
             "time to first byte (s)": round(s.first_byte_rtts * rtt_s, 4), "note": s.note}
            for s in STACKS.values()]


def first_byte_rtts(stack: str) -> int:
    """Round trips from the first SYN (or QUIC Initial) to the response's first byte."""
    return STACKS[check_choice("stack", stack, STACKS)].first_byte_rtts


def flights_mermaid(trace: HandshakeTrace) -> str:
    """A mermaid sequence diagram of a recorded handshake; encrypted messages in braces."""
    if not isinstance(trace, HandshakeTrace):
        raise ValueError(f"trace must be a HandshakeTrace, got {type(trace).__name__}")
    lines = ["sequenceDiagram", "    participant C as Client", "    participant S as Server"]
    for flight in trace.flights:
        arrow = "C->>S" if flight.direction == CLIENT_TO_SERVER else "S->>C"
        names = [("{" + m + "}") if r.encrypted else m
                 for r in flight.records for m in r.messages if m != "ChangeCipherSpec"]
        lines.append(f"    {arrow}: {', '.join(names)} ({flight.size_bytes} bytes)")
    if trace.round_trips is not None:
        lines.append(f"    Note over C,S: client may send application data after "
                     f"{trace.round_trips} round trip(s), braces mark encrypted messages")
    return "\n".join(lines) + "\n"


def tls13_mermaid() -> str:
    """Sequence diagram of a real in-memory TLS 1.3 handshake."""
    return flights_mermaid(handshake("1.3"))


def tls12_mermaid() -> str:
    """Sequence diagram of a real in-memory TLS 1.2 handshake."""
    return flights_mermaid(handshake("1.2"))
