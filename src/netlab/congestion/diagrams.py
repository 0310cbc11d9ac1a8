"""Reno's phases and BBR's states as transition tables, and the chapter's diagrams drawn
from them.

The tables are the specification the code is tested against: every state change a
simulated flow makes must be a transition the table lists (tests/congestion).
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from netlab._validate import ArgumentError, public


class Phase(Enum):
    """The sender phases of RFC 5681 (with NewReno's recovery, RFC 6582)."""

    SLOW_START = "slow start"
    CONGESTION_AVOIDANCE = "congestion avoidance"
    FAST_RECOVERY = "fast recovery"


#: The signals a sender reacts to, as named in the table below.
SIGNALS = ("new ACK", "cwnd >= ssthresh", "3 duplicate ACKs", "duplicate ACK",
           "partial ACK", "full ACK", "RTO expires")
Signal = Literal["new ACK", "cwnd >= ssthresh", "3 duplicate ACKs", "duplicate ACK",
                 "partial ACK", "full ACK", "RTO expires"]

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


@public
def next_phase(phase: Phase, signal: Signal) -> tuple[str, Phase]:
    """Look up (action, next phase); ValueError if the signal means nothing in that phase."""
    if (phase, signal) not in TRANSITIONS:
        allowed = sorted(s for p, s in TRANSITIONS if p is phase)
        raise ArgumentError(f"next_phase: signal: must be one of {allowed} in {phase.value}, "
                            f"got {signal!r}")
    return TRANSITIONS[(phase, signal)]


@public
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


#: BBR v1's states (tcp_bbr.c) -> (what triggers the move, the gains it sets). The
#: simulated BBR (netlab.congestion.bbr) moves only along these edges.
BBR_TRANSITIONS: dict[tuple[str, str], str] = {
    ("startup", "drain"): "BtlBw grew < 25 % for 3 rounds",
    ("drain", "probe_bw"): "inflight <= 1·BDP",
    ("startup", "probe_rtt"): "RTprop not refreshed for 10 s",
    ("drain", "probe_rtt"): "RTprop not refreshed for 10 s",
    ("probe_bw", "probe_rtt"): "RTprop not refreshed for 10 s",
    ("probe_rtt", "probe_bw"): "200 ms and one round at 4 segments, pipe was full",
    ("probe_rtt", "startup"): "200 ms and one round at 4 segments, pipe not yet full",
}
#: Gains per state: (pacing gain, cwnd gain), in words.
BBR_GAINS = {
    "startup": "pacing 2.89, cwnd 2.89",
    "drain": "pacing 0.35, cwnd 2.89",
    "probe_bw": "pacing 1.25, 0.75, 1 ×6; cwnd 2",
    "probe_rtt": "cwnd 4 segments",
}


@public
def bbr_diagram_mermaid() -> str:
    """Mermaid state diagram of BBR v1, drawn from BBR_TRANSITIONS and BBR_GAINS."""
    lines = ["stateDiagram-v2"]
    for state, gains in BBR_GAINS.items():
        lines.append(f"    {state} : {state} ({gains})")
    lines.append("    [*] --> startup")
    for (source, target), trigger in BBR_TRANSITIONS.items():
        lines.append(f"    {source} --> {target} : {trigger}")
    return "\n".join(lines) + "\n"
