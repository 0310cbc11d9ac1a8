"""The resource server: an OIDC UserInfo endpoint protected by access tokens.

Bearer tokens are checked by Authlib's ResourceProtector (RFC 6750). A sender-constrained
token is checked first for its binding: a DPoP proof whose key matches ``cnf.jkt``
(RFC 9449 §7.1; a DPoP-bound token sent as Bearer is refused, §7.2), or a TLS client
certificate whose SHA-256 thumbprint matches ``cnf["x5t#S256"]`` (RFC 8705 §3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from authlib.oauth2 import OAuth2Error, ResourceProtector
from authlib.oauth2.rfc6750 import BearerTokenValidator

from netlab.oauth._http import Request, Response, error_response
from netlab.oauth.dpop import DPoPError, DPoPVerifier
from netlab.oauth.models import Token
from netlab.oauth.provider import Provider


class _Validator(BearerTokenValidator):
    def __init__(self, provider: Provider) -> None:
        super().__init__(realm="netlab")
        self.provider = provider

    def authenticate_token(self, token_string: str) -> Token | None:
        # The lab's resource server shares the provider's token table; a real one would
        # introspect the token (RFC 7662) or verify a JWT access token (RFC 9068).
        return self.provider.by_access.get(token_string)


@dataclass
class _AsBearer:
    headers: dict[str, str]


class ResourceServer:
    """GET /userinfo (scope openid) and GET /photos (scope photos.read) for valid tokens."""

    def __init__(self, provider: Provider) -> None:
        self.provider = provider
        self.protector = ResourceProtector()
        self.protector.register_token_validator(_Validator(provider))
        self.dpop = DPoPVerifier()
        self.base_url = ""  # set once the service knows its port

    def _binding_error(self, request: Request, scheme: str, token_string: str) -> str | None:
        """Why a sender-constrained token may not be used on this request, or None."""
        token = self.provider.by_access.get(token_string)
        if token is None or not token.cnf:
            return "DPoP scheme for a token that is not DPoP-bound" if scheme == "dpop" else None
        binding = "sender-binding" in self.provider.defences
        if "jkt" in token.cnf:
            if scheme != "dpop":
                return "a DPoP-bound token sent as a bearer token (RFC 9449 §7.2)" \
                    if binding else None
            try:
                jkt = self.dpop.verify(request.headers.get("DPoP"), request.method,
                                       f"{self.base_url}{request.path}",
                                       now=self.provider.clock.now(), access_token=token_string)
            except DPoPError as error:
                return f"DPoP proof: {error}"
            if binding and jkt != token.cnf["jkt"]:
                return "the DPoP proof's key is not the key the token is bound to (cnf.jkt)"
            return None
        if binding and request.client_cert_sha256 != token.cnf.get("x5t#S256"):
            return ("the TLS client certificate is not the one the token is bound to "
                    "(cnf x5t#S256, RFC 8705 §3)")
        return None

    def handle(self, request: Request) -> Response:
        """Route one HTTP request."""
        scope = {"/userinfo": "openid", "/photos": "photos.read"}.get(request.path)
        if request.method != "GET" or scope is None:
            return error_response(404, "not_found", request.path)
        scheme, _, token_string = request.headers.get("Authorization", "").partition(" ")
        problem = self._binding_error(request, scheme.lower(), token_string)
        if problem:
            return Response(401, {"error": "invalid_token", "error_description": problem},
                            [("WWW-Authenticate", 'DPoP error="invalid_token"')],
                            "error=invalid_token")
        try:
            token = self.protector.validate_request(
                [scope], _AsBearer({"Authorization": f"Bearer {token_string}"}))
        except OAuth2Error as error:
            status, body, headers = error()
            return Response(status, body, list(headers), f"error={error.error}")
        if scope == "photos.read":
            return Response(200, {"photos": 3, "token_client_id": token.client_id},
                            summary="photos for " + token.client_id)
        info: dict[str, Any] = dict(self.provider.user_info(token.user, token.scope))
        info["token_client_id"] = token.client_id  # what introspection would reveal
        return Response(200, info, summary="user info of " + info["sub"])
