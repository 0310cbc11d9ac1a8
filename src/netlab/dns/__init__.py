"""Chapter 9: DNS on loopback, resolved iteratively, cached, truncated and dissected."""

from netlab.dns.dissect import dissect_header, dissect_records
from netlab.dns.lab import (
    LoopbackDNS,
    ManualClock,
    StubLookup,
    advance_clock,
    cache_after,
    cache_rows,
    loopback_dns,
    query_server,
    resolve,
    step_rows,
    stub_lookup,
)
from netlab.dns.names import MAX_TTL, RECORD_TYPES
from netlab.dns.resolver import Resolution, ResolutionError, Step
from netlab.dns.zones import ADDRESSES, SERVER_NAMES, Zones, make_zones

__all__ = [
    "ADDRESSES", "MAX_TTL", "RECORD_TYPES", "SERVER_NAMES", "LoopbackDNS", "ManualClock",
    "Resolution", "ResolutionError", "Step", "StubLookup", "Zones", "advance_clock",
    "cache_after", "cache_rows", "dissect_header", "dissect_records", "loopback_dns", "make_zones",
    "query_server", "resolve", "step_rows", "stub_lookup",
]
