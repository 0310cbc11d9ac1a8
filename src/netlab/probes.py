"""Probes that read what this machine runs, for the facts files' ``probe`` entries.

A probe is a function of no arguments, or of string arguments given after its name in
the facts file (``netlab.probes:sysctl net.ipv4.tcp_syn_linear_timeouts``). It returns
the value the machine shows, or None where it cannot read it (another OS, a missing
file). Topic packages keep their own probes beside their code; the ones here are shared.
"""

from __future__ import annotations

import ssl
import sys
from pathlib import Path

from netlab._validate import public

__all__ = ["interface_mtu", "openssl_version", "sysctl"]

_PROC_SYS = Path("/proc/sys")


@public
def sysctl(name: str) -> int | str | list[int] | None:
    """A sysctl's current value (``net.ipv4.tcp_fin_timeout``), as int, ints, or text."""
    if not name or "/" in name or ".." in name or not all(name.split(".")):
        raise ValueError(f"name must be a dotted sysctl name such as net.ipv4.tcp_fin_timeout, "
                         f"got {name!r}")
    if not sys.platform.startswith("linux"):
        return None
    path = _PROC_SYS.joinpath(*name.split("."))
    try:
        text = path.read_text(encoding="ascii").strip()
    except OSError:
        return None
    parts = text.split()
    if parts and all(p.lstrip("-").isdigit() for p in parts):
        return int(parts[0]) if len(parts) == 1 else [int(p) for p in parts]
    return text


@public
def interface_mtu(interface: str) -> int | None:
    """The MTU of a network interface (``lo``) as Linux reports it, or None elsewhere."""
    if not interface or "/" in interface or interface.startswith("."):
        raise ValueError(f"interface must be an interface name such as lo, got {interface!r}")
    try:
        return int(Path("/sys/class/net", interface, "mtu").read_text(encoding="ascii"))
    except (OSError, ValueError):
        return None


@public
def openssl_version() -> str:
    """The OpenSSL version Python's ``ssl`` module is linked against, as "3.0.19"."""
    # ssl.OPENSSL_VERSION_INFO reads OpenSSL 3.0.19 as (3, 0, 0, 19, 0): use the text.
    return ssl.OPENSSL_VERSION.split()[1] if ssl.OPENSSL_VERSION.startswith("OpenSSL ") else ""
