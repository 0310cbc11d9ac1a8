import pytest

from netlab.quic import amplification_summary, format_initial_secrets, hol_sweep, run_sync, show_hol


def test_format_initial_secrets_prints_the_rfc_keys():
    text = format_initial_secrets("8394c8f03e515708")
    assert "client key 1f369613dd76d5467730efcbe3b1a22d" in text
    assert "server hp  c206b8d9b9f0f37644430b490eeaa314" in text


@pytest.mark.parametrize("value, message", [
    ("xyz", "dcid_hex: must be hexadecimal digits"),
    ("", "dcid_hex: must give 1 to 20 bytes, got 0"),
    ("00" * 21, "dcid_hex: String should have at most 40 characters"),
    (b"\x01", "dcid_hex: Input should be a valid string"),
])
def test_format_initial_secrets_bad_input(value, message):
    with pytest.raises(ValueError, match=message):
        format_initial_secrets(value)


def test_amplification_summary_from_a_sync_caller():
    text = amplification_summary(200)
    assert "received 1200 bytes, sent 3600 bytes (ratio 3.00, limit 3)" in text
    assert text.endswith("round trips before the GET could leave: 2")


def test_show_hol_and_sweep():
    # 16 packets at 1 ms, rtt/2 = 20 ms: streams end at 34 and 35 ms, mean 34.5
    assert show_hol(0.0, 2).splitlines()[-1].split()[1:] == ["34.5", "34.5"]
    rows = hol_sweep([0.0, 0.05], streams=4, seeds=3)
    assert rows[0][1] == rows[0][2] and rows[1][2] < rows[1][1]


def test_report_bad_arguments():
    with pytest.raises(ValueError, match="loss_rate: Input should be greater than or equal to 0"):
        show_hol(-0.1)
    with pytest.raises(ValueError, match="padding_names: Input should be greater than or equal to 0"):
        amplification_summary(-1)
    with pytest.raises(ValueError, match="seeds: Input should be greater than or equal to 1"):
        hol_sweep([0.0], seeds=0)
    with pytest.raises(ValueError, match="coro: must be a coroutine, got int"):
        run_sync(3)
