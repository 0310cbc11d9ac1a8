"""Chapter 9: the whole page load on loopback, counted in round trips, and a latency budget."""

from netlab.pageload.altsvc import Alternative, parse_alt_svc
from netlab.pageload.budget import (
    BudgetStep,
    budget_rows,
    chapter_table,
    table_value,
    time_to_first_byte,
)
from netlab.pageload.semantics import (
    ChunkedExchange,
    ConditionalRow,
    PreflightRow,
    RedirectRow,
    chunked_exchange,
    conditional_get_rows,
    cors_verdict,
    preflight_rows,
    redirect_rows,
)
from netlab.pageload.site import Site, make_site
from netlab.pageload.tcp import Flight, TcpVisit, visit_over_tcp
from netlab.pageload.trace import (
    page_load_diagram,
    page_load_mermaid,
    timeline_rows,
    visit_totals,
)
from netlab.pageload.visit import PageLoad, PageStep, page_load

__all__ = [
    "Alternative", "BudgetStep", "ChunkedExchange", "ConditionalRow", "Flight",
    "PreflightRow", "RedirectRow", "chunked_exchange", "conditional_get_rows", "cors_verdict",
    "preflight_rows", "redirect_rows", "PageLoad", "PageStep", "Site", "TcpVisit",
    "budget_rows", "chapter_table", "make_site", "page_load", "page_load_diagram",
    "page_load_mermaid", "parse_alt_svc", "table_value", "time_to_first_byte",
    "timeline_rows", "visit_over_tcp", "visit_totals",
]
