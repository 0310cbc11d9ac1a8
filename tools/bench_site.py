"""`make bench` (site): each page's load time on loopback and its weight.

Serves ``_build/html`` on 127.0.0.1 (building the book first if there is none),
opens every page of ``_toc.yml`` in Chromium at 1280x800, one page at a time:
once cold (a new browser context, nothing cached) and ``--rounds`` times warm
(same context, as a reader going from page to page). Prints, per page, what its
first screen loads (raw and as a gzip-serving host sends it), what it loads in
all once its widgets are scrolled to, then seconds to the load event and to
"ready" (diagrams drawn, math typeset, stored widgets shown): cold, and the warm
median; then the same weights summed by page kind. ``--site`` measures another
built copy of the site (to compare before and after a change).

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


def kind(page: str) -> str:
    """chapter, lab or other (intro, drill, notes, bibliography)."""
    return {"chapters": "chapter", "labs": "lab"}.get(page.split("/")[0], "other")


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


async def measure(browser_path: str, base_url: str, pages: list[str], rounds: int,
                  site: Path = SITE) -> list[Row]:
    """Visit every page cold once and warm ``rounds`` times, one page at a time."""
    from playwright.async_api import async_playwright

    rows = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=browser_path, headless=True,
                                                   args=BROWSER_ARGS)
        try:
            for page in pages:
                context = await new_context(browser, "desktop")
                cold = await visit(context, base_url, page, "desktop", site=site)
                warm = [await visit(context, base_url, page, "desktop", site=site)
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
    head = (f"{'page':<{width}}  {'first raw':>9}  {'first gz':>8}  {'whole raw':>9}  {'whole gz':>8}  "
            f"{'cold load':>9}  {'cold ready':>10}  {'warm load':>9}  {'warm ready':>10}")
    lines = [head, "-" * len(head)]
    for r in rows:
        c = r.cold
        lines.append(f"{r.page:<{width}}  {c.first_bytes / 1024:8.0f}K  {c.first_gzip / 1024:7.0f}K  "
                     f"{c.total_bytes / 1024:8.0f}K  {c.total_gzip / 1024:7.0f}K  {c.load_s:9.2f}  "
                     f"{c.ready_s:10.2f}  {r.warm_load_s:9.2f}  {r.warm_ready_s:10.2f}")
    lines.append(f"{len(rows)} pages; seconds on loopback, warm = median of {rounds}; KB = 1024 bytes")
    lines.append("")
    lines.append(f"{'kind':<8} {'pages':>5}  {'first raw':>17}  {'first gz':>15}  {'whole gz':>15}")
    for name in ("chapter", "lab", "other"):
        group = [r.cold for r in rows if kind(r.page) == name]
        if not group:
            continue

        def span(values: list[int]) -> str:
            return f"{min(values) / 1024:5.0f}-{max(values) / 1024:.0f}K"

        lines.append(f"{name:<8} {len(group):>5}  {span([v.first_bytes for v in group]):>17}  "
                     f"{span([v.first_gzip for v in group]):>15}  {span([v.total_gzip for v in group]):>15}")
    return "\n".join(lines)


def main() -> int:
    """Build if needed, serve, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2, help="warm visits per page (default 2)")
    parser.add_argument("--site", type=Path, default=None, help="a built site to measure "
                        "(default: _build/html, built first if missing)")
    args = parser.parse_args()
    browser_path = find_browser()
    if browser_path is None:
        print(f"no Chromium or Chrome to measure the site with: {INSTALL_HINT}", file=sys.stderr)
        return 1
    site = args.site or SITE
    if args.site is None:
        build_if_missing()
    pages = [p for p in toc_pages() if (site / f"{p}.html").is_file()]
    before = os.getloadavg()[0]
    with serve(site) as base_url:
        rows = asyncio.run(measure(browser_path, base_url, pages, args.rounds, site))
    after = os.getloadavg()[0]
    print(table(rows, args.rounds))
    print(f"load average {before:.1f} before, {after:.1f} after, on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
