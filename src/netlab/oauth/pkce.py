"""PKCE (RFC 7636): the code verifier a client keeps and the S256 challenge it sends."""

from __future__ import annotations

import random
import re
from typing import Annotated

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from pydantic import Field

from netlab._validate import public

#: RFC 7636 §4.1: 43 to 128 characters from the unreserved set [A-Z a-z 0-9 - . _ ~].
VERIFIER_PATTERN = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")
#: base64url characters, a subset of the unreserved set, for random values.
TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@public
def pkce_challenge(verifier: str) -> str:
    """Return the S256 code challenge: BASE64URL(SHA256(ASCII(verifier))) without padding."""
    if not VERIFIER_PATTERN.match(verifier):
        raise ValueError("verifier must be 43 to 128 characters from "
                         f"[A-Za-z0-9-._~] (RFC 7636 §4.1), got {verifier!r}")
    return create_s256_code_challenge(verifier)


@public
def random_token(rng: random.Random, length: Annotated[int, Field(ge=8, le=128)] = 43) -> str:
    """Return ``length`` unreserved characters drawn from ``rng`` (state, nonce, verifier, codes)."""
    return "".join(rng.choice(TOKEN_ALPHABET) for _ in range(length))


@public
def new_code_verifier(rng: random.Random) -> str:
    """Return a fresh 64-character code verifier drawn from ``rng`` (RFC 7636 §4.1)."""
    return random_token(rng, 64)
