"""Each attack on the flow, actually attempted against the lab's services, and who refused it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests
from joserfc.jwk import RSAKey

from netlab._check import check_choice, check_seed
from netlab.oauth.browser import Page
from netlab.oauth.idtoken import tamper_payload
from netlab.oauth.lab import ALICE, CLIENT_ID, MALLORY, OTHER_CLIENT_ID, OAuthLab, oauth_lab
from netlab.oauth.provider import CODE_LIFETIME_S, ID_TOKEN_LIFETIME_S, new_signing_key
from netlab.oauth.trace import Hop

TIMEOUT_S = 5.0


@dataclass(frozen=True)
class AttackResult:
    """One row of the attack table: what was tried, who refused it and with which error."""

    attack: str
    tried: str
    refused_by: str
    error: str
    status: int
    detail: str = ""
    hops: tuple[Hop, ...] = field(default=(), compare=False, repr=False)

    @property
    def refused(self) -> bool:
        """True when some party refused the attempt."""
        return self.refused_by != "nobody"


def _error_of(page: Page) -> str:
    body = page.body if isinstance(page.body, dict) else {}
    error = page.query.get("error") or body.get("error", "")
    if error == "invalid_id_token":  # name the check that failed
        error += f" ({body.get('error_description', '').split(':')[0]})"
    return error or f"HTTP {page.status}"


def _detail_of(page: Page) -> str:
    body = page.body if isinstance(page.body, dict) else {}
    return page.query.get("error_description") or body.get("error_description", "")


def _refusal(attack: str, tried: str, page: Page, refused_by: str) -> AttackResult:
    failed = page.status >= 400 or "error" in page.query
    return AttackResult(attack, tried, refused_by if failed else "nobody",
                        _error_of(page) if failed else "accepted", page.status,
                        _detail_of(page) if failed else "")


def _authorize_url(lab: OAuthLab, **changes: str | None) -> str:
    """The client's real authorization request, with some parameters changed or removed."""
    page = lab.browser("mallory-browser").open(lab.url("client", "/login"), stop_at="/authorize")
    params = dict(parse_qsl(urlsplit(page.url).query))
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    return lab.url("provider", "/authorize?" + urlencode(params))


def _other_app_tokens(lab: OAuthLab) -> dict[str, Any]:
    """Alice signs in to quiz-app (Mallory's app); Mallory's backend redeems the code."""
    params = {"response_type": "code", "client_id": OTHER_CLIENT_ID, "scope": "openid profile",
              "redirect_uri": "http://localhost:9/quiz-callback", "state": "quiz-state-1",
              "nonce": "quiz-nonce-1", "code_challenge_method": "S256",
              "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"}
    browser = lab.browser()
    page = browser.open(lab.url("provider", "/authorize?" + urlencode(params)))
    page = browser.consent(page, ALICE.username, ALICE.password, stop_at="/quiz-callback")
    form = {"grant_type": "authorization_code", "code": page.query["code"],
            "redirect_uri": params["redirect_uri"],
            "code_verifier": "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"}
    reply = requests.post(lab.url("provider", "/token"), data=form, timeout=TIMEOUT_S,
                          auth=(OTHER_CLIENT_ID, lab.other_client_secret),
                          headers={"User-Agent": "netlab/quiz-app"})
    return reply.json()


def _present_id_token(lab: OAuthLab, id_token: str) -> Page:
    """Mallory starts a login at the client, then posts an ID token to it."""
    mallory = lab.browser("mallory-browser")
    mallory.open(lab.url("client", "/login"), stop_at="/authorize")
    return mallory.open(lab.url("client", "/login/id_token"), data={"id_token": id_token})


def state_mismatch(lab: OAuthLab) -> AttackResult:
    """CSRF on the redirect: Alice's browser is made to deliver Mallory's code."""
    mallory = lab.browser("mallory-browser")
    stolen = lab.sign_in(mallory, MALLORY, stop_at="/callback")
    alice = lab.browser()
    alice.open(lab.url("client", "/login"), stop_at="/authorize")
    page = alice.open(stolen.url)
    return _refusal("CSRF on the redirect (state mismatch)",
                    "make Alice's browser open /callback with Mallory's code and state",
                    page, "client")


def pkce_downgrade(lab: OAuthLab) -> AttackResult:
    """An authorization request with the PKCE parameters removed."""
    url = _authorize_url(lab, code_challenge=None, code_challenge_method=None)
    page = lab.browser("mallory-browser").open(url, stop_at="/callback")
    return _refusal("PKCE downgrade", "send /authorize without code_challenge",
                    page, "authorization server (authorization endpoint)")


def redirect_mismatch(lab: OAuthLab) -> AttackResult:
    """A redirect URI that only starts with the registered one."""
    url = _authorize_url(lab, redirect_uri=lab.client.redirect_uri + "/../steal")
    page = lab.browser().open(url)
    return _refusal("redirect URI not matching exactly",
                    "redirect_uri = registered URI + '/../steal'",
                    page, "authorization server (authorization endpoint)")


def code_injection(lab: OAuthLab) -> AttackResult:
    """Mallory injects Alice's intercepted code into her own session (wrong code_verifier)."""
    alice = lab.browser()
    intercepted = lab.sign_in(alice, ALICE, stop_at="/callback")
    mallory = lab.browser("mallory-browser")
    own = mallory.open(lab.url("client", "/login"), stop_at="/authorize")
    state = dict(parse_qsl(urlsplit(own.url).query))["state"]
    page = mallory.open(lab.url("client", "/callback?" + urlencode(
        {"code": intercepted.query["code"], "state": state})))
    return _refusal("code injection (wrong code_verifier)",
                    "redeem Alice's intercepted code through Mallory's own session",
                    page, "authorization server (token endpoint)")


def code_replay(lab: OAuthLab) -> AttackResult:
    """The same code redeemed twice at the token endpoint."""
    alice = lab.browser()
    lab.sign_in(alice, ALICE)
    first = next(h for h in lab.trace.hops if h.path == "/token")
    session = next(iter(lab.client.sessions.values()))
    code, verifier = first.params["code"], first.params["code_verifier"]
    reply = requests.post(lab.url("provider", "/token"), timeout=TIMEOUT_S,
                          data={"grant_type": "authorization_code", "code": code,
                                "redirect_uri": lab.client.redirect_uri,
                                "code_verifier": verifier},
                          auth=(CLIENT_ID, lab.client.client_secret),
                          headers={"User-Agent": "netlab/attacker"})
    revoked = lab.provider.by_access[session.tokens["access_token"]].revoked
    page = Page(reply.url, reply.status_code, reply.json())
    result = _refusal("authorization code replay", "redeem the same code a second time",
                      page, "authorization server (token endpoint)")
    suffix = " (first tokens revoked)" if revoked else ""
    return AttackResult(result.attack, result.tried, result.refused_by, result.error + suffix,
                        result.status, result.detail)


def code_expired(lab: OAuthLab) -> AttackResult:
    """A code redeemed after its lifetime (a leaked code found later)."""
    alice = lab.browser()
    held = lab.sign_in(alice, ALICE, stop_at="/callback")
    lab.clock.advance(CODE_LIFETIME_S + 1)
    page = alice.open(held.url)
    return _refusal("expired authorization code",
                    f"redeem a code {CODE_LIFETIME_S + 1} s after it was issued",
                    page, "authorization server (token endpoint)")


def id_token_wrong_audience(lab: OAuthLab) -> AttackResult:
    """Mallory replays the ID token Alice's login gave her own app, quiz-app."""
    tokens = _other_app_tokens(lab)
    page = _present_id_token(lab, tokens["id_token"])
    return _refusal("ID token for another client (aud)",
                    "present Alice's ID token issued to quiz-app", page, "client")


def id_token_expired(lab: OAuthLab) -> AttackResult:
    """An old ID token of Alice's, presented after it expired."""
    lab.sign_in(lab.browser(), ALICE)
    old = next(iter(lab.client.sessions.values())).tokens["id_token"]
    lab.clock.advance(ID_TOKEN_LIFETIME_S + 1)
    page = _present_id_token(lab, old)
    return _refusal("expired ID token (exp)",
                    f"present Alice's ID token {ID_TOKEN_LIFETIME_S + 1} s later", page, "client")


def id_token_wrong_nonce(lab: OAuthLab) -> AttackResult:
    """A fresh ID token of Alice's, replayed into another browser session."""
    lab.sign_in(lab.browser(), ALICE)
    fresh = next(iter(lab.client.sessions.values())).tokens["id_token"]
    page = _present_id_token(lab, fresh)
    return _refusal("replayed ID token (nonce)",
                    "present Alice's fresh ID token in Mallory's session", page, "client")


def id_token_bad_signature(lab: OAuthLab) -> AttackResult:
    """Mallory's own ID token with sub changed to Alice's, signature kept."""
    mallory = lab.browser("mallory-browser")
    lab.sign_in(mallory, MALLORY)
    own = next(s for s in lab.client.sessions.values() if s.user and s.user["sub"] == MALLORY.sub)
    forged = tamper_payload(own.tokens["id_token"], sub=ALICE.sub, name=ALICE.name)
    page = _present_id_token(lab, forged)
    return _refusal("forged ID token (signature)",
                    "change sub to Alice's in Mallory's own ID token", page, "client")


def access_token_as_login(lab: OAuthLab, *, naive: bool = False) -> AttackResult:
    """Token substitution: Alice's access token for quiz-app, presented as proof of login."""
    tokens = _other_app_tokens(lab)
    lab.client.naive_access_token_login = naive
    page = lab.browser("mallory-browser").open(lab.url("client", "/login/access_token"),
                                               data={"access_token": tokens["access_token"]})
    label = "naive client: " if naive else ""
    result = _refusal(f"{label}access token as proof of login",
                      "present Alice's access token issued to quiz-app", page, "client")
    if naive and not result.refused:
        body = page.body if isinstance(page.body, dict) else {}
        return AttackResult(result.attack, result.tried, "nobody",
                            "signed in as " + str(body.get("signed_in_as")), page.status)
    return result


def refresh_replay(lab: OAuthLab) -> AttackResult:
    """A refresh token used again after the client already rotated it."""
    alice = lab.browser()
    lab.sign_in(alice, ALICE)
    session = next(iter(lab.client.sessions.values()))
    old_refresh = session.tokens["refresh_token"]
    alice.open(lab.url("client", "/refresh"), data={})
    reply = requests.post(lab.url("provider", "/token"), timeout=TIMEOUT_S,
                          data={"grant_type": "refresh_token", "refresh_token": old_refresh},
                          auth=(CLIENT_ID, lab.client.client_secret),
                          headers={"User-Agent": "netlab/attacker"})
    page = Page(reply.url, reply.status_code, reply.json())
    result = _refusal("refresh token replay", "use the refresh token the client already rotated",
                      page, "authorization server (token endpoint)")
    alive = not lab.provider.by_refresh[session.tokens["refresh_token"]].refresh_revoked
    suffix = "" if alive else " (token family revoked)"
    return AttackResult(result.attack, result.tried, result.refused_by, result.error + suffix,
                        result.status, result.detail)


#: Every attack, in the order the chapter discusses them.
ATTACKS: dict[str, Callable[[OAuthLab], AttackResult]] = {
    "state-mismatch": state_mismatch,
    "pkce-downgrade": pkce_downgrade,
    "redirect-mismatch": redirect_mismatch,
    "code-injection": code_injection,
    "code-replay": code_replay,
    "code-expired": code_expired,
    "id-token-audience": id_token_wrong_audience,
    "id-token-expired": id_token_expired,
    "id-token-nonce": id_token_wrong_nonce,
    "id-token-signature": id_token_bad_signature,
    "access-token-as-login": access_token_as_login,
    "access-token-as-login-naive": lambda lab: access_token_as_login(lab, naive=True),
    "refresh-replay": refresh_replay,
}


def run_attack(name: str, *, seed: int = 7, signing_key: RSAKey | None = None) -> AttackResult:
    """Start a fresh lab, attempt the attack ``name`` and return its row."""
    check_choice("name", name, ATTACKS)
    check_seed("seed", seed)
    with oauth_lab(seed=seed, signing_key=signing_key) as lab:
        row = ATTACKS[name](lab)
        return replace(row, detail=lab.trace.alias(row.detail), hops=tuple(lab.trace.hops))


def run_attacks(*, seed: int = 7) -> list[AttackResult]:
    """Attempt every attack, each against fresh services, and return the rows in order."""
    check_seed("seed", seed)
    key = new_signing_key()  # one provider key for all runs: RSA key generation is the slow part
    return [run_attack(name, seed=seed, signing_key=key) for name in ATTACKS]


def format_attacks(rows: list[AttackResult]) -> str:
    """Return the attack table as plain text."""
    header = ("attack", "what the attacker tried", "refused by", "error")
    table = [header, *[(r.attack, r.tried, r.refused_by, r.error) for r in rows]]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
             for row in table]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
