"""exp, nbf, aud, jti and the algorithm allow-list, each refused by its own check."""

import pytest

from netlab.oauth import JWT_CASES, check_jwt_case, jwt_claims_table


def test_each_case_is_refused_by_its_check_and_accepted_without_it():
    for row in jwt_claims_table():
        if row["check"] == "-":
            assert row["check on"].startswith("accepted"), row
        else:
            assert row["check on"].startswith(f"refused by {row['check']}:"), row
            assert row["check off"].startswith("accepted"), row


def test_leeway_accepts_a_token_that_expired_within_it():
    # RFC 7519 §4.1.4: not accepted "on or after" exp; joserfc refuses exp <= now - leeway
    assert check_jwt_case("expired", leeway_s=10).startswith("refused by exp")
    assert check_jwt_case("expired", leeway_s=11).startswith("accepted")
    assert check_jwt_case("not-yet-valid", leeway_s=120).startswith("accepted")


def test_the_replay_cache_refuses_the_second_use_only():
    assert check_jwt_case("replayed") == "refused by jti: 'at-1' was seen before (replay cache)"
    assert check_jwt_case("fresh").startswith("accepted")


def test_alg_none_is_refused_by_joserfc():
    assert "Algorithm of 'none' is not allowed" in check_jwt_case("alg-none")


def test_bad_arguments_are_refused():
    assert "fresh" in JWT_CASES
    with pytest.raises(ValueError, match="name"):
        check_jwt_case("forged")
    with pytest.raises(ValueError, match="leeway_s"):
        check_jwt_case("fresh", leeway_s=-1)
