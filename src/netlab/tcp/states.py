"""The eleven RFC 9293 connection states and the one table of transitions between them.

``TRANSITIONS[(state, input)]`` gives the action to run and the next state. Anything not in
the table is illegal in that state: :class:`netlab.tcp.TcpConnection` raises and keeps its
state. The state diagram in the book is drawn from this table by :func:`state_diagram_mermaid`.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

from netlab._validate import public, result


class TcpState(Enum):
    """Connection states of RFC 9293 §3.3.2 (the RFC spells them with hyphens)."""

    __hash__ = object.__hash__  # members are singletons: identity hashing keeps lookups fast

    CLOSED = "CLOSED"
    LISTEN = "LISTEN"
    SYN_SENT = "SYN-SENT"
    SYN_RECEIVED = "SYN-RECEIVED"
    ESTABLISHED = "ESTABLISHED"
    FIN_WAIT_1 = "FIN-WAIT-1"
    FIN_WAIT_2 = "FIN-WAIT-2"
    CLOSE_WAIT = "CLOSE-WAIT"
    CLOSING = "CLOSING"
    LAST_ACK = "LAST-ACK"
    TIME_WAIT = "TIME-WAIT"


class TcpInput(Enum):
    """What can happen to an endpoint: a user call, a classified segment, or a timer."""

    __hash__ = object.__hash__

    PASSIVE_OPEN = "listen"
    ACTIVE_OPEN = "connect"
    SEND = "send"
    CLOSE = "close"
    ABORT = "abort"
    RCV_SYN = "rcv SYN"
    RCV_SYN_ACK = "rcv SYN-ACK"
    RCV_ACK = "rcv ACK"
    RCV_ACK_OF_FIN = "rcv ACK of FIN"
    RCV_FIN = "rcv FIN"
    RCV_FIN_ACK_OF_FIN = "rcv FIN + ACK of FIN"
    RCV_RST = "rcv RST"
    RCV_RST_ACTIVE = "rcv RST (after active open)"
    RCV_UNACCEPTABLE = "rcv old duplicate"
    RTO = "RTO expires"
    GIVE_UP = "retries exhausted"
    GIVE_UP_PASSIVE = "retries exhausted (after passive open)"
    RCV_NO_CONNECTION = "rcv segment (no connection)"
    TIME_WAIT_TIMEOUT = "2MSL timeout"
    DELAYED_ACK = "delayed-ACK timer"


@result
class Transition(NamedTuple):
    """One table row's result: the action to run and the state to enter."""

    action: str
    next_state: TcpState


S, I = TcpState, TcpInput  # noqa: E741 - short aliases keep the table one row per line

_ROWS: list[tuple[TcpState, TcpInput, str, TcpState]] = [
    # opening (RFC 9293 §3.5, Figure 5)
    (S.CLOSED, I.PASSIVE_OPEN, "listen", S.LISTEN),
    (S.CLOSED, I.ACTIVE_OPEN, "send_syn", S.SYN_SENT),
    (S.LISTEN, I.RCV_SYN, "send_syn_ack", S.SYN_RECEIVED),
    (S.LISTEN, I.ACTIVE_OPEN, "send_syn", S.SYN_SENT),
    (S.LISTEN, I.CLOSE, "delete_tcb", S.CLOSED),
    (S.LISTEN, I.RCV_RST, "ignore", S.LISTEN),
    (S.SYN_SENT, I.RCV_SYN_ACK, "send_ack", S.ESTABLISHED),
    (S.SYN_SENT, I.RCV_SYN, "send_syn_ack", S.SYN_RECEIVED),  # simultaneous open
    (S.SYN_SENT, I.RCV_RST, "refused", S.CLOSED),
    (S.SYN_SENT, I.CLOSE, "delete_tcb", S.CLOSED),
    (S.SYN_SENT, I.RTO, "retransmit", S.SYN_SENT),
    (S.SYN_SENT, I.GIVE_UP, "give_up", S.CLOSED),
    (S.SYN_RECEIVED, I.RCV_ACK, "established", S.ESTABLISHED),
    (S.SYN_RECEIVED, I.RCV_SYN_ACK, "established", S.ESTABLISHED),  # simultaneous open
    (S.SYN_RECEIVED, I.RCV_FIN, "established_ack_fin", S.CLOSE_WAIT),
    (S.SYN_RECEIVED, I.RCV_UNACCEPTABLE, "resend_syn_ack", S.SYN_RECEIVED),
    (S.SYN_RECEIVED, I.RCV_RST, "back_to_listen", S.LISTEN),
    (S.SYN_RECEIVED, I.RCV_RST_ACTIVE, "refused", S.CLOSED),
    (S.SYN_RECEIVED, I.CLOSE, "send_fin", S.FIN_WAIT_1),
    (S.SYN_RECEIVED, I.ABORT, "send_rst", S.CLOSED),
    (S.SYN_RECEIVED, I.RTO, "retransmit", S.SYN_RECEIVED),
    (S.SYN_RECEIVED, I.GIVE_UP, "give_up", S.CLOSED),
    (S.SYN_RECEIVED, I.GIVE_UP_PASSIVE, "drop_request", S.LISTEN),  # the listener stays
    # no connection (§3.10.7.1): a RST is ignored, anything else is answered with a RST
    (S.CLOSED, I.RCV_NO_CONNECTION, "reset_stray", S.CLOSED),
    # data transfer (§3.10.7.4)
    (S.ESTABLISHED, I.SEND, "send_data", S.ESTABLISHED),
    (S.ESTABLISHED, I.RCV_ACK, "receive", S.ESTABLISHED),
    (S.ESTABLISHED, I.RCV_FIN, "ack_fin", S.CLOSE_WAIT),
    (S.ESTABLISHED, I.CLOSE, "send_fin", S.FIN_WAIT_1),
    # closing (§3.6, Figures 12 and 13)
    (S.FIN_WAIT_1, I.RCV_ACK, "receive", S.FIN_WAIT_1),
    (S.FIN_WAIT_1, I.RCV_ACK_OF_FIN, "receive", S.FIN_WAIT_2),
    (S.FIN_WAIT_1, I.RCV_FIN, "ack_fin", S.CLOSING),  # simultaneous close
    (S.FIN_WAIT_1, I.RCV_FIN_ACK_OF_FIN, "ack_fin_time_wait", S.TIME_WAIT),
    (S.FIN_WAIT_2, I.RCV_ACK, "receive", S.FIN_WAIT_2),  # half-close: the peer still sends
    (S.FIN_WAIT_2, I.RCV_FIN, "ack_fin_time_wait", S.TIME_WAIT),
    (S.CLOSE_WAIT, I.SEND, "send_data", S.CLOSE_WAIT),  # half-close: we still send
    (S.CLOSE_WAIT, I.RCV_ACK, "receive", S.CLOSE_WAIT),
    (S.CLOSE_WAIT, I.CLOSE, "send_fin", S.LAST_ACK),  # carries any ACK still held back
    (S.CLOSE_WAIT, I.DELAYED_ACK, "send_ack", S.CLOSE_WAIT),
    (S.CLOSING, I.RCV_ACK, "receive", S.CLOSING),
    (S.CLOSING, I.RCV_ACK_OF_FIN, "start_time_wait", S.TIME_WAIT),
    (S.LAST_ACK, I.RCV_ACK, "receive", S.LAST_ACK),
    (S.LAST_ACK, I.RCV_ACK_OF_FIN, "delete_tcb", S.CLOSED),
    (S.TIME_WAIT, I.RCV_UNACCEPTABLE, "ack_restart_time_wait", S.TIME_WAIT),
    (S.TIME_WAIT, I.RCV_RST, "reset", S.CLOSED),
    (S.TIME_WAIT, I.TIME_WAIT_TIMEOUT, "delete_tcb", S.CLOSED),
]

# Rows every state with an open send side shares: re-ACK unacceptable segments, obey RST,
# let the user abort, retransmit on RTO and give up when the retries run out.
for _state in (S.ESTABLISHED, S.FIN_WAIT_1, S.FIN_WAIT_2, S.CLOSE_WAIT, S.CLOSING, S.LAST_ACK):
    _ROWS.append((_state, I.RCV_UNACCEPTABLE, "send_ack", _state))
    _ROWS.append((_state, I.RCV_RST, "reset", S.CLOSED))
    if _state is not S.FIN_WAIT_2:
        _ROWS.append((_state, I.RTO, "retransmit", _state))
        _ROWS.append((_state, I.GIVE_UP, "give_up", S.CLOSED))
    if _state in (S.ESTABLISHED, S.FIN_WAIT_1, S.FIN_WAIT_2, S.CLOSE_WAIT):
        _ROWS.append((_state, I.ABORT, "send_rst", S.CLOSED))

#: The transition table: ``(state, input) -> Transition(action, next_state)``.
TRANSITIONS: dict[tuple[TcpState, TcpInput], Transition] = {}
for _state, _input, _action, _next in _ROWS:
    if (_state, _input) in TRANSITIONS:
        raise AssertionError(f"duplicate row {_state.name}, {_input.name}")
    TRANSITIONS[(_state, _input)] = Transition(_action, _next)


@public
def allowed_inputs(state: TcpState) -> list[TcpInput]:
    """The inputs the table accepts in ``state``, in declaration order."""
    return [i for i in TcpInput if (state, i) in TRANSITIONS]


#: Inputs that tear a connection down abnormally; the default diagram leaves them out.
ABNORMAL_INPUTS = frozenset({TcpInput.RCV_RST, TcpInput.RCV_RST_ACTIVE, TcpInput.ABORT,
                             TcpInput.GIVE_UP, TcpInput.GIVE_UP_PASSIVE})


@public
def state_diagram_mermaid(*, self_loops: bool = False, abnormal: bool = False) -> str:
    """Mermaid ``stateDiagram-v2`` source drawn from :data:`TRANSITIONS`.

    One arrow per pair of distinct states, labelled with every input that makes that move.
    Rows that stay in the same state are left out unless ``self_loops`` is true; resets,
    aborts and give-ups are left out unless ``abnormal`` is true.
    """
    edges: dict[tuple[TcpState, TcpState], list[str]] = {}
    for (state, tcp_input), (_, next_state) in TRANSITIONS.items():
        if (state is next_state and not self_loops) or (
                tcp_input in ABNORMAL_INPUTS and not abnormal):
            continue
        edges.setdefault((state, next_state), []).append(tcp_input.value)
    lines = ["stateDiagram-v2"]
    lines += [f'    state "{s.value}" as {s.name}' for s in TcpState]
    lines.append("    [*] --> CLOSED")
    for (src, dst), labels in edges.items():
        lines.append(f"    {src.name} --> {dst.name}: {', '.join(labels)}")
    return "\n".join(lines) + "\n"


@public
def full_state_diagram_mermaid() -> str:
    """The diagram with every state-changing row, resets and timeouts included."""
    return state_diagram_mermaid(abnormal=True)
