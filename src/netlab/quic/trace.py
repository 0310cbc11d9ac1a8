"""Read an HTTP/3 trace: round trips before the request, first-datagram size, amplification."""

from __future__ import annotations

from dataclasses import dataclass

from netlab._validate import public, result
from netlab.quic.h3 import Event
from netlab.quic.session import Exchange

MIN_CLIENT_INITIAL_BYTES = 1200  # RFC 9000 §14.1
AMPLIFICATION_FACTOR = 3  # RFC 9000 §8.1


def _last(events: list[Event], before: int, kind: str, role: str,
          data: bytes | None = None) -> int | None:
    for pos in range(before - 1, -1, -1):
        event = events[pos]
        if event.kind == kind and event.role == role and (data is None or event.data == data):
            return pos
    return None


@public
def round_trips_before_request(exchange: Exchange) -> int:
    """How many server datagrams the first request had to wait for, following cause and effect.

    Start from the datagram whose arrival let the client send its request, go back to the
    client datagram that made the server send it, and so on to the client's first datagram;
    every server datagram on that chain is one round trip. Acknowledgements that cross on
    the wire are not on the chain, so they do not count.
    """
    events = exchange.events
    marker = next((pos for pos, e in enumerate(events)
                   if e.kind == "mark" and e.label.startswith("request")), None)
    if marker is None:
        raise ValueError("exchange: has no request marker")
    round_trips, role, pos = 0, "client", marker
    while (received := _last(events, pos, "receive", role)) is not None:
        peer = "server" if role == "client" else "client"
        sent = _last(events, received, "send", peer, events[received].data)
        if sent is None:
            raise ValueError("exchange: has a received datagram that nobody sent")
        round_trips += peer == "server"
        role, pos = peer, sent
    return round_trips


@public
def request_before_server(exchange: Exchange) -> bool:
    """True if the request was handed to QUIC before the server had sent anything (0-RTT)."""
    for event in exchange.events:
        if event.kind == "mark" and event.label.startswith("request"):
            return True
        if event.kind == "send" and event.role == "server":
            return False
    return False


@public
def datagram_rows(exchange: Exchange) -> list[tuple[int, str, int, str]]:
    """Rows (number, sender, bytes, packet types) for each datagram, in sending order."""
    return [(n, e.role, e.size_bytes, " + ".join(e.packets))
            for n, e in enumerate(exchange.datagrams, start=1)]


@public
def flights(exchange: Exchange) -> list[tuple[str, int, int]]:
    """Consecutive datagrams from one sender merged: (sender, datagrams, bytes)."""
    rows: list[tuple[str, int, int]] = []
    for event in exchange.datagrams:
        if rows and rows[-1][0] == event.role:
            sender, count, size = rows[-1]
            rows[-1] = (sender, count + 1, size + event.size_bytes)
        else:
            rows.append((event.role, 1, event.size_bytes))
    return rows


@result
@dataclass(frozen=True)
class AmplificationReport:
    """Server bytes sent and received until the client's address was validated."""

    received_bytes: int
    sent_bytes: int
    max_ratio: float
    within_limit: bool
    blocked: bool


@public
def amplification(exchange: Exchange) -> AmplificationReport:
    """Check RFC 9000 §8.1: before validation the server sends at most 3x what it received."""
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
            max_ratio = max(max_ratio, sent / received) if received else max_ratio
    return AmplificationReport(received, sent, round(max_ratio, 3), within, blocked)


@public
def first_datagram(exchange: Exchange) -> Event:
    """The first datagram the client sent."""
    for event in exchange.datagrams:
        if event.role == "client":
            return event
    raise ValueError("exchange: the client sent no datagram")
