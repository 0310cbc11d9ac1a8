"""DNS messages read by scapy's dissector, an implementation independent of dnspython's.

The servers are built on dnspython; reading their bytes back with scapy's ``DNS`` layer
checks the wire format against a second parser. The header's flags and counts are
RFC 1035 §4.1.1's; an OPT pseudo-record's CLASS field holds the sender's UDP payload
size (RFC 6891 §6.1.2).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field
from scapy.layers.dns import DNS, DNSQR, dnstypes

from netlab._validate import ArgumentError, public

__all__ = ["dissect_header", "dissect_records"]

HEADER_FLAGS = ("qr", "aa", "tc", "rd", "ra")
_RR_HEADER = {"rrname", "type", "cacheflush", "rclass", "ttl", "rdlen"}
Wire = Annotated[bytes, Field(min_length=12, max_length=65535)]


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("ascii", "replace")
    if isinstance(value, list):
        return " ".join(_text(v) for v in value)
    return str(value)


@public
def dissect_header(wire: Wire) -> dict[str, object]:
    """The header of a DNS message as scapy reads it: flags, opcode, rcode, section counts."""
    packet = DNS(wire)
    row: dict[str, object] = {flag: int(getattr(packet, flag)) for flag in HEADER_FLAGS}
    row.update(opcode=int(packet.opcode), rcode=int(packet.rcode), qd=int(packet.qdcount),
               an=int(packet.ancount), ns=int(packet.nscount), ar=int(packet.arcount))
    return row


@public
def dissect_records(wire: Wire, *, max_rdata_chars: Annotated[int, Field(ge=8, le=200)] = 60
                    ) -> list[dict[str, object]]:
    """One row per question and record, section by section, as scapy reads them."""
    try:
        return _records(DNS(wire), max_rdata_chars)
    except (AttributeError, TypeError, ValueError, IndexError) as exc:
        raise ArgumentError(f"dissect_records: wire: is not a DNS message scapy can read "
                            f"({type(exc).__name__})") from None


def _records(packet: DNS, max_rdata_chars: int) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for section in ("qd", "an", "ns", "ar"):
        for rr in getattr(packet, section) or []:
            if isinstance(rr, DNSQR):
                rows.append({"section": "question", "name": _text(rr.qname),
                             "type": dnstypes.get(rr.qtype, rr.qtype), "ttl": None, "data": ""})
                continue
            rtype = dnstypes.get(rr.type, rr.type)
            if rtype == "OPT":
                data = f"EDNS({rr.version}), UDP payload {rr.rclass} bytes"
                ttl = None
            elif "svc_priority" in rr.fields:  # SVCB / HTTPS (RFC 9460 §2.2)
                params = " ".join(f"{p.sprintf('%key%')}={','.join(_text(v) for v in p.value)}"
                                  if isinstance(p.value, list) else p.sprintf("%key%=%value%")
                                  for p in rr.svc_params)
                data = f"{rr.svc_priority} {_text(rr.target_name)} {params}".strip()
                ttl = int(rr.ttl)
            elif "rdata" in rr.fields:
                data = _text(rr.rdata)
                ttl = int(rr.ttl)
            else:  # SOA, MX, ...: scapy keeps each RDATA field by name (RFC 1035 §3.3)
                data = " ".join(_text(v) for k, v in rr.fields.items() if k not in _RR_HEADER)
                ttl = int(rr.ttl)
            if len(data) > max_rdata_chars:
                data = data[:max_rdata_chars - 3] + "..."
            rows.append({"section": {"an": "answer", "ns": "authority",
                                     "ar": "additional"}[section],
                         "name": _text(rr.rrname), "type": rtype, "ttl": ttl, "data": data})
    return rows
