"""The cache on an explicit clock: TTLs, negative entries, ranking."""

import dns.name
import dns.rcode
import dns.rdatatype
import dns.rrset

from netlab.dns.cache import MAX_CACHE_TTL, RANK_ANSWER, RANK_GLUE, DnsCache

WWW = dns.name.from_text("www.shop.test.")


def a_record(ttl, address="127.0.0.1"):
    return dns.rrset.from_text(WWW, ttl, "IN", "A", address)


def test_positive_entry_lives_for_its_ttl():
    cache = DnsCache()
    cache.put_rrset(a_record(300), now=0, rank=RANK_ANSWER)
    assert cache.get(WWW, dns.rdatatype.A, now=299.5).remaining(299.5) == 0
    assert cache.get(WWW, dns.rdatatype.A, now=100).remaining(100) == 200
    assert cache.get(WWW, dns.rdatatype.A, now=300) is None  # expired and dropped
    assert (cache.hits, cache.misses) == (2, 1)


def test_nxdomain_covers_every_type_nodata_only_its_own():
    cache = DnsCache()
    name = dns.name.from_text("nope.shop.test.")
    cache.put_negative(name, dns.rdatatype.A, rcode=dns.rcode.NXDOMAIN, ttl=60, now=0)
    assert cache.get(name, dns.rdatatype.AAAA, now=10).negative
    cache.put_negative(WWW, dns.rdatatype.MX, rcode=dns.rcode.NOERROR, ttl=60, now=0)
    assert cache.get(WWW, dns.rdatatype.MX, now=10).negative
    assert cache.get(WWW, dns.rdatatype.TXT, now=10) is None
    assert cache.get(name, dns.rdatatype.A, now=60) is None


def test_glue_never_replaces_an_answer_and_ttls_are_capped():
    cache = DnsCache()
    cache.put_rrset(a_record(300), now=0, rank=RANK_ANSWER)
    cache.put_rrset(a_record(300, "192.0.2.66"), now=1, rank=RANK_GLUE)
    assert cache.addresses(WWW, now=2) == ["127.0.0.1"]
    cache.put_rrset(a_record(2**31 - 1), now=0, rank=RANK_ANSWER)
    assert cache.get(WWW, dns.rdatatype.A, now=0).remaining(0) == MAX_CACHE_TTL
