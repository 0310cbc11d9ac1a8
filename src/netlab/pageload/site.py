"""The lab's web site: one test CA, the server's TLS contexts, the browser's TLS contexts.

Everything is test-only and in memory (``netlab.testca``). The certificate names
``www.shop.test``, the name the browser checks over TCP, and ``localhost``, the name
``netlab.quic``'s HTTP/3 client checks. The browser trusts only the test root, as a
real browser trusts its root store. The contexts live as long as the :class:`Site`, so the
server's session-ticket keys and the browser's sessions survive from one visit to the
next, which is what makes resumption possible (RFC 8446 §2.2; RFC 5077 for TLS 1.2).
"""

from __future__ import annotations

import ssl
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from netlab._validate import public, result
from netlab.testca import TestCA, make_test_ca

#: The name the browser checks the certificate against.
SERVER_NAME = "www.shop.test"
TLS_VERSIONS = {"1.2": ssl.TLSVersion.TLSv1_2, "1.3": ssl.TLSVersion.TLSv1_3}
ALPN = {"http/1.1": ["http/1.1"], "h2": ["h2", "http/1.1"]}  # what the browser offers


@result
@dataclass
class Site:
    """The site's certificate and TLS state, shared by every visit of one lab run."""

    pki: TestCA = field(repr=False)  # also what netlab.quic's HTTP/3 server takes
    _servers: dict[str, ssl.SSLContext] = field(default_factory=dict, repr=False)
    _browsers: dict[tuple[str, str], ssl.SSLContext] = field(default_factory=dict, repr=False)

    @property
    def trust_pem(self) -> str:
        """The CA certificate the browser trusts, as PEM text."""
        return self.pki.trust_pem

    def server_context(self, tls_version: str) -> ssl.SSLContext:
        """The server's context for one TLS version (its ticket keys stay with it)."""
        if tls_version not in self._servers:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            with tempfile.TemporaryDirectory() as tmp:  # load_cert_chain wants files
                cert, key = Path(tmp, "cert.pem"), Path(tmp, "key.pem")
                cert.write_text(self.pki.chain_pem, encoding="ascii")
                key.write_text(self.pki.server.key_pem, encoding="ascii")
                ctx.load_cert_chain(cert, key)
            ctx.minimum_version = ctx.maximum_version = TLS_VERSIONS[tls_version]
            ctx.set_alpn_protocols(["h2", "http/1.1"])
            self._servers[tls_version] = ctx
        return self._servers[tls_version]

    def browser_context(self, tls_version: str, http: str) -> ssl.SSLContext:
        """The browser's context for one TLS version and HTTP offer (its sessions stay with it)."""
        key = (tls_version, http)
        if key not in self._browsers:
            ctx = ssl.create_default_context(cadata=self.trust_pem)
            ctx.minimum_version = ctx.maximum_version = TLS_VERSIONS[tls_version]
            ctx.set_alpn_protocols(ALPN[http])
            self._browsers[key] = ctx
        return self._browsers[key]


@public
def make_site() -> Site:
    """A new test CA and certificate for the lab's site, and fresh TLS state."""
    return Site(make_test_ca((SERVER_NAME, "localhost"), ip_addresses=("127.0.0.1",),
                             key_type="ecdsa-p256", intermediate=False))
