import pytest

from netlab.quic import https_over_tcp, localhost_ca, tls_messages


@pytest.fixture(scope="module")
def pki():
    return localhost_ca()


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
    # the Finished messages follow ChangeCipherSpec and are encrypted
    assert exchange.flights[4][1] == "ClientKeyExchange, ChangeCipherSpec, encrypted"
    assert exchange.flights[5][1] == "NewSessionTicket, ChangeCipherSpec, encrypted"


def test_bad_version_and_bytes_raise():
    with pytest.raises(ValueError, match="tls_version: Input should be '1.2' or '1.3', got '1.1'"):
        https_over_tcp("1.1")
    with pytest.raises(ValueError, match="data: Input should be a valid bytes"):
        tls_messages("hello")
    assert tls_messages(b"") == ""


def test_records_after_change_cipher_spec_are_never_parsed_as_plaintext(pki):
    ccs = bytes.fromhex("140303000101")
    fake_handshake = bytes.fromhex("16030300051000000100")  # looks like a ClientKeyExchange
    assert tls_messages(ccs + fake_handshake) == "ChangeCipherSpec, encrypted"
