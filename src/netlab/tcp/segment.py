"""TCP segments as plain values, and the modulo-2**32 arithmetic of sequence numbers.

Flags are written the way scapy prints them (``"S"``, ``"SA"``, ``"PA"``, ``"FA"``, ``"R"``):
one letter per control bit in header order F, S, R, P, A, so a segment from the state
machine and one dissected from a real capture compare as equal strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, Field

from netlab._validate import one_of, public, result

SEQ_MOD = 2**32
_HALF = 2**31
#: A 32-bit sequence or acknowledgement number.
SeqNumber = Annotated[int, Field(ge=0, le=SEQ_MOD - 1)]
#: How far a sequence number may be moved in one step: at most the whole space either way.
SeqOffset = Annotated[int, Field(ge=-SEQ_MOD, le=SEQ_MOD)]
FLAG_ORDER = "FSRPA"
FLAG_NAMES = {"F": "FIN", "S": "SYN", "R": "RST", "P": "PSH", "A": "ACK"}
#: Every flag combination the state machine sends or accepts.
FLAG_SETS = frozenset({"S", "SA", "A", "PA", "FA", "FPA", "R", "RA"})


@result
@dataclass(frozen=True, slots=True)
class Segment:
    """One TCP segment: sequence and acknowledgement numbers, flags, window and payload.

    The state machine builds these on its hot path, unchecked; readers build one with
    :func:`make_segment`, which checks every field.
    """

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


@public
def make_segment(*, seq: SeqNumber, ack: SeqNumber,
                 flags: Annotated[str, one_of(FLAG_SETS)],
                 window: Annotated[int, Field(ge=0, le=2**30)] = 65535,
                 payload: Annotated[bytes, Field(max_length=2**20)] = b"") -> Segment:
    """Build a Segment after checking every field against the TCP header's ranges."""
    return Segment(seq, ack, flags, window, bytes(payload))


def _flag_names(flags: str) -> str:
    return "-".join(FLAG_NAMES[letter] for letter in FLAG_ORDER if letter in flags)


def _letters(flags: str) -> str:
    if not flags or any(letter not in FLAG_NAMES for letter in flags):
        raise ValueError(f"must be letters from {FLAG_ORDER!r}")
    return flags


@public
def flag_names(flags: Annotated[str, Field(min_length=1, max_length=5),
                                 AfterValidator(_letters)]) -> str:
    """``"SA"`` -> ``"SYN-ACK"``, ``"FA"`` -> ``"FIN-ACK"``: the names used in prose."""
    return _flag_names(flags)


@public
def seq_add(seq: SeqNumber, n: SeqOffset) -> int:
    """``seq + n`` modulo 2**32."""
    return (seq + n) % SEQ_MOD


@public
def seq_lt(a: SeqNumber, b: SeqNumber) -> bool:
    """True if sequence number ``a`` comes before ``b`` (RFC 9293 §3.4 modular comparison)."""
    return 0 < (b - a) % SEQ_MOD < _HALF


@public
def seq_le(a: SeqNumber, b: SeqNumber) -> bool:
    """True if ``a`` equals ``b`` or comes before it, modulo 2**32."""
    return (b - a) % SEQ_MOD < _HALF
