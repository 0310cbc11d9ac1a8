"""netlab.tcpinfo: the struct tcp_info layout, checked against a live loopback socket.

The strong checks read the same connection another way: the loopback MTU from sysfs,
the peer's side of the window, and iproute2's ``ss -ti``, whose own parser of the same
kernel data prints the fields by name.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
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
                yield client, server


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
    with quiet_connection() as (client, server):
        info, peer = tcp_info(client), tcp_info(server)
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
    with quiet_connection() as (client, _server):
        info = tcp_info(client)
        ss = _ss_fields(client)
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
