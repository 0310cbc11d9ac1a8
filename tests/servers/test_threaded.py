import http.client
import socket
import threading
import time

import pytest

from netlab.servers import ThreadPoolServer, open_fd_count, thread_count


def wait_for(condition, timeout_s=3.0):
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.005)


def get(address, path="/", timeout_s=2.0):
    conn = http.client.HTTPConnection(*address, timeout=timeout_s)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read(), response.getheader("Server")
    finally:
        conn.close()


def test_answers_get_over_keep_alive():
    with ThreadPoolServer(pool_size=2) as server:
        assert get(server.address) == (200, b"hello\n", "netlab-threaded")
        conn = http.client.HTTPConnection(*server.address, timeout=2)
        for path, status in (("/", 200), ("/missing", 404), ("/", 200)):
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            assert response.status == status
        conn.close()
        wait_for(lambda: server.stats().open_connections == 0)
        stats = server.stats()
    assert stats.connections_accepted == 2
    assert stats.requests_served == 4


def test_pool_threads_exist_before_any_connection():
    # Let the threads of servers from earlier tests finish exiting first.
    wait_for(lambda: not any(t.name.startswith(("pool-", "event-loop"))
                             for t in threading.enumerate()))
    def pool_threads() -> int:
        return sum(t.name.startswith("pool-") for t in threading.enumerate())

    # Count this server's own threads: the process-wide count (thread_count) also moves
    # when threads of unrelated earlier tests, such as a notebook kernel client's, exit.
    with ThreadPoolServer(pool_size=5) as server:
        assert server.stats().threads == 6  # five workers and the listener
        assert pool_threads() == 6
        assert thread_count() >= 6
    wait_for(lambda: pool_threads() == 0)


def test_full_pool_queues_connections_in_the_backlog_instead_of_failing():
    with ThreadPoolServer(pool_size=2, backlog=4) as server:
        holders = [socket.create_connection(server.address, timeout=2) for _ in range(2)]
        for sock in holders:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            assert sock.recv(1000).startswith(b"HTTP/1.1 200")
        assert server.stats().busy_workers == 2
        # Step 1: four more clients fit in the backlog: connect succeeds, nothing is answered.
        queued = [socket.create_connection(server.address, timeout=0.3) for _ in range(4)]
        for sock in queued:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        for sock in queued:
            with pytest.raises(TimeoutError):
                sock.recv(1000)
        assert server.stats().connections_accepted == 2
        # Step 2: the idle keep-alive holders leave; the queued clients are served, none failed.
        for sock in holders:
            sock.close()
        for sock in queued:
            sock.settimeout(2)
            assert sock.recv(1000).startswith(b"HTTP/1.1 200")
            sock.close()
        wait_for(lambda: server.stats().open_connections == 0)
        stats = server.stats()
    assert stats.connections_accepted == 6
    assert stats.peak_busy_workers == 2


def test_blocking_handler_stalls_only_its_own_worker():
    with ThreadPoolServer(pool_size=2, block_s=0.5) as server:
        blocker = socket.create_connection(server.address, timeout=2)
        blocker.sendall(b"GET /block HTTP/1.1\r\nHost: x\r\n\r\n")
        wait_for(lambda: server.stats().blocking_calls_started == 1)
        assert get(server.address)[0] == 200  # answered by another worker ...
        assert server.stats().served_while_blocking == 1  # ... while the blocking call ran
        assert blocker.recv(1000).startswith(b"HTTP/1.1 200")
        blocker.close()


def test_every_socket_and_thread_is_gone_after_exit_even_with_open_clients():
    fds, threads = open_fd_count(), thread_count()
    with ThreadPoolServer(pool_size=3) as server:
        clients = [socket.create_connection(server.address, timeout=2) for _ in range(3)]
        for sock in clients:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            sock.recv(1000)
    assert server.stats().open_connections == 0
    for sock in clients:
        assert sock.recv(1000) == b""  # the server closed its side
        sock.close()
    wait_for(lambda: thread_count() <= threads)
    assert open_fd_count() == fds


def test_address_needs_a_running_server():
    with pytest.raises(RuntimeError, match="not running"):
        _ = ThreadPoolServer().address


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"pool_size": 0}, "^ThreadPoolServer: pool_size: .* greater than or equal to 1, got 0"),
        ({"pool_size": 2.5}, "^ThreadPoolServer: pool_size: Input should be a valid integer"),
        ({"backlog": 0}, "^ThreadPoolServer: backlog: .* greater than or equal to 1, got 0"),
        ({"block_s": -0.1}, "^ThreadPoolServer: block_s: .* greater than or equal to 0"),
        ({"keepalive_timeout_s": 0}, "^ThreadPoolServer: keepalive_timeout_s: .* greater than 0"),
        ({"header_timeout_s": -1.0}, "^ThreadPoolServer: header_timeout_s:"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ThreadPoolServer(**kwargs)
