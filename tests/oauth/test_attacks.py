import pytest

from netlab.oauth import ATTACKS, format_attacks, run_attack, run_attacks

#: attack name -> (who refuses it, the error it gets)
EXPECTED = {
    "state-mismatch": ("client", "state_mismatch"),
    "pkce-downgrade": ("authorization server (authorization endpoint)", "invalid_request"),
    "redirect-mismatch": ("authorization server (authorization endpoint)", "invalid_request"),
    "code-injection": ("authorization server (token endpoint)", "invalid_grant"),
    "code-replay": ("authorization server (token endpoint)", "invalid_grant (first tokens revoked)"),
    "code-expired": ("authorization server (token endpoint)", "invalid_grant"),
    "id-token-audience": ("client", "invalid_id_token (wrong aud)"),
    "id-token-expired": ("client", "invalid_id_token (expired)"),
    "id-token-nonce": ("client", "invalid_id_token (wrong nonce)"),
    "id-token-signature": ("client", "invalid_id_token (bad signature)"),
    "access-token-as-login": ("client", "not_an_id_token"),
    "refresh-replay": ("authorization server (token endpoint)",
                       "invalid_grant (token family revoked)"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_attack_is_refused_by_the_right_party(name):
    row = run_attack(name)
    assert (row.refused_by, row.error) == EXPECTED[name], row.detail
    assert row.refused
    assert row.status in (302, 400), row.status  # 302: an error redirect back to the client


def test_the_naive_client_falls_for_token_substitution():
    row = run_attack("access-token-as-login-naive")
    assert not row.refused and row.error == "signed in as user-1001" and row.status == 200


def test_the_table_lists_every_attack_once_in_order():
    rows = run_attacks(seed=7)
    assert len(rows) == len(ATTACKS) == 13
    text = format_attacks(rows)
    assert text.splitlines()[0].split() [:2] == ["attack", "what"]
    assert sum(1 for r in rows if r.refused) == 12


def test_unknown_attack_is_refused():
    with pytest.raises(ValueError, match=r"name must be one of .*'state-mismatch'"):
        run_attack("sql-injection")


@pytest.mark.parametrize(("name", "detail"), [
    ("pkce-downgrade", "Missing 'code_challenge'"),
    ("redirect-mismatch", "is not supported by client"),
    ("code-injection", "Code challenge failed"),
    ("code-replay", "already used"),
    ("code-expired", "has expired"),
    ("refresh-replay", "already used"),
])
def test_the_authorization_server_says_why(name, detail):
    assert detail in run_attack(name).detail
