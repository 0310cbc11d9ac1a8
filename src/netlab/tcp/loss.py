"""The handshake on a lossy path: SYN schedules, retransmission timelines and setup time.

Two SYN schedules, both run by :class:`netlab.tcp.TcpConnection` itself:

* RFC 6298 (``TcpConfig()``): the first RTO is 1 s (rule 2.1) and doubles on every expiry
  (rule 5.5), so SYN attempt k leaves at 1 + 2 + ... + 2**(k-1) = 2**k - 1 seconds;
* Linux >= 6.5 (``LINUX_CONFIG``): the first ``tcp_syn_linear_timeouts`` timeouts stay at
  1 s, and the attempt ends on a count or on elapsed time (``tcp_write_timeout``).

:func:`compare_with_kernel` sets both beside a measurement of the real kernel
(:func:`netlab.tcp.kernel.measure_syn_schedule`), which is the check that matters. If only
the client-to-server direction loses segments, with probability p each, the client connects
on attempt k with probability p**k (1 - p): the expected setup time follows. Comparing the
simulated handshakes with that formula is a consistency check, since both rest on the same
assumptions.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field

from netlab._validate import Probability, Seed, check_work, one_of, public, result
from netlab.tables import format_table
from netlab.tcp.config import LINUX_CONFIG, Retries, TimerSeconds
from netlab.tcp.connection import Connected, TcpConfig, TcpConnection
from netlab.tcp.kernel import SynSchedule
from netlab.tcp.link import Call, LinkConfig, Trace, _simulate, sequence_diagram_mermaid
from netlab.tcp.states import TcpState

#: Which transmission a scenario loses: 0 = the SYN, 1 = the SYN-ACK, 2 = the final ACK.
SCENARIOS = {"none": frozenset(), "SYN": frozenset({0}), "SYN-ACK": frozenset({1}),
             "ACK": frozenset({2})}
_OPEN = (Call(0.0, "server", "listen"), Call(0.0, "client", "connect"))
CLIENT_ISN, SERVER_ISN = 1000, 5000
RttSeconds = Annotated[float, Field(gt=0, le=10)]
#: Simulated handshakes a lab call may run (about 0.1 ms each here: ~10 s at the limit).
_MAX_TRIALS = 100_000


@result
@dataclass(frozen=True)
class SynTimeline:
    """When a lone SYN and its retransmissions leave, and when the endpoint gives up."""

    sent_at_s: tuple[float, ...]  #: the first SYN at 0, then each retransmission
    gave_up_s: float  #: when connect() would fail with ETIMEDOUT

    @property
    def resent_at_s(self) -> tuple[float, ...]:
        """The retransmissions only."""
        return self.sent_at_s[1:]


@public
def syn_schedule(config: TcpConfig | None = None) -> SynTimeline:
    """Run a connecting :class:`TcpConnection` whose SYNs all go unanswered."""
    client = TcpConnection(isn=CLIENT_ISN, config=config)
    client.connect(now=0.0)
    sent = [0.0]
    now = 0.0
    while client.state is TcpState.SYN_SENT:
        now = client.timer_deadline() or now
        if client.on_timer(now=now).segments:
            sent.append(now)
    return SynTimeline(tuple(sent), now)


def _whole_seconds(times: Sequence[float]) -> str:
    return ", ".join(f"{t:.0f}" for t in times) or "-"


@public
def schedule_table(syn_retries: Annotated[list[Retries], Field(min_length=1, max_length=8)]
                   ) -> str:
    """Both models' SYN schedules for each retry count: resends and give-up time, seconds."""
    rows = []
    for retries in syn_retries:
        for name, base in (("RFC 6298", TcpConfig()), ("Linux >= 6.5", LINUX_CONFIG)):
            timeline = syn_schedule(_with_retries(base, retries))
            rows.append((retries, name, len(timeline.resent_at_s),
                         _whole_seconds(timeline.resent_at_s), timeline.gave_up_s))
    return format_table(rows, ("syn_retries", "model", "resends", "resent at (s)",
                               "fails at (s)"), floatfmt=".0f")


def _with_retries(base: TcpConfig, retries: int) -> TcpConfig:
    return TcpConfig(msl_s=base.msl_s, syn_retries=retries,
                     syn_linear_timeouts=base.syn_linear_timeouts)


@public
def compare_with_kernel(measured: Annotated[list[SynSchedule], Field(min_length=1,
                                                                      max_length=8)]) -> str:
    """The kernel's measured SYN schedule beside both models, in whole seconds."""
    rows = []
    for run in measured:
        kernel = ([round(t) for t in run.resent_at_s],
                  None if run.failed_after_s is None else round(run.failed_after_s))
        for name, base in (("Linux >= 6.5", LINUX_CONFIG), ("RFC 6298", TcpConfig())):
            model = syn_schedule(_with_retries(base, run.syn_count))
            same = kernel == (list(model.resent_at_s), model.gave_up_s)
            rows.append((run.syn_count, name, _whole_seconds(model.resent_at_s),
                         model.gave_up_s, "same as the kernel" if same else "differs"))
        rows.append((run.syn_count, "kernel (measured)", _whole_seconds(kernel[0]),
                     kernel[1], f"connect(): {run.error or 'still trying'}"))
    return format_table(rows, ("TCP_SYNCNT", "schedule", "resent at (s)", "fails at (s)",
                               "result"), floatfmt=".0f")


@public
def backoff_schedule(retries: Retries, *, initial_rto_s: TimerSeconds = 1.0,
                     max_rto_s: TimerSeconds = 120.0) -> list[float]:
    """RFC 6298: send times of the first transmission and ``retries`` retransmissions."""
    if max_rto_s < initial_rto_s:
        raise ValueError(f"backoff_schedule: max_rto_s: must be >= initial_rto_s "
                         f"({initial_rto_s:g}), got {max_rto_s:g}")
    times, now, rto = [0.0], 0.0, initial_rto_s
    for _ in range(retries):
        now += rto
        times.append(now)
        rto = min(2 * rto, max_rto_s)
    return times


@public
def give_up_after_s(retries: Retries, *, initial_rto_s: TimerSeconds = 1.0,
                    max_rto_s: TimerSeconds = 120.0) -> float:
    """RFC 6298: seconds from the first transmission until the last RTO expires."""
    times = backoff_schedule(retries, initial_rto_s=initial_rto_s, max_rto_s=max_rto_s)
    last_rto = min(initial_rto_s * 2**retries, max_rto_s)
    return times[-1] + last_rto


@public
def connect_time_distribution(*, loss: Probability, rtt_s: RttSeconds,
                              config: TcpConfig | None = None) -> list[tuple[float, float]]:
    """``(setup time, probability)`` given that the client connects; only SYNs are lost.

    The SYN send times are the model's (:func:`syn_schedule`), so the same formula serves
    RFC 6298's schedule and Linux's.
    """
    times = syn_schedule(config).sent_at_s
    success = 1 - loss ** len(times)
    return [(t + rtt_s, loss**k * (1 - loss) / success) for k, t in enumerate(times)]


@public
def expected_connect_time(*, loss: Probability, rtt_s: RttSeconds,
                          config: TcpConfig | None = None) -> float:
    """Mean setup time given that the client connects, when each SYN is lost with ``loss``."""
    return sum(t * p for t, p in connect_time_distribution(loss=loss, rtt_s=rtt_s, config=config))


@public
def connect_time_std(*, loss: Probability, rtt_s: RttSeconds,
                     config: TcpConfig | None = None) -> float:
    """Standard deviation of the setup time under the same model."""
    dist = connect_time_distribution(loss=loss, rtt_s=rtt_s, config=config)
    mean = sum(t * p for t, p in dist)
    return math.sqrt(sum(p * (t - mean) ** 2 for t, p in dist))


@public
def handshake_scenario(lost: Annotated[str, one_of(SCENARIOS)], *, rtt_s: RttSeconds = 0.1,
                       config: TcpConfig | None = None) -> Trace:
    """Run one handshake that loses the ``lost`` segment ("none", "SYN", "SYN-ACK", "ACK")."""
    both_up = TcpState.ESTABLISHED

    def done(client: TcpState, server: TcpState) -> bool:
        return client is both_up and server is both_up

    return _simulate(_OPEN, client_isn=CLIENT_ISN, server_isn=SERVER_ISN,
                     link=LinkConfig(delay_s=rtt_s / 2, drop=SCENARIOS[lost]),
                     client_config=config, server_config=config, seed=0, stop_when=done,
                     until_s=1000.0)


@public
def connect_times(*, loss_c2s: Probability, loss_s2c: Probability = 0.0,
                  rtt_s: RttSeconds = 0.1,
                  trials: Annotated[int, Field(ge=1, le=10**7)] = 1000, seed: Seed = 0,
                  config: TcpConfig | None = None) -> list[float | None]:
    """Client setup time of ``trials`` simulated handshakes (None where the client gave up)."""
    check_work("trials", trials, work=trials, limit=_MAX_TRIALS, unit="simulated handshakes")
    rng = random.Random(seed)
    link = LinkConfig(delay_s=rtt_s / 2, loss_c2s=loss_c2s, loss_s2c=loss_s2c)

    def client_done(client: TcpState, server: TcpState) -> bool:
        return client is TcpState.ESTABLISHED  # a client that gives up ends the run anyway

    results: list[float | None] = []
    for _ in range(trials):
        trace = _simulate(_OPEN, client_isn=CLIENT_ISN, server_isn=SERVER_ISN, link=link,
                          client_config=config, server_config=config,
                          seed=rng.getrandbits(32), stop_when=client_done, until_s=1000.0)
        results.append(trace.first_time("client", Connected))
    return results


@public
def syn_ack_lost_mermaid() -> str:
    """Sequence diagram of a handshake whose SYN-ACK is lost."""
    return sequence_diagram_mermaid(handshake_scenario("SYN-ACK"))


@public
def final_ack_lost_mermaid() -> str:
    """Sequence diagram of a handshake whose final ACK is lost."""
    return sequence_diagram_mermaid(handshake_scenario("ACK"))


@public
def summarize_connect_times(times: Annotated[list[float | None], Field(min_length=1,
                                                                       max_length=10**7)],
                            *, loss: Probability, rtt_s: RttSeconds = 0.1) -> str:
    """Text summary: outcomes per attempt against the formula, and the two means."""
    ok = [t for t in times if t is not None]
    if not ok:
        raise ValueError("summarize_connect_times: times: no handshake connected")
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


@public
def show_connect_times(loss: Probability, *,
                       trials: Annotated[int, Field(ge=1, le=10**7)] = 2000,
                       seed: Seed = 0) -> str:
    """Simulate ``trials`` handshakes that lose SYNs at rate ``loss`` and summarize them."""
    times = connect_times(loss_c2s=loss, trials=trials, seed=seed)
    return summarize_connect_times(times, loss=loss)


@public
def plot_mean_connect_time(losses: Annotated[list[Probability], Field(min_length=1,
                                                                      max_length=100)],
                           means: Annotated[list[Annotated[float, Field(ge=0, le=1000)]],
                                            Field(min_length=1, max_length=100)], *,
                           rtt_s: RttSeconds = 0.1) -> Any:
    """Matplotlib figure: simulated mean setup time against the formula, per loss rate."""
    import matplotlib.pyplot as plt

    if len(losses) != len(means):
        raise ValueError(f"plot_mean_connect_time: means: must have one value per loss rate "
                         f"({len(losses)}), got {len(means)}")
    fine = [i / 100 for i in range(0, int(max(losses) * 100) + 1)]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(fine, [expected_connect_time(loss=p, rtt_s=rtt_s) for p in fine],
            label="formula (RFC 6298 backoff)")
    ax.plot(losses, means, "o", label="simulated mean")
    ax.set_xlabel("SYN loss rate")
    ax.set_ylabel("connection setup time (s)")
    ax.set_title("Handshake setup time under SYN loss (a consistency check)")
    ax.legend()
    fig.tight_layout()
    return fig
