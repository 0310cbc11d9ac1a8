"""Segments per second through an ESTABLISHED pair of netlab.tcp endpoints.

Each round sends one 100-byte data segment from the client to the server and carries the
server's ACK back. The baseline loop builds the same two Segment objects and nothing else;
the ratio says what the state machine costs on top. Run: python tools/bench_tcp.py
"""

from __future__ import annotations

import time

from netlab.tcp import Call, Segment, TcpConnection, simulate

PAYLOAD = b"x" * 100


def established_pair() -> tuple[TcpConnection, TcpConnection]:
    """A client and a server that have completed the handshake."""
    client, server = TcpConnection(isn=1), TcpConnection(isn=2)
    server.listen(now=0.0)
    (syn,), _ = client.connect(now=0.0)
    (syn_ack,), _ = server.receive(syn, now=0.0)
    (ack,), _ = client.receive(syn_ack, now=0.0)
    server.receive(ack, now=0.0)
    return client, server


def machine_rounds(n: int) -> float:
    """Seconds to push ``n`` data segments and their ACKs through the state machines."""
    client, server = established_pair()
    send, receive_s, receive_c = client.send, server.receive, client.receive
    start = time.perf_counter()
    for i in range(n):
        now = i * 1e-6
        for seg in send(PAYLOAD, now=now).segments:
            for ack in receive_s(seg, now=now).segments:
                receive_c(ack, now=now)
    elapsed = time.perf_counter() - start
    assert server.rcv_nxt == (2 + n * len(PAYLOAD)) % 2**32, "not every byte arrived in order"
    return elapsed


def baseline_rounds(n: int) -> float:
    """Seconds to build the same 2n Segment objects in a bare loop."""
    seq, ack = 2, 3
    start = time.perf_counter()
    for _ in range(n):
        Segment(seq, ack, "PA", 65535, PAYLOAD)
        seq = (seq + 100) % 2**32
        Segment(ack, seq, "A", 65535, b"")
    return time.perf_counter() - start


def main() -> None:
    """Print segments per second and the machine/baseline ratio for 10**4 to 10**6 rounds."""
    simulate([Call(0, "server", "listen"), Call(0, "client", "connect")],
             client_isn=1, server_isn=2)  # import and warm up simpy outside the timings
    machine_rounds(10**4)
    baseline_rounds(10**4)
    print(f"{'rounds':>9} {'segments/s':>12} {'baseline/s':>12} {'ratio':>6} {'us/round':>9}")
    per_round = {}
    for n in (10**4, 10**5, 10**6):
        machine, base = float("inf"), float("inf")
        for _ in {10**4: 7, 10**5: 3}.get(n, 2) * [None]:  # interleaved, best of: load is noise
            machine = min(machine, machine_rounds(n))
            base = min(base, baseline_rounds(n))
        per_round[n] = machine / n
        print(f"{n:>9} {2 * n / machine:>12,.0f} {2 * n / base:>12,.0f} "
              f"{machine / base:>6.2f} {1e6 * machine / n:>9.2f}")
    print(f"linearity: time per round at 10^6 / at 10^4 = {per_round[10**6] / per_round[10**4]:.2f}")


if __name__ == "__main__":
    main()
