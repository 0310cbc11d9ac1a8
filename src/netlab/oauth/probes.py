"""Probes for chapter 5's facts: what the installed Authlib does (see netlab.facts)."""

from __future__ import annotations

import importlib.util
from types import SimpleNamespace

from authlib.oauth2.rfc6749.errors import OAuth2Error
from authlib.oauth2.rfc7636 import CodeChallenge, create_s256_code_challenge

#: RFC 7636 Appendix B's code_verifier.
APPENDIX_B_VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"


def pkce_test_vector() -> str:
    """Authlib's S256 challenge of RFC 7636 Appendix B's verifier."""
    return create_s256_code_challenge(APPENDIX_B_VERIFIER)


def downgrade_refusal() -> str | None:
    """What Authlib's token endpoint answers to a code_verifier for a code issued without
    code_challenge (RFC 9700 §4.8.2), or None if it accepts it."""
    code = SimpleNamespace(code_challenge=None, code_challenge_method=None)
    request = SimpleNamespace(form={"code_verifier": APPENDIX_B_VERIFIER},
                              auth_method="client_secret_basic", authorization_code=code)
    try:
        CodeChallenge(required=True).validate_code_verifier(SimpleNamespace(request=request), None)
    except OAuth2Error as error:
        return error.description
    return None


def authlib_has_dpop() -> bool:
    """Whether the installed Authlib ships a DPoP (RFC 9449) module."""
    return importlib.util.find_spec("authlib.oauth2.rfc9449") is not None


def tough_cookie_default_samesite() -> str | None:
    """Whether the pinned tough-cookie sends a cookie set without SameSite with a cross-site
    form POST ("sent" or "not sent"), or None where node or the package is missing."""
    from netlab.oauth.cookies import cookie_sent
    from netlab.typescript.toolchain import ToolchainError

    try:
        verdict = cookie_sent("absent", "form POST from mallory.example (CSRF)")
    except (ToolchainError, OSError):
        return None
    return verdict.rsplit(": ", 1)[1]
