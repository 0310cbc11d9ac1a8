"""OAuth 2.0 and OpenID Connect on loopback: provider, resource server, client and browser."""

from netlab.oauth.attacks import (
    ATTACKS,
    CSRF_ATTACKS,
    CSRF_DEFENCES,
    AttackResult,
    attack_rows,
    csrf_matrix,
    run_attack,
    run_attacks,
)
from netlab.oauth.browser import Browser, Exchange, Page
from netlab.oauth.cookies import REQUESTS as COOKIE_REQUESTS
from netlab.oauth.cookies import cookie_sent, prefix_table, samesite_table
from netlab.oauth.defences import DEFAULT_ON, DEFENCES, defences_without
from netlab.oauth.idtoken import (
    GOOGLE_ISSUERS,
    ID_TOKEN_CHECKS,
    IdTokenError,
    check_id_token_claims,
    claims_verdict,
    decode_jwt_unverified,
    tamper_payload,
    validate_id_token,
)
from netlab.oauth.jwtclaims import JWT_CASES, check_jwt_case, jwt_claims_table
from netlab.oauth.lab import (
    ALICE,
    CLIENT_ID,
    MALLORY,
    FlowResult,
    OAuthLab,
    flow_sequence_mermaid,
    gis_sequence_mermaid,
    jwks_rotation,
    oauth_lab,
    run_flow,
    token_leaks,
)
from netlab.oauth.models import Clock, User
from netlab.oauth.pkce import new_code_verifier, pkce_challenge
from netlab.oauth.plot import plot_sequence
from netlab.oauth.sender import sender_lab, stolen_token_table
from netlab.oauth.trace import Hop, Trace, format_hops, hop_rows, sequence_mermaid
from netlab.tables import format_table

__all__ = [
    "ALICE", "ATTACKS", "AttackResult", "Browser", "CLIENT_ID", "COOKIE_REQUESTS", "CSRF_ATTACKS",
    "CSRF_DEFENCES", "JWT_CASES", "check_jwt_case", "cookie_sent", "jwt_claims_table",
    "prefix_table", "samesite_table",
    "Clock", "DEFAULT_ON", "DEFENCES", "Exchange", "FlowResult", "GOOGLE_ISSUERS", "Hop",
    "ID_TOKEN_CHECKS", "IdTokenError", "MALLORY", "OAuthLab", "Page", "Trace", "User",
    "attack_rows", "check_id_token_claims", "claims_verdict", "csrf_matrix",
    "decode_jwt_unverified", "defences_without", "flow_sequence_mermaid", "format_hops",
    "format_table", "gis_sequence_mermaid", "hop_rows", "jwks_rotation", "new_code_verifier", "oauth_lab",
    "pkce_challenge", "plot_sequence", "run_attack", "run_attacks", "run_flow",
    "sender_lab", "sequence_mermaid", "stolen_token_table", "tamper_payload", "token_leaks",
    "validate_id_token",
]
