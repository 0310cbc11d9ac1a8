"""The transition table: names, reachability, illegal inputs, and the diagram drawn from it."""

from __future__ import annotations

import re

import pytest

from netlab.tcp import (
    ABNORMAL_INPUTS,
    TRANSITIONS,
    Segment,
    TcpConnection,
    TcpInput,
    TcpProtocolError,
    TcpState,
    allowed_inputs,
    full_state_diagram_mermaid,
    state_diagram_mermaid,
)

S = TcpState
RFC_NAMES = ["CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1",
             "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"]


def one(segments: list[Segment]) -> Segment:
    assert len(segments) == 1
    return segments[0]


def reach(state: TcpState) -> TcpConnection:
    """A real connection driven into ``state`` through its public API."""
    client, server = TcpConnection(isn=100), TcpConnection(isn=300)
    if state is S.CLOSED:
        return client
    server.listen(now=0.0)
    if state is S.LISTEN:
        return server
    syn = one(client.connect(now=0.0).segments)
    if state is S.SYN_SENT:
        return client
    syn_ack = one(server.receive(syn, now=0.0).segments)
    if state is S.SYN_RECEIVED:
        return server
    server.receive(one(client.receive(syn_ack, now=0.0).segments), now=0.0)
    if state is S.ESTABLISHED:
        return client
    fin = one(client.close(now=0.0).segments)
    if state is S.CLOSING:
        client.receive(one(server.close(now=0.0).segments), now=0.0)
        return client
    if state is S.FIN_WAIT_1:
        return client
    ack = one(server.receive(fin, now=0.0).segments)
    if state is S.CLOSE_WAIT:
        return server
    client.receive(ack, now=0.0)
    if state is S.FIN_WAIT_2:
        return client
    server_fin = one(server.close(now=0.0).segments)
    if state is S.LAST_ACK:
        return server
    client.receive(server_fin, now=0.0)
    assert state is S.TIME_WAIT
    return client


def test_the_eleven_rfc9293_states() -> None:
    assert [s.name for s in TcpState] == RFC_NAMES
    assert S.SYN_RECEIVED.value == "SYN-RECEIVED" and S.TIME_WAIT.value == "TIME-WAIT"


@pytest.mark.parametrize("state", list(TcpState), ids=lambda s: s.name)
def test_every_state_is_reached_from_closed_through_the_api(state: TcpState) -> None:
    assert reach(state).state is state


def test_every_state_is_reachable_in_the_table() -> None:
    seen, frontier = {S.CLOSED}, [S.CLOSED]
    while frontier:
        state = frontier.pop()
        for (src, _), row in TRANSITIONS.items():
            if src is state and row.next_state not in seen:
                seen.add(row.next_state)
                frontier.append(row.next_state)
    assert seen == set(TcpState)


@pytest.mark.parametrize("state", list(TcpState), ids=lambda s: s.name)
def test_every_illegal_input_raises_and_keeps_the_state(state: TcpState) -> None:
    conn = reach(state)
    before = (conn.snd_una, conn.snd_nxt, conn.rcv_nxt, conn.timer_deadline())
    illegal = [i for i in TcpInput if (state, i) not in TRANSITIONS]
    assert illegal, "every state refuses something"
    for tcp_input in illegal:
        with pytest.raises(TcpProtocolError, match=f"{re.escape(tcp_input.value)} is not "
                                                   f"allowed in {state.value}"):
            conn._run(tcp_input, 0.0, None)
        assert conn.state is state
    assert (conn.snd_una, conn.snd_nxt, conn.rcv_nxt, conn.timer_deadline()) == before


@pytest.mark.parametrize("state", list(TcpState), ids=lambda s: s.name)
def test_illegal_user_calls_raise_through_the_public_api(state: TcpState) -> None:
    calls = {TcpInput.PASSIVE_OPEN: lambda c: c.listen(now=0.0),
             TcpInput.ACTIVE_OPEN: lambda c: c.connect(now=0.0),
             TcpInput.SEND: lambda c: c.send(b"x", now=0.0),
             TcpInput.CLOSE: lambda c: c.close(now=0.0),
             TcpInput.ABORT: lambda c: c.abort(now=0.0)}
    for tcp_input, call in calls.items():
        if (state, tcp_input) in TRANSITIONS:
            continue
        conn = reach(state)
        with pytest.raises(TcpProtocolError):
            call(conn)
        assert conn.state is state


def test_allowed_inputs_lists_the_table_rows() -> None:
    assert allowed_inputs(S.LISTEN) == [TcpInput.ACTIVE_OPEN, TcpInput.CLOSE, TcpInput.RCV_SYN,
                                        TcpInput.RCV_RST]
    with pytest.raises(ValueError, match="allowed_inputs: state: Input should be an instance of TcpState"):
        allowed_inputs("LISTEN")


def _edges(source: str) -> set[tuple[str, str, str]]:
    edges = set()
    for src, dst, labels in re.findall(r"^    (\w+) --> (\w+): (.+)$", source, re.MULTILINE):
        edges |= {(src, dst, label) for label in labels.split(", ")}
    return edges


@pytest.mark.parametrize("abnormal", [False, True])
def test_diagram_is_exactly_the_table(abnormal: bool) -> None:
    source = state_diagram_mermaid(abnormal=abnormal)
    expected = {(s.name, row.next_state.name, i.value) for (s, i), row in TRANSITIONS.items()
                if s is not row.next_state and (abnormal or i not in ABNORMAL_INPUTS)}
    assert _edges(source) == expected
    assert source.startswith("stateDiagram-v2\n")
    assert 'state "TIME-WAIT" as TIME_WAIT' in source


def test_default_diagram_shows_the_textbook_paths() -> None:
    edges = _edges(state_diagram_mermaid())
    assert ("FIN_WAIT_2", "TIME_WAIT", "rcv FIN") in edges
    assert ("CLOSE_WAIT", "LAST_ACK", "close") in edges
    assert ("FIN_WAIT_1", "CLOSING", "rcv FIN") in edges
    assert not any(label == "rcv RST" for _, _, label in edges)
    assert full_state_diagram_mermaid() == state_diagram_mermaid(abnormal=True)
    assert len(_edges(state_diagram_mermaid(self_loops=True))) > len(edges)


def test_diagram_rejects_bad_flags() -> None:
    with pytest.raises(ValueError, match="state_diagram_mermaid: self_loops: Input should be a valid"):
        state_diagram_mermaid(self_loops="yes")
    with pytest.raises(ValueError, match="state_diagram_mermaid: abnormal: Input should be a valid boolean"):
        state_diagram_mermaid(abnormal=1)
