"""Shared simpy pieces: a lossy, delaying link and a restartable timer.

Processes are generator functions taking ``env`` first; parameters live in frozen
config objects; randomness comes from a ``random.Random`` passed in, never from
module state, so a seed fixes every run.

:class:`RestartableTimer` is the one timer of every simulation that re-arms a deadline
over and over (TCP's retransmission and persist timers restart on every ACK, RFC 6298
§5): re-arming only moves the deadline, nothing is cancelled, and one pending simpy
event checks the deadline when it comes due and waits again if it moved later. A run
schedules one event per deadline that is reached or brought forward, not one per
re-arm, so the simulation stays linear in what it simulates.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import simpy

from netlab._check import check_float, check_probability
from netlab._validate import ArgumentError, public


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


_SLACK_S = 1e-9  # deadlines this close to now count as reached (float sums of delays)


@public
class RestartableTimer:
    """A timer that calls ``fire()`` once its deadline is reached; re-arming moves the deadline."""

    def __init__(self, env: simpy.Environment, fire: Callable[[], Any]) -> None:
        self.env = env
        self.fire = fire
        self.deadline: float | None = None  #: when it fires, or None while stopped
        self._next_check: float | None = None

    def arm(self, delay_s: float) -> None:
        """(Re)start the timer to fire ``delay_s`` seconds from now."""
        if not (isinstance(delay_s, int | float) and 0 <= delay_s < math.inf) \
                or isinstance(delay_s, bool):  # checked by hand: called in inner loops
            raise ArgumentError(f"arm: delay_s: must be a finite number >= 0, got {delay_s!r}")
        self.deadline = self.env.now + delay_s
        if self._next_check is None or self._next_check > self.deadline + 1e-12:
            self._next_check = self.deadline
            self.env.timeout(delay_s).callbacks.append(self._check)

    def stop(self) -> None:
        """Stop the timer; a pending check will find nothing to do."""
        self.deadline = None

    @property
    def running(self) -> bool:
        """True while the timer is armed."""
        return self.deadline is not None

    def _check(self, _event: simpy.Event) -> None:
        now = self.env.now
        if self._next_check is not None and self._next_check <= now + 1e-12:
            self._next_check = None
        if self.deadline is None:
            return
        if self.deadline > now + _SLACK_S:  # re-armed later meanwhile: wait again
            self.arm(self.deadline - now)
            return
        self.deadline = None
        self.fire()
