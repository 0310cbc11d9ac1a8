"""The whole page load on loopback, first visit against repeat visits, counted in round trips.

1. The browser's stub resolver asks the lab's recursive resolver for ``www.shop.test``;
   the resolver walks root, ``test.`` and ``shop.test.`` (chapter 9's DNS lab).
2. A TCP connection to the address it returned, TLS 1.3 with the course's test CA,
   and ``GET /`` over HTTP/1.1; then a second connection that offers ``h2`` in ALPN.
   The responses carry ``Alt-Svc: h3=":port"``.
3. The repeat visit: the name from the stub's cache, HTTP/3 (aioquic, through
   ``netlab.quic``) to the port Alt-Svc announced; the QUIC handshake is a full one.
4. The third visit: 0-RTT with the session ticket the repeat visit received.

Each step is recorded with the round trips it cost and the id of the fact in the
chapter's table it is compared with (``chapters/facts/09-url-to-page.yml``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field

from netlab._validate import public, result
from netlab.dns import LoopbackDNS, StubLookup, stub_lookup
from netlab.dns.names import DomainName
from netlab.pageload.altsvc import Alternative, parse_alt_svc
from netlab.pageload.site import Site
from netlab.pageload.tcp import TcpVisit, visit_over_tcp
from netlab.quic import TicketStore, h3_server, http3_get, round_trips_before_request


@result
@dataclass(frozen=True)
class PageStep:
    """One step of one visit: what it was, the round trips counted, the table's fact id."""

    visit: str
    step: str
    round_trips: int
    fact: str
    side: str = "browser"  # "browser", or "resolver" for the resolver's own queries


@result
@dataclass(frozen=True)
class PageLoad:
    """Every visit's steps, and the records they were counted from."""

    steps: tuple[PageStep, ...]
    lookups: dict[str, StubLookup]
    tcp: dict[str, TcpVisit]
    h3: dict[str, Any]  # "repeat", "third": netlab.quic.Exchange
    alternatives: tuple[Alternative, ...]
    h3_answered: tuple[Any, ...]  # netlab.quic.HandledRequest, in order


def _dns_steps(visit: str, lookup: StubLookup) -> list[PageStep]:
    stub = sum(1 if t == "udp" else 2 for t in lookup.stub_transports)
    if lookup.stub_cache_hit:
        return [PageStep(visit, "DNS: browser's cache", 0, "rt-dns-browser-cache")]
    steps = [PageStep(visit, "DNS: stub -> resolver", stub, "rt-dns-stub-query")]
    if lookup.upstream:
        steps.append(PageStep(visit, "DNS: resolver -> root, test., shop.test.",
                              sum(s.round_trips for s in lookup.upstream),
                              "rt-dns-cold-walk", side="resolver"))
    return steps


def _tcp_steps(visit: str, tcp: TcpVisit) -> list[PageStep]:
    version = tcp.tls_version.replace("TLSv", "")
    resumed = "resumed" if tcp.session_reused else "full"
    label = {"http/1.1": "HTTP/1.1", "h2": "HTTP/2"}[tcp.http]
    return [PageStep(visit, "TCP handshake", tcp.round_trips["TCP"], "rt-tcp-handshake"),
            PageStep(visit, f"TLS {version} ({resumed})", tcp.round_trips["TLS"],
                     f"rt-tls{version.replace('.', '')}-{resumed}"),
            PageStep(visit, f"{label}: GET -> first byte", tcp.round_trips["HTTP"],
                     "rt-http-request")]


def _h3_steps(visit: str, exchange: Any, early: bool) -> list[PageStep]:
    kind = "0-RTT" if early else "full"
    return [PageStep(visit, f"QUIC + TLS 1.3 ({kind})", round_trips_before_request(exchange),
                     "rt-quic-0rtt" if early else "rt-quic-full"),
            # the server answered the request as it arrived (its handled log), so the
            # response is in the server's next flight: one round trip
            PageStep(visit, "HTTP/3: GET -> first byte", 1, "rt-http-request")]


@public
async def page_load(dns_lab: LoopbackDNS, site: Site,
                    name: DomainName = "www.shop.test",
                    body_bytes: Annotated[int, Field(ge=1, le=100_000)] = 1000) -> PageLoad:
    """Load ``https://name/`` four times: HTTP/1.1, HTTP/2, HTTP/3 (Alt-Svc), HTTP/3 0-RTT."""
    cold = stub_lookup(dns_lab, name, "A", use_stub_cache=False)
    if cold.rcode != "NOERROR" or not cold.answer:
        raise ValueError(f"page_load: name: {name!r} does not resolve in the lab's DNS "
                         f"({cold.rcode})")
    address = cold.answer[0].split()[-1]
    async with h3_server(pki=site.pki, tickets=TicketStore(single_use=True),
                         body_bytes=body_bytes) as h3:
        h1 = visit_over_tcp(site, address, http="http/1.1", h3_port=h3.port)
        warm = stub_lookup(dns_lab, name, "A")
        h2 = visit_over_tcp(site, address, http="h2", h3_port=h3.port)
        alternatives = tuple(parse_alt_svc(h2.alt_svc))
        target = next(a for a in alternatives if a.protocol == "h3")
        if target.port != h3.port:
            raise RuntimeError("Alt-Svc announced a port the HTTP/3 server does not listen on")
        again = stub_lookup(dns_lab, name, "A")
        repeat = await http3_get(h3, ["/"])
        third_lookup = stub_lookup(dns_lab, name, "A")
        third = await http3_get(h3, ["/"], ticket=repeat.ticket, early_data=True)
        answered = tuple(h3.handled)
    steps = [*_dns_steps("first (HTTP/1.1)", cold), *_tcp_steps("first (HTTP/1.1)", h1),
             *_dns_steps("first (HTTP/2)", warm), *_tcp_steps("first (HTTP/2)", h2),
             *_dns_steps("repeat (HTTP/3)", again), *_h3_steps("repeat (HTTP/3)", repeat, False),
             *_dns_steps("third (0-RTT)", third_lookup), *_h3_steps("third (0-RTT)", third, True)]
    return PageLoad(tuple(steps), {"first": cold, "first-h2": warm, "repeat": again,
                                   "third": third_lookup},
                    {"http/1.1": h1, "h2": h2}, {"repeat": repeat, "third": third},
                    alternatives, answered)
