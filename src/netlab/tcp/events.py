"""What a :class:`netlab.tcp.TcpConnection` step reports besides the segments to send."""

from __future__ import annotations

from dataclasses import dataclass

from netlab._validate import result
from netlab.tcp.states import TcpState


@result
@dataclass(slots=True)
class TcpEvent:
    """Base class of everything a step reports (results: the state machine makes them)."""


@dataclass(slots=True)
class StateChanged(TcpEvent):
    """The endpoint moved from ``old`` to ``new``."""

    old: TcpState
    new: TcpState


@dataclass(slots=True)
class Connected(TcpEvent):
    """The handshake finished: the endpoint entered ESTABLISHED."""


@dataclass(slots=True)
class DataReceived(TcpEvent):
    """In-order bytes arrived for the application."""

    data: bytes


@dataclass(slots=True)
class PeerClosed(TcpEvent):
    """The peer's FIN arrived: end of the byte stream from the peer (EOF)."""


@dataclass(slots=True)
class ConnectionClosed(TcpEvent):
    """The connection ended normally and its state was deleted."""


@dataclass(slots=True)
class ConnectionReset(TcpEvent):
    """A RST arrived (or was sent by abort): the connection is gone."""


@dataclass(slots=True)
class ConnectionRefused(TcpEvent):
    """A RST answered our SYN: nobody listens there."""


@dataclass(slots=True)
class TimedOut(TcpEvent):
    """The retransmission limit was reached without an acknowledgement."""


@dataclass(slots=True)
class Retransmitted(TcpEvent):
    """The oldest unacknowledged segment was sent again (``attempt`` counts from 1)."""

    flags: str
    attempt: int
