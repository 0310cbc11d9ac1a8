"""Capture a real TCP connection on loopback for the chapter 2 lab (run as root).

The server plays an HTTP/1.0-style server: it answers one request and closes first, so it is
the active closer. The client then closes either after a pause (the server's FIN is ACKed on
its own: four segments) or at once (the ACK rides on the client's FIN: three segments).

Packets are captured with scapy's sniffer on an ``L2Socket`` bound to ``lo``: it skips the
outgoing copy of each loopback frame, so every segment is kept once, and it stamps each
packet with the kernel's receive time (``SO_TIMESTAMPNS``). ``wrpcap`` writes those times
(``pkt.time``) into the pcap, so Wireshark and the lab see the real timing: the sleeps below
and the kernel's delayed ACK of a FIN. The states /proc/net/tcp reports after the close go
to a JSON file next to the pcaps.

    sudo .venv/bin/python tools/capture_handshake.py [output-dir]   # default: labs/data
"""

from __future__ import annotations

import json
import socket
import sys
import time
from pathlib import Path

from scapy.all import TCP, AsyncSniffer, wrpcap
from scapy.arch.linux import L2Socket

from netlab.tcp.procfs import proc_net_tcp

REQUEST = b"GET / HTTP/1.0\r\n\r\n"
RESPONSE = b"HTTP/1.0 200 OK\r\nContent-Length: 6\r\n\r\nhello\n"


def run(scenario: str, pause_before_client_close_s: float) -> tuple[list, dict]:
    """Run one connection and return its packets and what /proc/net/tcp said afterwards."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]

        def ours(pkt) -> bool:  # type: ignore[no-untyped-def]
            return TCP in pkt and port in (pkt[TCP].sport, pkt[TCP].dport)

        lo = L2Socket(iface="lo")
        sniffer = AsyncSniffer(opened_socket=lo, lfilter=ours, store=True)
        sniffer.start()
        time.sleep(0.3)
        client = socket.create_connection(("127.0.0.1", port), timeout=5)
        server, _ = listener.accept()
        client_port = client.getsockname()[1]
        client.sendall(REQUEST)
        assert server.recv(1024) == REQUEST
        time.sleep(0.2)
        server.sendall(RESPONSE)
        assert client.recv(1024) == RESPONSE
        time.sleep(0.2)
        server.close()  # the server closes first: it is the active closer
        assert client.recv(1024) == b""  # EOF: the server's FIN arrived
        time.sleep(pause_before_client_close_s)
        client.close()
        time.sleep(0.3)
        after = proc_net_tcp(frozenset({port, client_port})) or []
        packets = list(sniffer.stop())
        lo.close()
    roles = {port: "server", client_port: "client"}
    states = {roles[s.local_port]: s.state for s in after}
    tw_timers = [s.timer_s for s in after if s.state == "TIME_WAIT"]
    return packets, {
        "scenario": scenario,
        "pause_before_client_close_s": pause_before_client_close_s,
        "states_after_close": {"client": states.get("client", "gone"),
                               "server": states.get("server", "gone")},
        "time_wait_timer_s": round(tw_timers[0]) if tw_timers else None,
        "request_bytes": len(REQUEST),
        "response_bytes": len(RESPONSE),
    }


def main() -> None:
    """Capture both scenarios and write the pcaps and the JSON summary."""
    out_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "labs/data")
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = {}
    for scenario, pause in (("four-segment-close", 0.5), ("three-segment-close", 0.0)):
        packets, info = run(scenario, pause)
        name = f"02-handshake-{scenario}.pcap"
        wrpcap(str(out_dir / name), packets)  # keeps each packet's capture time, pkt.time
        summary[scenario] = {"pcap": name, "segments": len(packets), **info}
        print(scenario, len(packets), "segments", info["states_after_close"])
    (out_dir / "02-handshake.json").write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
