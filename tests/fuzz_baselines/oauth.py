"""Baselines for netlab.oauth: a valid call of each export that has required parameters.

Callables that need a running lab get a fixture that starts one on loopback and stops it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fuzz_harness import Baseline

from netlab.oauth import IdTokenError, oauth_lab, run_attack, run_flow
from netlab.oauth.lab import shared_signing_key

NOW = 1_767_225_600
CLAIMS = {"iss": "https://op.example", "sub": "user-1001", "aud": "photo-app", "iat": NOW,
          "exp": NOW + 3600, "nonce": "n-1"}
_CACHE: dict[str, Any] = {}


def _flow() -> Any:
    """One finished lab run (its trace and flow result), made once for every baseline."""
    if "flow" not in _CACHE:
        with oauth_lab(seed=7, signing_key=shared_signing_key()) as lab:
            _CACHE["flow"] = (lab.trace, run_flow(lab))
    return _CACHE["flow"]


def _id_token() -> tuple[str, dict[str, Any], str]:
    trace, flow = _flow()
    return flow.id_token, flow.jwks, flow.issuer


@contextmanager
def _live_lab() -> Iterator[dict[str, Any]]:
    with oauth_lab(seed=7, signing_key=shared_signing_key()) as lab:
        yield {"lab": lab}


@contextmanager
def _trace() -> Iterator[dict[str, Any]]:
    trace, flow = _flow()
    yield {"trace": trace, "hops": flow.steps["sign in"]}


@contextmanager
def _hops() -> Iterator[dict[str, Any]]:
    _, flow = _flow()
    yield {"hops": flow.steps["sign in"]}


@contextmanager
def _flow_result() -> Iterator[dict[str, Any]]:
    yield {"flow": _flow()[1]}


@contextmanager
def _token() -> Iterator[dict[str, Any]]:
    token, jwks, issuer = _id_token()
    yield {"jwks": jwks, "issuer": issuer, "id_token": token}


@contextmanager
def _pairs() -> Iterator[dict[str, Any]]:
    row = run_attack("csrf-login")
    yield {"pairs": [(row, row)]}


SLOW_SEED = "every seed runs whole labs (seconds a value); the same Seed alias is fuzzed in run_attack"

ALL_NAMES = "None means every attack (tens of lab runs); names are checked as in run_attack"

BASELINES = {
    "attack_rows": Baseline(fixture=_pairs),
    "check_jwt_case": Baseline(args=("expired",)),
    "cookie_sent": Baseline(args=("Lax", "link inside photo.example")),
    "check_id_token_claims": Baseline(args=(CLAIMS,), kwargs={
        "issuer": "https://op.example", "client_id": "photo-app", "nonce": "n-1", "now": NOW},
        domain_errors=(IdTokenError,)),
    "csrf_matrix": Baseline(kwargs={"names": ("csrf-login",)},
                            skip={"seed": SLOW_SEED, "names": ALL_NAMES}),
    "decode_jwt_unverified": Baseline(kwargs={"token": "eyJhbGciOiJSUzI1NiJ9.e30.AA"}),
    "format_hops": Baseline(fixture=_hops),
    "format_table": Baseline(args=([{"a": 1, "b": "x"}],)),
    "hop_rows": Baseline(fixture=_hops),
    "jwks_rotation": Baseline(skip={"seed": SLOW_SEED}),
    "new_code_verifier": Baseline(args=(random.Random(7),)),
    "pkce_challenge": Baseline(args=("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk",)),
    "plot_sequence": Baseline(fixture=_trace),
    "run_attack": Baseline(args=("csrf-login",)),
    "run_attacks": Baseline(kwargs={"names": ("csrf-login",)},
                            skip={"seed": SLOW_SEED, "names": ALL_NAMES}),
    "run_flow": Baseline(fixture=_live_lab),
    "sequence_mermaid": Baseline(fixture=_trace),
    "stolen_token_table": Baseline(skip={"seed": SLOW_SEED}),
    "tamper_payload": Baseline(kwargs={"token": "eyJhbGciOiJSUzI1NiJ9.e30.AA", "changes": {"sub": "x"}}),
    "token_leaks": Baseline(fixture=_flow_result),
    "validate_id_token": Baseline(fixture=_token, kwargs={"client_id": "photo-app",
                                                           "nonce": None, "now": NOW},
                                  domain_errors=(IdTokenError,)),
    "flow_sequence_mermaid": Baseline(skip={"seed": SLOW_SEED}),
    "gis_sequence_mermaid": Baseline(skip={"seed": SLOW_SEED}),
}
