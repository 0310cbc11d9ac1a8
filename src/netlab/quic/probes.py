"""Probes for chapter 7's facts file: what the installed aioquic does and advertises.

Each probe returns the value this machine shows (or None where it cannot read it)
within about two seconds. Handshakes here run sans-IO, two aioquic ``QuicConnection``
objects handing datagrams to each other in memory with a made-up clock; the probes
that need the wire (datagram sizes, the anti-amplification limit) use loopback.
"""

from __future__ import annotations

import dataclasses
import importlib
from functools import cache
from typing import Any

from aioquic.h3.connection import H3_ALPN, H3Connection
from aioquic.quic.configuration import QuicConfiguration
from aioquic.quic.connection import QuicConnection
from aioquic.quic.events import ConnectionTerminated
from aioquic.quic.logger import QuicLogger

from netlab._validate import public
from netlab.quic.h3 import h3_server, localhost_ca
from netlab.quic.session import frames, h3_client, run_sync
from netlab.quic.trace import amplification

_CLIENT_ADDR, _SERVER_ADDR = ("127.0.0.1", 1234), ("127.0.0.1", 4433)
_ALLOWED_MODULES = ("aioquic.quic.recovery", "aioquic.quic.congestion.base",
                    "aioquic.quic.crypto", "aioquic.quic.connection", "aioquic.quic.packet")


def _pair() -> tuple[QuicConnection, QuicConnection, QuicLogger]:
    """A client and a server that completed a handshake in memory; the client's qlog."""
    pki = localhost_ca()
    qlog = QuicLogger()
    client_config = QuicConfiguration(is_client=True, alpn_protocols=H3_ALPN,
                                      server_name="localhost", quic_logger=qlog)
    client_config.load_verify_locations(cadata=pki.trust_pem_bytes)
    server_config = QuicConfiguration(is_client=False, alpn_protocols=H3_ALPN,
                                      certificate=pki.server.cert,
                                      private_key=pki.server.key)
    client = QuicConnection(configuration=client_config)
    server = QuicConnection(configuration=server_config,
                            original_destination_connection_id=(
                                client.original_destination_connection_id))
    now = 0.0
    client.connect(_SERVER_ADDR, now=now)
    for _ in range(20):
        now += 0.01
        for data, _ in client.datagrams_to_send(now=now):
            server.receive_datagram(data, _CLIENT_ADDR, now=now)
        for data, _ in server.datagrams_to_send(now=now):
            client.receive_datagram(data, _SERVER_ADDR, now=now)
    return client, server, qlog


@cache
def _server_parameters() -> dict[str, Any]:
    _, _, qlog = _pair()
    for event in qlog.to_dict()["traces"][0]["events"]:
        if event["name"] == "transport:parameters_set" and event["data"]["owner"] == "remote":
            return dict(event["data"])
    return {}


@public
def transport_parameter(name: str) -> Any:
    """A transport parameter aioquic's server advertises by default (RFC 9000 §18.2).

    None when it leaves the parameter out (the peer then assumes the RFC's default).
    """
    return _server_parameters().get(name)


@public
def configuration_default(name: str) -> Any:
    """The default of a ``QuicConfiguration`` field (``max_datagram_size``, ``idle_timeout``)."""
    for item in dataclasses.fields(QuicConfiguration):
        if item.name == name:
            if item.default is not dataclasses.MISSING:
                return item.default
            if item.default_factory is not dataclasses.MISSING:
                return item.default_factory()
    raise ValueError(f"name: QuicConfiguration has no field {name!r}")


@public
def constant(module: str, name: str) -> Any:
    """A module-level constant of aioquic, such as ``aioquic.quic.recovery K_PACKET_THRESHOLD``.

    Bytes are returned in hex, so that a facts file can quote them.
    """
    if module not in _ALLOWED_MODULES:
        raise ValueError(f"module: must be one of {', '.join(_ALLOWED_MODULES)}, got {module!r}")
    value = getattr(importlib.import_module(module), name, None)
    return value.hex() if isinstance(value, bytes) else value


@public
def has_goaway_api() -> bool:
    """Whether aioquic's H3Connection offers a method to send GOAWAY (RFC 9114 §5.2)."""
    return any("goaway" in attr.lower() for attr in dir(H3Connection))


@public
def detects_stateless_reset() -> bool:
    """Whether an aioquic client closes on a valid stateless reset (RFC 9000 §10.3).

    The datagram ends with the token the server gave for the connection ID in use
    (its ``stateless_reset_token`` transport parameter), so a client that checks
    would recognise it and close.
    """
    client, _, _ = _pair()
    token = bytes.fromhex(str(transport_parameter("stateless_reset_token") or ""))
    if len(token) != 16:
        return False
    while client.next_event() is not None:
        pass
    client.receive_datagram(bytes([0x40]) + bytes(range(20)) + token, _SERVER_ADDR, now=1.0)
    while (event := client.next_event()) is not None:
        if isinstance(event, ConnectionTerminated):
            return True
    return False


async def _wire() -> dict[str, Any]:
    async with h3_server(padding_names=300) as server, h3_client(server, ["/"]) as client:
        pass
    exchange = client.exchange()
    blocked = [f for f in frames(exchange.server_qlog, "sent")
               if f["frame_type"] in ("data_blocked", "stream_data_blocked")]
    return {"first_datagram": exchange.datagrams[0].size_bytes,
            "amplification": amplification(exchange).max_ratio,
            "sends_blocked_frames": bool(blocked)}


@cache
def _wire_facts() -> dict[str, Any]:
    return run_sync(_wire(), timeout_s=10)


@public
def wire(name: str) -> Any:
    """Measured on loopback: ``first_datagram`` (bytes), ``amplification`` (server ratio
    before validation), ``sends_blocked_frames`` (a flow-blocked sender says so)."""
    if name == "sends_blocked_frames":
        return _blocked_sender()
    facts = _wire_facts()
    if name not in facts:
        raise ValueError(f"name: must be one of {', '.join(sorted(facts))}, got {name!r}")
    return facts[name]


async def _blocked() -> bool:
    async with h3_server(body_bytes=20_000) as server, h3_client(
            server, ["/"], max_stream_data=1200, max_data=1200) as client:
        pass
    exchange = client.exchange()
    return any(f["frame_type"] in ("data_blocked", "stream_data_blocked")
               for f in frames(exchange.server_qlog, "sent"))


@cache
def _blocked_sender() -> bool:
    return bool(run_sync(_blocked(), timeout_s=10))


@public
def qpack_setting(name: str) -> Any:
    """What aioquic's HTTP/3 layer advertises: ``max_table_capacity`` or ``blocked_streams``."""
    if name not in ("max_table_capacity", "blocked_streams"):
        raise ValueError(f"name: must be 'max_table_capacity' or 'blocked_streams', got {name!r}")
    client, _, _ = _pair()
    return getattr(H3Connection(client), f"_{name}", None)
