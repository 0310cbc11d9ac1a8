"""Baselines for netlab.tables."""

from fuzz_harness import Baseline

BASELINES = {
    "format_table": Baseline(args=([{"a": 1, "b": "x"}],)),
}
