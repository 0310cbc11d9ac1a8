"""Three services on loopback (provider, resource server, client) and the flow run end to end."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

from joserfc.jwk import RSAKey

from netlab._check import check_seed
from netlab.oauth._http import Service
from netlab.oauth.browser import Browser, Page
from netlab.oauth.client_app import ClientApp
from netlab.oauth.idtoken import decode_jwt_unverified
from netlab.oauth.models import Clock, User
from netlab.oauth.provider import Provider
from netlab.oauth.resource import ResourceServer
from netlab.oauth.trace import Hop, Trace, sequence_mermaid

CLIENT_ID = "photo-app"
OTHER_CLIENT_ID = "quiz-app"
OTHER_REDIRECT_URI = "http://localhost:9/quiz-callback"  # never contacted: the browser stops
ALICE = User("user-1001", "alice", "correct horse battery staple", "Alice Kim",
             "alice@example.com")
MALLORY = User("user-6666", "mallory", "mallory's own password", "Mallory",
               "mallory@example.net")


@dataclass
class OAuthLab:
    """Everything one run needs: the services, their shared clock and the trace of every hop."""

    trace: Trace
    clock: Clock
    provider: Provider
    resource: ResourceServer
    client: ClientApp
    services: dict[str, Service]
    other_client_secret: str
    browsers: list[Browser] = field(default_factory=list)

    def browser(self, role: str = "browser") -> Browser:
        """Open a new browser (closed with the lab)."""
        browser = Browser(role)
        self.browsers.append(browser)
        return browser

    def url(self, role: str, path: str) -> str:
        """Return the full URL of ``path`` on the service named ``role``."""
        return self.services[role].base_url + path

    def sign_in(self, browser: Browser, user: User, *, stop_at: str = "") -> Page:
        """Click "Sign in" on the client, log in at the provider and allow; follow redirects."""
        page = browser.open(self.url("client", "/login"))
        return browser.consent(page, user.username, user.password, stop_at=stop_at)

    def ports_in_use(self) -> list[int]:
        """Return the ports the services listen on."""
        return sorted(service.port for service in self.services.values())


@contextmanager
def oauth_lab(*, seed: int = 7, signing_key: RSAKey | None = None) -> Iterator[OAuthLab]:
    """Start provider, resource server and client on 127.0.0.1; stop them all on exit."""
    check_seed("seed", seed)
    if signing_key is not None and not isinstance(signing_key, RSAKey):
        raise ValueError(f"signing_key must be a joserfc RSAKey or None, got {signing_key!r}")
    trace, clock = Trace(), Clock()
    provider = Provider(clock=clock, rng=random.Random(seed + 1), signing_key=signing_key)
    provider.add_user(ALICE)
    provider.add_user(MALLORY)
    with ExitStack() as stack:
        services: dict[str, Service] = {}

        def serve(role: str, app: object) -> Service:
            service = Service(role, app.handle, trace).start()  # type: ignore[attr-defined]
            stack.callback(service.close)
            services[role] = service
            return service

        provider.issuer = serve("provider", provider).base_url
        resource = ResourceServer(provider)
        serve("resource", resource)
        client_secret = provider.new_value()
        client = ClientApp(client_id=CLIENT_ID, client_secret=client_secret,
                           provider_url=provider.issuer,
                           resource_url=services["resource"].base_url,
                           clock=clock, rng=random.Random(seed))
        client.base_url = serve("client", client).base_url
        provider.register_client(CLIENT_ID, (client.redirect_uri,), client_secret)
        other_secret = provider.new_value()
        provider.register_client(OTHER_CLIENT_ID, (OTHER_REDIRECT_URI,), other_secret)
        lab = OAuthLab(trace, clock, provider, resource, client, services, other_secret)
        stack.callback(lambda: [b.close() for b in lab.browsers])
        yield lab


@dataclass
class FlowResult:
    """The hops of each step of the happy path, and what the client ended up holding."""

    steps: dict[str, list[Hop]]
    signed_in_as: dict[str, str]
    userinfo: dict[str, str]
    id_token: str
    token_keys: list[str]
    jwks: dict[str, object]
    issuer: str


def run_flow(lab: OAuthLab) -> FlowResult:
    """Sign Alice in, call the API, refresh the tokens and log out, recording each step's hops."""
    browser = lab.browser()
    steps: dict[str, list[Hop]] = {}
    mark = lab.trace.mark()
    page = lab.sign_in(browser, ALICE)
    steps["sign in"] = lab.trace.since(mark)
    session = next(iter(lab.client.sessions.values()))
    id_token = session.tokens["id_token"]
    token_keys = sorted(session.tokens)
    mark = lab.trace.mark()
    profile = browser.open(lab.url("client", "/profile"))
    steps["call the API"] = lab.trace.since(mark)
    mark = lab.trace.mark()
    browser.open(lab.url("client", "/refresh"), data={})
    steps["refresh"] = lab.trace.since(mark)
    mark = lab.trace.mark()
    browser.open(lab.url("client", "/logout"), data={})
    steps["log out"] = lab.trace.since(mark)
    return FlowResult(steps, page.body, profile.body, id_token, token_keys,
                      lab.provider.public_jwks(), lab.provider.issuer)


def id_token_parts(id_token: str) -> tuple[dict[str, object], dict[str, object], int]:
    """Return the ID token's header, claims and signature length (unverified, for display)."""
    return decode_jwt_unverified(id_token)


def flow_sequence_mermaid(seed: int = 7) -> str:
    """Run the sign-in on loopback and return its sequence diagram, drawn from the trace."""
    with oauth_lab(seed=seed) as lab:
        result = run_flow(lab)
        return sequence_mermaid(lab.trace, result.steps["sign in"])
