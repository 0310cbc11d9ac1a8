"""Shared scapy adapters: header sizes, field tables and checksum checks.

scapy builds and dissects; these helpers only turn its objects into small,
sorted, printable rows for the labs.
"""

from __future__ import annotations

from dataclasses import dataclass

from scapy.packet import NoPayload, Packet, Raw


@dataclass(frozen=True)
class LayerRow:
    """One protocol layer of a packet: its name and how many bytes its header takes."""

    layer: str
    header_bytes: int
    total_bytes: int


def _check_packet(packet: object) -> Packet:
    if not isinstance(packet, Packet):
        raise ValueError(f"packet must be a scapy Packet, got {type(packet).__name__}")
    return packet


def layers(packet: Packet) -> list[LayerRow]:
    """Return one row per layer with the bytes its header occupies once built."""
    built = _check_packet(packet).__class__(bytes(packet))
    rows = []
    layer: Packet = built
    while not isinstance(layer, NoPayload):
        total = len(bytes(layer))
        rest = 0 if isinstance(layer.payload, NoPayload) else len(bytes(layer.payload))
        if isinstance(layer, Raw):  # application data: no header of its own
            rows.append(LayerRow("payload", 0, total))
        else:
            rows.append(LayerRow(layer.name, total - rest, total))
        layer = layer.payload
    return rows


def header_bytes(packet: Packet, layer_name: str) -> int:
    """Return the header size in bytes of the layer called ``layer_name`` (e.g. ``"TCP"``)."""
    for row in layers(packet):
        if row.layer == layer_name:
            return row.header_bytes
    names = ", ".join(row.layer for row in layers(packet))
    raise ValueError(f"layer_name must be one of the packet's layers ({names}), got {layer_name!r}")


def fields(packet: Packet, layer_name: str) -> dict[str, object]:
    """Return the fields of one layer after building (checksums and lengths filled in)."""
    built = _check_packet(packet).__class__(bytes(packet))
    layer = built.getlayer(layer_name)
    if layer is None:
        raise ValueError(f"layer_name {layer_name!r} is not in the packet")
    return {f.name: layer.getfieldval(f.name) for f in layer.fields_desc}


def checksum_ok(wire: bytes, layer_name: str) -> bool:
    """Return True if the checksum stored in ``wire`` for ``layer_name`` is the correct one."""
    if not isinstance(wire, bytes | bytearray):
        raise ValueError(f"wire must be bytes, got {type(wire).__name__}")
    from scapy.layers.inet import IP

    received = IP(bytes(wire))
    layer = received.getlayer(layer_name)
    if layer is None or not hasattr(layer, "chksum"):
        raise ValueError(f"layer_name {layer_name!r} has no checksum in this packet")
    stored = layer.chksum
    del layer.chksum
    recomputed = IP(bytes(received)).getlayer(layer_name).chksum
    return stored == recomputed


@dataclass(frozen=True)
class TcpOption:
    """One TCP option as it sits in the header: name, kind number, length on the wire, value."""

    name: str
    kind: int
    length_bytes: int
    value: object


def tcp_options(packet: Packet) -> list[TcpOption]:
    """The TCP options of ``packet`` in wire order, each with the bytes it takes (RFC 9293 §3.1).

    Kinds 0 (end of list) and 1 (NOP) are one byte; every other option carries its own
    length byte, which scapy writes when it encodes the option.
    """
    from scapy.layers.inet import TCP, TCPOptions, TCPOptionsField

    if TCP not in _check_packet(packet):
        raise ValueError("packet must contain a TCP layer")
    encoder = TCPOptionsField("options", b"")
    kinds = TCPOptions[1]
    rows = []
    for name, value in packet[TCP].options:
        wire = encoder.i2m(packet[TCP], [(name, value)])
        kind = kinds.get(name, wire[0]) if isinstance(name, str) else int(name)
        length = 1 if kind in (0, 1) else wire[1]
        rows.append(TcpOption(str(name), int(kind), int(length), value))
    return rows
