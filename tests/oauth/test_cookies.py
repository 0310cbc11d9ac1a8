"""SameSite and __Host- as tough-cookie (an RFC 6265bis cookie jar) applies them."""

import pytest

from netlab.oauth import cookie_sent, prefix_table, samesite_table


def test_samesite_rows_follow_the_retrieval_algorithm():
    rows = {r["request"]: r for r in samesite_table()}
    same = rows["link inside photo.example"]
    assert [same[c] for c in ("Lax", "Strict", "None", "no SameSite")] == ["sent"] * 4
    callback = rows["redirect back from the provider (GET /callback)"]
    assert (callback["Lax"], callback["Strict"]) == ("sent", "-")  # why Strict breaks OAuth
    csrf = rows["form POST from mallory.example (CSRF)"]
    assert (csrf["Lax"], csrf["Strict"], csrf["None"]) == ("-", "-", "sent")
    # tough-cookie 6.1 treats a missing SameSite as None (draft-22 §5.8.3 treats it as Lax)
    assert csrf["no SameSite"] == "sent"
    script = rows["document.cookie in photo.example's page"]
    assert set(script.values()) >= {"-"} and "sent" not in script.values()  # all HttpOnly


def test_host_prefix_refuses_domain_and_missing_secure_only_while_checked():
    rows = {r["attempt"]: r for r in prefix_table()}
    assert rows["photo.example sets __Host-sid properly"]["prefix check on"] == "stored"
    for attempt in ("... with Domain=photo.example", "... without Secure",
                    "evil.photo.example tosses __Host-sid"):
        assert rows[attempt]["prefix check on"].startswith("rejected: Cookie has __Host prefix")
        assert rows[attempt]["prefix check off"] == "stored"
    tossed = rows["evil.photo.example tosses sid for the parent domain"]
    assert tossed["prefix check on"] == "stored"  # an unprefixed cookie can be tossed
    insecure = rows["... from http://photo.example"]
    assert "not a secure connection" in insecure["prefix check on"] == insecure["prefix check off"]


@pytest.mark.parametrize(("samesite", "verdict"), [("Strict", "not sent"), ("Lax", "not sent"),
                                                    ("None", "sent"), ("absent", "sent")])
def test_cookie_sent_on_a_cross_site_post(samesite, verdict):
    line = cookie_sent(samesite, "form POST from mallory.example (CSRF)")
    assert line.endswith(": " + verdict)


def test_bad_names_are_refused():
    with pytest.raises(ValueError, match="samesite"):
        cookie_sent("Lux", "link inside photo.example")
    with pytest.raises(ValueError, match="request"):
        cookie_sent("Lax", "carrier pigeon")
