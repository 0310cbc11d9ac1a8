"""Probes for chapter 9's facts file: TLS round trips measured on loopback, library defaults."""

from __future__ import annotations

import ssl
from typing import Annotated

import h2.settings
from pydantic import Field

from netlab._validate import public

__all__ = ["h2_initial_window", "openssl_num_tickets", "tls_round_trips"]


@public
def tls_round_trips(version: Annotated[str, Field(pattern=r"^1\.[23]$")] = "1.3",
                    mode: Annotated[str, Field(pattern="^(full|resumed)$")] = "full") -> int:
    """Round trips of a TLS ``version`` handshake on loopback (OpenSSL through ``ssl``)."""
    from netlab.pageload.site import make_site
    from netlab.pageload.tcp import visit_over_tcp

    site = make_site()
    visit = visit_over_tcp(site, http="http/1.1", tls_version=version)
    if mode == "resumed":
        visit = visit_over_tcp(site, http="http/1.1", tls_version=version,
                               session=visit.session)
        if not visit.session_reused:
            raise RuntimeError("the TLS session was not resumed")
    return visit.round_trips["TLS"]


@public
def h2_initial_window() -> int:
    """The initial stream flow-control window h2 assumes before any SETTINGS."""
    return int(h2.settings.Settings()[h2.settings.SettingCodes.INITIAL_WINDOW_SIZE])


@public
def openssl_num_tickets() -> int:
    """How many TLS 1.3 session tickets a new server context sends (OpenSSL's default)."""
    return int(ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER).num_tickets)
