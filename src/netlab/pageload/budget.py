"""The chapter's round-trip table, and a latency budget computed from it.

The table is the ``rt-*`` facts of ``chapters/facts/09-url-to-page.yml``: each count is
derived from an RFC, not from the labs, so lab 9.2 can check its loopback counts
against it. The budget turns counts into time-to-first-byte for an RTT and a loss rate.

The model, and what it assumes:

* every round trip costs the same ``rtt_ms``, whether it goes to the resolver, a name
  server or the web server (real resolvers are usually nearer than the site, so cold
  DNS is overstated);
* each packet is lost independently with probability ``loss``, so a round trip fails
  with q = 1 − (1 − loss)²; a failed round trip is retried after the timeout of the
  protocol that carries it, and retries do not back off, so it costs on average
  rtt + q / (1 − q) × timeout;
* the timeouts are the facts of the chapter: the glibc stub's 5 s for DNS, TCP's initial
  RTO of 1 s for the SYN, Linux's RTO after one sample (rtt + max(2 rtt, 200 ms)) for
  TLS and HTTP over TCP, QUIC's first PTO (999 ms) for its handshake and 0-RTT flight,
  and rtt + 2 rtt + 25 ms (RFC 9002 §6.2.1) for an HTTP/3 request after the handshake;
* no slow-start limit, no server time, one request: the first byte, not the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field

from netlab._validate import public, result
from netlab.facts import Fact, load_facts

FACTS_FILE = Path(__file__).resolve().parents[3] / "chapters" / "facts" / "09-url-to-page.yml"

DnsState = Literal["browser cache", "resolver cache", "cold"]
TlsVersion = Literal["1.2", "1.3"]
HttpVersion = Literal["1.1", "2", "3"]
Resumption = Literal["none", "resumed", "0-RTT"]


@cache
def _facts() -> dict[str, Fact]:
    return {f.id: f for f in load_facts(FACTS_FILE)}


def _value(fact_id: str) -> float:
    return float(_facts()[fact_id].value)


@public
def chapter_table() -> list[dict[str, object]]:
    """The chapter's round-trip table: one row per ``rt-*`` fact, with its source."""
    return [{"fact": f.id, "what": f.what.removeprefix("Round trips: "), "round trips": f.value,
             "source": _source(f)} for f in _facts().values() if f.id.startswith("rt-")]


def _source(fact: Fact) -> str:
    names = [s.strip().replace("rfc", "RFC ") for s in fact.source.split(",")]
    names[0] = f"{names[0]} {fact.section}".strip()
    return ", ".join(names)


@public
def table_value(fact_id: Annotated[str, Field(pattern=r"^rt-[a-z0-9-]+$")]) -> int:
    """The round trips the chapter's table gives for ``fact_id``."""
    if fact_id not in _facts():
        raise ValueError(f"table_value: fact_id: no fact {fact_id!r} in the chapter's table")
    return int(_facts()[fact_id].value)


@result
@dataclass(frozen=True)
class BudgetStep:
    """One step of a page load in the budget: its round trips and expected time."""

    step: str
    round_trips: int
    timeout_ms: float
    expected_ms: float


def _steps(dns: str, tls: str, http: str, resumption: str) -> list[tuple[str, str, str]]:
    """(step, fact id, timeout kind) for every round trip of one scenario."""
    steps: list[tuple[str, str, str]] = []
    if dns != "browser cache":
        steps.append(("DNS: stub -> resolver", "rt-dns-stub-query", "dns"))
    if dns == "cold":
        steps.append(("DNS: resolver -> name servers", "rt-dns-cold-walk", "dns"))
    if http == "3":
        handshake = "rt-quic-0rtt" if resumption == "0-RTT" else "rt-quic-full"
        steps.append(("QUIC + TLS 1.3", handshake, "quic-first"))
        steps.append(("HTTP/3 request", "rt-http-request",
                      "quic-first" if resumption == "0-RTT" else "quic"))
        return steps
    steps.append(("TCP handshake", "rt-tcp-handshake", "syn"))
    mode = {"none": "full", "resumed": "resumed", "0-RTT": "0rtt"}[resumption]
    steps.append((f"TLS {tls}", f"rt-tls{tls.replace('.', '')}-{mode}", "tcp"))
    steps.append((f"HTTP/{http} request", "rt-http-request", "tcp"))
    return steps


def _timeout_ms(kind: str, rtt_ms: float) -> float:
    if kind == "dns":
        return _value("glibc-resolver-timeout") * 1000
    if kind == "syn":
        return _value("tcp-initial-rto") * 1000
    if kind == "tcp":
        return rtt_ms + max(2 * rtt_ms, _value("linux-min-rto"))
    if kind == "quic-first":
        return _value("quic-first-pto")
    return 3 * rtt_ms + _value("quic-max-ack-delay-default")


def valid(tls: str, http: str, resumption: str) -> bool:
    """Whether a combination exists: HTTP/3 needs TLS 1.3; 0-RTT needs TLS 1.3 too."""
    if http == "3" and tls != "1.3":
        return False
    return not (resumption == "0-RTT" and tls != "1.3")


@public
def time_to_first_byte(rtt_ms: Annotated[float, Field(gt=0, le=2000)],
                       loss: Annotated[float, Field(ge=0, le=0.3)] = 0.0, *,
                       dns: DnsState = "cold", tls: TlsVersion = "1.3",
                       http: HttpVersion = "2", resumption: Resumption = "none"
                       ) -> list[BudgetStep]:
    """The steps of one page load with their round trips and expected milliseconds."""
    if not valid(tls, http, resumption):
        raise ValueError(f"time_to_first_byte: tls: HTTP/3 and 0-RTT need TLS 1.3, got "
                         f"tls={tls!r} with http={http!r}, resumption={resumption!r}")
    q = 1 - (1 - loss) ** 2
    failures = q / (1 - q)
    out = []
    for step, fact_id, kind in _steps(dns, tls, http, resumption):
        count = int(_value(fact_id))
        timeout = _timeout_ms(kind, rtt_ms)
        out.append(BudgetStep(step, count, round(timeout, 3),
                              count * (rtt_ms + failures * timeout)))
    return out


@public
def budget_rows(rtt_ms: Annotated[float, Field(gt=0, le=2000)],
                loss: Annotated[float, Field(ge=0, le=0.3)] = 0.0, *,
                dns: DnsState = "cold") -> list[dict[str, object]]:
    """Time to first byte of every valid TLS x HTTP x resumption combination, fastest first."""
    rows = []
    for http in ("1.1", "2", "3"):
        for tls in ("1.2", "1.3"):
            for resumption in ("none", "resumed", "0-RTT"):
                if not valid(tls, http, resumption):
                    continue
                steps = time_to_first_byte(rtt_ms, loss, dns=dns, tls=tls, http=http,
                                           resumption=resumption)
                rows.append({"HTTP": http, "TLS": tls, "resumption": resumption,
                             "round trips": sum(s.round_trips for s in steps),
                             "TTFB (ms)": round(sum(s.expected_ms for s in steps), 1)})
    return sorted(rows, key=lambda r: (r["TTFB (ms)"], r["HTTP"], r["TLS"], r["resumption"]))
