"""Capture a real TCP connection on loopback for the chapter 2 lab (run as root).

The server plays an HTTP/1.0-style server: it answers one request and closes first, so it is
the active closer. The client then closes either after a pause (the server's FIN is ACKed on
its own: four segments) or at once (the ACK rides on the client's FIN: three segments).
Packets are read from an AF_PACKET socket on ``lo`` (outgoing copies skipped, so each segment
is kept once), dissected with scapy and written as pcap files; the states the kernel reports
in /proc/net/tcp after the close go to a JSON file next to them.

    sudo .venv/bin/python tools/capture_handshake.py [output-dir]   # default: labs/data
"""

from __future__ import annotations

import json
import socket
import sys
import threading
import time
from pathlib import Path

from scapy.all import TCP, Ether, wrpcap

REQUEST = b"GET / HTTP/1.0\r\n\r\n"
RESPONSE = b"HTTP/1.0 200 OK\r\nContent-Length: 6\r\n\r\nhello\n"
PACKET_OUTGOING = 4
ETH_P_ALL = 0x0003
# /proc/net/tcp "st" column (include/net/tcp_states.h)
PROC_STATES = {1: "ESTABLISHED", 2: "SYN_SENT", 3: "SYN_RECV", 4: "FIN_WAIT1",
               5: "FIN_WAIT2", 6: "TIME_WAIT", 7: "CLOSE", 8: "CLOSE_WAIT", 9: "LAST_ACK",
               10: "LISTEN", 11: "CLOSING"}


def capture_packets(port: int, stop: threading.Event, out: list[bytes]) -> None:
    """Collect every frame on lo to or from ``port`` until ``stop`` is set."""
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL)) as raw:
        raw.bind(("lo", 0))
        raw.settimeout(0.05)
        while not stop.is_set():
            try:
                frame, addr = raw.recvfrom(65535)
            except TimeoutError:
                continue
            if addr[2] == PACKET_OUTGOING:
                continue  # loopback shows each frame twice: as sent and as received
            pkt = Ether(frame)
            if TCP in pkt and port in (pkt[TCP].sport, pkt[TCP].dport):
                out.append(frame)


def proc_net_tcp(ports: set[int]) -> list[tuple[int, int, str, int]]:
    """``(local port, remote port, state, timer ticks)`` of sockets that use ``ports``."""
    rows = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = (int(f.split(":")[1], 16) for f in fields[1:3])
        if local in ports and remote in ports:
            ticks = int(fields[5].split(":")[1], 16)
            rows.append((local, remote, PROC_STATES[int(fields[3], 16)], ticks))
    return rows


def run(scenario: str, pause_before_client_close_s: float) -> tuple[list[bytes], dict]:
    """Run one connection and return its frames and what /proc/net/tcp said afterwards."""
    frames: list[bytes] = []
    stop = threading.Event()
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        sniffer = threading.Thread(target=capture_packets, args=(port, stop, frames))
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
        after = proc_net_tcp({port, client_port})
        stop.set()
        sniffer.join()
    roles = {port: "server", client_port: "client"}
    states = {roles[local]: state for local, _, state, _ in after}
    tw_ticks = [ticks for _, _, state, ticks in after if state == "TIME_WAIT"]
    clk_tck = 100  # USER_HZ, the unit of the /proc/net/tcp timer column
    return frames, {
        "scenario": scenario,
        "pause_before_client_close_s": pause_before_client_close_s,
        "states_after_close": {"client": states.get("client", "gone"),
                               "server": states.get("server", "gone")},
        "time_wait_timer_s": round(tw_ticks[0] / clk_tck) if tw_ticks else None,
        "request_bytes": len(REQUEST),
        "response_bytes": len(RESPONSE),
    }


def main() -> None:
    """Capture both scenarios and write the pcaps and the JSON summary."""
    out_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "labs/data")
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = {}
    for scenario, pause in (("four-segment-close", 0.5), ("three-segment-close", 0.0)):
        frames, info = run(scenario, pause)
        name = f"02-handshake-{scenario}.pcap"
        wrpcap(str(out_dir / name), [Ether(f) for f in frames])
        summary[scenario] = {"pcap": name, "segments": len(frames), **info}
        print(scenario, len(frames), "segments", info["states_after_close"])
    (out_dir / "02-handshake.json").write_text(json.dumps(summary, indent=2) + "\n")


if __name__ == "__main__":
    main()
