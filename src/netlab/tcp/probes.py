"""Probes for chapter 2's facts: what this machine's kernel does, measured on loopback.

Each returns the value the machine shows, or None where it cannot (not Linux), within
about two seconds. Sysctls are read with the shared ``netlab.probes.sysctl``; these
probes measure behaviour that no sysctl states.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import time

from netlab._validate import public
from netlab.probes import sysctl
from netlab.tcp.kernel import _start_connect, full_listener, listen_queue
from netlab.tcp.procfs import proc_net_tcp
from netlab.tcpinfo import tcp_info

__all__ = ["accept_queue_extra", "keepalive_default", "listen_backlog_cap",
           "listen_backlog_capped", "max_syn_backlog_at_least", "rst_on_close_with_unread_data",
           "syn_rto_after_first_timeout", "time_wait_timer_s"]


def _linux() -> bool:
    return sys.platform.startswith("linux") and hasattr(socket, "TCP_INFO")


@public
def time_wait_timer_s() -> int | None:
    """Seconds on the timer of a fresh TIME-WAIT socket (Linux: TCP_TIMEWAIT_LEN, 60 s)."""
    if not _linux():
        return None
    with socket.create_server(("127.0.0.1", 0)) as listener:
        client = socket.create_connection(listener.getsockname(), timeout=2.0)
        server, _ = listener.accept()
        ports = frozenset({listener.getsockname()[1], client.getsockname()[1]})
        with server:
            client.close()  # the client closes first: it is the one left in TIME-WAIT
            server.recv(1)
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            waiting = [s.timer_s for s in proc_net_tcp(ports) or [] if s.state == "TIME_WAIT"]
            if waiting:
                return round(waiting[0])
            time.sleep(0.01)
    return None


@public
def syn_rto_after_first_timeout() -> float | None:
    """The RTO of a connecting socket right after its first SYN timed out, in seconds.

    RFC 6298 rule 5.5 doubles it (2 s); Linux >= 6.5 with ``tcp_syn_linear_timeouts`` > 0
    keeps it at 1 s. Takes about 1.1 s.
    """
    if not _linux():
        return None
    with full_listener() as listener, _start_connect(listener.getsockname(), 1) as client:
        deadline = time.monotonic() + 1.8
        while time.monotonic() < deadline:
            info = tcp_info(client)
            if info is not None and (info.total_retrans or 0) >= 1:
                return (info.rto or 0) / 1e6
            time.sleep(0.005)
    return None


@public
def accept_queue_extra() -> int | None:
    """How many more completed connections than its backlog a listener queues (Linux: 1)."""
    if not _linux():
        return None
    backlog = 2
    with contextlib.ExitStack() as stack:
        listener = stack.enter_context(socket.socket())
        listener.bind(("127.0.0.1", 0))
        listener.listen(backlog)
        clients = [stack.enter_context(_start_connect(listener.getsockname(), 1))
                   for _ in range(backlog + 3)]
        time.sleep(0.2)  # every handshake the listener will take has completed by now
        done = sum(1 for c in clients if (tcp_info(c) or _NONE).state_name == "ESTABLISHED")
        return done - backlog


class _NoInfo:
    state_name = None


_NONE = _NoInfo()


@public
def listen_backlog_cap() -> int | None:
    """The backlog a listener gets when it asks for 1,000,000 (``ss -lt``'s Send-Q)."""
    if not _linux():
        return None
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1_000_000)
        return listen_queue(listener).backlog


@public
def listen_backlog_capped() -> bool | None:
    """Whether listen() with a huge backlog got exactly ``net.core.somaxconn`` instead."""
    cap, somaxconn = listen_backlog_cap(), sysctl("net.core.somaxconn")
    if cap is None or not isinstance(somaxconn, int):
        return None
    return cap == somaxconn


@public
def keepalive_default() -> bool | None:
    """Whether a new TCP socket has SO_KEEPALIVE on (RFC 9293 MUST-25: off by default)."""
    if not _linux():
        return None
    with socket.socket() as sock:
        return bool(sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE))


@public
def rst_on_close_with_unread_data() -> str | None:
    """What a peer's recv() reports after the other side closed with unread data in its buffer.

    Linux sends a RST (RFC 9293 §3.6.1 SHLD-3), so the peer sees ECONNRESET.
    """
    if not _linux():
        return None
    with contextlib.ExitStack() as stack:
        listener = stack.enter_context(socket.create_server(("127.0.0.1", 0)))
        client = stack.enter_context(socket.create_connection(listener.getsockname(), 2.0))
        server, _ = listener.accept()
        client.sendall(b"request the server never reads")
        time.sleep(0.05)
        server.close()
        try:
            data = client.recv(16)
        except ConnectionResetError:
            return "ECONNRESET"
        return "EOF" if data == b"" else "data"


@public
def max_syn_backlog_at_least(minimum: str = "128") -> bool | None:
    """Whether ``tcp_max_syn_backlog`` is at least ``minimum`` (Linux sizes it from memory)."""
    if not minimum.isdigit():
        raise ValueError(f"max_syn_backlog_at_least: minimum: must be digits, got {minimum!r}")
    value = sysctl("net.ipv4.tcp_max_syn_backlog")
    return None if not isinstance(value, int) else value >= int(minimum)
