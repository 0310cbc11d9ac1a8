"""The simulated link: traces, tables and sequence diagrams of whole scripts."""

from __future__ import annotations

import pytest

from netlab.tcp import (
    Call,
    Connected,
    LinkConfig,
    TcpState,
    format_table,
    sequence_diagram_mermaid,
    simulate,
    trace_table,
)

S = TcpState
OPEN_DATA_CLOSE = [Call(0, "server", "listen"), Call(0, "client", "connect"),
                   Call(0.5, "client", "send", b"hello"), Call(1.0, "client", "close"),
                   Call(1.5, "server", "close")]


def test_open_data_close_trace() -> None:
    trace = simulate(OPEN_DATA_CLOSE, client_isn=1000, server_isn=5000)
    sent = [(sender, seg.flags, *trace.relative(sender, seg)) for sender, seg in trace.segments()]
    assert sent == [("client", "S", 0, 0), ("server", "SA", 0, 1), ("client", "A", 1, 1),
                    ("client", "PA", 1, 1), ("server", "A", 1, 6), ("client", "FA", 6, 1),
                    ("server", "A", 1, 7), ("server", "FA", 1, 7), ("client", "A", 7, 2)]
    last = trace.rows[-1]
    assert (last.client_state, last.server_state) == (S.CLOSED, S.CLOSED)
    assert last.time_s == pytest.approx(1.55 + 240.0)  # the client's TIME-WAIT ran out
    assert trace.first_time("client", Connected) == pytest.approx(0.1)
    assert trace.first_time("server", Connected) == pytest.approx(0.15)


def test_table_and_diagram_come_from_the_same_trace() -> None:
    trace = simulate(OPEN_DATA_CLOSE, client_isn=1000, server_isn=5000)
    table = trace_table(trace)
    assert table[0] == ("time_s", "dir", "segment", "window", "client", "server")
    assert ("0.05", "C<-S", "SYN-ACK seq=0 ack=1", "65535", "SYN-SENT", "SYN-RECEIVED") in table
    text = format_table(table)
    assert "TIME-WAIT" in text and "LAST-ACK" in text
    diagram = sequence_diagram_mermaid(trace)
    arrows = [line for line in diagram.splitlines() if "->>" in line or "-x" in line]
    assert len(arrows) == len(trace.segments()) == 9
    assert "    C->>S: t=0.00 SYN seq=0" in diagram
    assert "Note left of C: TIME-WAIT" in diagram


def test_forced_drop_shows_as_lost_and_is_retransmitted() -> None:
    trace = simulate(OPEN_DATA_CLOSE[:2], client_isn=1, server_isn=2,
                     link=LinkConfig(drop=frozenset({0})), until_s=5.0)
    rows = [r for r in trace.rows if r.segment is not None]
    assert rows[0].lost and rows[0].segment.flags == "S"
    assert rows[1].segment.flags == "S" and rows[1].time_s == 1.0 and not rows[1].lost
    assert " (lost)" in sequence_diagram_mermaid(trace)


def test_random_loss_is_reproducible_from_the_seed() -> None:
    link = LinkConfig(loss_c2s=0.5, loss_s2c=0.5)

    def run(seed: int) -> list:
        return [(r.time_s, r.lost) for r in simulate(OPEN_DATA_CLOSE[:2], client_isn=1,
                server_isn=2, link=link, seed=seed, until_s=200.0).rows]

    assert run(3) == run(3)
    assert run(3) != run(4)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="LinkConfig: delay_s: Input should be greater than 0"):
        LinkConfig(delay_s=0)
    with pytest.raises(ValueError, match="LinkConfig: loss_c2s: Input should be less than 1"):
        LinkConfig(loss_c2s=1.0)
    with pytest.raises(ValueError, match="Call: side: must be one of"):
        Call(0, "router", "connect")
    with pytest.raises(ValueError, match="Call: call: must be one of"):
        Call(0, "client", "accept")
    with pytest.raises(ValueError, match="data must be non-empty for 'send'"):
        Call(0, "client", "send")
    with pytest.raises(ValueError, match=r"simulate: calls\[0\]: Input should be an instance of Call"):
        simulate([("client", "connect")], client_isn=1, server_isn=2)
    with pytest.raises(ValueError, match="simulate: seed: Input should be greater than or equal to 0"):
        simulate([], client_isn=1, server_isn=2, seed=-1)
    with pytest.raises(ValueError, match="trace_table: trace: Input should be an instance of Trace"):
        trace_table([])
    with pytest.raises(ValueError, match="^format_table: rows"):
        format_table("not a table")
