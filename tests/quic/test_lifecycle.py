"""The lifecycle experiments on loopback: each report against what aioquic 1.7 does."""

import asyncio

import pytest

from netlab.quic import (
    close_experiment,
    datagram_rows,
    flow_control_experiment,
    interleaving_experiment,
    key_update_experiment,
    lifecycle_table,
    migration_experiment,
    retry_experiment,
    round_trips_before_request,
    stream_limit_experiment,
    version_experiment,
)


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, 60))


def test_the_129th_stream_waits_for_max_streams():
    report = run(stream_limit_experiment(130))
    assert (report.advertised_max_streams_bidi, report.first_stream_that_waited) == (128, 512)
    assert report.client_sent_streams_blocked and report.server_raised_limit
    assert report.answered == 130


def test_few_streams_never_block():
    report = run(stream_limit_experiment(3))
    assert report.first_stream_that_waited is None and not report.client_sent_streams_blocked


def test_flow_control_limits_double_and_no_blocked_frames():
    report = run(flow_control_experiment(200_000, max_stream_data=16_384, max_data=65_536))
    assert report.stream_limits_announced == (32_768, 65_536, 131_072, 262_144, 524_288)
    assert report.received_bytes == 200_000 and not report.sender_sent_blocked_frames


def test_key_update_without_a_new_handshake():
    report = run(key_update_experiment())
    assert report.client_trigger == "local_update" and report.server_trigger == "remote_update"
    assert report.statuses == (200, 200) and report.client_initial_datagrams == 2


@pytest.mark.parametrize("new_cid", [False, True])
def test_rebinding_and_migration_are_validated(new_cid):
    report = run(migration_experiment(new_connection_id=new_cid))
    assert report.server_sent_path_challenge and report.client_sent_path_response
    assert report.server_used_new_connection_id is new_cid
    assert report.statuses == (200, 200)


def test_retry_costs_a_round_trip():
    exchange = run(retry_experiment())
    assert datagram_rows(exchange)[1][3] == "Retry"
    assert round_trips_before_request(exchange) == 2


def test_unknown_version_is_negotiated_and_v2_works():
    unknown = run(version_experiment("unknown"))
    assert (unknown.server_answer, unknown.used) == ("VersionNegotiation", "QUIC v1 (0x00000001)")
    assert run(version_experiment("v2")).used == "QUIC v2 (0x6b3343cf)"


def test_three_endings():
    closed = run(close_experiment("close"))
    assert closed.server_received == "CONNECTION_CLOSE, application error 0x100"
    idle = run(close_experiment("idle"))
    assert idle.client_learned == "terminated: Idle timeout" and not idle.client_sent_connection_close
    restart = run(close_experiment("server-restart"))
    assert restart.new_server_got_client_packets and restart.new_server_sent_datagrams == 0
    assert restart.request_after_restart_answered is False


def test_aioquic_round_robins_response_data():
    schedule = run(interleaving_experiment(3, 6000))
    assert [ids[0] for ids in schedule[:6]] == [0, 4, 8, 0, 4, 8]
    assert schedule[-1] == (0, 4, 8)


def test_table_and_bad_arguments():
    text = lifecycle_table(run(stream_limit_experiment(1)))
    assert "advertised max streams bidi  128" in text
    with pytest.raises(ValueError, match="requests: Input should be less than or equal to 400"):
        run(stream_limit_experiment(401))
    with pytest.raises(ValueError, match="how: Input should be 'close', 'idle' or 'server-restart'"):
        run(close_experiment("crash"))
