"""Each attack is refused by the check it targets, and succeeds with only that check off."""

import pytest

from netlab.oauth import ATTACKS, attack_rows, csrf_matrix, run_attack, stolen_token_table
from netlab.oauth.attacks import check_of


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_each_attack_is_refused_by_its_target_and_works_without_it(name):
    target = ATTACKS[name].target
    on = run_attack(name)
    assert on.refused and on.refused_by == target, (on.refused_by, on.error, on.detail)
    off = run_attack(name, off=(target,))
    assert not off.refused, (off.refused_by, off.detail)
    assert off.outcome and target in off.off


def test_the_pkce_downgrade_is_refused_by_authlibs_token_endpoint_check():
    row = run_attack("pkce-downgrade")
    assert row.detail == ("The authorization request had no 'code_challenge', but a "
                          "'code_verifier' was provided.")
    token_hops = [h for h in row.hops if h.path == "/token"]
    assert token_hops and token_hops[-1].status == 400  # refused at the token endpoint
    # the stricter policy refuses it earlier, at the authorization endpoint
    strict = run_attack("pkce-downgrade", on=("pkce-required",))
    assert strict.refused_by == "pkce-required"
    assert not any(h.path == "/token" for h in strict.hops)


def test_the_csrf_matrix_shows_each_defence_alone_suffices():
    rows = {r["attack"]: r for r in csrf_matrix()}
    assert rows["csrf-login"]["stops it alone"] == "state, pkce, nonce"
    assert rows["pkce-downgrade"]["state off"] == "downgrade-check"
    assert rows["pkce-downgrade"]["stops it alone"] == "state, nonce"
    assert rows["code-injection"]["stops it alone"] == "pkce, nonce"
    assert rows["code-injection"]["state off"] == "pkce"  # state does not stop injection


def test_attack_rows_need_result_pairs():
    with pytest.raises(ValueError, match="pairs"):
        attack_rows([(1, 2)])


def test_unknown_attack_and_unknown_defence_are_refused():
    with pytest.raises(ValueError, match=r"name: must be one of .*'csrf-login'"):
        run_attack("sql-injection")
    with pytest.raises(ValueError, match="off: unknown defence 'wifi'"):
        run_attack("csrf-login", off=("wifi",))


def test_check_of_names_nothing_for_an_unknown_error():
    assert check_of("teapot", "short and stout") == "?"


def test_stolen_sender_constrained_tokens_fail_only_with_the_binding_check_on():
    rows = stolen_token_table()
    by = {(r["token"].split(" (")[0], r["used by"].split(",")[0]): r for r in rows}
    assert by[("bearer token", "Mallory")]["binding check on"] == "200 served"
    for key in [("DPoP-bound", "Mallory"), ("certificate-bound", "Mallory")]:
        assert by[key]["binding check on"].startswith("401"), by[key]
        assert by[key]["binding check off"] == "200 served"
    assert all(r["binding check on"] == "200 served" for r in rows
               if r["used by"].startswith("the backend"))
