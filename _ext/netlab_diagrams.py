"""Mermaid diagrams drawn at build time, so that no page needs the mermaid runtime.

sphinxcontrib-mermaid writes each diagram's source into the page and has the
reader's browser draw it with mermaid's 2.7 MB of JavaScript. This extension
draws every diagram of the book once, at build time, in the machine's own
Chromium (driven by Playwright, as the browser checks drive it), with the same
mermaid release the site vendors (``node_modules/mermaid``), and writes the
result into the page as inline SVG: one drawing in mermaid's light theme and one
in its dark theme (``mermaid_light_theme`` / ``mermaid_dark_theme``), of which
``_static/mermaid.css`` shows the one that matches the page's colour mode. The
full-screen button is kept by ``tools/site_js/diagrams.js``, loaded only on pages
with a diagram.

Drawings are cached in ``_build/.mermaid-svg/`` by a hash of the source, the
theme, mermaid's version and its configuration, so a rebuild starts Chromium
only for diagrams it has never drawn.

Where there is no Chromium, no Playwright or no ``node_modules/mermaid`` (a
newcomer's first ``make book``), the build says so and leaves those diagrams to
the browser, as sphinxcontrib-mermaid does by default. A diagram mermaid cannot
parse is a build warning (an error with ``-W``).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from netlab_book import exclusive_lock, write_atomically
from netlab_browser import BROWSER_ARGS, INSTALL_HINT, find_browser, playwright_available
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinxcontrib import mermaid as sphinx_mermaid

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
MERMAID_PACKAGE = ROOT / "node_modules" / "mermaid"
MERMAID_JS = MERMAID_PACKAGE / "dist" / "mermaid.min.js"
CACHE_FOLDER = ".mermaid-svg"  # beside the doctrees, in _build/ (one cache for every edition)
FULLSCREEN_JS = "vendor/site/diagrams.js"  # under _static/ (tools/vendor_assets.py copies it)
# Bumped whenever what is stored for a drawing changes (_scope_ids, _compact).
DRAWING_FORMAT = 4
GEOMETRY = re.compile(r'(\s(?:d|points|transform|viewBox|x|y|x1|x2|y1|y2|cx|cy|r|rx|ry|width|height)=")'
                      r'([^"]*)"')

# Render every diagram in both themes; return {id: svg} (or {id: "error: ..."}).
RENDER_JS = """async (jobs) => {
  const out = {};
  for (const job of jobs) {
    mermaid.initialize({...job.config, startOnLoad: false, theme: job.theme,
                        darkMode: job.dark});
    try {
      out[job.id] = (await mermaid.render(job.id, job.code)).svg;
    } catch (e) {
      out[job.id] = 'error: ' + (e && e.message ? e.message : String(e));
      document.querySelectorAll('#d' + job.id).forEach(n => n.remove());
    }
  }
  return out;
}"""


def _themes(config: Any) -> dict[str, str]:
    return {"light": config.mermaid_light_theme, "dark": config.mermaid_dark_theme}


def _mermaid_version() -> str | None:
    package = MERMAID_PACKAGE / "package.json"
    if not (package.is_file() and MERMAID_JS.is_file()):
        return None
    return str(json.loads(package.read_text(encoding="utf-8"))["version"])


def diagram_id(code: str, theme: str, config: Any, version: str) -> str:
    """The cache key of one drawing, also the SVG's id: stable across builds."""
    key = json.dumps([code, theme, config.mermaid_init_config, version, DRAWING_FORMAT],
                     sort_keys=True)
    return "mermaid-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _cache_dir(app: Sphinx) -> Path:
    # Beside the doctrees, not the output: the Korean edition's output is _build/html/ko,
    # and its drawings are the English edition's.
    return Path(app.doctreedir).parent / CACHE_FOLDER


def _scope_ids(svg: str, root_id: str) -> str:
    """Prefix the ids mermaid gives markers and actors (``arrowhead``, ``actor0``) with the
    diagram's own id, so that two diagrams on one page (or the light and dark drawing of
    one diagram) never share an id, and a hidden drawing's markers never stand in for a
    visible one's."""
    inner = sorted({i for i in re.findall(r'\sid="([^"]+)"', svg) if i != root_id},
                   key=len, reverse=True)
    if not inner:
        return svg
    names = "|".join(re.escape(i) for i in inner)
    svg = re.sub(rf'(\sid=")({names})"', rf'\1{root_id}-\2"', svg)
    svg = re.sub(rf'((?:xlink:)?href="#|url\(#)({names})(?=["\)])', rf'\1{root_id}-\2', svg)
    # CSS inside the drawing's <style> that selects those ids.
    return re.sub(rf'#({names})(?=[\s{{.,:>\[)])', rf'#{root_id}-\1', svg)


NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def _round(numbers: str) -> str:
    """Coordinates to a tenth of a pixel (mermaid writes 15 digits; the state diagrams' rough
    outlines are hundreds of kilobytes of them). Compact path data ("12.5.045" is 12.5 then
    .045) stays unambiguous: a space is put between two numbers that would run together."""
    out: list[str] = []
    last = 0
    for match in NUMBER.finditer(numbers):
        out.append(numbers[last:match.start()])
        token = match.group(0)
        if "." in token and "e" not in token.lower():
            value = f"{float(token):.1f}".removesuffix(".0")
            token = "0" if value == "-0" else value
        previous = "".join(out[-2:])[-1:] if out else ""
        if previous and (previous.isdigit() or previous == ".") and token[0] not in "-+":
            out.append(" ")
        out.append(token)
        last = match.end()
    out.append(numbers[last:])
    return "".join(out)


def _compact(svg: str) -> str:
    """The drawing without what only mermaid's runtime reads (``data-points``), with
    coordinates rounded: a fifth of the bytes, the same picture."""
    svg = re.sub(r'\sdata-points="[^"]*"', "", svg)
    svg = GEOMETRY.sub(lambda m: m.group(1) + _round(m.group(2)) + '"', svg)
    return re.sub(r"(max-width:\s*)([\d.]+)(px)", lambda m: m.group(1) + _round(m.group(2)) + m.group(3),
                  svg)


def _codes(env: Any) -> dict[str, list[str]]:
    if not hasattr(env, "netlab_mermaid"):
        env.netlab_mermaid = {}
    return env.netlab_mermaid


def _collect(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: remember each page's diagram sources."""
    codes = [node["code"] for node in doctree.findall(sphinx_mermaid.mermaid)]
    if codes:
        _codes(app.env)[app.env.docname] = codes
    else:
        _codes(app.env).pop(app.env.docname, None)


def _purge(app: Sphinx, env: Any, docname: str) -> None:
    _codes(env).pop(docname, None)


def _merge(app: Sphinx, env: Any, docnames: set[str], other: Any) -> None:
    _codes(env).update({d: c for d, c in _codes(other).items() if d in docnames})


def _draw(app: Sphinx, jobs: list[dict[str, Any]]) -> dict[str, str]:
    """Draw ``jobs`` in one headless Chromium; empty when there is none to draw with."""
    browser = find_browser()
    if browser is None or not playwright_available():
        return {}
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=browser, headless=True,
                                              args=BROWSER_ARGS)
        try:
            page = chromium.new_page()
            page.set_content("<!doctype html><html lang='en'><body></body></html>")
            page.add_script_tag(path=str(MERMAID_JS))
            return page.evaluate(RENDER_JS, jobs)
        finally:
            chromium.close()


def _prepare(app: Sphinx, env: Any) -> list[str]:
    """env-updated: draw the diagrams not in the cache; return pages to rewrite."""
    pages = _codes(env)
    if not pages or app.builder.format != "html":
        return []
    version = _mermaid_version()
    total = sum(len(codes) for codes in pages.values())
    if version is None:
        logger.info("diagrams: node_modules/mermaid is missing (run `npm ci`); the %d diagrams "
                    "are drawn by the browser", total)
        return []
    cache = _cache_dir(app)
    # The other edition, built at the same time, draws the same diagrams: one draws,
    # the other then finds them in the cache.
    with exclusive_lock(cache.with_name(cache.name + ".lock")):
        return _draw_missing(app, pages, cache, version, total)


def _draw_missing(app: Sphinx, pages: dict[str, list[str]], cache: Path, version: str,
                  total: int) -> list[str]:
    """Draw the diagrams of ``pages`` that ``cache`` lacks; return the pages to rewrite."""
    jobs: dict[str, dict[str, Any]] = {}
    waiting: set[str] = set()
    for docname, codes in pages.items():
        for code in codes:
            for name, theme in _themes(app.config).items():
                key = diagram_id(code, theme, app.config, version)
                if not (cache / f"{key}.svg").is_file():
                    jobs[key] = {"id": key, "code": code, "theme": theme, "dark": name == "dark",
                                 "config": app.config.mermaid_init_config}
                    waiting.add(docname)
    app.netlab_mermaid_version = version  # type: ignore[attr-defined]
    if not jobs:
        return []
    drawn = _draw(app, list(jobs.values()))
    if not drawn:
        logger.info("diagrams: no Chromium or no Playwright (%s): %d diagrams are drawn by the "
                    "browser with the mermaid runtime instead of at build time",
                    INSTALL_HINT, total)
        return []
    cache.mkdir(parents=True, exist_ok=True)
    for key, svg in drawn.items():
        if svg.startswith("error: "):
            logger.warning("diagrams: mermaid cannot draw a diagram: %s\n%s", svg[7:],
                           jobs[key]["code"], type="mermaid", subtype="render")
            continue
        write_atomically(cache / f"{key}.svg", _compact(_scope_ids(svg, key)))
    logger.info("diagrams: drew %d of %d drawings in Chromium (cached in _build/%s)",
                len(drawn), len(jobs), CACHE_FOLDER)
    return sorted(waiting)


def _drawings(translator: Any, code: str) -> dict[str, str] | None:
    """The cached light and dark SVG of ``code``, or None."""
    app = translator.builder.app
    version = getattr(app, "netlab_mermaid_version", None) or _mermaid_version()
    if version is None:
        return None
    cache = _cache_dir(app)
    out = {}
    for name, theme in _themes(app.config).items():
        path = cache / f"{diagram_id(code, theme, app.config, version)}.svg"
        if not path.is_file():
            return None
        out[name] = path.read_text(encoding="utf-8")
    return out


def visit_mermaid(translator: Any, node: nodes.Element) -> None:
    """HTML: the diagram as inline SVG where it was drawn, else mermaid's own markup."""
    drawings = _drawings(translator, node["code"])
    if drawings is None:
        sphinx_mermaid.html_visit_mermaid(translator, node)
        return
    # The same diagram twice on a page gets distinct ids.
    seen = translator.__dict__.setdefault("_netlab_diagrams", {})
    classes = ["mermaid", "mermaid-static"]
    if "align" in node:
        classes.append(f"align-{node['align']}")
    ident = f' id="{node["ids"][0]}"' if len(node.get("ids", [])) == 1 else ""
    parts = []
    for name, svg in drawings.items():
        root = re.match(r'<svg id="([^"]+)"', svg)
        if root:
            count = seen[root.group(1)] = seen.get(root.group(1), 0) + 1
            if count > 1:
                svg = svg.replace(root.group(1), f"{root.group(1)}-{count}")
        parts.append(svg.replace("<svg ", f'<svg class="mermaid-{name}" ', 1))
    translator.body.append(f'<div class="mermaid-container"><pre{ident} class="{" ".join(classes)}" '
                           f'data-processed="true">{"".join(parts)}</pre></div>\n')
    raise nodes.SkipNode


def _page_has_runtime_diagrams(app: Sphinx, doctree: nodes.document | None) -> bool | None:
    """None: no diagram; True: some diagram is left to the browser; False: all drawn."""
    if doctree is None:
        return None
    found = list(doctree.findall(sphinx_mermaid.mermaid))
    if not found:
        return None
    version = getattr(app, "netlab_mermaid_version", None) or _mermaid_version()
    if version is None:
        return True
    cache = _cache_dir(app)
    return any(not (cache / f"{diagram_id(n['code'], theme, app.config, version)}.svg").is_file()
               for n in found for theme in _themes(app.config).values())


def _page_scripts(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                  doctree: nodes.document | None) -> None:
    """html-page-context: the mermaid runtime only where a diagram still needs it, and the
    full-screen script where a diagram was drawn at build time."""
    runtime = _page_has_runtime_diagrams(app, doctree)
    if runtime is None:
        return
    if runtime:
        sphinx_mermaid.install_js(app, pagename, templatename, context, doctree)
    else:
        app.add_js_file(FULLSCREEN_JS, loading_method="defer")


def setup(app: Sphinx) -> dict[str, Any]:
    """Draw diagrams at build time; replace sphinxcontrib-mermaid's HTML and scripts."""
    app.setup_extension("sphinxcontrib.mermaid")
    app.add_node(sphinx_mermaid.mermaid, override=True, html=(visit_mermaid, None))
    for listener in list(app.events.listeners["html-page-context"]):
        if listener.handler is sphinx_mermaid.install_js:
            app.disconnect(listener.id)
    app.connect("html-page-context", _page_scripts)
    app.connect("doctree-read", _collect)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("env-updated", _prepare)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
