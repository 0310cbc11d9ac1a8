"""Parameters of a TCP endpoint, with the RFC's values and Linux's as named constants."""

from __future__ import annotations

from dataclasses import dataclass

from netlab._check import check_float, check_int

RFC_MSL_S = 120.0  #: RFC 9293 §3.4.2: MSL is two minutes, so TIME-WAIT lasts four.
LINUX_TIME_WAIT_S = 60.0  #: Linux TCP_TIMEWAIT_LEN: a fixed 60 s, whatever the MSL.
RTO_AFTER_SYN_LOSS_S = 3.0  #: RFC 6298 rule 5.7: the RTO once data flows, if a SYN timed out.


@dataclass(frozen=True)
class TcpConfig:
    """Parameters of one endpoint; the defaults are the RFC's values and Linux's retry limits.

    ``fin_ack_delay_s`` holds back the ACK of the peer's FIN (a delayed ACK, RFC 9293
    §3.8.6.3; Linux does this on FIN): if the application closes within that time, the ACK
    rides on our FIN and the close takes three segments instead of four. 0 ACKs at once.
    """

    mss_bytes: int = 1460
    window_bytes: int = 65535
    msl_s: float = RFC_MSL_S
    initial_rto_s: float = 1.0
    max_rto_s: float = 120.0
    syn_retries: int = 6
    synack_retries: int = 5
    retries: int = 15
    fin_ack_delay_s: float = 0.0

    def __post_init__(self) -> None:
        check_int("mss_bytes", self.mss_bytes, min_value=1, max_value=65495)
        check_int("window_bytes", self.window_bytes, min_value=0, max_value=2**30)
        check_float("msl_s", self.msl_s, min_value=0.0)
        check_float("initial_rto_s", self.initial_rto_s, min_value=0.0, min_inclusive=False)
        check_float("max_rto_s", self.max_rto_s, min_value=self.initial_rto_s)
        check_float("fin_ack_delay_s", self.fin_ack_delay_s, min_value=0.0, max_value=0.5)
        for name in ("syn_retries", "synack_retries", "retries"):
            check_int(name, getattr(self, name), min_value=0, max_value=255)

    @property
    def time_wait_s(self) -> float:
        """How long TIME-WAIT lasts: 2 x MSL."""
        return 2 * self.msl_s


#: Linux: TIME_WAIT is a fixed 60 s, modelled here as MSL = 30 s.
LINUX_CONFIG = TcpConfig(msl_s=LINUX_TIME_WAIT_S / 2)
