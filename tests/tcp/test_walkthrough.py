"""The lab's ready-made scripts and the diagrams drawn from them."""

from __future__ import annotations

import pytest

from netlab.tcp import SCRIPTS, TcpState, random_isns, run_script, show_script
from netlab.tcp.walkthrough import (
    server_closes_first_mermaid,
    simultaneous_close_mermaid,
    walkthrough_sequence_mermaid,
)


def test_isns_are_reproducible_and_distinct() -> None:
    assert random_isns(7) == random_isns(7)
    assert random_isns(7) != random_isns(8)
    with pytest.raises(ValueError, match="random_isns: seed: Input should be greater than or equal to 0"):
        random_isns(-1)


@pytest.mark.parametrize(("name", "time_wait"), [
    ("client closes first", {"client"}), ("server closes first", {"server"}),
    ("simultaneous close", {"client", "server"}), ("half-close", {"client"}),
    ("abort (RST)", set())])
def test_who_passes_through_time_wait(name: str, time_wait: set[str]) -> None:
    trace = run_script(name)
    seen = set()
    for row in trace.rows:
        if row.client_state is TcpState.TIME_WAIT:
            seen.add("client")
        if row.server_state is TcpState.TIME_WAIT:
            seen.add("server")
    assert seen == time_wait
    end = trace.rows[-1]
    assert (end.client_state, end.server_state) == (TcpState.CLOSED, TcpState.CLOSED)


def test_diagrams_and_tables_come_from_the_scripts() -> None:
    assert walkthrough_sequence_mermaid().count("->>") == 11
    assert "Note right of S: TIME-WAIT" in server_closes_first_mermaid()
    assert simultaneous_close_mermaid().count("CLOSING") == 2
    assert "RST-ACK" in show_script("abort (RST)")
    assert set(SCRIPTS) == {"client closes first", "server closes first", "simultaneous close",
                            "half-close", "abort (RST)"}
    with pytest.raises(ValueError, match="run_script: name: must be one of"):
        run_script("graceful")
