"""Baselines for netlab.probes."""

from fuzz_harness import Baseline

BASELINES = {
    "sysctl": Baseline(args=("net.ipv4.tcp_fin_timeout",)),
    "interface_mtu": Baseline(args=("lo",)),
}
