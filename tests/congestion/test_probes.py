"""The probes behind chapter 4's facts: each returns the machine's value, or None."""

from __future__ import annotations

import sys

import pytest

from netlab.congestion import probes

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads Linux's stack")


@linux
def test_loopback_probes_read_linux_defaults() -> None:
    assert probes.initial_cwnd_segments() == 10
    assert 195 <= probes.rto_minus_srtt_ms() <= 215  # 200 ms plus at most a few ticks
    assert probes.rcvbuf_factor() == 2.0
    assert probes.initial_window_share() == pytest.approx(0.5, abs=0.01)


@linux
def test_sysctl_and_module_parameters() -> None:
    rmem = probes.sysctl_item("net.ipv4.tcp_rmem", "1")
    assert isinstance(rmem, int) and rmem > 0
    assert probes.sysctl_item("net.ipv4.tcp_rmem", "7") is None  # no such position
    pair = probes.sysctl_pair("net.ipv4.tcp_pacing_ss_ratio", "net.ipv4.tcp_pacing_ca_ratio")
    assert pair is None or all(isinstance(v, int) for v in pair)
    beta = probes.module_parameter("tcp_cubic", "beta")
    assert beta is None or beta == 717
    assert probes.module_parameter("no_such_module", "beta") is None


def test_bad_arguments_name_themselves() -> None:
    with pytest.raises(ValueError, match="index: String should match pattern"):
        probes.sysctl_item("net.ipv4.tcp_rmem", "one")
    with pytest.raises(ValueError, match="module and parameter must be plain names"):
        probes.module_parameter("../etc", "x")
    with pytest.raises(ValueError, match="phase: Input should be 'startup' or 'probe_bw_cwnd'"):
        probes.bbr_gains("drain")
