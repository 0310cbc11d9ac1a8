"""Read an HTTP/3 trace: round trips before the request, first-datagram size, amplification."""

from __future__ import annotations

from dataclasses import dataclass

from netlab.quic.h3 import Event, Exchange

MIN_CLIENT_INITIAL_BYTES = 1200  # RFC 9000 §14.1
AMPLIFICATION_FACTOR = 3  # RFC 9000 §8.1


def _check_exchange(exchange: object) -> Exchange:
    if not isinstance(exchange, Exchange):
        raise ValueError(f"exchange must be an Exchange, got {type(exchange).__name__}")
    return exchange


def round_trips_before_request(exchange: Exchange) -> int:
    """How many times the client waited for the server before its first request left."""
    exchange = _check_exchange(exchange)
    waits, last_sender = 0, "server"
    for event in exchange.events:
        if event.kind == "mark" and event.label.startswith("request"):
            return waits
        if event.kind == "send":
            if event.role == "server" and last_sender == "client":
                waits += 1
            last_sender = event.role
    raise ValueError("exchange has no request marker")


def request_before_server(exchange: Exchange) -> bool:
    """True if the request was handed to QUIC before the server had sent anything (0-RTT)."""
    exchange = _check_exchange(exchange)
    for event in exchange.events:
        if event.kind == "mark" and event.label.startswith("request"):
            return True
        if event.kind == "send" and event.role == "server":
            return False
    return False


def datagram_rows(exchange: Exchange) -> list[tuple[int, str, int, str]]:
    """Rows (number, sender, bytes, packet types) for each datagram, in sending order."""
    exchange = _check_exchange(exchange)
    return [(n, e.role, e.size_bytes, " + ".join(e.packets))
            for n, e in enumerate(exchange.datagrams, start=1)]


def flights(exchange: Exchange) -> list[tuple[str, int, int]]:
    """Consecutive datagrams from one sender merged: (sender, datagrams, bytes)."""
    exchange = _check_exchange(exchange)
    rows: list[tuple[str, int, int]] = []
    for event in exchange.datagrams:
        if rows and rows[-1][0] == event.role:
            sender, count, size = rows[-1]
            rows[-1] = (sender, count + 1, size + event.size_bytes)
        else:
            rows.append((event.role, 1, event.size_bytes))
    return rows


@dataclass(frozen=True)
class AmplificationReport:
    """Server bytes sent and received until the client's address was validated."""

    received_bytes: int
    sent_bytes: int
    max_ratio: float
    within_limit: bool
    blocked: bool


def amplification(exchange: Exchange) -> AmplificationReport:
    """Check RFC 9000 §8.1: before validation the server sends at most 3x what it received."""
    exchange = _check_exchange(exchange)
    received = sent = 0
    max_ratio, within, blocked = 0.0, True, False
    for event in exchange.events:
        if event.role != "server" or event.kind == "mark":
            continue
        if event.kind == "receive":
            if "Handshake" in event.packets:  # a Handshake packet from the client validates it
                break
            if sent and received:
                blocked = blocked or sent > (AMPLIFICATION_FACTOR * received
                                             - MIN_CLIENT_INITIAL_BYTES)
            received += event.size_bytes
        else:
            sent += event.size_bytes
            within = within and sent <= AMPLIFICATION_FACTOR * received
            max_ratio = max(max_ratio, sent / received)
    return AmplificationReport(received, sent, round(max_ratio, 3), within, blocked)


def first_datagram(exchange: Exchange) -> Event:
    """The first datagram the client sent."""
    exchange = _check_exchange(exchange)
    return next(e for e in exchange.datagrams if e.role == "client")
