"""Length-prefix framing: how applications put message boundaries back on a TCP stream.

A sans-IO codec: ``frame`` turns a message into bytes, and ``Deframer.feed`` takes
whatever chunks a socket returns and yields complete messages. The 4-byte
big-endian length prefix is the same idea as TLS records (RFC 8446 §5.1) and
DNS over TCP's 2-byte prefix (RFC 1035 §4.2.2).
"""

from __future__ import annotations

import struct
from typing import Annotated

from pydantic import Field

from netlab._validate import ArgumentError, public

HEADER = struct.Struct("!I")
DEFAULT_MAX_MESSAGE_BYTES = 1 << 20
MaxMessage = Annotated[int, Field(ge=1, le=2**32 - 1)]


@public
def frame(message: bytes, *, max_message_bytes: MaxMessage = DEFAULT_MAX_MESSAGE_BYTES) -> bytes:
    """Return ``message`` prefixed with its length as a 4-byte big-endian integer."""
    if len(message) > max_message_bytes:
        raise ArgumentError(f"frame: message: at most max_message_bytes={max_message_bytes} "
                            f"bytes, got {len(message)}")
    return HEADER.pack(len(message)) + message


class FramingError(ValueError):
    """The byte stream does not hold well-formed frames."""


@public
class Deframer:
    """Reassemble length-prefixed messages from arbitrary chunks of a byte stream."""

    def __init__(self, *, max_message_bytes: MaxMessage = DEFAULT_MAX_MESSAGE_BYTES) -> None:
        self.max_message_bytes = max_message_bytes
        self._buffer = bytearray()

    @property
    def buffered_bytes(self) -> int:
        """Bytes received that do not yet form a complete message."""
        return len(self._buffer)

    @public
    def feed(self, chunk: bytes) -> list[bytes]:
        """Add ``chunk`` to the buffer and return every message it completes, in order."""
        self._buffer += chunk
        messages = []
        while len(self._buffer) >= HEADER.size:
            (length,) = HEADER.unpack_from(self._buffer)
            if length > self.max_message_bytes:
                raise FramingError(f"frame announces {length} bytes, more than "
                                   f"max_message_bytes={self.max_message_bytes}")
            end = HEADER.size + length
            if len(self._buffer) < end:
                break
            messages.append(bytes(self._buffer[HEADER.size:end]))
            del self._buffer[:end]
        return messages

    def close(self) -> None:
        """Signal the end of the stream; raise FramingError if a message was cut short."""
        if self._buffer:
            raise FramingError(f"stream ended inside a frame ({len(self._buffer)} bytes left)")
