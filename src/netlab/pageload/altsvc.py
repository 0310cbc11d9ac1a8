"""Reading an ``Alt-Svc`` field value (RFC 7838 §3): which protocol, on which port, how long.

The grammar is a comma-separated list of ``protocol-id="[host]:port"`` with
``; ma=seconds`` and other parameters; ``clear`` withdraws every alternative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field

from netlab._validate import public, result

_ALTERNATIVE = re.compile(r'^\s*(?P<proto>[!#$%&\'*+.^_`|~0-9A-Za-z-]+)="(?P<host>[^":]*):'
                          r'(?P<port>\d{1,5})"(?P<params>(?:\s*;\s*[a-z]+=[^,;]*)*)\s*$')
DEFAULT_MAX_AGE_S = 86400  # RFC 7838 §3.1: ma defaults to 24 hours


@result
@dataclass(frozen=True)
class Alternative:
    """One alternative service: protocol (ALPN id), host ('' = same host), port, max age."""

    protocol: str
    host: str
    port: int
    max_age_s: int


@public
def parse_alt_svc(value: Annotated[str, Field(max_length=4096)]) -> list[Alternative]:
    """The alternatives an Alt-Svc field value announces; [] for ``clear`` or an empty value."""
    if value.strip() in ("", "clear"):
        return []
    found = []
    for part in value.split(","):
        match = _ALTERNATIVE.match(part)
        if match is None:
            raise ValueError(f"parse_alt_svc: value: {part.strip()!r} is not "
                             f'protocol="host:port" (RFC 7838 §3)')
        params = dict(p.strip().split("=", 1) for p in match["params"].split(";") if "=" in p)
        port = int(match["port"])
        if not 0 < port < 65536:
            raise ValueError(f"parse_alt_svc: value: port {port} is out of range")
        max_age = int(params["ma"]) if params.get("ma", "").isdigit() else DEFAULT_MAX_AGE_S
        found.append(Alternative(match["proto"], match["host"], port, max_age))
    return found
