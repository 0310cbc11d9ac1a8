"""Mermaid sequence diagrams for the chapter, drawn from the same facts the labs measure."""

from __future__ import annotations

from netlab._check import check_choice

_FLOWS = {
    "quic": [("C", "S", "Initial[ClientHello] (padded to 1200 bytes)"),
             ("S", "C", "Initial[ServerHello] + Handshake[EE, Cert, CV, Fin]"),
             ("C", "S", "Handshake[Fin] + 1-RTT[GET on stream 0]"),
             ("S", "C", "1-RTT[HANDSHAKE_DONE, response]")],
    "quic-0rtt": [("C", "S", "Initial[ClientHello + PSK] + 0-RTT[GET on stream 0]"),
                  ("S", "C", "Initial[ServerHello] + Handshake[EE, Fin] + 1-RTT[response]"),
                  ("C", "S", "Handshake[Fin]")],
    "tcp-tls13": [("C", "S", "SYN"), ("S", "C", "SYN-ACK"),
                  ("C", "S", "ACK + ClientHello"),
                  ("S", "C", "ServerHello, {EE, Cert, CV, Fin}"),
                  ("C", "S", "{Fin} + GET"), ("S", "C", "response")],
    "tcp-tls12": [("C", "S", "SYN"), ("S", "C", "SYN-ACK"),
                  ("C", "S", "ACK + ClientHello"),
                  ("S", "C", "ServerHello, Certificate, ServerKeyExchange, ServerHelloDone"),
                  ("C", "S", "ClientKeyExchange, ChangeCipherSpec, Finished"),
                  ("S", "C", "ChangeCipherSpec, Finished"),
                  ("C", "S", "GET"), ("S", "C", "response")],
}


def handshake_mermaid(kind: str = "quic") -> str:
    """A mermaid sequence diagram of one handshake: 'quic', 'quic-0rtt', 'tcp-tls13', 'tcp-tls12'."""
    check_choice("kind", kind, tuple(_FLOWS))
    lines = ["sequenceDiagram", "    participant C as Client", "    participant S as Server"]
    lines += [f"    {a}->>{b}: {text}" for a, b, text in _FLOWS[kind]]
    return "\n".join(lines) + "\n"


def quic_vs_tcp_mermaid() -> str:
    """The QUIC 1-RTT handshake with the request, for the chapter's diagram directive."""
    return handshake_mermaid("quic")


def zero_rtt_mermaid() -> str:
    """The QUIC 0-RTT resumption with the request in the first flight."""
    return handshake_mermaid("quic-0rtt")


def tcp_tls13_mermaid() -> str:
    """HTTPS over TCP with TLS 1.3: two round trips before the request."""
    return handshake_mermaid("tcp-tls13")


def tcp_tls12_mermaid() -> str:
    """HTTPS over TCP with TLS 1.2: three round trips before the request."""
    return handshake_mermaid("tcp-tls12")
