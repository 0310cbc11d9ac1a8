"""Chapter 9: the whole page load on loopback, counted in round trips, and a latency budget."""

from netlab.pageload.altsvc import Alternative, parse_alt_svc
from netlab.pageload.site import Site, make_site
from netlab.pageload.tcp import Flight, TcpVisit, visit_over_tcp
from netlab.pageload.visit import PageLoad, PageStep, page_load

__all__ = ["Alternative", "Flight", "PageLoad", "PageStep", "Site", "TcpVisit", "make_site",
           "page_load", "parse_alt_svc", "visit_over_tcp"]
