"""Drive the built site in Chromium: what tests/test_site.py and tools/bench_site.py share.

One browser, one context per viewport, pages visited a few at a time. Every
request is recorded; the browser itself refuses any that is not for 127.0.0.1
(see ``BROWSER_ARGS``), so nothing here can reach the internet. The HTTP cache
stays on, as for a reader going from page to page.

A page's weight is the size of every file it asks for (each file once), raw and
as GitHub Pages sends it: text files (HTML, scripts, styles, SVG, JSON) gzip-
compressed, fonts and pictures as they are. It is measured twice: at **first
screen**, once the page is drawn (text, diagrams, math) before the reader
scrolls, and **whole**, after every stored widget has been scrolled into view
and drawn (lab pages load the widgets manager only then).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gzip
import http.server
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))
# The browser is found and started as the build finds it (re-exported for the tests).
from netlab_browser import BROWSER_ARGS as BROWSER_ARGS  # noqa: E402
from netlab_browser import BROWSERS as BROWSERS  # noqa: E402
from netlab_browser import INSTALL_HINT as INSTALL_HINT  # noqa: E402
from netlab_browser import LOCAL_HOST as LOCAL_HOST  # noqa: E402
from netlab_browser import find_browser as find_browser  # noqa: E402

AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
# Bytes are grouped by the resource type Chromium reports.
KINDS = {"document": "html", "script": "scripts", "stylesheet": "styles", "font": "fonts",
         "image": "images"}
READY_TIMEOUT_MS = 20_000
FIRST_SCREEN_SETTLE_MS = 300

# Text files a host like GitHub Pages sends gzip-compressed (fonts and pictures
# are compressed already and are sent as they are).
COMPRESSED_SUFFIXES = {".html", ".js", ".mjs", ".css", ".svg", ".json", ".txt", ".xml", ".map"}
GZIP_LEVEL = 6  # gzip's default, what common servers use

# A mermaid diagram is drawn when its SVG is there, is not mermaid's error
# picture, has labels and, unless it sits in a closed dropdown, takes room. A
# diagram drawn at build time holds a light and a dark drawing: the one shown counts.
DRAWN_JS = """(d) => {
  const svgs = [...d.querySelectorAll('svg')].filter(s => !s.parentElement.closest('svg'));
  const svg = svgs.find(s => s.getClientRects().length > 0) || svgs[0];
  if (!svg || svg.getAttribute('aria-roledescription') === 'error') return false;
  if (!svg.querySelector('text, foreignObject')) return false;
  const box = svg.getBoundingClientRect();
  return d.getClientRects().length === 0 || (box.width > 0 && box.height > 0);
}"""

# True once the page's diagrams and math have been drawn: the first screen.
TEXT_READY_JS = """() => {
  if (![...document.querySelectorAll('pre.mermaid, div.mermaid')].every(DRAWN)) return false;
  const math = [...document.querySelectorAll('.math')];
  return math.every(m => m.querySelector('math'));  // MathML written at build time
}""".replace("DRAWN", DRAWN_JS)
# Scroll to the first stored widget, as a reader reaching "Try it" does (the
# widgets manager, once loaded, draws them all).
SCROLL_TO_WIDGETS_JS = """() => {
  const view = document.querySelector('script[type="application/vnd.jupyter.widget-view+json"]');
  if (view) view.parentElement.scrollIntoView({block: 'center'});
}"""
# True once every stored widget view has been drawn.
WIDGETS_READY_JS = """() => {
  const views = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')];
  return views.every(v => v.parentElement.querySelector('.widget-subarea .jupyter-widgets'));
}"""
# Both: diagrams, math and widgets drawn (a page whose widgets are on screen).
READY_JS = "() => (" + TEXT_READY_JS + ")() && (" + WIDGETS_READY_JS + ")()"

# What the page shows once ready.
INSPECT_JS = """() => {
  const diagrams = [...document.querySelectorAll('pre.mermaid, div.mermaid')];
  const drawn = diagrams.filter(DRAWN);
  const math = [...document.querySelectorAll('.math')];
  // MathML written at build time, which the browser draws (no MathJax).
  const typeset = math.filter(m => m.querySelector('math'));
  const views = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')];
  const rendered = views.filter(v => v.parentElement.querySelector('.widget-subarea .jupyter-widgets'));
  const state = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-state+json"]')]
    .flatMap(s => Object.values(JSON.parse(s.textContent).state || {}));
  const thebeConfig = document.querySelector('script[type="text/x-thebe-config"]');
  return {
    diagrams: diagrams.length, diagrams_drawn: drawn.length,
    diagrams_static: document.querySelectorAll('pre.mermaid-static').length,
    fullscreen_buttons: document.querySelectorAll('.mermaid-container > .mermaid-fullscreen-btn').length,
    lang: document.documentElement.lang,
    // Pixels the page is wider than the window (a line that does not wrap, at phone width).
    overflow_x: document.documentElement.scrollWidth - window.innerWidth,
    math: math.length, math_typeset: typeset.length,
    widget_views: views.length, widget_views_rendered: rendered.length,
    slider_models: state.filter(m => /Slider/.test(m.model_name || '')).length,
    sliders: document.querySelectorAll('.widget-slider').length,
    widget_errors: [...document.querySelectorAll('.jupyter-widgets')]
      .filter(w => /Error displaying widget/.test(w.textContent)).length,
    binder_links: [...document.querySelectorAll('a[href*="/v2/gh/"]')].map(a => a.href),
    thebe_buttons: document.querySelectorAll('.btn-launch-thebe').length,
    thebe_config: thebeConfig ? thebeConfig.textContent : '',
    thebe_loaded: typeof window.thebelab !== 'undefined' || typeof window.thebe !== 'undefined',
    korean_chars: (document.body.innerText.match(/[\\uac00-\\ud7a3]/g) || []).length,
    korean_glyphs: (() => {  // two Hangul strings look different only with a font that has them
      const canvas = document.createElement('canvas');
      canvas.width = 160; canvas.height = 40;
      const g = canvas.getContext('2d');
      g.font = '24px ' + getComputedStyle(document.body).fontFamily;
      const draw = s => { g.clearRect(0, 0, 160, 40); g.fillText(s, 0, 30);
                          return g.getImageData(0, 0, 160, 40).data.join(','); };
      return draw('가나다') !== draw('라마바');
    })(),
  };
}""".replace("DRAWN", DRAWN_JS)


@dataclass
class Visit:
    """One page opened at one viewport: what it requested, logged and showed."""

    page: str
    viewport: str
    status: int = 0
    load_s: float = 0.0  # navigation to the load event
    first_screen_s: float = 0.0  # navigation to text, diagrams and math drawn
    ready_s: float = 0.0  # navigation to diagrams, math and widgets drawn
    ready: bool = False
    requests: list[str] = field(default_factory=list)
    first_screen_requests: int = 0  # how many of ``requests`` came before any scrolling
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # local responses >= 400 or network failures
    bytes_by_kind: dict[str, int] = field(default_factory=dict)  # whole page, raw
    gzip_by_kind: dict[str, int] = field(default_factory=dict)  # whole page, as sent compressed
    first_bytes_by_kind: dict[str, int] = field(default_factory=dict)  # first screen, raw
    first_gzip_by_kind: dict[str, int] = field(default_factory=dict)  # first screen, compressed
    files: dict[str, tuple[int, int]] = field(default_factory=dict)  # site path -> (raw, gzip)
    first_files: set[str] = field(default_factory=set)  # site paths loaded for the first screen
    shown: dict[str, Any] = field(default_factory=dict)
    axe: list[dict[str, Any]] = field(default_factory=list)
    screenshot: Path | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # time spent per step

    @property
    def outside(self) -> list[str]:
        """Requests for any host but 127.0.0.1."""
        return [url for url in self.requests if not is_local(url)]

    @property
    def total_bytes(self) -> int:
        """Everything the page loaded, raw."""
        return sum(self.bytes_by_kind.values())

    @property
    def total_gzip(self) -> int:
        """Everything the page loaded, as a gzip-serving host sends it."""
        return sum(self.gzip_by_kind.values())

    @property
    def first_gzip(self) -> int:
        """What the first screen loaded, as a gzip-serving host sends it."""
        return sum(self.first_gzip_by_kind.values())

    @property
    def first_bytes(self) -> int:
        """What the first screen loaded, raw."""
        return sum(self.first_bytes_by_kind.values())


def is_local(url: str) -> bool:
    """True for URLs the page may load: 127.0.0.1, or data/blob/about URLs."""
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname == LOCAL_HOST


def toc_pages(root: Path = ROOT) -> list[str]:
    """Every page in ``_toc.yml``, in reading order, as paths without suffix."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "file" in node:
                pages.append(str(node["file"]).removesuffix(".md").removesuffix(".ipynb"))
            for key in ("chapters", "sections", "parts"):
                walk(node.get(key))
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(toc.get("parts") or toc.get("chapters") or [])
    return pages


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".js": "text/javascript",
                      ".woff": "font/woff", ".woff2": "font/woff2", ".svg": "image/svg+xml"}

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib's name)
        """Keep test output clean."""


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a free port) in a thread; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer((LOCAL_HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://{LOCAL_HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


async def new_context(browser: Any, viewport: str) -> Any:
    """A browser context at one viewport, light colour scheme."""
    phone = viewport == "phone"
    return await browser.new_context(viewport=VIEWPORTS[viewport], is_mobile=phone,
                                     has_touch=phone, device_scale_factor=1,
                                     color_scheme="light", locale="en-US")


def _ignored_console_error(text: str, location_url: str) -> bool:
    # Chromium asks every new origin for /favicon.ico on its own; the book's
    # pages do not link one, so its 404 is not a page's error.
    return urlsplit(location_url).path == "/favicon.ico" and "404" in text


async def visit(context: Any, base_url: str, page_path: str, viewport: str, *, site: Path,
                axe_source: str | None = None, axe_disabled: tuple[str, ...] = (),
                screenshot_dir: Path | None = None) -> Visit:
    """Open one page, wait until it is drawn, inspect it, optionally run axe and screenshot it."""
    result = Visit(page=page_path, viewport=viewport)
    page = await context.new_page()
    kinds: dict[str, str] = {}

    def on_request(request: Any) -> None:
        result.requests.append(request.url)
        kinds[request.url] = KINDS.get(request.resource_type, "other")

    def on_response(response: Any) -> None:
        if response.status >= 400 and urlsplit(response.url).path != "/favicon.ico":
            result.failed.append(f"{response.status} {response.url}")

    def on_console(msg: Any) -> None:
        location = msg.location.get("url", "")
        if msg.type == "error" and not _ignored_console_error(msg.text, location):
            result.console_errors.append(f"{msg.text} ({location})")

    page.on("request", on_request)
    page.on("response", on_response)
    page.on("requestfailed", lambda request: result.failed.append(
        f"{request.failure} {request.url}") if is_local(request.url) else None)
    page.on("console", on_console)
    page.on("pageerror", lambda error: result.console_errors.append(f"uncaught: {error}"))
    try:
        start = time.perf_counter()
        response = await page.goto(base_url + page_path + ".html", wait_until="load")
        result.load_s = time.perf_counter() - start
        result.status = response.status if response else 0
        try:
            await page.wait_for_function(TEXT_READY_JS, timeout=READY_TIMEOUT_MS, polling=50)
            await page.evaluate("() => document.fonts.ready.then(() => true)")
            result.first_screen_s = time.perf_counter() - start
            await page.wait_for_timeout(FIRST_SCREEN_SETTLE_MS)  # late requests of the first screen
            result.first_screen_requests = len(result.requests)
            await page.evaluate(SCROLL_TO_WIDGETS_JS)
            await page.wait_for_function(READY_JS, timeout=READY_TIMEOUT_MS, polling=50)
            result.ready = True
        except Exception:  # noqa: BLE001 (a timeout is reported through `ready`)
            result.ready = False
            result.first_screen_requests = result.first_screen_requests or len(result.requests)
        await page.evaluate("() => window.scrollTo(0, 0)")
        result.ready_s = time.perf_counter() - start
        result.seconds["open"] = result.ready_s
        step = time.perf_counter()
        result.shown = await page.evaluate(INSPECT_JS)
        _weigh_visit(result, site, base_url, kinds)
        result.seconds["inspect"] = time.perf_counter() - step
        step = time.perf_counter()
        if axe_source is not None:
            await page.add_script_tag(content=axe_source)
            options = {"resultTypes": ["violations"],
                       "rules": {rule: {"enabled": False} for rule in axe_disabled}}
            result.axe = await page.evaluate(
                """async (options) => (await axe.run(document, options)).violations.map(v => ({
                     id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
                     targets: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))""", options)
        result.seconds["axe"] = time.perf_counter() - step
        step = time.perf_counter()
        if screenshot_dir is not None:
            # What a reader sees first; at desktop width also each diagram, whole.
            # (Full-page captures of long chapters cost a second each.)
            name = page_path.replace("/", "__")
            result.screenshot = screenshot_dir / viewport / f"{name}.png"
            result.screenshot.parent.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(result.screenshot), animations="disabled")
            if viewport == "desktop":
                diagrams = page.locator("pre.mermaid:visible, div.mermaid:visible")
                for i in range(await diagrams.count()):
                    shot = screenshot_dir / "diagrams" / f"{name}-{i + 1}.png"
                    shot.parent.mkdir(parents=True, exist_ok=True)
                    await diagrams.nth(i).screenshot(path=str(shot), animations="disabled")
        result.seconds["screenshot"] = time.perf_counter() - step
    finally:
        await page.close()
    return result


@functools.lru_cache(maxsize=4096)
def file_weight(path: Path, mtime_ns: int) -> tuple[int, int]:
    """(raw bytes, bytes sent by a gzip-serving host) of one file of the site."""
    data = path.read_bytes()
    if path.suffix.lower() in COMPRESSED_SUFFIXES:
        return len(data), len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))
    return len(data), len(data)


def _weigh_visit(result: Visit, site: Path, base_url: str, kinds: dict[str, str]) -> None:
    """Fill in ``result``'s weights: each local file it requested, once, by kind."""
    first = set(result.requests[:result.first_screen_requests])
    for url in dict.fromkeys(result.requests):
        if not url.startswith(base_url):
            continue
        name = unquote(urlsplit(url).path).lstrip("/")
        path = site / name
        if name in result.files or not path.is_file():
            continue
        raw, packed = file_weight(path, path.stat().st_mtime_ns)
        result.files[name] = (raw, packed)
        kind = kinds.get(url, "other")
        result.bytes_by_kind[kind] = result.bytes_by_kind.get(kind, 0) + raw
        result.gzip_by_kind[kind] = result.gzip_by_kind.get(kind, 0) + packed
        if url in first:
            result.first_files.add(name)
            result.first_bytes_by_kind[kind] = result.first_bytes_by_kind.get(kind, 0) + raw
            result.first_gzip_by_kind[kind] = result.first_gzip_by_kind.get(kind, 0) + packed


async def visit_all(context: Any, base_url: str, pages: list[str], viewport: str, *,
                    concurrency: int = 3, **kwargs: Any) -> dict[str, Visit]:
    """Visit ``pages``, ``concurrency`` at a time; return visits by page."""
    gate = asyncio.Semaphore(concurrency)

    async def one(page_path: str) -> Visit:
        async with gate:
            return await visit(context, base_url, page_path, viewport, **kwargs)

    visits = await asyncio.gather(*(one(p) for p in pages))
    return {v.page: v for v in visits}


def shared_files(visits: list[Visit]) -> dict[str, tuple[int, int]]:
    """Files every page loads for its first screen (the theme's): path -> (raw, gzip)."""
    if not visits:
        return {}
    common = set.intersection(*(v.first_files for v in visits))
    return {name: visits[0].files[name] for name in sorted(common)}


def weight_table(visits: list[Visit], budgets: dict[str, int] | None = None) -> str:
    """Per page: first-screen and whole weight, raw and compressed; the shared files once.

    ``budgets`` maps a page to the most its first screen may weigh compressed.
    """
    shared = shared_files(visits)
    shared_raw = sum(raw for raw, _ in shared.values())
    shared_gz = sum(gz for _, gz in shared.values())
    width = max([len(v.page) for v in visits] + [4])
    head = (f"{'page':<{width}}  {'first raw':>9}  {'first gz':>8}  {'own gz':>7}  {'whole raw':>9}  "
            f"{'whole gz':>8}  {'html gz':>7}  {'budget':>6}  {'load s':>6}  {'ready s':>7}")
    lines = [head, "-" * len(head)]
    for v in visits:
        own = v.first_gzip - sum(shared[n][1] for n in v.first_files if n in shared)
        limit = (budgets or {}).get(v.page)
        flag = "" if limit is None or v.first_gzip <= limit else "  OVER BUDGET"
        lines.append(
            f"{v.page:<{width}}  {v.first_bytes / 1024:8.0f}K  {v.first_gzip / 1024:7.0f}K  "
            f"{own / 1024:6.0f}K  {v.total_bytes / 1024:8.0f}K  {v.total_gzip / 1024:7.0f}K  "
            f"{v.gzip_by_kind.get('html', 0) / 1024:6.0f}K  "
            f"{(f'{limit / 1024:.0f}K' if limit else '-'):>6}  {v.load_s:6.2f}  {v.ready_s:7.2f}{flag}")
    lines.append(f"shared by every page (counted once in each page's first screen): {len(shared)} files, "
                 f"{shared_raw / 1024:.0f}K raw, {shared_gz / 1024:.0f}K gzip")
    lines.append(f"{len(visits)} pages; first = what the first screen loads, whole = after scrolling "
                 "to every widget; gz = as a gzip-serving host sends it (fonts and pictures as they "
                 "are); KB = 1024 bytes")
    return "\n".join(lines)
