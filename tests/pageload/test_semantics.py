"""HTTP semantics on loopback: each step against the RFC sentence it shows."""

import pytest

from netlab.pageload import (
    chunked_exchange,
    conditional_get_rows,
    cors_verdict,
    preflight_rows,
    redirect_rows,
)


def test_conditional_get_304_and_if_none_match_precedence():
    rows = {r.request: r for r in conditional_get_rows()}
    first = rows["GET (no validator)"]
    assert (first.status, first.body_bytes) == (200, 47)
    assert first.last_modified == "Thu, 01 Jan 2026 00:00:00 GMT"
    assert (rows["If-Modified-Since: Last-Modified"].status,
            rows["If-Modified-Since: Last-Modified"].body_bytes) == (304, 0)
    assert rows["If-Modified-Since: one hour earlier"].status == 200
    # RFC 9110 §13.1.3: a recipient MUST ignore If-Modified-Since when If-None-Match is present.
    assert rows["If-Modified-Since + If-None-Match"].status == 200


def test_redirects_307_308_keep_post_and_body():
    rows = {(r.code, r.client): r for r in redirect_rows(b"item=7")}
    for code in (307, 308):
        row = rows[(code, "requests")]
        assert (row.method_at_target, row.body_bytes_at_target) == ("POST", 6)
        # urllib does not re-send a body: it hands the 307/308 to the caller instead.
        assert rows[(code, "urllib")].method_at_target == "-"
        assert rows[(code, "urllib")].outcome.startswith("not followed")
    for code in (301, 302, 303):
        for client in ("requests", "urllib"):
            assert rows[(code, client)].method_at_target == "GET"
            assert rows[(code, client)].body_bytes_at_target == 0


def test_preflight_allowed_and_refused():
    good, bad = preflight_rows(("https://shop.test", "https://evil.test"), "PUT")
    assert (good.status, good.allow_origin, good.vary, good.verdict) == (
        204, "https://shop.test", "Origin", "send")
    assert bad.allow_origin == "(absent)"
    assert bad.verdict.startswith("refuse")


@pytest.mark.parametrize(("args", "expected"), [
    ((204, "*", "PUT", "content-type", "https://a.test", "PUT", ("content-type",), True),
     "refuse: Access-Control-Allow-Origin does not match"),
    ((204, "*", "PUT", "content-type", "https://a.test", "PUT", ("content-type",), False), "send"),
    ((500, "https://a.test", "PUT", "", "https://a.test", "PUT", (), False),
     "refuse: status 500 is not 2xx"),
    ((204, "https://a.test", "GET", "", "https://a.test", "DELETE", (), False),
     "refuse: DELETE not in Access-Control-Allow-Methods"),
    ((204, "https://a.test", "", "", "https://a.test", "POST", ("x-token",), False),
     "refuse: x-token not in Access-Control-Allow-Headers"),
    ((204, "*", "*", "*", "https://a.test", "PUT", ("authorization",), False),
     "refuse: authorization not in Access-Control-Allow-Headers"),
])
def test_cors_verdict_rules(args, expected):
    assert cors_verdict(*args) == expected


def test_chunked_framing_written_by_h11_read_by_http_client():
    x = chunked_exchange((b"<p>one</p>", b"<p>two, longer</p>", b"<p>three</p>"))
    assert "Transfer-Encoding: chunked" in x.header_lines
    assert not any(line.lower().startswith("content-length") for line in x.header_lines)
    assert x.body_lines[:7] == ["a", "<p>one</p>", "12", "<p>two, longer</p>", "c",
                                "<p>three</p>", "0"]
    assert x.decoded == b"<p>one</p><p>two, longer</p><p>three</p>"
    assert [int(s, 16) for s in x.body_lines[0:6:2]] == x.chunk_sizes


def test_bad_arguments_name_the_parameter():
    with pytest.raises(ValueError, match="origins"):
        preflight_rows(())
    with pytest.raises(ValueError, match="chunks"):
        chunked_exchange(())
    with pytest.raises(ValueError, match="body"):
        redirect_rows(b"")
    with pytest.raises(ValueError, match="method"):
        preflight_rows(("https://a.test",), "GET")
