"""The committed loopback capture, dissected with scapy, against the state machine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from netlab.tcp.capture import (
    CapturedSegment,
    load_capture,
    model_rows,
    relative_rows,
    replay_in_model,
    syn_option_table,
)

DATA = Path(__file__).resolve().parents[2] / "labs" / "data"
SUMMARY = json.loads((DATA / "02-handshake.json").read_text())


def _replay(info: dict) -> tuple[list[CapturedSegment], list]:
    segments = load_capture(DATA / info["pcap"])
    request = next(s.payload for s in segments if s.sender == "client" and s.payload)
    response = next(s.payload for s in segments if s.sender == "server" and s.payload)
    trace = replay_in_model(request=request, response=response,
                            client_pause_s=info["pause_before_client_close_s"])
    return segments, trace


@pytest.mark.parametrize("scenario", sorted(SUMMARY))
def test_captured_trace_matches_the_machine(scenario: str) -> None:
    segments, trace = _replay(SUMMARY[scenario])
    assert relative_rows(segments) == model_rows(trace)
    end = trace.rows[-1]
    assert end.server_state.name == SUMMARY[scenario]["states_after_close"]["server"]
    assert SUMMARY[scenario]["states_after_close"]["client"] == "gone"
    assert end.client_state.name == "CLOSED"


def test_close_takes_four_or_three_segments() -> None:
    def closing(scenario: str) -> list[str]:
        rows = relative_rows(load_capture(DATA / SUMMARY[scenario]["pcap"]))
        first_fin = next(i for i, r in enumerate(rows) if "F" in r[1])
        return [f"{r[0]}:{r[1]}" for r in rows[first_fin:]]

    assert closing("four-segment-close") == ["server:FA", "client:A", "client:FA", "server:A"]
    assert closing("three-segment-close") == ["server:FA", "client:FA", "server:A"]


def test_linux_syn_options() -> None:
    syn = load_capture(DATA / SUMMARY["four-segment-close"]["pcap"])[0]
    names = [row[0] for row in syn_option_table(syn)]
    assert names == ["MSS", "SAckOK", "Timestamp", "NOP", "WScale"]
    assert dict(syn.options)["MSS"] == 65495  # Linux caps it at 65535 - 40 bytes of headers
    assert 7 <= dict(syn.options)["WScale"] <= 14


def test_time_wait_lasts_sixty_seconds_on_linux() -> None:
    assert {info["time_wait_timer_s"] for info in SUMMARY.values()} == {60}


def test_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="load_capture: path: must name an existing pcap file"):
        load_capture(tmp_path / "missing.pcap")
    with pytest.raises(ValueError, match="relative_rows: segments: List should have at least 1 item"):
        relative_rows([])
    with pytest.raises(ValueError, match="syn_option_table: segment: must be a captured SYN"):
        syn_option_table(load_capture(DATA / SUMMARY["four-segment-close"]["pcap"])[2])
    with pytest.raises(ValueError, match="replay_in_model: client_pause_s: Input should be greater"):
        replay_in_model(request=b"a", response=b"b", client_pause_s=-1.0)
    with pytest.raises(ValueError, match="model_rows: trace: Input should be an instance of Trace"):
        model_rows([])


def test_scenario_helpers() -> None:
    from netlab.tcp.capture import load_summary, replay_scenario, show_capture

    assert set(load_summary(DATA)) == {"four-segment-close", "three-segment-close"}
    text = show_capture(DATA, "four-segment-close")
    assert text.count("same") == 11 and "differs" not in text
    with pytest.raises(ValueError, match="replay_scenario: scenario: must be one of"):
        replay_scenario(DATA, "two-segment-close")
    with pytest.raises(ValueError, match="load_summary: data_dir: must hold 02-handshake.json"):
        load_summary(DATA / "nowhere")
