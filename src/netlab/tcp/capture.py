"""Read a real loopback capture with scapy and line it up with the state machine.

The pcaps in ``labs/data/02-handshake-*.pcap`` were recorded by
``tools/capture_handshake.py`` (as root), with each packet's capture time; reading them
needs no privileges. The client is whoever sent the first SYN; sequence and acknowledgement
numbers are made relative to the two ISNs, and times to the first SYN, as Wireshark shows
them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field

from netlab._validate import public, result
from netlab.tables import format_table
from netlab.tcp.connection import TcpConfig
from netlab.tcp.link import Call, LinkConfig, Trace, _simulate

#: What each option a Linux SYN carries is for, and where it is specified.
OPTION_PURPOSES = {
    "MSS": ("largest segment payload the sender will accept", "RFC 9293 §3.7.1"),
    "SAckOK": ("selective acknowledgements may be used", "RFC 2018 §2"),
    "Timestamp": ("RTT measurement and PAWS against wrapped sequence numbers", "RFC 7323 §3"),
    "NOP": ("padding so the next option is aligned", "RFC 9293 §3.2"),
    "WScale": ("shift count applied to the 16-bit window field", "RFC 7323 §2"),
}
#: Linux's delayed ACK floor (TCP_ATO_MIN = HZ/25): the ACK of a FIN waits about this long.
LINUX_ATO_MIN_S = 0.04


@result
@dataclass(frozen=True)
class CapturedSegment:
    """One segment of a capture, seen from the connection's point of view."""

    time_s: float  #: capture time, seconds after the first SYN
    sender: str
    flags: str
    seq: int
    ack: int
    window: int
    payload: bytes
    options: tuple[tuple[str, object], ...]


Segments = Annotated[list[CapturedSegment], Field(min_length=1, max_length=100_000)]
_MAX_PCAP_BYTES = 10 * 2**20  # the fixtures are a few kilobytes


@public
def load_capture(path: str | Path) -> list[CapturedSegment]:
    """Dissect a pcap with scapy; ``sender`` is "client" for the side that sent the first SYN."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"load_capture: path: must name an existing pcap file, got {str(path)!r}")
    if path.stat().st_size > _MAX_PCAP_BYTES:
        raise ValueError(f"load_capture: path: a lab capture is at most {_MAX_PCAP_BYTES} bytes")
    from scapy.all import TCP, rdpcap  # scapy takes seconds to import; only readers need it

    try:
        packets = [p for p in rdpcap(str(path)) if TCP in p]
    except Exception as exc:  # noqa: BLE001 - scapy raises several types for a bad file
        raise ValueError(f"load_capture: path: not a pcap scapy can read: {path.name}") from exc
    if not packets or str(packets[0][TCP].flags) != "S":
        raise ValueError(f"load_capture: path: must hold a capture that starts with a SYN: "
                         f"{path.name}")
    client_port, start = packets[0][TCP].sport, packets[0].time
    return [CapturedSegment(float(p.time - start),
                            "client" if p[TCP].sport == client_port else "server",
                            str(p[TCP].flags), p[TCP].seq, p[TCP].ack, p[TCP].window,
                            bytes(p[TCP].payload), tuple(p[TCP].options))
            for p in packets]


@public
def relative_rows(segments: Segments) -> list[tuple[str, str, int, int, int]]:
    """``(sender, flags, relative seq, relative ack, payload bytes)`` for each segment."""
    isn = {s.sender: s.seq for s in segments if "S" in s.flags}
    if set(isn) != {"client", "server"}:
        raise ValueError("relative_rows: segments: must contain the SYN of both sides")
    rows = []
    for s in segments:
        peer = "server" if s.sender == "client" else "client"
        ack = (s.ack - isn[peer]) % 2**32 if "A" in s.flags else 0
        rows.append((s.sender, s.flags, (s.seq - isn[s.sender]) % 2**32, ack, len(s.payload)))
    return rows


@public
def model_rows(trace: Trace) -> list[tuple[str, str, int, int, int]]:
    """The same tuples as :func:`relative_rows`, for every segment a simulated run delivered."""
    return [(sender, seg.flags, *trace.relative(sender, seg), len(seg.payload))
            for sender, seg in trace.segments(include_lost=False)]


@public
def timeline_rows(segments: Segments) -> list[tuple[float, float, str, str]]:
    """``(ms after the first SYN, ms after the previous segment, direction, flags)``."""
    rows, before = [], 0.0
    for s in segments:
        rows.append((round(s.time_s * 1000, 1), round((s.time_s - before) * 1000, 1),
                     "C->S" if s.sender == "client" else "C<-S", s.flags))
        before = s.time_s
    return rows


@public
def fin_ack_delay_ms(segments: Segments) -> float:
    """How long after the server's FIN the client's acknowledgement of it left, in ms."""
    fin = next((s for s in segments if s.sender == "server" and "F" in s.flags), None)
    if fin is None:
        raise ValueError("fin_ack_delay_ms: segments: the server sent no FIN")
    fin_end = (fin.seq + 1) % 2**32
    ack = next((s for s in segments if s.sender == "client" and s.time_s >= fin.time_s
                and "A" in s.flags and s.ack == fin_end), None)
    if ack is None:
        raise ValueError("fin_ack_delay_ms: segments: the client never acknowledged the FIN")
    return round((ack.time_s - fin.time_s) * 1000, 1)


@public
def syn_option_table(segment: CapturedSegment) -> list[tuple[str, str, str, str]]:
    """``(option, value, what it is for, where specified)`` for the options of a SYN."""
    if "S" not in segment.flags:
        raise ValueError("syn_option_table: segment: must be a captured SYN or SYN-ACK")
    rows = []
    for name, value in segment.options:
        purpose, source = OPTION_PURPOSES.get(name, ("(not described here)", ""))
        if name == "Timestamp":
            shown = "TSval, TSecr (clock values)"
        elif name in ("SAckOK", "NOP"):
            shown = "-"
        else:
            shown = str(value)
        rows.append((name, shown, purpose, source))
    return rows


@public
def replay_in_model(*, request: Annotated[bytes, Field(min_length=1, max_length=2**20)],
                    response: Annotated[bytes, Field(min_length=1, max_length=2**20)],
                    client_pause_s: Annotated[float, Field(ge=0, le=10)],
                    isn_client: Annotated[int, Field(ge=0, le=2**32 - 1)] = 1000,
                    isn_server: Annotated[int, Field(ge=0, le=2**32 - 1)] = 5000) -> Trace:
    """Run the captured scenario through netlab.tcp: request, response, server closes first.

    The client closes ``client_pause_s`` after the server's FIN reaches it (at least 10 ms
    after, so the FIN is processed first); both sides hold the ACK of a FIN for Linux's
    40 ms delayed-ACK floor, so a pause under 30 ms gives the three-segment close.
    """
    delay_s = 0.05
    config = TcpConfig(fin_ack_delay_s=LINUX_ATO_MIN_S)
    fin_arrives = 3.0 + delay_s
    calls = [Call(0.0, "server", "listen"), Call(0.0, "client", "connect"),
             Call(1.0, "client", "send", request), Call(2.0, "server", "send", response),
             Call(3.0, "server", "close"),
             Call(fin_arrives + max(client_pause_s, 0.01), "client", "close")]
    return _simulate(calls, client_isn=isn_client, server_isn=isn_server,
                     link=LinkConfig(delay_s=delay_s), client_config=config,
                     server_config=config, seed=0, stop_when=None, until_s=10.0)


@public
def load_summary(data_dir: str | Path) -> dict:
    """The JSON written next to the pcaps: one entry per captured scenario."""
    path = Path(data_dir) / "02-handshake.json"
    if not path.is_file():
        raise ValueError(f"load_summary: data_dir: must hold 02-handshake.json, "
                         f"got {str(data_dir)!r}")
    return json.loads(path.read_text())


@public
def replay_scenario(data_dir: str | Path, scenario: str) -> tuple[list[CapturedSegment], Trace]:
    """Load one captured scenario and run the same exchange through netlab.tcp."""
    summary = load_summary(data_dir)
    if scenario not in summary:
        raise ValueError(f"replay_scenario: scenario: must be one of "
                         f"{', '.join(sorted(summary))}, got {scenario!r}")
    info = summary[scenario]
    segments = load_capture(Path(data_dir) / info["pcap"])
    request = next(s.payload for s in segments if s.sender == "client" and s.payload)
    response = next(s.payload for s in segments if s.sender == "server" and s.payload)
    trace = replay_in_model(request=request, response=response,
                            client_pause_s=info["pause_before_client_close_s"])
    return segments, trace


@public
def show_capture(data_dir: str | Path, scenario: str) -> str:
    """Text: the captured segments with relative numbers beside what netlab.tcp sent."""
    segments, trace = replay_scenario(data_dir, scenario)
    real, model = relative_rows(segments), model_rows(trace)
    rows = []
    for i, row in enumerate(real):
        other = model[i] if i < len(model) else None
        same = "same" if other == row else f"differs: {other}"
        rows.append(("C->S" if row[0] == "client" else "C<-S", *row[1:], same))
    return (f"{scenario}: {len(real)} captured segments, {len(model)} from netlab.tcp\n"
            + format_table(rows, ("dir", "flags", "seq", "ack", "len", "netlab.tcp")))
