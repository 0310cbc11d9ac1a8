import pytest

from netlab.quic import handshake_mermaid
from netlab.quic.diagrams import quic_vs_tcp_mermaid, zero_rtt_mermaid


def test_round_trips_in_the_diagrams_match_the_measured_ones():
    # client->server arrows before the one that carries the GET = round trips + 1
    for kind, round_trips in [("quic", 1), ("quic-0rtt", 0), ("tcp-tls13", 2), ("tcp-tls12", 3)]:
        arrows = [line for line in handshake_mermaid(kind).splitlines() if "->>" in line]
        request = next(i for i, a in enumerate(arrows) if "GET" in a)
        assert sum(1 for a in arrows[:request] if a.strip().startswith("C->>")) == round_trips


def test_directive_functions_return_mermaid():
    assert quic_vs_tcp_mermaid().startswith("sequenceDiagram")
    assert "0-RTT" in zero_rtt_mermaid()


def test_bad_kind_raises():
    with pytest.raises(ValueError, match="kind: Input should be 'quic'"):
        handshake_mermaid("sctp")


def test_tcp_diagrams_start_with_the_tcp_handshake():
    from netlab.quic.diagrams import tcp_tls12_mermaid, tcp_tls13_mermaid
    for source in (tcp_tls12_mermaid(), tcp_tls13_mermaid()):
        assert "C->>S: SYN" in source and "S->>C: SYN-ACK" in source
