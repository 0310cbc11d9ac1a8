"""The resource server: an OIDC UserInfo endpoint protected by Bearer access tokens."""

from __future__ import annotations

from authlib.oauth2 import OAuth2Error, ResourceProtector
from authlib.oauth2.rfc6750 import BearerTokenValidator

from netlab.oauth._http import Request, Response, error_response
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


class ResourceServer:
    """Serves GET /userinfo to any request carrying a valid access token with scope openid."""

    def __init__(self, provider: Provider) -> None:
        self.provider = provider
        self.protector = ResourceProtector()
        self.protector.register_token_validator(_Validator(provider))

    def handle(self, request: Request) -> Response:
        """Route one HTTP request."""
        if (request.method, request.path) != ("GET", "/userinfo"):
            return error_response(404, "not_found", request.path)
        try:
            token = self.protector.validate_request(["openid"], request)
        except OAuth2Error as error:
            status, body, headers = error()
            return Response(status, body, list(headers), f"error={error.error}")
        info = dict(self.provider.user_info(token.user, token.scope))
        info["token_client_id"] = token.client_id  # what introspection would reveal
        return Response(200, info, summary="user info of " + token.user.username)
