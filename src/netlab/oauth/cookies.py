"""Cookies as a browser's cookie store keeps them: SameSite and the ``__Host-`` prefix.

The decisions are not the course's: each table is computed by **tough-cookie**, the
RFC 6265bis cookie jar that Node.js tools use (pinned in ``package.json``), run once
with ``node``. What the course adds is the request's *same-site status*, which a browser
works out from the page that started the request (RFC 6265bis §5.2) and hands to its
cookie store; here it is given per row, as the retrieval algorithm (§5.8.3) needs it:

- ``strict``: a same-site request;
- ``lax``: a cross-site top-level navigation with a safe method (a link, a redirect back
  from the provider);
- ``none``: any other cross-site request (a form POST from another site, an ``<img>``).

No network is involved: the jar is given URLs and answers which cookies it would store
and send. Host names are ``*.example`` (RFC 2606), never resolved.
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from netlab._validate import one_of, public
from netlab.typescript.toolchain import ToolchainError, find_repo_root, run_program

SITE = "https://photo.example"
#: The client site's cookies, one per SameSite value (and one without the attribute).
SITE_COOKIES = {
    "Lax": "__Host-lax=s1; Secure; HttpOnly; Path=/; SameSite=Lax",
    "Strict": "__Host-strict=s2; Secure; HttpOnly; Path=/; SameSite=Strict",
    "None": "__Host-none=s3; Secure; HttpOnly; Path=/; SameSite=None",
    "no SameSite": "__Host-default=s4; Secure; HttpOnly; Path=/",
}
#: Requests to photo.example and their same-site status (RFC 6265bis §5.2, §5.8.3).
REQUESTS = {
    "link inside photo.example": ("https://photo.example/me", "strict", True),
    "link from mallory.example (GET)": ("https://photo.example/me", "lax", True),
    "redirect back from the provider (GET /callback)":
        ("https://photo.example/callback", "lax", True),
    "form POST from mallory.example (CSRF)": ("https://photo.example/transfer", "none", True),
    "<img> or fetch() from mallory.example": ("https://photo.example/me", "none", True),
    "document.cookie in photo.example's page": ("https://photo.example/me", "strict", False),
}
#: Set-Cookie attempts on the ``__Host-`` prefix (RFC 6265bis §4.1.3.2, §5.4).
PREFIX_ATTEMPTS = (
    ("photo.example sets __Host-sid properly", "https://photo.example/callback",
     "__Host-sid=s1; Secure; HttpOnly; Path=/; SameSite=Lax"),
    ("... with Domain=photo.example", "https://photo.example/",
     "__Host-sid=s1; Secure; Path=/; Domain=photo.example"),
    ("... without Secure", "https://photo.example/", "__Host-sid=s1; HttpOnly; Path=/"),
    ("... from http://photo.example", "http://photo.example/",
     "__Host-sid=s1; Secure; HttpOnly; Path=/"),
    ("evil.photo.example tosses sid for the parent domain", "https://evil.photo.example/",
     "sid=planted; Secure; Path=/; Domain=photo.example"),
    ("evil.photo.example tosses __Host-sid", "https://evil.photo.example/",
     "__Host-sid=planted; Secure; Path=/; Domain=photo.example"),
)
TIMEOUT_S = 10.0

_JAR_JS = r"""
const { CookieJar } = require(process.argv[1] + '/tough-cookie');
const job = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const jar = new CookieJar(undefined, { prefixSecurity: job.prefixSecurity });
const stored = job.set.map(([url, header]) => {
  try { return jar.setCookieSync(header, url) ? 'stored' : 'ignored'; }
  catch (error) { return 'rejected: ' + error.message; }
});
const sent = job.get.map(([url, context, http]) =>
  jar.getCookieStringSync(url, { sameSiteContext: context, http: http }));
process.stdout.write(JSON.stringify({ stored, sent }));
"""


def _jar(set_cookies: list[tuple[str, str]], gets: list[tuple[str, str, bool]],
         prefix_security: str = "strict") -> tuple[list[str], list[str]]:
    """Run tough-cookie once: store ``set_cookies``, then answer each retrieval."""
    root = find_repo_root()
    job = json.dumps({"set": set_cookies, "get": gets, "prefixSecurity": prefix_security})
    done = run_program(["node", "-e", _JAR_JS, str(root / "node_modules")], cwd=root,
                       timeout_s=TIMEOUT_S, stdin=job)
    if done.returncode != 0:
        raise ToolchainError(f"node failed running tough-cookie: {done.stderr.strip()[:300]}"
                             "; run `npm ci` next to package.json")
    answer = json.loads(done.stdout)
    return answer["stored"], answer["sent"]


def _names(cookie_string: str) -> set[str]:
    return {pair.split("=", 1)[0] for pair in cookie_string.split("; ") if pair}


@public
def samesite_table() -> list[dict[str, str]]:
    """Which of the site's cookies tough-cookie sends with each kind of request."""
    _, sent = _jar([(SITE + "/", header) for header in SITE_COOKIES.values()],
                   [REQUESTS[kind] for kind in REQUESTS])
    rows = []
    for kind, cookie_string in zip(REQUESTS, sent, strict=True):
        names = _names(cookie_string)
        row = {"request": kind, "same-site status": REQUESTS[kind][1]}
        for column, header in SITE_COOKIES.items():
            row[column] = "sent" if header.split("=", 1)[0] in names else "-"
        rows.append(row)
    return rows


Kind = Annotated[str, one_of(tuple(REQUESTS))]
SameSite = Literal["Strict", "Lax", "None", "absent"]


@public
def cookie_sent(samesite: SameSite, request: Kind) -> str:
    """Whether tough-cookie sends ``sid`` with ``request`` when it was set with ``samesite``."""
    attribute = "" if samesite == "absent" else f"; SameSite={samesite}"
    header = f"sid=1; Secure; HttpOnly; Path=/{attribute}"
    _, sent = _jar([(SITE + "/", header)], [REQUESTS[request]])
    verdict = "sent" if "sid" in _names(sent[0]) else "not sent"
    return f"Set-Cookie: {header}  ->  {request}: {verdict}"


@public
def prefix_table() -> list[dict[str, str]]:
    """Each ``__Host-`` attempt with tough-cookie's prefix checks on, and with them off."""
    attempts = [(url, header) for _, url, header in PREFIX_ATTEMPTS]
    strict, _ = _jar(attempts, [])
    unchecked, _ = _jar(attempts, [], prefix_security="unsafe-disabled")
    return [{"attempt": what, "Set-Cookie": header, "prefix check on": on,
             "prefix check off": off}
            for (what, _, header), on, off in zip(PREFIX_ATTEMPTS, strict, unchecked, strict=True)]
