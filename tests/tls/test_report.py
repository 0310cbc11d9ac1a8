"""The labs' one-call summaries and the text table."""

import pytest

from netlab.tls import flight_summary, format_table, tamper_report, trust_report


def test_format_table_aligns_and_cuts():
    text = format_table([{"a": 1, "b": "x" * 20}, {"a": 22, "b": "y"}], max_width=10)
    lines = text.splitlines()
    assert lines[0].split() == ["a", "b"] and lines[2].split() == ["1", "xxxxxxx..."]
    assert format_table([]) == "(no rows)"


def test_flight_summary_states_round_trips():
    assert "round trips before the client may send data: 1" in flight_summary("1.3")
    assert "round trips before the client may send data: 2" in flight_summary("1.2")
    assert "(resumed)" in flight_summary("1.3", resume=True)


def test_trust_report_names_the_error():
    assert "verify_code 62" in trust_report("name mismatch")
    assert "handshake completed" in trust_report("ok", "1.2")


def test_tamper_report_only_transcript_secrets_change():
    text = tamper_report(10)
    assert "early secret      yes" in text and "master secret     yes" in text
    assert "c hs traffic      no" in text and "c ap traffic      no" in text


def test_bad_arguments():
    with pytest.raises(ValueError, match="^tamper_report: offset:"):
        tamper_report(196)
    with pytest.raises(ValueError, match="^flight_summary: resume:"):
        flight_summary("1.3", resume="yes")
    with pytest.raises(ValueError, match="^trust_report: case:"):
        trust_report("self-signed")
    with pytest.raises(ValueError, match="^format_table: max_width"):
        format_table([{"a": 1}], max_width=2)
