"""netlab.tcpinfo: the struct tcp_info layout, checked against a live loopback socket.

The strong checks read the same connection another way: the loopback MTU from sysfs,
the peer's side of the window, and iproute2's ``ss -ti``, whose own parser of the same
kernel data prints the fields by name.

The live checks wait for a condition, not for a time: a connection is read once the
sender's last byte is acknowledged and two readings of both ends agree (the last ACK or
window update may still be on its way through a busy machine's softirq queue). A
retransmission (an ACK held up past the RTO on a loaded machine) is the run's, not the
reader's: the connection is made again, at most a few times, and the checks are made on
a connection that carried its bytes without one.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from netlab.probes import interface_mtu
from netlab.tcpinfo import (
    TCP_INFO_FORMAT,
    TCP_INFO_SIZE,
    TcpInfo,
    field_offsets,
    parse_tcp_info,
    tcp_info,
)

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="TCP_INFO is Linux's")

#: Offsets read off include/uapi/linux/tcp.h (a consistency check of the format string).
HEADER_OFFSETS = {"state": 0, "options": 5, "rto": 8, "snd_mss": 16, "rcv_mss": 20, "lost": 32,
                  "retrans": 36, "last_data_sent": 44, "pmtu": 60, "rtt": 68, "snd_cwnd": 80,
                  "rcv_space": 96, "total_retrans": 100, "pacing_rate": 104,
                  "bytes_acked": 120, "bytes_received": 128, "segs_out": 136,
                  "delivery_rate": 160, "delivered": 192, "bytes_sent": 200,
                  "snd_wnd": 228, "rcv_wnd": 232, "total_rto": 240, "total_rto_time": 244}


# Fields that change while a connection stands idle: how long ago something happened.
_CLOCKS = ("last_data_sent", "last_ack_sent", "last_data_recv", "last_ack_recv")
SETTLE_S = 5.0  # how long a connection may take to go quiet before it is read anyway
ATTEMPTS = 3    # connections made at most before a retransmission counts against the reader


def _still(info: TcpInfo | None) -> tuple[object, ...]:
    """What a reading of an idle connection keeps from one reading to the next."""
    assert info is not None
    return tuple(getattr(info, name) for name in TcpInfo.__slots__ if name not in _CLOCKS)


def settled(client: socket.socket, server: socket.socket, nbytes: int) -> bool:
    """Wait until ``nbytes`` (and the SYN) are acknowledged and both ends read the same twice.

    Bounded by ``SETTLE_S``; returns whether the connection went quiet (when it did not,
    the checks read it as it is, and fail if it is wrong).
    """
    deadline = time.monotonic() + SETTLE_S
    previous = None
    while time.monotonic() < deadline:
        info = tcp_info(client)
        now = (_still(info), _still(tcp_info(server)))
        if info.unacked == 0 and info.bytes_acked == nbytes + 1 and now == previous:
            return True
        previous = now
        time.sleep(0.02)
    return False


@contextmanager
def quiet_connection(nbytes: int = 100_000) -> Iterator[tuple[socket.socket, socket.socket]]:
    """A loopback connection that has carried ``nbytes`` one way and is idle again."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        with socket.create_connection(listener.getsockname(), timeout=5) as client:
            server, _ = listener.accept()
            with server:
                client.sendall(b"x" * nbytes)
                got = 0
                while got < nbytes:
                    got += len(server.recv(65536))
                if sys.platform.startswith("linux"):
                    settled(client, server, nbytes)
                yield client, server


def first_clean(read: Callable[[socket.socket, socket.socket], object]) -> object:
    """``read(client, server)`` on the first quiet connection that needed no retransmission."""
    for _ in range(ATTEMPTS):
        with quiet_connection() as (client, server):
            if tcp_info(client).total_retrans == 0 and tcp_info(server).total_retrans == 0:
                return read(client, server)
    with quiet_connection() as (client, server):  # read anyway: the checks say what is wrong
        return read(client, server)


def test_the_format_gives_the_header_offsets() -> None:
    offsets = field_offsets()
    assert {name: offsets[name][0] for name in HEADER_OFFSETS} == HEADER_OFFSETS
    assert TCP_INFO_SIZE == 248 and TCP_INFO_FORMAT.startswith("=")
    named = set(offsets) - {"_wscale", "_flags"}
    extra = {"kernel_size_bytes", "snd_wscale", "rcv_wscale", "delivery_rate_app_limited",
             "fastopen_client_fail"}
    assert named | extra == set(TcpInfo.__dataclass_fields__)


def test_a_short_struct_leaves_the_newer_fields_absent() -> None:
    raw = bytearray(104)  # the struct of Linux before 3.15 ends after total_retrans
    raw[0], raw[6], raw[7] = 1, 0xA7, 0x03
    raw[100:104] = (5).to_bytes(4, sys.byteorder)
    info = parse_tcp_info(bytes(raw))
    assert info.state_name == "ESTABLISHED" and info.total_retrans == 5
    assert info.pacing_rate is None and info.snd_wnd is None and info.total_rto is None
    if sys.byteorder == "little":
        assert (info.snd_wscale, info.rcv_wscale) == (7, 10)
        assert info.delivery_rate_app_limited and info.fastopen_client_fail == 1


def test_other_systems_get_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    with socket.socket() as sock:
        assert tcp_info(sock) is None


@linux_only
def test_a_live_connection_reads_as_the_kernel_and_sysfs_say() -> None:
    info, peer = first_clean(lambda client, server: (tcp_info(client), tcp_info(server)))
    assert info is not None and peer is not None
    assert info.state_name == "ESTABLISHED" and info.ca_state_name == "Open"
    assert {"timestamps", "sack", "wscale"} <= set(info.option_names)
    # sysfs, read independently; IPv4 caps a path MTU at 65535, its 16-bit Total Length
    # (RFC 791 §3.1; Linux's IP_MAX_MTU), though lo's device MTU is 65536
    assert info.pmtu == min(interface_mtu("lo"), 65535)
    assert info.snd_mss <= info.pmtu - 40 and info.rcv_space > 0
    assert info.lost == info.retrans == info.total_retrans == 0
    # Linux counts the SYN in bytes_acked (it acknowledges one sequence number) but not in
    # bytes_received, which counts payload only
    assert info.bytes_acked == 100_000 + 1 and peer.bytes_received == 100_000
    assert 0.2 <= info.rto_s <= 120  # Linux: TCP_RTO_MIN 200 ms, TCP_RTO_MAX 120 s
    if info.rcv_wnd is not None:  # Linux >= 6.2: one side's window is the other's view of it
        assert info.snd_wnd == peer.rcv_wnd and peer.snd_wnd == info.rcv_wnd
    assert info.kernel_size_bytes >= 232


def _ss_fields(sock: socket.socket) -> dict[str, str]:
    port, peer_port = sock.getsockname()[1], sock.getpeername()[1]
    out = subprocess.run(["ss", "-H", "-tin", "state", "established",
                          f"( sport = :{port} and dport = :{peer_port} )"],
                         capture_output=True, text=True, timeout=10, check=True).stdout
    return dict(re.findall(r"\b([a-z_]+):([0-9.,/]+)", out))


@linux_only
@pytest.mark.skipif(shutil.which("ss") is None, reason="iproute2's ss is not installed")
def test_the_same_fields_as_iproute2_ss_reads_them() -> None:
    def read(client: socket.socket, _server: socket.socket) -> tuple[TcpInfo | None, dict[str, str]]:
        # ss reads the kernel a moment after tcp_info does: keep a reading only when a
        # second tcp_info after ss shows that nothing moved in between (a few tries).
        for _ in range(ATTEMPTS):
            info, ss = tcp_info(client), _ss_fields(client)
            if _still(tcp_info(client)) == _still(info):
                break
        return info, ss

    info, ss = first_clean(read)
    assert info is not None
    assert ss["wscale"] == f"{info.snd_wscale},{info.rcv_wscale}"
    assert ss["rto"] == f"{info.rto / 1000:g}"
    assert ss["rtt"] == f"{info.rtt / 1000:g}/{info.rttvar / 1000:g}"
    expected = {"mss": info.snd_mss, "pmtu": info.pmtu, "rcvmss": info.rcv_mss,
                "advmss": info.advmss, "cwnd": info.snd_cwnd, "bytes_acked": info.bytes_acked,
                "segs_out": info.segs_out, "segs_in": info.segs_in,
                "rcv_space": info.rcv_space, "snd_wnd": info.snd_wnd}
    assert {k: int(ss[k]) for k in expected if k in ss} == {k: v for k, v in expected.items()
                                                            if k in ss}
    assert {"mss", "pmtu", "cwnd", "rcv_space"} <= set(ss)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: tcp_info("not a socket"), "^tcp_info: sock: "),
    (lambda: parse_tcp_info(b"\x01\x02"), "^parse_tcp_info: raw: "),
    (lambda: parse_tcp_info("text"), "^parse_tcp_info: raw: "),
])
def test_bad_arguments_name_the_parameter(call, message) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_udp_and_closed_sockets_are_refused() -> None:
    with socket.socket(type=socket.SOCK_DGRAM) as udp, \
            pytest.raises(ValueError, match="^tcp_info: sock: must be a TCP socket"):
        tcp_info(udp)
    closed = socket.socket()
    closed.close()
    with pytest.raises(ValueError, match="^tcp_info: sock: must be an open socket"):
        tcp_info(closed)
