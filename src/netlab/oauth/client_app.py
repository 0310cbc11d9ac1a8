"""The client: a web application whose backend signs users in with OpenID Connect.

Two ways in, as a real "Sign in with Google" site has them:

- the authorization code flow (/login, /callback), with state, PKCE and nonce, which is
  also how the client gets an access token and a refresh token for API calls;
- a Google Identity Services login endpoint (``login_uri``, POST /gsi/login), to which the
  browser posts an ID token (``credential``) with a ``g_csrf_token`` double-submit cookie.

Every check is one of the named defences of ``netlab.oauth.defences``; the set of
defences that are on is given when the lab starts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session

from netlab.oauth._http import USER_AGENT_PREFIX, Request, Response, error_response
from netlab.oauth.browser import Exchange, record
from netlab.oauth.defences import DEFAULT_ON
from netlab.oauth.idtoken import ID_TOKEN_CHECKS, IdTokenError, decode_jwt_unverified, validate_id_token
from netlab.oauth.models import Clock
from netlab.oauth.pkce import new_code_verifier, random_token

SCOPE = "openid profile email photos.read"
COOKIE = "client_sid"
TIMEOUT_S = 5.0
#: The client refetches a JWKS for an unknown kid at most this often (a cache must not
#: let every forged kid trigger a fetch).
JWKS_REFETCH_MIN_S = 300


@dataclass
class IssuerConfig:
    """What the client knows about one authorization server it is registered with."""

    issuer: str
    client_id: str
    client_secret: str
    authorize_url: str = ""
    token_url: str = ""
    jwks_url: str = ""
    introspect_url: str = ""

    def __post_init__(self) -> None:
        self.authorize_url = self.authorize_url or f"{self.issuer}/authorize"
        self.token_url = self.token_url or f"{self.issuer}/token"
        self.jwks_url = self.jwks_url or f"{self.issuer}/jwks"
        self.introspect_url = self.introspect_url or f"{self.issuer}/introspect"


@dataclass
class Session:
    """What the client's backend remembers about one browser (keyed by a cookie)."""

    sid: str
    issuer: str = "provider"
    state: str | None = None
    nonce: str | None = None
    code_verifier: str | None = None
    user: dict[str, Any] | None = None
    tokens: dict[str, Any] = field(default_factory=dict)


@dataclass
class _JwksCache:
    keys: dict[str, Any] | None = None
    fetched_at: int = -JWKS_REFETCH_MIN_S
    fetches: int = 0


class ClientApp:
    """A confidential client: /login, /callback, /me, /profile, /refresh, /logout, /gsi/login."""

    def __init__(self, *, issuers: dict[str, IssuerConfig], resource_url: str, clock: Clock,
                 rng: random.Random, defences: frozenset[str] = DEFAULT_ON,
                 hosted_domain: str | None = None, sid_rng: random.Random | None = None) -> None:
        self.issuers = issuers
        self.resource_url = resource_url
        self.clock = clock
        self.rng = rng
        self.sid_rng = sid_rng or rng  # session ids (kept apart so they leave rng's draws alone)
        self.defences = defences
        self.hosted_domain = hosted_domain  # restrict GIS logins to one Workspace domain
        self.base_url = ""  # set once the service knows its port
        self.sessions: dict[str, Session] = {}
        self.replaced: set[str] = set()  # session ids retired at a sign-in
        self.accounts: dict[str, dict[str, Any]] = {}  # local accounts by sub
        self.back_channel: list[Exchange] = []
        self._jwks: dict[str, _JwksCache] = {}

    @property
    def client_id(self) -> str:
        """The client's id at the main provider."""
        return self.issuers["provider"].client_id

    @property
    def redirect_uri(self) -> str:
        """The one callback URL registered at every provider."""
        return f"{self.base_url}/callback"

    @property
    def skipped_checks(self) -> frozenset[str]:
        """The ID token checks that are switched off."""
        return frozenset(c for c in ID_TOKEN_CHECKS if c not in self.defences)

    def _oauth(self, config: IssuerConfig, token: dict[str, Any] | None = None) -> OAuth2Session:
        session = OAuth2Session(config.client_id, config.client_secret, scope=SCOPE,
                                redirect_uri=self.redirect_uri, token=token,
                                token_endpoint_auth_method="client_secret_basic",
                                code_challenge_method="S256")
        session.headers["User-Agent"] = USER_AGENT_PREFIX + "client"
        session.hooks["response"].append(lambda reply, **_: self.back_channel.append(
            record(reply)))
        return session

    def jwks(self, name: str = "provider", kid: str | None = None) -> dict[str, Any]:
        """The issuer's public keys, cached; refetched when a token names an unknown kid."""
        cache = self._jwks.setdefault(name, _JwksCache())
        known = {k.get("kid") for k in (cache.keys or {}).get("keys", [])}
        now = self.clock.now()
        stale = cache.keys is None or (kid is not None and kid not in known
                                       and now - cache.fetched_at >= JWKS_REFETCH_MIN_S)
        if stale:
            with self._oauth(self.issuers[name]) as http:
                cache.keys = http.get(self.issuers[name].jwks_url, timeout=TIMEOUT_S,
                                      withhold_token=True).json()
            cache.fetched_at, cache.fetches = now, cache.fetches + 1
        return cache.keys or {"keys": []}

    def jwks_fetches(self, name: str = "provider") -> int:
        """How many times the client has fetched this issuer's JWKS."""
        return self._jwks.get(name, _JwksCache()).fetches

    def _session(self, request: Request) -> Session | None:
        return self.sessions.get(request.cookies.get(COOKIE, ""))

    def handle(self, request: Request) -> Response:
        """Route one HTTP request."""
        routes = {("GET", "/login"): self._login, ("GET", "/callback"): self._callback,
                  ("GET", "/me"): self._me, ("GET", "/profile"): self._profile,
                  ("POST", "/refresh"): self._refresh, ("POST", "/logout"): self._logout,
                  ("POST", "/gsi/login"): self._gsi_login,
                  ("POST", "/login/access_token"): self._login_access_token}
        route = routes.get((request.method, request.path))
        if route is None:
            return error_response(404, "not_found", request.path)
        return route(request)

    def _new_session(self) -> Session:
        session = Session(random_token(self.sid_rng, 16))
        self.sessions[session.sid] = session
        return session

    def _authenticated(self, session: Session | None) -> Session:
        """The session that a sign-in ends in: a new id when ``session-rotation`` is on.

        A session id that existed before the login may have been planted by an attacker
        (session fixation, RFC 6265bis §8.4), so a sign-in moves the session's contents to
        a fresh id and retires the old one.
        """
        if session is None:
            return self._new_session()
        if "session-rotation" not in self.defences:
            return session
        fresh = self._new_session()
        fresh.issuer, fresh.tokens = session.issuer, session.tokens
        del self.sessions[session.sid]
        self.replaced.add(session.sid)
        return fresh

    def _cookie(self, session: Session) -> tuple[str, str]:
        return ("Set-Cookie", f"{COOKIE}={session.sid}; HttpOnly; SameSite=Lax; Path=/")

    def _login(self, request: Request) -> Response:
        session = self._session(request) or self._new_session()
        name = request.query.get("issuer", "provider")
        if name not in self.issuers:
            return error_response(400, "unknown_issuer", name)
        config = self.issuers[name]
        session.issuer = name  # RFC 9700 §4.4.2: remember where this login went
        session.state = random_token(self.rng)
        session.nonce = random_token(self.rng) if "nonce" in self.defences else None
        pkce = "pkce" in self.defences
        session.code_verifier = new_code_verifier(self.rng) if pkce else None
        extra: dict[str, str] = {"access_type": "offline"}
        if session.nonce:
            extra["nonce"] = session.nonce
        with self._oauth(config) as oauth:
            if not pkce:
                oauth.code_challenge_method = None
            url, _ = oauth.create_authorization_url(config.authorize_url, state=session.state,
                                                    code_verifier=session.code_verifier, **extra)
        return Response(302, "", [("Location", url), self._cookie(session)])

    def _callback(self, request: Request) -> Response:
        session = self._session(request)
        query = request.query
        if session is None or session.state is None:
            return error_response(400, "no_pending_login", "this browser started no login")
        if "state" in self.defences and query.get("state") != session.state:
            return error_response(400, "state_mismatch",  # RFC 6749 §10.12
                                  "state does not match the one this browser's session sent")
        config = self.issuers[session.issuer]
        if "iss-parameter" in self.defences and query.get("iss") != config.issuer:
            return error_response(400, "issuer_mismatch",  # RFC 9207 §2.4
                                  f"the response comes from {query.get('iss')!r}, this login "
                                  f"went to {config.issuer!r}")
        session.state = None  # single use
        if "error" in query:
            return error_response(400, query["error"], query.get("error_description", ""))
        verifier, session.code_verifier = session.code_verifier, None
        try:
            with self._oauth(config) as oauth:
                tokens = oauth.fetch_token(config.token_url, code=query.get("code"),
                                           code_verifier=verifier, timeout=TIMEOUT_S)
        except OAuthError as error:
            return error_response(400, error.error, error.description or "")
        except ValueError as error:  # a token endpoint that answers something else
            return error_response(502, "bad_token_response", str(error))
        nonce, session.nonce = session.nonce, None
        return self._sign_in(session, dict(tokens), nonce, session.issuer)

    def _check_id_token(self, id_token: str, nonce: str | None, name: str) -> dict[str, Any]:
        config = self.issuers[name]
        try:
            kid = decode_jwt_unverified(id_token)[0].get("kid")
        except ValueError:
            kid = None
        return validate_id_token(id_token, jwks=self.jwks(name, kid), issuer=config.issuer,
                                 client_id=config.client_id, nonce=nonce, now=self.clock.now(),
                                 skip=self.skipped_checks)

    def _sign_in(self, session: Session, tokens: dict[str, Any], nonce: str | None,
                 name: str) -> Response:
        try:
            claims = self._check_id_token(tokens.get("id_token", ""), nonce, name)
        except IdTokenError as error:
            return error_response(400, "invalid_id_token", str(error))
        session = self._authenticated(session)
        session.user = claims
        session.tokens = tokens
        return Response(302, "", [("Location", f"{self.base_url}/me"), self._cookie(session)])

    def _me(self, request: Request) -> Response:
        session = self._session(request)
        if request.cookies.get(COOKIE, "") in self.replaced:
            return error_response(401, "session_replaced", "this session id was replaced at "
                                  "sign-in; a session id from before the login signs nobody in")
        if session is None or session.user is None:
            return error_response(401, "login_required", "nobody is signed in")
        return Response(200, {"signed_in_as": session.user["sub"],
                              "name": session.user.get("name", "")},
                        summary="signed in as " + session.user["sub"])

    def _profile(self, request: Request) -> Response:
        session = self._session(request)
        if session is None or not session.tokens.get("access_token"):
            return error_response(401, "login_required", "nobody is signed in")
        with self._oauth(self.issuers[session.issuer], session.tokens) as oauth:
            reply = oauth.get(f"{self.resource_url}/userinfo", timeout=TIMEOUT_S)
        body = reply.json()
        return Response(reply.status_code, body, summary=body.get("error", "user info"))

    def _refresh(self, request: Request) -> Response:
        session = self._session(request)
        if session is None or "refresh_token" not in session.tokens:
            return error_response(401, "login_required", "no refresh token in this session")
        try:
            with self._oauth(self.issuers[session.issuer], session.tokens) as oauth:
                tokens = oauth.refresh_token(self.issuers[session.issuer].token_url,
                                             timeout=TIMEOUT_S)
        except OAuthError as error:
            return error_response(400, error.error, error.description or "")
        session.tokens = dict(tokens)
        return Response(200, {"refreshed": True}, summary="new access + refresh token")

    def _logout(self, request: Request) -> Response:
        session = self._session(request)
        if session is not None:
            if "refresh_token" in session.tokens:  # RFC 7009: revoking it ends the grant
                config = self.issuers[session.issuer]
                with self._oauth(config, session.tokens) as oauth:
                    oauth.revoke_token(f"{config.issuer}/revoke",
                                       token=session.tokens["refresh_token"],
                                       token_type_hint="refresh_token", timeout=TIMEOUT_S)
            del self.sessions[session.sid]
        return Response(200, {"signed_out": True},
                        [("Set-Cookie", f"{COOKIE}=; Max-Age=0; Path=/")], "session deleted")

    def _gsi_login(self, request: Request) -> Response:
        """Google Identity Services' login_uri: the browser POSTs credential + g_csrf_token."""
        if "g-csrf" in self.defences:
            cookie, field_ = request.cookies.get("g_csrf_token"), request.form.get("g_csrf_token")
            if not cookie or cookie != field_:
                return error_response(400, "csrf_failed", "Failed to verify double submit "
                                      "cookie: the g_csrf_token cookie and field differ")
        try:
            claims = self._check_id_token(request.form.get("credential", ""), None, "provider")
        except IdTokenError as error:
            return error_response(400, "invalid_id_token", str(error))
        if self.hosted_domain and "hd" in self.defences and claims.get("hd") != self.hosted_domain:
            return error_response(403, "wrong_hd", f"hd is {claims.get('hd')!r}, this app "
                                  f"admits only {self.hosted_domain!r}")
        account = self._account_for(claims)
        if account is None:
            return error_response(403, "email_not_verified", "the e-mail address is not "
                                  "verified, so it cannot link to an existing account")
        session = self._authenticated(self._session(request))
        session.user = account
        return Response(302, "", [("Location", f"{self.base_url}/me"), self._cookie(session)])

    def _account_for(self, claims: dict[str, Any]) -> dict[str, Any] | None:
        """The local account: by sub, else linked by a verified e-mail address, else new."""
        if claims["sub"] in self.accounts:
            return self.accounts[claims["sub"]]
        by_email = next((a for a in self.accounts.values()
                         if a.get("email") == claims.get("email")), None)
        if by_email is not None:
            verified = claims.get("email_verified") is True
            if not verified and "email-verified" in self.defences:
                return None
            return by_email  # account linking: this sub now signs in to that account
        account = {"sub": claims["sub"], "email": claims.get("email"),
                   "name": claims.get("name", "")}
        self.accounts[claims["sub"]] = account
        return account

    def _login_access_token(self, request: Request) -> Response:
        """A mobile app's backend handed an access token as "proof" of who the user is."""
        config = self.issuers["provider"]
        token = request.form.get("access_token", "")
        if "introspection" in self.defences:  # RFC 7662: ask who the token was issued to
            with self._oauth(config) as http:
                info = http.post(config.introspect_url, data={"token": token},
                                 auth=(config.client_id, config.client_secret),
                                 timeout=TIMEOUT_S, withhold_token=True).json()
            if not info.get("active") or info.get("client_id") != config.client_id:
                return error_response(401, "token_not_for_this_client",
                                      f"introspection: client_id is {info.get('client_id')!r}, "
                                      f"not {config.client_id!r}")
        with self._oauth(config, {"access_token": token, "token_type": "Bearer"}) as oauth:
            reply = oauth.get(f"{self.resource_url}/userinfo", timeout=TIMEOUT_S)
        if reply.status_code != 200:
            return error_response(401, "invalid_token", "the resource server refused it")
        session = self._authenticated(self._session(request))
        session.user = reply.json()
        return Response(200, {"signed_in_as": session.user["sub"]}, [self._cookie(session)],
                        "signed in as " + session.user["sub"])
