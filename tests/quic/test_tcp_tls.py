import pytest

from netlab.quic import https_over_tcp, make_test_pki, tls_messages


@pytest.fixture(scope="module")
def pki():
    return make_test_pki()


def test_tls13_over_tcp_needs_two_round_trips(pki):
    exchange = https_over_tcp("1.3", pki=pki)
    assert exchange.tls_version == "TLSv1.3" and exchange.request_received
    assert exchange.round_trips == 2
    assert [f[0] for f in exchange.flights] == ["client", "server", "client", "server", "client"]
    assert exchange.flights[2][1] == "ClientHello"
    assert exchange.flights[3][1].startswith("ServerHello")


def test_tls12_over_tcp_needs_three_round_trips(pki):
    exchange = https_over_tcp("1.2", pki=pki)
    assert exchange.tls_version == "TLSv1.2" and exchange.request_received
    assert exchange.round_trips == 3
    assert exchange.flights[3][1] == ("ServerHello, Certificate, ServerKeyExchange, "
                                      "ServerHelloDone")


def test_bad_version_and_bytes_raise():
    with pytest.raises(ValueError, match="tls_version must be one of '1.2', '1.3', got '1.1'"):
        https_over_tcp("1.1")
    with pytest.raises(ValueError, match="data must be bytes"):
        tls_messages("hello")
    assert tls_messages(b"") == ""
