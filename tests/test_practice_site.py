"""The practice page and self-checks in a real browser, used the way a reader uses them.

Debian's Chromium driven by Playwright (helpers from ``site_browser``), against
the strict build of the book (``_build/html``, chapter 2's real questions) and
against the fixture book of ``tests/data/book`` for the self-checks, which no
chapter places yet:

* a whole mock interview of chapter 2 by keyboard only: pick the chapter, start,
  reveal, follow the chain, rate, stop a chain, finish, read the summary, whose
  links go to anchors that exist;
* the timer runs out (on Playwright's clock); a reload keeps the progress; an
  export, a reset and an import restore it; a changed answer is flagged;
* the Korean search finds a stem typed with a particle, and the search finds a
  word only an answer has (the answers load when the search is first used);
* the answers are not in the drill and practice pages but in one file per page
  and chapter, every question's; a drill dropdown opened by keyboard or click
  shows its answer, over HTTP and from ``file://``; a file that fails to load is
  said so, with a link to the question in its chapter; "Show every answer"
  loads the chapters shown;
* a self-check of each type answered wrongly, then rightly, with its feedback
  in a live region;
* phone width without sideways scrolling, dark mode, axe-core with no serious
  or critical violation (light and dark), no request for another host, and the
  page working from ``file://``;
* the practice page is interactive within 1 s, and its weight (raw and gzip)
  is written to ``_build/practice-report.txt``;
* the site's Anki deck holds one note per question, with GUIDs from the ids.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import os
import re
import sys
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import genanki
import pytest
from conftest import Build
from practice_fixture import DECK, FixtureBuild, build_fixture, read_deck
from site_browser import AXE_JS, BROWSER_ARGS, VIEWPORTS, is_local, serve
from test_site import AXE_DISABLED, SEVERE, _require_browser

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "_ext"))
from netlab_book import load_questions, walk_questions  # noqa: E402

# One worker runs the module's browser session: BROWSER_GROUPS in conftest.py.
pytestmark = pytest.mark.book

ROOT = Path(__file__).resolve().parents[1]
QUESTION_FILES = sorted((ROOT / "chapters" / "questions").glob("*.yml"))
CHAPTER_2 = ROOT / "chapters" / "questions" / "02-handshake-and-close.yml"
REPORT = ROOT / "_build" / "practice-report.txt"
READY = "() => document.documentElement.dataset.practiceReady"
INTERACTIVE_MS = 1000
# Words with a particle a reader may type, and the stem the questions contain; the first
# whose stem is in chapter 2's questions and whose typed form is nowhere is searched.
PARTICLE_SEARCHES = [("핸드셰이크는", "핸드셰이크"), ("재전송은", "재전송"), ("세그먼트는", "세그먼트"),
                     ("공격을", "공격"), ("클라이언트는", "클라이언트"), ("리스너를", "리스너"),
                     ("타이머의", "타이머")]


@dataclass(frozen=True)
class Served:
    """The strict build of the book, served on 127.0.0.1."""

    html: Path
    url: str


@pytest.fixture(scope="module")
def book(strict_build: Build) -> Iterator[Served]:
    if not (strict_build.html / "practice.html").is_file():
        pytest.fail("the book did not build; see tests/test_build.py\n" + strict_build.log[-3000:])
    with serve(strict_build.html) as url:
        yield Served(strict_build.html, url)


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[FixtureBuild, str]]:
    build = build_fixture(tmp_path_factory.mktemp("practice-fixture"))
    assert build.returncode == 0, build.log
    with serve(build.html) as url:
        yield build, url


Session = Callable[[Any], Awaitable[Any]]


@dataclass
class Browser:
    """One Chromium for the module, driven from its own event loop, test after test."""

    loop: asyncio.AbstractEventLoop
    browser: Any

    def run(self, session: Session, *, viewport: str = "desktop", color_scheme: str = "light",
            clock: bool = False, errors_expected: str = "") -> tuple[Any, list[str]]:
        """Run ``session(page)`` in a fresh context (empty storage); return its result and the URLs asked.

        Console errors fail the run, except those that contain ``errors_expected`` if given.
        """
        return self.loop.run_until_complete(self._run(session, viewport, color_scheme, clock,
                                                      errors_expected))

    async def _run(self, session: Session, viewport: str, color_scheme: str,
                   clock: bool, errors_expected: str = "") -> tuple[Any, list[str]]:
        phone = viewport == "phone"
        context = await self.browser.new_context(
            viewport=VIEWPORTS[viewport], is_mobile=phone, has_touch=phone, locale="ko-KR",
            color_scheme=color_scheme, accept_downloads=True)
        requests: list[str] = []
        errors: list[str] = []
        try:
            page = await context.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error"
                    and "favicon" not in msg.location.get("url", "") else None)
            if clock:
                await page.clock.install()
            result = await session(page)
        finally:
            await context.close()
        unexpected = [e for e in errors if not (errors_expected and errors_expected in e)]
        assert not unexpected, unexpected
        return result, requests


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    path = _require_browser()
    from playwright.async_api import async_playwright

    loop = asyncio.new_event_loop()
    playwright = loop.run_until_complete(async_playwright().start())
    browser = loop.run_until_complete(playwright.chromium.launch(executable_path=path, headless=True,
                                                                 args=BROWSER_ARGS))
    try:
        yield Browser(loop, browser)
    finally:
        loop.run_until_complete(browser.close())
        loop.run_until_complete(playwright.stop())
        loop.close()


async def open_practice(page: Any, url: str) -> int:
    await page.goto(url, wait_until="load")
    await page.wait_for_function(READY, timeout=10_000)
    return int(await page.evaluate(READY))


async def tab_to(page: Any, selector: str, limit: int = 400) -> None:
    """Press Tab until ``selector`` has the focus, as a keyboard user does."""
    for _ in range(limit):
        await page.keyboard.press("Tab")
        if await page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)",
                               selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


async def focused(page: Any) -> str:
    return await page.evaluate("() => document.activeElement.id || document.activeElement.tagName")


# Settled before axe measures colours: no answer still loading in the part checked, and
# no CSS transition or animation running (a link measured mid-transition failed
# color-contrast once, on a phone-width card whose answer had just arrived).
SETTLED_JS = """async (within) => {
  const root = (within && document.querySelector(within)) || document;
  for (let i = 0; i < 100 && root.querySelector('[data-answer-state="loading"]'); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const finite = document.getAnimations()
    .filter((a) => !a.effect || a.effect.getComputedTiming().endTime !== Infinity);
  await Promise.all(finite.map((a) => a.finished.catch(() => null)));
}"""


async def axe(page: Any, within: str | None = None) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations, in the page or in the part ``within`` selects."""
    await page.evaluate(SETTLED_JS, within)
    if not await page.evaluate("() => typeof axe !== 'undefined'"):
        await page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    options = {"resultTypes": ["violations"], "rules": {r: {"enabled": False} for r in AXE_DISABLED}}
    violations = await page.evaluate(
        """async ([within, options]) => (await axe.run(within ? {include: [within]} : document, options))
           .violations.map(v => ({
             id: v.id, impact: v.impact, help: v.help,
             targets: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))""",
        [within, options])
    return [v for v in violations if v["impact"] in SEVERE]


def outside(requests: list[str]) -> list[str]:
    return [url for url in requests if not is_local(url) and not url.startswith("file:")]


# --- a whole mock interview of chapter 2, keyboard only ------------------------------------------

CHAPTER_2_PLAN = [e for e in walk_questions(load_questions(CHAPTER_2))]
RATING_CYCLE = ["good", "hard", "again", "easy"]


def _mock_script() -> tuple[list[tuple[str, str | None]], list[str]]:
    """(question id, rating or None for "skip the rest of this chain") in the order asked; rated ids.

    The third top-level question's chain is stopped at its first follow-up.
    """
    steps: list[tuple[str, str | None]] = []
    tops = [e for e in CHAPTER_2_PLAN if e.depth == 0]
    skip_under = tops[2].question["id"] if len(tops) > 2 else None
    skipping = False
    for e in CHAPTER_2_PLAN:
        if e.depth == 0:
            skipping = False
        if skipping:
            continue
        if skip_under and e.parent == skip_under and not skipping:
            steps.append((e.question["id"], None))
            skipping = True
            continue
        steps.append((e.question["id"], RATING_CYCLE[len(steps) % 4]))
    return steps, [qid for qid, rating in steps if rating]


async def _mock_interview(page: Any, base_url: str, site: Path) -> dict[str, Any]:
    await open_practice(page, base_url + "practice.html")
    await tab_to(page, '#pr-mock-chapters input[value="02-handshake-and-close"]')
    await page.keyboard.press("Space")
    await tab_to(page, "#pr-mock-length")
    await page.keyboard.type("A")  # All
    await tab_to(page, "#pr-mock-order")
    await page.keyboard.type("B")  # Book order
    setup = await page.evaluate("""() => ({length: document.getElementById('pr-mock-length').value,
        order: document.getElementById('pr-mock-order').value,
        all: document.querySelector('#pr-mock-chapters input[value=all]').checked})""")
    await tab_to(page, "#pr-mock-start")
    await page.keyboard.press("Enter")
    steps, rated = _mock_script()
    seen = []
    for _qid, rating in steps:
        shown = await page.evaluate("""() => ({ko: document.querySelector('#pr-mock-card .pq-ko').textContent,
            focus: document.activeElement.id})""")
        seen.append((shown["ko"].strip(), shown["focus"]))
        if rating is None:
            await tab_to(page, "#pr-mock-skip-chain")
            await page.keyboard.press("Enter")
            continue
        await tab_to(page, "#pr-mock-reveal")
        await page.keyboard.press("Enter" if len(seen) % 2 else "Space")
        assert await focused(page) == "pr-mock-card-answer", "the answer takes the focus"
        if len(seen) % 3 == 0:
            await page.keyboard.press(str(RATING_CYCLE_KEYS[rating]))  # the 1-4 shortcut
        else:
            await tab_to(page, f'#pr-mock-session button[data-rating="{rating}"]')
            await page.keyboard.press("Enter")
    summary = await page.evaluate("""() => ({
        visible: !document.getElementById('pr-mock-summary').hidden,
        focus: document.activeElement.id,
        counts: document.getElementById('pr-mock-summary-counts').textContent,
        rows: [...document.querySelectorAll('#pr-mock-summary tbody tr')].map(tr => ({
          label: tr.cells[0].textContent, ko: tr.querySelector('.pq-ko').textContent.trim(),
          rating: tr.cells[2].textContent, links: [...tr.querySelectorAll('a')].map(a => a.href)}))})""")
    store = json.loads(await page.evaluate("() => localStorage.getItem('netlab-practice')"))
    return {"setup": setup, "seen": seen, "summary": summary, "store": store, "rated": rated}


RATING_CYCLE_KEYS = {"again": 1, "hard": 2, "good": 3, "easy": 4}


def _anchor_exists(site: Path, base_url: str, href: str) -> bool:
    parts = urlsplit(href)
    page = site / unquote(parts.path).lstrip("/")
    text = page.read_text(encoding="utf-8") if page.is_file() else ""
    return bool(parts.fragment) and f'id="{parts.fragment}"' in text


def test_mock_interview_of_chapter_2_by_keyboard_only(chromium: Browser, book: Served) -> None:
    run, requests = chromium.run(lambda page: _mock_interview(page, book.url, book.html))
    assert run["setup"] == {"length": "0", "order": "book", "all": False}, run["setup"]
    by_id = {e.question["id"]: e.question for e in CHAPTER_2_PLAN}
    steps, rated = _mock_script()
    # Asked in the chain's order, one step at a time, each with the focus on its title.
    assert [ko for ko, _ in run["seen"]] == [by_id[qid]["ko"].strip() for qid, _ in steps]
    assert all(focus == "pr-mock-card-title" for _, focus in run["seen"]), run["seen"]
    summary = run["summary"]
    assert summary["visible"] and summary["focus"] == "pr-mock-summary-title"
    assert [row["ko"] for row in summary["rows"]] == [by_id[qid]["ko"].strip() for qid in rated]
    assert f"{len(rated)} questions asked" in summary["counts"], summary["counts"]
    ratings = [rating for _, rating in steps if rating]
    assert [row["rating"].split(" ")[0].lower() for row in summary["rows"]] == ratings
    for row in summary["rows"]:
        assert row["links"], f"{row['label']}: no link to where the book explains it"
        for href in row["links"]:
            assert _anchor_exists(book.html, book.url, href), f"{row['label']}: dangling {href}"
    cards = run["store"]["cards"]
    assert sorted(cards) == sorted(rated), "every rated question, and only those, is a card"
    assert {cards[qid]["rating"] for qid in rated} == set(ratings)
    assert not outside(requests), outside(requests)


# --- timer, progress, search ----------------------------------------------------------------------

async def _timer(page: Any, base_url: str) -> dict[str, Any]:
    await open_practice(page, base_url + "practice.html")
    await page.check("#pr-mock-timer")
    await page.fill("#pr-mock-seconds", "15")
    await page.click("#pr-mock-start")
    before = await page.text_content("#pr-mock-clock")
    await page.clock.run_for(16_000)
    after = await page.text_content("#pr-mock-clock")
    await page.wait_for_function(
        "() => /Time is up/.test(document.getElementById('pr-mock-live').textContent)")
    return {"before": before, "after": after}


def test_timer_runs_out_and_says_so(chromium: Browser, book: Served) -> None:
    run, _ = chromium.run(lambda page: _timer(page, book.url), clock=True)
    assert run["before"].startswith("Time left") and run["before"].endswith("0:15"), run
    assert run["after"].startswith("Time is up"), run


async def _progress(page: Any, base_url: str, tmp: Path) -> dict[str, Any]:
    url = base_url + "practice.html"
    await open_practice(page, url)
    # Two cards through the review: a new card rated good, the next one again.
    await page.click("#pr-review-start")
    for rating in ("good", "again"):
        await page.click("#pr-review-reveal")
        await page.click(f'#pr-review-session button[data-rating="{rating}"]')
    await page.click("#pr-review-end")
    stored = await page.evaluate("() => localStorage.getItem('netlab-practice')")
    await page.reload()
    await page.wait_for_function(READY)
    after_reload = await page.evaluate("() => localStorage.getItem('netlab-practice')")
    summary = await page.text_content("#pr-progress-summary")
    async with page.expect_download() as download:
        await page.click("#pr-export")
    exported = tmp / "progress.json"
    await (await download.value).save_as(exported)
    await page.click("#pr-reset")
    await page.click("#pr-reset-yes")
    after_reset = json.loads(await page.evaluate("() => localStorage.getItem('netlab-practice')"))
    summary_reset = await page.text_content("#pr-progress-summary")
    await page.set_input_files("#pr-import", str(exported))
    await page.wait_for_function(
        "() => /Imported/.test(document.getElementById('pr-progress-live').textContent)")
    after_import = await page.evaluate("() => localStorage.getItem('netlab-practice')")
    # The book changes one answer: its card is flagged and due again.
    data = json.loads(after_import)
    changed = sorted(data["cards"])[0]
    data["cards"][changed]["hash"] = "an-old-answer"
    await page.evaluate("(s) => localStorage.setItem('netlab-practice', s)", json.dumps(data))
    await page.reload()
    await page.wait_for_function(READY)
    counts = await page.text_content("#pr-review-counts")
    await page.click("#pr-review-start")
    first = await page.evaluate("""() => ({step: document.getElementById('pr-review-step').textContent,
        flag: !!document.querySelector('#pr-review-card .pr-changed')})""")
    return {"stored": json.loads(stored), "after_reload": json.loads(after_reload), "summary": summary,
            "exported": json.loads(exported.read_text(encoding="utf-8")), "after_reset": after_reset,
            "summary_reset": summary_reset, "after_import": json.loads(after_import), "counts": counts,
            "first": first, "changed": changed}


def test_progress_survives_reload_and_export_reset_import(chromium: Browser, book: Served,
                                                          tmp_path: Path) -> None:
    run, _ = chromium.run(lambda page: _progress(page, book.url, tmp_path))
    cards = run["stored"]["cards"]
    assert len(cards) == 2 and {c["rating"] for c in cards.values()} == {"good", "again"}
    assert run["after_reload"] == run["stored"], "the reload lost progress"
    assert run["summary"].startswith("You have rated 2 of "), run["summary"]
    assert run["exported"]["cards"] == cards and run["exported"]["format"] == "netlab-practice-progress"
    assert run["after_reset"]["cards"] == {} and run["summary_reset"].startswith("You have rated 0 of ")
    assert run["after_import"]["cards"] == cards, "the import did not restore the cards"
    assert "답 변경: 1" in run["counts"], run["counts"]
    assert run["first"]["flag"] and "changed" in run["first"]["step"], run["first"]


async def _search(page: Any, base_url: str, typed: str, stem: str) -> dict[str, Any]:
    await open_practice(page, base_url + "practice.html")
    await tab_to(page, "#pr-search")
    await page.keyboard.type(typed)
    # The search covers the answers once their files have arrived.
    await page.wait_for_function("""(typed) => { const count = document.getElementById('pr-browse-count');
        return count.dataset.answers === 'searched' && count.dataset.query === typed; }""", arg=typed)
    return await page.evaluate("""([typed, stem]) => {
        const all = [...document.querySelectorAll('#pq-bank article.pq')];
        const text = a => (a.textContent + ' ' + netlabAnswers.text(a.dataset.id))
          .normalize('NFC').toLowerCase();
        const shown = all.filter(a => !a.hidden);
        return {shown: shown.map(a => a.dataset.id), total: all.length,
                typed_anywhere: all.some(a => text(a).includes(typed)),
                without_stem: shown.filter(a => !text(a).includes(stem)).map(a => a.dataset.id),
                with_stem: all.filter(a => text(a).includes(stem)).map(a => a.dataset.id),
                count: document.getElementById('pr-browse-count').textContent}; }""", [typed, stem])


def test_korean_search_finds_a_stem_typed_with_a_particle(chromium: Browser, book: Served) -> None:
    chapter_2 = (book.html / "chapters" / "02-handshake-and-close.html").read_text(encoding="utf-8")
    page = (book.html / "practice.html").read_text(encoding="utf-8")
    page += "".join(answer_files(book.html, "practice")[1].values())
    usable = [(typed, stem) for typed, stem in PARTICLE_SEARCHES if stem in chapter_2 and typed not in page]
    assert usable, "no search word fits chapter 2's questions"
    typed, stem = usable[0]
    run, _ = chromium.run(lambda p: _search(p, book.url, typed, stem))
    assert not run["typed_anywhere"]
    assert run["shown"] and sorted(run["shown"]) == sorted(run["with_stem"]), run
    assert not run["without_stem"], run
    assert run["count"].startswith(f"{len(run['shown'])} of {run['total']}"), run["count"]


# --- self-checks (fixture book) --------------------------------------------------------------------

async def _self_checks(page: Any, url: str) -> dict[str, Any]:
    await page.goto(url + "chapters/99-fixture.html", wait_until="load")
    await page.wait_for_selector("form.self-check.sc-ready")
    feedback = "(id) => document.querySelector('#' + id + ' .sc-feedback').innerText"
    out: dict[str, Any] = {}
    # Choice: a wrong option, then the right one, by keyboard.
    await tab_to(page, "#sc-fx-read-size-0")
    await page.keyboard.press("ArrowDown")  # radio group: moves to and selects the next option
    await tab_to(page, "#sc-fx-read-size .sc-submit")
    await page.keyboard.press("Enter")
    out["choice_wrong"] = await page.evaluate(feedback, "sc-fx-read-size")
    await page.check("#sc-fx-read-size-0")
    await page.click("#sc-fx-read-size .sc-submit")
    out["choice_right"] = await page.evaluate(feedback, "sc-fx-read-size")
    out["choice_explained"] = await page.is_visible("#sc-fx-read-size .sc-explanation")
    # Number: 40 is wrong, 20 is right.
    await page.fill("#sc-fx-header-size-input", "40")
    await page.click("#sc-fx-header-size .sc-submit")
    out["number_wrong"] = await page.evaluate(feedback, "sc-fx-header-size")
    await page.fill("#sc-fx-header-size-input", "20")
    await page.keyboard.press("Enter")
    out["number_right"] = await page.evaluate(feedback, "sc-fx-header-size")
    # Order: check as shuffled, then sort with the move buttons.
    await page.click("#sc-fx-close-order .sc-submit")
    out["order_wrong"] = await page.evaluate(feedback, "sc-fx-close-order")
    for target in range(4):
        while True:
            positions = await page.eval_on_selector_all(
                "#sc-fx-close-order li", "lis => lis.map(li => Number(li.dataset.position))")
            at = positions.index(target)
            if at == target:
                break
            await page.click(f"#sc-fx-close-order li:nth-child({at + 1}) button[data-move='-1']")
    await page.click("#sc-fx-close-order .sc-submit")
    out["order_right"] = await page.evaluate(feedback, "sc-fx-close-order")
    out["live"] = await page.eval_on_selector_all(
        ".sc-feedback", "fs => fs.map(f => f.getAttribute('role') + '/' + f.getAttribute('aria-live'))")
    out["axe"] = await axe(page)
    return out


def test_self_check_wrong_then_right_with_feedback(chromium: Browser,
                                                   fixture_site: tuple[FixtureBuild, str]) -> None:
    _, url = fixture_site
    run, requests = chromium.run(lambda page: _self_checks(page, url))
    assert run["choice_wrong"].startswith("아닙니다 · Not quite")
    assert "keep message boundaries" in run["choice_wrong"], "the chosen option's why"
    assert run["choice_right"].startswith("맞습니다 · Correct") and "byte stream" in run["choice_right"]
    assert run["choice_explained"]
    assert "Too large" in run["number_wrong"] and run["number_right"].startswith("맞습니다")
    assert "in the right place" in run["order_wrong"] and run["order_right"].startswith("맞습니다")
    assert set(run["live"]) == {"status/polite"}, "feedback must be announced"
    assert not run["axe"], json.dumps(run["axe"], indent=1)
    assert not outside(requests), outside(requests)


# --- phone, dark mode, accessibility, offline, speed, weight --------------------------------------

async def _states(page: Any, base_url: str, every_state: bool) -> dict[str, Any]:
    """Layout in each state of the page (set-up, a question with its answer, the summary), and axe.

    Axe checks the whole page at set-up, then the mock interview's part as it changes; with
    ``every_state`` false, only the part with a question shown.
    """
    await open_practice(page, base_url + "practice.html")
    width = "() => [document.documentElement.scrollWidth, window.innerWidth]"
    out: dict[str, Any] = {"theme": await page.evaluate("() => document.documentElement.dataset.theme"),
                           "setup": await axe(page) if every_state else [],
                           "width_setup": await page.evaluate(width)}
    await page.click("#pr-mock-start")
    await page.click("#pr-mock-reveal")
    out["question"] = await axe(page, "#pr-mock")
    out["width_question"] = await page.evaluate(width)
    good = page.locator('#pr-mock-session button[data-rating="good"]')
    out["good_in_view"] = await good.is_visible()
    await page.click("#pr-mock-end")
    out["summary"] = await axe(page, "#pr-mock") if every_state else []
    out["width_summary"] = await page.evaluate(width)
    shot = ROOT / "_build" / "screenshots" / "practice"
    shot.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(shot / f"{out['theme']}-{page.viewport_size['width']}.png"))
    return out


@pytest.mark.parametrize(("viewport", "scheme"), [("desktop", "light"), ("desktop", "dark"),
                                                  ("phone", "light"), ("phone", "dark")])
def test_practice_page_at_each_width_and_colour_scheme(chromium: Browser, book: Served, viewport: str,
                                                       scheme: str) -> None:
    # The phone shows the same markup: axe there only on the busiest state, to keep the time down.
    run, requests = chromium.run(lambda page: _states(page, book.url, viewport == "desktop"),
                                 viewport=viewport, color_scheme=scheme)
    assert run["theme"] == scheme, run["theme"]
    for state in ("setup", "question", "summary"):
        assert not run[state], f"{state}: " + json.dumps(run[state], indent=1)
        scroll, inner = run[f"width_{state}"]
        assert scroll <= inner, f"{state}: the page scrolls sideways ({scroll} > {inner} px)"
    assert run["good_in_view"]
    assert not outside(requests), outside(requests)


async def _from_file(page: Any, site: Path) -> dict[str, Any]:
    await open_practice(page, (site / "practice.html").as_uri())
    await page.click("#pr-mock-start")
    await page.click("#pr-mock-reveal")
    # The card's answer, from its chapter's answer file (a <script>, which file:// allows).
    await page.wait_for_selector('#pr-mock-card-answer .netlab-answer[data-answer-state="shown"]')
    answer = await page.text_content("#pr-mock-card-answer .netlab-answer")
    await page.click('#pr-mock-session button[data-rating="good"]')
    stored = await page.evaluate("() => localStorage.getItem('netlab-practice')")
    return {"cards": len(json.loads(stored)["cards"]), "answer": answer}


def test_practice_page_works_from_file_urls(chromium: Browser, book: Served) -> None:
    run, requests = chromium.run(lambda page: _from_file(page, book.html))
    assert run["cards"] == 1
    assert len(run["answer"].strip()) > 100, run["answer"]
    assert any("/_static/answers/practice/" in url for url in requests), "no answer file loaded"
    assert all(url.startswith(("file:", "data:", "blob:")) for url in requests), \
        [u for u in requests if not u.startswith("file:")]


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


HAS_PROC = Path("/proc/self/task").is_dir()  # Linux: threads' CPU times


def _main_thread_ms(pids: list[int]) -> int:
    """CPU time (user + system) of the main threads of ``pids`` (those still running), in ms."""
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/task/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after "pid (comm)": state is field 3
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total * 1000 // CLOCK_TICKS


async def _opened_with_main_thread_time(page: Any, url: str) -> tuple[int, int]:
    """Open the practice page; (ms from navigation to interactive, ms of main-thread CPU meanwhile).

    The CPU time is that of the renderers' main threads (Linux's ``/proc``), from the
    navigation until the test sees the page ready: the page's parsing, styles, layout and
    scripts, without the time the thread waited for a core another process had.
    """
    session = await page.context.browser.new_browser_cdp_session()

    async def renderers() -> list[int]:
        info = await session.send("SystemInfo.getProcessInfo")
        return [p["id"] for p in info["processInfo"] if p["type"] == "renderer"]

    before_pids = await renderers()
    before = _main_thread_ms(before_pids)
    wall = await open_practice(page, url)
    # A renderer the navigation started counts from zero.
    after = _main_thread_ms(sorted(set(before_pids) | set(await renderers())))
    await session.detach()
    return wall, after - before


async def _timings(page: Any, base_url: str) -> dict[str, Any]:
    sizes: dict[str, int] = {}

    def on_response(response: Any) -> None:
        if response.url.startswith(base_url):
            sizes[urlsplit(response.url).path] = 0

    page.on("response", on_response)
    url = base_url + "practice.html"
    cold = await _opened_with_main_thread_time(page, url)
    warm = [await _opened_with_main_thread_time(page, url) for _ in range(3)]
    init = await page.evaluate("() => Number(document.documentElement.dataset.practiceInitMs)")
    return {"cold": cold, "warm": warm, "init_ms": init, "files": sorted(sizes)}


# The limit is on the main thread's CPU time before the page is interactive, which does
# not depend on what else the machine runs; the wall-clock time is reported beside it (it
# went from 0.5-1.1 s to 1.1-3.7 s while the site's and the PDF's browser groups shared the
# two cores). As the wall-clock limit was, it holds for the fastest of the four openings.
def test_practice_page_is_interactive_within_a_second(chromium: Browser, book: Served) -> None:
    if not HAS_PROC:
        pytest.skip("no /proc to read the renderer's CPU time from (Linux)")
    run, _ = chromium.run(lambda page: _timings(page, book.url))
    raw = gz = 0
    lines = []
    for path in run["files"]:
        file = book.html / unquote(path).lstrip("/")
        if file.is_file():
            data = file.read_bytes()
            raw += len(data)
            gz += len(gzip.compress(data, 6))
            lines.append(f"  {len(data) / 1024:8.1f} KB  {path}")
    own = [book.html / name for name in ("practice.html", "_static/practice/practice.js",
                                         "_static/answers/answers.js",
                                    "_static/practice/practice.css", "_static/vendor/ts-fsrs/index.umd.js")]
    own_raw = sum(p.stat().st_size for p in own)
    own_gz = sum(len(gzip.compress(p.read_bytes(), 6)) for p in own)
    (cold_wall, cold_cpu), warm = run["cold"], run["warm"]
    report = (f"Practice page: interactive after {cold_cpu} ms of main-thread CPU on a cold cache "
              f"({cold_wall} ms after navigation), {min(c for _, c in warm)}-{max(c for _, c in warm)} ms "
              f"warm ({min(w for w, _ in warm)}-{max(w for w, _ in warm)} ms after navigation); its "
              f"script's own start-up {run['init_ms']} ms (loopback, {os.cpu_count()} CPUs, "
              f"load {os.getloadavg()[0]:.1f}).\n"
              f"Weight of a first visit: {raw / 1e6:.2f} MB raw, {gz / 1e6:.2f} MB gzip, {len(lines)} files; "
              f"the page's own part (HTML with every question, its scripts and style, ts-fsrs): "
              f"{own_raw / 1e3:.0f} KB raw, {own_gz / 1e3:.0f} KB gzip.\n" + "\n".join(lines) + "\n")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(report, encoding="utf-8")
    print("\n" + report)
    assert min(c for _, c in [run["cold"], *warm]) < INTERACTIVE_MS, report


# --- answers loaded when asked for (drill and practice pages) --------------------------------------

ALL_IDS = {path.stem: [e.question["id"] for e in walk_questions(load_questions(path))]
           for path in QUESTION_FILES}
PLACEHOLDER = re.compile(r'<div class="netlab-answer" data-answer-id="([^"]+)" data-answers-src="([^"]+)">')
ANSWER_FILE = re.compile(
    r"_static/answers/(?P<page>[a-z]+)/(?P<chapter>[a-z0-9-]+)\.(?P<digest>[0-9a-f]{12})\.js")
ANSWER_CALL = re.compile(r"window\.netlabAnswers\.add\((.*)\);\n", re.S)
# Without JavaScript, a placeholder is a link to the question in its chapter.
ELSEWHERE = re.compile(r'<div class="netlab-answer" data-answer-id="([^"]+)"[^>]*>\s*'
                       r'<p class="netlab-answer-elsewhere"><a class="reference internal" href="([^"]+)">')


def plain(fragment: str) -> str:
    """The text of an HTML fragment (its ``textContent``), whitespace collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def answer_files(site: Path, page: str) -> tuple[list[tuple[str, str]], dict[str, str]]:
    """(question id, file) of each placeholder of ``page``, in page order; question id -> answer HTML."""
    placeholders = PLACEHOLDER.findall((site / f"{page}.html").read_text(encoding="utf-8"))
    answers: dict[str, str] = {}
    for src in dict.fromkeys(src for _, src in placeholders):
        call = ANSWER_CALL.fullmatch((site / src).read_text(encoding="utf-8"))
        assert call, f"{src} is not one window.netlabAnswers.add call"
        answers.update(json.loads(call.group(1)))
    return placeholders, answers


@pytest.mark.parametrize("edition", ["en", "ko"])
@pytest.mark.parametrize("page", ["drill", "practice"])
def test_answers_are_in_their_chapter_files_not_in_the_page(book: Served, page: str, edition: str) -> None:
    site = book.html if edition == "en" else book.html / "ko"
    placeholders, answers = answer_files(site, page)
    expected = [qid for ids in ALL_IDS.values() for qid in ids]
    assert [qid for qid, _ in placeholders] == expected, "a placeholder per question, in book order"
    for qid, src in placeholders:
        name = ANSWER_FILE.fullmatch(src)
        assert name and name["page"] == page and qid in ALL_IDS[name["chapter"]], (qid, src)
    for src in dict.fromkeys(src for _, src in placeholders):  # each file once
        name = ANSWER_FILE.fullmatch(src)
        content = (site / src).read_bytes()
        assert hashlib.sha256(content).hexdigest()[:12] == name["digest"], f"{src}: digest"
        assert list(json.loads(ANSWER_CALL.fullmatch(content.decode())[1])) == ALL_IDS[name["chapter"]]
    assert sorted(answers) == sorted(expected)
    links = ELSEWHERE.findall((site / f"{page}.html").read_text(encoding="utf-8"))
    assert [qid for qid, _ in links] == expected, "a link to its chapter in every placeholder"
    chapters = {}
    for qid, href in links:
        target, _, anchor = href.partition("#")
        if target not in chapters:
            chapters[target] = (site / target).read_text(encoding="utf-8")
        assert anchor == f"iq-{qid}" and f'id="{anchor}"' in chapters[target], href
    text = plain((site / f"{page}.html").read_text(encoding="utf-8"))
    chapter_1 = plain((site / "chapters" / f"{QUESTION_FILES[0].stem}.html").read_text(encoding="utf-8"))
    inline = []
    for qid, fragment in answers.items():
        answer = plain(fragment)
        assert len(answer) > 40, f"{qid}: an empty answer"
        # Three pieces of it: a section's title in the page may match one of them.
        quarter = len(answer) // 4
        pieces = [answer[at - 20: at + 20] for at in (quarter, 2 * quarter, 3 * quarter)]
        if all(piece in text for piece in pieces):
            inline.append(qid)
        if qid in ALL_IDS[QUESTION_FILES[0].stem]:
            assert all(p in chapter_1 for p in pieces), f"{qid}: the chapter lost its inline answer"
    assert not inline, f"answers still in {page}.html: {inline[:5]}"


async def _open_drill_answers(page: Any, url: str, by_keyboard: str, by_click: str) -> dict[str, Any]:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    await page.goto(url, wait_until="load")
    await page.wait_for_timeout(300)
    before = [u for u in requests if "/_static/answers/drill/" in u]
    out: dict[str, Any] = {"before": before}
    for how, qid in (("keyboard", by_keyboard), ("click", by_click)):
        summary = f"#iq-{qid} > details > summary"
        box = f'#iq-{qid} > details .netlab-answer[data-answer-id="{qid}"]'
        if how == "keyboard":
            await page.focus(summary)
            await page.keyboard.press("Enter")
        else:
            await page.click(summary)
        await page.wait_for_selector(box + '[data-answer-state="shown"]', timeout=10_000)
        out[how] = await page.text_content(box)
    out["files"] = sorted({urlsplit(u).path.rsplit("/", 1)[-1].split(".")[0]
                           for u in requests if "/_static/answers/drill/" in u})
    return out


@pytest.mark.parametrize("where", ["http", "file"])
def test_drill_dropdown_shows_its_answer_when_opened(chromium: Browser, book: Served, where: str) -> None:
    first, last = QUESTION_FILES[0].stem, QUESTION_FILES[-1].stem
    by_keyboard, by_click = ALL_IDS[first][1], ALL_IDS[last][0]
    url = (book.html / "drill.html").as_uri() if where == "file" else book.url + "drill.html"
    run, requests = chromium.run(lambda page: _open_drill_answers(page, url, by_keyboard, by_click))
    assert not run["before"], f"answers loaded before any was asked for: {run['before']}"
    _, answers = answer_files(book.html, "drill")
    for how, qid in (("keyboard", by_keyboard), ("click", by_click)):
        assert " ".join(run[how].split()) == plain(answers[qid]), f"{how}: {run[how][:200]}"
    assert run["files"] == [first, last], "only the chapters asked for"
    assert not outside(requests), outside(requests)


async def _answer_file_fails(page: Any, url: str, qid: str) -> dict[str, Any]:
    await page.route("**/_static/answers/drill/**", lambda route: route.abort())
    await page.goto(url, wait_until="load")
    await page.click(f"#iq-{qid} > details > summary")
    box = f'.netlab-answer[data-answer-id="{qid}"]'
    await page.wait_for_selector(box + '[data-answer-state="error"]', timeout=10_000)
    return await page.evaluate("""(box) => { const b = document.querySelector(box);
        return {status: b.querySelector('[role=alert]').textContent,
                link: b.querySelector('.netlab-answer-elsewhere a').href,
                link_shown: !b.querySelector('.netlab-answer-elsewhere').hidden}; }""", box)


def test_drill_says_so_when_an_answer_file_fails_and_links_the_chapter(chromium: Browser,
                                                                       book: Served) -> None:
    qid = ALL_IDS[QUESTION_FILES[0].stem][0]
    run, _ = chromium.run(lambda page: _answer_file_fails(page, book.url + "drill.html", qid),
                          errors_expected="Failed to load resource")
    assert "could not be loaded" in run["status"], run
    assert run["link_shown"] and run["link"].endswith(f"chapters/{QUESTION_FILES[0].stem}.html#iq-{qid}")
    assert _anchor_exists(book.html, book.url, run["link"]), run["link"]


def _word_only_in_answers(site: Path) -> tuple[str, list[str]]:
    """A word of chapter 2's answers that the practice page itself never says; the ids whose answer has it."""
    page = (site / "practice.html").read_text(encoding="utf-8").lower()
    _, answers = answer_files(site, "practice")
    texts = {qid: plain(fragment).lower() for qid, fragment in answers.items()}
    words = sorted({w for qid in ALL_IDS[CHAPTER_2.stem] for w in re.findall(r"\b[a-z]{8,}\b", texts[qid])
                    if w not in page}, key=lambda w: (-len(w), w))
    assert words, "every word of chapter 2's answers is in the page too"
    return words[0], [qid for qid, text in texts.items() if words[0] in text]


def test_practice_search_finds_a_word_only_an_answer_has(chromium: Browser, book: Served) -> None:
    word, having = _word_only_in_answers(book.html)
    run, requests = chromium.run(lambda p: _search(p, book.url, word, word))
    assert sorted(run["shown"]) == sorted(having), (word, run["count"])
    assert not run["without_stem"], run
    assert any("/_static/answers/practice/" in url for url in requests)


async def _show_every_answer(page: Any, base_url: str, chapter: str) -> dict[str, Any]:
    await open_practice(page, base_url + "practice.html")
    await page.select_option("#pr-filter-chapter", chapter)
    await page.check("#pr-show-answers")
    await page.wait_for_function("""(chapter) => [...document.querySelectorAll(
        `#pq-bank section[data-chapter="${chapter}"] .netlab-answer`)]
        .every(b => b.dataset.answerState === 'shown')""", arg=chapter, timeout=15_000)
    return await page.evaluate("""() => ({
        open: document.querySelectorAll('#pq-bank details.pq-answer[open]').length,
        shown: [...document.querySelectorAll('.netlab-answer[data-answer-state=shown]')]
          .map(b => b.dataset.answerId)})""")


def test_show_every_answer_loads_the_shown_chapters_answers(chromium: Browser, book: Served) -> None:
    run, requests = chromium.run(lambda p: _show_every_answer(p, book.url, CHAPTER_2.stem))
    assert sorted(run["shown"]) == sorted(ALL_IDS[CHAPTER_2.stem]), "only the chapter shown"
    loaded = {urlsplit(u).path.rsplit("/", 1)[-1].split(".")[0]
              for u in requests if "/_static/answers/practice/" in u}
    assert loaded == {CHAPTER_2.stem}, loaded


# --- the deck the site offers ------------------------------------------------------------------------

def test_site_deck_has_a_note_per_question(book: Served) -> None:
    ids = [e.question["id"] for path in QUESTION_FILES for e in walk_questions(load_questions(path))]
    notes = read_deck(book.html / DECK)
    assert len(notes) == len(ids)
    assert [guid for guid, _, _ in notes] == [genanki.guid_for(i) for i in ids]
    assert (book.html / DECK.replace(".apkg", ".tsv")).is_file()
    page = (book.html / "practice.html").read_text(encoding="utf-8")
    assert re.search(rf'href="{re.escape(DECK)}"', page), "the practice page links the deck"
