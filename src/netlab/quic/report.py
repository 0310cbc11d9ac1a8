"""Small text reports for the labs' tables and widgets, made from the package's results."""

from __future__ import annotations

from statistics import mean

from netlab._check import check_float, check_int, check_seed
from netlab.quic.h3 import h3_server, http3_get, run_sync
from netlab.quic.hol import HolConfig, completion_table
from netlab.quic.initial import initial_secrets
from netlab.quic.trace import amplification, round_trips_before_request
from netlab.tables import format_table


def format_initial_secrets(dcid_hex: str) -> str:
    """The client and server Initial key, IV and hp key for a DCID given in hex."""
    if not isinstance(dcid_hex, str):
        raise ValueError(f"dcid_hex must be a hex string, got {type(dcid_hex).__name__}")
    try:
        dcid = bytes.fromhex(dcid_hex)
    except ValueError as exc:
        raise ValueError(f"dcid_hex must be hexadecimal digits, got {dcid_hex!r}") from exc
    secrets = initial_secrets(dcid)
    lines = [f"DCID {dcid.hex()} ({len(dcid)} bytes)"]
    for side in ("client", "server"):
        keys = getattr(secrets, side)
        lines += [f"  {side} key {keys.key.hex()}", f"  {side} iv  {keys.iv.hex()}",
                  f"  {side} hp  {keys.hp.hex()}"]
    return "\n".join(lines)


async def _amplification_run(padding_names: int) -> tuple[int, object, int]:
    async with h3_server(padding_names=padding_names) as server:
        exchange = await http3_get(server, ["/"])
        return server.pki.server.der_size_bytes, amplification(exchange), round_trips_before_request(
            exchange)


def amplification_summary(padding_names: int = 0) -> str:
    """Run one HTTP/3 GET with a certificate padded by ``padding_names`` DNS names; report it."""
    check_int("padding_names", padding_names, min_value=0, max_value=2000)
    cert_bytes, report, round_trips = run_sync(_amplification_run(padding_names))
    return (f"certificate about {round(cert_bytes, -2):,} bytes\n"
            f"before the client's address was validated: server received "
            f"{report.received_bytes} bytes, sent {report.sent_bytes} bytes "
            f"(ratio {report.max_ratio:.2f}, limit 3)\n"
            f"round trips before the GET could leave: {round_trips}")


def show_hol(loss_rate: float = 0.05, streams: int = 4, seed: int = 7) -> str:
    """A per-stream completion table (ms, simulated) for TCP and QUIC under the same losses."""
    check_float("loss_rate", loss_rate, min_value=0.0, max_value=0.5)
    check_int("streams", streams, min_value=1, max_value=64)
    check_seed("seed", seed)
    rows = completion_table(HolConfig(streams=streams, loss_rate=loss_rate, seed=seed))
    rows += [("mean", mean(r[1] for r in rows), mean(r[2] for r in rows))]
    return (f"loss rate {loss_rate:.2f}, {streams} streams of 8 packets, seed {seed}\n"
            + format_table(rows, ("stream", "TCP ms", "QUIC ms"), floatfmt=".1f"))


def hol_sweep(loss_rates: list[float] | tuple[float, ...], *, streams: int = 8,
              seeds: int = 20) -> list[tuple[float, float, float]]:
    """Mean per-stream completion (ms) over ``seeds`` runs for each loss rate: (p, TCP, QUIC)."""
    check_int("seeds", seeds, min_value=1, max_value=1000)
    rows = []
    for loss_rate in loss_rates:
        tcp: list[float] = []
        quic: list[float] = []
        for seed in range(seeds):
            table = completion_table(HolConfig(streams=streams, loss_rate=loss_rate, seed=seed))
            tcp += [r[1] for r in table]
            quic += [r[2] for r in table]
        rows.append((loss_rate, round(mean(tcp), 1), round(mean(quic), 1)))
    return rows
