"""The whole page load: every count agrees with the chapter's RFC-derived table."""

import asyncio

import pytest

from netlab.dns import loopback_dns
from netlab.pageload import (
    make_site,
    page_load,
    page_load_mermaid,
    table_value,
    timeline_rows,
    visit_totals,
)


@pytest.fixture(scope="module")
def load():
    with loopback_dns() as lab:
        return asyncio.run(asyncio.wait_for(page_load(lab, make_site()), 60))


def test_every_step_agrees_with_the_table(load):
    rows = timeline_rows(load)
    assert rows and all(r["agrees"] for r in rows), [r for r in rows if not r["agrees"]]


def test_visits_get_faster(load):
    assert visit_totals(load) == {"first (HTTP/1.1)": 7, "first (HTTP/2)": 3,
                                  "repeat (HTTP/3)": 2, "third (0-RTT)": 1}
    assert visit_totals(load, include_resolver=False)["first (HTTP/1.1)"] == 4


def test_alt_svc_led_to_http3_and_0rtt_was_accepted(load):
    assert [a.protocol for a in load.alternatives] == ["h3"]
    assert load.h3["repeat"].alpn == "h3" and not load.h3["repeat"].session_resumed
    assert load.h3["third"].early_data_accepted
    assert [h.early for h in load.h3_answered] == [False, True]


def test_diagram_is_drawn_from_the_trace(load):
    text = page_load_mermaid(load)
    assert text.startswith("sequenceDiagram\n")
    assert "Root-->>R: referral: test. NS ns1.nic.test." in text
    assert "B->>W: Initial + 0-RTT + padding (1200 bytes)" in text
    assert ";" not in text  # mermaid would end the message there


def test_table_refuses_unknown_ids():
    assert table_value("rt-tls12-full") == 2
    with pytest.raises(ValueError, match="table_value: fact_id"):
        table_value("rt-no-such-step")


def test_a_name_the_lab_cannot_resolve_is_refused():
    with loopback_dns() as lab, pytest.raises(ValueError, match="page_load: name"):
        asyncio.run(page_load(lab, make_site(), "nope.shop.test"))
