"""The path's pieces on their own: the drop-tail bottleneck and its loss models."""

from __future__ import annotations

import random

from netlab.congestion.path import Bottleneck, PathConfig


def test_bottleneck_serializes_and_drops_when_the_queue_is_full() -> None:
    cfg = PathConfig(rtt_s=0.1, bottleneck_bps=8000.0, queue_packets=2, loss_rate=0.0,
                     loss_model="bernoulli")
    link = Bottleneck(cfg, random.Random(0))
    # 1000-byte packets at 8000 bit/s take 1 s each; one on the wire plus two waiting.
    assert [link.admit(0.0, 1000) for _ in range(4)] == [1.0, 2.0, 3.0, None]
    assert link.backlog(0.0) == 3
    assert link.backlog(1.0) == 2
    assert link.admit(1.0, 1000) == 4.0  # a slot freed when the first packet left


def test_periodic_loss_drops_exactly_every_nth_segment() -> None:
    cfg = PathConfig(rtt_s=0.1, bottleneck_bps=None, queue_packets=0, loss_rate=0.25,
                     loss_model="periodic")
    link = Bottleneck(cfg, random.Random(0))

    class Flow:
        data_count = 0

    flow = Flow()
    assert [link.random_drop(flow) for _ in range(8)] == [False, False, False, True] * 2

