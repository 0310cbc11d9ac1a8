"""The handshake on a lossy path: retransmission timelines and connection-setup time.

The analytic side follows RFC 6298: the first RTO is 1 s (rule 2.1) and doubles on every
expiry (rule 5.5), so SYN attempt k leaves at 1 + 2 + ... + 2**(k-1) = 2**k - 1 seconds.
If only the client-to-server direction loses segments, with probability p each, the client
connects on attempt k with probability p**k (1 - p): the expected setup time follows.
"""

from __future__ import annotations

import math
import random
from typing import Any

from netlab._check import check_choice, check_float, check_int, check_probability, check_seed
from netlab.tables import format_table
from netlab.tcp.connection import Connected, TcpConfig
from netlab.tcp.link import Call, LinkConfig, Trace, sequence_diagram_mermaid, simulate
from netlab.tcp.states import TcpState

#: Which transmission a scenario loses: 0 = the SYN, 1 = the SYN-ACK, 2 = the final ACK.
SCENARIOS = {"none": frozenset(), "SYN": frozenset({0}), "SYN-ACK": frozenset({1}),
             "ACK": frozenset({2})}
_OPEN = (Call(0.0, "server", "listen"), Call(0.0, "client", "connect"))
CLIENT_ISN, SERVER_ISN = 1000, 5000


def _config(config: TcpConfig | None) -> TcpConfig:
    if config is None:
        return TcpConfig()
    if not isinstance(config, TcpConfig):
        raise ValueError(f"config must be a TcpConfig, got {type(config).__name__}")
    return config


def backoff_schedule(retries: int, *, initial_rto_s: float = 1.0,
                     max_rto_s: float = 120.0) -> list[float]:
    """Send times of the first transmission and its ``retries`` retransmissions, from 0."""
    check_int("retries", retries, min_value=0, max_value=255)
    check_float("initial_rto_s", initial_rto_s, min_value=0.0, min_inclusive=False)
    check_float("max_rto_s", max_rto_s, min_value=initial_rto_s)
    times, now, rto = [0.0], 0.0, initial_rto_s
    for _ in range(retries):
        now += rto
        times.append(now)
        rto = min(2 * rto, max_rto_s)
    return times


def give_up_after_s(retries: int, *, initial_rto_s: float = 1.0,
                    max_rto_s: float = 120.0) -> float:
    """Seconds from the first transmission until the endpoint gives up (last RTO expires)."""
    times = backoff_schedule(retries, initial_rto_s=initial_rto_s, max_rto_s=max_rto_s)
    last_rto = min(initial_rto_s * 2**retries, max_rto_s)
    return times[-1] + last_rto


def connect_time_distribution(*, loss: float, rtt_s: float,
                              config: TcpConfig | None = None) -> list[tuple[float, float]]:
    """``(setup time, probability)`` given that the client connects; only SYNs are lost."""
    check_probability("loss", loss)
    check_float("rtt_s", rtt_s, min_value=0.0, min_inclusive=False)
    cfg = _config(config)
    times = backoff_schedule(cfg.syn_retries, initial_rto_s=cfg.initial_rto_s,
                             max_rto_s=cfg.max_rto_s)
    success = 1 - loss ** len(times)
    return [(t + rtt_s, loss**k * (1 - loss) / success) for k, t in enumerate(times)]


def expected_connect_time(*, loss: float, rtt_s: float, config: TcpConfig | None = None) -> float:
    """Mean setup time given that the client connects, when each SYN is lost with ``loss``."""
    return sum(t * p for t, p in connect_time_distribution(loss=loss, rtt_s=rtt_s, config=config))


def connect_time_std(*, loss: float, rtt_s: float, config: TcpConfig | None = None) -> float:
    """Standard deviation of the setup time under the same model."""
    dist = connect_time_distribution(loss=loss, rtt_s=rtt_s, config=config)
    mean = sum(t * p for t, p in dist)
    return math.sqrt(sum(p * (t - mean) ** 2 for t, p in dist))


def handshake_scenario(lost: str, *, rtt_s: float = 0.1,
                       config: TcpConfig | None = None) -> Trace:
    """Run one handshake that loses the ``lost`` segment ("none", "SYN", "SYN-ACK", "ACK")."""
    check_choice("lost", lost, SCENARIOS)
    check_float("rtt_s", rtt_s, min_value=0.0, min_inclusive=False)
    both_up = TcpState.ESTABLISHED

    def done(client: TcpState, server: TcpState) -> bool:
        return client is both_up and server is both_up

    return simulate(_OPEN, client_isn=CLIENT_ISN, server_isn=SERVER_ISN,
                    link=LinkConfig(delay_s=rtt_s / 2, drop=SCENARIOS[lost]),
                    client_config=config, server_config=config, stop_when=done)


def connect_times(*, loss_c2s: float, loss_s2c: float = 0.0, rtt_s: float = 0.1,
                  trials: int = 1000, seed: int = 0,
                  config: TcpConfig | None = None) -> list[float | None]:
    """Client setup time of ``trials`` simulated handshakes (None where the client gave up)."""
    check_probability("loss_c2s", loss_c2s)
    check_probability("loss_s2c", loss_s2c)
    check_float("rtt_s", rtt_s, min_value=0.0, min_inclusive=False)
    check_int("trials", trials, min_value=1, max_value=100_000)
    check_seed("seed", seed)
    rng = random.Random(seed)
    link_args = {"delay_s": rtt_s / 2, "loss_c2s": loss_c2s, "loss_s2c": loss_s2c}

    def client_done(client: TcpState, server: TcpState) -> bool:
        return client is TcpState.ESTABLISHED  # a client that gives up ends the run anyway

    results: list[float | None] = []
    for _ in range(trials):
        trace = simulate(_OPEN, client_isn=CLIENT_ISN, server_isn=SERVER_ISN,
                         link=LinkConfig(**link_args), client_config=config,
                         server_config=config, seed=rng.getrandbits(32),
                         stop_when=client_done)
        results.append(trace.first_time("client", Connected))
    return results


def syn_ack_lost_mermaid() -> str:
    """Sequence diagram of a handshake whose SYN-ACK is lost."""
    return sequence_diagram_mermaid(handshake_scenario("SYN-ACK"))


def final_ack_lost_mermaid() -> str:
    """Sequence diagram of a handshake whose final ACK is lost."""
    return sequence_diagram_mermaid(handshake_scenario("ACK"))


def summarize_connect_times(times: list[float | None], *, loss: float,
                            rtt_s: float = 0.1) -> str:
    """Text summary: outcomes per attempt against the formula, and the two means."""
    check_probability("loss", loss)
    check_float("rtt_s", rtt_s, min_value=0.0, min_inclusive=False)
    if not times:
        raise ValueError("times must be a non-empty list from connect_times")
    ok = [t for t in times if t is not None]
    rows = []
    for time_s, prob in connect_time_distribution(loss=loss, rtt_s=rtt_s):
        count = sum(1 for t in ok if abs(t - time_s) < 1e-9)
        if count or prob * len(times) >= 0.5:
            rows.append((time_s, count, prob * len(ok)))
    lines = [f"loss rate {loss:.2f}, {len(times)} handshakes, {len(times) - len(ok)} gave up",
             format_table(rows, ("setup_s", "count", "expected"), floatfmt=(".2f", "g", ".1f"))]
    mean = sum(ok) / len(ok)
    expected = expected_connect_time(loss=loss, rtt_s=rtt_s)
    tol = 5 * connect_time_std(loss=loss, rtt_s=rtt_s) / math.sqrt(len(ok))
    lines.append(f"mean {mean:.3f} s, formula {expected:.3f} s (tolerance ±{tol:.3f} s)")
    return "\n".join(lines)


def show_connect_times(loss: float, *, trials: int = 2000, seed: int = 0) -> str:
    """Simulate ``trials`` handshakes that lose SYNs at rate ``loss`` and summarize them."""
    times = connect_times(loss_c2s=loss, trials=trials, seed=seed)
    return summarize_connect_times(times, loss=loss)


def plot_mean_connect_time(losses: list[float], means: list[float], *,
                           rtt_s: float = 0.1) -> Any:
    """Matplotlib figure: simulated mean setup time against the formula, per loss rate."""
    import matplotlib.pyplot as plt

    if len(losses) != len(means) or not losses:
        raise ValueError("losses and means must be non-empty lists of the same length")
    fine = [i / 100 for i in range(0, int(max(losses) * 100) + 1)]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(fine, [expected_connect_time(loss=p, rtt_s=rtt_s) for p in fine],
            label="formula (RFC 6298 backoff)")
    ax.plot(losses, means, "o", label="simulated mean")
    ax.set_xlabel("SYN loss rate")
    ax.set_ylabel("connection setup time (s)")
    ax.set_title("Handshake setup time under SYN loss")
    ax.legend()
    fig.tight_layout()
    return fig
