"""The lab's name space: a root zone, the ``test.`` TLD and the ``shop.test.`` zone.

``.test`` is reserved for testing (RFC 6761 §6.2), so nothing here can collide with a
real name. Each zone's server has its own loopback address, as the real hierarchy's
servers have their own addresses; the glue records in the parent zones carry those
addresses, which is how a resolver walking down finds the next server.

The zones are written as master-file text (RFC 1035 §5) and parsed by dnspython's
``dns.zone.from_text``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import dns.zone
from pydantic import Field

from netlab._validate import public, result
from netlab.dns.names import Ttl

__all__ = ["ADDRESSES", "SERVER_NAMES", "Zones", "make_zones"]

#: Loopback address of each server of the lab, by role.
ADDRESSES = {"resolver": "127.0.0.20", "root": "127.0.0.30", "tld": "127.0.0.31",
             "shop": "127.0.0.32"}
#: Host name of each authoritative server, as the NS records name it.
SERVER_NAMES = {"root": "a.root.test.", "tld": "ns1.nic.test.", "shop": "ns1.shop.test."}
#: The zone each authoritative server serves.
ORIGINS = {"root": ".", "tld": "test.", "shop": "shop.test."}


@result
@dataclass(frozen=True)
class Zones:
    """The three zones as master-file text, and the settings they were made with."""

    texts: dict[str, str]
    www_ttl: int
    negative_ttl: int
    big_txt_bytes: int

    def zone(self, role: str) -> dns.zone.Zone:
        """The zone of ``role`` ('root', 'tld' or 'shop') parsed by dnspython."""
        return dns.zone.from_text(self.texts[role], origin=ORIGINS[role], relativize=False,
                                  check_origin=True)


def _txt_strings(total_bytes: int) -> str:
    # TXT character-strings hold at most 255 bytes each (RFC 1035 §3.3.14)
    chunks, left, n = [], total_bytes, 0
    while left > 0:
        size = min(200, left)
        chunks.append('"' + (f"chunk{n:03d}-" + "x" * size)[:size] + '"')
        left, n = left - size, n + 1
    return " ".join(chunks)


@public
def make_zones(*, www_ttl: Ttl = 300,
               negative_ttl: Annotated[int, Field(ge=0, le=10_800)] = 60,
               big_txt_bytes: Annotated[int, Field(ge=1, le=16_000)] = 2_000) -> Zones:
    """Write the root, ``test.`` and ``shop.test.`` zones.

    ``www_ttl`` is the TTL of ``www.shop.test``'s records, ``negative_ttl`` the SOA
    MINIMUM of ``shop.test.`` (the negative-caching TTL, RFC 2308 §4-5), and
    ``big_txt_bytes`` the size of the TXT record at ``big.shop.test``, large enough
    by default not to fit in a 1,232-byte UDP answer.
    """
    a = ADDRESSES
    root = f"""\
$TTL 86400
.                 86400  IN SOA a.root.test. hostmaster.root.test. 2026120101 1800 900 604800 86400
.                518400  IN NS  a.root.test.
a.root.test.     518400  IN A   {a['root']}
test.            172800  IN NS  ns1.nic.test.
ns1.nic.test.    172800  IN A   {a['tld']}
"""
    tld = f"""\
$TTL 86400
test.             86400  IN SOA ns1.nic.test. hostmaster.nic.test. 2026120101 1800 900 604800 3600
test.            172800  IN NS  ns1.nic.test.
ns1.nic.test.    172800  IN A   {a['tld']}
a.root.test.     518400  IN A   {a['root']}
shop.test.       172800  IN NS  ns1.shop.test.
ns1.shop.test.   172800  IN A   {a['shop']}
"""
    shop = f"""\
$TTL 300
shop.test.          900  IN SOA   ns1.shop.test. hostmaster.shop.test. (
                                    2026120101 7200 900 1209600 {negative_ttl} )
shop.test.        86400  IN NS    ns1.shop.test.
ns1.shop.test.    86400  IN A     {a['shop']}
www.shop.test.   {www_ttl:6}  IN A     127.0.0.1
www.shop.test.   {www_ttl:6}  IN AAAA  ::1
www.shop.test.   {www_ttl:6}  IN HTTPS 1 . alpn="h3,h2"
api.shop.test.      300  IN CNAME www.shop.test.
big.shop.test.      300  IN TXT   {_txt_strings(big_txt_bytes)}
"""
    return Zones({"root": root, "tld": tld, "shop": shop}, www_ttl, negative_ttl, big_txt_bytes)
