"""`make bench` (site): each page's load time on loopback and its weight.

Serves ``_build/html`` on 127.0.0.1 (building the book first if there is none),
opens every page of ``_toc.yml`` in Chromium at 1280x800, one page at a time:
once cold (a new browser context, nothing cached) and ``--rounds`` times warm
(same context, as a reader going from page to page). Prints, per page, the
bytes of every file it loads, then seconds to the load event and to "ready"
(diagrams drawn, math typeset, stored widgets shown): cold, and the warm median.

Wall-clock times depend on what else the machine is doing; the load average
is printed with them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from site_browser import (  # noqa: E402 (after the path is set)
    BROWSER_ARGS,
    INSTALL_HINT,
    Visit,
    find_browser,
    new_context,
    serve,
    toc_pages,
    visit,
)

SITE = ROOT / "_build" / "html"


@dataclass(frozen=True)
class Row:
    """One page's numbers."""

    page: str
    bytes_total: int
    cold: Visit
    warm_load_s: float
    warm_ready_s: float


def build_if_missing() -> None:
    """Build the book as the tests do when there is no built site."""
    if (SITE / "index.html").is_file():
        return
    print("no built site: building it first", flush=True)
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    subprocess.run([str(jupyter_book), "build", str(ROOT), "-W", "-n", "--keep-going",
                    "--path-output", str(ROOT)], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def measure(browser_path: str, base_url: str, pages: list[str], rounds: int) -> list[Row]:
    """Visit every page cold once and warm ``rounds`` times, one page at a time."""
    from playwright.async_api import async_playwright

    rows = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=browser_path, headless=True,
                                                   args=BROWSER_ARGS)
        try:
            for page in pages:
                context = await new_context(browser, "desktop")
                cold = await visit(context, base_url, page, "desktop", site=SITE)
                warm = [await visit(context, base_url, page, "desktop", site=SITE)
                        for _ in range(rounds)]
                await context.close()
                rows.append(Row(page, cold.total_bytes, cold,
                                statistics.median(v.load_s for v in warm) if warm else 0.0,
                                statistics.median(v.ready_s for v in warm) if warm else 0.0))
                problems = cold.console_errors + cold.outside + cold.failed
                if problems or not cold.ready:
                    print(f"warning: {page}: ready={cold.ready} {problems}", file=sys.stderr)
        finally:
            await browser.close()
    return rows


def table(rows: list[Row], rounds: int) -> str:
    """The printed report."""
    width = max(len(r.page) for r in rows)
    head = (f"{'page':<{width}}  {'weight MB':>9}  {'cold load':>9}  {'cold ready':>10}  "
            f"{'warm load':>9}  {'warm ready':>10}")
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r.page:<{width}}  {r.bytes_total / 1e6:9.2f}  {r.cold.load_s:9.2f}  "
                     f"{r.cold.ready_s:10.2f}  {r.warm_load_s:9.2f}  {r.warm_ready_s:10.2f}")
    lines.append(f"{len(rows)} pages; seconds on loopback, warm = median of {rounds}; "
                 f"{sum(r.bytes_total for r in rows) / 1e6:.1f} MB in all")
    return "\n".join(lines)


def main() -> int:
    """Build if needed, serve, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="warm visits per page (default 2)")
    args = parser.parse_args()
    browser_path = find_browser()
    if browser_path is None:
        print(f"no Chromium or Chrome to measure the site with: {INSTALL_HINT}", file=sys.stderr)
        return 1
    build_if_missing()
    pages = toc_pages()
    before = os.getloadavg()[0]
    with serve(SITE) as base_url:
        rows = asyncio.run(measure(browser_path, base_url, pages, args.rounds))
    after = os.getloadavg()[0]
    print(table(rows, args.rounds))
    print(f"load average {before:.1f} before, {after:.1f} after, on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
