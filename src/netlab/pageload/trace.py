"""Reading a recorded page load: the timeline in round trips, the check against the
chapter's table, and a mermaid sequence diagram drawn from the recorded messages."""

from __future__ import annotations

from netlab._validate import public
from netlab.dns import Step
from netlab.pageload.budget import table_value
from netlab.pageload.visit import PageLoad
from netlab.quic import datagram_rows, run_sync

_ZONE_PARTICIPANT = {"a.root.test.": "Root", "ns1.nic.test.": "TLD", "ns1.shop.test.": "Zone"}


@public
def timeline_rows(load: PageLoad) -> list[dict[str, object]]:
    """Every step of every visit: round trips counted on loopback, and the chapter's value."""
    rows = []
    for step in load.steps:
        expected = table_value(step.fact)
        rows.append({"visit": step.visit, "step": step.step, "counted": step.round_trips,
                     "chapter": expected, "agrees": step.round_trips == expected})
    return rows


@public
def visit_totals(load: PageLoad, *, include_resolver: bool = True) -> dict[str, int]:
    """Round trips to the first byte of each visit (the resolver's own included or not)."""
    totals: dict[str, int] = {}
    for step in load.steps:
        if step.side == "resolver" and not include_resolver:
            continue
        totals[step.visit] = totals.get(step.visit, 0) + step.round_trips
    return totals


def _referral(step: Step) -> str:
    if step.kind == "referral":
        ns = next(line.split() for line in step.records if " NS " in line)
        return f"referral: {ns[0]} NS {ns[-1]}"
    if step.kind == "answer":
        last = step.records[-1].split()
        return f"answer: {last[3]} {last[-1]}"
    return step.kind


@public
def page_load_mermaid(load: PageLoad) -> str:
    """A mermaid sequence diagram of the HTTP/2 first visit, the HTTP/3 repeat and the 0-RTT
    visit, every arrow taken from the recorded trace."""
    lines = ["sequenceDiagram", "    participant B as Browser", "    participant R as Resolver",
             "    participant Root as a.root.test", "    participant TLD as ns1.nic.test",
             "    participant Zone as ns1.shop.test", "    participant W as Web server"]
    cold = load.lookups["first"]
    name = cold.name
    lines.append(f"    Note over B,W: first visit: DNS, {len(cold.upstream)} referrals and answers "
                 "upstream")
    lines.append(f"    B->>R: {name} A? (UDP, RD=1)")
    for step in cold.upstream:
        peer = _ZONE_PARTICIPANT.get(step.server, "Zone")
        lines.append(f"    R->>{peer}: {step.qname} {step.qtype}? ({step.transport})")
        lines.append(f"    {peer}-->>R: {_referral(step)}")
    lines.append(f"    R-->>B: {cold.answer[0].split()[3]} {cold.answer[0].split()[-1]}")
    tcp = load.tcp["h2"]
    lines.append(f"    Note over B,W: TCP {tcp.round_trips['TCP']} + TLS {tcp.round_trips['TLS']} "
                 f"+ HTTP/2 {tcp.round_trips['HTTP']} round trips")
    for flight in tcp.flights:
        arrow = "B->>W" if flight.sender == "browser" else "W-->>B"
        lines.append(f"    {arrow}: {flight.what}")
    for key, title in (("repeat", "repeat visit: HTTP/3 after Alt-Svc, full handshake"),
                       ("third", "third visit: HTTP/3 0-RTT")):
        exchange = load.h3[key]
        lines.append(f"    Note over B,W: {title}")
        rows = datagram_rows(exchange)[: 2 if key == "third" else 3]
        for _, sender, size, packets in rows:
            arrow = "B->>W" if sender == "client" else "W-->>B"
            lines.append(f"    {arrow}: {packets} ({size} bytes)")
    return "\n".join(lines) + "\n"


def _record_page_load() -> PageLoad:
    from netlab.dns import loopback_dns
    from netlab.pageload.site import make_site
    from netlab.pageload.visit import page_load

    with loopback_dns() as lab:
        return run_sync(page_load(lab, make_site()))


@public
def page_load_diagram() -> str:
    """Record a fresh page load on loopback and draw it (for the chapter's mermaid-from)."""
    return page_load_mermaid(_record_page_load())
