"""Baselines for netlab.dns: calls that need the running servers get them from a fixture."""

from contextlib import contextmanager

from fuzz_harness import Baseline

from netlab.dns import loopback_dns, resolve


@contextmanager
def live_dns():
    """The lab's four DNS servers on 127.0.0.x, for the calls that query them."""
    with loopback_dns() as lab:
        yield {"lab": lab}


# a real DNS message: the query dnspython writes for www.shop.test/A
QUERY = bytes.fromhex("000100000001000000000000037777770473686f7004746573740000010001")

BASELINES = {
    "advance_clock": Baseline(kwargs={"seconds": 1.0}, fixture=live_dns),
    "resolve": Baseline(kwargs={"name": "www.shop.test"}, fixture=live_dns),
    "stub_lookup": Baseline(kwargs={"name": "www.shop.test"}, fixture=live_dns),
    "query_server": Baseline(kwargs={"server": "shop", "name": "www.shop.test"},
                             fixture=live_dns),
    "cache_rows": Baseline(fixture=live_dns),
    "dissect_header": Baseline(args=(QUERY,)),
    "dissect_records": Baseline(args=(QUERY,)),
}


@contextmanager
def resolved_steps():
    """The steps of one cold resolution of www.shop.test."""
    with loopback_dns() as lab:
        yield {"steps": resolve(lab, "www.shop.test").steps}


BASELINES["step_rows"] = Baseline(fixture=resolved_steps)
BASELINES["cache_after"] = Baseline(args=(100.0,))
