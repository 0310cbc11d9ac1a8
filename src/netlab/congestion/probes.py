"""Probes for chapter 4's facts: what this machine's TCP stack does, read or measured.

Each probe returns the value the machine shows, or None where it cannot read it (another
OS, a kernel without the module, a congestion control an unprivileged user may not pick).
They run on 127.0.0.1 within about a second. ``tests/test_facts.py`` compares them with
``chapters/facts/04-flow-and-congestion-control.yml``; their values never enter a lab's
compared output, because they can differ between machines.
"""

from __future__ import annotations

import socket
import struct
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from netlab._validate import public
from netlab.probes import sysctl
from netlab.tcpinfo import tcp_info

__all__ = ["bbr_gains", "initial_cwnd_segments", "initial_window_share",
           "module_parameter", "rcvbuf_factor", "rto_minus_srtt_ms", "sysctl_item", "sysctl_pair"]

_LOOPBACK = "127.0.0.1"
_TCP_CC_INFO = getattr(socket, "TCP_CC_INFO", 26)  # include/uapi/linux/tcp.h
_BBR_UNIT = 256  # tcp_bbr.c: gains are fixed-point with 8 fractional bits


@public
def sysctl_item(name: str, index: Annotated[str, Field(pattern=r"^[0-9]{1,2}$")]) -> int | None:
    """One entry of a vector sysctl (``net.ipv4.tcp_rmem`` 1 is the default buffer)."""
    value = sysctl(name)
    position = int(index)
    if not isinstance(value, list) or not 0 <= position < len(value):
        return None
    return value[position]


@public
def module_parameter(module: str, parameter: str) -> int | str | None:
    """A kernel module's parameter from /sys/module (``tcp_cubic beta`` is 717 by default)."""
    for part in (module, parameter):
        if not part or "/" in part or part.startswith("."):
            raise ValueError(f"module and parameter must be plain names, got {part!r}")
    try:
        text = Path("/sys/module", module, "parameters", parameter).read_text("ascii").strip()
    except OSError:
        return None
    return int(text) if text.lstrip("-").isdigit() else text


@contextmanager
def _pair(*, rcvbuf_bytes: int | None = None,
          congestion: str | None = None) -> Iterator[tuple[socket.socket, socket.socket]]:
    with ExitStack() as stack:
        listener = stack.enter_context(socket.socket())
        if rcvbuf_bytes is not None:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf_bytes)
        listener.bind((_LOOPBACK, 0))
        listener.listen(1)
        listener.settimeout(2.0)
        sender = stack.enter_context(socket.socket())
        sender.settimeout(2.0)
        if congestion is not None:
            sender.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, congestion.encode())
        sender.connect(listener.getsockname())
        receiver, _ = listener.accept()
        stack.enter_context(receiver)
        receiver.settimeout(2.0)
        yield sender, receiver


def _linux() -> bool:
    return sys.platform.startswith("linux") and hasattr(socket, "TCP_INFO")


@public
def initial_cwnd_segments() -> int | None:
    """cwnd of a new loopback connection before it sends: Linux's TCP_INIT_CWND."""
    if not _linux():
        return None
    with _pair() as (sender, _):
        info = tcp_info(sender)
    return None if info is None else info.snd_cwnd


@public
def rto_minus_srtt_ms() -> float | None:
    """RTO − SRTT on a loopback connection after a few exchanges, in ms (Linux: ≈ 200)."""
    if not _linux():
        return None
    with _pair() as (sender, receiver):
        for _ in range(20):  # ping-pong: RTT samples of a few microseconds
            sender.sendall(b"x")
            receiver.recv(1)
            receiver.sendall(b"y")
            sender.recv(1)
        info = tcp_info(sender)
    if info is None or info.rto is None or info.rtt is None:
        return None
    return (info.rto - info.rtt) / 1000


@public
def rcvbuf_factor() -> float | None:
    """What getsockopt(SO_RCVBUF) returns over what setsockopt asked: Linux doubles it."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
        return sock.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF) / 16384


@public
def initial_window_share() -> float | None:
    """The first window a receiver advertises over its kernel buffer (Linux: 1/2)."""
    if not _linux():
        return None
    with _pair(rcvbuf_bytes=16384) as (sender, receiver):
        info = tcp_info(sender)
        kernel_buffer = receiver.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
    if info is None or info.snd_wnd is None:
        return None
    return round(info.snd_wnd / kernel_buffer, 3)


def _cc_gains(sock: socket.socket) -> tuple[float, float] | None:
    raw = sock.getsockopt(socket.IPPROTO_TCP, _TCP_CC_INFO, 64)
    if len(raw) < 20:
        return None
    *_, pacing_gain, cwnd_gain = struct.unpack_from("=5I", raw)
    return pacing_gain / _BBR_UNIT, cwnd_gain / _BBR_UNIT


@public
def bbr_gains(phase: Literal["startup", "probe_bw_cwnd"]) -> float | list[float] | None:
    """The running kernel's BBR gains, read with TCP_CC_INFO.

    ``startup``: [pacing gain, cwnd gain] once 64 KiB have been sent and acknowledged;
    a flow that then has nothing to send is application-limited, and such samples
    cannot end Startup, so the reading is stable. ``probe_bw_cwnd``: the cwnd gain after
    64 MiB of bulk transfer, when the flow has left Startup. None where this user may
    not choose BBR.
    """
    if not _linux():
        return None
    try:
        with _pair(congestion="bbr") as (sender, receiver):
            if phase == "startup":
                gains = _startup_gains(sender, receiver)
            else:
                sink = threading.Thread(target=_drain, args=(receiver,), daemon=True)
                sink.start()
                chunk = b"\0" * (1 << 20)
                for _ in range(64):
                    sender.sendall(chunk)
                gains = _cc_gains(sender)
                sender.shutdown(socket.SHUT_WR)
                sink.join(timeout=2.0)
    except OSError:  # no BBR in this kernel, or not allowed for this user
        return None
    if gains is None:
        return None
    return [round(g, 3) for g in gains] if phase == "startup" else gains[1]


def _startup_gains(sender: socket.socket, receiver: socket.socket) -> tuple[float, float] | None:
    size = 1 << 16
    sender.sendall(b"\0" * size)
    got = 0
    while got < size:
        got += len(receiver.recv(size))
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:  # until the sender has processed the last ACK
        info = tcp_info(sender)
        if info is None or not info.unacked:
            break
        time.sleep(0.001)
    return _cc_gains(sender)


def _drain(sock: socket.socket) -> None:
    try:
        while sock.recv(1 << 20):
            pass
    except OSError:
        pass


@public
def sysctl_pair(first: str, second: str) -> list[int] | None:
    """Two integer sysctls as a list, for facts that pair them (the pacing ratios)."""
    values = [sysctl(first), sysctl(second)]
    return values if all(isinstance(v, int) for v in values) else None  # type: ignore[misc]
