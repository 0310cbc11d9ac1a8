"""Domain names, record types and TTLs as the DNS allows them, checked with dnspython.

The limits are RFC 1035's (§2.3.4: a label is at most 63 octets, a name at most 255
octets on the wire, which is 253 characters of text without the final dot) and RFC
2181's (§8: a TTL is an unsigned 31-bit number of seconds). dnspython's own parser
(``dns.name.from_text``) applies them; the validators here turn its exceptions into
messages that name the rule, so every public function of ``netlab.dns`` can declare
``name: DomainName`` in its signature.
"""

from __future__ import annotations

from typing import Annotated

import dns.exception
import dns.name
import dns.rdatatype
from pydantic import AfterValidator, Field

__all__ = ["MAX_TTL", "RECORD_TYPES", "DomainName", "RecordType", "Ttl", "to_name"]

#: RFC 2181 §8: TTLs are 32-bit unsigned with the top bit clear.
MAX_TTL = 2**31 - 1
#: The record types the course's servers answer with data (others get a NODATA answer).
RECORD_TYPES = ("A", "AAAA", "NS", "SOA", "CNAME", "TXT", "MX", "HTTPS", "SVCB")
MAX_NAME_CHARS = 253  # 255 octets on the wire, minus the length octet and the root label


def to_name(text: str) -> dns.name.Name:
    """``text`` as an absolute dnspython name; ValueError naming the RFC 1035 rule it breaks."""
    if not text:
        raise ValueError("must not be empty (the root is written '.')")
    if len(text.rstrip(".")) > MAX_NAME_CHARS:
        raise ValueError(f"is {len(text.rstrip('.'))} characters, more than the {MAX_NAME_CHARS} "
                         "a domain name may have (255 octets on the wire, RFC 1035 §2.3.4)")
    try:
        return dns.name.from_text(text)
    except dns.name.LabelTooLong:
        longest = max(text.split("."), key=len)
        raise ValueError(f"has a label of {len(longest.encode())} bytes, more than the 63 a "
                         "label may have (RFC 1035 §2.3.4)") from None
    except dns.name.NameTooLong:
        raise ValueError("is longer than the 255 octets a name may have on the wire "
                         "(RFC 1035 §2.3.4)") from None
    except dns.name.EmptyLabel:
        raise ValueError("has an empty label (two dots in a row)") from None
    except dns.exception.DNSException as exc:
        raise ValueError(f"is not a domain name: {exc}") from None


def _check_name(text: str) -> str:
    to_name(text)
    return text


def _check_type(text: str) -> str:
    try:
        dns.rdatatype.from_text(text)
    except (dns.rdatatype.UnknownRdatatype, ValueError):
        raise ValueError(f"is not a DNS record type; use one of {', '.join(RECORD_TYPES)}") from None
    if text.upper() not in RECORD_TYPES:
        raise ValueError(f"is a record type the lab's servers do not serve; use one of "
                         f"{', '.join(RECORD_TYPES)}")
    return text.upper()


#: A domain name in text form, checked against RFC 1035's limits.
DomainName = Annotated[str, AfterValidator(_check_name)]
#: A record type by its mnemonic (A, AAAA, NS, ...), one the course's servers serve.
RecordType = Annotated[str, AfterValidator(_check_type)]
#: A TTL in seconds, 0 to 2**31 - 1 (RFC 2181 §8).
Ttl = Annotated[int, Field(ge=0, le=MAX_TTL)]
