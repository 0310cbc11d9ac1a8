"""A JWT's time and identity claims (RFC 7519 §4.1), checked the way a resource server must.

An access token (or any JWT a service accepts) is signed here with an ES256 key and checked
by joserfc: the algorithm allow-list of ``jwt.decode`` (RFC 8725 §3.1), then joserfc's
claims registry for ``exp`` (RFC 7519 §4.1.4), ``nbf`` (§4.1.5), ``iat`` and ``aud``
(§4.1.3), with an explicit leeway. ``jti`` (§4.1.7) only names the token; refusing a second
use is the verifier's own replay cache, which this module keeps (a set of seen ``jti``
values), and which is therefore the one check here that is the course's code.

Each case can be run with its one check switched off, to show that check did the refusing.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from joserfc import jwt
from joserfc.errors import ExpiredTokenError, InvalidClaimError, JoseError
from joserfc.jwk import ECKey
from joserfc.util import urlsafe_b64encode
from pydantic import Field

from netlab._validate import one_of, public
from netlab.oauth.idtoken import decode_jwt_unverified, registry_without

#: The lab clock's "now": 2026-01-01 00:00 UTC, as in labs 5.1 and 5.2.
NOW = 1_767_225_600
ISSUER = "https://provider.example"
AUDIENCE = "https://photos.example/api"
#: The checks a case can switch off.
JWT_CHECKS = ("alg", "exp", "nbf", "aud", "jti")
#: The leeway of the ``expired-within-leeway`` case (RFC 7519 §4.1.4: "a few minutes" at most).
LEEWAY_S = 30

Leeway = Annotated[int, Field(ge=0, le=600)]


def _claims(**changes: Any) -> dict[str, Any]:
    claims = {"iss": ISSUER, "sub": "user-1001", "aud": AUDIENCE, "iat": NOW, "nbf": NOW,
              "exp": NOW + 300, "jti": "at-1", "scope": "photos.read"}
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _unsigned(claims: dict[str, Any]) -> str:
    """An ``alg: none`` JWT (RFC 7519 §6): header and claims, empty signature."""
    def part(value: dict[str, Any]) -> str:
        return urlsafe_b64encode(json.dumps(value).encode()).decode()
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


#: The cases: (name, what the token is, claims, how it is presented, the check it targets).
CASES = (
    ("fresh", "signed, nbf = now, exp = now + 300 s", _claims(), "", ""),
    ("expired", "exp was 10 s ago", _claims(iat=NOW - 310, nbf=NOW - 310, exp=NOW - 10), "",
     "exp"),
    ("expired-within-leeway", f"exp was 10 s ago; the verifier allows {LEEWAY_S} s of leeway",
     _claims(iat=NOW - 310, nbf=NOW - 310, exp=NOW - 10), "leeway", ""),
    ("not-yet-valid", "nbf is 120 s from now", _claims(nbf=NOW + 120), "", "nbf"),
    ("other-audience", "aud names another API", _claims(aud="https://billing.example/api"), "",
     "aud"),
    ("replayed", "the same token (jti at-1) presented a second time", _claims(), "twice", "jti"),
    ("alg-none", "alg: none, no signature", _claims(), "unsigned", "alg"),
)
#: The case names, in the order of the table.
JWT_CASES = tuple(c[0] for c in CASES)
CaseName = Annotated[str, one_of(JWT_CASES)]


def _verify(token: str, key: ECKey, *, now: int, leeway_s: int, seen: set[str],
            skip: frozenset[str]) -> str:
    """Return ``accepted: ...`` or ``refused by <check>: ...`` for one presentation."""
    try:
        if "alg" in skip:  # the mistake: read the claims whatever the header says
            claims = decode_jwt_unverified(token)[1]
        else:
            claims = jwt.decode(token, key, algorithms=["ES256"]).claims
    except (JoseError, ValueError) as error:
        return f"refused by alg: {error}"
    registry = registry_without(skip)(
        now=now, leeway=leeway_s, exp={"essential": True}, jti={"essential": True},
        aud={"essential": True, "value": AUDIENCE})
    try:
        registry.validate(claims)
    except ExpiredTokenError:
        return f"refused by exp: exp {claims['exp'] - now:+d} s from now, leeway {leeway_s} s"
    except InvalidClaimError as error:
        if error.claim == "nbf":  # joserfc: "The token is not valid yet"
            return (f"refused by nbf: nbf {claims['nbf'] - now:+d} s from now, "
                    f"leeway {leeway_s} s")
        return f"refused by {error.claim}: {claims.get(error.claim)!r} is not {AUDIENCE!r}"
    if "jti" not in skip:
        if claims["jti"] in seen:
            return f"refused by jti: {claims['jti']!r} was seen before (replay cache)"
        seen.add(claims["jti"])
    return f"accepted: sub {claims['sub']}, scope {claims['scope']}"


@public
def check_jwt_case(name: CaseName, *, off: bool = False, leeway_s: Leeway = 0) -> str:
    """Present case ``name``'s token (twice for ``replayed``) with or without its check."""
    _, _, claims, how, target = next(c for c in CASES if c[0] == name)
    key = ECKey.generate_key("P-256")
    token = _unsigned(claims) if how == "unsigned" else jwt.encode({"alg": "ES256"}, claims, key)
    skip = frozenset({target}) if off and target else frozenset()
    leeway = LEEWAY_S if how == "leeway" else leeway_s
    seen: set[str] = set()
    verdict = _verify(token, key, now=NOW, leeway_s=leeway, seen=seen, skip=skip)
    if how == "twice":
        verdict = _verify(token, key, now=NOW, leeway_s=leeway, seen=seen, skip=skip)
    return verdict


@public
def jwt_claims_table() -> list[dict[str, str]]:
    """Every case with its check on and with that one check off."""
    return [{"case": name, "token": what, "check": target or "-",
             "check on": check_jwt_case(name),
             "check off": check_jwt_case(name, off=True) if target else "-"}
            for name, what, _, _, target in CASES]
