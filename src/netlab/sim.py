"""Shared simpy pieces: a lossy, delaying link with an injected random source.

Processes are generator functions taking ``env`` first; parameters live in frozen
config objects; randomness comes from a ``random.Random`` passed in, never from
module state, so a seed fixes every run.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import simpy

from netlab._check import check_float, check_probability


@dataclass(frozen=True)
class LinkConfig:
    """A one-way link: propagation delay and independent (Bernoulli) loss per item."""

    delay_s: float
    loss_rate: float = 0.0

    def __post_init__(self) -> None:
        check_float("delay_s", self.delay_s, min_value=0.0)
        check_probability("loss_rate", self.loss_rate)


class LossyLink:
    """Carry items from one process to another after ``delay_s``, dropping each with ``loss_rate``."""

    def __init__(self, env: simpy.Environment, config: LinkConfig, rng: random.Random,
                 on_drop: Callable[[Any], None] | None = None) -> None:
        if not isinstance(rng, random.Random):
            raise ValueError("rng must be a random.Random instance (seeded by the caller)")
        self.env = env
        self.config = config
        self.rng = rng
        self.inbox: simpy.Store = simpy.Store(env)
        self.on_drop = on_drop
        self.sent = 0
        self.dropped = 0

    def send(self, item: Any) -> bool:
        """Put ``item`` on the link; return False if it will be lost."""
        self.sent += 1
        if self.rng.random() < self.config.loss_rate:
            self.dropped += 1
            if self.on_drop is not None:
                self.on_drop(item)
            return False
        self.env.process(self._deliver(item))
        return True

    def _deliver(self, item: Any):  # simpy process
        yield self.env.timeout(self.config.delay_s)
        yield self.inbox.put(item)
