"""Baselines for netlab.tls: one valid call of each callable with required parameters."""

from pathlib import Path

from fuzz_harness import Baseline

from netlab.tls import handshake, make_test_ca, rfc8448, rsa_key_transport

_RECORDED = str(Path(__file__).resolve().parents[2] / "labs" / "data" / "03-tls-handshakes.json")
_TRACE = handshake("1.3")
_CA = make_test_ca(key_type="rsa")
_MSGS = list(rfc8448.messages().values())

BASELINES = {
    "attack_recorded_rsa_session": Baseline(args=(rsa_key_transport(_CA.server.key),
                                                  _CA.server.key)),
    "chain_rows": Baseline(args=(_CA,)),
    "check_trust": Baseline(args=("ok",)),
    "client_hello_fields": Baseline(args=(_TRACE,)),
    "derive_secret": Baseline(args=(b"k" * 32, "derived", [])),
    "dissect_flights": Baseline(args=(_TRACE.raw_flights(),)),
    "finished_verify_data": Baseline(args=(b"k" * 32, b"t" * 32)),
    "first_byte_rtts": Baseline(args=("TCP + TLS 1.3",)),
    "format_table": Baseline(args=([{"a": 1, "b": "x"}],)),
    "flights_mermaid": Baseline(args=(_TRACE,)),
    "flights_table": Baseline(args=(_TRACE,)),
    "hello_comparison": Baseline(args=({"live": _TRACE},)),
    "hello_profile": Baseline(args=(_TRACE,)),
    "hkdf_expand_label": Baseline(args=(b"k" * 32, "key", b"", 16)),
    "hkdf_extract": Baseline(args=(b"", b"ikm")),
    "key_schedule": Baseline(args=(b"s" * 32, _MSGS[:2], _MSGS[:6])),
    "load_recorded": Baseline(args=(_RECORDED,)),
    "master_secret_tls12": Baseline(args=(b"p" * 48, b"c" * 32, b"s" * 32)),
    "message_name": Baseline(args=(1,)),
    "offered_cipher_suites": Baseline(args=(_TRACE,)),
    "rsa_key_transport": Baseline(args=(_CA.server.key,)),
    "server_hello_fields": Baseline(args=(_TRACE,)),
    "traffic_key_iv": Baseline(args=(b"k" * 32,)),
    "transcript_hash": Baseline(args=([b"m"],)),
}
