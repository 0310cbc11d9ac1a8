"""Round trips before the first HTTP byte, and sequence diagrams drawn from real traces.

The round-trip counts are the protocol's own (RFC 9293 §3.5 for TCP, RFC 5246
§7.3 and RFC 8446 §2 for TLS, RFC 9000 §7 for QUIC); the measured ``round_trips``
of :func:`netlab.tls.handshake` checks the TLS part against OpenSSL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field

from netlab._validate import public, result
from netlab.tls.dissect import CLIENT_TO_SERVER
from netlab.tls.handshake import HandshakeTrace, handshake


@result
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


StackName = Literal["TCP + TLS 1.2", "TCP + TLS 1.3", "TCP + TLS 1.3 0-RTT", "QUIC (HTTP/3)",
                    "QUIC 0-RTT"]


@public
def first_byte_table(rtt_s: Annotated[float, Field(gt=0, le=10)] = 0.05
                     ) -> list[dict[str, object]]:
    """For each stack: round trips before the request, to the first byte, and that in seconds."""
    return [{"stack": s.name, "RTTs before request": s.request_after_rtts,
             "RTTs to first byte": s.first_byte_rtts,
             "time to first byte (s)": round(s.first_byte_rtts * rtt_s, 4), "note": s.note}
            for s in STACKS.values()]


@public
def first_byte_rtts(stack: StackName) -> int:
    """Round trips from the first SYN (or QUIC Initial) to the response's first byte."""
    return STACKS[stack].first_byte_rtts


@public
def flights_mermaid(trace: HandshakeTrace, sizes: bool = False) -> str:
    """A mermaid sequence diagram of a recorded handshake; encrypted messages in braces.

    Sizes are left out unless asked for: they depend on the OpenSSL that ran it.
    """
    lines = ["sequenceDiagram", "    participant C as Client", "    participant S as Server"]
    for flight in trace.flights:
        arrow = "C->>S" if flight.direction == CLIENT_TO_SERVER else "S->>C"
        names = [("{" + m + "}") if r.encrypted else m
                 for r in flight.records for m in r.messages if m != "ChangeCipherSpec"]
        size = f" ({flight.size_bytes} bytes)" if sizes else ""
        lines.append(f"    {arrow}: {', '.join(names)}{size}")
    if trace.round_trips is not None:
        lines.append(f"    Note over C,S: client may send application data after "
                     f"{trace.round_trips} round trip(s), braces mark encrypted messages")
    return "\n".join(lines) + "\n"


@public
def tls13_mermaid() -> str:
    """Sequence diagram of a real in-memory TLS 1.3 handshake."""
    return flights_mermaid(handshake("1.3"))


@public
def tls12_mermaid() -> str:
    """Sequence diagram of a real in-memory TLS 1.2 handshake."""
    return flights_mermaid(handshake("1.2"))
