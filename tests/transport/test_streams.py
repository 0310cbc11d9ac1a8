import pytest

from netlab.transport import tcp_framed_messages, tcp_stream_reads, udp_datagram_reads
from netlab.transport.streams import MAX_TCP_TOTAL_BYTES

THREE = [b"a" * 100, b"b" * 200, b"c" * 300]


def test_tcp_three_writes_come_back_as_one_read():
    result = tcp_stream_reads(THREE)
    assert result.write_sizes == (100, 200, 300)
    assert result.read_sizes == (600,)
    assert result.data_intact


def test_tcp_reads_follow_the_reader_not_the_writer():
    result = tcp_stream_reads(THREE, read_size_bytes=250)
    assert result.read_sizes == (250, 250, 100)
    assert result.data_intact


def test_udp_keeps_message_boundaries():
    result = udp_datagram_reads(THREE)
    assert result.read_sizes == (100, 200, 300)
    assert result.truncated == (False, False, False)
    assert result.data_intact


def test_udp_read_smaller_than_datagram_truncates_and_discards_the_rest():
    result = udp_datagram_reads([b"x" * 1000, b"y" * 20], read_size_bytes=100)
    assert result.read_sizes == (100, 20)
    assert result.truncated == (True, False)
    assert not result.data_intact


def test_many_datagrams_are_read_in_runs_that_fit_the_receive_buffer():
    # a thousand small datagrams overflow a default UDP receive buffer if sent at once
    result = udp_datagram_reads([b"z"] * 1_000)
    assert result.read_sizes == (1,) * 1_000 and result.data_intact


def test_framing_recovers_messages_from_odd_sized_reads():
    messages = [b"hello", b"x" * 30, b"", b"world!"]
    result = tcp_framed_messages(messages, read_size_bytes=7)
    assert result.messages == tuple(messages)
    assert set(result.read_sizes[:-1]) == {7}
    assert sum(result.read_sizes) == sum(4 + len(m) for m in messages)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: tcp_stream_reads([]), "payloads: Value should have at least 1 item"),
        (lambda: tcp_stream_reads(b"abc"), "payloads: 'bytes' instances are not allowed"),
        (lambda: tcp_stream_reads(["text"]), "payloads[0]: Input should be a valid bytes"),
        (lambda: tcp_stream_reads(THREE, read_size_bytes=0), "read_size_bytes: Input should be"),
        (lambda: tcp_stream_reads([b"x" * MAX_TCP_TOTAL_BYTES] * 2), "payloads: together at most"),
        (lambda: udp_datagram_reads([b"x" * 70_000]), "payloads[0]: Data should have at most 65507"),
        (lambda: udp_datagram_reads(THREE, read_size_bytes=-5), "read_size_bytes: Input should be"),
        (lambda: tcp_framed_messages(THREE, read_size_bytes=1.5), "read_size_bytes: Input should be"),
        (lambda: tcp_framed_messages("abc"), "tcp_framed_messages: messages:"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(call, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("]", r"\]")):
        call()
