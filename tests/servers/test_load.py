import math

import pytest

from netlab.servers import (
    ClientScript,
    EventLoopServer,
    ThreadPoolServer,
    open_fd_count,
    run_load,
)


def test_every_request_is_recorded_in_order_with_its_status():
    with EventLoopServer() as server:
        report = run_load(server, [ClientScript(requests=3), ClientScript(path="/missing")])
    assert [(r.client, r.index, r.status) for r in report.records] == [
        (0, 0, 200), (0, 1, 200), (0, 2, 200), (1, 0, 404)]
    assert (report.served, report.unanswered, report.failed_connections) == (4, 0, 0)
    assert not report.timed_out
    assert report.design == "event loop"


def test_snapshot_counts_answered_and_waiting_while_clients_hold():
    with ThreadPoolServer(pool_size=2) as server:
        report = run_load(server, [ClientScript(hold=True)] * 5, settle_s=0.1)
    snap = report.snapshot
    assert (snap.answered, snap.waiting) == (2, 3)
    assert snap.server.busy_workers == 2
    assert report.served == 5  # the three queued ones are served once the holders leave
    assert report.answered_after_release == 3
    assert report.released_s is not None


def test_percentiles_are_nearest_rank_over_answered_requests():
    with EventLoopServer() as server:
        report = run_load(server, [ClientScript()] * 10)
    latencies = sorted(r.latency_s for r in report.records)
    assert report.percentile_s(50) == latencies[4]
    assert report.percentile_s(100) == latencies[-1]
    assert report.percentile_s(0) == latencies[0]


def test_percentile_of_nothing_is_nan():
    with EventLoopServer() as server:
        report = run_load(server, [ClientScript(requests=2, think_s=5)], time_limit_s=0.2)
    assert report.timed_out
    assert report.served == 1
    assert report.unanswered == 0  # the second request was never sent
    empty = type(report)(report.design, (), None, None, 0, True, 0.1)
    assert math.isnan(empty.percentile_s(50))


def test_time_limit_stops_the_run_and_closes_every_client_socket():
    fds = open_fd_count()
    with ThreadPoolServer(pool_size=1) as server:
        scripts = [ClientScript(requests=2, think_s=1.0)] * 3
        report = run_load(server, scripts, time_limit_s=0.3)
        assert report.timed_out
        assert report.unanswered == 2  # two clients stuck in the backlog behind the first
    assert open_fd_count() == fds


def test_gate_holds_a_client_back_until_it_opens():
    opened = []
    with EventLoopServer() as server:
        scripts = [ClientScript(requests=2, think_s=0.05),
                   ClientScript(gate=lambda: server.stats().requests_served >= 2)]
        report = run_load(server, scripts)
        opened.append(server.stats().connections_accepted)
    second_sent = next(r.sent_s for r in report.records if (r.client, r.index) == (0, 1))
    gated = next(r for r in report.records if r.client == 1)
    # The server can only have served two requests after the second one was sent.
    assert gated.sent_s >= second_sent
    assert opened == [2]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ClientScript(requests=0), "^ClientScript: requests: .* greater than or equal to 1, got 0"),
        (lambda: ClientScript(start_s=-1), "^ClientScript: start_s: .* greater than or equal to 0"),
        (lambda: ClientScript(think_s=-0.5), "^ClientScript: think_s: .* greater than or equal to 0"),
        (lambda: ClientScript(path="no-slash"), "^ClientScript: path: .* match pattern"),
        (lambda: ClientScript(hold=None), "^ClientScript: hold: Input should be a valid boolean"),
        (lambda: ClientScript(gate=-1), "^ClientScript: gate: Input should be callable"),
    ],
)
def test_bad_scripts_are_refused_with_a_clear_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_bad_run_arguments_are_refused_with_a_clear_message():
    with EventLoopServer() as server:
        with pytest.raises(ValueError, match="^run_load: scripts: .* at least 1 item"):
            run_load(server, [])
        with pytest.raises(ValueError, match="^run_load: time_limit_s: .* greater than 0"):
            run_load(server, [ClientScript()], time_limit_s=0)
        with pytest.raises(ValueError, match=r"q must be in \[0, 100\]"):
            run_load(server, [ClientScript()]).percentile_s(101)


def test_a_clean_loopback_run_records_no_retransmissions():
    # each record's count comes from netlab.tcpinfo (Linux TCP_INFO), 0 elsewhere
    with EventLoopServer() as server:
        report = run_load(server, [ClientScript(requests=2)] * 3)
    assert [r.retransmits for r in report.records] == [0] * 6
