"""connect() on UDP: filtering and ICMP errors, on 127.0.0.1."""

import sys

import pytest

from netlab.transport import udp_receive_filter, udp_to_closed_port

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="error reporting as Linux does it")


def test_unconnected_socket_hears_nothing_from_a_closed_port():
    result = udp_to_closed_port(connected=False)
    assert result.outcome == "nothing (timed out)" and result.icmp is None


def test_connected_socket_gets_econnrefused():
    assert udp_to_closed_port(connected=True).outcome == "ECONNREFUSED"


def test_ip_recverr_reports_to_an_unconnected_socket_with_the_icmp_details():
    result = udp_to_closed_port(connected=False, recverr=True)
    assert result.outcome == "ECONNREFUSED"
    assert result.icmp == "ICMP destination unreachable: port unreachable (errno 111)"


def test_connect_filters_other_senders():
    assert udp_receive_filter(connected=False) == ("from a stranger", "from the peer")
    assert udp_receive_filter(connected=True) == ("from the peer",)


def test_bad_arguments():
    with pytest.raises(ValueError, match="connected: Input should be a valid boolean"):
        udp_to_closed_port(connected=None)
    with pytest.raises(ValueError, match="wait_s: Input should be less than or equal to 5"):
        udp_receive_filter(connected=True, wait_s=1e12)
