"""Reno's phase table and the diagram drawn from it."""

from __future__ import annotations

import pytest

from netlab.congestion import Phase, next_phase, phase_diagram_mermaid
from netlab.congestion.diagrams import TRANSITIONS


def test_a_loss_episode_walks_the_table() -> None:
    phase = Phase.SLOW_START
    steps = ["new ACK", "cwnd >= ssthresh", "new ACK", "3 duplicate ACKs", "duplicate ACK",
             "partial ACK", "full ACK", "RTO expires"]
    seen = []
    for signal in steps:
        _, phase = next_phase(phase, signal)
        seen.append(phase)
    assert seen == [Phase.SLOW_START, Phase.CONGESTION_AVOIDANCE, Phase.CONGESTION_AVOIDANCE,
                    Phase.FAST_RECOVERY, Phase.FAST_RECOVERY, Phase.FAST_RECOVERY,
                    Phase.CONGESTION_AVOIDANCE, Phase.SLOW_START]


def test_meaningless_signals_are_refused() -> None:
    with pytest.raises(ValueError, match="signal: must be one of .* in fast recovery"):
        next_phase(Phase.FAST_RECOVERY, "cwnd >= ssthresh")
    with pytest.raises(ValueError, match="signal: Input should be 'new ACK'"):
        next_phase(Phase.SLOW_START, "ECN")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="phase: Input should be an instance of Phase"):
        next_phase("slow start", "new ACK")  # type: ignore[arg-type]


def test_diagram_has_one_edge_per_transition() -> None:
    text = phase_diagram_mermaid()
    assert text.startswith("stateDiagram-v2\n")
    assert text.count(" --> ") == len(TRANSITIONS) + 1  # plus the initial arrow
    assert "FR --> CA : full ACK / cwnd = ssthresh" in text
    assert ";" not in text  # mermaid reads ';' as the end of a statement
