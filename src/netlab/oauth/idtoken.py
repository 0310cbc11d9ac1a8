"""ID token validation, as a relying party must do it (OIDC Core §3.1.3.7)."""

from __future__ import annotations

import json
from typing import Any

from authlib.oidc.core import CodeIDToken
from joserfc import jws, jwt
from joserfc.errors import BadSignatureError, ExpiredTokenError, JoseError, MissingClaimError
from joserfc.jwk import KeySet
from joserfc.util import urlsafe_b64decode, urlsafe_b64encode

from netlab._check import check_int


class IdTokenError(ValueError):
    """An ID token the relying party must not accept; ``reason`` is a short code."""

    def __init__(self, reason: str, description: str) -> None:
        super().__init__(f"{reason}: {description}")
        self.reason = reason
        self.description = description


def check_id_token_claims(claims: dict[str, Any], *, issuer: str, client_id: str,
                          nonce: str | None, now: int) -> dict[str, Any]:
    """Check ``iss``, ``aud``, ``exp``, ``iat`` and ``nonce``; return the claims or raise IdTokenError."""
    if not isinstance(claims, dict):
        raise ValueError(f"claims must be a dict, got {type(claims).__name__}")
    for name, value in (("issuer", issuer), ("client_id", client_id)):
        if not isinstance(value, str) or not value:
            raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    check_int("now", now, min_value=0)
    checked = CodeIDToken(
        claims, {"alg": "RS256"},
        options={"iss": {"essential": True, "value": issuer},
                 "aud": {"essential": True, "value": client_id}},
        params={"nonce": nonce, "client_id": client_id})
    try:
        checked.validate(now=now, leeway=0)
    except ExpiredTokenError as error:
        raise IdTokenError("expired", f"exp is {claims.get('exp')}, now is {now}") from error
    except MissingClaimError as error:
        raise IdTokenError(f"missing {error.claim}", f"the ID token has no {error.claim} claim",
                           ) from error
    except JoseError as error:
        claim = getattr(error, "claim", "")
        expected = {"aud": client_id, "iss": issuer}.get(claim)
        description = (f"{claim} is {claims.get(claim)!r}, this client expects {expected!r}"
                       if expected else f"{claim} does not match the one this session sent"
                       if claim == "nonce" else error.description or error.error)
        raise IdTokenError(f"wrong {claim}" if claim else error.error, description) from error
    if nonce is None:
        raise IdTokenError("no nonce", "this session sent no nonce, so no login is pending")
    return dict(claims)


def validate_id_token(id_token: str, *, jwks: dict[str, Any], issuer: str, client_id: str,
                      nonce: str | None, now: int) -> dict[str, Any]:
    """Verify the RS256 signature against ``jwks``, then the claims; return the claims."""
    if not isinstance(id_token, str) or id_token.count(".") != 2:
        raise IdTokenError("malformed", "an ID token is a JWS compact string with three parts")
    try:
        token = jwt.decode(id_token, KeySet.import_key_set(jwks), algorithms=["RS256"])
    except BadSignatureError as error:
        raise IdTokenError("bad signature", "the RS256 signature does not verify with the "
                           "provider's published key") from error
    except JoseError as error:
        raise IdTokenError("malformed", error.description or error.error) from error
    return check_id_token_claims(token.claims, issuer=issuer, client_id=client_id,
                                 nonce=nonce, now=now)


def decode_jwt_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any], int]:
    """Return (header, payload, signature length in bytes) of a JWS compact token, unverified."""
    if not isinstance(token, str) or token.count(".") != 2:
        raise ValueError("token must be a JWS compact string header.payload.signature")
    parts = jws.extract_compact(token.encode())
    signature = urlsafe_b64decode(parts.segments["signature"])
    return dict(parts.protected), json.loads(parts.payload), len(signature)


def tamper_payload(token: str, **changes: Any) -> str:
    """Return ``token`` with claims changed in its payload but the original signature kept."""
    _, payload, _ = decode_jwt_unverified(token)
    payload.update(changes)
    body = urlsafe_b64encode(json.dumps(payload).encode()).decode()
    head, _, signature = token.split(".")
    return f"{head}.{body}.{signature}"


def claims_verdict(*, aud: str = "photo-app", age_s: int = 0, nonce_matches: bool = True,
                   issuer_matches: bool = True) -> str:
    """Return what photo-app's check says of an ID token with these properties (for widgets)."""
    check_int("age_s", age_s, min_value=0, max_value=86_400)
    now = 1_767_225_600
    claims = {"iss": "https://op.example" if issuer_matches else "https://evil.example",
              "sub": "user-1001", "aud": aud, "iat": now - age_s, "exp": now - age_s + 3600,
              "nonce": "n-1" if nonce_matches else "n-2"}
    try:
        check_id_token_claims(claims, issuer="https://op.example", client_id="photo-app",
                              nonce="n-1", now=now)
    except IdTokenError as error:
        return f"refused: {error}"
    return f"accepted: sub={claims['sub']}, expires in {claims['exp'] - now} s"
