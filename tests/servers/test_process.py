"""A server in a child process: its threads and memory read from the kernel."""

import pytest

from netlab.servers import ClientScript, ServerProcess, fetch, run_load


@pytest.mark.parametrize(("design", "threads"), [("thread pool", 5), ("event loop", 1)])
def test_child_server_answers_and_reports_its_own_threads(design, threads):
    with ServerProcess(design, pool_size=4) as server:
        assert fetch(server)[:2] == (200, b"hello\n")
        assert server.process_usage()[0] == threads
        assert server.stats().requests_served == 1
        assert server.rss_before_server > 0
        pid = server.pid
    with pytest.raises(FileNotFoundError):
        open(f"/proc/{pid}/status").close()


def test_spare_fds_limits_what_the_child_can_accept():
    with ServerProcess("event loop", spare_fds=3) as server:
        report = run_load(server, [ClientScript(hold=True)] * 5, settle_s=0.2)
        assert server.stats().accept_errors > 0
        assert server.fd_limit is not None
    assert (report.snapshot.answered, report.snapshot.waiting) == (3, 2)
    assert report.served == 5


def test_outside_its_with_block_the_server_has_no_address():
    server = ServerProcess("event loop")
    with pytest.raises(RuntimeError, match="use it in a with block"):
        _ = server.address
    with pytest.raises(ValueError, match="^ServerProcess: design:"):
        ServerProcess("prefork")
