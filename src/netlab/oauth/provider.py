"""The authorization server, also an OpenID Provider, built on Authlib's framework-free core.

Endpoints: /authorize (code flow), /token (code, refresh, client credentials), /revoke
(RFC 7009), /introspect (RFC 7662), /jwks, /.well-known/openid-configuration, and
/gsi/credential, a model of what Google Identity Services' button hands the browser.
Each defence the labs switch off is named in ``netlab.oauth.defences``.
"""

from __future__ import annotations

import random
from typing import Any
from urllib.parse import urlsplit

from authlib.common.urls import add_params_to_uri
from authlib.oauth2 import AuthorizationServer, OAuth2Error
from authlib.oauth2.rfc6749 import OAuth2Request
from authlib.oauth2.rfc6749.errors import InvalidGrantError, InvalidRequestError
from authlib.oauth2.rfc6749.grants import (
    AuthorizationCodeGrant,
    ClientCredentialsGrant,
    RefreshTokenGrant,
)
from authlib.oauth2.rfc6749.requests import BasicOAuth2Payload
from authlib.oauth2.rfc6750 import BearerTokenGenerator
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc7662 import IntrospectionEndpoint
from authlib.oauth2.rfc9207 import IssuerParameter
from authlib.oidc.core import OpenIDCode, UserInfo
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from netlab.oauth._http import Request, Response, error_response
from netlab.oauth.defences import DEFAULT_ON
from netlab.oauth.dpop import DPoPError, DPoPVerifier
from netlab.oauth.models import AuthCode, Client, Clock, Token, User
from netlab.oauth.pkce import random_token

KEY_ID = "netlab-op-1"
CODE_LIFETIME_S = 600      # RFC 6749 §4.1.2: a maximum of 10 minutes is RECOMMENDED
ACCESS_TOKEN_LIFETIME_S = 3600
ID_TOKEN_LIFETIME_S = 3600
JWKS_MAX_AGE_S = 3600      # the Cache-Control max-age the lab's /jwks answers with


def check_redirect_uri(name: str, value: Any) -> str:
    """Return ``value`` if it is an http URL on 127.0.0.1 or localhost, else raise ValueError."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty URL string, got {value!r}")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or parts.hostname not in ("127.0.0.1", "localhost"):
        raise ValueError(f"{name} must be a URL on 127.0.0.1 or localhost "
                         f"(everything in the lab stays on loopback), got {value!r}")
    return value


def new_signing_key(kid: str = KEY_ID) -> RSAKey:
    """Return a fresh RSA-2048 key pair for signing ID tokens (RS256)."""
    return RSAKey.generate_key(2048, parameters={"kid": kid}, private=True)


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
        super().__init__(scopes_supported=["openid", "profile", "email", "photos.read"])
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


class _Issuer(IssuerParameter):
    def __init__(self, provider: Provider) -> None:
        self.provider = provider

    def get_issuer(self) -> str:
        return self.provider.issuer

    def add_issuer_parameter(self, authorization_server: Any, response: Response) -> None:
        # RFC 9207 §2: every authorization response carries iss; Authlib's hook edits a
        # framework response's .location, the lab's Response keeps it in its headers
        response.headers = [(k, add_params_to_uri(v, {"iss": self.get_issuer()})
                             if k == "Location" else v) for k, v in response.headers]


class _CodeGrant(AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "none"]

    def generate_authorization_code(self) -> str:
        return self.server.provider.new_value()

    def save_authorization_code(self, code: str, request: OAuth2Request) -> None:
        data = request.payload.data
        self.server.provider.codes[code] = AuthCode(
            code, request.client.client_id, request.payload.redirect_uri or "", request.scope,
            request.user, data.get("nonce"), data.get("code_challenge"),
            data.get("code_challenge_method"), self.server.provider.clock.now(),
            offline=data.get("access_type") == "offline")

    def query_authorization_code(self, code: str, client: Client) -> AuthCode | None:
        provider = self.server.provider
        item = provider.codes.get(code)
        if item is None or item.client_id != client.client_id:
            return None
        if item.used and "single-use-code" in provider.defences:
            # RFC 6749 §4.1.2: deny, and revoke what the code already produced
            provider.revoke_tokens(item.token_ids)
            raise InvalidGrantError("The authorization code was already used; "
                                    "the tokens issued for it are now revoked.")
        expired = provider.clock.now() >= item.issued_at + item.expires_in
        if expired and "code-lifetime" in provider.defences:
            raise InvalidGrantError("The authorization code has expired.")
        return item

    def generate_token(self, *args: Any, include_refresh_token: bool = True,
                       **kwargs: Any) -> dict[str, Any]:
        # a refresh token only for offline access (Google's access_type=offline), as a
        # provider decides; RFC 6749 §1.5 leaves issuing one to the authorization server
        code = self.request.authorization_code
        offline = code is not None and code.offline
        return super().generate_token(*args, include_refresh_token=include_refresh_token
                                      and offline, **kwargs)

    def delete_authorization_code(self, authorization_code: AuthCode) -> None:
        authorization_code.used = True  # kept, so that a replay can be recognised

    def authenticate_user(self, authorization_code: AuthCode) -> User:
        return authorization_code.user


class _PKCE(CodeChallenge):
    """Authlib's PKCE extension, S256 only, with the lab's two switches.

    ``pkce-required`` (a stricter policy, off by default) refuses an authorization request
    without ``code_challenge`` already at /authorize. ``downgrade-check`` is Authlib's own
    token-endpoint check of RFC 9700 §4.8.2; switching it off skips exactly that check.
    """

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def __init__(self, provider: Provider) -> None:
        super().__init__(required=True)
        self.provider = provider

    def validate_code_challenge(self, grant: Any, redirect_uri: str) -> None:
        data = grant.request.payload.data
        if "pkce-required" in self.provider.defences and not data.get("code_challenge"):
            raise InvalidRequestError("Missing 'code_challenge': this server requires PKCE.")
        super().validate_code_challenge(grant, redirect_uri)

    def validate_code_verifier(self, grant: Any, result: Any) -> None:
        request = grant.request
        unbound = not self.get_authorization_code_challenge(request.authorization_code)
        if unbound and "downgrade-check" not in self.provider.defences:
            return  # the mistake: a code without a challenge is redeemed whatever is sent
        super().validate_code_verifier(grant, result)


class _OpenIDCode(OpenIDCode):
    def __init__(self, provider: Provider) -> None:
        super().__init__(require_nonce=False)
        self.provider = provider

    def exists_nonce(self, nonce: str, request: OAuth2Request) -> bool:
        return False  # nonce values are the client's to check (OIDC Core §3.1.3.7 step 11)

    def resolve_client_private_key(self, client: Client) -> RSAKey:
        return self.provider.signing_key

    def get_client_algorithm(self, client: Client) -> str:
        return "RS256"

    def get_encode_header(self, client: Client) -> dict[str, str]:
        return {"alg": "RS256", "typ": "JWT", "kid": self.provider.signing_key.kid or KEY_ID}

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
            if "refresh-rotation" not in provider.defences:
                return token  # the mistake: a rotated refresh token still works
            provider.revoke_family(token.family)
            raise InvalidGrantError("The refresh token was already used (rotation): "
                                    "every token of this grant is now revoked.")
        return token

    def authenticate_user(self, refresh_token: Token) -> User:
        return refresh_token.user

    def revoke_old_credential(self, refresh_token: Token) -> None:
        refresh_token.refresh_revoked = True


class _ClientCredentials(ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic"]


class _Revocation(RevocationEndpoint):
    CLIENT_AUTH_METHODS = ["client_secret_basic", "none"]

    def query_token(self, token_string: str, token_type_hint: str | None) -> Token | None:
        provider = self.server.provider
        return provider.by_access.get(token_string) or provider.by_refresh.get(token_string)

    def revoke_token(self, token: Token, request: OAuth2Request) -> None:
        self.server.provider.revoke_family(token.family)


class _Introspection(IntrospectionEndpoint):
    CLIENT_AUTH_METHODS = ["client_secret_basic"]

    def query_token(self, token_string: str, token_type_hint: str | None) -> Token | None:
        return self.server.provider.by_access.get(token_string)

    def check_permission(self, token: Token, client: Client, request: OAuth2Request) -> bool:
        return True  # every registered client may ask (RFC 7662 §4 leaves this to the AS)

    def introspect_token(self, token: Token) -> dict[str, Any]:
        return {"active": True, "client_id": token.client_id, "scope": token.scope,
                "sub": token.user.sub if token.user else None, "exp": token.issued_at +
                token.expires_in, "iss": self.server.provider.issuer, **(
                    {"cnf": token.cnf} if token.cnf else {})}


class Provider:
    """Authorization server + OpenID Provider on loopback, built on Authlib."""

    def __init__(self, *, clock: Clock, rng: random.Random,
                 signing_key: RSAKey | None = None,
                 defences: frozenset[str] = DEFAULT_ON) -> None:
        self.clock = clock
        self.rng = rng
        self.defences = defences
        self.issuer = ""  # set once the service knows its port
        self.clients: dict[str, Client] = {}
        self.users: dict[str, User] = {}
        self.codes: dict[str, AuthCode] = {}
        self.by_access: dict[str, Token] = {}
        self.by_refresh: dict[str, Token] = {}
        self.signing_key = signing_key or new_signing_key()
        self.published_keys: list[RSAKey] = [self.signing_key]
        self.dpop = DPoPVerifier()
        self.server = _Server(self)
        self.server.register_token_generator("default", BearerTokenGenerator(
            lambda **_: self.new_value(), lambda **_: self.new_value(),
            lambda client, grant_type: ACCESS_TOKEN_LIFETIME_S))
        self.server.register_grant(_CodeGrant, [_PKCE(self), _OpenIDCode(self)])
        self.server.register_grant(_RefreshGrant)
        self.server.register_grant(_ClientCredentials)
        self.server.register_endpoint(_Revocation)
        self.server.register_endpoint(_Introspection)
        self.server.register_extension(lambda server: _Issuer(self)(server))

    def new_value(self, length: int = 32) -> str:
        """Return a fresh code or token drawn from the provider's seeded RNG."""
        return random_token(self.rng, length)

    def add_user(self, user: User) -> User:
        """Register a resource owner."""
        self.users[user.username] = user
        return user

    def register_client(self, client_id: str, redirect_uris: tuple[str, ...],
                        client_secret: str | None = None,
                        scope: str = "openid profile email photos.read",
                        grant_types: tuple[str, ...] = ("authorization_code", "refresh_token"),
                        ) -> Client:
        """Register a client; its redirect URIs must be loopback URLs, compared exactly later."""
        if not client_id.strip():
            raise ValueError(f"client_id must be a non-empty string, got {client_id!r}")
        for uri in redirect_uris:
            check_redirect_uri("redirect_uris", uri)
        client = Client(client_id, client_secret, tuple(redirect_uris), scope, grant_types,
                        exact_redirect="exact-redirect" in self.defences)
        self.clients[client_id] = client
        return client

    def rotate_key(self, kid: str) -> RSAKey:
        """Sign with a new key from now on; publish it beside the old one (JWKS rotation)."""
        self.signing_key = new_signing_key(kid)
        self.published_keys = [self.signing_key, *self.published_keys][:2]
        return self.signing_key

    def public_jwks(self) -> dict[str, Any]:
        """Return the JWK Set a client fetches to verify ID token signatures."""
        return KeySet(list(self.published_keys)).as_dict(private=False)

    def user_info(self, user: User, scope: str) -> UserInfo:
        """Return the claims about ``user`` that ``scope`` allows (OIDC Core §5.4)."""
        info = UserInfo(sub=user.sub)
        if "profile" in scope.split():
            info["name"] = user.name
        if "email" in scope.split():
            info["email"] = user.email
            info["email_verified"] = user.email_verified
        if user.hd:
            info["hd"] = user.hd
        return info

    def gis_credential(self, user: User, client_id: str, *, nonce: str | None = None) -> str:
        """An ID token as Google Identity Services hands it to the browser (``credential``).

        Like Google's, it carries ``azp`` (the presenting client, here the same as ``aud``).
        """
        now = self.clock.now()
        claims = {"iss": self.issuer, "aud": client_id, "azp": client_id,
                  "iat": now, "exp": now + ID_TOKEN_LIFETIME_S,
                  **self.user_info(user, "openid profile email")}
        if nonce:
            claims["nonce"] = nonce
        header = {"alg": "RS256", "typ": "JWT", "kid": self.signing_key.kid or KEY_ID}
        return jwt.encode(header, claims, self.signing_key)

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
        elif request.authorization_code is not None:
            family = request.authorization_code.code
            request.authorization_code.token_ids.append(token["access_token"])
        else:
            family = token["access_token"]
        record = Token(token["access_token"], token.get("refresh_token"),
                       request.client.client_id, token.get("scope", ""), request.user,
                       self.clock.now(), token["expires_in"], family, self.clock)
        self.by_access[record.access_token] = record
        if record.refresh_token:
            self.by_refresh[record.refresh_token] = record

    def metadata(self) -> dict[str, Any]:
        """The discovery document (OpenID Connect Discovery 1.0 §3, fields of RFC 8414 §2)."""
        return {"issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
                "revocation_endpoint": f"{self.issuer}/revoke",
                "introspection_endpoint": f"{self.issuer}/introspect",
                "response_types_supported": ["code"],
                "grant_types_supported": ["authorization_code", "refresh_token",
                                          "client_credentials"],
                "code_challenge_methods_supported": ["S256"],
                "authorization_response_iss_parameter_supported": True,
                "dpop_signing_alg_values_supported": ["ES256"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "subject_types_supported": ["public"],
                "scopes_supported": ["openid", "profile", "email", "photos.read"]}

    def handle(self, request: Request) -> Response:
        """Route one HTTP request."""
        route = (request.method, request.path)
        if route == ("GET", "/.well-known/openid-configuration"):
            return Response(200, self.metadata(), summary="discovery document")
        if route == ("GET", "/jwks"):
            return Response(200, self.public_jwks(),
                            [("Cache-Control", f"public, max-age={JWKS_MAX_AGE_S}")],
                            summary="public keys")
        if request.path == "/authorize":
            return self._authorize(request)
        if request.path == "/gsi/credential":
            return self._gsi(request)
        if route == ("POST", "/token"):
            return self._token(request)
        if route == ("POST", "/revoke"):
            return self.server.create_endpoint_response("revocation", request)
        if route == ("POST", "/introspect"):
            return self.server.create_endpoint_response("introspection", request)
        return error_response(404, "not_found", request.path)

    def _token(self, request: Request) -> Response:
        """The token endpoint; a DPoP proof (RFC 9449 §5) or a client certificate (RFC 8705
        §3) makes the access token sender-constrained."""
        jkt = None
        if request.headers.get("DPoP"):
            try:
                jkt = self.dpop.verify(request.headers.get("DPoP"), "POST",
                                       f"{self.issuer}/token", now=self.clock.now())
            except DPoPError as error:
                return error_response(400, "invalid_dpop_proof", str(error))
        response = self.server.create_token_response(request)
        body = response.body
        if response.status == 200 and isinstance(body, dict):
            record = self.by_access[body["access_token"]]
            if jkt:
                record.cnf = {"jkt": jkt}
                body["token_type"] = "DPoP"
            elif request.client_cert_sha256:
                record.cnf = {"x5t#S256": request.client_cert_sha256}
        return response

    def _login(self, request: Request) -> tuple[User | None, Response | None]:
        user = self.users.get(request.form.get("username", ""))
        if user is None or user.password != request.form.get("password"):
            return None, Response(401, "Wrong username or password.", summary="login failed")
        return user, None

    def _authorize(self, request: Request) -> Response:
        user = None
        if request.method == "POST":
            user, failed = self._login(request)
            if failed:
                return failed
        try:
            grant = self.server.get_consent_grant(request, end_user=user)
        except OAuth2Error as error:
            # RFC 6749 §4.1.2.1: never redirect to an unverified redirect URI
            return self.server.handle_error_response(None, error)
        if request.method == "GET":
            page = (f"Sign in to continue to {grant.client.client_id}. It asks for: "
                    f"{grant.request.scope}. [username] [password] [Allow] [Deny]")
            return Response(200, page, summary="login and consent page")
        grant_user = user if request.form.get("consent") == "allow" else None
        return self.server.create_authorization_response(request, grant_user=grant_user,
                                                         grant=grant)

    def _gsi(self, request: Request) -> Response:
        """A model of the Sign in with Google button: login, consent, then the credential."""
        client = self.clients.get(request.params.get("client_id", ""))
        if client is None:
            return error_response(400, "invalid_client", "unknown client_id")
        if request.method == "GET":
            return Response(200, f"Sign in to {client.client_id} with your account. "
                            "[username] [password] [Continue]", summary="sign-in page")
        user, failed = self._login(request)
        if failed or user is None:
            return failed or error_response(401, "login_failed", "")
        credential = self.gis_credential(user, client.client_id,
                                         nonce=request.params.get("nonce"))
        return Response(200, {"credential": credential, "select_by": "btn"},
                        summary="credential")
