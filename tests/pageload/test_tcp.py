"""Visits over TCP + TLS + HTTP, flight by flight."""

import pytest

from netlab.pageload import make_site, parse_alt_svc, visit_over_tcp


@pytest.fixture(scope="module")
def site():
    return make_site()


@pytest.mark.parametrize(("http", "version", "tls_round_trips"), [
    ("http/1.1", "1.3", 1), ("h2", "1.3", 1), ("http/1.1", "1.2", 2), ("h2", "1.2", 2)])
def test_full_handshakes(site, http, version, tls_round_trips):
    visit = visit_over_tcp(site, http=http, tls_version=version, h3_port=8443)
    assert visit.round_trips == {"TCP": 1, "TLS": tls_round_trips, "HTTP": 1}
    assert visit.alpn == http and visit.status == 200 and not visit.session_reused
    assert [a.port for a in parse_alt_svc(visit.alt_svc)] == [8443]
    assert visit.flights[2].what == "ClientHello"
    assert visit.flights[-2].what.endswith("+ HTTP request")
    assert visit.flights[-1].what.endswith("+ HTTP response")


def test_tls12_sends_the_certificate_in_clear_tls13_does_not(site):
    tls12 = visit_over_tcp(site, tls_version="1.2")
    tls13 = visit_over_tcp(site, tls_version="1.3")
    assert tls12.flights[3].what.startswith("ServerHello, Certificate")
    assert "Certificate" not in tls13.flights[3].what


@pytest.mark.parametrize("version", ["1.2", "1.3"])
def test_resumption_reuses_the_session_and_keeps_one_round_trip(site, version):
    first = visit_over_tcp(site, http="h2", tls_version=version)
    again = visit_over_tcp(site, http="h2", tls_version=version, session=first.session)
    assert again.session_reused and again.round_trips["TLS"] == 1


def test_h2_server_preface_is_not_taken_for_a_response(site):
    visit = visit_over_tcp(site, http="h2", tls_version="1.2")
    assert visit.flights[5].what.endswith("HTTP/2 SETTINGS")


def test_bad_arguments_name_themselves(site):
    with pytest.raises(ValueError, match="visit_over_tcp: address"):
        visit_over_tcp(site, "192.0.2.1")
    with pytest.raises(ValueError, match="visit_over_tcp: http"):
        visit_over_tcp(site, http="spdy")
    with pytest.raises(ValueError, match="visit_over_tcp: session"):
        visit_over_tcp(site, session="ticket")


def test_alt_svc_parsing():
    assert parse_alt_svc("clear") == []
    alternatives = parse_alt_svc('h3=":443"; ma=3600, h2="alt.example:8443"')
    assert [(a.protocol, a.host, a.port, a.max_age_s) for a in alternatives] == [
        ("h3", "", 443, 3600), ("h2", "alt.example", 8443, 86400)]
    with pytest.raises(ValueError, match="parse_alt_svc: value"):
        parse_alt_svc("h3=443")
