"""Mermaid sequence diagrams for the chapter, drawn from the same facts the labs measure."""

from __future__ import annotations

from typing import Literal

from netlab._validate import public

_FLOWS = {
    "quic": [("C", "S", "Initial[ClientHello] (padded to 1200 bytes)"),
             ("S", "C", "Initial[ServerHello] + Handshake[EE, Cert, CV, Fin]"),
             ("C", "S", "Handshake[Fin] + 1-RTT[GET on stream 0]"),
             ("S", "C", "1-RTT[HANDSHAKE_DONE, response]")],
    "quic-0rtt": [("C", "S", "Initial[ClientHello + PSK] + 0-RTT[GET on stream 0]"),
                  ("S", "C", "Initial[ServerHello] + Handshake[EE, Fin] + 1-RTT[response]"),
                  ("C", "S", "Handshake[Fin]")],
    "quic-retry": [("C", "S", "Initial[ClientHello] (padded to 1200 bytes)"),
                   ("S", "C", "Retry[token bound to the client's address]"),
                   ("C", "S", "Initial[token, ClientHello] (padded to 1200 bytes)"),
                   ("S", "C", "Initial[ServerHello] + Handshake[EE, Cert, CV, Fin]"),
                   ("C", "S", "Handshake[Fin] + 1-RTT[GET on stream 0]"),
                   ("S", "C", "1-RTT[HANDSHAKE_DONE, response]")],
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
    "tcp-tls12-false-start": [
        ("C", "S", "SYN"), ("S", "C", "SYN-ACK"), ("C", "S", "ACK + ClientHello"),
        ("S", "C", "ServerHello, Certificate, ServerKeyExchange, ServerHelloDone"),
        ("C", "S", "ClientKeyExchange, ChangeCipherSpec, Finished + GET (False Start)"),
        ("S", "C", "ChangeCipherSpec, Finished + response")],
}


@public
def handshake_mermaid(kind: Literal["quic", "quic-0rtt", "quic-retry", "tcp-tls13", "tcp-tls12",
                                    "tcp-tls12-false-start"] = "quic") -> str:
    """A mermaid sequence diagram of one handshake (QUIC, 0-RTT, Retry, TCP + TLS)."""
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


def retry_mermaid() -> str:
    """A QUIC handshake with a Retry: one more round trip before the request."""
    return handshake_mermaid("quic-retry")


def tcp_tls12_false_start_mermaid() -> str:
    """HTTPS over TCP with TLS 1.2 and False Start (RFC 7918): two round trips."""
    return handshake_mermaid("tcp-tls12-false-start")
