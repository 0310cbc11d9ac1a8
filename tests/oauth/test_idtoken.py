import pytest
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from netlab.oauth import (
    GOOGLE_ISSUERS,
    IdTokenError,
    check_id_token_claims,
    tamper_payload,
    validate_id_token,
)

NOW = 1_767_225_600
ISS, AUD, NONCE = "http://127.0.0.1:8000", "photo-app", "n-0S6_WzA2Mj"


def claims(**changes):
    base = {"iss": ISS, "sub": "user-1001", "aud": AUD, "iat": NOW, "exp": NOW + 3600,
            "nonce": NONCE}
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def check(c, now=NOW, nonce=NONCE):
    return check_id_token_claims(c, issuer=ISS, client_id=AUD, nonce=nonce, now=now)


def test_valid_claims_pass():
    assert check(claims())["sub"] == "user-1001"


@pytest.mark.parametrize(("change", "reason"), [
    ({"aud": "quiz-app"}, "wrong aud"),
    ({"aud": ["quiz-app", "other"]}, "wrong aud"),
    ({"iss": "http://evil.example"}, "wrong iss"),
    ({"nonce": "another"}, "wrong nonce"),
    ({"exp": NOW}, "expired"),                 # exp is "on or after which" (RFC 7519 §4.1.4)
    ({"iat": NOW + 60}, "wrong iat"),           # issued in the future
    ({"aud": None}, "missing aud"),
    ({"sub": None}, "missing sub"),
])
def test_each_bad_claim_has_its_reason(change, reason):
    with pytest.raises(IdTokenError) as info:
        check(claims(**change))
    assert info.value.reason == reason


def test_one_second_before_exp_is_still_valid():
    assert check(claims(), now=NOW + 3599)
    with pytest.raises(IdTokenError, match="expired"):
        check(claims(), now=NOW + 3600)


def test_a_request_without_nonce_has_no_nonce_to_check():
    # OIDC Core §3.1.3.7 step 11 applies "if a nonce value was sent"; GIS sends none by default
    assert check(claims(), nonce=None)["nonce"] == NONCE


@pytest.mark.parametrize(("change", "reason"), [
    ({"aud": "quiz-app"}, "wrong aud"), ({"iss": "http://evil.example"}, "wrong iss"),
    ({"nonce": "another"}, "wrong nonce"), ({"exp": NOW}, "expired"),
    ({"azp": "quiz-app"}, "wrong azp"),
])
def test_each_check_switched_off_lets_its_claim_through(change, reason):
    name = {"expired": "exp"}.get(reason, reason.split()[-1])
    with pytest.raises(IdTokenError) as info:
        check(claims(**change))
    assert info.value.reason == reason
    skipped = check_id_token_claims(claims(**change), issuer=ISS, client_id=AUD, nonce=NONCE,
                                    now=NOW, skip=frozenset({name}))
    assert skipped["sub"] == "user-1001"


def test_azp_rules():
    assert check(claims(azp=AUD))  # azp equal to the client: fine
    with pytest.raises(IdTokenError, match="missing azp"):  # several audiences, no azp
        check(claims(aud=[AUD, "other-app"]))


def test_google_issuer_in_both_forms():
    for iss in GOOGLE_ISSUERS:
        ok = check_id_token_claims(claims(iss=iss), issuer=GOOGLE_ISSUERS, client_id=AUD,
                                   nonce=NONCE, now=NOW)
        assert ok["iss"] == iss
    with pytest.raises(IdTokenError, match="wrong iss"):
        check_id_token_claims(claims(iss="https://accounts.google.com/"), issuer=GOOGLE_ISSUERS,
                              client_id=AUD, nonce=NONCE, now=NOW)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"issuer": ""}, "issuer"),
    ({"client_id": ""}, "client_id: String should have at least 1 character"),
    ({"now": -1}, "now: Input should be greater than or equal to 0"),
    ({"skip": frozenset({"moat"})}, "skip"),
])
def test_bad_arguments(kwargs, message):
    args = {"issuer": ISS, "client_id": AUD, "nonce": NONCE, "now": NOW, **kwargs}
    with pytest.raises(ValueError, match=message):
        check_id_token_claims(claims(), **args)


def test_signature_is_verified_before_claims():
    key = RSAKey.generate_key(2048, parameters={"kid": "k1"}, private=True)
    jwks = KeySet([key]).as_dict(private=False)
    token = jwt.encode({"alg": "RS256", "kid": "k1"}, claims(), key)
    validated = validate_id_token(token, jwks=jwks, issuer=ISS, client_id=AUD, nonce=NONCE,
                                  now=NOW)
    assert validated["sub"] == "user-1001"
    forged = tamper_payload(token, {"sub": "admin"})
    with pytest.raises(IdTokenError, match="bad signature"):
        validate_id_token(forged, jwks=jwks, issuer=ISS, client_id=AUD, nonce=NONCE, now=NOW)
    other = RSAKey.generate_key(2048, parameters={"kid": "k1"}, private=True)
    resigned = jwt.encode({"alg": "RS256", "kid": "k1"}, claims(sub="admin"), other)
    with pytest.raises(IdTokenError, match="bad signature"):
        validate_id_token(resigned, jwks=jwks, issuer=ISS, client_id=AUD, nonce=NONCE, now=NOW)
    unknown = jwt.encode({"alg": "RS256", "kid": "k9"}, claims(), other)
    with pytest.raises(IdTokenError, match="unknown kid"):
        validate_id_token(unknown, jwks=jwks, issuer=ISS, client_id=AUD, nonce=NONCE, now=NOW)
    with pytest.raises(IdTokenError, match="malformed"):
        validate_id_token("not-a-jwt", jwks=jwks, issuer=ISS, client_id=AUD, nonce=NONCE,
                          now=NOW)


def test_claims_verdict_for_the_widget():
    from netlab.oauth import claims_verdict
    assert claims_verdict().startswith("accepted")
    assert claims_verdict(age_s=3599).startswith("accepted")
    assert claims_verdict(age_s=3600).startswith("refused: expired")
    assert claims_verdict(aud="quiz-app").startswith("refused: wrong aud")
    assert claims_verdict(nonce_matches=False).startswith("refused: wrong nonce")
    assert claims_verdict(issuer_matches=False).startswith("refused: wrong iss")
    with pytest.raises(ValueError, match="age_s: Input should be less than or equal to 86400"):
        claims_verdict(age_s=90_000)
