import pytest

from netlab.transport import Deframer, FramingError, frame


def test_frame_prefixes_big_endian_length():
    assert frame(b"abc") == b"\x00\x00\x00\x03abc"
    assert frame(b"") == b"\x00\x00\x00\x00"


def test_deframer_step_by_step():
    deframer = Deframer()
    wire = frame(b"first") + frame(b"second")
    assert deframer.feed(wire[:3]) == []
    assert deframer.buffered_bytes == 3
    assert deframer.feed(wire[3:9]) == [b"first"]
    assert deframer.buffered_bytes == 0
    assert deframer.feed(wire[9:]) == [b"second"]
    deframer.close()


def test_every_split_point_gives_the_same_messages():
    messages = [b"a", b"", b"bb" * 10, b"ccc"]
    wire = b"".join(frame(m) for m in messages)
    for cut in range(len(wire) + 1):
        deframer = Deframer()
        assert deframer.feed(wire[:cut]) + deframer.feed(wire[cut:]) == messages


def test_stream_ending_inside_a_frame_is_an_error():
    deframer = Deframer()
    deframer.feed(frame(b"hello")[:-1])
    with pytest.raises(FramingError, match="stream ended inside a frame"):
        deframer.close()


def test_oversized_frame_is_refused_before_buffering_it():
    deframer = Deframer(max_message_bytes=10)
    with pytest.raises(FramingError, match="announces 11 bytes"):
        deframer.feed(frame(b"x" * 11))


def test_bad_arguments_name_the_argument():
    with pytest.raises(ValueError, match="frame: message: Input should be a valid bytes"):
        frame("text")
    with pytest.raises(ValueError, match="message: at most max_message_bytes=4"):
        frame(b"hello", max_message_bytes=4)
    with pytest.raises(ValueError, match="max_message_bytes: Input should be greater than or equal to 1"):
        Deframer(max_message_bytes=0)
    with pytest.raises(ValueError, match="feed: chunk: Input should be a valid bytes"):
        Deframer().feed(None)
