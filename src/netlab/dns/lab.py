"""The lab's DNS on loopback: root, TLD and authoritative servers, a recursive resolver, a stub.

:func:`loopback_dns` starts four servers on their own 127.0.0.x addresses (ports picked by
the kernel) and closes them when its ``with`` block ends:

=========  ===========  ===========================================================
role       address      serves
=========  ===========  ===========================================================
resolver   127.0.0.20   recursive resolution for stubs (RD=1), with a cache
root       127.0.0.30   the root zone ``.``, which delegates ``test.``
tld        127.0.0.31   ``test.``, which delegates ``shop.test.``
shop       127.0.0.32   ``shop.test.``: www, api (a CNAME), big (a large TXT)
=========  ===========  ===========================================================

The resolver's cache runs on a manual clock (:func:`advance_clock`), so TTLs expire
when the lab says so and outputs repeat. The stub is dnspython's own
``dns.resolver.Resolver``, pointed at the lab's resolver, with dnspython's own cache
standing in for the operating system's or the browser's.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Annotated

import dns.flags
import dns.message
import dns.query
import dns.rdatatype
import dns.resolver
from pydantic import Field

from netlab._validate import Seed, public, result
from netlab.dns.authority import authoritative_answer
from netlab.dns.names import DomainName, RecordType
from netlab.dns.recursive import recursive_handler
from netlab.dns.resolver import EDNS_PAYLOAD, IterativeResolver, Resolution, Step
from netlab.dns.server import Message, Network, Recorder, dns_server
from netlab.dns.zones import ADDRESSES, SERVER_NAMES, Zones, make_zones

__all__ = ["LoopbackDNS", "ManualClock", "StubLookup", "advance_clock", "cache_after",
           "cache_rows", "loopback_dns", "query_server", "resolve", "step_rows", "stub_lookup"]

AUTHORITATIVE = ("root", "tld", "shop")
STUB_TIMEOUT_S = 2.0
STUB_LIFETIME_S = 5.0


@result
class ManualClock:
    """A clock that moves only when told to: ``now`` seconds since the lab started."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@result
@dataclass
class LoopbackDNS:
    """The running servers: where they listen, what they saw, the resolver and its clock."""

    zones: Zones
    network: Network
    recorder: Recorder
    resolver: IterativeResolver
    clock: ManualClock
    stub: dns.resolver.Resolver = field(repr=False)

    def role_of(self, address: str) -> str:
        """The role ('root', 'tld', 'shop', 'resolver') of the server at a lab address."""
        return next(role for role, a in ADDRESSES.items() if a == address)


def _authoritative(zone_role: str, zones: Zones):  # noqa: ANN202 - a server handler
    zone = zones.zone(zone_role)

    def handle(query: dns.message.Message, transport: str) -> tuple[str, bytes]:
        _, kind, wire = authoritative_answer(zone, query, transport=transport)
        if int.from_bytes(wire[2:4], "big") & dns.flags.TC:
            kind += " (truncated)"
        return kind, wire

    return handle


@public
@contextlib.contextmanager
def loopback_dns(*, zones: Zones | None = None, seed: Seed = 7,
                 edns: bool = True) -> Iterator[LoopbackDNS]:
    """Run the lab's root, TLD, authoritative and recursive servers until the block ends.

    ``edns`` says whether the recursive resolver offers EDNS(0) with a 1,232-byte
    payload in its queries upstream (RFC 6891); without it, answers over UDP stop at
    512 bytes. ``seed`` seeds the resolver's query IDs.
    """
    zones = zones or make_zones()
    network, recorder, clock = Network(), Recorder(), ManualClock()
    hints = {SERVER_NAMES["root"]: ADDRESSES["root"]}
    resolver = IterativeResolver(network, hints, rng=random.Random(seed), edns=edns)
    with contextlib.ExitStack() as stack:
        for role in AUTHORITATIVE:
            stack.enter_context(dns_server(ADDRESSES[role], role, _authoritative(role, zones),
                                           recorder, network))
        endpoint = stack.enter_context(dns_server(ADDRESSES["resolver"], "resolver",
                                                  recursive_handler(resolver, clock),
                                                  recorder, network))
        stub = dns.resolver.Resolver(configure=False)  # never reads /etc/resolv.conf
        stub.nameservers = [endpoint.host]
        stub.port = endpoint.port
        stub.timeout, stub.lifetime = STUB_TIMEOUT_S, STUB_LIFETIME_S
        stub.cache = dns.resolver.Cache()
        yield LoopbackDNS(zones, network, recorder, resolver, clock, stub)


@public
def advance_clock(lab: LoopbackDNS, seconds: Annotated[float, Field(ge=0, le=10**9)]) -> float:
    """Move the resolver's clock forward by ``seconds``; return the new time."""
    lab.clock.now += seconds
    return lab.clock.now


@public
def resolve(lab: LoopbackDNS, name: DomainName, rdtype: RecordType = "A") -> Resolution:
    """Resolve ``name`` with the lab's recursive resolver directly, showing each step it takes."""
    return lab.resolver.resolve(name, rdtype, now=lab.clock())


@result
@dataclass(frozen=True)
class StubLookup:
    """A stub's lookup: its answer, what it sent, and what the resolver did upstream for it."""

    name: str
    rdtype: str
    answer: tuple[str, ...]
    rcode: str
    stub_messages: tuple[Message, ...]  # the resolver's view of the stub's queries and answers
    upstream: tuple[Step, ...]  # the resolver's queries to authoritative servers

    @property
    def stub_cache_hit(self) -> bool:
        """True when the stub answered from its own cache and sent nothing."""
        return not self.stub_messages

    @property
    def stub_transports(self) -> tuple[str, ...]:
        """The transport of each query the stub sent: ('udp',), or ('udp', 'tcp') after TC."""
        return tuple(m.transport for m in self.stub_messages if m.direction == "in")


@public
def stub_lookup(lab: LoopbackDNS, name: DomainName, rdtype: RecordType = "A", *,
                use_stub_cache: bool = True) -> StubLookup:
    """Look ``name`` up as an application does: dnspython's stub resolver asks the lab's resolver."""
    if not use_stub_cache:
        lab.stub.cache.flush()
    mark, first_step = lab.recorder.mark(), len(lab.resolver._steps)  # noqa: SLF001
    try:
        answer = lab.stub.resolve(name, rdtype, raise_on_no_answer=False, search=False)
        lines = tuple(sorted(answer.rrset.to_text().splitlines())) if answer.rrset else ()
        rcode = "NOERROR"
    except dns.resolver.NXDOMAIN:
        lines, rcode = (), "NXDOMAIN"
    messages = tuple(m for m in lab.recorder.since(mark) if m.server == "resolver")
    upstream = tuple(lab.resolver._steps[first_step:])  # noqa: SLF001
    return StubLookup(name, rdtype.upper(), lines, rcode, messages, upstream)


@public
def query_server(lab: LoopbackDNS, server: Annotated[str, Field(pattern="^(root|tld|shop)$")],
                 name: DomainName, rdtype: RecordType = "A", *, tcp: bool = False,
                 edns: bool = True) -> dns.message.Message:
    """Send one non-recursive query to one authoritative server; return dnspython's response.

    Over UDP a response that does not fit comes back with TC set and is returned as it
    is (no retry), so the truncation can be looked at.
    """
    endpoint = lab.network.endpoint(ADDRESSES[server])
    query = dns.message.make_query(name, rdtype, use_edns=0 if edns else False,
                                   payload=EDNS_PAYLOAD, id=lab.resolver.rng.randrange(65536),
                                   flags=0)
    send = dns.query.tcp if tcp else dns.query.udp
    return send(query, endpoint.host, port=endpoint.port, timeout=STUB_TIMEOUT_S)


@public
def cache_rows(lab: LoopbackDNS) -> list[dict[str, object]]:
    """The resolver's cache at the lab's current time: name, type, TTL left, what it holds."""
    now = lab.clock()
    rows = []
    for entry in lab.resolver.cache.entries(now=now):
        if entry.negative:
            rtype = "(any)" if entry.rdtype < 0 else dns.rdatatype.to_text(entry.rdtype)
            held = "NXDOMAIN" if entry.rcode == 3 else "NODATA"
        else:
            assert entry.rrset is not None
            rtype = dns.rdatatype.to_text(entry.rdtype)
            held = ", ".join(sorted(rd.to_text() for rd in entry.rrset))
            held = held if len(held) <= 48 else held[:45] + "..."
        rows.append({"name": entry.name.to_text(), "type": rtype,
                     "ttl left": entry.remaining(now), "holds": held,
                     "from": "answer" if entry.rank == 2 else "referral"})
    return rows


@public
def step_rows(steps: Sequence[Step]) -> list[dict[str, object]]:
    """One row per query of a resolution: server, zone, transport, outcome, size, records."""
    rows = []
    for step in steps:
        if not isinstance(step, Step):
            raise ValueError(f"step_rows: steps: must hold Step records, got {type(step).__name__}")
        shown = [" ".join(line.split()[i] for i in (0, 3, 4)) for line in step.records[:2]]
        rows.append({"#": step.number, "server": step.server, "asked as": step.zone,
                     "via": step.transport, "outcome": step.kind, "bytes": step.size_bytes,
                     "records": "; ".join(shown) + (" ..." if len(step.records) > 2 else "")})
    return rows


def _relative(text: str) -> str:
    """A name inside shop.test. written relative to it, as a zone file does ('@' is the apex)."""
    if text == "shop.test.":
        return "@"
    return text.removesuffix(".shop.test.") if text.endswith(".shop.test.") else text


@public
def cache_after(seconds: Annotated[float, Field(ge=0, le=10**6)], *,
                www_ttl: Annotated[int, Field(ge=1, le=86_400)] = 300,
                negative_ttl: Annotated[int, Field(ge=0, le=10_800)] = 60
                ) -> list[dict[str, object]]:
    """Resolve www, api and nope.shop.test, let ``seconds`` pass; what the cache still holds.

    Names are shown relative to ``shop.test.``, as in a zone file.
    """
    zones = make_zones(www_ttl=www_ttl, negative_ttl=negative_ttl)
    with loopback_dns(zones=zones) as lab:
        for name in ("www.shop.test", "api.shop.test", "nope.shop.test"):
            resolve(lab, name)
        advance_clock(lab, seconds)
        rows = []
        for row in cache_rows(lab):
            name = str(row.pop("name"))
            if not name.endswith("shop.test.") or name == "ns1.shop.test.":
                continue
            row.pop("from")
            # names relative to the zone, as in a zone file ("@" is the apex)
            row["holds"] = _relative(str(row["holds"]))
            rows.append({"name in shop.test.": _relative(name), **row})
        return rows
