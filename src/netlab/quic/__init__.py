"""Chapter 7, HTTP/3 and QUIC: a real exchange on loopback, Initial packet protection, HOL."""

from netlab.quic.clienthello import client_hello_summary, dissect_client_hello
from netlab.quic.diagrams import handshake_mermaid
from netlab.quic.h3 import (
    Event,
    Exchange,
    H3Server,
    HandledRequest,
    Response,
    TicketStore,
    h3_server,
    http3_get,
    localhost_ca,
    packet_types,
    replay_first_flight,
    run_sync,
)
from netlab.quic.hol import (
    HolConfig,
    HolResult,
    PacketEvent,
    compare_hol,
    completion_table,
    plot_completion,
    simulate_hol,
)
from netlab.quic.initial import (
    INITIAL_SALT_V1,
    DecryptedInitial,
    DirectionKeys,
    Frame,
    InitialSecrets,
    crypto_stream,
    decrypt_initial,
    header_protection_mask,
    hkdf_expand_label,
    initial_secrets,
    parse_frames,
)
from netlab.quic.report import (
    amplification_summary,
    format_initial_secrets,
    hol_sweep,
    show_hol,
)
from netlab.quic.samples import RFC9001_CLIENT_INITIAL, RFC9001_DCID, RFC9001_SERVER_INITIAL
from netlab.quic.tcp_tls import TcpTlsExchange, https_over_tcp, tls_messages
from netlab.quic.trace import (
    AmplificationReport,
    amplification,
    datagram_rows,
    first_datagram,
    flights,
    request_before_server,
    round_trips_before_request,
)

__all__ = [
    "INITIAL_SALT_V1", "RFC9001_CLIENT_INITIAL", "RFC9001_DCID", "RFC9001_SERVER_INITIAL",
    "AmplificationReport", "DecryptedInitial", "DirectionKeys", "Event", "Exchange", "Frame",
    "H3Server", "HandledRequest", "HolConfig", "HolResult", "InitialSecrets", "PacketEvent",
    "Response", "TcpTlsExchange", "TicketStore", "amplification",
    "client_hello_summary", "compare_hol", "completion_table", "crypto_stream",
    "datagram_rows", "decrypt_initial", "dissect_client_hello", "first_datagram", "flights",
    "h3_server", "handshake_mermaid", "header_protection_mask", "hkdf_expand_label",
    "http3_get", "https_over_tcp", "initial_secrets", "localhost_ca", "packet_types",
    "parse_frames", "plot_completion", "replay_first_flight", "request_before_server",
    "round_trips_before_request", "simulate_hol", "tls_messages", "amplification_summary",
    "format_initial_secrets", "hol_sweep", "show_hol", "run_sync",
]
