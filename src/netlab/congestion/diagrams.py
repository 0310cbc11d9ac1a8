"""Reno's phases as one transition table, and the chapter's diagram drawn from it."""

from __future__ import annotations

from enum import Enum

from netlab._check import check_choice


class Phase(Enum):
    """The sender phases of RFC 5681 (with NewReno's recovery, RFC 6582)."""

    SLOW_START = "slow start"
    CONGESTION_AVOIDANCE = "congestion avoidance"
    FAST_RECOVERY = "fast recovery"


#: The signals a sender reacts to, as named in the table below.
SIGNALS = ("new ACK", "cwnd >= ssthresh", "3 duplicate ACKs", "duplicate ACK",
           "partial ACK", "full ACK", "RTO expires")

#: (phase, signal) -> (action, next phase), after RFC 5681 §3.1-§3.2 and RFC 6582 §3.2.
TRANSITIONS: dict[tuple[Phase, str], tuple[str, Phase]] = {
    (Phase.SLOW_START, "new ACK"): ("cwnd += MSS", Phase.SLOW_START),
    (Phase.SLOW_START, "cwnd >= ssthresh"): ("switch to linear growth",
                                             Phase.CONGESTION_AVOIDANCE),
    (Phase.SLOW_START, "3 duplicate ACKs"): ("ssthresh = flight/2, retransmit",
                                             Phase.FAST_RECOVERY),
    (Phase.SLOW_START, "RTO expires"): ("ssthresh = flight/2, cwnd = 1 MSS",
                                        Phase.SLOW_START),
    (Phase.CONGESTION_AVOIDANCE, "new ACK"): ("cwnd += MSS·MSS/cwnd",
                                              Phase.CONGESTION_AVOIDANCE),
    (Phase.CONGESTION_AVOIDANCE, "3 duplicate ACKs"): ("ssthresh = flight/2, retransmit",
                                                       Phase.FAST_RECOVERY),
    (Phase.CONGESTION_AVOIDANCE, "RTO expires"): ("ssthresh = flight/2, cwnd = 1 MSS",
                                                  Phase.SLOW_START),
    (Phase.FAST_RECOVERY, "duplicate ACK"): ("inflate by 1 MSS, send if allowed",
                                             Phase.FAST_RECOVERY),
    (Phase.FAST_RECOVERY, "partial ACK"): ("retransmit next hole", Phase.FAST_RECOVERY),
    (Phase.FAST_RECOVERY, "full ACK"): ("cwnd = ssthresh", Phase.CONGESTION_AVOIDANCE),
    (Phase.FAST_RECOVERY, "RTO expires"): ("ssthresh = flight/2, cwnd = 1 MSS",
                                           Phase.SLOW_START),
}


def next_phase(phase: Phase, signal: str) -> tuple[str, Phase]:
    """Look up (action, next phase); ValueError if the signal means nothing in that phase."""
    if not isinstance(phase, Phase):
        raise ValueError(f"phase must be a Phase, got {phase!r}")
    check_choice("signal", signal, SIGNALS)
    if (phase, signal) not in TRANSITIONS:
        allowed = sorted(s for p, s in TRANSITIONS if p is phase)
        raise ValueError(f"signal must be one of {allowed} in {phase.value}, got {signal!r}")
    return TRANSITIONS[(phase, signal)]


def phase_diagram_mermaid() -> str:
    """Mermaid state diagram of Reno's phases, drawn from TRANSITIONS."""
    ids = {Phase.SLOW_START: "SS", Phase.CONGESTION_AVOIDANCE: "CA",
           Phase.FAST_RECOVERY: "FR"}
    lines = ["stateDiagram-v2"]
    for phase, key in ids.items():
        lines.append(f"    {key} : {phase.value}")
    lines.append("    [*] --> SS : cwnd = IW, ssthresh = ∞")
    for (phase, signal), (action, target) in TRANSITIONS.items():
        lines.append(f"    {ids[phase]} --> {ids[target]} : {signal} / {action}")
    return "\n".join(lines) + "\n"
