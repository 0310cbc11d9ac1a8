import socket

import pytest

from netlab.oauth import ALICE, CLIENT_ID, decode_jwt_unverified, oauth_lab, run_flow, token_leaks


@pytest.fixture(scope="module")
def flow():
    with oauth_lab(seed=7) as lab:
        result = run_flow(lab)
        yield lab, result


def test_alice_is_signed_in_and_the_api_answers(flow):
    lab, result = flow
    assert result.signed_in_as == {"signed_in_as": ALICE.sub, "name": ALICE.name}
    assert result.userinfo["sub"] == ALICE.sub and result.userinfo["email"] == ALICE.email
    assert result.token_keys == ["access_token", "expires_at", "expires_in", "id_token",
                                 "refresh_token", "scope", "token_type"]
    assert all(not service.errors for service in lab.services.values())


def test_sign_in_hops_follow_rfc6749_figure_3_order(flow):
    _, result = flow
    hops = [(h.src, h.dst, h.method, h.path, h.channel, h.status) for h in result.steps["sign in"]]
    assert hops == [
        ("browser", "client", "GET", "/login", "front", 302),           # (A) client redirects
        ("browser", "provider", "GET", "/authorize", "front", 200),     # (A) request arrives
        ("browser", "provider", "POST", "/authorize", "front", 302),    # (B) login + consent
        ("browser", "client", "GET", "/callback", "front", 302),        # (C) code via browser
        ("client", "provider", "POST", "/token", "back", 200),          # (D)+(E) back channel
        ("client", "provider", "GET", "/jwks", "back", 200),            # keys to verify ID token
        ("browser", "client", "GET", "/me", "front", 200),
    ]


def test_the_code_travels_the_front_channel_and_tokens_only_the_back(flow):
    _, result = flow
    hops = result.steps["sign in"]
    redirect = hops[2]
    assert redirect.result == "→ client/callback"
    assert set(redirect.result_params) == {"state", "code", "iss"}  # RFC 9207 §2
    assert hops[3].params["code"] == redirect.result_params["code"]
    for hop in hops:
        if hop.channel == "front":
            assert "access_token" not in hop.result and "id_token" not in hop.result
    token = hops[4]
    assert token.params["code"] == redirect.result_params["code"]
    assert token.auth == "client auth: Basic" and "id_token" in token.result


def test_authorization_request_carries_state_nonce_and_s256_challenge(flow):
    _, result = flow
    request = result.steps["sign in"][1].params
    assert request["response_type"] == "code" and request["client_id"] == CLIENT_ID
    assert request["code_challenge_method"] == "S256"
    assert request["redirect_uri"] == "client/callback"
    assert request["scope"] == "openid profile email photos.read"
    assert len(request["state"]) == 43 and len(request["nonce"]) == 43


def test_password_goes_to_the_provider_only(flow):
    lab, _ = flow
    carrying = [(h.dst, h.params["password"]) for h in lab.trace.hops if "password" in h.params]
    assert carrying == [("provider", "***")]


def test_id_token_claims(flow):
    lab, result = flow
    header, claims, signature_bytes = decode_jwt_unverified(result.id_token)
    assert header == {"typ": "JWT", "alg": "RS256", "kid": "netlab-op-1"}
    assert signature_bytes == 256  # RSA-2048
    assert claims["iss"] == lab.provider.issuer and claims["aud"] == CLIENT_ID
    assert claims["sub"] == ALICE.sub and claims["exp"] - claims["iat"] == 3600
    assert claims["nonce"] == result.steps["sign in"][1].params["nonce"]


def test_refresh_rotates_and_logout_revokes(flow):
    lab, result = flow
    refresh = result.steps["refresh"]
    assert [(h.dst, h.path, h.status) for h in refresh] == [("client", "/refresh", 200),
                                                             ("provider", "/token", 200)]
    assert refresh[1].params["grant_type"] == "refresh_token"
    assert "refresh_token" in refresh[1].result  # a new one: rotation
    logout = result.steps["log out"]
    assert [(h.dst, h.path, h.status) for h in logout] == [("client", "/logout", 200),
                                                            ("provider", "/revoke", 200)]
    assert all(t.revoked and t.refresh_revoked for t in lab.provider.by_access.values())
    assert lab.client.sessions == {}


def test_the_same_seed_gives_the_same_trace():
    def texts():
        with oauth_lab(seed=3) as lab:
            result = run_flow(lab)
            return [h.params_text() + h.response_text() for h in result.steps["sign in"]]
    assert texts() == texts()


def test_servers_leave_no_listening_socket_behind():
    with oauth_lab(seed=7) as lab:
        ports = lab.ports_in_use()
        for port in ports:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
    for port in ports:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=1)


def test_servers_close_also_when_the_block_raises():
    with pytest.raises(RuntimeError, match="boom"), oauth_lab(seed=7) as lab:
        ports = lab.ports_in_use()
        raise RuntimeError("boom")
    for port in ports:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", port), timeout=1)


def test_no_token_value_appears_in_the_browsers_recorded_traffic(flow):
    lab, result = flow
    leaks = token_leaks(result)
    assert set(leaks) >= {"access_token", "refresh_token", "id_token"}
    for name, (in_browser, in_back_channel) in leaks.items():
        assert in_browser == 0, name
        assert in_back_channel >= 1, name  # the search does find them where they travel
    assert len(result.browser_traffic) == 8  # sign in (5), profile, refresh, logout
    assert any("code=" in e.text() for e in result.browser_traffic)


def test_a_gis_credential_does_pass_through_the_browser():
    with oauth_lab(seed=7) as lab:
        browser = lab.browser()
        credential = lab.gis_credential(browser, ALICE)
        lab.gis_post(browser, credential)
        assert lab.signed_in_as(browser) == ALICE.sub
        assert sum(credential in e.text() for e in browser.traffic) == 2  # received, posted


def test_refresh_token_only_with_access_type_offline():
    with oauth_lab(seed=7) as lab:
        lab.client.issuers["provider"]  # the client asks for access_type=offline
        lab.sign_in(lab.browser(), ALICE)
        session = next(iter(lab.client.sessions.values()))
        assert "refresh_token" in session.tokens
        code = next(iter(lab.provider.codes.values()))
        assert code.offline


def test_bad_seed_is_refused():
    with pytest.raises(ValueError, match=r"oauth_lab: seed: Input should be greater"), \
            oauth_lab(seed=-1):
        pass


def test_unknown_defence_is_refused():
    with pytest.raises(ValueError, match=r"defences: unknown defence 'moat'"), \
            oauth_lab(seed=7, defences=("moat",)):
        pass


def test_sign_in_moves_the_session_to_a_new_id():
    # RFC 6265bis §8.4: a session id from before the login must not become the signed-in one
    from netlab.oauth.client_app import COOKIE

    with oauth_lab(seed=7) as lab:
        browser = lab.browser()
        browser.open(lab.url("client", "/login"), stop_at="/authorize")
        before = browser.http.cookies.get(COOKIE)
        lab.sign_in(browser, ALICE)
        after = browser.http.cookies.get(COOKIE)
        assert before and after and before != after
        assert before not in lab.client.sessions and before in lab.client.replaced
        assert lab.signed_in_as(browser) == ALICE.sub
