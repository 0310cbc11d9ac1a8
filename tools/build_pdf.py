"""`make pdf`: the PDF edition, printed from the built site by Debian's Chromium.

Jupyter Book 1's ``pdfhtml`` builder asks Playwright to download a browser of its
own, which fails offline; its ``pdflatex`` route needs a TeX installation and
redraws nothing it cannot typeset (inline SVG, widgets). So the machine's Chromium
prints pages of the HTML build, served on 127.0.0.1, through Playwright, as the
browser checks drive it:

* ``_build/pdf/book.pdf``: every chapter and lab (each chapter with its questions), the
  notes, glossary and bibliography, printed from the book built once more as a single
  HTML page (Sphinx's ``singlehtml`` builder, which reuses the English HTML build's
  parsed pages and drawn diagrams). Diagrams are vector drawings (inline SVG), answers
  and solutions expanded, math MathML, links between chapters links inside the PDF,
  links elsewhere point at the published site. The single page leaves out the drill and
  the practice page (``netlab_single_page_omits``, ``_ext/netlab_site.py``): they are
  the chapters' questions again, and the practice page works only on screen.
* ``_build/pdf/questions.pdf``: the interview drill (every chapter's questions), printed
  from the site's drill page with every answer loaded and expanded;
  ``_build/pdf/questions-without-answers.pdf``: the same questions without the answers,
  to rehearse with.

Chromium embeds (a subset of) every font it draws with, NanumGothic for Korean.
The page counts are printed and written to ``_build/pdf/report.txt``; the PDFs are
copied into ``_build/html/pdf/``, where every page's download menu links them (the
Pages workflow publishes them there).

``python tools/build_pdf.py`` first builds the English site and its single page
(``tools/editions.py --edition en --single-page``: incremental, strict); ``--no-build``
prints ``_build/html`` and ``_build/singlehtml`` as they are (the tests' strict build,
``editions.py --single-page``, has just made both).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from site_browser import BROWSER_ARGS, INSTALL_HINT, find_browser, serve  # noqa: E402

BUILD = ROOT / "_build"
SINGLE = BUILD / "singlehtml"
OUT = BUILD / "pdf"
SITE_COPY = BUILD / "html" / "pdf"
DRILL_ID = "interview-drill"  # the drill page's label (drill.md)
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
SITE_URL = CONFIG["sphinx"]["config"]["html_baseurl"]

# Make a page printable: for the book (the single page) everything as it is; for the
# question booklets (the site's drill page) the drill alone, every answer loaded, or
# none. Then every dropdown open, and links that leave the page pointed at the
# published site (a printed link to 127.0.0.1 is useless).
PREPARE_JS = """async ([mode, siteUrl, drillId, pageDoc]) => {
  const main = document.querySelector('#main-content article, main article, article.bd-article')
    || document.querySelector('main');
  const docOf = (el) => {
    for (let n = el; n; n = n.parentElement) {
      const marker = n.previousElementSibling;
      if (n.tagName === 'SECTION' && marker && marker.id.startsWith('document-')) {
        return marker.id;
      }
    }
    return '';
  };
  // Where each id lives, before anything is left out: a link to a target that this PDF
  // leaves out points at that page of the published site.
  const pageOf = new Map();
  for (const el of document.querySelectorAll('[id]')) {
    if (!pageOf.has(el.id) && !el.classList.contains('bibtex-citation')) {
      pageOf.set(el.id, docOf(el).slice('document-'.length) || pageDoc);
    }
  }
  if (mode !== 'book') {
    const drill = document.getElementById(drillId);
    if (!drill) throw new Error('no drill section #' + drillId);
    const section = drill.closest('section') || drill;
    main.replaceChildren(section);
    if (mode === 'questions-without-answers') {
      section.querySelectorAll('.interview-question details, .interview-question .sd-dropdown')
        .forEach(d => d.remove());
    } else {
      // The drill's answers are in one file per chapter (_ext/netlab_answers.py): all of them.
      const boxes = section.querySelectorAll('.netlab-answer[data-answers-src]');
      await window.netlabAnswers.fillWithin(section);
      const missing = [...boxes].filter(b => b.dataset.answerState !== 'shown');
      if (missing.length) {
        throw new Error(`${missing.length} of ${boxes.length} answers did not load, the first `
                        + missing[0].dataset.answerId);
      }
    }
  }
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  document.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
  document.querySelectorAll('.mermaid-fullscreen-btn, .headerlink, .copybtn').forEach(e => e.remove());
  // Links into this page as #id, links to other files at the published site.
  const here = location.origin + location.pathname;
  for (const a of document.querySelectorAll('a[href]')) {
    const href = a.getAttribute('href');
    if (href.startsWith('#')) continue;
    const url = new URL(href, location.href);
    if (url.origin === location.origin) {
      a.setAttribute('href', url.href.startsWith(here) && url.hash ? url.hash
                     : siteUrl + url.pathname.replace(/^\\/+/, ''));
    }
  }
  // The single page repeats each page's own ids (id1, id2 ... of its citations), and a
  // link to a repeated id prints without a target. Make every id unique, then point each
  // link at the element it means: one in the link's own page, else a bibliography entry,
  // else the first; never the element the link sits in, nor a citation's own span.
  const byId = new Map();
  for (const el of document.querySelectorAll('[id]')) {
    if (!byId.has(el.id)) byId.set(el.id, []);
    byId.get(el.id).push(el);
  }
  for (const [id, els] of byId) {
    let n = 0;
    for (const el of els.slice(1)) {
      do { n += 1; } while (byId.has(`${id}--${n}`));
      el.id = `${id}--${n}`;
    }
  }
  for (const a of document.querySelectorAll('a[href^="#"]')) {
    // A citation's own span (class bibtex-citation) is never a link's target.
    const candidates = (byId.get(decodeURIComponent(a.getAttribute('href').slice(1))) || [])
      .filter(el => !el.contains(a) && !el.classList.contains('bibtex-citation'));
    if (!candidates.length) {
      const id = decodeURIComponent(a.getAttribute('href').slice(1)), page = pageOf.get(id);
      a.setAttribute('href', page ? `${siteUrl}${page}.html#${id}` : siteUrl);
      continue;
    }
    const doc = docOf(a);
    const target = candidates.find(el => docOf(el) === doc)
      || candidates.find(el => el.classList.contains('citation')) || candidates[0];
    a.setAttribute('href', '#' + target.id);
  }
  if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
  await document.fonts.ready;
  return document.querySelectorAll('a[href^="#"]').length;
}"""

# Print layout: the article alone, full width, no page chrome. Hangul is drawn
# with NanumGothic (a TrueType font, which Chromium embeds as a font; the
# CFF-based Noto Sans CJK it would pick otherwise is embedded as Type 3 glyph
# drawings without a font name), Latin text with the site's fonts.
HANGUL_FONT = "NanumGothic"
PRINT_CSS = """
@font-face { font-family: "netlab-hangul"; src: local("NanumGothic");
             unicode-range: U+1100-11FF, U+3130-318F, U+A960-A97F, U+AC00-D7AF, U+D7B0-D7FF; }
@font-face { font-family: "netlab-hangul"; font-weight: bold; src: local("NanumGothic Bold"),
             local("NanumGothicBold"); unicode-range: U+1100-11FF, U+3130-318F, U+AC00-D7AF; }
html { font-size: 13px !important; }
body { font-family: "netlab-hangul", var(--pst-font-family-base) !important; }
code, pre, kbd, samp, .highlight pre {
  font-family: "netlab-hangul", var(--pst-font-family-monospace) !important; }
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
.bd-header, .bd-sidebar-primary, .bd-sidebar-secondary, .bd-header-article, .bd-footer,
.bd-footer-article, .prev-next-area, .bd-search, .search-button, #pst-back-to-top,
.header-article-items, .dropdown-launch-buttons, nav.bd-links { display: none !important; }
.bd-main .bd-content .bd-article-container { max-width: 100% !important; }
.bd-page-width { max-width: 100% !important; }
/* Shadows are printed as blurred bitmaps, one per box; :not(#id) outranks the themes rules. */
:not(#netlab-print) { box-shadow: none !important; text-shadow: none !important; }
section { break-inside: auto; }
h1, h2, h3 { break-after: avoid; }
pre, .mermaid-container, table, figure { break-inside: avoid; }
"""


@dataclass(frozen=True)
class Edition:
    """One PDF file."""

    mode: str  # book | questions | questions-without-answers
    path: Path


EDITIONS = (Edition("book", OUT / "book.pdf"), Edition("questions", OUT / "questions.pdf"),
            Edition("questions-without-answers", OUT / "questions-without-answers.pdf"))
BOOK, *BOOKLETS = EDITIONS
ROOT_DOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))["root"]  # the single page's name
DRILL_PAGE = "drill.html"  # in the site: the question booklets are printed from it
FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;">'
          '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')


def build() -> None:
    """The English site and its single page, strictly (incremental: what changed since the last build)."""
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "editions.py"), "--edition", "en",
                           "--single-page"], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit("the English build failed:\n" + (proc.stdout + proc.stderr)[-4000:])


async def _print(context: object, url: str, edition: Edition, page_doc: str) -> None:
    page = await context.new_page()
    try:
        await page.goto(url, wait_until="load", timeout=300_000)
        await page.emulate_media(media="print")
        await page.add_style_tag(content=PRINT_CSS)
        await page.evaluate(PREPARE_JS, [edition.mode, SITE_URL, DRILL_ID, page_doc])
        edition.path.parent.mkdir(parents=True, exist_ok=True)
        await page.pdf(path=str(edition.path), format="A4", print_background=True, outline=True,
                       tagged=True, prefer_css_page_size=True, display_header_footer=True,
                       header_template="<span></span>", footer_template=FOOTER)
    finally:
        await page.close()


async def print_editions(browser_path: str, site_url: str, single_url: str) -> None:
    """Print the booklets from the site's drill page and the book from the single page, at once."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=browser_path, headless=True,
                                                   args=BROWSER_ARGS)
        try:
            context = await browser.new_context(color_scheme="light", locale="en-US",
                                                viewport={"width": 1100, "height": 1400})
            # Each page lays out and prints in a renderer process of its own.
            await asyncio.gather(_print(context, f"{single_url}{ROOT_DOC}.html", BOOK, ROOT_DOC),
                                 *(_print(context, site_url + DRILL_PAGE, e, "drill") for e in BOOKLETS))
        finally:
            await browser.close()


def page_count(path: Path) -> int:
    """Pages in a PDF (pypdf)."""
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def main() -> int:
    """Build what is needed, print the editions, report their page counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true",
                        help="reuse _build/html and _build/singlehtml as they are")
    args = parser.parse_args()
    browser = find_browser()
    if browser is None:
        print(f"no Chromium or Chrome to print the PDF edition with: {INSTALL_HINT}", file=sys.stderr)
        return 1
    start = time.perf_counter()
    if not args.no_build:
        build()
    for needed in (BUILD / "html" / DRILL_PAGE, SINGLE / f"{ROOT_DOC}.html"):
        if not needed.is_file():
            print(f"no {needed.relative_to(ROOT)}: run this without --no-build", file=sys.stderr)
            return 1
    built = time.perf_counter() - start
    with serve(BUILD / "html") as site_url, serve(SINGLE) as single_url:
        asyncio.run(print_editions(browser, site_url, single_url))
    printed = time.perf_counter() - start - built
    lines = [f"{e.path.relative_to(ROOT)}: {page_count(e.path)} pages, "
             f"{e.path.stat().st_size / 1e6:.1f} MB" for e in EDITIONS]
    lines.append(f"English site and single page built in {built:.1f} s, printed in {printed:.1f} s")
    report = "\n".join(lines) + "\n"
    (OUT / "report.txt").write_text(report, encoding="utf-8")
    print(report, end="")
    SITE_COPY.mkdir(exist_ok=True)
    for edition in EDITIONS:
        shutil.copy2(edition.path, SITE_COPY / edition.path.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
