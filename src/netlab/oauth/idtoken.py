"""ID token validation, as a relying party must do it (OIDC Core §3.1.3.7), check by check.

Each check has a name (``ID_TOKEN_CHECKS``) so that a lab can switch exactly one off and
show that the attack it targets then succeeds. Signature verification is joserfc's;
the claim checks are Authlib's ``CodeIDToken`` (one method per claim), wrapped so that a
check that is switched off is skipped and every other one still runs.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Annotated, Any

from authlib.oidc.core import CodeIDToken
from joserfc import jws, jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry
from joserfc.util import urlsafe_b64decode, urlsafe_b64encode
from pydantic import Field

from netlab._validate import NonNegativeInt, one_of, public

#: The checks of OIDC Core §3.1.3.7 this validator makes, in the order it makes them.
ID_TOKEN_CHECKS = ("signature", "iss", "aud", "azp", "exp", "nonce")
#: Google documents both forms of its issuer (Google Identity, "Verify the Google ID token").
GOOGLE_ISSUERS = ("accounts.google.com", "https://accounts.google.com")

Checks = Annotated[frozenset[Annotated[str, one_of(ID_TOKEN_CHECKS)]] | None, Field()]
NonEmpty = Annotated[str, Field(min_length=1, max_length=2048)]


class IdTokenError(ValueError):
    """An ID token the relying party must not accept; ``reason`` names the failed check."""

    def __init__(self, reason: str, description: str) -> None:
        super().__init__(f"{reason}: {description}")
        self.reason = reason
        self.description = description


class _Claims(CodeIDToken):
    """Authlib's code-flow ID token claims, with named checks that can be skipped.

    Authlib 1.9 checks iss, aud and exp through joserfc's JWTClaimsRegistry and nonce,
    azp in its own methods; a skipped check is left out of both.
    """

    def __init__(self, claims: dict[str, Any], options: dict[str, Any],
                 params: dict[str, Any], skip: Collection[str]) -> None:
        self.skip = frozenset(skip)
        options = {k: v for k, v in options.items() if k not in self.skip}
        super().__init__(claims, {"alg": "RS256"}, options=options, params=params)
        self.registry_cls = registry_without(self.skip)

    def validate_nonce(self) -> None:
        if "nonce" not in self.skip:
            super().validate_nonce()

    def validate_azp(self) -> None:
        # §3.1.3.7 step 4 (before errata set 2): several audiences need an azp; step 5
        # (errata set 2: "MAY include"): an azp that is present must be this client.
        # Authlib's own rule also demands azp whenever aud differs from the client,
        # which only repeats the aud check; this keeps each check to its own claim.
        if "azp" in self.skip:
            return
        aud, azp = self.get("aud"), self.get("azp")
        if isinstance(aud, list) and len(aud) > 1 and not azp:
            raise MissingClaimError("azp")
        if azp and azp != self.params.get("client_id"):
            raise InvalidClaimError("azp")



def registry_without(skip: frozenset[str]) -> type[JWTClaimsRegistry]:
    """joserfc's registry with the skipped claim checks made no-ops."""
    def noop(self: JWTClaimsRegistry, value: object) -> None:
        return None

    methods = {f"validate_{claim}": noop for claim in ("iss", "aud", "exp", "nbf", "iat")
               if claim in skip}
    return type("Registry", (JWTClaimsRegistry,), methods)


def _describe(claim: str, claims: dict[str, Any], expected: dict[str, Any]) -> str:
    if claim == "nonce":
        return "nonce does not match the one this session sent"
    if claim in expected:
        return f"{claim} is {claims.get(claim)!r}, this client expects {expected[claim]!r}"
    return f"{claim} is {claims.get(claim)!r}"


@public
def check_id_token_claims(claims: dict[str, Any], *, issuer: NonEmpty | tuple[NonEmpty, ...],
                          client_id: NonEmpty, nonce: str | None, now: NonNegativeInt,
                          skip: Checks = None) -> dict[str, Any]:
    """Check ``iss``, ``aud``, ``azp``, ``exp`` and ``nonce`` (§3.1.3.7 steps 2-5, 9, 11).

    ``issuer`` is one issuer or the accepted forms of one (``GOOGLE_ISSUERS``); ``skip``
    names checks to switch off. Returns the claims or raises IdTokenError.
    """
    skip = skip or frozenset()
    issuers = [issuer] if isinstance(issuer, str) else list(issuer)
    checked = _Claims(claims, options={"iss": {"essential": True, "values": issuers},
                                       "aud": {"essential": True, "value": client_id}},
                      params={"nonce": nonce, "client_id": client_id}, skip=skip)
    expected = {"aud": client_id, "iss": issuer, "azp": client_id}
    try:
        checked.validate(now=now, leeway=0)
    except ExpiredTokenError as error:
        raise IdTokenError("expired", f"exp is {claims.get('exp')}, now is {now}") from error
    except MissingClaimError as error:
        raise IdTokenError(f"missing {error.claim}",
                           f"the ID token has no {error.claim} claim") from error
    except JoseError as error:
        claim = getattr(error, "claim", "")
        if not claim:
            raise IdTokenError(error.error, error.description or error.error) from error
        raise IdTokenError(f"wrong {claim}", _describe(claim, claims, expected)) from error
    return dict(claims)


@public
def validate_id_token(id_token: str, *, jwks: dict[str, Any],
                      issuer: NonEmpty | tuple[NonEmpty, ...], client_id: NonEmpty,
                      nonce: str | None, now: NonNegativeInt, skip: Checks = None) -> dict[str, Any]:
    """Verify the RS256 signature against ``jwks`` (§3.1.3.7 step 6), then the claims.

    ``skip`` names checks to switch off (``ID_TOKEN_CHECKS``). Returns the claims.
    """
    skip = skip or frozenset()
    if id_token.count(".") != 2:
        raise IdTokenError("malformed", "an ID token is a JWS compact string with three parts")
    try:
        keys = KeySet.import_key_set(jwks)
    except (JoseError, ValueError, KeyError, TypeError) as error:
        raise ValueError(f"jwks must be a JWK Set (RFC 7517 §5), got {type(jwks).__name__}") from error
    try:
        kid = decode_jwt_unverified(id_token)[0].get("kid") if "signature" not in skip else None
    except ValueError as error:
        raise IdTokenError("malformed", str(error)) from error
    if kid is not None and kid not in {k.get("kid") for k in jwks.get("keys", [])}:
        raise IdTokenError("unknown kid", f"no key {kid!r} in the JWKS this client holds")
    try:
        if "signature" in skip:  # the mistake: reading claims that nobody verified
            claims = decode_jwt_unverified(id_token)[1]
        else:
            claims = jwt.decode(id_token, keys, algorithms=["RS256"]).claims
    except BadSignatureError as error:
        raise IdTokenError("bad signature", "the RS256 signature does not verify with the "
                           "provider's published key") from error
    except (JoseError, ValueError) as error:
        raise IdTokenError("malformed", str(error) or type(error).__name__) from error
    return check_id_token_claims(claims, issuer=issuer, client_id=client_id, nonce=nonce,
                                 now=now, skip=skip)


@public
def decode_jwt_unverified(token: str) -> tuple[dict[str, Any], dict[str, Any], int]:
    """Return (header, payload, signature length in bytes) of a JWS compact token, unverified."""
    if token.count(".") != 2:
        raise ValueError("token must be a JWS compact string header.payload.signature")
    try:
        parts = jws.extract_compact(token.encode())
        signature = urlsafe_b64decode(parts.segments["signature"])
        payload = json.loads(parts.payload)
    except (JoseError, ValueError) as error:
        raise ValueError(f"token is not a JWS compact string: {error}") from error
    if not isinstance(payload, dict):
        raise ValueError("token: the payload is not a JSON object")
    return dict(parts.protected), payload, len(signature)


@public
def tamper_payload(token: str, changes: dict[str, Any]) -> str:
    """Return ``token`` with claims changed in its payload but the original signature kept."""
    _, payload, _ = decode_jwt_unverified(token)
    payload.update(changes)
    body = urlsafe_b64encode(json.dumps(payload).encode()).decode()
    head, _, signature = token.split(".")
    return f"{head}.{body}.{signature}"


@public
def claims_verdict(*, aud: Annotated[str, one_of(("photo-app", "quiz-app"))] = "photo-app",
                   age_s: Annotated[int, Field(ge=0, le=86_400)] = 0,
                   nonce_matches: bool = True, issuer_matches: bool = True) -> str:
    """Return what photo-app's claim checks say of an ID token with these properties."""
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
