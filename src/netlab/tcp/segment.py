"""TCP segments as plain values, and the modulo-2**32 arithmetic of sequence numbers.

Flags are written the way scapy prints them (``"S"``, ``"SA"``, ``"PA"``, ``"FA"``, ``"R"``):
one letter per control bit in header order F, S, R, P, A, so a segment from the state
machine and one dissected from a real capture compare as equal strings.
"""

from __future__ import annotations

from dataclasses import dataclass

from netlab._check import check_bytes, check_choice, check_int

SEQ_MOD = 2**32
_HALF = 2**31
FLAG_ORDER = "FSRPA"
FLAG_NAMES = {"F": "FIN", "S": "SYN", "R": "RST", "P": "PSH", "A": "ACK"}
#: Every flag combination the state machine sends or accepts.
FLAG_SETS = frozenset({"S", "SA", "A", "PA", "FA", "FPA", "R", "RA"})


@dataclass(frozen=True, slots=True)
class Segment:
    """One TCP segment: sequence and acknowledgement numbers, flags, window and payload."""

    seq: int
    ack: int
    flags: str
    window: int = 65535
    payload: bytes = b""

    @property
    def seg_len(self) -> int:
        """Sequence space the segment occupies: payload bytes plus one for SYN and for FIN."""
        return len(self.payload) + ("S" in self.flags) + ("F" in self.flags)

    def describe(self, *, isn_self: int = 0, isn_peer: int = 0) -> str:
        """Short text such as ``SYN-ACK seq=0 ack=1``, with numbers relative to the two ISNs."""
        seq = (self.seq - isn_self) % SEQ_MOD
        text = f"{flag_names(self.flags)} seq={seq}"
        if "A" in self.flags:
            text += f" ack={(self.ack - isn_peer) % SEQ_MOD}"
        if self.payload:
            text += f" len={len(self.payload)}"
        return text


def make_segment(*, seq: int, ack: int, flags: str, window: int = 65535,
                 payload: bytes = b"") -> Segment:
    """Build a Segment after checking every field against the TCP header's ranges."""
    check_int("seq", seq, min_value=0, max_value=SEQ_MOD - 1)
    check_int("ack", ack, min_value=0, max_value=SEQ_MOD - 1)
    check_choice("flags", flags, FLAG_SETS)
    check_int("window", window, min_value=0, max_value=2**30)
    check_bytes("payload", payload)
    return Segment(seq, ack, flags, window, bytes(payload))


def flag_names(flags: str) -> str:
    """``"SA"`` -> ``"SYN-ACK"``, ``"FA"`` -> ``"FIN-ACK"``: the names used in prose."""
    if not flags or any(letter not in FLAG_NAMES for letter in flags):
        raise ValueError(f"flags must be letters from {FLAG_ORDER!r}, got {flags!r}")
    return "-".join(FLAG_NAMES[letter] for letter in FLAG_ORDER if letter in flags)


def seq_add(seq: int, n: int) -> int:
    """``seq + n`` modulo 2**32."""
    return (seq + n) % SEQ_MOD


def seq_lt(a: int, b: int) -> bool:
    """True if sequence number ``a`` comes before ``b`` (RFC 9293 §3.4 modular comparison)."""
    return 0 < (b - a) % SEQ_MOD < _HALF


def seq_le(a: int, b: int) -> bool:
    """True if ``a`` equals ``b`` or comes before it, modulo 2**32."""
    return (b - a) % SEQ_MOD < _HALF
