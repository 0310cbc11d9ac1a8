"""The facts file's probes read aioquic's real values."""

import pytest

from netlab.quic import probes


def test_transport_parameters_of_aioquic_server():
    assert probes.transport_parameter("initial_max_streams_bidi") == 128
    assert probes.transport_parameter("max_ack_delay") == 25
    assert probes.transport_parameter("no_such_parameter") is None


def test_configuration_defaults_and_constants():
    assert probes.configuration_default("max_datagram_size") == 1200
    assert probes.constant("aioquic.quic.recovery", "K_PACKET_THRESHOLD") == 3
    with pytest.raises(ValueError, match="name: QuicConfiguration has no field"):
        probes.configuration_default("nope")
    with pytest.raises(ValueError, match="module: must be one of"):
        probes.constant("os", "environ")


def test_behaviours():
    assert probes.detects_stateless_reset() is False
    assert probes.has_goaway_api() is False
    assert probes.qpack_setting("max_table_capacity") == 4096
    assert probes.wire("first_datagram") == 1200
    with pytest.raises(ValueError, match="name: must be one of"):
        probes.wire("nothing")
