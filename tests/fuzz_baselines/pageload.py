"""Baselines for netlab.pageload: a site, and a recorded page load, come from fixtures."""

import asyncio
from contextlib import contextmanager

from fuzz_harness import Baseline

from netlab.dns import loopback_dns
from netlab.pageload import make_site, page_load


@contextmanager
def site():
    yield {"site": make_site()}


@contextmanager
def dns_and_site():
    with loopback_dns() as lab:
        yield {"dns_lab": lab, "site": make_site()}


@contextmanager
def recorded_load():
    with loopback_dns() as lab:
        yield {"load": asyncio.run(page_load(lab, make_site()))}


BASELINES = {
    "visit_over_tcp": Baseline(fixture=site),
    "page_load": Baseline(fixture=dns_and_site),
    "parse_alt_svc": Baseline(args=('h3=":443"; ma=86400',)),
    "table_value": Baseline(args=("rt-tcp-handshake",)),
    "time_to_first_byte": Baseline(args=(50.0,)),
    "budget_rows": Baseline(args=(50.0,)),
    "timeline_rows": Baseline(fixture=recorded_load),
    "visit_totals": Baseline(fixture=recorded_load),
    "page_load_mermaid": Baseline(fixture=recorded_load),
    "cors_verdict": Baseline(args=(204, "https://shop.test", "PUT", "content-type",
                                   "https://shop.test", "PUT")),
}
