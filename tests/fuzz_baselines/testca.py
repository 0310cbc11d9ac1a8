"""Baselines for netlab.testca."""

from fuzz_harness import Baseline

from netlab.testca import make_test_ca

BASELINES = {
    "chain_rows": Baseline(args=(make_test_ca(),)),
}
