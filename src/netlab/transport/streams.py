"""Byte streams versus datagrams, shown with real sockets on 127.0.0.1.

TCP (RFC 9293 §2.2) delivers a stream of bytes: the sizes of the writes are not
kept, and each ``recv`` returns whatever is queued, up to the size asked for.
UDP (RFC 768) delivers datagrams: one ``send`` is one datagram, and a read that
is too small truncates the datagram and discards the rest.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from dataclasses import dataclass

from netlab._check import check_bytes, check_int
from netlab.loopback import tcp_pair, udp_pair
from netlab.transport.framing import Deframer, frame

MAX_READ_BYTES = 1 << 20
MAX_UDP_PAYLOAD_BYTES = 65_507  # 65 535 - 20 (IPv4 header) - 8 (UDP header)


@dataclass(frozen=True)
class ReadResult:
    """What the sender wrote and what the receiver's reads returned, in bytes."""

    write_sizes: tuple[int, ...]
    read_sizes: tuple[int, ...]
    truncated: tuple[bool, ...]
    data_intact: bool


def _check_payloads(payloads: Sequence[bytes], max_len: int) -> list[bytes]:
    if isinstance(payloads, bytes | str) or not isinstance(payloads, Sequence):
        raise ValueError("payloads must be a sequence of bytes objects")
    if not 1 <= len(payloads) <= 1000:
        raise ValueError(f"payloads must hold between 1 and 1000 items, got {len(payloads)}")
    return [check_bytes(f"payloads[{i}]", p, max_len=max_len) for i, p in enumerate(payloads)]


def _wait_for_eof(sock: socket.socket, total_bytes: int) -> None:
    """Block until the peer's FIN is queued behind all of its data, reading nothing."""
    peeked = sock.recv(total_bytes + 1, socket.MSG_PEEK | socket.MSG_WAITALL)
    if len(peeked) != total_bytes:
        raise RuntimeError(f"expected {total_bytes} queued bytes, found {len(peeked)}")


def tcp_stream_reads(payloads: Sequence[bytes], *, read_size_bytes: int = 65_536) -> ReadResult:
    """Send each payload with its own ``send`` over TCP, then read with ``recv(read_size_bytes)``."""
    data = _check_payloads(payloads, max_len=MAX_READ_BYTES)
    check_int("read_size_bytes", read_size_bytes, min_value=1, max_value=MAX_READ_BYTES)
    total = sum(len(p) for p in data)
    with tcp_pair(nodelay=True) as (client, server):
        for payload in data:
            client.sendall(payload)
        client.shutdown(socket.SHUT_WR)
        _wait_for_eof(server, total)  # so that every read below finds all bytes queued
        chunks = []
        while chunk := server.recv(read_size_bytes):
            chunks.append(chunk)
    received = b"".join(chunks)
    return ReadResult(tuple(len(p) for p in data), tuple(len(c) for c in chunks),
                      tuple(False for _ in chunks), received == b"".join(data))


def udp_datagram_reads(payloads: Sequence[bytes], *, read_size_bytes: int = 65_536) -> ReadResult:
    """Send each payload as one UDP datagram, then read each with ``recvmsg(read_size_bytes)``."""
    data = _check_payloads(payloads, max_len=MAX_UDP_PAYLOAD_BYTES)
    check_int("read_size_bytes", read_size_bytes, min_value=1, max_value=MAX_READ_BYTES)
    reads: list[bytes] = []
    truncated: list[bool] = []
    with udp_pair() as (sender, receiver):
        for payload in data:
            sender.send(payload)
        for _ in data:
            chunk, _ancillary, flags, _address = receiver.recvmsg(read_size_bytes)
            reads.append(chunk)
            truncated.append(bool(flags & socket.MSG_TRUNC))
    intact = reads == data
    return ReadResult(tuple(len(p) for p in data), tuple(len(r) for r in reads),
                      tuple(truncated), intact)


@dataclass(frozen=True)
class FramedResult:
    """Messages sent with length-prefix framing over TCP and what the reader recovered."""

    read_sizes: tuple[int, ...]
    messages: tuple[bytes, ...]


def tcp_framed_messages(messages: Sequence[bytes], *, read_size_bytes: int = 7) -> FramedResult:
    """Send framed messages over TCP, read in ``read_size_bytes`` chunks and deframe them."""
    data = _check_payloads(messages, max_len=MAX_READ_BYTES)
    check_int("read_size_bytes", read_size_bytes, min_value=1, max_value=MAX_READ_BYTES)
    wire = b"".join(frame(m) for m in data)
    deframer = Deframer()
    recovered: list[bytes] = []
    sizes: list[int] = []
    with tcp_pair(nodelay=True) as (client, server):
        client.sendall(wire)
        client.shutdown(socket.SHUT_WR)
        _wait_for_eof(server, len(wire))
        while chunk := server.recv(read_size_bytes):
            sizes.append(len(chunk))
            recovered.extend(deframer.feed(chunk))
    deframer.close()
    return FramedResult(tuple(sizes), tuple(recovered))
