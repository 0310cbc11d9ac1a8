"""The records an authorization server keeps: clients, users, codes, tokens, and a clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin
from authlib.oidc.core import AuthorizationCodeMixin

from netlab._validate import NonNegativeFloat, Seconds, public, result

#: 2026-01-01T00:00:00Z: the lab's clock starts here so that printed claims never change.
EPOCH_START_S = 1_767_225_600.0


@public
class Clock:
    """A clock the lab moves by hand, so that `iat`, `exp` and expiry checks are reproducible."""

    def __init__(self, start_s: NonNegativeFloat = EPOCH_START_S) -> None:
        self._now = float(start_s)

    def now(self) -> int:
        """Return the current time in whole seconds since the epoch."""
        return int(self._now)

    @public
    def advance(self, seconds: Seconds) -> int:
        """Move the clock forward by ``seconds`` (0 < seconds <= one day) and return the new time."""
        self._now += seconds
        return self.now()


@result
@dataclass(frozen=True)
class User:
    """A resource owner with a password that only the authorization server ever sees."""

    sub: str
    username: str
    password: str
    name: str
    email: str
    email_verified: bool = True
    hd: str | None = None  # the Google Workspace domain of a managed account


@dataclass
class Client(ClientMixin):
    """A registered client: its id, secret (if confidential), redirect URIs and allowed scopes."""

    client_id: str
    client_secret: str | None
    redirect_uris: tuple[str, ...]
    scope: str = "openid profile email"
    grant_types: tuple[str, ...] = ("authorization_code", "refresh_token")
    exact_redirect: bool = True

    @property
    def is_public(self) -> bool:
        """True for a client that cannot keep a secret (a SPA or a mobile app)."""
        return self.client_secret is None

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> str | None:
        return self.redirect_uris[0] if self.redirect_uris else None

    def get_allowed_scope(self, scope: str | None) -> str:
        allowed = self.scope.split()
        asked = (scope or self.scope).split()
        return " ".join(s for s in asked if s in allowed)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        # RFC 9700 §2.1: exact string comparison, no prefix or pattern matching
        if self.exact_redirect:
            return redirect_uri in self.redirect_uris
        # the mistake the lab can switch on: the port is not compared (RFC 8252 §7.3 allows
        # that only for native apps' loopback redirects, not for a web app)
        return any(_without_port(redirect_uri) == _without_port(uri) for uri in self.redirect_uris)

    def check_client_secret(self, client_secret: str) -> bool:
        return self.client_secret is not None and client_secret == self.client_secret

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == ("none" if self.is_public else "client_secret_basic")

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type in self.grant_types


@dataclass
class AuthCode(AuthorizationCodeMixin):
    """An authorization code: short-lived, single use, bound to client, redirect URI and PKCE."""

    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: User
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    issued_at: int
    expires_in: int = 600
    offline: bool = False  # access_type=offline was asked for: a refresh token comes with it
    used: bool = False
    token_ids: list[str] = field(default_factory=list)

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.issued_at


@dataclass
class Token(TokenMixin):
    """An issued access token with its refresh token, and the family it belongs to."""

    access_token: str
    refresh_token: str | None
    client_id: str
    scope: str
    user: User
    issued_at: int
    expires_in: int
    family: str
    clock: Clock = field(repr=False)
    revoked: bool = False
    refresh_revoked: bool = False
    cnf: dict[str, str] = field(default_factory=dict)  # RFC 7800 confirmation: jkt or x5t#S256

    def check_client(self, client: ClientMixin) -> bool:
        return client.get_client_id() == self.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_expires_in(self) -> int:
        return self.expires_in

    def is_expired(self) -> bool:
        return self.clock.now() >= self.issued_at + self.expires_in

    def is_revoked(self) -> bool:
        return self.revoked

    def get_user(self) -> User:
        return self.user

    def get_client(self) -> ClientMixin:
        raise NotImplementedError("look the client up by client_id")


def _without_port(uri: str) -> str:
    parts = urlsplit(uri)
    return parts._replace(netloc=parts.hostname or "").geturl()
