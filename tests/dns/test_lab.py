"""The whole hierarchy on loopback: referrals, caching, truncation, dnspython's stub."""

import threading

import dns.flags
import pytest

from netlab.dns import (
    ADDRESSES,
    advance_clock,
    cache_rows,
    loopback_dns,
    make_zones,
    query_server,
    resolve,
    stub_lookup,
)
from netlab.dns.dissect import dissect_header, dissect_records


def test_cold_resolution_walks_root_tld_zone(dns_lab):
    result = resolve(dns_lab, "www.shop.test")
    assert [(s.server, s.kind) for s in result.steps] == [
        ("a.root.test.", "referral"), ("ns1.nic.test.", "referral"), ("ns1.shop.test.", "answer")]
    assert [s.address for s in result.steps] == [ADDRESSES[r] for r in ("root", "tld", "shop")]
    assert result.addresses == ["127.0.0.1"] and result.ttl == 300 and not result.from_cache


def test_warm_cache_skips_what_it_knows(dns_lab):
    resolve(dns_lab, "www.shop.test")
    again = resolve(dns_lab, "www.shop.test")
    assert again.from_cache and again.steps == ()
    sibling = resolve(dns_lab, "api.shop.test")  # same zone: straight to its server
    assert [s.server for s in sibling.steps] == ["ns1.shop.test."]
    assert sibling.answer[0].split()[3] == "CNAME" and sibling.addresses == ["127.0.0.1"]


def test_ttl_counts_down_and_expires(dns_lab):
    resolve(dns_lab, "www.shop.test")
    advance_clock(dns_lab, 120)
    assert resolve(dns_lab, "www.shop.test").ttl == 180
    advance_clock(dns_lab, 180)
    expired = resolve(dns_lab, "www.shop.test")
    assert not expired.from_cache and [s.server for s in expired.steps] == ["ns1.shop.test."]


def test_negative_answer_is_cached_for_the_soa_minimum(dns_lab):
    first = resolve(dns_lab, "nope.shop.test")
    assert first.rcode == "NXDOMAIN" and first.ttl == 60 and len(first.steps) == 3
    assert resolve(dns_lab, "nope.shop.test", "AAAA").from_cache  # NXDOMAIN: any type
    advance_clock(dns_lab, 60)
    assert not resolve(dns_lab, "nope.shop.test").from_cache
    rows = {(r["name"], r["type"]): r for r in cache_rows(dns_lab)}
    assert rows[("nope.shop.test.", "(any)")]["holds"] == "NXDOMAIN"


def test_truncation_then_tcp(dns_lab):
    result = resolve(dns_lab, "big.shop.test", "TXT")
    last_two = [(s.transport, s.kind) for s in result.steps[-2:]]
    assert last_two == [("udp", "truncated"), ("tcp", "answer")]
    assert result.steps[-1].round_trips == 2
    udp = query_server(dns_lab, "shop", "big.shop.test", "TXT")
    assert udp.flags & dns.flags.TC and not udp.answer
    tcp = query_server(dns_lab, "shop", "big.shop.test", "TXT", tcp=True)
    assert not tcp.flags & dns.flags.TC and tcp.answer


def test_stub_uses_its_own_cache_then_the_resolver(dns_lab):
    first = stub_lookup(dns_lab, "www.shop.test")
    assert first.answer == ("www.shop.test. 300 IN A 127.0.0.1",)
    assert first.stub_transports == ("udp",) and len(first.upstream) == 3
    second = stub_lookup(dns_lab, "www.shop.test")
    assert second.stub_cache_hit and second.upstream == ()
    third = stub_lookup(dns_lab, "www.shop.test", use_stub_cache=False)
    assert third.stub_transports == ("udp",) and third.upstream == ()  # the resolver's cache


def test_dnspython_stub_retries_over_tcp_after_tc(dns_lab):
    big = stub_lookup(dns_lab, "big.shop.test", "TXT")  # the stub sends no EDNS: 512 bytes
    assert big.stub_transports == ("udp", "tcp") and len(big.answer) == 1
    missing = stub_lookup(dns_lab, "nope.shop.test")
    assert missing.rcode == "NXDOMAIN" and missing.answer == ()


def test_scapy_reads_what_dnspython_wrote(dns_lab):
    resolve(dns_lab, "www.shop.test")
    referral = next(m for m in dns_lab.recorder.messages if m.kind == "referral")
    assert dissect_header(referral.wire) == {"qr": 1, "aa": 0, "tc": 0, "rd": 0, "ra": 0,
                                             "opcode": 0, "rcode": 0, "qd": 1, "an": 0,
                                             "ns": 1, "ar": 2}
    rows = dissect_records(referral.wire)
    assert [(r["section"], r["type"]) for r in rows] == [
        ("question", "A"), ("authority", "NS"), ("additional", "A"), ("additional", "OPT")]


def test_without_edns_the_resolver_is_limited_to_512_bytes():
    with loopback_dns(edns=False, zones=make_zones(big_txt_bytes=600)) as lab:
        result = resolve(lab, "big.shop.test", "TXT")
        assert [s.transport for s in result.steps[-2:]] == ["udp", "tcp"]


def test_servers_stop_when_the_block_ends():
    before = {t.name for t in threading.enumerate()}
    with loopback_dns() as lab:
        resolve(lab, "www.shop.test")
        assert any(t.name.startswith("dns-") for t in threading.enumerate())
    after = {t.name for t in threading.enumerate() if t.name.startswith("dns-")}
    assert after <= before
    with pytest.raises(KeyError):
        lab.network.endpoint(ADDRESSES["root"])


def test_glue_finds_servers_but_is_not_handed_out_as_an_answer(dns_lab):
    resolve(dns_lab, "www.shop.test")  # caches ns1.shop.test's A record as glue from test.
    server = resolve(dns_lab, "ns1.shop.test")
    assert not server.from_cache and [s.server for s in server.steps] == ["ns1.shop.test."]
    assert resolve(dns_lab, "ns1.shop.test").from_cache  # now an authoritative answer


def test_out_of_bailiwick_referral_is_refused():
    import dns.message
    import dns.name
    import dns.rrset

    from netlab.dns.resolver import IterativeResolver, ResolutionError
    from netlab.dns.server import Network

    resolver = IterativeResolver(Network(), {"a.root.test.": "127.0.0.30"})
    query = dns.message.make_query("www.shop.test.", "A")
    bogus = dns.message.make_response(query)
    bogus.authority.append(dns.rrset.from_text("bank.example.", 300, "IN", "NS", "ns.evil."))
    with pytest.raises(ResolutionError, match="outside its bailiwick"):
        resolver._take_referral(bogus, dns.name.from_text("test."),
                                dns.name.from_text("www.shop.test."), 0.0)
