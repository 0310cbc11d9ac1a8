"""The authorization server, also an OpenID Provider, built on Authlib's framework-free core."""

from __future__ import annotations

import random
from typing import Any
from urllib.parse import urlsplit

from authlib.oauth2 import AuthorizationServer, OAuth2Error
from authlib.oauth2.rfc6749 import OAuth2Request
from authlib.oauth2.rfc6749.errors import InvalidGrantError, InvalidRequestError
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant, RefreshTokenGrant
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import OpenIDCode, UserInfo
from joserfc.jwk import KeySet, RSAKey

from netlab._check import check_int
from netlab.oauth._http import Request, Response, error_response
from netlab.oauth.models import AuthCode, Client, Clock, Token, User
from netlab.oauth.pkce import random_token

KEY_ID = "netlab-op-1"
CODE_LIFETIME_S = 600      # RFC 6749 §4.1.2: a maximum of 10 minutes is RECOMMENDED
ACCESS_TOKEN_LIFETIME_S = 3600
ID_TOKEN_LIFETIME_S = 3600


def check_redirect_uri(name: str, value: Any) -> str:
    """Return ``value`` if it is an http URL on 127.0.0.1 or localhost, else raise ValueError."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty URL string, got {value!r}")
    parts = urlsplit(value)
    if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost"):
        raise ValueError(f"{name} must be an http URL on 127.0.0.1 or localhost "
                         f"(everything in the lab stays on loopback), got {value!r}")
    return value


def new_signing_key() -> RSAKey:
    """Return a fresh RSA-2048 key pair for signing ID tokens (RS256)."""
    return RSAKey.generate_key(2048, parameters={"kid": KEY_ID}, private=True)


class _Request(OAuth2Request):
    def __init__(self, request: Request) -> None:
        super().__init__(request.method, request.url, headers=request.headers)
        self._query, self._form = request.query, request.form
        self.payload = BasicOAuth2Payload(request.params)

    @property
    def args(self) -> dict[str, str]:
        return self._query

    @property
    def form(self) -> dict[str, str]:
        return self._form


class _Server(AuthorizationServer):
    def __init__(self, provider: Provider) -> None:
        super().__init__(scopes_supported=["openid", "profile", "email"])
        self.provider = provider

    def query_client(self, client_id: str) -> Client | None:
        return self.provider.clients.get(client_id)

    def save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        self.provider._save_token(token, request)

    def create_oauth2_request(self, request: Any) -> OAuth2Request:
        return request if isinstance(request, OAuth2Request) else _Request(request)

    def handle_response(self, status: int, body: Any, headers: Any) -> Response:
        headers, summary = list(headers), ""
        if isinstance(body, dict):
            summary = "error=" + body["error"] if "error" in body else " ".join(sorted(body))
        return Response(status, body if body else "", headers, summary)

    def send_signal(self, name: str, *args: Any, **kwargs: Any) -> None:
        """Authlib's signals are not used here."""


class _CodeGrant(AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "none"]

    def generate_authorization_code(self) -> str:
        return self.server.provider.new_value()

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        data = request.payload.data
        self.server.provider.codes[code] = AuthCode(
            code, request.client.client_id, request.payload.redirect_uri or "", request.scope,
            request.user, data.get("nonce"), data.get("code_challenge"),
            data.get("code_challenge_method"), self.server.provider.clock.now())

    def query_authorization_code(self, code: str, client: Client) -> AuthCode | None:
        provider = self.server.provider
        item = provider.codes.get(code)
        if item is None or item.client_id != client.client_id:
            return None
        if item.used:  # RFC 6749 §4.1.2: deny, and revoke what the code already produced
            provider.revoke_tokens(item.token_ids)
            raise InvalidGrantError("The authorization code was already used; "
                                    "the tokens issued for it are now revoked.")
        if provider.clock.now() >= item.issued_at + item.expires_in:
            raise InvalidGrantError("The authorization code has expired.")
        return item

    def delete_authorization_code(self, authorization_code: AuthCode) -> None:
        authorization_code.used = True  # kept, so that a replay can be recognised

    def authenticate_user(self, authorization_code: AuthCode) -> User:
        return authorization_code.user


class _StrictPKCE(CodeChallenge):
    """PKCE that refuses a downgrade at the authorization endpoint (RFC 9700 §2.1.1, §4.8)."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge': this server requires PKCE.")
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("'code_challenge_method' must be 'S256'.")
        super().validate_code_challenge(grant, redirect_uri)


class _OpenIDCode(OpenIDCode):
    def __init__(self, provider: Provider) -> None:
        super().__init__(require_nonce=True)
        self.provider = provider

    def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
        return any(code.nonce == nonce for code in self.provider.codes.values())

    def resolve_client_private_key(self, client: Client) -> RSAKey:
        return self.provider.signing_key

    def get_client_algorithm(self, client: Client) -> str:
        return "RS256"

    def get_encode_header(self, client: Client) -> dict[str, str]:
        return {"alg": "RS256", "typ": "JWT", "kid": KEY_ID}

    def get_client_claims(self, client: Client) -> dict[str, Any]:
        now = self.provider.clock.now()
        return {"iss": self.provider.issuer, "aud": client.client_id, "iat": now,
                "exp": now + ID_TOKEN_LIFETIME_S}

    def generate_user_info(self, user: User, scope: str) -> UserInfo:
        return self.provider.user_info(user, scope)


class _RefreshGrant(RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "none"]
    INCLUDE_NEW_REFRESH_TOKEN = True  # rotation (RFC 9700 §4.14.2)

    def authenticate_refresh_token(self, refresh_token: str) -> Token | None:
        provider = self.server.provider
        token = provider.by_refresh.get(refresh_token)
        if token is not None and token.refresh_revoked:
            provider.revoke_family(token.family)
            raise InvalidGrantError("The refresh token was already used (rotation): "
                                    "every token of this grant is now revoked.")
        return token

    def authenticate_user(self, refresh_token: Token) -> User:
        return refresh_token.user

    def revoke_old_credential(self, refresh_token: Token) -> None:
        refresh_token.refresh_revoked = True


class _Revocation(RevocationEndpoint):
    CLIENT_AUTH_METHODS = ["client_secret_basic", "none"]

    def query_token(self, token_string: str, token_type_hint: str | None) -> Token | None:
        provider = self.server.provider
        return provider.by_access.get(token_string) or provider.by_refresh.get(token_string)

    def revoke_token(self, token: Token, request: OAuth2Request) -> None:
        self.server.provider.revoke_family(token.family)


class Provider:
    """Authorization server + OpenID Provider: /authorize, /token, /revoke, /jwks, discovery."""

    def __init__(self, *, clock: Clock, rng: random.Random,
                 signing_key: RSAKey | None = None) -> None:
        self.clock = clock
        self.rng = rng
        self.issuer = ""  # set once the service knows its port
        self.clients: dict[str, Client] = {}
        self.users: dict[str, User] = {}
        self.codes: dict[str, AuthCode] = {}
        self.by_access: dict[str, Token] = {}
        self.by_refresh: dict[str, Token] = {}
        self.signing_key = signing_key or new_signing_key()
        self.server = _Server(self)
        self.server.register_token_generator("default", BearerTokenGenerator(
            lambda **_: self.new_value(), lambda **_: self.new_value(),
            lambda client, grant_type: ACCESS_TOKEN_LIFETIME_S))
        self.server.register_grant(_CodeGrant, [_StrictPKCE(required=True), _OpenIDCode(self)])
        self.server.register_grant(_RefreshGrant)
        self.server.register_endpoint(_Revocation)

    def new_value(self, length: int = 32) -> str:
        """Return a fresh code or token drawn from the provider's seeded RNG."""
        return random_token(self.rng, check_int("length", length, min_value=16, max_value=128))

    def add_user(self, user: User) -> User:
        """Register a resource owner."""
        self.users[user.username] = user
        return user

    def register_client(self, client_id: str, redirect_uris: tuple[str, ...],
                        client_secret: str | None = None,
                        scope: str = "openid profile email") -> Client:
        """Register a client; its redirect URIs must be loopback URLs, compared exactly later."""
        if not isinstance(client_id, str) or not client_id.strip():
            raise ValueError(f"client_id must be a non-empty string, got {client_id!r}")
        if not redirect_uris:
            raise ValueError("redirect_uris must hold at least one URL, got none")
        for uri in redirect_uris:
            check_redirect_uri("redirect_uris", uri)
        client = Client(client_id, client_secret, tuple(redirect_uris), scope)
        self.clients[client_id] = client
        return client

    def public_jwks(self) -> dict[str, Any]:
        """Return the JWK Set a client fetches to verify ID token signatures."""
        return KeySet([self.signing_key]).as_dict(private=False)

    def user_info(self, user: User, scope: str) -> UserInfo:
        """Return the claims about ``user`` that ``scope`` allows (OIDC Core §5.4)."""
        info = UserInfo(sub=user.sub)
        if "profile" in scope.split():
            info["name"] = user.name
        if "email" in scope.split():
            info["email"] = user.email
        return info

    def revoke_tokens(self, access_tokens: list[str]) -> None:
        """Revoke the given access tokens and their refresh tokens."""
        for access_token in access_tokens:
            token = self.by_access[access_token]
            token.revoked = token.refresh_revoked = True

    def revoke_family(self, family: str) -> None:
        """Revoke every token descended from one authorization code."""
        for token in self.by_access.values():
            if token.family == family:
                token.revoked = token.refresh_revoked = True

    def _save_token(self, token: dict[str, Any], request: OAuth2Request) -> None:
        if request.refresh_token is not None:
            family = request.refresh_token.family
        else:
            family = request.authorization_code.code
            request.authorization_code.token_ids.append(token["access_token"])
        record = Token(token["access_token"], token.get("refresh_token"),
                       request.client.client_id, token.get("scope", ""), request.user,
                       self.clock.now(), token["expires_in"], family, self.clock)
        self.by_access[record.access_token] = record
        if record.refresh_token:
            self.by_refresh[record.refresh_token] = record

    def metadata(self) -> dict[str, Any]:
        """Return the discovery document (OIDC Discovery / RFC 8414)."""
        return {"issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
                "revocation_endpoint": f"{self.issuer}/revoke",
                "response_types_supported": ["code"],
                "grant_types_supported": ["authorization_code", "refresh_token"],
                "code_challenge_methods_supported": ["S256"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "scopes_supported": ["openid", "profile", "email"]}

    def handle(self, request: Request) -> Response:
        """Route one HTTP request."""
        route = (request.method, request.path)
        if route == ("GET", "/.well-known/openid-configuration"):
            return Response(200, self.metadata(), summary="discovery document")
        if route == ("GET", "/jwks"):
            return Response(200, self.public_jwks(), summary="public keys")
        if request.path == "/authorize":
            return self._authorize(request)
        if route == ("POST", "/token"):
            return self.server.create_token_response(request)
        if route == ("POST", "/revoke"):
            return self.server.create_endpoint_response("revocation", request)
        return error_response(404, "not_found", request.path)

    def _authorize(self, request: Request) -> Response:
        user = None
        if request.method == "POST":
            user = self.users.get(request.form.get("username", ""))
            if user is None or user.password != request.form.get("password"):
                return Response(401, "Wrong username or password.", summary="login failed")
        try:
            grant = self.server.get_consent_grant(request, end_user=user)
        except OAuth2Error as error:
            # RFC 6749 §4.1.2.1: never redirect to an unverified redirect URI
            return self.server.handle_error_response(None, error)
        if request.method == "GET":
            client = grant.client
            page = (f"Sign in to continue to {client.client_id}. It asks for: "
                    f"{grant.request.scope}. [username] [password] [Allow] [Deny]")
            return Response(200, page, summary="login and consent page")
        grant_user = user if request.form.get("consent") == "allow" else None
        return self.server.create_authorization_response(request, grant_user=grant_user,
                                                         grant=grant)
