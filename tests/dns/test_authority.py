"""The authoritative answer function, step by step, without sockets."""

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import pytest

from netlab.dns import make_zones
from netlab.dns.authority import authoritative_answer, udp_limit


@pytest.fixture(scope="module")
def zones():
    return make_zones()


def ask(zones, role, name, rdtype="A", *, edns=True, transport="udp"):
    query = dns.message.make_query(name, rdtype, use_edns=0 if edns else False, payload=1232,
                                   flags=0, id=1)
    return authoritative_answer(zones.zone(role), query, transport=transport)


def test_root_refers_to_the_tld_with_glue(zones):
    response, kind, _ = ask(zones, "root", "www.shop.test.")
    assert kind == "referral" and not response.flags & dns.flags.AA and not response.answer
    assert [r.to_text() for r in response.authority] == ["test. 172800 IN NS ns1.nic.test."]
    assert [r.to_text() for r in response.additional] == ["ns1.nic.test. 172800 IN A 127.0.0.31"]


def test_tld_refers_to_the_zone(zones):
    response, kind, _ = ask(zones, "tld", "www.shop.test.")
    assert kind == "referral"
    assert response.authority[0].name.to_text() == "shop.test."


def test_zone_answers_with_aa(zones):
    response, kind, _ = ask(zones, "shop", "www.shop.test.")
    assert kind == "answer" and response.flags & dns.flags.AA
    assert response.answer[0].to_text() == "www.shop.test. 300 IN A 127.0.0.1"


def test_cname_is_followed_inside_the_zone(zones):
    response, kind, _ = ask(zones, "shop", "api.shop.test.")
    assert kind == "answer"
    assert [r.rdtype for r in response.answer] == [dns.rdatatype.CNAME, dns.rdatatype.A]


def test_nxdomain_carries_the_soa_with_rfc2308_ttl(zones):
    response, kind, _ = ask(zones, "shop", "nope.shop.test.")
    assert kind == "nxdomain" and response.rcode() == dns.rcode.NXDOMAIN
    soa = response.authority[0]
    assert soa.rdtype == dns.rdatatype.SOA and soa.ttl == min(900, zones.negative_ttl)


def test_nodata_and_empty_non_terminal(zones):
    response, kind, _ = ask(zones, "shop", "www.shop.test.", "MX")
    assert kind == "nodata" and response.rcode() == dns.rcode.NOERROR and not response.answer
    _, kind, _ = ask(zones, "tld", "nic.test.")  # exists only as the parent of ns1.nic.test.
    assert kind == "nodata"  # RFC 8020: not NXDOMAIN


def test_out_of_zone_is_refused(zones):
    response, kind, _ = ask(zones, "shop", "www.example.")
    assert kind == "refused" and response.rcode() == dns.rcode.REFUSED


def test_large_answer_is_truncated_over_udp_not_over_tcp(zones):
    _, _, wire = ask(zones, "shop", "big.shop.test.", "TXT")
    truncated = dns.message.from_wire(wire)
    assert truncated.flags & dns.flags.TC and not truncated.answer and len(wire) <= 1232
    _, _, wire = ask(zones, "shop", "big.shop.test.", "TXT", edns=False)
    assert len(wire) <= 512 and dns.message.from_wire(wire).flags & dns.flags.TC
    _, _, wire = ask(zones, "shop", "big.shop.test.", "TXT", transport="tcp")
    full = dns.message.from_wire(wire)
    assert not full.flags & dns.flags.TC and len(wire) > zones.big_txt_bytes


def test_udp_limit_follows_edns():
    plain = dns.message.make_query("a.test.", "A")
    assert udp_limit(plain) == 512
    assert udp_limit(dns.message.make_query("a.test.", "A", use_edns=0, payload=4096)) == 1232
    assert udp_limit(dns.message.make_query("a.test.", "A", use_edns=0, payload=800)) == 800
