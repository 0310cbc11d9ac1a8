import asyncio
import socket

import pytest

from netlab.quic import (
    RFC9001_CLIENT_INITIAL,
    Exchange,
    amplification,
    client_hello_summary,
    crypto_stream,
    datagram_rows,
    decrypt_initial,
    first_datagram,
    flights,
    h3_server,
    http3_get,
    packet_types,
    replay_first_flight,
    request_before_server,
    round_trips_before_request,
)


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 30))


async def full_then_resumed(**server_args):
    async with h3_server(**server_args) as server:
        first = await http3_get(server, ["/", "/a", "/b"])
        second = await http3_get(server, ["/again"], ticket=first.ticket, early_data=True)
        return server, first, second


@pytest.fixture(scope="module")
def exchanges():
    return run(full_then_resumed())


def test_alpn_is_h3_and_every_stream_is_answered(exchanges):
    _, first, _ = exchanges
    assert first.alpn == "h3"
    assert [(r.stream_id, r.path, r.status) for r in first.responses] == [
        (0, "/", 200), (4, "/a", 200), (8, "/b", 200)]


def test_several_streams_share_one_connection_and_one_handshake(exchanges):
    server, first, _ = exchanges
    initials = [e for e in first.datagrams if e.role == "client" and "Initial" in e.packets]
    assert len(initials) == 2  # ClientHello, then the flight with the client's Finished
    assert {e.client_port for e in first.events} == {first.events[0].client_port}
    assert [h.path for h in server.handled[:3]] == ["/", "/a", "/b"]


def test_full_handshake_takes_one_round_trip_before_the_request(exchanges):
    _, first, _ = exchanges
    assert round_trips_before_request(first) == 1
    assert not first.session_resumed and not first.early_data_accepted
    assert flights(first)[:3] == [("client", 1, 1200), ("server", 1, 1200), ("client", 1, 1200)]


def test_zero_rtt_request_leaves_before_the_servers_first_packet(exchanges):
    server, _, second = exchanges
    assert second.session_resumed and second.early_data_accepted
    assert round_trips_before_request(second) == 0
    assert request_before_server(second)
    assert first_datagram(second).packets[:2] == ("Initial", "0-RTT")
    assert server.handled[-1].path == "/again" and server.handled[-1].early
    assert not any(h.early for h in server.handled[:3])


def test_client_first_datagram_is_padded_to_1200_bytes(exchanges):
    _, first, second = exchanges
    for exchange in (first, second):
        assert first_datagram(exchange).size_bytes >= 1200
        assert first_datagram(exchange).packets[0] == "Initial"


def test_captured_initial_decrypts_and_offers_h3(exchanges):
    _, first, _ = exchanges
    packet = decrypt_initial(first_datagram(first).data)
    summary = client_hello_summary(crypto_stream(packet.frames))
    assert summary["alpn"] == ["h3"] and summary["server_name"] == ["localhost"]
    assert summary["supported_versions"] == ["TLS 1.3"]  # RFC 9001 §4.2: nothing older


def test_small_certificate_stays_within_the_amplification_limit(exchanges):
    _, first, _ = exchanges
    report = amplification(first)
    assert report.within_limit and report.received_bytes == 1200
    assert report.sent_bytes <= 3 * report.received_bytes


def test_large_certificate_hits_exactly_three_times_and_costs_a_round_trip():
    async def scenario():
        async with h3_server(padding_names=300) as server:
            return server.pki.server.der_size_bytes, await http3_get(server, ["/"])
    cert_bytes, exchange = run(scenario())
    assert cert_bytes > 3 * 1200
    report = amplification(exchange)
    assert (report.received_bytes, report.sent_bytes, report.max_ratio) == (1200, 3600, 3.0)
    assert report.within_limit
    assert round_trips_before_request(exchange) == 2


@pytest.mark.parametrize("single_use, replays_answered", [(False, 1), (True, 0)])
def test_replayed_zero_rtt_flight(single_use, replays_answered):
    async def scenario():
        async with h3_server(single_use_tickets=single_use) as origin:
            first = await http3_get(origin, ["/"])
            second = await http3_get(origin, ["/pay"], ticket=first.ticket, early_data=True)
            assert second.early_data_accepted
            async with h3_server(pki=origin.pki, tickets=origin.tickets) as replica:
                return await replay_first_flight(replica, second)
    handled = run(scenario())
    assert len(handled) == replays_answered
    assert all(h.path == "/pay" and h.early for h in handled)


def test_nothing_is_left_listening():
    async def scenario():
        async with h3_server() as server:
            await http3_get(server, ["/"])
            return server.port
    port = run(scenario())
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", port))  # fails with EADDRINUSE if the server still listens


def test_packet_types_of_the_rfc_sample():
    assert packet_types(RFC9001_CLIENT_INITIAL) == ("Initial",)


def test_bad_arguments_raise():
    async def scenario():
        async with h3_server() as server:
            with pytest.raises(ValueError, match="paths: Value should have at least 1 item"):
                await http3_get(server, [])
            with pytest.raises(ValueError, match=r"paths\[0\]: String should match pattern"):
                await http3_get(server, ["index.html"])
            with pytest.raises(ValueError, match="early_data: needs a ticket"):
                await http3_get(server, ["/"], early_data=True)
            with pytest.raises(ValueError, match="target: Input should be an instance of H3Server"):
                await replay_first_flight("server", Exchange([], None, False, False, []))
    run(scenario())
    with pytest.raises(ValueError, match="body_bytes: Input should be greater than or equal to 1"):
        run(h3_server(body_bytes=0).__aenter__())
    with pytest.raises(ValueError, match="tickets: Input should be an instance of TicketStore"):
        run(h3_server(tickets={}).__aenter__())
    with pytest.raises(ValueError, match="padding_names: Input should be less than or equal to 2000"):
        run(h3_server(padding_names=5000).__aenter__())
    with pytest.raises(ValueError, match="exchange: Input should be an instance of Exchange"):
        round_trips_before_request([])
    with pytest.raises(ValueError, match="exchange: Input should be an instance of Exchange"):
        datagram_rows(None)
