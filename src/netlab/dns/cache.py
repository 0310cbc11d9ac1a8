"""A resolver's cache with an explicit clock: every call takes ``now``, in seconds.

Positive entries are RRsets kept for their TTL (RFC 1035 §3.2.1; an RRset has one TTL,
RFC 2181 §5.2). Negative entries (NXDOMAIN and NODATA) are kept for the TTL that RFC
2308 §5 gives them, the smaller of the SOA record's TTL and its MINIMUM field; dnspython
computes it (``QueryMessage.resolve_chaining().minimum_ttl``), so the rule is the
library's, and the lab checks it against the zone by hand. TTLs above RFC 8767 §4's
cap of 604,800 s (7 days) are capped. Data is ranked as RFC 2181 §5.4.1 says: glue and
referral NS records never replace data from an authoritative answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import dns.name
import dns.rcode
import dns.rdatatype
import dns.rrset

MAX_CACHE_TTL = 604_800  # RFC 8767 §4
RANK_GLUE, RANK_ANSWER = 1, 2
NXDOMAIN_ANY_TYPE = -1  # an NXDOMAIN entry covers every type of the name (RFC 2308 §5)


@dataclass(frozen=True)
class CacheEntry:
    """One cached RRset or negative answer, and when it expires."""

    name: dns.name.Name
    rdtype: int
    expires: float
    rank: int
    rrset: dns.rrset.RRset | None = None  # None for a negative entry
    rcode: int = dns.rcode.NOERROR  # NXDOMAIN, or NOERROR for NODATA / positive
    soa: dns.rrset.RRset | None = None  # for a negative entry: the SOA that came with it

    def remaining(self, now: float) -> int:
        """Seconds of TTL left at ``now`` (what a resolver puts in its answers)."""
        return max(0, int(self.expires - now))

    @property
    def negative(self) -> bool:
        """True for NXDOMAIN and NODATA entries."""
        return self.rrset is None


class DnsCache:
    """RRsets and negative answers by (name, type), each until its TTL runs out."""

    def __init__(self) -> None:
        self._entries: dict[tuple[dns.name.Name, int], CacheEntry] = {}
        self.hits = 0
        self.misses = 0

    def put_rrset(self, rrset: dns.rrset.RRset, *, now: float, rank: int) -> None:
        """Keep ``rrset`` for its TTL, unless better-ranked data is already cached."""
        key = (rrset.name, rrset.rdtype)
        old = self._entries.get(key)
        if old is not None and old.rank > rank and old.expires > now:
            return
        ttl = min(rrset.ttl, MAX_CACHE_TTL)
        self._entries[key] = CacheEntry(rrset.name, rrset.rdtype, now + ttl, rank, rrset)

    def put_negative(self, name: dns.name.Name, rdtype: int, *, rcode: int, ttl: int,
                     now: float, soa: dns.rrset.RRset | None = None) -> None:
        """Remember that ``name`` does not exist (NXDOMAIN) or has no ``rdtype`` (NODATA)."""
        key_type = NXDOMAIN_ANY_TYPE if rcode == dns.rcode.NXDOMAIN else rdtype
        ttl = min(ttl, MAX_CACHE_TTL)
        self._entries[(name, key_type)] = CacheEntry(name, key_type, now + ttl, RANK_ANSWER,
                                                     None, rcode, soa)

    def get(self, name: dns.name.Name, rdtype: int, *, now: float, count: bool = True,
            min_rank: int = RANK_GLUE) -> CacheEntry | None:
        """The live entry for (name, type) at ``now`` ranked at least ``min_rank``, or None.

        Expired entries are dropped. Answers to clients ask for ``RANK_ANSWER``: glue is
        for finding servers, not for answering (RFC 2181 §5.4.1).
        """
        for key in ((name, rdtype), (name, NXDOMAIN_ANY_TYPE)):
            entry = self._entries.get(key)
            if entry is None:
                continue
            if entry.expires <= now:
                del self._entries[key]
                continue
            if entry.rank < min_rank:
                continue
            if count:
                self.hits += 1
            return entry
        if count:
            self.misses += 1
        return None

    def addresses(self, name: dns.name.Name, *, now: float) -> list[str]:
        """The IPv4 addresses cached for ``name`` (answers or glue)."""
        entry = self.get(name, dns.rdatatype.A, now=now, count=False)
        if entry is None or entry.rrset is None:
            return []
        return sorted(rd.address for rd in entry.rrset)

    def closest_zone(self, name: dns.name.Name, *,
                     now: float) -> tuple[dns.name.Name, list[str]] | None:
        """The deepest cached zone cut above ``name`` whose servers have cached addresses."""
        for depth in range(len(name.labels)):
            zone = dns.name.Name(name.labels[depth:])
            entry = self.get(zone, dns.rdatatype.NS, now=now, count=False)
            if entry is None or entry.rrset is None:
                continue
            found = [ip for rd in sorted(entry.rrset, key=str)
                     for ip in self.addresses(rd.target, now=now)]
            if found:
                return zone, found
        return None

    def entries(self, *, now: float) -> list[CacheEntry]:
        """Every live entry, sorted by name then type."""
        live = [e for e in self._entries.values() if e.expires > now]
        return sorted(live, key=lambda e: (e.name.to_text(), e.rdtype))

    def clear(self) -> None:
        """Forget everything."""
        self._entries.clear()
        self.hits = self.misses = 0
