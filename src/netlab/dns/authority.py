"""What an authoritative server answers, as a function: a query in, a response out.

Sans-IO: no sockets, no clock. dnspython parses the query, holds the zone and renders
the response; this module decides which of the four kinds of answer a query gets
(RFC 1034 §4.3.2, RFC 2308 §2):

* **answer**: the name and type exist in the zone; the AA bit is set;
* **referral**: the name lies below a zone cut; the NS records of the child zone go in
  the authority section and their addresses (glue) in the additional section, AA clear;
* **NXDOMAIN**: no such name (and nothing below it, RFC 8020); the zone's SOA in the
  authority section, with the TTL RFC 2308 §3 prescribes;
* **NODATA**: the name exists but not with that type: NOERROR, no answer, the SOA.

Over UDP the response is cut to the size the query allows: 512 bytes without EDNS
(RFC 1035 §4.2.1), else the smaller of the client's EDNS payload and the server's own
(RFC 6891 §6.2.5). A response that does not fit has its TC bit set and the RRsets that
do not fit left out (dnspython's ``prefer_truncation``); the client retries over TCP.
"""

from __future__ import annotations

import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import dns.zone

UDP_LIMIT_WITHOUT_EDNS = 512  # RFC 1035 §2.3.4 / §4.2.1
SERVER_EDNS_PAYLOAD = 1232  # DNS Flag Day 2020: 1280 (IPv6 minimum MTU) - 40 - 8
TCP_LIMIT = 65535  # the two-byte length prefix, RFC 1035 §4.2.2
MAX_CNAME_CHAIN = 8


def _rrset(zone: dns.zone.Zone, name: dns.name.Name, rdtype: int) -> dns.rrset.RRset | None:
    rdataset = zone.get_rdataset(name, rdtype)
    if rdataset is None:
        return None
    rrset = dns.rrset.RRset(name, dns.rdataclass.IN, rdtype)
    rrset.update(rdataset)
    return rrset


def _cut(zone: dns.zone.Zone, qname: dns.name.Name) -> dns.name.Name | None:
    """The highest zone cut (a delegation, NS below the apex) at or above ``qname``."""
    labels = qname.relativize(zone.origin).labels
    for depth in range(len(labels), 0, -1):  # from just below the apex down to qname
        name = dns.name.Name(labels[depth - 1:]).concatenate(zone.origin)
        if zone.get_rdataset(name, dns.rdatatype.NS) is not None:
            return name
    return None


def _negative_soa(zone: dns.zone.Zone) -> dns.rrset.RRset:
    soa = _rrset(zone, zone.origin, dns.rdatatype.SOA)
    assert soa is not None
    # RFC 2308 §3: the SOA's TTL in a negative answer is min(SOA TTL, SOA MINIMUM)
    soa.ttl = min(soa.ttl, soa[0].minimum)
    return soa


def _has_descendants(zone: dns.zone.Zone, name: dns.name.Name) -> bool:
    return any(other != name and other.is_subdomain(name) for other in zone.nodes)


def _fill(zone: dns.zone.Zone, query: dns.message.Message,
          response: dns.message.Message) -> str:
    question = query.question[0]
    qname, qtype = question.name, question.rdtype
    if question.rdclass != dns.rdataclass.IN or not qname.is_subdomain(zone.origin):
        response.set_rcode(dns.rcode.REFUSED)
        return "refused"
    cut = _cut(zone, qname)
    if cut is not None and not (cut == qname and qtype == dns.rdatatype.DS):
        ns = _rrset(zone, cut, dns.rdatatype.NS)
        assert ns is not None
        response.authority.append(ns)
        for target in sorted({rd.target for rd in ns}):
            for rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
                glue = _rrset(zone, target, rdtype) if target.is_subdomain(zone.origin) else None
                if glue is not None:
                    response.additional.append(glue)
        return "referral"
    response.flags |= dns.flags.AA
    for _ in range(MAX_CNAME_CHAIN):
        found = _rrset(zone, qname, qtype)
        if found is not None:
            response.answer.append(found)
            return "answer"
        alias = _rrset(zone, qname, dns.rdatatype.CNAME)
        if alias is None or qtype == dns.rdatatype.CNAME:
            break
        response.answer.append(alias)
        qname = alias[0].target
        if not qname.is_subdomain(zone.origin):
            return "answer"  # the resolver follows the alias into the other zone
    if response.answer:
        return "answer"  # an alias whose target has no data of this type here
    response.authority.append(_negative_soa(zone))
    if zone.get_node(qname) is None and not _has_descendants(zone, qname):
        response.set_rcode(dns.rcode.NXDOMAIN)
        return "nxdomain"
    return "nodata"


def udp_limit(query: dns.message.Message, server_payload: int = SERVER_EDNS_PAYLOAD) -> int:
    """The largest UDP response this query allows (RFC 1035 §4.2.1, RFC 6891 §6.2.5)."""
    if query.edns < 0:
        return UDP_LIMIT_WITHOUT_EDNS
    return max(UDP_LIMIT_WITHOUT_EDNS, min(query.payload, server_payload))


def authoritative_answer(zone: dns.zone.Zone, query: dns.message.Message, *,
                         transport: str) -> tuple[dns.message.Message, str, bytes]:
    """Answer ``query`` from ``zone``: (response, kind, wire bytes as sent over ``transport``).

    ``kind`` is 'answer', 'referral', 'nxdomain', 'nodata', 'refused' or 'formerr'.
    """
    response = dns.message.make_response(query, our_payload=SERVER_EDNS_PAYLOAD)
    response.flags &= ~dns.flags.RA  # an authoritative-only server offers no recursion
    if len(query.question) != 1:
        response.set_rcode(dns.rcode.FORMERR)
        kind = "formerr"
    else:
        kind = _fill(zone, query, response)
    limit = udp_limit(query) if transport == "udp" else TCP_LIMIT
    wire = response.to_wire(max_size=limit, prefer_truncation=True)
    return response, kind, wire
