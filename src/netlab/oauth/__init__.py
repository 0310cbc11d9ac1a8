"""OAuth 2.0 and OpenID Connect on loopback: provider, resource server, client and browser."""

from netlab.oauth.attacks import ATTACKS, AttackResult, format_attacks, run_attack, run_attacks
from netlab.oauth.browser import Browser, Page
from netlab.oauth.idtoken import (
    IdTokenError,
    check_id_token_claims,
    claims_verdict,
    decode_jwt_unverified,
    tamper_payload,
    validate_id_token,
)
from netlab.oauth.lab import (
    ALICE,
    CLIENT_ID,
    MALLORY,
    FlowResult,
    OAuthLab,
    flow_sequence_mermaid,
    oauth_lab,
    run_flow,
)
from netlab.oauth.models import Clock, User
from netlab.oauth.pkce import new_code_verifier, pkce_challenge
from netlab.oauth.plot import plot_sequence
from netlab.oauth.provider import Provider, check_redirect_uri
from netlab.oauth.trace import Hop, Trace, format_hops, hop_rows, sequence_mermaid

__all__ = [
    "ALICE", "ATTACKS", "AttackResult", "Browser", "CLIENT_ID", "Clock", "FlowResult", "Hop",
    "IdTokenError", "MALLORY", "OAuthLab", "Page", "Provider", "Trace", "User",
    "check_id_token_claims", "claims_verdict", "check_redirect_uri", "decode_jwt_unverified",
    "flow_sequence_mermaid", "format_attacks", "format_hops", "hop_rows", "new_code_verifier",
    "oauth_lab", "pkce_challenge", "plot_sequence", "run_attack", "run_attacks", "run_flow",
    "sequence_mermaid",
    "tamper_payload", "validate_id_token",
]
