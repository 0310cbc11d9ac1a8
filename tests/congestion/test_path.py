"""The path's pieces on their own: the drop-tail bottleneck and the restartable timer."""

from __future__ import annotations

import random

import simpy

from netlab.congestion.path import Bottleneck, LazyTimer, PathConfig


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


def test_lazy_timer_fires_once_at_the_latest_deadline_and_can_be_stopped() -> None:
    env = simpy.Environment()
    fired: list[float] = []
    timer = LazyTimer(env, lambda: fired.append(env.now))
    timer.arm(1.0)
    env.run(until=0.5)
    timer.arm(1.0)  # restarted at 0.5: now due at 1.5
    env.run(until=3.0)
    assert fired == [1.5] and not timer.running
    timer.arm(0.2)  # due at 3.2, stopped at 3.1: never fires
    env.run(until=3.1)
    timer.stop()
    env.run(until=5.0)
    assert fired == [1.5]
