"""Three services on loopback (provider, resource server, client) and the flows run end to end."""

from __future__ import annotations

import random
from collections.abc import Callable, Collection, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Annotated

from joserfc.jwk import RSAKey
from pydantic import Field

from netlab._validate import Seed, public, result
from netlab.oauth._http import Request, Response, Service
from netlab.oauth._types import instance_of
from netlab.oauth.browser import Browser, Exchange, Page
from netlab.oauth.client_app import JWKS_REFETCH_MIN_S, ClientApp, IssuerConfig
from netlab.oauth.defences import DEFAULT_ON, check_defences
from netlab.oauth.models import Clock, User
from netlab.oauth.provider import Provider, new_signing_key
from netlab.oauth.resource import ResourceServer
from netlab.oauth.trace import Hop, Trace, sequence_mermaid

CLIENT_ID = "photo-app"
OTHER_CLIENT_ID = "quiz-app"
OTHER_REDIRECT_URI = "http://localhost:9/quiz-callback"  # never contacted: the browser stops
WORKSPACE_DOMAIN = "example.com"
ALICE = User("user-1001", "alice", "correct horse battery staple", "Alice Kim",
             "alice@example.com", hd=WORKSPACE_DOMAIN)
MALLORY = User("user-6666", "mallory", "mallory's own password", "Mallory",
               "mallory@example.net")
#: Mallory's second account, at a provider that lets anyone claim an address unverified.
MALLORY_UNVERIFIED = User("user-6667", "mallory2", "mallory's other password", "Alice Kim",
                          "alice@example.com", email_verified=False)

Defences = Annotated[Collection[str] | None, Field()]


@result
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
    stack: ExitStack
    browsers: list[Browser] = field(default_factory=list)

    def browser(self, role: str = "browser") -> Browser:
        """Open a new browser (closed with the lab)."""
        browser = Browser(role)
        self.browsers.append(browser)
        return browser

    def url(self, role: str, path: str) -> str:
        """Return the full URL of ``path`` on the service named ``role``."""
        return self.services[role].base_url + path

    def serve(self, role: str, app: Callable[[Request], Response]) -> Service:
        """Start one more service on 127.0.0.1 (an attacker's), stopped with the lab."""
        service = Service(role, app, self.trace).start()
        self.stack.callback(service.close)
        self.services[role] = service
        return service

    def sign_in(self, browser: Browser, user: User, *, stop_at: str = "",
                issuer: str = "provider") -> Page:
        """Click "Sign in" on the client, log in at the provider and allow; follow redirects."""
        page = browser.open(self.url("client", f"/login?issuer={issuer}"))
        return browser.consent(page, user.username, user.password, stop_at=stop_at)

    def gis_credential(self, browser: Browser, user: User, client_id: str = CLIENT_ID) -> str:
        """The browser signs in with the (modelled) Google button and gets a credential."""
        url = self.url("provider", f"/gsi/credential?client_id={client_id}")
        browser.open(url)
        page = browser.open(url, data={"username": user.username, "password": user.password})
        return page.body["credential"]

    def gis_post(self, browser: Browser, credential: str, *, csrf: str = "g-csrf-1",
                 cookie: bool = True) -> Page:
        """What the GIS library does next: set the g_csrf_token cookie, POST to login_uri."""
        if cookie:
            browser.set_cookie(self.url("client", "/"), "g_csrf_token", csrf)
        return browser.open(self.url("client", "/gsi/login"),
                            data={"credential": credential, "g_csrf_token": csrf})

    def ports_in_use(self) -> list[int]:
        """The ports the services listen on."""
        return sorted(service.port for service in self.services.values())

    def signed_in_as(self, browser: Browser) -> str | None:
        """Whom the client thinks this browser is, or None."""
        page = browser.open(self.url("client", "/me"))
        return page.body.get("signed_in_as") if isinstance(page.body, dict) else None


@public
@contextmanager
def oauth_lab(*, seed: Seed = 7, signing_key: RSAKey | None = None, defences: Defences = None,
              hosted_domain: Annotated[str, Field(min_length=1)] | None = None,
              ) -> Iterator[OAuthLab]:
    """Start provider, resource server and client on 127.0.0.1; stop them all on exit.

    ``defences`` is the set of checks that are on (default: ``DEFAULT_ON``);
    ``hosted_domain`` restricts Google-style logins to one Workspace domain (``hd``).
    """
    on = DEFAULT_ON if defences is None else check_defences("defences", defences)
    trace, clock = Trace(), Clock()
    provider = Provider(clock=clock, rng=random.Random(seed + 1), signing_key=signing_key,
                        defences=on)
    for user in (ALICE, MALLORY, MALLORY_UNVERIFIED):
        provider.add_user(user)
    with ExitStack() as stack:
        services: dict[str, Service] = {}

        def serve(role: str, app: Callable[[Request], Response]) -> Service:
            service = Service(role, app, trace).start()
            stack.callback(service.close)
            services[role] = service
            return service

        provider.issuer = serve("provider", provider.handle).base_url
        resource = ResourceServer(provider)
        resource.base_url = serve("resource", resource.handle).base_url
        client_secret = provider.new_value()
        config = IssuerConfig(provider.issuer, CLIENT_ID, client_secret)
        client = ClientApp(issuers={"provider": config}, resource_url=resource.base_url,
                           clock=clock, rng=random.Random(seed), defences=on,
                           hosted_domain=hosted_domain, sid_rng=random.Random(seed + 2))
        client.base_url = serve("client", client.handle).base_url
        provider.register_client(CLIENT_ID, (client.redirect_uri,), client_secret)
        other_secret = provider.new_value()
        provider.register_client(OTHER_CLIENT_ID, (OTHER_REDIRECT_URI,), other_secret)
        lab = OAuthLab(trace, clock, provider, resource, client, services, other_secret, stack)
        stack.callback(lambda: [b.close() for b in lab.browsers])
        client.accounts[ALICE.sub] = {"sub": ALICE.sub, "email": ALICE.email,
                                      "name": ALICE.name}
        yield lab


LabArg = instance_of(OAuthLab)


@result
@dataclass
class FlowResult:
    """The hops of each step of the happy path, and what the client ended up holding."""

    steps: dict[str, list[Hop]]
    signed_in_as: dict[str, str]
    userinfo: dict[str, str]
    id_token: str
    token_keys: list[str]
    token_values: dict[str, str]
    jwks: dict[str, object]
    issuer: str
    browser_traffic: list[Exchange]
    back_channel: list[Exchange]


FlowArg = instance_of(FlowResult)


@public
def run_flow(lab: LabArg) -> FlowResult:
    """Sign Alice in, call the API, refresh the tokens and log out, recording each step's hops."""
    browser = lab.browser()
    steps: dict[str, list[Hop]] = {}
    mark = lab.trace.mark()
    page = lab.sign_in(browser, ALICE)
    steps["sign in"] = lab.trace.since(mark)
    session = next(iter(lab.client.sessions.values()))
    first = dict(session.tokens)
    mark = lab.trace.mark()
    profile = browser.open(lab.url("client", "/profile"))
    steps["call the API"] = lab.trace.since(mark)
    mark = lab.trace.mark()
    browser.open(lab.url("client", "/refresh"), data={})
    steps["refresh"] = lab.trace.since(mark)
    values = {k: str(first[k]) for k in ("access_token", "refresh_token", "id_token")}
    values |= {f"refreshed {k}": str(session.tokens[k]) for k in ("access_token",
                                                                   "refresh_token")}
    mark = lab.trace.mark()
    browser.open(lab.url("client", "/logout"), data={})
    steps["log out"] = lab.trace.since(mark)
    return FlowResult(steps, page.body, profile.body, first["id_token"], sorted(first), values,
                      lab.provider.public_jwks(), lab.provider.issuer, list(browser.traffic),
                      list(lab.client.back_channel))


@public
def token_leaks(flow: FlowArg) -> dict[str, tuple[int, int]]:
    """For each token the client received: in how many browser and back-channel exchanges
    its value appears, searched in the full recorded HTTP text."""
    browser = [e.text() for e in flow.browser_traffic]
    back = [e.text() for e in flow.back_channel]
    return {name: (sum(value in t for t in browser), sum(value in t for t in back))
            for name, value in flow.token_values.items()}


@public
def flow_sequence_mermaid(seed: Seed = 7) -> str:
    """Run the sign-in on loopback and return its sequence diagram, drawn from the trace."""
    with oauth_lab(seed=seed) as lab:
        result = run_flow(lab)
        return sequence_mermaid(lab.trace, result.steps["sign in"])


@public
def gis_sequence_mermaid(seed: Seed = 7) -> str:
    """Run a Google Identity Services style sign-in and return its sequence diagram."""
    with oauth_lab(seed=seed) as lab:
        browser = lab.browser()
        mark = lab.trace.mark()
        credential = lab.gis_credential(browser, ALICE)
        lab.gis_post(browser, credential)
        return sequence_mermaid(lab.trace, lab.trace.since(mark))


_KEY: list[RSAKey] = []


def shared_signing_key() -> RSAKey:
    """One provider key for many short runs: RSA key generation is the slow part."""
    if not _KEY:
        _KEY.append(new_signing_key())
    return _KEY[0]


@public
def jwks_rotation(*, seed: Seed = 7) -> list[dict[str, str]]:
    """Sign Alice in across a key rotation: what the client's JWKS cache does at each step."""
    rows = []
    with oauth_lab(seed=seed, signing_key=shared_signing_key()) as lab:
        client = lab.client

        def attempt(step: str) -> None:
            browser = lab.browser()
            page = lab.sign_in(browser, ALICE)
            error = page.body.get("error_description", "") if isinstance(page.body, dict) else ""
            rows.append({"step": step, "signing kid": lab.provider.signing_key.kid or "",
                         "JWKS fetches so far": str(client.jwks_fetches()),
                         "sign-in": "ok" if lab.signed_in_as(browser) else error.split(":")[0]})

        attempt("first sign-in")
        attempt("second sign-in (cached keys)")
        lab.provider.rotate_key("netlab-op-2")
        attempt("after rotation, within the refetch interval")
        lab.clock.advance(JWKS_REFETCH_MIN_S)
        attempt("after rotation, interval passed: unknown kid, refetch")
    return rows
