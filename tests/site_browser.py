"""Drive the built site in Chromium: what tests/test_site.py and tools/bench_site.py share.

One browser, one context per viewport, pages visited a few at a time. Every
request is recorded; the browser itself refuses any that is not for 127.0.0.1
(see ``BROWSER_ARGS``), so nothing here can reach the internet. The HTTP cache
stays on, as for a reader going from page to page; a page's weight is the size
of every file it asks for, what a first visit downloads (uncompressed).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import http.server
import os
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[1]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
INSTALL_HINT = "apt-get install chromium fonts-noto-cjk"
# Browsers tried in turn; CHROMIUM=/path/to/browser overrides. Debian has
# chromium; GitHub's Ubuntu runners have Google Chrome (their chromium-browser
# package is a stub for a snap, so it comes last).
BROWSERS = ("chromium", "google-chrome", "google-chrome-stable", "chromium-browser")
LOCAL_HOST = "127.0.0.1"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
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
# Bytes are grouped by the resource type Chromium reports.
KINDS = {"document": "html", "script": "scripts", "stylesheet": "styles", "font": "fonts",
         "image": "images"}
READY_TIMEOUT_MS = 20_000

# A mermaid diagram is drawn when its SVG is there, is not mermaid's error
# picture, has labels and, unless it sits in a closed dropdown, takes room.
DRAWN_JS = """(d) => {
  const svg = d.querySelector('svg');
  if (!svg || svg.getAttribute('aria-roledescription') === 'error') return false;
  if (!svg.querySelector('text, foreignObject')) return false;
  const box = svg.getBoundingClientRect();
  return d.getClientRects().length === 0 || (box.width > 0 && box.height > 0);
}"""

# True once the page's diagrams, math and stored widgets have been drawn.
READY_JS = """() => {
  if (![...document.querySelectorAll('pre.mermaid, div.mermaid')].every(DRAWN)) return false;
  const math = [...document.querySelectorAll('.math')];
  if (!math.every(m => m.querySelector('mjx-container'))) return false;
  const views = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')];
  return views.every(v => v.parentElement.querySelector('.widget-subarea .jupyter-widgets'));
}""".replace("DRAWN", DRAWN_JS)

# What the page shows once ready.
INSPECT_JS = """() => {
  const diagrams = [...document.querySelectorAll('pre.mermaid, div.mermaid')];
  const drawn = diagrams.filter(DRAWN);
  const math = [...document.querySelectorAll('.math')];
  const typeset = math.filter(m => m.querySelector('mjx-container') && !m.querySelector('mjx-merror'));
  const views = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')];
  const rendered = views.filter(v => v.parentElement.querySelector('.widget-subarea .jupyter-widgets'));
  const state = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-state+json"]')]
    .flatMap(s => Object.values(JSON.parse(s.textContent).state || {}));
  const thebeConfig = document.querySelector('script[type="text/x-thebe-config"]');
  return {
    diagrams: diagrams.length, diagrams_drawn: drawn.length,
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
    ready_s: float = 0.0  # navigation to diagrams, math and widgets drawn
    ready: bool = False
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # local responses >= 400 or network failures
    bytes_by_kind: dict[str, int] = field(default_factory=dict)
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
        """Everything transferred for the page."""
        return sum(self.bytes_by_kind.values())


def is_local(url: str) -> bool:
    """True for URLs the page may load: 127.0.0.1, or data/blob/about URLs."""
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname == LOCAL_HOST


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
            await page.wait_for_function(READY_JS, timeout=READY_TIMEOUT_MS, polling=50)
            result.ready = True
        except Exception:  # noqa: BLE001 (a timeout is reported through `ready`)
            result.ready = False
        await page.evaluate("() => document.fonts.ready.then(() => true)")
        result.ready_s = time.perf_counter() - start
        result.seconds["open"] = result.ready_s
        step = time.perf_counter()
        result.shown = await page.evaluate(INSPECT_JS)
        result.bytes_by_kind = _weigh(site, base_url, kinds)
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


def _weigh(site: Path, base_url: str, kinds: dict[str, str]) -> dict[str, int]:
    """Bytes of every local file the page requested, by kind: what a first visit downloads."""
    weights: dict[str, int] = {}
    for url, kind in kinds.items():
        if not url.startswith(base_url):
            continue
        path = site / unquote(urlsplit(url).path).lstrip("/")
        if path.is_file():
            weights[kind] = weights.get(kind, 0) + path.stat().st_size
    return weights


async def visit_all(context: Any, base_url: str, pages: list[str], viewport: str, *,
                    concurrency: int = 3, **kwargs: Any) -> dict[str, Visit]:
    """Visit ``pages``, ``concurrency`` at a time; return visits by page."""
    gate = asyncio.Semaphore(concurrency)

    async def one(page_path: str) -> Visit:
        async with gate:
            return await visit(context, base_url, page_path, viewport, **kwargs)

    visits = await asyncio.gather(*(one(p) for p in pages))
    return {v.page: v for v in visits}


def weight_table(visits: list[Visit], budgets: dict[str, int] | None = None) -> str:
    """A per-page table of transferred bytes by kind, with load times."""
    kinds = ["html", "scripts", "styles", "fonts", "images", "other"]
    width = max([len(v.page) for v in visits] + [4])
    head = (f"{'page':<{width}}  " + "  ".join(f"{k:>8}" for k in kinds)
            + f"  {'total':>9}  {'load s':>6}  {'ready s':>7}")
    lines = [head, "-" * len(head)]
    for v in visits:
        row = "  ".join(f"{v.bytes_by_kind.get(k, 0) / 1024:7.0f}K" for k in kinds)
        limit = (budgets or {}).get(v.page)
        flag = "" if limit is None or v.total_bytes <= limit else f"  OVER {limit / 1e6:.0f} MB BUDGET"
        lines.append(f"{v.page:<{width}}  {row}  {v.total_bytes / 1e6:7.2f}MB  {v.load_s:6.2f}  "
                     f"{v.ready_s:7.2f}{flag}")
    total = sum(v.total_bytes for v in visits)
    lines.append(f"{len(visits)} pages, {total / 1e6:.1f} MB in all")
    return "\n".join(lines)
