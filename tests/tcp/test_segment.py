"""Segments and sequence-number arithmetic."""

from __future__ import annotations

import pytest

from netlab.tcp import Segment, flag_names, make_segment, seq_add, seq_le, seq_lt


def test_seg_len_counts_syn_and_fin() -> None:
    assert Segment(0, 0, "S").seg_len == 1
    assert Segment(0, 0, "FA", payload=b"abc").seg_len == 4
    assert Segment(0, 0, "A").seg_len == 0


def test_flag_names_use_the_rfc_words() -> None:
    assert flag_names("SA") == "SYN-ACK"
    assert flag_names("FA") == "FIN-ACK"
    assert flag_names("PA") == "PSH-ACK"
    with pytest.raises(ValueError, match="flag_names: flags: must be letters"):
        flag_names("SYC")


def test_describe_is_relative_to_the_isns() -> None:
    seg = Segment(1001, 5001, "SA")
    assert seg.describe(isn_self=1000, isn_peer=5000) == "SYN-ACK seq=1 ack=1"


def test_sequence_numbers_wrap_modulo_2_32() -> None:
    assert seq_add(2**32 - 1, 2) == 1
    assert seq_lt(2**32 - 10, 5) and not seq_lt(5, 2**32 - 10)
    assert seq_le(7, 7) and not seq_lt(7, 7)


def test_make_segment_checks_every_field() -> None:
    assert make_segment(seq=1, ack=2, flags="A") == Segment(1, 2, "A")
    with pytest.raises(ValueError, match="make_segment: seq: Input should be less than or equal to 4294"):
        make_segment(seq=2**32, ack=0, flags="S")
    with pytest.raises(ValueError, match="make_segment: flags: must be one of"):
        make_segment(seq=0, ack=0, flags="SF")
    with pytest.raises(ValueError, match="make_segment: window: Input should be greater than or equal to 0"):
        make_segment(seq=0, ack=0, flags="A", window=-1)
    with pytest.raises(ValueError, match="make_segment: payload: Input should be a valid bytes"):
        make_segment(seq=0, ack=0, flags="PA", payload="text")
