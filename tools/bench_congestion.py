"""Simulated TCP segments per CPU second in netlab.congestion, at three sizes and three senders.

One flow on a 5 ms path with 0.1 % random loss and a receive window of 50 segments (so
about 10,000 segments per second when the window is full), run long enough to send about
10^4, 10^5 and 4·10^5 segments, for Reno with NewReno recovery (``sack=False``), Reno with
SACK, RACK and PRR (the default), and BBR (which also paces and samples delivery rates; its
largest run is 2·10^5 segments, within what one call may take). If the cost per segment
stays flat across sizes, the simulator's cost grows linearly with the number of segments.
Times are CPU seconds of this process, so other work on the machine distorts them less (a
busy machine still slows every run somewhat).
Run: python tools/bench_congestion.py
"""

from __future__ import annotations

import time

from netlab.congestion import simulate

MSS_BYTES = 1460
SEGMENTS_PER_S = 10_000
SENDERS = {"reno, NewReno": (dict(algorithm="reno", sack=False), (10_000, 100_000, 400_000)),
           "reno, SACK": (dict(algorithm="reno"), (10_000, 100_000, 400_000)),
           "bbr": (dict(algorithm="bbr"), (10_000, 50_000, 200_000))}


def run(target_segments: int, **sender: object) -> tuple[int, float]:
    """Simulate about ``target_segments`` segments; return (segments sent, CPU seconds)."""
    start = time.process_time()
    trace = simulate(rtt_s=0.005, loss_rate=0.001, mss_bytes=MSS_BYTES,
                     rcv_buffer_bytes=50 * MSS_BYTES,
                     duration_s=target_segments / SEGMENTS_PER_S, seed=1, **sender)
    elapsed = time.process_time() - start
    assert trace.delivered_in_order, "the receiver lost the byte stream's order"
    return trace.segments_sent, elapsed


def main() -> None:
    """Print one line per sender and size: segments, seconds, segments per second."""
    print(f"{'sender':<14} {'segments':>10} {'cpu s':>8} {'segments/s':>11} {'us/segment':>11}")
    for name, (sender, sizes) in SENDERS.items():
        for target in sizes:
            segments, elapsed = run(target, **sender)
            print(f"{name:<14} {segments:>10} {elapsed:>8.2f} {segments / elapsed:>11.0f} "
                  f"{1e6 * elapsed / segments:>11.2f}")


if __name__ == "__main__":
    main()
