"""Certificate checks fail for the right reason, with OpenSSL's verify codes."""

import pytest

from netlab.tls import FAILURES, check_trust, trust_table

# OpenSSL's X509_V_ERR_* numbers, as Python's ssl reports them.
UNABLE_TO_GET_ISSUER_CERT_LOCALLY = 20
CERT_HAS_EXPIRED = 10
HOSTNAME_MISMATCH = 62


@pytest.mark.parametrize("version", ["1.3", "1.2"])
def test_good_chain_passes(version):
    result = check_trust("ok", version)
    assert result.completed and result.verify_code is None and result.alert is None


@pytest.mark.parametrize("version", ["1.3", "1.2"])
def test_untrusted_issuer(version):
    result = check_trust("untrusted issuer", version)
    assert not result.completed
    assert result.verify_code == UNABLE_TO_GET_ISSUER_CERT_LOCALLY
    assert result.verify_message == "unable to get local issuer certificate"
    assert result.alert == "unknown_ca"


@pytest.mark.parametrize("version", ["1.3", "1.2"])
def test_name_mismatch(version):
    result = check_trust("name mismatch", version)
    assert not result.completed
    assert result.verify_code == HOSTNAME_MISMATCH
    assert "api.example.test" in result.verify_message
    assert result.alert == "bad_certificate"


@pytest.mark.parametrize("version", ["1.3", "1.2"])
def test_expired(version):
    result = check_trust("expired", version)
    assert not result.completed
    assert result.verify_code == CERT_HAS_EXPIRED
    assert result.verify_message == "certificate has expired"
    assert result.alert == "certificate_expired"


def test_failure_ends_with_client_alert_after_server_flight():
    flights = check_trust("expired", "1.3").trace.flights
    assert len(flights) == 3 and flights[-1].messages == ["Alert(certificate_expired)"]


def test_trust_table_covers_every_case():
    rows = trust_table("1.3")
    assert [r["case"] for r in rows] == [c for c in FAILURES if not c.startswith("mtls")]
    assert [r["handshake completed"] for r in rows] == [True, False, False, False]
    assert {r["sent by"] for r in rows[1:]} == {"client"}


@pytest.mark.parametrize(("version", "alert"), [("1.3", "certificate_required"),
                                                ("1.2", "handshake_failure")])
def test_mutual_tls_server_asks_and_refuses_a_client_without_certificate(version, alert):
    ok = check_trust("mtls ok", version)
    assert ok.completed and "CertificateRequest" in ok.trace.flights[1].messages
    assert "Certificate" in ok.trace.flights[2].messages
    assert "CertificateVerify" in ok.trace.flights[2].messages  # proof of the client's key
    refused = check_trust("mtls no certificate", version)
    assert not refused.completed and refused.verify_code is None
    assert (refused.alert, refused.alert_from) == (alert, "server")
    # the client's Certificate message is there, but empty: no CertificateVerify follows
    assert "CertificateVerify" not in refused.trace.flights[2].messages


def test_unknown_case_rejected():
    with pytest.raises(ValueError, match="^check_trust: case:"):
        check_trust("revoked")
