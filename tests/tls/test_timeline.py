"""Round trips to the first byte, and diagrams drawn from real traces."""

import pytest

from netlab.tls import STACKS, first_byte_rtts, first_byte_table, flights_mermaid, handshake, tls13_mermaid


def test_request_leaves_after_3_2_1_round_trips():
    request_after = {s.name: s.request_after_rtts for s in STACKS.values()}
    assert request_after["TCP + TLS 1.2"] == 3
    assert request_after["TCP + TLS 1.3"] == 2
    assert request_after["QUIC (HTTP/3)"] == 1
    assert request_after["QUIC 0-RTT"] == 0


def test_model_matches_measured_tls_round_trips():
    assert STACKS["TCP + TLS 1.3"].tls_rtts == handshake("1.3").round_trips
    assert STACKS["TCP + TLS 1.2"].tls_rtts == handshake("1.2").round_trips


def test_first_byte_table_scales_with_rtt():
    rows = {r["stack"]: r for r in first_byte_table(0.1)}
    assert rows["TCP + TLS 1.2"]["time to first byte (s)"] == pytest.approx(0.4)
    assert rows["QUIC (HTTP/3)"]["time to first byte (s)"] == pytest.approx(0.2)
    assert first_byte_rtts("TCP + TLS 1.3") == 3


def test_mermaid_from_real_trace():
    text = tls13_mermaid()
    assert text.startswith("sequenceDiagram")
    assert "C->>S: ClientHello\n" in text  # no sizes: they depend on the OpenSSL
    assert "bytes)" in flights_mermaid(handshake("1.3"), sizes=True)
    assert "{Certificate}" in text and ";" not in text


def test_bad_arguments():
    with pytest.raises(ValueError, match="^first_byte_table: rtt_s:"):
        first_byte_table(0)
    with pytest.raises(ValueError, match="^first_byte_rtts: stack:"):
        first_byte_rtts("SCTP")
