import time

import pytest

from netlab.servers import HttpSession, app

GET = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"


def test_app_answers_hello_block_and_not_found():
    assert (app("/").status, app("/").body) == (200, b"hello\n")
    assert app("/block", block_s=0.0).body == b"blocked\n"
    assert app("/nope").status == 404


def test_block_really_blocks_for_block_s():
    start = time.monotonic()
    app("/block", block_s=0.05)
    assert time.monotonic() - start >= 0.05


def test_session_waits_for_the_whole_request_then_answers():
    session = HttpSession(server_name="t")
    assert session.feed(GET[:10]) == b""
    assert session.requests_served == 0
    out = session.feed(GET[10:])
    assert out.startswith(b"HTTP/1.1 200 ")
    assert out.endswith(b"\r\n\r\nhello\n")
    assert b"content-length: 6" in out.lower()
    assert session.requests_served == 1
    assert not session.closed


def test_session_keeps_alive_and_answers_pipelined_requests_in_order():
    session = HttpSession(server_name="t")
    out = session.feed(GET + b"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n")
    assert out.count(b"HTTP/1.1 ") == 2
    assert out.index(b"200") < out.index(b"404")
    assert session.requests_served == 2
    assert not session.closed


def test_connection_close_header_ends_the_session_after_the_reply():
    session = HttpSession(server_name="t")
    out = session.feed(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 200 ")
    assert session.closed


def test_peer_close_closes_the_session():
    session = HttpSession(server_name="t")
    session.feed(GET)
    assert session.feed(b"") == b""
    assert session.closed


def test_garbage_gets_400_and_closes():
    session = HttpSession(server_name="t")
    out = session.feed(b"NOT HTTP AT ALL\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 400 ")
    assert session.closed


def test_on_block_brackets_the_blocking_handler():
    calls = []
    session = HttpSession(server_name="t", on_block=calls.append)
    session.feed(GET)
    assert calls == []
    session.feed(b"GET /block HTTP/1.1\r\nHost: x\r\n\r\n")
    assert calls == [True, False]  # started, then finished


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: app("/", block_s=-1), "^app: block_s: .* greater than or equal to 0"),
        (lambda: HttpSession(server_name="t", block_s=11),
         "^HttpSession: block_s: .* less than or equal to 10"),
        (lambda: HttpSession(server_name=3), "^HttpSession: server_name: Input should be a valid string"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()
