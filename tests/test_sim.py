"""netlab.sim: the restartable timer (the lossy link is tested through transport's ARQ)."""

from __future__ import annotations

import pytest
import simpy

from netlab.sim import RestartableTimer


def _timer() -> tuple[simpy.Environment, RestartableTimer, list[float]]:
    env = simpy.Environment()
    fired: list[float] = []
    return env, RestartableTimer(env, lambda: fired.append(env.now)), fired


def test_fires_once_at_the_latest_deadline_and_can_be_stopped() -> None:
    env, timer, fired = _timer()
    timer.arm(1.0)
    env.run(until=0.5)
    timer.arm(1.0)  # restarted at 0.5: now due at 1.5
    assert timer.deadline == 1.5 and timer.running
    env.run(until=3.0)
    assert fired == [1.5] and not timer.running
    timer.arm(0.2)  # due at 3.2, stopped at 3.1: never fires
    env.run(until=3.1)
    timer.stop()
    env.run(until=5.0)
    assert fired == [1.5]


def test_a_deadline_brought_forward_fires_early_and_only_once() -> None:
    env, timer, fired = _timer()
    timer.arm(5.0)
    timer.arm(1.0)  # brought forward: the pending check at 5 finds nothing to do
    env.run(until=10.0)
    assert fired == [1.0]


def test_re_arming_on_every_ack_schedules_events_per_deadline_not_per_re_arm() -> None:
    env, timer, fired = _timer()
    scheduled: list[float] = []
    timeout = env.timeout
    env.timeout = lambda delay, value=None: (scheduled.append(delay), timeout(delay, value))[1]

    def acks(env: simpy.Environment):  # an ACK every 10 ms for 1 s restarts a 200 ms RTO
        for _ in range(100):
            timer.arm(0.2)
            yield timeout(0.01)

    env.process(acks(env))
    env.run()
    assert fired == [pytest.approx(0.99 + 0.2)]
    assert len(scheduled) <= 7  # one wait per 200 ms of deadline, not one per ACK (100)


def test_the_timer_can_re_arm_itself_from_its_callback() -> None:
    env = simpy.Environment()
    fired: list[float] = []

    def fire() -> None:  # a backoff: each expiry doubles the next interval, three times
        fired.append(env.now)
        if len(fired) < 3:
            timer.arm(2.0 ** len(fired))

    timer = RestartableTimer(env, fire)
    timer.arm(1.0)
    env.run()
    assert fired == [1.0, 3.0, 7.0]


@pytest.mark.parametrize("delay_s", [-1.0, float("nan"), float("inf"), True, "1"])
def test_a_bad_delay_names_the_parameter(delay_s: object) -> None:
    _, timer, _ = _timer()
    with pytest.raises(ValueError, match="^arm: delay_s: "):
        timer.arm(delay_s)  # type: ignore[arg-type]
    assert not timer.running  # nothing changed


def test_bad_constructor_arguments_name_the_parameter() -> None:
    with pytest.raises(ValueError, match="^RestartableTimer: env: "):
        RestartableTimer("not an env", lambda: None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="^RestartableTimer: fire: "):
        RestartableTimer(simpy.Environment(), fire=42)  # type: ignore[arg-type]
