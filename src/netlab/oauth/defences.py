"""Every defence of the lab by name: who enforces it and where the rule comes from.

A lab run takes the set of defences that are on. Switching exactly one off is how the labs
show that an attack is refused *by the check it targets*: with that one check off, and
everything else unchanged, the attack goes through.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from netlab._validate import public


@dataclass(frozen=True)
class Defence:
    """One check: its name, who makes it, what it checks, and the rule behind it."""

    name: str
    who: str
    what: str
    source: str


_ALL = (
    Defence("state", "client", "state at /callback equals the one in this browser's session",
            "RFC 6749 §10.12; RFC 9700 §2.1, §4.7.1"),
    Defence("pkce", "client + AS token endpoint",
            "the client sends an S256 code_challenge; the token endpoint checks the verifier",
            "RFC 7636 §4.6; RFC 9700 §2.1.1"),
    Defence("nonce", "client", "the ID token's nonce equals the one in this browser's session",
            "OIDC Core §3.1.3.7 step 11; RFC 9700 §4.5.3.2"),
    Defence("downgrade-check", "AS token endpoint",
            "a code_verifier for a code issued without code_challenge is refused (Authlib)",
            "RFC 9700 §2.1.1, §4.8.2"),
    Defence("pkce-required", "AS authorization endpoint",
            "an authorization request without code_challenge is refused (a stricter policy)",
            "RFC 9700 §4.8.2 (last paragraph); OAuth 2.1 draft"),
    Defence("exact-redirect", "AS authorization endpoint",
            "redirect_uri equals a registered URI, character for character",
            "RFC 9700 §2.1, §4.1.3"),
    Defence("single-use-code", "AS token endpoint",
            "a code works once; a second use also revokes what the first one produced",
            "RFC 6749 §4.1.2"),
    Defence("code-lifetime", "AS token endpoint", "a code older than its lifetime is refused",
            "RFC 6749 §4.1.2"),
    Defence("refresh-rotation", "AS token endpoint",
            "a rotated refresh token used again revokes the whole grant",
            "RFC 9700 §4.14.2"),
    Defence("signature", "client", "the ID token's RS256 signature verifies with the JWKS key",
            "OIDC Core §3.1.3.7 step 6"),
    Defence("iss", "client", "the ID token's iss is exactly the expected issuer",
            "OIDC Core §3.1.3.7 step 2"),
    Defence("aud", "client", "the ID token's aud contains this client's client_id",
            "OIDC Core §3.1.3.7 step 3"),
    Defence("azp", "client", "an azp claim, if present, is this client's client_id",
            "OIDC Core §3.1.3.7 steps 4-5"),
    Defence("exp", "client", "now is before the ID token's exp", "OIDC Core §3.1.3.7 step 9"),
    Defence("iss-parameter", "client",
            "the authorization response's iss is the issuer this browser's login went to",
            "RFC 9207 §2.4; RFC 9700 §4.4.2.1"),
    Defence("introspection", "client",
            "an access token offered as a login was issued to this client (client_id)",
            "RFC 7662 §2.2; RFC 6749 §10.16"),
    Defence("g-csrf", "client (login_uri)",
            "the g_csrf_token cookie equals the g_csrf_token field (double-submit cookie)",
            "Google Identity Services, Verify the Google ID token"),
    Defence("email-verified", "client (login_uri)",
            "an e-mail address links accounts only when email_verified is true",
            "OIDC Core §5.1; Google Identity Services"),
    Defence("hd", "client (login_uri)",
            "the hd claim is the Workspace domain this app is restricted to",
            "Google Identity Services, Verify the Google ID token"),
    Defence("session-rotation", "client",
            "a sign-in moves the session to a new session id and retires the old one",
            "RFC 6265bis §8.4 (session fixation)"),
    Defence("sender-binding", "resource server",
            "a sender-constrained token is used only with the key or certificate it is bound to",
            "RFC 9449 §7.1; RFC 8705 §3"),
)

#: Every defence by name, in the order the chapter discusses them.
DEFENCES: dict[str, Defence] = {d.name: d for d in _ALL}
#: What a lab runs with unless told otherwise: everything but the stricter PKCE policy.
DEFAULT_ON = frozenset(DEFENCES) - {"pkce-required"}


@public
def defences_without(*names: str) -> frozenset[str]:
    """The default defences with ``names`` switched off."""
    unknown = sorted(set(names) - set(DEFENCES))
    if unknown:
        raise ValueError(f"names: unknown defence {unknown[0]!r}; known: {', '.join(DEFENCES)}")
    return DEFAULT_ON - set(names)


def check_defences(name: str, on: Iterable[str]) -> frozenset[str]:
    """Return ``on`` as a frozenset, refusing names that are not defences."""
    if isinstance(on, str):
        raise ValueError(f"{name}: must be a collection of defence names, got a string")
    found = frozenset(on)
    unknown = sorted(str(n) for n in found - set(DEFENCES))
    if unknown:
        raise ValueError(f"{name}: unknown defence {unknown[0]!r}; known: {', '.join(DEFENCES)}")
    return found
