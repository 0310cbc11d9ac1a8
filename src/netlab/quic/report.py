"""Small text reports for the labs' tables and widgets, made from the package's results."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import mean
from typing import Annotated, Literal

from pydantic import Field

from netlab._validate import Seed, check_work, public
from netlab.quic.h3 import h3_server
from netlab.quic.hol import HolConfig, completion_table
from netlab.quic.initial import initial_secrets
from netlab.quic.session import http3_get, run_sync
from netlab.quic.trace import AmplificationReport, amplification, round_trips_before_request
from netlab.tables import format_table

LossRate = Annotated[float, Field(ge=0, le=0.5)]
LossRates = Annotated[Sequence[LossRate], Field(min_length=1, max_length=50)]
Scheduler = Literal["round-robin", "sequential"]
_MAX_SWEEP_PACKETS = 2_000_000  # packets a sweep may simulate in all (~10 s)


@public
def format_initial_secrets(dcid_hex: Annotated[str, Field(max_length=40)]) -> str:
    """The client and server Initial key, IV and hp key for a DCID given in hex."""
    try:
        dcid = bytes.fromhex(dcid_hex)
    except ValueError:
        raise ValueError(f"dcid_hex: must be hexadecimal digits, got {dcid_hex!r}") from None
    if not dcid:
        raise ValueError("dcid_hex: must give 1 to 20 bytes, got 0")
    secrets = initial_secrets(dcid)
    lines = [f"DCID {dcid.hex()} ({len(dcid)} bytes)"]
    for side in ("client", "server"):
        keys = getattr(secrets, side)
        lines += [f"  {side} key {keys.key.hex()}", f"  {side} iv  {keys.iv.hex()}",
                  f"  {side} hp  {keys.hp.hex()}"]
    return "\n".join(lines)


async def _amplification_run(padding_names: int) -> tuple[int, AmplificationReport, int]:
    async with h3_server(padding_names=padding_names) as server:
        exchange = await http3_get(server, ["/"])
        return (server.pki.server.der_size_bytes, amplification(exchange),
                round_trips_before_request(exchange))


@public
def amplification_summary(padding_names: Annotated[int, Field(ge=0, le=2000)] = 0) -> str:
    """Run one HTTP/3 GET with a certificate padded by ``padding_names`` DNS names; report it."""
    cert_bytes, report, round_trips = run_sync(_amplification_run(padding_names))
    return (f"certificate about {round(cert_bytes, -2):,} bytes\n"
            f"before the client's address was validated: server received "
            f"{report.received_bytes} bytes, sent {report.sent_bytes} bytes "
            f"(ratio {report.max_ratio:.2f}, limit 3)\n"
            f"round trips before the GET could leave: {round_trips}")


@public
def show_hol(loss_rate: LossRate = 0.05, streams: Annotated[int, Field(ge=1, le=64)] = 4,
             seed: Seed = 7, scheduler: Scheduler = "round-robin") -> str:
    """A per-stream completion table (ms, simulated) for TCP and QUIC under the same losses."""
    rows: list[tuple[object, float, float]] = list(completion_table(
        HolConfig(streams=streams, loss_rate=loss_rate, seed=seed, scheduler=scheduler)))
    rows += [("mean", mean(r[1] for r in rows), mean(r[2] for r in rows))]
    return (f"loss rate {loss_rate:.2f}, {streams} streams of 8 packets, {scheduler}, "
            f"seed {seed}\n"
            + format_table(rows, ("stream", "TCP ms", "QUIC ms"), floatfmt=".1f"))


def _means(loss_rate: float, streams: int, segments: int, seeds: int,
           scheduler: str) -> tuple[float, float]:
    tcp: list[float] = []
    quic: list[float] = []
    for seed in range(seeds):
        table = completion_table(HolConfig(streams=streams, segments_per_stream=segments,
                                           loss_rate=loss_rate, seed=seed,
                                           scheduler=scheduler))
        tcp += [r[1] for r in table]
        quic += [r[2] for r in table]
    return round(mean(tcp), 1), round(mean(quic), 1)


def _check_sweep(loss_rates: LossRates, streams: int, segments: int, seeds: int,
                 schedulers: int) -> None:
    work = sum(2 * streams * segments * seeds * schedulers / (1 - p) for p in loss_rates)
    check_work("seeds", seeds, work=work, limit=_MAX_SWEEP_PACKETS, unit="packet transmissions")


@public
def hol_sweep(loss_rates: LossRates, *, streams: Annotated[int, Field(ge=1, le=64)] = 8,
              seeds: Annotated[int, Field(ge=1, le=1000)] = 20,
              scheduler: Scheduler = "round-robin") -> list[tuple[float, float, float]]:
    """Mean per-stream completion (ms) over ``seeds`` runs for each loss rate: (p, TCP, QUIC)."""
    _check_sweep(loss_rates, streams, 8, seeds, 1)
    return [(p, *_means(p, streams, 8, seeds, scheduler)) for p in loss_rates]


@public
def scheduling_sweep(loss_rates: LossRates, *,
                     streams: Annotated[int, Field(ge=1, le=64)] = 4,
                     segments_per_stream: Annotated[int, Field(ge=1, le=1000)] = 50,
                     seeds: Annotated[int, Field(ge=1, le=1000)] = 20,
                     ) -> list[tuple[float, str, float, float, float]]:
    """QUIC's gain under each scheduler: rows (p, scheduler, TCP ms, QUIC ms, TCP - QUIC ms).

    The times are mean per-stream completion over ``seeds`` runs; the same losses hit
    both transports, and both schedulers send the same packets, in a different order.
    """
    _check_sweep(loss_rates, streams, segments_per_stream, seeds, 2)
    rows = []
    for p in loss_rates:
        for scheduler in ("round-robin", "sequential"):
            tcp, quic = _means(p, streams, segments_per_stream, seeds, scheduler)
            rows.append((p, scheduler, tcp, quic, round(tcp - quic, 1)))
    return rows
