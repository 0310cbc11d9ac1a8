"""Capacity arithmetic, checked against the worked examples of the documents it comes from."""

import pytest

from netlab.servers import concurrent_connections, event_mpm_max_connections, max_workers_for_ram


def test_event_mpm_examples_of_the_apache_documentation():
    # AsyncRequestWorkerFactor: ThreadsPerChild 10, ServerLimit 4, factor 2
    assert event_mpm_max_connections(threads_per_child=10, server_limit=4,
                                     idle_workers=4) == 72
    assert event_mpm_max_connections(threads_per_child=10, server_limit=4) == 120
    # the defaults, all idle: (2 + 1) x MaxRequestWorkers 400
    assert event_mpm_max_connections() == 3 * 400 == 1200
    assert event_mpm_max_connections(idle_workers=0) == 400
    with pytest.raises(ValueError, match="idle_workers must be <= threads_per_child"):
        event_mpm_max_connections(idle_workers=26)


def test_workers_that_fit_in_ram_and_littles_law():
    assert max_workers_for_ram(ram_bytes=8 * 2**30, per_worker_bytes=40 * 2**20,
                               reserved_bytes=2 * 2**30) == 153
    assert concurrent_connections(arrival_rate_per_s=100, open_s=5.81) == pytest.approx(581)
