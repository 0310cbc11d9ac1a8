"""Iterative resolution, as a recursive resolver does it: root, then TLD, then the zone.

Each query goes out with RD clear (a question to an authoritative server, RFC 1034
§4.3.1) through dnspython's ``dns.query.udp``; a response with TC set is asked again
with ``dns.query.tcp`` (RFC 7766 §5: TCP is part of every DNS implementation). Every
query is recorded as a :class:`Step`, so a lab can show each referral.

What is simplified, and said here: one address per server (no server selection by RTT),
IPv4 glue only, no DNSSEC validation, no QNAME minimisation (RFC 9156: real resolvers
send only the next label to each server; this one sends the full name, as RFC 1034 did).
Referrals are accepted only within the bailiwick of the server that gave them
(RFC 2181 §5.4.1): a server for ``test.`` may delegate ``shop.test.``, not ``bank.example.``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdatatype
import dns.rrset

from netlab._validate import result
from netlab.dns.cache import RANK_ANSWER, RANK_GLUE, DnsCache
from netlab.dns.server import Network

EDNS_PAYLOAD = 1232
MAX_STEPS = 20
MAX_ALIASES = 8
QUERY_TIMEOUT_S = 2.0


class ResolutionError(Exception):
    """The name could not be resolved (every server failed, or a loop was detected)."""


@result
@dataclass(frozen=True)
class Step:
    """One query the resolver sent and what came back."""

    number: int
    server: str  # the server's host name, as the NS record named it
    address: str
    zone: str  # the zone the resolver believed that server to serve
    qname: str
    qtype: str
    transport: str  # "udp" or "tcp"
    kind: str  # referral, answer, nxdomain, nodata, truncated, refused, servfail
    size_bytes: int
    records: tuple[str, ...] = ()
    response: dns.message.Message | None = field(default=None, repr=False, compare=False)

    @property
    def round_trips(self) -> int:
        """Round trips this query cost: 1 over UDP, 2 over a new TCP connection (SYN first)."""
        return 1 if self.transport == "udp" else 2


@result
@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one name and type, with every step it took."""

    qname: str
    qtype: str
    rcode: str  # NOERROR or NXDOMAIN
    answer: tuple[str, ...]  # the records, CNAMEs first, as zone-file lines
    ttl: int  # how long the whole answer may be cached
    steps: tuple[Step, ...]
    from_cache: bool
    rrsets: tuple[dns.rrset.RRset, ...] = field(default=(), repr=False, compare=False)
    authority: tuple[dns.rrset.RRset, ...] = field(default=(), repr=False, compare=False)

    @property
    def addresses(self) -> list[str]:
        """The A and AAAA addresses in the answer."""
        return [line.split()[-1] for line in self.answer if line.split()[3] in ("A", "AAAA")]

    @property
    def negative(self) -> bool:
        """True for NXDOMAIN and NODATA."""
        return not self.answer or self.rcode != "NOERROR"


@dataclass
class _Outcome:
    rcode: int
    records: list[dns.rrset.RRset]
    ttl: int
    aliases: list[dns.rrset.RRset]
    restart: dns.name.Name | None = None
    soa: dns.rrset.RRset | None = None


def _lines(rrsets: list[dns.rrset.RRset]) -> tuple[str, ...]:
    return tuple(line for rrset in rrsets for line in sorted(rrset.to_text().splitlines()))


def _kind(response: dns.message.Message, qname: dns.name.Name) -> str:
    rcode = response.rcode()
    if response.flags & dns.flags.TC:
        return "truncated"
    if rcode == dns.rcode.NXDOMAIN:
        return "nxdomain"
    if rcode != dns.rcode.NOERROR:
        return dns.rcode.to_text(rcode).lower()
    if response.answer:
        return "answer"
    if any(r.rdtype == dns.rdatatype.NS for r in response.authority) and not (
            response.flags & dns.flags.AA):
        return "referral"
    return "nodata"


class IterativeResolver:
    """Walks the hierarchy from the root hints; keeps what it learns in a :class:`DnsCache`."""

    def __init__(self, network: Network, hints: dict[str, str], *, cache: DnsCache | None = None,
                 rng: random.Random | None = None, edns: bool = True) -> None:
        self.network, self.hints = network, dict(hints)
        self.cache = cache if cache is not None else DnsCache()
        self.rng = rng or random.Random(7)
        self.edns = edns
        self.names: dict[str, str] = {address: name for name, address in hints.items()}
        self._steps: list[Step] = []

    # ------------------------------------------------------------------ sending
    def _query(self, qname: dns.name.Name, rdtype: int) -> dns.message.Message:
        # a real resolver draws the ID (and its source port) from a CSPRNG (RFC 5452 §9.2);
        # the lab draws from a seeded generator so that its outputs repeat
        query = dns.message.make_query(qname, rdtype, use_edns=0 if self.edns else False,
                                       payload=EDNS_PAYLOAD, id=self.rng.randrange(65536),
                                       flags=0)
        return query

    def _ask(self, address: str, zone: dns.name.Name, qname: dns.name.Name,
             rdtype: int) -> dns.message.Message:
        endpoint = self.network.endpoint(address)
        query = self._query(qname, rdtype)
        response = dns.query.udp(query, endpoint.host, port=endpoint.port,
                                 timeout=QUERY_TIMEOUT_S)
        self._record(address, zone, qname, rdtype, "udp", response)
        if response.flags & dns.flags.TC:
            response = dns.query.tcp(query, endpoint.host, port=endpoint.port,
                                     timeout=QUERY_TIMEOUT_S)
            self._record(address, zone, qname, rdtype, "tcp", response)
        return response

    def _record(self, address: str, zone: dns.name.Name, qname: dns.name.Name, rdtype: int,
                transport: str, response: dns.message.Message) -> None:
        kind = _kind(response, qname)
        if kind == "referral":
            records = _lines([*response.authority, *response.additional])
        elif kind in ("nxdomain", "nodata"):
            records = _lines(response.authority)
        else:
            records = _lines(response.answer)
        self._steps.append(Step(len(self._steps) + 1, self.names.get(address, address), address,
                                zone.to_text(), qname.to_text(), dns.rdatatype.to_text(rdtype),
                                transport, kind, len(response.wire or b""), records, response))

    # ------------------------------------------------------------------ walking
    def _start(self, qname: dns.name.Name, now: float) -> tuple[dns.name.Name, list[str]]:
        found = self.cache.closest_zone(qname, now=now)
        if found is not None:
            return found
        return dns.name.root, sorted(self.hints.values())

    def _take_referral(self, response: dns.message.Message, zone: dns.name.Name,
                       qname: dns.name.Name, now: float) -> tuple[dns.name.Name, list[str]]:
        ns = next(r for r in response.authority if r.rdtype == dns.rdatatype.NS)
        child = ns.name
        if child == zone or not child.is_subdomain(zone) or not qname.is_subdomain(child):
            raise ResolutionError(f"{zone} referred {qname} to {child}, outside its bailiwick")
        self.cache.put_rrset(ns, now=now, rank=RANK_GLUE)
        for glue in response.additional:
            if glue.rdtype == dns.rdatatype.A and glue.name.is_subdomain(zone):
                self.cache.put_rrset(glue, now=now, rank=RANK_GLUE)
        servers: list[str] = []
        for rd in sorted(ns, key=str):
            addresses = self.cache.addresses(rd.target, now=now)
            if not addresses:  # glueless delegation: resolve the server's own name first
                addresses = self.resolve(rd.target.to_text(), "A", now=now).addresses
            for address in addresses:
                self.names.setdefault(address, rd.target.to_text())
            servers += addresses
        return child, servers

    def _from_cache(self, qname: dns.name.Name, rdtype: int,
                    now: float) -> tuple[list[dns.rrset.RRset], dns.name.Name, _Outcome | None]:
        """Follow cached CNAMEs; return (aliases, final name, the cached outcome or None)."""
        aliases: list[dns.rrset.RRset] = []
        name = qname
        for _ in range(MAX_ALIASES):
            entry = self.cache.get(name, rdtype, now=now, min_rank=RANK_ANSWER)
            if entry is not None:
                if entry.negative:
                    soa = None
                    if entry.soa is not None:
                        soa = entry.soa.copy()
                        soa.ttl = entry.remaining(now)  # RFC 2308 §6: count the TTL down
                    return aliases, name, _Outcome(entry.rcode, [], entry.remaining(now), [],
                                                   soa=soa)
                assert entry.rrset is not None
                rrset = entry.rrset.copy()
                rrset.ttl = entry.remaining(now)
                return aliases, name, _Outcome(dns.rcode.NOERROR, [rrset], rrset.ttl, [])
            alias = self.cache.get(name, dns.rdatatype.CNAME, now=now, count=False,
                                   min_rank=RANK_ANSWER)
            if alias is None or alias.rrset is None or rdtype == dns.rdatatype.CNAME:
                return aliases, name, None
            rrset = alias.rrset.copy()
            rrset.ttl = alias.remaining(now)
            aliases.append(rrset)
            name = rrset[0].target
        raise ResolutionError(f"more than {MAX_ALIASES} CNAMEs from {qname}")

    def resolve(self, qname_text: str, rdtype_text: str, *, now: float) -> Resolution:
        """Resolve ``qname_text``/``rdtype_text`` at time ``now``, from the cache where it can."""
        first_step = len(self._steps)
        qname, rdtype = dns.name.from_text(qname_text), dns.rdatatype.from_text(rdtype_text)
        chain: list[dns.rrset.RRset] = []
        name = qname
        for _ in range(MAX_ALIASES):
            aliases, name, cached = self._from_cache(name, rdtype, now)
            chain += aliases
            if cached is not None:
                return self._result(qname, rdtype, cached, chain, first_step, from_cache=True)
            outcome = self._walk(name, rdtype, now)
            chain += outcome.aliases
            if outcome.restart is not None:  # a CNAME into another zone: start again there
                name = outcome.restart
                continue
            return self._result(qname, rdtype, outcome, chain, first_step, from_cache=False)
        raise ResolutionError(f"more than {MAX_ALIASES} CNAMEs from {qname}")

    def _result(self, qname: dns.name.Name, rdtype: int, outcome: _Outcome,
                chain: list[dns.rrset.RRset], first_step: int, *, from_cache: bool) -> Resolution:
        rrsets = [*chain, *outcome.records]
        ttl = min([outcome.ttl, *(r.ttl for r in chain)])
        steps = tuple(self._steps[first_step:])
        authority = (outcome.soa,) if outcome.soa is not None else ()
        return Resolution(qname.to_text(), dns.rdatatype.to_text(rdtype),
                          dns.rcode.to_text(outcome.rcode), _lines(rrsets), ttl, steps,
                          from_cache and not steps, tuple(rrsets), authority)

    def _walk(self, qname: dns.name.Name, rdtype: int, now: float) -> _Outcome:
        zone, servers = self._start(qname, now)
        for _ in range(MAX_STEPS):
            response = None
            for address in servers:
                try:
                    response = self._ask(address, zone, qname, rdtype)
                except (dns.exception.DNSException, OSError, KeyError):
                    continue
                if response.rcode() in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
                    break
            if response is None or response.rcode() not in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
                raise ResolutionError(f"no server for {zone} answered {qname}")
            kind = _kind(response, qname)
            if kind == "referral":
                zone, servers = self._take_referral(response, zone, qname, now)
                continue
            chained = response.resolve_chaining()  # dnspython: CNAMEs, answer, RFC 2308 TTL
            for rrset in response.answer:
                if rrset.name.is_subdomain(zone):  # only what this server is authoritative for
                    self.cache.put_rrset(rrset, now=now, rank=RANK_ANSWER)
            aliases = list(chained.cnames)
            if chained.answer is not None:
                return _Outcome(dns.rcode.NOERROR, [chained.answer], chained.minimum_ttl, aliases)
            if aliases and kind == "answer":  # the alias leaves this zone
                return _Outcome(dns.rcode.NOERROR, [], chained.minimum_ttl, aliases,
                                restart=chained.canonical_name)
            soa = next((r for r in response.authority if r.rdtype == dns.rdatatype.SOA), None)
            self.cache.put_negative(chained.canonical_name, rdtype, rcode=response.rcode(),
                                    ttl=chained.minimum_ttl, now=now, soa=soa)
            return _Outcome(response.rcode(), [], chained.minimum_ttl, aliases, soa=soa)
        raise ResolutionError(f"more than {MAX_STEPS} referrals for {qname}")
