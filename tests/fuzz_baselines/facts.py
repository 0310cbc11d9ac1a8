"""Baselines for netlab.facts."""

from pathlib import Path

from fuzz_harness import Baseline

from netlab.facts import Fact

FACTS = Path(__file__).resolve().parents[2] / "chapters" / "facts"
LO_MTU = Fact(id="loopback-mtu", what="MTU of lo", value=65536, kind="default",
              scope="Linux default", source="linux-ip-sysctl", file="01-tcp-vs-udp.yml",
              setting="lo mtu", probe="netlab.probes:interface_mtu lo")

BASELINES = {
    "component_version": Baseline(args=("linux",)),
    "covers": Baseline(args=(LO_MTU,)),
    "evaluate": Baseline(args=(LO_MTU,)),
    "format_value": Baseline(args=(65536,)),
    "load_facts": Baseline(args=(FACTS / "01-tcp-vs-udp.yml",)),
    "load_all_facts": Baseline(args=(FACTS,)),
}
