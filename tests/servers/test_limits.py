"""Descriptor limits, Slowloris, the accept queue, the thundering herd and SO_REUSEPORT."""

import sys

import pytest

from netlab.servers import (
    ClientScript,
    EventLoopServer,
    ThreadPoolServer,
    accept_queue,
    herd_wakeups,
    measure_fd_limit,
    measure_slowloris,
    reuseport_spread,
    run_load,
)

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux behaviour")


@linux_only
@pytest.mark.parametrize("design", ["thread pool", "event loop"])
def test_out_of_descriptors_accept_fails_and_the_rest_wait_in_the_queue(design):
    result = measure_fd_limit(design, clients=10, spare_fds=6)
    assert (result.answered_while_full, result.waiting_while_full) == (6, 4)
    assert result.accept_errors_seen
    assert (result.answered_in_the_end, result.failed) == (10, 0)


def test_slowloris_holds_every_worker_of_a_pool_until_the_header_deadline():
    off = measure_slowloris("thread pool", slow_clients=4, legit=2, pool_size=4, attack_s=1.0)
    assert off.denied and off.slow_dropped_by_server == 0
    assert off.legit_answered == 2  # answered once the attackers give up
    idle_only = measure_slowloris("thread pool", slow_clients=4, legit=2, pool_size=4,
                                  attack_s=1.0, keepalive_timeout_s=0.3)
    assert idle_only.denied, "every byte restarts an idle timeout"
    on = measure_slowloris("thread pool", slow_clients=4, legit=2, pool_size=4, attack_s=1.0,
                           header_timeout_s=0.3)
    assert (on.denied, on.slow_dropped_by_server, on.legit_answered_during_attack) == (False, 4, 2)


def test_slowloris_costs_an_event_loop_connections_not_its_thread():
    off = measure_slowloris("event loop", slow_clients=4, legit=2, attack_s=1.0)
    assert (off.denied, off.slow_dropped_by_server, off.legit_answered_during_attack) == (
        False, 0, 2)
    on = measure_slowloris("event loop", slow_clients=4, legit=2, attack_s=1.0,
                           header_timeout_s=0.3)
    assert on.slow_dropped_by_server == 4


def test_header_deadline_does_not_touch_idle_keep_alive_or_complete_requests():
    for server in (ThreadPoolServer(pool_size=2, header_timeout_s=0.1),
                   EventLoopServer(header_timeout_s=0.1)):
        with server:
            report = run_load(server, [ClientScript(requests=3, think_s=0.2)])
            assert report.served == 3
            assert server.stats().header_timeouts == 0


def test_slowloris_trickle_must_be_shorter_than_the_idle_timeout():
    with pytest.raises(ValueError, match="trickle_s must be shorter than keepalive_timeout_s"):
        measure_slowloris("event loop", trickle_s=0.5, keepalive_timeout_s=0.3)


@linux_only
def test_accept_queue_holds_backlog_plus_one_and_backlog_is_capped_at_somaxconn():
    from netlab.probes import sysctl

    small = accept_queue(2, 6)
    assert (small.backlog_in_force, small.queued) == (2, 3)
    assert accept_queue(0, 3).queued == 1
    huge = accept_queue(65535, 0)
    assert huge.backlog_in_force == min(65535, sysctl("net.core.somaxconn"))


@linux_only
def test_epollexclusive_wakes_one_waiter_instead_of_all():
    assert herd_wakeups(4, exclusive=False) == 4
    assert herd_wakeups(4, exclusive=True) == 1


@linux_only
def test_reuseport_spreads_connections_over_every_listener():
    spread = reuseport_spread(4, 64)
    assert sum(spread.per_listener) == 64
    assert all(count > 0 for count in spread.per_listener)
    assert spread.second_bind_without_reuseport == "EADDRINUSE"
