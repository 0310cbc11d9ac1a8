"""Flow control on real loopback sockets: the sender blocks, nothing is lost."""

from __future__ import annotations

import pytest

from netlab.congestion import slow_reader_experiment, small_buffer_pair
from netlab.tcpinfo import tcp_info


def test_a_paused_reader_blocks_the_sender_and_then_gets_everything_in_order() -> None:
    result = slow_reader_experiment(rcvbuf_bytes=16384, sndbuf_bytes=16384,
                                    total_bytes=1_000_000, pause_s=0.3)
    # Only the two small kernel buffers' worth could be written before blocking.
    assert 0 < result.written_before_block < 256 * 1024
    assert result.bytes_received == 1_000_000 and result.in_order
    if result.info_while_blocked is not None:  # Linux: the peer advertised a zero window
        assert result.info_while_blocked.snd_wnd == 0


def test_a_bigger_receive_buffer_lets_more_through_before_blocking() -> None:
    small = slow_reader_experiment(rcvbuf_bytes=8192, sndbuf_bytes=8192,
                                   total_bytes=300_000, pause_s=0.2)
    large = slow_reader_experiment(rcvbuf_bytes=131072, sndbuf_bytes=8192,
                                   total_bytes=300_000, pause_s=0.2)
    assert large.written_before_block > 2 * small.written_before_block
    assert small.in_order and large.in_order


def test_tcp_info_reports_an_open_window_on_a_fresh_connection() -> None:
    with small_buffer_pair(rcvbuf_bytes=65536, sndbuf_bytes=65536) as (sender, _receiver):
        info = tcp_info(sender)
        if info is not None:
            assert info.snd_wnd > 0 and info.probes == 0


def test_bad_arguments_name_themselves() -> None:
    with pytest.raises(ValueError, match="rcvbuf_bytes: Input should be greater than or equal to 1024"):
        slow_reader_experiment(rcvbuf_bytes=10)
    with pytest.raises(ValueError, match="pause_s: Input should be greater than 0"):
        slow_reader_experiment(pause_s=0)
