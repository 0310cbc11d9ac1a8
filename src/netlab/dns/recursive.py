"""The recursive resolver's side: a stub's query in, an answer from cache or from the walk out.

A stub resolver (the operating system's, or dnspython's ``dns.resolver.Resolver``) asks
with RD set and expects a complete answer (RFC 1034 §5.3.1). This handler answers
from :class:`~netlab.dns.resolver.IterativeResolver`, which consults its cache first,
sets RA, and truncates over UDP like any server (RFC 1035 §4.2.1, RFC 6891 §6.2.5).
"""

from __future__ import annotations

from collections.abc import Callable

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype

from netlab.dns.authority import TCP_LIMIT, udp_limit
from netlab.dns.resolver import IterativeResolver, ResolutionError


def recursive_handler(resolver: IterativeResolver,
                      clock: Callable[[], float]) -> Callable[[dns.message.Message, str],
                                                              tuple[str, bytes]]:
    """A server handler that resolves each question with ``resolver`` at ``clock()``."""

    def handle(query: dns.message.Message, transport: str) -> tuple[str, bytes]:
        response = dns.message.make_response(query, recursion_available=True, our_payload=1232)
        kind = "answer"
        if len(query.question) != 1:
            response.set_rcode(dns.rcode.FORMERR)
            kind = "formerr"
        else:
            question = query.question[0]
            try:
                result = resolver.resolve(question.name.to_text(),
                                          dns.rdatatype.to_text(question.rdtype), now=clock())
            except (ResolutionError, ValueError):
                response.set_rcode(dns.rcode.SERVFAIL)
                kind = "servfail"
            else:
                response.answer.extend(result.rrsets)
                response.authority.extend(result.authority)
                response.set_rcode(dns.rcode.from_text(result.rcode))
                if result.rcode == "NXDOMAIN":
                    kind = "nxdomain"
                elif not result.answer or not any(r.rdtype == question.rdtype
                                                  for r in result.rrsets):
                    kind = "nodata" if not result.answer else "answer"
                kind = ("cached " if result.from_cache else "") + kind
        limit = udp_limit(query) if transport == "udp" else TCP_LIMIT
        wire = response.to_wire(max_size=limit, prefer_truncation=True)
        if response.flags & dns.flags.TC or dns.flags.TC & int.from_bytes(wire[2:4], "big"):
            kind += " (truncated)"
        return kind, wire

    return handle
