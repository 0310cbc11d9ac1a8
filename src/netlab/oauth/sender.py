"""Sender-constrained access tokens on loopback: DPoP (RFC 9449) and mTLS (RFC 8705).

A backend gets an access token with the client credentials grant (RFC 6749 §4.4), bound
either to its DPoP key (``cnf.jkt``) or to its TLS client certificate
(``cnf["x5t#S256"]``). Mallory steals the token and tries it at the resource server.
Every service speaks HTTPS with a certificate of the course's test CA (``netlab.testca``);
the clients' certificates are self-signed, as RFC 8705 §2.2 allows
(``self_signed_tls_client_auth``). All of them are made fresh for each run.
"""

from __future__ import annotations

import datetime as dt
import random
import ssl
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from netlab._validate import Seed, public, result
from netlab.oauth._http import USER_AGENT_PREFIX, Service
from netlab.oauth.defences import DEFAULT_ON
from netlab.oauth.dpop import DPoPKey
from netlab.oauth.lab import shared_signing_key
from netlab.oauth.models import Clock
from netlab.oauth.provider import Provider
from netlab.oauth.resource import ResourceServer
from netlab.oauth.trace import Trace
from netlab.testca import make_test_ca

TIMEOUT_S = 5.0
BACKEND_ID = "photo-backend"
MALLORY_ID = "quiz-app"


def _self_signed(name: str, folder: Path) -> tuple[Path, Path]:
    """A client's self-signed P-256 certificate (test-only), written as PEM files.

    RFC 8705 §2.2 lets a client register a self-signed certificate; the course's test CA
    (``netlab.testca``) issues server certificates only.
    """
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(start).not_valid_after(start + dt.timedelta(days=3650))
               # its own trust anchor: OpenSSL accepts a self-signed certificate as one only
               # when it may sign (basicConstraints CA)
               .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True))
    cert = builder.sign(key, hashes.SHA256())
    cert_path, key_path = folder / f"{name}.crt", folder / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


@result
@dataclass
class SenderLab:
    """Provider and resource server over HTTPS, and what the two clients hold."""

    provider: Provider
    services: dict[str, Service]
    files: dict[str, tuple[Path, Path]]
    secrets: dict[str, str]
    rng: random.Random

    def url(self, role: str, path: str) -> str:
        """The full URL of ``path`` on the service named ``role``."""
        return self.services[role].base_url + path

    def http(self, client_id: str | None) -> requests.Session:
        """An HTTPS session trusting the test CA's root; with ``client_id``, its certificate."""
        session = requests.Session()
        session.trust_env = False  # REQUESTS_CA_BUNDLE would replace the lab's trust anchor
        session.verify = str(self.files["server"][0])
        if client_id is not None:
            session.cert = tuple(str(p) for p in self.files[client_id])  # type: ignore[assignment]
        session.headers["User-Agent"] = USER_AGENT_PREFIX + (client_id or "client")
        return session

    def token(self, client_id: str, *, dpop: DPoPKey | None = None,
              certificate: bool = False) -> dict[str, Any]:
        """Client credentials grant; with ``dpop`` a DPoP proof, with ``certificate`` mTLS."""
        headers = {}
        if dpop is not None:
            headers["DPoP"] = dpop.proof("POST", self.url("provider", "/token"),
                                         now=self.provider.clock.now())
        with self.http(client_id if certificate else None) as http:
            return http.post(self.url("provider", "/token"), timeout=TIMEOUT_S,
                             data={"grant_type": "client_credentials", "scope": "photos.read"},
                             auth=(client_id, self.secrets[client_id]), headers=headers).json()

    def call(self, token: str, *, scheme: str = "Bearer", dpop: DPoPKey | None = None,
             certificate_of: str | None = None) -> tuple[int, str]:
        """GET /photos with ``token``; return the status and the error, if any."""
        url = self.url("resource", "/photos")
        headers = {"Authorization": f"{scheme} {token}"}
        if dpop is not None:
            headers["DPoP"] = dpop.proof("GET", url, now=self.provider.clock.now(),
                                         access_token=token)
        with self.http(certificate_of) as http:
            reply = http.get(url, headers=headers, timeout=TIMEOUT_S)
        body = reply.json()
        return reply.status_code, body.get("error_description", body.get("error", ""))


@public
@contextmanager
def sender_lab(*, seed: Seed = 7, binding: bool = True) -> Iterator[SenderLab]:
    """Provider and resource server on HTTPS loopback; ``binding=False`` switches off the
    resource server's sender-binding check (and nothing else)."""
    defences = DEFAULT_ON if binding else DEFAULT_ON - {"sender-binding"}
    rng = random.Random(seed)
    provider = Provider(clock=Clock(), rng=random.Random(seed + 1),
                        signing_key=shared_signing_key(), defences=defences)
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="netlab-mtls-")))
        ca = make_test_ca(("localhost",), ip_addresses=("127.0.0.1",))
        files = {"server": (folder / "root.crt", folder / "server.key")}
        files["server"][0].write_text(ca.trust_pem)
        files["server"][1].write_text(ca.server.key_pem)
        (folder / "chain.crt").write_text(ca.chain_pem)
        for client_id in (BACKEND_ID, MALLORY_ID):
            files[client_id] = _self_signed(client_id, folder)
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(folder / "chain.crt", files["server"][1])
        tls.verify_mode = ssl.CERT_OPTIONAL  # a client certificate is asked for, not required
        for client_id in (BACKEND_ID, MALLORY_ID):  # RFC 8705 §2.2: registered certificates
            tls.load_verify_locations(cafile=str(files[client_id][0]))
        trace, services = Trace(), {}
        for role, app in (("provider", provider), ("resource", ResourceServer(provider))):
            service = Service(role, app.handle, trace, tls=tls).start()
            stack.callback(service.close)
            services[role] = service
            if isinstance(app, ResourceServer):
                app.base_url = service.base_url
        provider.issuer = services["provider"].base_url
        secrets = {}
        for client_id in (BACKEND_ID, MALLORY_ID):
            secrets[client_id] = provider.new_value()
            provider.register_client(client_id, (), secrets[client_id], scope="photos.read",
                                     grant_types=("client_credentials",))
        yield SenderLab(provider, services, files, secrets, rng)


def _attempts(lab: SenderLab) -> list[tuple[str, str, int, str]]:
    backend_key, mallory_key = DPoPKey(lab.rng), DPoPKey(lab.rng)
    bearer = lab.token(BACKEND_ID)["access_token"]
    bound = lab.token(BACKEND_ID, dpop=backend_key)
    mtls = lab.token(BACKEND_ID, certificate=True)["access_token"]
    rows = [("bearer token", "the backend itself", *lab.call(bearer)),
            ("bearer token", "Mallory, who stole it", *lab.call(bearer))]
    token = bound["access_token"]
    rows += [("DPoP-bound (" + bound["token_type"] + ")", "the backend, with its key",
              *lab.call(token, scheme="DPoP", dpop=backend_key)),
             ("DPoP-bound", "Mallory, as a Bearer token", *lab.call(token)),
             ("DPoP-bound", "Mallory, with a proof from her own key",
              *lab.call(token, scheme="DPoP", dpop=mallory_key)),
             ("certificate-bound", "the backend, over its mTLS connection",
              *lab.call(mtls, certificate_of=BACKEND_ID)),
             ("certificate-bound", "Mallory, over TLS with her own certificate",
              *lab.call(mtls, certificate_of=MALLORY_ID))]
    return rows


@public
def stolen_token_table(*, seed: Seed = 7) -> list[dict[str, str]]:
    """Each token kind used by its holder and by a thief, with the binding check on and off."""
    with sender_lab(seed=seed) as lab:
        on = _attempts(lab)
    with sender_lab(seed=seed, binding=False) as lab:
        off = _attempts(lab)
    return [{"token": kind, "used by": who, "binding check on": _verdict(s1, e1),
             "binding check off": _verdict(s2, e2)}
            for (kind, who, s1, e1), (_, _, s2, e2) in zip(on, off, strict=True)]


def _verdict(status: int, error: str) -> str:
    return "200 served" if status == 200 else f"{status} refused: {error.split(' (')[0]}"
