"""The MSS rule against the kernel's own numbers on loopback."""

import sys

import pytest

from netlab.transport import loopback_mss, mss_for_mtu

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="TCP_INFO is Linux's")


@pytest.mark.parametrize(("mtu", "family", "timestamps", "mss"), [
    (1500, "ipv4", False, 1460),    # Ethernet
    (1500, "ipv4", True, 1448),     # what each segment carries with timestamps on
    (576, "ipv4", False, 536),      # RFC 9293 MUST-15's default
    (1280, "ipv6", False, 1220),    # its IPv6 default
    (65_536, "ipv4", False, 65_495),  # loopback: capped by IPv4's 16-bit Total Length
    (65_536, "ipv6", False, 65_476),  # IPv6's Payload Length excludes its header
    (68, "ipv4", False, 256),       # never below net.ipv4.route.min_adv_mss
])
def test_mss_for_mtu(mtu, family, timestamps, mss):
    assert mss_for_mtu(mtu, family=family, timestamps=timestamps) == mss


@linux
@pytest.mark.parametrize("family", ["ipv4", "ipv6"])
def test_the_kernel_agrees_with_the_rule_on_loopback(family):
    seen = loopback_mss(family=family)
    if seen is None:
        pytest.skip(f"no {family} loopback with TCP_INFO here")
    failed = [name for name, ok in seen.checks().items() if not ok]
    assert not failed, (failed, seen)
    assert seen.maxseg_after_fill >= seen.maxseg_at_start


def test_bad_arguments():
    with pytest.raises(ValueError, match="mtu_bytes: Input should be greater than or equal to 68"):
        mss_for_mtu(60)
    with pytest.raises(ValueError, match="family: Input should be 'ipv4' or 'ipv6'"):
        mss_for_mtu(1500, family="ipx")
