"""DPoP (RFC 9449): the proof a client signs for each request, and the checks of §4.3.

Authlib 1.9 implements neither DPoP nor mTLS-bound tokens, so the lab builds the proof
and checks it with joserfc (JWS, JWK thumbprints of RFC 7638); the rules are RFC 9449's.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey
from joserfc.util import urlsafe_b64encode

from netlab.oauth.pkce import random_token

#: RFC 9449 §4.2: the media type of a DPoP proof's typ header.
DPOP_TYP = "dpop+jwt"
#: How far a proof's iat may be from the server's clock (RFC 9449 §11.1 leaves it to the server).
IAT_WINDOW_S = 60


class DPoPError(ValueError):
    """A DPoP proof a server must refuse (RFC 9449 §4.3, §7.1), with the check that failed."""

    def __init__(self, check: str, description: str) -> None:
        super().__init__(f"{check}: {description}")
        self.check = check


def ath(access_token: str) -> str:
    """base64url(SHA-256(access token)): the ath claim of RFC 9449 §4.2."""
    return urlsafe_b64encode(hashlib.sha256(access_token.encode("ascii")).digest()).decode()


def htu_of(url: str) -> str:
    """The URL as htu compares it: without query and fragment (RFC 9449 §4.2, §4.3 step 9)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


@dataclass
class DPoPKey:
    """A client's DPoP key pair (P-256, ES256) and the proofs it signs."""

    rng: random.Random
    key: ECKey = field(default_factory=lambda: ECKey.generate_key("P-256", private=True))

    @property
    def jkt(self) -> str:
        """The RFC 7638 thumbprint of the public key: what cnf.jkt binds a token to."""
        return self.key.thumbprint()

    def proof(self, method: str, url: str, *, now: int, access_token: str | None = None) -> str:
        """Sign a proof for one request (RFC 9449 §4.2); with ``access_token``, include ath."""
        public = self.key.as_dict(private=False)
        claims = {"jti": random_token(self.rng, 22), "htm": method, "htu": htu_of(url), "iat": now}
        if access_token is not None:
            claims["ath"] = ath(access_token)
        header = {"typ": DPOP_TYP, "alg": "ES256", "jwk": public}
        return jws.serialize_compact(header, json.dumps(claims, sort_keys=True), self.key)


@dataclass
class DPoPVerifier:
    """What a server keeps to check proofs: the jti values it has already seen."""

    seen_jti: set[str] = field(default_factory=set)

    def verify(self, proof: str | None, method: str, url: str, *, now: int,
               access_token: str | None = None) -> str:
        """Check a proof as RFC 9449 §4.3 says; return the thumbprint of its key."""
        if not proof:
            raise DPoPError("missing", "no DPoP header (RFC 9449 §4.3 step 1)")
        try:
            compact = jws.extract_compact(proof.encode())
        except (JoseError, ValueError) as error:
            raise DPoPError("malformed", "the DPoP header is not a JWS") from error
        header = dict(compact.protected)
        if header.get("typ") != DPOP_TYP:
            raise DPoPError("typ", f"typ must be {DPOP_TYP!r} (§4.3 step 4)")
        if header.get("alg") != "ES256" or not isinstance(header.get("jwk"), dict):
            raise DPoPError("alg", "an asymmetric alg with a public jwk is required (§4.3 step 5)")
        if "d" in header["jwk"]:
            raise DPoPError("jwk", "the jwk must not contain a private key (§4.3 step 7)")
        try:
            key = ECKey.import_key(header["jwk"])
            claims = json.loads(jws.deserialize_compact(proof, key, algorithms=["ES256"]).payload)
        except (JoseError, ValueError) as error:
            raise DPoPError("signature", "the proof does not verify with its jwk (§4.3 step 6)") \
                from error
        if claims.get("htm") != method or claims.get("htu") != htu_of(url):
            raise DPoPError("htm/htu", "the proof was made for another request (§4.3 steps 8-9)")
        if not isinstance(claims.get("iat"), int) or abs(claims["iat"] - now) > IAT_WINDOW_S:
            raise DPoPError("iat", f"iat is more than {IAT_WINDOW_S} s from now (§4.3 step 11)")
        if claims.get("jti") in self.seen_jti or not claims.get("jti"):
            raise DPoPError("jti", "this proof was seen before: a replay (§11.1)")
        if access_token is not None and claims.get("ath") != ath(access_token):
            raise DPoPError("ath", "the proof is not for this access token (§4.3 step 12)")
        self.seen_jti.add(claims["jti"])
        return key.thumbprint()
