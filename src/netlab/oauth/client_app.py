"""The client: a web application whose backend signs users in with OpenID Connect."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session

from netlab.oauth._http import USER_AGENT_PREFIX, Request, Response, error_response
from netlab.oauth.idtoken import IdTokenError, validate_id_token
from netlab.oauth.models import Clock
from netlab.oauth.pkce import new_code_verifier, random_token

SCOPE = "openid profile email"
COOKIE = "client_sid"
TIMEOUT_S = 5.0


@dataclass
class Session:
    """What the client's backend remembers about one browser (keyed by a cookie)."""

    sid: str
    state: str | None = None
    nonce: str | None = None
    code_verifier: str | None = None
    user: dict[str, Any] | None = None
    tokens: dict[str, Any] = field(default_factory=dict)


class ClientApp:
    """A confidential client: /login, /callback, /me, /profile, /refresh, /logout, /login/*."""

    def __init__(self, *, client_id: str, client_secret: str, provider_url: str,
                 resource_url: str, clock: Clock, rng: random.Random) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.provider_url = provider_url
        self.resource_url = resource_url
        self.clock = clock
        self.rng = rng
        self.base_url = ""  # set once the service knows its port
        self.sessions: dict[str, Session] = {}
        self.naive_access_token_login = False
        self._jwks: dict[str, Any] | None = None

    @property
    def redirect_uri(self) -> str:
        """The one callback URL registered at the provider."""
        return f"{self.base_url}/callback"

    def _oauth(self, token: dict[str, Any] | None = None) -> OAuth2Session:
        session = OAuth2Session(self.client_id, self.client_secret, scope=SCOPE,
                                redirect_uri=self.redirect_uri, token=token,
                                token_endpoint_auth_method="client_secret_basic",
                                code_challenge_method="S256")
        session.headers["User-Agent"] = USER_AGENT_PREFIX + "client"
        return session

    def jwks(self) -> dict[str, Any]:
        """Fetch (once) the provider's public keys over the back channel."""
        if self._jwks is None:
            with self._oauth() as http:
                self._jwks = http.get(f"{self.provider_url}/jwks", timeout=TIMEOUT_S,
                                     withhold_token=True).json()
        return self._jwks

    def _session(self, request: Request) -> Session | None:
        return self.sessions.get(request.cookies.get(COOKIE, ""))

    def handle(self, request: Request) -> Response:
        """Route one HTTP request."""
        routes = {("GET", "/login"): self._login, ("GET", "/callback"): self._callback,
                  ("GET", "/me"): self._me, ("GET", "/profile"): self._profile,
                  ("POST", "/refresh"): self._refresh, ("POST", "/logout"): self._logout,
                  ("POST", "/login/id_token"): self._login_id_token,
                  ("POST", "/login/access_token"): self._login_access_token}
        route = routes.get((request.method, request.path))
        if route is None:
            return error_response(404, "not_found", request.path)
        return route(request)

    def _login(self, request: Request) -> Response:
        session = self._session(request) or Session(random_token(self.rng, 16))
        self.sessions[session.sid] = session
        session.state = random_token(self.rng)
        session.nonce = random_token(self.rng)
        session.code_verifier = new_code_verifier(self.rng)
        with self._oauth() as oauth:
            url, _ = oauth.create_authorization_url(
                f"{self.provider_url}/authorize", state=session.state,
                code_verifier=session.code_verifier, nonce=session.nonce)
        cookie = f"{COOKIE}={session.sid}; HttpOnly; SameSite=Lax; Path=/"
        return Response(302, "", [("Location", url), ("Set-Cookie", cookie)])

    def _callback(self, request: Request) -> Response:
        session = self._session(request)
        query = request.query
        if session is None or session.state is None:
            return error_response(400, "no_pending_login", "this browser started no login")
        if query.get("state") != session.state:  # RFC 6749 §10.12
            return error_response(400, "state_mismatch",
                                  "state does not match the one this browser's session sent")
        session.state = None  # single use
        if "error" in query:
            return error_response(400, query["error"], query.get("error_description", ""))
        verifier, session.code_verifier = session.code_verifier, None
        try:
            with self._oauth() as oauth:
                tokens = oauth.fetch_token(f"{self.provider_url}/token", code=query.get("code"),
                                           code_verifier=verifier, timeout=TIMEOUT_S)
        except OAuthError as error:
            return error_response(400, error.error, error.description or "")
        return self._sign_in(session, dict(tokens))

    def _sign_in(self, session: Session, tokens: dict[str, Any]) -> Response:
        nonce, session.nonce = session.nonce, None
        try:
            claims = validate_id_token(tokens.get("id_token", ""), jwks=self.jwks(),
                                       issuer=self.provider_url, client_id=self.client_id,
                                       nonce=nonce, now=self.clock.now())
        except IdTokenError as error:
            return error_response(400, "invalid_id_token", str(error))
        session.user = claims
        session.tokens = tokens
        return Response(302, "", [("Location", f"{self.base_url}/me")])

    def _me(self, request: Request) -> Response:
        session = self._session(request)
        if session is None or session.user is None:
            return error_response(401, "login_required", "nobody is signed in")
        return Response(200, {"signed_in_as": session.user["sub"],
                              "name": session.user.get("name", "")},
                        summary="signed in as " + session.user["sub"])

    def _profile(self, request: Request) -> Response:
        session = self._session(request)
        if session is None or not session.tokens:
            return error_response(401, "login_required", "nobody is signed in")
        with self._oauth(session.tokens) as oauth:
            reply = oauth.get(f"{self.resource_url}/userinfo", timeout=TIMEOUT_S)
        body = reply.json()
        return Response(reply.status_code, body, summary=body.get("error", "user info"))

    def _refresh(self, request: Request) -> Response:
        session = self._session(request)
        if session is None or "refresh_token" not in session.tokens:
            return error_response(401, "login_required", "no refresh token in this session")
        try:
            with self._oauth(session.tokens) as oauth:
                tokens = oauth.refresh_token(f"{self.provider_url}/token", timeout=TIMEOUT_S)
        except OAuthError as error:
            return error_response(400, error.error, error.description or "")
        session.tokens = dict(tokens)
        return Response(200, {"refreshed": True}, summary="new access + refresh token")

    def _logout(self, request: Request) -> Response:
        session = self._session(request)
        if session is not None:
            if "refresh_token" in session.tokens:  # RFC 7009: revoking it ends the grant
                with self._oauth(session.tokens) as oauth:
                    oauth.revoke_token(f"{self.provider_url}/revoke",
                                       token=session.tokens["refresh_token"],
                                       token_type_hint="refresh_token", timeout=TIMEOUT_S)
            del self.sessions[session.sid]
        return Response(200, {"signed_out": True},
                        [("Set-Cookie", f"{COOKIE}=; Max-Age=0; Path=/")], "session deleted")

    def _login_id_token(self, request: Request) -> Response:
        session = self._session(request)
        if session is None:
            return error_response(400, "no_pending_login", "this browser started no login")
        return self._sign_in(session, {"id_token": request.form.get("id_token", "")})

    def _login_access_token(self, request: Request) -> Response:
        session = self._session(request) or Session(random_token(self.rng, 16))
        if not self.naive_access_token_login:
            return error_response(400, "not_an_id_token", "an access token is not proof of "
                                  "login: it does not say which client it was issued to")
        token = {"access_token": request.form.get("access_token", ""), "token_type": "Bearer"}
        with self._oauth(token) as oauth:
            reply = oauth.get(f"{self.resource_url}/userinfo", timeout=TIMEOUT_S)
        if reply.status_code != 200:
            return error_response(401, "invalid_token", "the resource server refused it")
        self.sessions[session.sid] = session
        session.user = reply.json()
        return Response(200, {"signed_in_as": session.user["sub"]},
                        [("Set-Cookie", f"{COOKIE}={session.sid}; Path=/")],
                        "signed in as " + session.user["sub"])
