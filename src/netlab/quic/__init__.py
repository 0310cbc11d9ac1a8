"""Chapter 7, HTTP/3 and QUIC: real exchanges on loopback, Initial packet protection, HOL."""

from netlab.quic.clienthello import client_hello_summary, dissect_client_hello
from netlab.quic.diagrams import handshake_mermaid
from netlab.quic.h3 import (
    Event,
    H3Server,
    HandledRequest,
    Response,
    TicketStore,
    h3_server,
    localhost_ca,
    packet_types,
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
from netlab.quic.lifecycle import (
    CloseReport,
    FlowControlReport,
    KeyUpdateReport,
    MigrationReport,
    StreamLimitReport,
    VersionReport,
    close_experiment,
    flow_control_experiment,
    interleaving_experiment,
    key_update_experiment,
    lifecycle_table,
    migration_experiment,
    retry_experiment,
    stream_limit_experiment,
    version_experiment,
)
from netlab.quic.report import (
    amplification_summary,
    format_initial_secrets,
    hol_sweep,
    scheduling_sweep,
    show_hol,
)
from netlab.quic.samples import RFC9001_CLIENT_INITIAL, RFC9001_DCID, RFC9001_SERVER_INITIAL
from netlab.quic.session import (
    Exchange,
    H3Client,
    h3_client,
    http3_get,
    replay_first_flight,
    run_sync,
)
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
    "AmplificationReport", "CloseReport", "DecryptedInitial", "DirectionKeys", "Event",
    "Exchange", "FlowControlReport", "Frame", "H3Client", "H3Server", "HandledRequest",
    "HolConfig", "HolResult", "InitialSecrets", "KeyUpdateReport", "MigrationReport",
    "PacketEvent", "Response", "StreamLimitReport", "TcpTlsExchange", "TicketStore",
    "VersionReport", "amplification", "amplification_summary", "client_hello_summary",
    "close_experiment", "compare_hol", "completion_table", "crypto_stream", "datagram_rows",
    "decrypt_initial", "dissect_client_hello", "first_datagram", "flights",
    "flow_control_experiment", "format_initial_secrets", "h3_client", "h3_server",
    "handshake_mermaid", "header_protection_mask", "hkdf_expand_label", "hol_sweep",
    "http3_get", "https_over_tcp", "initial_secrets", "interleaving_experiment",
    "key_update_experiment",
    "lifecycle_table", "localhost_ca", "migration_experiment", "packet_types", "parse_frames",
    "plot_completion", "replay_first_flight", "request_before_server", "retry_experiment",
    "round_trips_before_request", "run_sync", "scheduling_sweep", "show_hol", "simulate_hol",
    "stream_limit_experiment", "tls_messages", "version_experiment",
]
