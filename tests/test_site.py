"""The built site in a real browser: every page of the table of contents, offline.

Debian's Chromium (or Google Chrome; never a downloaded browser) is driven by
Playwright against ``_build/html`` served on 127.0.0.1. For every page in
``_toc.yml``, at a desktop and a phone width:

* it loads with no console error, no failed request and no request for any
  host but 127.0.0.1 (outside requests are also blocked by the browser);
* its mermaid diagrams are drawn as SVG, its math is typeset, its stored widget
  states are drawn as widgets (a slider where the state has one), no kernel needed;
* lab pages carry Binder and Thebe buttons for that lab, and Thebe is fetched
  only when asked for;
* axe-core reports no serious or critical accessibility violation;
* its first screen weighs less than its budget, compressed as GitHub Pages sends
  it (``BUDGET_GZIP_BYTES``; see below); the widgets manager and the mermaid
  runtime load only where they are needed, and no page loads MathJax (math is
  MathML) or the icon script;
* a screenshot is saved under ``_build/screenshots/<viewport>/`` (what a reader
  sees first), and one of each diagram under ``_build/screenshots/diagrams/``.

Plus: the site search finds a chapter by a term only that chapter has, and the
dark-mode switch changes the theme. The per-page weight table is printed
(``pytest -s``) and written to ``_build/site-report.txt``.

Without a browser these tests are skipped with the command that installs one;
when ``CI`` is set they fail instead, so CI always runs them.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import resource
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import snowballstemmer
import yaml
from conftest import Build
from site_browser import (
    AXE_JS,
    BROWSER_ARGS,
    INSTALL_HINT,
    ROOT,
    Visit,
    find_browser,
    is_local,
    new_context,
    serve,
    toc_pages,
    visit_all,
    weight_table,
)

PAGES = toc_pages()
LABS = [p for p in PAGES if p.startswith("labs/")]
CHAPTERS = [p for p in PAGES if p.startswith("chapters/")]
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
SCREENSHOTS = ROOT / "_build" / "screenshots"
SITE_SCREENSHOTS = ("desktop", "phone", "diagrams")  # the folders these checks write under it
REPORT = ROOT / "_build" / "site-report.txt"

# Page-weight budget: every file a first visit loads before the reader scrolls
# (HTML, scripts, styles, fonts, images, the search index; each file once, the
# theme's shared files included), as a gzip-serving host such as GitHub Pages
# sends it. A lab loads the widgets manager (about 0.6 MB compressed) only when a
# widget comes near the screen: the report shows that "whole" weight beside the
# first screen's, and WHOLE_LAB_BUDGET_GZIP_BYTES bounds it.
BUDGET_GZIP_BYTES = {"chapter": 600 * 1024, "lab": 900 * 1024}
WHOLE_LAB_BUDGET_GZIP_BYTES = 1600 * 1024

# Tests of the built book: `make test` runs them in one process after the others, so the
# book is built once (pytest-xdist's groups do not work with pytest 9).
# One worker runs the module's browser session: BROWSER_GROUPS in conftest.py.
pytestmark = pytest.mark.book


def budget(page: str) -> int:
    """The most ``page``'s first screen may weigh, compressed (labs: the lab budget)."""
    return BUDGET_GZIP_BYTES["lab" if page.startswith("labs/") else "chapter"]


# Serious or critical axe-core rules switched off, each for a reason the book
# cannot fix. (The theme's unnamed sidebar toggles are named by
# _static/a11y.js; widget sliders by tools/site_js/widgets-setup.js.)
AXE_DISABLED: dict[str, str] = {
    # Label in name (WCAG 2.5.3): only ever flagged in markup the book does not
    # write: pydata-sphinx-theme's search button (label "Search", visible text
    # adds the "Ctrl+K" hint), its colour-mode button (label "Color mode",
    # icons titled Light/Dark/System Settings) and myst-nb's hide-input toggles
    # (label "Toggle hidden content", visible "Show code cell source").
    "label-content-name-mismatch": "theme and myst-nb markup",
}
SEVERE = {"serious", "critical"}
CONCURRENCY = 3


def _require_browser() -> str:
    path = find_browser()
    try:
        import playwright.async_api  # noqa: F401
    except ImportError:
        path = None
    if path is None:
        message = f"no Chromium or Chrome for the browser checks: {INSTALL_HINT}"
        if os.environ.get("CI"):
            pytest.fail(message + " (CI must run these checks)")
        pytest.skip(message)
    return path


@dataclass
class SiteRun:
    """Everything one browser session saw."""

    visits: dict[str, dict[str, Visit]]  # viewport -> page -> visit
    search: dict[str, Any] = field(default_factory=dict)
    dark: dict[str, Any] = field(default_factory=dict)
    thebe: dict[str, Any] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # wall-clock time per stage


@pytest.fixture(scope="session")
def site(strict_build: Build) -> Path:
    """The built site (the session's one strict build)."""
    if not (strict_build.html / "index.html").is_file():
        pytest.fail("the book did not build; see tests/test_build.py\n" + strict_build.log[-3000:])
    return strict_build.html


@pytest.fixture(scope="session")
def base_url(site: Path) -> Iterator[str]:
    """The site served by http.server on 127.0.0.1, a free port; closed after the session."""
    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def site_run(base_url: str, site: Path) -> SiteRun:
    """Open every page at both widths, then search, Thebe and dark mode; write the report."""
    browser_path = _require_browser()
    term = (unique_search_term(site, CHAPTERS[0]) or "") if CHAPTERS else ""
    for own in SITE_SCREENSHOTS:  # no pictures of pages that are gone (the practice page's stay)
        shutil.rmtree(SCREENSHOTS / own, ignore_errors=True)
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run = asyncio.run(_browse(browser_path, base_url, site, term))
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    run.seconds["browser CPU"] = (cpu.ru_utime - cpu_before.ru_utime) + (cpu.ru_stime - cpu_before.ru_stime)
    desktop = [run.visits["desktop"][p] for p in PAGES]
    steps = {step: sum(v.seconds.get(step, 0.0) for vs in run.visits.values() for v in vs.values())
             for step in ("open", "inspect", "axe", "screenshot")}
    table = weight_table(desktop, {v.page: budget(v.page) for v in desktop})
    report = (f"Page weight: budget for the first screen, compressed: "
              f"{BUDGET_GZIP_BYTES['chapter'] // 1024} KB a chapter (and every page but labs), "
              f"{BUDGET_GZIP_BYTES['lab'] // 1024} KB a lab. Seconds on loopback at 1280x800, "
              f"{CONCURRENCY} pages at a time, cache warm after the first.\n"
              f"{table}\nseconds (wall clock; browser CPU is the browser's own user+system time): "
              + ", ".join(f"{stage} {s:.1f}" for stage, s in run.seconds.items())
              + "\nsummed over pages and both widths: "
              + ", ".join(f"{step} {s:.1f}" for step, s in steps.items())
              + f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs\n")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(report, encoding="utf-8")
    print("\n" + report)
    return run


async def _browse(browser_path: str, base_url: str, site: Path, term: str) -> SiteRun:
    from playwright.async_api import async_playwright

    axe_source = AXE_JS.read_text(encoding="utf-8")
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=browser_path, headless=True,
                                                   args=BROWSER_ARGS)
        try:
            desktop = await new_context(browser, "desktop")
            phone = await new_context(browser, "phone")
            checked, shown = await asyncio.gather(
                visit_all(desktop, base_url, PAGES, "desktop", concurrency=CONCURRENCY, site=site,
                          axe_source=axe_source, axe_disabled=tuple(AXE_DISABLED),
                          screenshot_dir=SCREENSHOTS),
                visit_all(phone, base_url, PAGES, "phone", concurrency=2, site=site,
                          screenshot_dir=SCREENSHOTS))
            seconds["pages"] = time.perf_counter() - start
            run = SiteRun(visits={"desktop": checked, "phone": shown}, seconds=seconds)
            if term:
                run.search = await _search(desktop, base_url, term)
            if LABS:
                run.thebe = await _click_thebe(desktop, base_url, LABS[0])
            if CHAPTERS:
                run.dark = await _switch_to_dark(desktop, base_url, CHAPTERS[0])
            seconds["search, Thebe, dark mode"] = time.perf_counter() - start - seconds["pages"]
        finally:
            await browser.close()
    seconds["all"] = time.perf_counter() - start
    return run


async def _search(context: Any, base_url: str, term: str) -> dict[str, Any]:
    page = await context.new_page()
    try:
        await page.goto(f"{base_url}search.html?q={term}", wait_until="load")
        await page.wait_for_function(
            "() => /found \\d+ page|did not match/i.test("
            "document.querySelector('#search-results')?.textContent || '')", timeout=15_000)
        hrefs = await page.eval_on_selector_all("#search-results ul.search li a",
                                                "links => links.map(a => a.href)")
    finally:
        await page.close()
    found = sorted({urlsplit(h).path.lstrip("/").removesuffix(".html") for h in hrefs})
    return {"term": term, "found": found}


async def _click_thebe(context: Any, base_url: str, lab: str) -> dict[str, Any]:
    page = await context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        await page.goto(f"{base_url}{lab}.html", wait_until="load")
        await page.wait_for_timeout(500)  # let async scripts (sphinx-thebe.js) settle
        before = list(requests)
        loaded_before = await page.evaluate("() => typeof window.thebelab !== 'undefined'")
        thebe_url = await page.evaluate("() => typeof THEBE_JS_URL === 'undefined' ? '' : THEBE_JS_URL")
        await page.locator(".dropdown-launch-buttons button.dropdown-toggle").first.click()
        async with page.expect_request(lambda r: "thebe" in r.url and not is_local(r.url),
                                       timeout=5_000) as asked:
            await page.locator(".btn-launch-thebe").first.click()
        fetched = (await asked.value).url
    finally:
        await page.close()
    return {"before": before, "loaded_before": loaded_before, "thebe_url": thebe_url,
            "fetched_on_click": fetched}


async def _switch_to_dark(context: Any, base_url: str, chapter: str) -> dict[str, Any]:
    page = await context.new_page()
    try:
        await page.goto(f"{base_url}{chapter}.html", wait_until="load")
        theme = "() => document.documentElement.dataset.theme"
        background = "() => getComputedStyle(document.body).backgroundColor"
        before = (await page.evaluate(theme), await page.evaluate(background))
        after = before
        switch = page.locator(".theme-switch-button:visible").first
        for _ in range(3):  # the switch cycles through light, dark and auto
            await switch.click()
            after = (await page.evaluate(theme), await page.evaluate(background))
            if after[0] != before[0]:
                break
        await page.wait_for_timeout(300)
        # Each diagram drawn at build time shows its dark drawing, and only that one.
        diagrams = await page.evaluate("""() => [...document.querySelectorAll('pre.mermaid')].map(d => {
            const shown = [...d.querySelectorAll(':scope > svg')].filter(s => s.getClientRects().length);
            if (!d.classList.contains('mermaid-static')) return !!d.querySelector('svg');
            return shown.length === 1 && shown[0].classList.contains('mermaid-dark');
          })""")
        shot = SCREENSHOTS / "desktop" / ("dark__" + chapter.replace("/", "__") + ".png")
        await page.screenshot(path=str(shot))
        # The full-screen button opens the drawing shown (the dark one); Escape closes it.
        fullscreen: dict[str, Any] = {}
        button = page.locator(".mermaid-container > .mermaid-fullscreen-btn").first
        if await button.count():
            await button.click()
            fullscreen["opened"] = await page.evaluate(
                "() => !!document.querySelector('.mermaid-fullscreen-modal.active svg.mermaid-dark')")
            await page.keyboard.press("Escape")
            fullscreen["closed"] = await page.evaluate(
                "() => !document.querySelector('.mermaid-fullscreen-modal.active')")
    finally:
        await page.close()
    return {"before": before, "after": after, "diagrams_drawn": diagrams, "screenshot": shot,
            "fullscreen": fullscreen}


# --- the search term: in one chapter's sources and search index, nowhere else ----------------

def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="ignore")


def unique_search_term(site: Path, target: str) -> str | None:
    """A word of ``target``'s source that no other source has, indexed for that page alone."""
    raw = _text(site / "searchindex.js")
    index = json.loads(raw[raw.index("(") + 1: raw.rindex(")")])
    doc = index["docnames"].index(target)

    def only_target(docs: int | list[int]) -> bool:
        return docs == doc or docs == [doc]

    terms = {t for t, docs in index["terms"].items() if only_target(docs)}
    # Sphinx's search also matches a query inside longer terms, titles too.
    elsewhere = [t for kind in ("terms", "titleterms")
                 for t, docs in index[kind].items() if not only_target(docs)]
    own = {ROOT / f"{target}.md", ROOT / "chapters" / "questions" / f"{Path(target).name}.yml"}
    sources = [*ROOT.glob("*.md"), ROOT / "references.bib", *ROOT.glob("chapters/**/*.md"),
               *ROOT.glob("chapters/**/*.yml"), *ROOT.glob("labs/*.ipynb")]
    others = "\n".join(_text(p) for p in sources if p not in own).lower()
    stem = snowballstemmer.stemmer("porter").stemWord
    words = {w.lower() for p in own if p.is_file() for w in re.findall(r"\b[A-Za-z]{7,}\b", _text(p))}
    candidates = sorted((w for w in words
                         if stem(w) in terms and not any(stem(w) in t for t in elsewhere)
                         and not re.search(rf"\b{re.escape(stem(w))}", others)),
                        key=lambda w: (-len(w), w))
    return candidates[0] if candidates else None


# --- tests that need no browser ---------------------------------------------------------------

def test_mermaid_version_is_the_one_package_json_pins() -> None:
    pinned = json.loads(_text(ROOT / "package.json"))["devDependencies"]["mermaid"]
    assert CONFIG["sphinx"]["config"]["mermaid_version"] == pinned


def test_pages_load_no_library_from_a_cdn(site: Path) -> None:
    vendored = ["_static/vendor/mermaid/mermaid.esm.min.mjs",
                "_static/vendor/requirejs/require.js", "_static/vendor/html-manager/embed-amd.js"]
    missing = [v for v in vendored if not (site / v).is_file()]
    assert not missing, f"not copied into the site: {missing}"
    # <link rel="canonical"> names the published address, and the rel="alternate" hreflang
    # links the other edition's; they load nothing.
    remote = re.compile(r"""<(?:script|link)\b(?![^>]*rel="(?:canonical|alternate)")[^>]*"""
                        r"""\b(?:src|href)=["'](?:https?:)?//""", re.I)
    offenders = {p: remote.findall(_text(site / f"{p}.html")) for p in PAGES}
    assert not any(offenders.values()), {p: o for p, o in offenders.items() if o}


# --- browser tests -----------------------------------------------------------------------------

@pytest.mark.parametrize("viewport", ["desktop", "phone"])
@pytest.mark.parametrize("page", PAGES)
def test_page_loads_cleanly_and_offline(site_run: SiteRun, page: str, viewport: str) -> None:
    v = site_run.visits[viewport][page]
    assert v.status == 200, f"HTTP {v.status}"
    assert not v.outside, f"requests for other hosts: {v.outside}"
    assert not v.failed, f"failed requests: {v.failed}"
    assert not v.console_errors, "console errors:\n" + "\n".join(v.console_errors)
    assert v.ready, f"not drawn within the time limit: {v.shown}"


@pytest.mark.parametrize("page", PAGES)
def test_diagrams_math_and_widgets_render(site_run: SiteRun, page: str) -> None:
    for viewport in ("desktop", "phone"):
        shown = site_run.visits[viewport][page].shown
        assert shown["diagrams_drawn"] == shown["diagrams"], f"{viewport}: mermaid not drawn: {shown}"
        assert shown["math_typeset"] == shown["math"], f"{viewport}: math not typeset: {shown}"
        assert shown["widget_views_rendered"] == shown["widget_views"], f"{viewport}: widgets: {shown}"
        assert not shown["widget_errors"], f"{viewport}: widget errors: {shown}"
        if shown["slider_models"]:
            assert shown["sliders"] >= 1, f"{viewport}: stored slider not drawn: {shown}"


def test_some_page_has_math(site_run: SiteRun) -> None:
    with_math = [p for p, v in site_run.visits["desktop"].items() if v.shown["math"]]
    if not with_math:
        pytest.skip("no page has math yet, so its MathML is not checked in the browser")


@pytest.mark.parametrize("lab", LABS)
def test_lab_page_has_binder_and_thebe_for_this_lab(site_run: SiteRun, lab: str) -> None:
    shown = site_run.visits["desktop"][lab].shown
    repo = urlsplit(CONFIG["repository"]["url"]).path.strip("/")
    branch = CONFIG["repository"].get("branch", "main")
    binder = CONFIG["launch_buttons"]["binderhub_url"].rstrip("/")
    expected = f"{binder}/v2/gh/{repo}/{branch}?urlpath=lab/tree/{lab}.ipynb"
    assert expected in shown["binder_links"], shown["binder_links"]
    assert shown["thebe_buttons"] >= 1, "no Thebe button"
    config = shown["thebe_config"]
    assert f'repo: "{repo}"' in config and f'ref: "{branch}"' in config, config
    assert f'path: "./{Path(lab).parent}"' in config, config
    assert not shown["thebe_loaded"], "Thebe was loaded before anyone asked for it"


def test_thebe_is_fetched_only_when_clicked(site_run: SiteRun) -> None:
    if not LABS:
        pytest.skip("no lab in the table of contents")
    thebe = site_run.thebe
    assert thebe["thebe_url"], "the page does not configure Thebe"
    assert not thebe["loaded_before"]
    assert not [u for u in thebe["before"] if "thebe" in u and not is_local(u)], thebe["before"]
    assert thebe["fetched_on_click"] == thebe["thebe_url"]


@pytest.mark.parametrize("page", PAGES)
def test_no_serious_accessibility_violation(site_run: SiteRun, page: str) -> None:
    severe = [v for v in site_run.visits["desktop"][page].axe if v["impact"] in SEVERE]
    assert not severe, json.dumps(severe, indent=1)


# The drill and practice pages hold every chapter's questions; their answers (in both
# languages) load when asked for (_ext/netlab_answers.py), so they are within budget too.
@pytest.mark.parametrize("page", PAGES)
def test_first_screen_within_its_compressed_budget(site_run: SiteRun, page: str) -> None:
    v = site_run.visits["desktop"][page]
    assert v.first_gzip <= budget(page), (
        f"{v.first_gzip / 1024:.0f} KB > {budget(page) / 1024:.0f} KB compressed: "
        f"{ {k: f'{b / 1024:.0f}K' for k, b in v.first_gzip_by_kind.items()} }")
    if page.startswith("labs/"):
        assert v.total_gzip <= WHOLE_LAB_BUDGET_GZIP_BYTES, f"{v.total_gzip / 1024:.0f} KB with widgets"


def _loaded(v: Visit, name: str, first_screen: bool = False) -> bool:
    requests = v.requests[:v.first_screen_requests] if first_screen else v.requests
    return any(urlsplit(u).path.endswith(name) for u in requests)


@pytest.mark.parametrize("page", PAGES)
def test_heavy_libraries_load_only_where_needed(site_run: SiteRun, page: str) -> None:
    v = site_run.visits["desktop"][page]
    assert not _loaded(v, "/fontawesome.js"), "the icon script is back: icons come from the fonts"
    assert not [u for u in v.requests if urlsplit(u).path.endswith(".map")], "a source map was loaded"
    # Math is MathML written at build time (_ext/netlab_math.py), drawn by the browser.
    assert not _loaded(v, "/tex-chtml.js"), "MathJax is back: math is written as MathML"
    widgets = bool(v.shown["widget_views"])
    assert _loaded(v, "/embed-amd.js") == widgets, "the widgets manager only with stored widgets"


@pytest.mark.parametrize("page", PAGES)
def test_diagrams_are_drawn_at_build_time(site_run: SiteRun, page: str) -> None:
    v = site_run.visits["desktop"][page]
    shown = v.shown
    if not shown["diagrams"]:
        assert not _loaded(v, "mermaid.esm.min.mjs"), "mermaid runtime on a page without diagrams"
        return
    # CI and the test command have Chromium (the browser checks need it), so the build drew them.
    assert shown["diagrams_static"] == shown["diagrams"], f"left to the browser: {shown}"
    assert not _loaded(v, "mermaid.esm.min.mjs"), "the mermaid runtime was loaded"
    assert shown["fullscreen_buttons"] == shown["diagrams"], f"full-screen buttons: {shown}"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_declares_its_language(site_run: SiteRun, page: str) -> None:
    assert site_run.visits["desktop"][page].shown["lang"] == "en"


def test_screenshots_at_desktop_and_phone_width(site_run: SiteRun) -> None:
    for viewport, visits in site_run.visits.items():
        for page in PAGES:
            shot = visits[page].screenshot
            assert shot is not None and shot.stat().st_size > 5_000, (viewport, page)


def test_korean_text_renders(site_run: SiteRun) -> None:
    with_korean = [v for v in site_run.visits["desktop"].values() if v.shown["korean_chars"]]
    if not with_korean:
        pytest.skip("no page has Korean text yet")
    # Without a CJK font every Hangul syllable is drawn as the same empty box.
    assert with_korean[0].shown["korean_glyphs"], f"Hangul drawn as boxes: {INSTALL_HINT}"


def test_search_finds_a_chapter_by_a_term_only_it_has(site_run: SiteRun) -> None:
    if not CHAPTERS:
        pytest.skip("no chapter in the table of contents")
    assert site_run.search, f"no word of {CHAPTERS[0]}'s sources occurs in that chapter alone"
    assert site_run.search["found"] == [CHAPTERS[0]], site_run.search


def test_dark_mode_switch_changes_the_theme(site_run: SiteRun) -> None:
    if not CHAPTERS:
        pytest.skip("no chapter in the table of contents")
    dark = site_run.dark
    assert dark["before"][0] == "light" and dark["after"][0] == "dark", dark
    assert dark["after"][1] != dark["before"][1], f"background unchanged: {dark}"
    assert all(dark["diagrams_drawn"]), f"diagrams lost in dark mode: {dark}"
    if dark["diagrams_drawn"]:
        assert dark["fullscreen"] == {"opened": True, "closed": True}, dark["fullscreen"]


# --- what a published site carries (no browser needed) ------------------------------------------

def _published_prefix() -> str:
    return urlsplit(CONFIG["sphinx"]["config"]["html_baseurl"]).path


def test_sitemap_lists_every_page(site: Path) -> None:
    base = CONFIG["sphinx"]["config"]["html_baseurl"]
    listed = set(re.findall(r"<loc>([^<]+)</loc>", _text(site / "sitemap.xml")))
    missing = [p for p in PAGES if f"{base}{p}.html" not in listed]
    assert not missing, f"not in sitemap.xml: {missing}"
    assert not [u for u in listed if u.endswith(("404.html", "search.html", "genindex.html"))]


@pytest.mark.parametrize("page", PAGES)
def test_page_has_open_graph_tags_and_a_language(site: Path, page: str) -> None:
    html = _text(site / f"{page}.html")
    assert re.search(r'<html[^>]*\blang="en"', html), "no lang on <html>"
    for prop in ("og:title", "og:url", "og:description", "og:site_name"):
        assert re.search(rf'<meta property="{prop}" content="[^"]+"', html), f"no {prop}"


def test_not_found_page_is_useful(site: Path) -> None:
    html = _text(site / "404.html")
    assert re.search(r'<html[^>]*\blang="en"', html)
    prefix = _published_prefix()
    links = re.findall(rf'href="{re.escape(prefix)}([^"#?]+)"', html)
    for page in [p for p in PAGES if p != "intro"] + ["search"]:
        assert f"{page}.html" in links, f"the 404 page does not link {page}"
    broken = [link for link in links if not (site / link).exists() and not link.startswith("pdf/")]
    assert not broken, f"404 page links to files the site lacks: {broken}"


def test_every_page_offers_the_pdf_edition(site: Path) -> None:
    for page in PAGES:
        html = _text(site / f"{page}.html")
        assert re.search(r'href="(?:\.\./)*pdf/book\.pdf"', html), f"{page}: no link to book.pdf"
        assert re.search(r'href="(?:\.\./)*pdf/questions\.pdf"', html), f"{page}: no questions.pdf"


def test_no_source_map_and_no_icon_script_is_deployed(site: Path) -> None:
    assert not list(site.rglob("*.map")), "source maps deployed"
    assert not (site / "jupyter_execute").exists(), "a build folder (notebook outputs) deployed"
    assert not (site / "_static" / "scripts" / "fontawesome.js").exists()
    fonts = sorted((site / "_static" / "vendor" / "fontawesome" / "webfonts").glob("*.woff2"))
    sizes = {f.name: f.stat().st_size for f in fonts}
    assert sizes and all(size < 20_000 for size in sizes.values()), f"icon fonts not subset: {sizes}"
