"""Byte streams versus datagrams, shown with real sockets on 127.0.0.1.

TCP (RFC 9293 §2.2) delivers a stream of bytes: the sizes of the writes are not
kept, and each ``recv`` returns whatever is queued, up to the size asked for.
UDP (RFC 768) delivers datagrams: one ``send`` is one datagram, and a read that
is too small truncates the datagram and discards the rest.

The TCP reader waits until every byte is queued before its first read, so the reads
show the reader's choice and not the timing; the bytes must therefore fit in the
receive buffer, which is why a call carries at most :data:`MAX_TCP_TOTAL_BYTES`.
"""

from __future__ import annotations

import socket
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field

from netlab._validate import ArgumentError, public, result
from netlab.loopback import tcp_pair, udp_pair
from netlab.transport.framing import HEADER, Deframer, frame

#: What one call may carry over TCP: well inside Linux's default receive buffer
#: (tcp_rmem's middle value, 128 KiB), so that it is all queued before the first read.
MAX_TCP_TOTAL_BYTES = 32 * 1024
MAX_UDP_PAYLOAD_BYTES = 65_507  # 65,535 - 20 (IPv4 header) - 8 (UDP header)
MAX_WRITES = 1_000
MAX_READ_BYTES = 1 << 20
#: Bytes of receive buffer a queued datagram may take beyond its payload (sk_buff and
#: allocation overhead, counted by the kernel as the skb's truesize).
_DATAGRAM_OVERHEAD_BYTES = 2_048

TcpPayloads = Annotated[Sequence[Annotated[bytes, Field(max_length=MAX_TCP_TOTAL_BYTES)]],
                        Field(min_length=1, max_length=MAX_WRITES)]
UdpPayloads = Annotated[Sequence[Annotated[bytes, Field(max_length=MAX_UDP_PAYLOAD_BYTES)]],
                        Field(min_length=1, max_length=MAX_WRITES)]
ReadSize = Annotated[int, Field(ge=1, le=MAX_READ_BYTES)]


@result
@dataclass(frozen=True)
class ReadResult:
    """What the sender wrote and what the receiver's reads returned, in bytes."""

    write_sizes: tuple[int, ...]
    read_sizes: tuple[int, ...]
    truncated: tuple[bool, ...]
    data_intact: bool


def _check_total(name: str, total: int) -> None:
    if total > MAX_TCP_TOTAL_BYTES:
        raise ArgumentError(f"{name}: together at most {MAX_TCP_TOTAL_BYTES} bytes (they must "
                            f"all fit in the receive buffer before the first read), got {total}")


def _wait_for_eof(sock: socket.socket, total_bytes: int) -> None:
    """Block until the peer's FIN is queued behind all of its data, reading nothing."""
    peeked = sock.recv(total_bytes + 1, socket.MSG_PEEK | socket.MSG_WAITALL)
    if len(peeked) != total_bytes:
        raise RuntimeError(f"expected {total_bytes} queued bytes, found {len(peeked)}")


@public
def tcp_stream_reads(payloads: TcpPayloads, *, read_size_bytes: ReadSize = 65_536) -> ReadResult:
    """Send each payload with its own ``send`` over TCP, then read with ``recv(read_size_bytes)``."""
    data = [bytes(p) for p in payloads]
    total = sum(len(p) for p in data)
    _check_total("payloads", total)
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


def _batches(data: list[bytes], budget_bytes: int) -> list[list[bytes]]:
    """Split datagrams into runs that the receive buffer holds at once."""
    batches: list[list[bytes]] = [[]]
    used = 0
    for payload in data:
        cost = len(payload) + _DATAGRAM_OVERHEAD_BYTES
        if batches[-1] and used + cost > budget_bytes:
            batches.append([])
            used = 0
        batches[-1].append(payload)
        used += cost
    return batches


@public
def udp_datagram_reads(payloads: UdpPayloads, *, read_size_bytes: ReadSize = 65_536) -> ReadResult:
    """Send each payload as one UDP datagram, then read each with ``recvmsg(read_size_bytes)``.

    Datagrams are sent in runs that fit the receiver's buffer and each run is read
    before the next is sent, so none is dropped for lack of room (on a real path
    that drop would be silent: UDP has no flow control).
    """
    data = [bytes(p) for p in payloads]
    reads: list[bytes] = []
    truncated: list[bool] = []
    with udp_pair() as (sender, receiver):
        budget = receiver.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF) // 2
        for batch in _batches(data, budget):
            for payload in batch:
                sender.send(payload)
            for _ in batch:
                chunk, _ancillary, flags, _address = receiver.recvmsg(read_size_bytes)
                reads.append(chunk)
                truncated.append(bool(flags & socket.MSG_TRUNC))
    return ReadResult(tuple(len(p) for p in data), tuple(len(r) for r in reads),
                      tuple(truncated), reads == data)


@result
@dataclass(frozen=True)
class FramedResult:
    """Messages sent with length-prefix framing over TCP and what the reader recovered."""

    read_sizes: tuple[int, ...]
    messages: tuple[bytes, ...]


@public
def tcp_framed_messages(messages: TcpPayloads, *, read_size_bytes: ReadSize = 7) -> FramedResult:
    """Send framed messages over TCP, read in ``read_size_bytes`` chunks and deframe them."""
    data = [bytes(m) for m in messages]
    _check_total("messages", sum(len(m) + HEADER.size for m in data))
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


THREE_WRITES = (b"a" * 100, b"b" * 200, b"c" * 300)


@public
def show_reads(read_size_bytes: ReadSize = 250) -> str:
    """Writes of 100, 200 and 300 bytes read back over TCP and over UDP: the lab's slider text."""
    tcp = tcp_stream_reads(THREE_WRITES, read_size_bytes=read_size_bytes)
    udp = udp_datagram_reads(THREE_WRITES, read_size_bytes=read_size_bytes)
    return (f"read size {read_size_bytes}\n"
            f"  TCP reads: {list(tcp.read_sizes)} (intact: {tcp.data_intact})\n"
            f"  UDP reads: {list(udp.read_sizes)} (truncated: {list(udp.truncated)})")
