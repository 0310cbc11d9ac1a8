"""Capture real TCP and UDP traffic on loopback for the chapter 1 lab (run as root).

Two exchanges on 127.0.0.1, captured from an AF_PACKET socket on ``lo`` with the kernel's
receive times (netlab.transport.capture):

1. a TCP connection: handshake, a 5-byte request, a 6-byte answer, and the close;
2. one UDP datagram sent to a port where nothing listens, and the ICMP Port Unreachable
   the kernel answers with.

Writes ``01-loopback.pcap`` and ``01-loopback.json`` (what the capturing machine ran:
kernel, loopback MTU, the TCP option sysctls, and what TCP_INFO reported), so that the
lab can say where its SYN came from.

    sudo .venv/bin/python tools/capture_transport.py [output-dir]   # default: labs/data
"""

from __future__ import annotations

import contextlib
import json
import platform
import socket
import sys
import time
from pathlib import Path

from scapy.layers.inet import ICMP, TCP, UDP
from scapy.packet import Packet

from netlab.probes import interface_mtu, sysctl
from netlab.tcpinfo import tcp_info
from netlab.transport.capture import capture_loopback, write_capture

SYSCTLS = ("net.ipv4.tcp_timestamps", "net.ipv4.tcp_sack", "net.ipv4.tcp_window_scaling")


def tcp_exchange() -> tuple[list[Packet], dict[str, object]]:
    """One short TCP connection on 127.0.0.1; its frames and what TCP_INFO said."""
    seen: dict[str, object] = {}
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]

        def run() -> None:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
                server, _ = listener.accept()
                with server:
                    info = tcp_info(client)
                    if info is not None:
                        seen.update(pmtu=info.pmtu, advmss=info.advmss,
                                    options=list(info.option_names))
                    client.sendall(b"hello")
                    assert server.recv(64) == b"hello"
                    server.sendall(b"world!")
                    assert client.recv(64) == b"world!"
                    time.sleep(0.05)
                    client.shutdown(socket.SHUT_WR)
                    assert server.recv(64) == b""
                time.sleep(0.05)

        frames = capture_loopback(run, keep=lambda p: TCP in p and port in (p[TCP].sport,
                                                                            p[TCP].dport))
    return frames, seen


def udp_to_closed_port() -> list[Packet]:
    """One datagram to a closed UDP port and the ICMP error it draws."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    def run() -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.settimeout(0.5)
            sock.connect(("127.0.0.1", port))
            sock.send(b"ping")
            with contextlib.suppress(ConnectionRefusedError):
                sock.recv(64)

    def keep(packet: Packet) -> bool:
        if ICMP in packet:
            return True
        return UDP in packet and packet[UDP].dport == port

    return capture_loopback(run, keep=keep)


def main() -> None:
    """Capture both exchanges and write the pcap and the JSON summary."""
    out_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "labs/data")
    out_dir.mkdir(parents=True, exist_ok=True)
    tcp_frames, seen = tcp_exchange()
    udp_frames = udp_to_closed_port()
    write_capture(out_dir / "01-loopback.pcap", tcp_frames + udp_frames)
    summary = {
        "pcap": "01-loopback.pcap",
        "tcp_segments": len(tcp_frames),
        "udp_and_icmp_packets": len(udp_frames),
        "captured_on": {"kernel": platform.release(), "lo_mtu": interface_mtu("lo"),
                        **{name: sysctl(name) for name in SYSCTLS}},
        "tcp_info_of_the_client": seen,
    }
    (out_dir / "01-loopback.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
