"""Parameters of a TCP endpoint, with the RFC's values and Linux's as named constants."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import Field

from netlab._validate import public

RFC_MSL_S = 120.0  #: RFC 9293 §3.4.2: MSL is two minutes, so TIME-WAIT lasts four.
LINUX_TIME_WAIT_S = 60.0  #: Linux TCP_TIMEWAIT_LEN: a fixed 60 s, whatever the MSL.
RTO_AFTER_SYN_LOSS_S = 3.0  #: RFC 6298 rule 5.7: the RTO once data flows, if a SYN timed out.
#: Linux >= 6.5 ``net.ipv4.tcp_syn_linear_timeouts`` default: SYN timeouts kept at the initial RTO.
LINUX_SYN_LINEAR_TIMEOUTS = 4

Retries = Annotated[int, Field(ge=0, le=255)]
Mss = Annotated[int, Field(ge=1, le=65495)]
Window = Annotated[int, Field(ge=0, le=2**30)]
TimerSeconds = Annotated[float, Field(gt=0, le=3600)]


@public
@dataclass(frozen=True)
class TcpConfig:
    """Parameters of one endpoint; the defaults are the RFC's values and Linux's retry limits.

    ``fin_ack_delay_s`` holds back the ACK of the peer's FIN (a delayed ACK, RFC 9293
    §3.8.6.3; Linux does this on FIN): if the application closes within that time, the ACK
    rides on our FIN and the close takes three segments instead of four. 0 ACKs at once.

    ``syn_linear_timeouts`` is Linux's ``tcp_syn_linear_timeouts`` (Linux >= 6.5): that many
    SYN timeouts keep the initial RTO instead of doubling it, and they are added to the SYN
    retry budget. 0, the default, is RFC 6298's doubling (rule 5.5). With a value above 0
    the endpoint also gives up on a SYN as Linux does: at the first timer expiry once either
    ``syn_retries + syn_linear_timeouts`` SYNs were resent, or the time that
    ``syn_retries`` doubling timeouts would take has passed (``tcp_write_timeout``).
    """

    mss_bytes: Mss = 1460
    window_bytes: Window = 65535
    msl_s: Annotated[float, Field(ge=0, le=3600)] = RFC_MSL_S
    initial_rto_s: TimerSeconds = 1.0
    max_rto_s: TimerSeconds = 120.0
    syn_retries: Retries = 6
    synack_retries: Retries = 5
    retries: Retries = 15
    fin_ack_delay_s: Annotated[float, Field(ge=0, le=0.5)] = 0.0
    syn_linear_timeouts: Retries = 0

    def __post_init__(self) -> None:
        if self.max_rto_s < self.initial_rto_s:
            raise ValueError(f"max_rto_s must be >= initial_rto_s ({self.initial_rto_s:g}), "
                             f"got {self.max_rto_s:g}")

    @property
    def time_wait_s(self) -> float:
        """How long TIME-WAIT lasts: 2 x MSL."""
        return 2 * self.msl_s

    @property
    def syn_time_budget_s(self) -> float:
        """Linux's elapsed-time limit for SYNs: ``syn_retries + 1`` doubling RTOs, capped.

        The kernel's ``tcp_model_timeout``: the RTO doubles from ``initial_rto_s`` up to
        ``max_rto_s`` and stays there, and the limit is the sum of ``syn_retries + 1``
        such timeouts. Only used when ``syn_linear_timeouts`` is above 0.
        """
        total, rto = 0.0, self.initial_rto_s
        for _ in range(self.syn_retries + 1):
            total += rto
            rto = min(2 * rto, self.max_rto_s)
        return total


#: Linux: TIME_WAIT is a fixed 60 s (modelled as MSL = 30 s) and, since Linux 6.5, the first
#: four SYN timeouts stay at 1 s (``tcp_syn_linear_timeouts = 4``).
LINUX_CONFIG = TcpConfig(msl_s=LINUX_TIME_WAIT_S / 2,
                         syn_linear_timeouts=LINUX_SYN_LINEAR_TIMEOUTS)
