import random

import pytest

from netlab.oauth import new_code_verifier, pkce_challenge
from netlab.oauth.pkce import VERIFIER_PATTERN, random_token


def test_rfc7636_appendix_b_vector():
    verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    assert pkce_challenge(verifier) == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def test_challenge_is_43_unpadded_base64url_characters():
    challenge = pkce_challenge(new_code_verifier(random.Random(7)))
    assert len(challenge) == 43  # 32 bytes of SHA-256, base64url without '='
    assert "=" not in challenge and "+" not in challenge and "/" not in challenge


def test_verifiers_are_seeded_and_well_formed():
    first = new_code_verifier(random.Random(7))
    assert first == new_code_verifier(random.Random(7))
    assert first != new_code_verifier(random.Random(8))
    assert VERIFIER_PATTERN.match(first) and len(first) == 64


@pytest.mark.parametrize("bad", ["short", "x" * 129, "a" * 42 + "!"])
def test_bad_verifier_is_refused(bad):
    with pytest.raises(ValueError, match=r"verifier must be 43 to 128 characters"):
        pkce_challenge(bad)


@pytest.mark.parametrize("bad", [42, None])
def test_a_verifier_that_is_not_a_string_is_refused(bad):
    with pytest.raises(ValueError, match=r"pkce_challenge: verifier: Input should be a valid string"):
        pkce_challenge(bad)


def test_random_token_checks_its_arguments():
    with pytest.raises(ValueError, match=r"rng: Input should be an instance of Random"):
        random_token(7)
    with pytest.raises(ValueError, match=r"length: Input should be greater than or equal to 8"):
        random_token(random.Random(1), 4)
