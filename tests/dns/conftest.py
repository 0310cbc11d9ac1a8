import pytest

from netlab.dns import loopback_dns


@pytest.fixture
def dns_lab():
    with loopback_dns() as lab:
        yield lab
