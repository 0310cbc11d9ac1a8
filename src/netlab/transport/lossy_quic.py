"""A real reliable transport on the lab's lossy link: aioquic's QUIC, driven in simulated time.

The ARQ model of :mod:`netlab.transport.arq` is checked against its own closed forms,
which share its assumptions. This module is the independent reference: aioquic
(RFC 9000 and RFC 9002: packet numbers, ACK frames with ranges, probe timeouts,
NewReno congestion control by default) run sans-IO, with the clock and the link in
our hands. Datagrams cross the same link as in the model: a fixed one-way delay and
independent loss with probability ``p`` in each direction, no bandwidth limit.

The handshake runs without loss, so that every run measures the same thing: the
transfer of ``n_messages × message_bytes`` of stream data from client to server.
aioquic's sizes do not depend on random values once the certificate has fixed-size
signatures (Ed25519), so a seed fixes which datagrams are lost and every run is the same.
"""

from __future__ import annotations

import heapq
import random
from dataclasses import dataclass
from typing import Annotated

from aioquic.quic.configuration import QuicConfiguration
from aioquic.quic.connection import QuicConnection
from aioquic.quic.events import HandshakeCompleted, StreamDataReceived
from aioquic.quic.logger import QuicLogger
from pydantic import Field

from netlab._validate import Seed, check_work, public, result
from netlab.testca import make_test_ca

ALPN = "netlab-lab1"
CLIENT_ADDR = ("127.0.0.1", 50_000)
SERVER_ADDR = ("127.0.0.1", 4433)
#: Stream bytes a call may move, divided by (1 - p)^2 (about ten seconds here).
WORK_LIMIT_BYTES = 20_000_000
_TIMER_SLACK_S = 1e-7  # aioquic compares float deadlines; step just past them
_MAX_SIMULATED_S = 600.0

LossRate = Annotated[float, Field(ge=0, le=0.5)]


@result
@dataclass(frozen=True)
class QuicTransfer:
    """What one transfer over the lossy link cost the real QUIC stack."""

    loss_rate: float
    payload_bytes: int
    stream_bytes_sent: int  # STREAM frame bytes the client sent, retransmissions included
    datagrams_sent: int  # by the client after the handshake
    datagrams_lost: int  # in both directions after the handshake
    completed: bool
    completion_time_s: float  # first stream byte sent to last byte received

    @property
    def sent_per_payload(self) -> float:
        """Stream bytes sent per byte delivered: 1 without loss, more with retransmissions."""
        return self.stream_bytes_sent / self.payload_bytes


def _configurations() -> tuple[QuicConfiguration, QuicConfiguration, QuicLogger]:
    ca = make_test_ca(key_type="ed25519", intermediate=False)
    logger = QuicLogger()
    client = QuicConfiguration(is_client=True, alpn_protocols=[ALPN], server_name="localhost",
                               quic_logger=logger)
    client.load_verify_locations(cadata=ca.trust_pem_bytes)
    server = QuicConfiguration(is_client=False, alpn_protocols=[ALPN])
    server.certificate = ca.server.cert
    server.private_key = ca.server.key
    return client, server, logger


def _stream_bytes_sent(logger: QuicLogger) -> int:
    total = 0
    for trace in logger.to_dict()["traces"]:
        for event in trace["events"]:
            if event["name"] == "transport:packet_sent":
                total += sum(f["length"] for f in event["data"].get("frames", [])
                             if f.get("frame_type") == "stream")
    return total


@public
def quic_transfer(*, n_messages: Annotated[int, Field(ge=1, le=100_000)] = 500,
                  message_bytes: Annotated[int, Field(ge=1, le=65_536)] = 1_000,
                  loss_rate: LossRate = 0.1,
                  one_way_delay_s: Annotated[float, Field(gt=0, le=1)] = 0.01,
                  seed: Seed = 7) -> QuicTransfer:
    """Send ``n_messages × message_bytes`` on one QUIC stream over the lossy link."""
    payload = n_messages * message_bytes
    check_work("n_messages", n_messages, work=payload / (1.0 - loss_rate) ** 2,
               limit=WORK_LIMIT_BYTES, unit="bytes of stream data")
    client_cfg, server_cfg, logger = _configurations()
    client = QuicConnection(configuration=client_cfg)
    server = QuicConnection(configuration=server_cfg,
                            original_destination_connection_id=client
                            .original_destination_connection_id)
    rng = random.Random(seed)
    in_flight: list[tuple[float, int, bool, bytes]] = []  # (arrival, order, to_server, data)
    order = sent = lost = received = 0
    lossy = False
    now = start = 0.0
    done_at: float | None = None

    def transmit(conn: QuicConnection) -> None:
        nonlocal order, sent, lost
        for data, _addr in conn.datagrams_to_send(now=now):
            if lossy and conn is client:
                sent += 1
            if lossy and rng.random() < loss_rate:
                lost += 1
                continue
            order += 1
            heapq.heappush(in_flight, (now + one_way_delay_s, order, conn is client, data))

    client.connect(SERVER_ADDR, now=now)
    transmit(client)
    while done_at is None and now < _MAX_SIMULATED_S:
        timers = [t for t in (client.get_timer(), server.get_timer()) if t is not None]
        arrival = in_flight[0][0] if in_flight else None
        candidates = timers + ([arrival] if arrival is not None else [])
        if not candidates:
            break
        nxt = min(candidates)
        now = max(now, nxt if nxt == arrival else nxt + _TIMER_SLACK_S)
        if in_flight and in_flight[0][0] <= now:
            _, _, to_server, data = heapq.heappop(in_flight)
            target = server if to_server else client
            target.receive_datagram(data, CLIENT_ADDR if to_server else SERVER_ADDR, now=now)
        for conn in (client, server):
            timer = conn.get_timer()
            if timer is not None and timer <= now:
                conn.handle_timer(now=now)
            while (event := conn.next_event()) is not None:
                if isinstance(event, HandshakeCompleted) and conn is client and not lossy:
                    lossy, start = True, now
                    stream_id = client.get_next_available_stream_id()
                    client.send_stream_data(stream_id, bytes(payload), end_stream=True)
                elif isinstance(event, StreamDataReceived) and conn is server:
                    received += len(event.data)
                    if event.end_stream and received == payload:
                        done_at = now
        transmit(client)
        transmit(server)
    completed = done_at is not None
    return QuicTransfer(loss_rate, payload, _stream_bytes_sent(logger), sent, lost, completed,
                        (done_at - start) if done_at is not None else now - start)
