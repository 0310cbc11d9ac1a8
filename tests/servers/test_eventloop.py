import http.client
import selectors
import socket
import threading
import time

import pytest

from netlab.servers import EventLoopServer, open_fd_count, thread_count


def wait_for(condition, timeout_s=3.0):
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        time.sleep(0.005)


def test_answers_get_over_keep_alive_with_one_thread():
    wait_for(lambda: not any(t.name.startswith(("pool-", "event-loop"))
                             for t in threading.enumerate()))
    with EventLoopServer() as server:
        # The server's own threads, by name: the process-wide count also moves when
        # threads of unrelated earlier tests exit.
        assert [t.name for t in threading.enumerate() if t.name == "event-loop"] == ["event-loop"]
        assert not any(t.name.startswith("pool-") for t in threading.enumerate())
        conn = http.client.HTTPConnection(*server.address, timeout=2)
        for path, status, body in (("/", 200, b"hello\n"), ("/missing", 404, b"not found\n")):
            conn.request("GET", path)
            response = conn.getresponse()
            assert (response.status, response.read()) == (status, body)
            assert response.getheader("Server") == "netlab-eventloop"
        conn.close()
        wait_for(lambda: server.stats().open_connections == 0)
        stats = server.stats()
    assert (stats.threads, stats.connections_accepted, stats.requests_served) == (1, 1, 2)


def test_uses_the_platform_readiness_api():
    with EventLoopServer() as server:
        assert server.selector_name == selectors.DefaultSelector.__name__
        if hasattr(selectors, "EpollSelector"):
            assert server.selector_name == "EpollSelector"


def test_two_hundred_idle_connections_share_one_thread():
    with EventLoopServer() as server:
        clients = [socket.create_connection(server.address, timeout=2) for _ in range(200)]
        for sock in clients:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        for sock in clients:
            assert sock.recv(1000).startswith(b"HTTP/1.1 200")
        stats = server.stats()
        assert (stats.open_connections, stats.threads) == (200, 1)
        for sock in clients:
            sock.close()


def test_one_blocking_handler_freezes_every_connection_of_the_loop():
    with EventLoopServer(block_s=0.6) as server:
        blocker = socket.create_connection(server.address, timeout=2)
        other = socket.create_connection(server.address, timeout=0.2)
        blocker.sendall(b"GET /block HTTP/1.1\r\nHost: x\r\n\r\n")
        wait_for(lambda: server.stats().blocking_calls_started == 1)
        # Step 1: while the loop sleeps, a plain request on another connection gets nothing.
        other.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        with pytest.raises(TimeoutError):
            other.recv(1000)
        # Step 2: when the blocking call returns, both are answered.
        other.settimeout(2)
        assert blocker.recv(1000).startswith(b"HTTP/1.1 200")
        assert other.recv(1000).startswith(b"HTTP/1.1 200")
        assert server.stats().served_while_blocking == 0
        blocker.close()
        other.close()


def test_idle_keep_alive_connections_expire():
    with EventLoopServer(keepalive_timeout_s=0.1) as server:
        sock = socket.create_connection(server.address, timeout=2)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(1000).startswith(b"HTTP/1.1 200")
        assert sock.recv(1000) == b""  # closed by the server after the idle timeout
        sock.close()
        assert server.stats().open_connections == 0


def test_every_socket_and_thread_is_gone_after_exit_even_with_open_clients():
    fds, threads = open_fd_count(), thread_count()
    with EventLoopServer() as server:
        clients = [socket.create_connection(server.address, timeout=2) for _ in range(3)]
        for sock in clients:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            sock.recv(1000)
    assert server.stats().open_connections == 0
    for sock in clients:
        assert sock.recv(1000) == b""
        sock.close()
    wait_for(lambda: thread_count() <= threads)
    assert open_fd_count() == fds


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"backlog": -1}, "^EventLoopServer: backlog: .* greater than or equal to 1, got -1"),
        ({"block_s": 20}, "^EventLoopServer: block_s: .* less than or equal to 10"),
        ({"keepalive_timeout_s": -1}, "^EventLoopServer: keepalive_timeout_s: .* greater than 0"),
        ({"header_timeout_s": 0.0}, "^EventLoopServer: header_timeout_s:"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        EventLoopServer(**kwargs)
