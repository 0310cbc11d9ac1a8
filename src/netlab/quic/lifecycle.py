"""A QUIC connection's life on loopback, with aioquic at both ends.

Each experiment runs a server and a client of :mod:`netlab.quic.h3` and
:mod:`netlab.quic.session` on 127.0.0.1 and reads what happened from the datagram
trace and from aioquic's qlog events (the frames inside the encrypted packets):

* stream limits (MAX_STREAMS, STREAMS_BLOCKED; RFC 9000 §4.6);
* flow control (MAX_STREAM_DATA, MAX_DATA; RFC 9000 §4.1-4.2);
* a key update (RFC 9001 §6);
* NAT rebinding and migration, with path validation (RFC 9000 §8.2, §9);
* a Retry (RFC 9000 §8.1.2) and version negotiation (RFC 9000 §6, RFC 9368), QUIC v2;
* closing: CONNECTION_CLOSE, the idle timeout, and a server that lost its state.

Reports hold counts, kinds and booleans only, never ports, connection IDs or times,
so a lab prints the same thing on every run.
"""

from __future__ import annotations

import asyncio
from dataclasses import asdict, dataclass
from typing import Annotated, Any, Literal

from pydantic import Field

from netlab._validate import public, result
from netlab.quic.h3 import Recorder, h3_server, localhost_ca
from netlab.quic.session import Exchange, frames, h3_client
from netlab.tables import format_table

GREASE_VERSION = 0x1A2A3A4A  # of the reserved form 0x?a?a?a?a (RFC 9000 §15)
QUIC_V2 = 0x6B3343CF  # RFC 9369 §3.1


def _parameters(events: list[dict[str, Any]], owner: str) -> dict[str, Any]:
    for event in events:
        if event["name"] == "transport:parameters_set" and event["data"].get("owner") == owner:
            return dict(event["data"])
    return {}


def _names(events: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [e["data"] for e in events if e["name"] == name]


@result
@dataclass(frozen=True)
class StreamLimitReport:
    """How many streams a client could open at once, and what happened to the rest."""

    requests: int
    advertised_max_streams_bidi: int
    first_stream_that_waited: int | None
    client_sent_streams_blocked: bool
    server_raised_limit: bool
    answered: int


@public
async def stream_limit_experiment(requests: Annotated[int, Field(ge=1, le=400)] = 130,
                                  ) -> StreamLimitReport:
    """Open ``requests`` request streams at once; see the server's MAX_STREAMS limit apply."""
    async with h3_server(body_bytes=64) as server:
        paths = [f"/{n}" for n in range(requests)]
        async with h3_client(server, paths) as client:
            pass
    exchange = client.exchange()
    limit = _parameters(exchange.client_qlog, "remote").get("initial_max_streams_bidi", 0)
    first_waiting = 4 * limit if requests > limit else None
    return StreamLimitReport(
        requests=requests, advertised_max_streams_bidi=limit,
        first_stream_that_waited=first_waiting,
        client_sent_streams_blocked=bool(frames(exchange.client_qlog, "sent",
                                                "streams_blocked")),
        server_raised_limit=bool(frames(exchange.server_qlog, "sent", "max_streams")),
        answered=sum(r.status == 200 for r in exchange.responses))


@result
@dataclass(frozen=True)
class FlowControlReport:
    """The receive window a client advertised, and how it let a large response through."""

    body_bytes: int
    advertised_stream_window: int
    advertised_connection_window: int
    stream_limits_announced: tuple[int, ...]
    connection_limits_announced: tuple[int, ...]
    sender_sent_blocked_frames: bool
    received_bytes: int


@public
async def flow_control_experiment(
        body_bytes: Annotated[int, Field(ge=1, le=1_000_000)] = 200_000, *,
        max_stream_data: Annotated[int, Field(ge=1200, le=2**24)] = 16_384,
        max_data: Annotated[int, Field(ge=1200, le=2**24)] = 65_536) -> FlowControlReport:
    """Download ``body_bytes`` with a small receive window; list the credit updates sent."""
    async with h3_server(body_bytes=body_bytes) as server, h3_client(
            server, ["/big"], max_stream_data=max_stream_data, max_data=max_data) as client:
        pass
    exchange = client.exchange()
    local = _parameters(exchange.client_qlog, "local")
    stream = tuple(f["maximum"] for f in frames(exchange.client_qlog, "sent", "max_stream_data")
                   if f["stream_id"] == 0)
    connection = tuple(f["maximum"] for f in frames(exchange.client_qlog, "sent", "max_data"))
    blocked = [f for f in frames(exchange.server_qlog, "sent")
               if f["frame_type"] in ("data_blocked", "stream_data_blocked")]
    return FlowControlReport(
        body_bytes=body_bytes,
        advertised_stream_window=local.get("initial_max_stream_data_bidi_local", 0),
        advertised_connection_window=local.get("initial_max_data", 0),
        stream_limits_announced=tuple(dict.fromkeys(stream)),
        connection_limits_announced=tuple(dict.fromkeys(connection)),
        sender_sent_blocked_frames=bool(blocked),
        received_bytes=sum(r.body_bytes for r in exchange.responses))


@result
@dataclass(frozen=True)
class KeyUpdateReport:
    """What each end logged when the client moved to new 1-RTT keys mid-connection."""

    client_updated: tuple[str, ...]
    client_trigger: str
    server_updated: tuple[str, ...]
    server_trigger: str
    statuses: tuple[int, ...]
    client_initial_datagrams: int


@public
async def key_update_experiment() -> KeyUpdateReport:
    """GET, update the 1-RTT keys, GET again on the same connection (RFC 9001 §6)."""
    async with h3_server() as server, h3_client(server, ["/before"]) as client:
        await asyncio.sleep(0.05)  # the handshake must be confirmed first (RFC 9001 §6.1)
        await client.key_update()
        await client.get(["/after"])
    exchange = client.exchange()

    def updates(events: list[dict[str, Any]]) -> tuple[tuple[str, ...], str]:
        found = [e for e in _names(events, "security:key_updated")
                 if "1rtt" in e["key_type"] and e["trigger"] != "tls"]
        triggers = sorted({e["trigger"] for e in found})
        return tuple(sorted(e["key_type"] for e in found)), ", ".join(triggers) or "none"

    client_updated, client_trigger = updates(exchange.client_qlog)
    server_updated, server_trigger = updates(exchange.server_qlog)
    return KeyUpdateReport(
        client_updated=client_updated, client_trigger=client_trigger,
        server_updated=server_updated, server_trigger=server_trigger,
        statuses=tuple(r.status for r in exchange.responses),
        client_initial_datagrams=sum("Initial" in e.packets for e in exchange.datagrams
                                     if e.role == "client"))


@result
@dataclass(frozen=True)
class MigrationReport:
    """What the server saw when the client's address changed mid-connection."""

    new_connection_id: bool
    server_sent_path_challenge: bool
    client_sent_path_response: bool
    server_used_new_connection_id: bool
    statuses: tuple[int, ...]
    client_addresses_seen_by_server: int


@public
async def migration_experiment(*, new_connection_id: bool = False) -> MigrationReport:
    """GET, move the client to a new UDP port, GET again; read the path validation.

    Without ``new_connection_id`` this is NAT rebinding: the client does not know it
    moved. With it, the client migrates on purpose and switches to a fresh connection
    ID so that the two paths cannot be linked by it (RFC 9000 §9.5).
    """
    async with h3_server() as server, h3_client(server, ["/before"]) as client:
        await asyncio.sleep(0.05)  # let the server's NEW_CONNECTION_ID frames arrive
        await client.rebind(new_connection_id=new_connection_id)
        await client.get(["/after"])
        await asyncio.sleep(0.05)
    exchange = client.exchange()
    received = [e for e in exchange.server_qlog if e["name"] == "transport:packet_received"
                and e["data"]["header"].get("packet_type") == "1RTT"]
    dcids = list(dict.fromkeys(e["data"]["header"]["dcid"] for e in received))
    ports = {e.client_port for e in exchange.events if e.role == "server" and e.kind == "receive"}
    return MigrationReport(
        new_connection_id=new_connection_id,
        server_sent_path_challenge=bool(frames(exchange.server_qlog, "sent", "path_challenge")),
        client_sent_path_response=bool(frames(exchange.client_qlog, "sent", "path_response")),
        server_used_new_connection_id=len(dcids) > 1,
        statuses=tuple(r.status for r in exchange.responses),
        client_addresses_seen_by_server=len(ports))


@public
async def retry_experiment() -> Exchange:
    """One GET to a server that demands a Retry round trip first (RFC 9000 §8.1.2)."""
    async with h3_server(retry=True) as server, h3_client(server, ["/"]) as client:
        pass
    return client.exchange()


@result
@dataclass(frozen=True)
class VersionReport:
    """The QUIC version the client started with, what the server did, and what was used."""

    offered: str
    server_answer: str
    used: str
    status: int


def _version_name(version: int) -> str:
    names = {1: "QUIC v1 (0x00000001)", QUIC_V2: "QUIC v2 (0x6b3343cf)"}
    return names.get(version, f"unknown (0x{version:08x})")


@public
async def version_experiment(version: Literal["v1", "v2", "unknown"] = "unknown",
                             ) -> VersionReport:
    """Start a connection with QUIC ``version``: v1, v2 (RFC 9369), or an unknown one."""
    number = {"v1": 1, "v2": QUIC_V2, "unknown": GREASE_VERSION}[version]
    async with h3_server() as server, h3_client(server, ["/"], version=number) as client:
        pass
    exchange = client.exchange()
    datagrams = exchange.datagrams
    answer = next((d for d in datagrams if d.role == "server"), None)
    server_answer = "none" if answer is None else " + ".join(answer.packets)
    last_client_initial = [d for d in datagrams if d.role == "client"
                           and d.data[:1] and d.data[0] & 0x80]
    used = int.from_bytes(last_client_initial[-1].data[1:5], "big")
    return VersionReport(offered=_version_name(number), server_answer=server_answer,
                         used=_version_name(used),
                         status=exchange.responses[0].status if exchange.responses else 0)


@result
@dataclass(frozen=True)
class CloseReport:
    """How a connection ended, as each end saw it."""

    how: str
    client_sent_connection_close: bool
    server_received: str
    client_learned: str
    new_server_got_client_packets: bool | None
    new_server_sent_datagrams: int | None
    request_after_restart_answered: bool | None


def _close_frame(events: list[dict[str, Any]]) -> str:
    found = frames(events, "received", "connection_close")
    if not found:
        return "no CONNECTION_CLOSE"
    frame = found[0]
    return f"CONNECTION_CLOSE, {frame['error_space']} error 0x{frame['error_code']:x}"


@public
async def close_experiment(how: Literal["close", "idle", "server-restart"] = "close",
                           ) -> CloseReport:
    """End a connection by CONNECTION_CLOSE, by the idle timeout, or by a server restart.

    ``server-restart`` replaces the server by a new instance on the same port that has
    none of the old connection state, then sends a request: aioquic neither sends nor
    recognises a stateless reset (RFC 9000 §10.3), so the client only learns from its
    idle timeout (0.5 s here).
    """
    if how == "close":
        async with h3_server() as server, h3_client(server, ["/"]) as client:
            pass
        exchange = client.exchange()
        return CloseReport(how, _sent_close(exchange), _close_frame(exchange.server_qlog),
                           "it closed the connection itself", None, None, None)
    if how == "idle":
        async with h3_server() as server, h3_client(server, ["/"], idle_timeout_s=0.3,
                                                   close=False) as client:
            terminated = await client.wait_terminated(5.0)
        exchange = client.exchange()
        return CloseReport(how, _sent_close(exchange), _close_frame(exchange.server_qlog),
                           _reason(terminated), None, None, None)
    return await _server_restart()


def _sent_close(exchange: Exchange) -> bool:
    return bool(frames(exchange.client_qlog, "sent", "connection_close"))


def _reason(terminated: Any) -> str:
    return "nothing" if terminated is None else f"terminated: {terminated.reason_phrase}"


async def _server_restart() -> CloseReport:
    pki, recorder = localhost_ca(), Recorder()
    async with h3_server(pki=pki, recorder=recorder, graceful=False) as first:
        port = first.port
        client_cm = h3_client(first, ["/"], idle_timeout_s=0.5, close=False)
        client = await client_cm.__aenter__()
    try:  # the first instance is gone, with its keys and connection IDs
        async with h3_server(pki=pki, recorder=recorder, port=port) as second:
            client.server = second
            before = len(second.recorder.events)
            future = client.protocol.send_get("/again")
            client.protocol.transmit()
            terminated = await client.wait_terminated(5.0)
            after = second.recorder.events[before:]
            got = any(e.kind == "receive" and e.role == "server" for e in after)
            sent_after = sum(e.kind == "send" and e.role == "server" for e in after)
    finally:
        await client_cm.__aexit__(None, None, None)
    exchange = client.exchange()
    return CloseReport("server-restart", _sent_close(exchange), "nothing it could read",
                       _reason(terminated), got, sent_after,
                       future.done() and not future.cancelled())


@public
def lifecycle_table(report: StreamLimitReport | FlowControlReport | KeyUpdateReport
                    | MigrationReport | VersionReport | CloseReport) -> str:
    """A two-column table of a report's fields, for printing in a lab."""
    rows = [(name.replace("_", " "), _shown(value)) for name, value in asdict(report).items()]
    return format_table(rows, ("what", "value"))


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value) or "-"
    return "-" if value is None else str(value)


@public
async def interleaving_experiment(
        responses: Annotated[int, Field(ge=1, le=8)] = 3,
        body_bytes: Annotated[int, Field(ge=1, le=50_000)] = 6000) -> tuple[tuple[int, ...], ...]:
    """Which request streams each of the server's 1-RTT packets carried response data for.

    ``responses`` GETs are sent together, so the server has every response ready at
    once; the result shows how aioquic's sender shares packets between the streams.
    """
    paths = [f"/{n}" for n in range(responses)]
    async with h3_server(body_bytes=body_bytes) as server, h3_client(server, paths) as client:
        pass
    exchange = client.exchange()
    requests = {4 * n for n in range(responses)}
    schedule = []
    for event in exchange.server_qlog:
        if event["name"] != "transport:packet_sent":
            continue
        ids = tuple(f["stream_id"] for f in event["data"]["frames"]
                    if f["frame_type"] == "stream" and f["stream_id"] in requests)
        if ids:
            schedule.append(ids)
    return tuple(schedule)
