"""The Korean edition in Chromium: every page at phone width, the language switch, Korean search.

The same checks as ``tests/test_site.py`` makes of the English edition (clean and
offline, drawn, no serious axe-core violation, a language declared), run on
``_build/html/ko`` at phone width, where Korean line breaking goes wrong first;
then the switch followed both ways on a chapter, a lab and the practice page
(over HTTP and from ``file://``), the site root's remembered choice, and a search
for a Korean word with its particle. Screenshots go to ``_build/screenshots-ko``,
beside the English ones.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from site_browser import AXE_JS, BROWSER_ARGS, Visit, new_context, toc_pages, visit_all
from test_site import AXE_DISABLED, SCREENSHOTS, SEVERE, _require_browser
from test_site import base_url as base_url  # noqa: F401 (a fixture, shared with the English checks)
from test_site import site as site  # noqa: F401

# One worker runs the module's browser session: BROWSER_GROUPS in conftest.py.
pytestmark = pytest.mark.book

PAGES = toc_pages()
SCREENSHOTS_KO = SCREENSHOTS.with_name(SCREENSHOTS.name + "-ko")
# (page, section id): the switch keeps the section; one of each kind of page.
SWITCHED = [("chapters/01-tcp-vs-udp", "tcp-udp-headers"), ("labs/01-tcp-vs-udp", "setup"),
            ("practice", "review")]
SEARCH = ("핸드셰이크는", "chapters/02-handshake-and-close")
MAX_OVERFLOW_PX = 2  # sub-pixel rounding
# axe-core on one page of each kind written in Korean (the English checks run it on every
# page, and the markup is the same): it is most of a visit's cost.
AXE_PAGES = ["intro", "chapters/01-tcp-vs-udp", "labs/01-tcp-vs-udp", "glossary"]
# What the Korean checks may add to the test command: browser CPU seconds (user + system),
# which, unlike wall-clock time, does not grow when other work shares the machine.
BUDGET_CPU_S = 60.0


@dataclass
class KoreanRun:
    """Everything the browser saw of the Korean edition."""

    visits: dict[str, Visit]
    switch: list[dict[str, Any]] = field(default_factory=list)
    root: dict[str, Any] = field(default_factory=dict)
    search: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0  # wall clock
    cpu_s: float = 0.0  # the browser's user + system time


@pytest.fixture(scope="session")
def korean_run(base_url: str, site: Path) -> KoreanRun:  # noqa: F811 (the fixtures imported above)
    browser_path = _require_browser()
    start, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    run = asyncio.run(_browse(browser_path, base_url, site))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    run.seconds = time.perf_counter() - start
    run.cpu_s = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(f"\nKorean edition in the browser: {len(PAGES)} pages at phone width (axe-core on "
          f"{len(AXE_PAGES)}), {len(run.switch)} switches, the root and a search: "
          f"{run.seconds:.1f} s wall clock, {run.cpu_s:.1f} s browser CPU, "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return run


async def _browse(browser_path: str, base_url: str, site: Path) -> KoreanRun:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=browser_path, headless=True,
                                                   args=BROWSER_ARGS)
        try:
            phone = await new_context(browser, "phone")
            checked, shown = await asyncio.gather(
                visit_all(phone, base_url + "ko/", AXE_PAGES, "phone", concurrency=2, site=site / "ko",
                          axe_source=AXE_JS.read_text(encoding="utf-8"),
                          axe_disabled=tuple(AXE_DISABLED), screenshot_dir=SCREENSHOTS_KO),
                visit_all(phone, base_url + "ko/", [p for p in PAGES if p not in AXE_PAGES], "phone",
                          concurrency=2, site=site / "ko", screenshot_dir=SCREENSHOTS_KO))
            run = KoreanRun(visits={**checked, **shown})
            desktop = await new_context(browser, "desktop")
            for page, section in SWITCHED:
                run.switch.append(await _switch(desktop, base_url, page, section))
            run.switch.append(await _switch(desktop, (site / "x").as_uri()[:-1], *SWITCHED[0]))
            run.root = await _root(desktop, base_url)
            run.search = await _search(desktop, base_url, *SEARCH)
        finally:
            await browser.close()
    return run


async def _follow(page: Any, selector: str) -> str:
    async with page.expect_navigation(wait_until="load"):
        await page.locator(selector).first.click()
    return page.url


async def _switch(context: Any, base_url: str, path: str, section: str) -> dict[str, Any]:
    """Open ``path#section`` in English, switch to Korean, then back; where each click landed."""
    page = await context.new_page()
    try:
        await page.goto(f"{base_url}{path}.html#{section}", wait_until="load")
        korean = await _follow(page, 'a.netlab-edition-link[hreflang="ko"]')
        lang = await page.evaluate("() => document.documentElement.lang")
        found = await page.evaluate("(id) => !!document.getElementById(id)", section)
        english = await _follow(page, 'a.netlab-edition-link[hreflang="en"]')
    finally:
        await page.close()
    return {"from": f"{base_url}{path}.html#{section}", "korean": korean, "lang": lang,
            "section_found": found, "english": english, "base": base_url, "path": path, "section": section}


async def _root(context: Any, base_url: str) -> dict[str, Any]:
    """Choose Korean at the site root, come back: the root sends the reader to the Korean edition."""
    page = await context.new_page()
    try:
        await page.goto(f"{base_url}index.html?choose", wait_until="load")
        chosen = await _follow(page, 'a[data-netlab-edition="ko"]')
        await page.goto(f"{base_url}index.html", wait_until="load")
        await page.wait_for_url("**/ko/intro.html", timeout=5_000)
        again = page.url
        await page.goto(f"{base_url}index.html?choose", wait_until="load")
        asked = page.url
        await page.evaluate("() => localStorage.removeItem('netlab-edition')")
    finally:
        await page.close()
    return {"chosen": chosen, "returning": again, "asked_again": asked}


async def _search(context: Any, base_url: str, word: str, expected: str) -> dict[str, Any]:
    page = await context.new_page()
    try:
        await page.goto(f"{base_url}ko/search.html?q={quote(word)}", wait_until="load")
        await page.wait_for_function(
            "() => document.querySelector('#search-results ul.search li a')"
            " || /0|not match|일치/.test(document.querySelector('#search-results')?.textContent || '')",
            timeout=15_000)
        hrefs = await page.eval_on_selector_all("#search-results ul.search li a",
                                                "links => links.map(a => a.href)")
    finally:
        await page.close()
    found = [urlsplit(h).path.split("/ko/", 1)[-1].removesuffix(".html") for h in hrefs]
    return {"word": word, "expected": expected, "found": found}


@pytest.mark.parametrize("page", PAGES)
def test_korean_page_loads_cleanly_offline_and_drawn(korean_run: KoreanRun, page: str) -> None:
    v = korean_run.visits[page]
    assert v.status == 200, f"HTTP {v.status}"
    assert not v.outside, f"requests for other hosts: {v.outside}"
    assert not v.failed, f"failed requests: {v.failed}"
    assert not v.console_errors, "console errors:\n" + "\n".join(v.console_errors)
    assert v.ready, f"not drawn within the time limit: {v.shown}"
    assert v.shown["diagrams_drawn"] == v.shown["diagrams"], v.shown


@pytest.mark.parametrize("page", PAGES)
def test_korean_page_says_lang_ko(korean_run: KoreanRun, page: str) -> None:
    assert korean_run.visits[page].shown["lang"] == "ko"


@pytest.mark.parametrize("page", AXE_PAGES)
def test_korean_page_has_no_serious_accessibility_violation(korean_run: KoreanRun, page: str) -> None:
    severe = [x for x in korean_run.visits[page].axe if x["impact"] in SEVERE]
    assert not severe, json.dumps(severe, indent=1)


@pytest.mark.parametrize("page", PAGES)
def test_korean_page_fits_a_phone(korean_run: KoreanRun, page: str) -> None:
    v = korean_run.visits[page]
    assert v.shown["overflow_x"] <= MAX_OVERFLOW_PX, f"{v.shown['overflow_x']} px wider than the phone"
    assert v.shown["korean_chars"] and v.shown["korean_glyphs"], "no Korean drawn"
    assert v.screenshot is not None and v.screenshot.stat().st_size > 5_000


def test_language_switch_keeps_the_section_both_ways(korean_run: KoreanRun) -> None:
    for hop in korean_run.switch:
        base, path, section = hop["base"], hop["path"], hop["section"]
        assert hop["korean"] == f"{base}ko/{path}.html#{section}", hop
        assert hop["lang"] == "ko" and hop["section_found"], hop
        assert hop["english"] == f"{base}{path}.html#{section}", hop
    assert any(hop["base"].startswith("file://") for hop in korean_run.switch)


def test_site_root_remembers_the_choice(korean_run: KoreanRun) -> None:
    root = korean_run.root
    assert root["chosen"].endswith("/ko/intro.html"), root
    assert root["returning"].endswith("/ko/intro.html"), root
    assert "index.html?choose" in root["asked_again"], root


def test_korean_search_strips_the_particle(korean_run: KoreanRun) -> None:
    search = korean_run.search
    assert search["found"], search
    assert search["expected"] in search["found"][:3], search


def test_korean_checks_cost_at_most_a_minute_of_browser_time(korean_run: KoreanRun) -> None:
    assert korean_run.cpu_s < BUDGET_CPU_S, (
        f"{korean_run.cpu_s:.1f} s browser CPU ({korean_run.seconds:.1f} s wall clock)")
