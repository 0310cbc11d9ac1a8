"""Finding and starting the machine's own Chromium: what the build and the tests share.

The build renders mermaid diagrams with it (``netlab_diagrams``), ``tools/build_pdf.py``
prints the PDF edition with it, and the browser checks (``tests/site_browser.py``) drive
it. It is always Debian's Chromium or an installed Google Chrome, started by Playwright
through its executable path: nothing here downloads a browser.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

INSTALL_HINT = "apt-get install chromium fonts-noto-cjk"
# Browsers tried in turn; CHROMIUM=/path/to/browser overrides. Debian has
# chromium; GitHub's Ubuntu runners have Google Chrome (their chromium-browser
# package is a stub for a snap, so it comes last).
BROWSERS = ("chromium", "google-chrome", "google-chrome-stable", "chromium-browser")
LOCAL_HOST = "127.0.0.1"
# Chromium's flags for a quiet, self-contained headless run. Outside requests
# are blocked by the browser itself: every host name but 127.0.0.1 is
# unresolvable, and everything not on loopback (an IP address too) goes to a
# proxy on a port nothing listens on; loopback bypasses proxies.
BROWSER_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--no-first-run",
    f"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE {LOCAL_HOST}",
    f"--proxy-server=http://{LOCAL_HOST}:9",
]


def find_browser() -> str | None:
    """Path of a Chromium-family browser, or None."""
    override = os.environ.get("CHROMIUM")
    if override:
        return override if Path(override).is_file() else shutil.which(override)
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def playwright_available() -> bool:
    """True when the Python Playwright package can be imported."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True
