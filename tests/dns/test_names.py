"""Bad names, types and TTLs are refused with the rule they break."""

import pytest

from netlab.dns import make_zones, query_server, resolve
from netlab.dns.names import to_name


@pytest.mark.parametrize(("text", "message"), [
    ("", "must not be empty"),
    ("a" * 64 + ".test", "label of 64 bytes"),
    (".".join(["abcdefghi"] * 26), "more than the 253"),
    ("a..test", "empty label"),
])
def test_bad_names_name_the_rule(text, message):
    with pytest.raises(ValueError, match=message):
        to_name(text)


def test_longest_label_and_name_are_accepted():
    assert len(to_name("a" * 63 + ".test").labels[0]) == 63
    assert to_name(".").to_text() == "."


def test_public_functions_name_the_argument(dns_lab):
    with pytest.raises(ValueError, match=r"resolve: name: .*label of 64 bytes"):
        resolve(dns_lab, "x" * 64 + ".shop.test")
    with pytest.raises(ValueError, match=r"resolve: rdtype: is not a DNS record type"):
        resolve(dns_lab, "www.shop.test", "AXFRR")
    with pytest.raises(ValueError, match=r"query_server: server"):
        query_server(dns_lab, "google", "www.shop.test")
    with pytest.raises(ValueError, match=r"make_zones: www_ttl"):
        make_zones(www_ttl=2**31)
    with pytest.raises(ValueError, match=r"make_zones: www_ttl"):
        make_zones(www_ttl=-1)
