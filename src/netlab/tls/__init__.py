"""TLS and HTTPS: real handshakes taken apart, certificate checks, key exchange, key schedule."""

from netlab.tables import format_table  # the core's table, re-exported for the labs
from netlab.testca import TestCA, chain_rows, make_test_ca  # the core's test CA, likewise
from netlab.tls.dissect import Flight, Record, dissect_flights, message_name
from netlab.tls.handshake import VERSIONS, HandshakeTrace, default_pki, handshake
from netlab.tls.hello import (
    client_hello_fields,
    hello_comparison,
    hello_profile,
    load_recorded,
    offered_cipher_suites,
    server_hello_fields,
)
from netlab.tls.keyexchange import (
    RsaKeyTransport,
    StolenKeyResult,
    X25519Exchange,
    attack_recorded_rsa_session,
    master_secret_tls12,
    record_and_steal,
    rsa_key_transport,
    stolen_key_table,
    x25519_exchange,
)
from netlab.tls.keyschedule import (
    KeySchedule,
    derive_secret,
    finished_verify_data,
    hkdf_expand_label,
    hkdf_extract,
    key_schedule,
    traffic_key_iv,
    transcript_hash,
)
from netlab.tls.report import (
    flight_summary,
    flights_table,
    tamper_report,
    trust_report,
)
from netlab.tls.timeline import (
    STACKS,
    first_byte_rtts,
    first_byte_table,
    flights_mermaid,
    tls12_mermaid,
    tls13_mermaid,
)
from netlab.tls.trust import FAILURES, TrustResult, check_trust, trust_table

__all__ = [
    "FAILURES", "STACKS", "VERSIONS", "Flight", "HandshakeTrace", "KeySchedule", "Record",
    "RsaKeyTransport", "StolenKeyResult", "TestCA", "TrustResult", "X25519Exchange",
    "attack_recorded_rsa_session", "chain_rows", "check_trust", "client_hello_fields",
    "default_pki", "derive_secret", "dissect_flights", "finished_verify_data",
    "first_byte_rtts", "first_byte_table", "flight_summary", "flights_mermaid",
    "flights_table", "format_table", "handshake", "hello_comparison", "hello_profile",
    "hkdf_expand_label", "hkdf_extract", "key_schedule", "load_recorded", "make_test_ca",
    "master_secret_tls12", "message_name", "offered_cipher_suites", "record_and_steal",
    "rsa_key_transport", "server_hello_fields", "stolen_key_table", "tamper_report",
    "tls12_mermaid", "tls13_mermaid", "traffic_key_iv", "transcript_hash", "trust_report",
    "trust_table", "x25519_exchange",
]
