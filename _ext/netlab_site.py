"""What every page of the site loads, kept light; and what a published site carries.

* **Icons without the icon script.** pydata-sphinx-theme loads Font Awesome's
  SVG-with-JavaScript build (``fontawesome.js``, 1.49 MB) on every page, although
  its style sheet already carries Font Awesome's CSS and web fonts. The page
  template here (``netlab_site_templates/layout.html``) leaves that one script
  out, so the icons are drawn by the fonts, and after the build the fonts in the
  site are cut down to the icons the pages use (``subset_icon_fonts``): every
  ``fa-*`` class in the written pages and the theme's scripts, and every icon
  code point our own style sheets name. 300 KB of fonts become a few KB.
* **MathJax only where there is math.** The book writes its math as MathML
  (``netlab_math``), so no page loads MathJax; a fork that sets
  ``html_math_renderer`` back to MathJax gets it only on pages that have math
  themselves (Sphinx would load it on every page whose toctree includes one).
* **No source maps.** The theme's ``*.map`` files (3.4 MB) are not deployed and
  the comments that point at them are removed.
* **The PDF edition** (``tools/build_pdf.py``) is linked from every page's
  download menu. The single page it is printed from (the ``singlehtml`` builder,
  replaced here by ``PrintedSinglePage``) leaves out the pages named in
  ``netlab_single_page_omits``: the drill and the practice page are every chapter's
  questions again, printed as the question booklets from the site's own drill page,
  and they were half of the single page. A link to a page left out points at that
  page of the published site (``html_baseurl``).
* The sitemap, Open Graph tags and the 404 page come from sphinx-sitemap,
  sphinxext-opengraph and sphinx-notfound-page (``_config.yml``); this module
  only derives the 404 page's URL prefix from ``html_baseurl``.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from docutils import nodes
from netlab_book import write_atomically
from netlab_i18n import EDITIONS
from sphinx.application import Sphinx
from sphinx.builders.singlehtml import SingleFileHTMLBuilder
from sphinx.util import logging
from sphinx.util.console import darkgreen
from sphinx.util.nodes import inline_all_toctrees

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "netlab_site_templates"
ICON_FONTS = "_static/vendor/fontawesome/webfonts"  # where the theme's CSS finds them
ICON_CSS = "_static/styles/pydata-sphinx-theme.css"
SUBSET_CACHE = ".icon-subset"  # in _build/, beside the doctrees (shared by the editions)
PDF_LINKS = (("pdf/book.pdf", "Book (PDF)"), ("pdf/questions.pdf", "Interview questions (PDF)"))
SOURCE_MAP_COMMENT = re.compile(rb"\n?(?://# sourceMappingURL=\S+|/\*# sourceMappingURL=\S+ \*/)\s*$")


# --- icons ------------------------------------------------------------------------------------

def _drop_icon_script(html: str) -> str:
    """Template filter: the theme's head without the ``fontawesome.js`` script tag."""
    return re.sub(r'\s*<script[^>]*/fontawesome\.js[^>]*></script>', "", str(html))


def icon_code_points(css: str) -> dict[str, int]:
    """``fa-name`` -> code point, from the theme's ``.fa-name:before{content:"\\f0c9"}`` rules."""
    points: dict[str, int] = {}
    for rule in css.split("}"):  # one rule per piece: "selectors{declarations"
        selectors, _, body = rule.rpartition("{")
        match = re.fullmatch(r'content:"\\([0-9a-f]{4,5})"', body)
        if match:
            for name in re.findall(r"\.(fa-[a-z0-9-]+):+before", selectors):
                points[name] = int(match.group(1), 16)
    return points


def icons_used(outdir: Path, names: dict[str, int]) -> set[int]:
    """Code points of every icon a written page, a theme script or our CSS can show."""
    texts = [p.read_text(encoding="utf-8", errors="ignore") for p in outdir.rglob("*.html")]
    static = outdir / "_static"
    scripts = [p for p in static.rglob("*.js") if "vendor" not in p.relative_to(static).parts]
    texts += [p.read_text(encoding="utf-8", errors="ignore") for p in scripts]
    used = {names[n] for text in texts for n in set(re.findall(r"\bfa-[a-z0-9-]+", text)) if n in names}
    # Our own style sheets name code points directly (content: "\f065").
    for css in static.glob("*.css"):
        used |= {int(h, 16) for h in re.findall(r'content:\s*"\\([0-9a-fA-F]{4,5})"',
                                                 css.read_text(encoding="utf-8"))}
    return used


def subset_font(source: Path, points: set[int], cache: Path) -> bytes:
    """``source`` (a woff2) cut down to ``points``; cached by content and code points."""
    data = source.read_bytes()
    key = hashlib.sha256(data + repr(sorted(points)).encode()).hexdigest()[:20]
    cached = cache / f"{source.stem}-{key}.woff2"
    if cached.is_file():
        return cached.read_bytes()
    from fontTools import subset
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.name_IDs = ["*"]  # keep the licence and names
    options.notdef_outline = True
    font = subset.load_font(io.BytesIO(data), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(points))
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    write_atomically(cached, out.getvalue())
    return out.getvalue()


def subset_icon_fonts(app: Sphinx) -> dict[str, tuple[int, int]]:
    """Cut the site's icon fonts to the icons in use; return name -> (bytes before, after)."""
    import pydata_sphinx_theme

    outdir = Path(app.outdir)
    theme_static = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
    css = outdir / ICON_CSS
    if not css.is_file():
        return {}
    points = icons_used(outdir, icon_code_points(css.read_text(encoding="utf-8")))
    cache = Path(app.doctreedir).parent / SUBSET_CACHE
    sizes = {}
    for source in sorted((theme_static / "vendor" / "fontawesome" / "webfonts").glob("*.woff2")):
        target = outdir / ICON_FONTS / source.name
        data = subset_font(source, points, cache)
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        sizes[source.name] = (source.stat().st_size, len(data))
    return sizes


# --- source maps --------------------------------------------------------------------------------

def remove_source_maps(outdir: Path) -> int:
    """Delete ``*.map`` files from the site and the comments naming them; return bytes saved."""
    saved = 0
    for path in list(outdir.rglob("*.map")):
        saved += path.stat().st_size
        path.unlink()
    for path in [*outdir.glob("_static/**/*.js"), *outdir.glob("_static/**/*.css"),
                 *outdir.glob("_static/**/*.mjs")]:
        data = path.read_bytes()
        if b"sourceMappingURL" in data[-300:]:
            trimmed = SOURCE_MAP_COMMENT.sub(b"", data)
            if trimmed != data:
                path.write_bytes(trimmed)
    return saved


# --- per-page scripts and buttons ------------------------------------------------------------

def _page_has_math(app: Sphinx, pagename: str, doctree: nodes.document | None) -> bool:
    if doctree is not None and (doctree.next_node(nodes.math) or doctree.next_node(nodes.math_block)):
        return True
    return bool(app.env.get_domain("math").data["has_equations"].get(pagename))


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                  doctree: nodes.document | None) -> None:
    """html-page-context: MathJax only with math; the PDF edition in the download menu."""
    app.netlab_pages_written = getattr(app, "netlab_pages_written", 0) + 1  # type: ignore[attr-defined]
    if app.builder.name == "html" and not _page_has_math(app, pagename, doctree):
        scripts = context.get("script_files")
        mathjax = app.config.mathjax_path
        if isinstance(scripts, list):
            def is_mathjax(script: Any) -> bool:
                name = str(getattr(script, "filename", script) or "").split("?")[0]
                body = str(getattr(script, "attributes", {}).get("body", ""))
                return name.removeprefix("_static/") == mathjax or "window.MathJax" in body
            scripts[:] = [s for s in scripts if not is_mathjax(s)]
    buttons = context.get("header_buttons")
    if not isinstance(buttons, list) or app.builder.name != "html":
        return
    pathto = context["pathto"]
    # The PDF edition sits at the site's root, above a translated edition's folder.
    up = "../" * EDITIONS.get(app.config.language or "en", "").count("/")
    links = [{"type": "link", "url": up + pathto(path, 1), "text": text, "icon": "fas fa-file-pdf",
              "tooltip": text, "label": "download-" + Path(path).stem + "-pdf-button"}
             for path, text in PDF_LINKS]
    group = next((b for b in buttons if b.get("label") == "download-buttons"), None)
    if group is None:
        buttons.append({"type": "group", "tooltip": "Download", "icon": "fas fa-download",
                        "buttons": links, "label": "download-buttons"})
    else:
        group["buttons"].extend(links)


# --- the 404 page ----------------------------------------------------------------------------

def _reading_order(env: Any) -> list[str]:
    """Every page of the table of contents, in reading order."""
    order: list[str] = []

    def walk(docname: str) -> None:
        if docname in order:
            return
        order.append(docname)
        for child in env.toctree_includes.get(docname, []):
            walk(child)

    walk(env.config.root_doc)
    return order


def not_found_body(app: Sphinx, env: Any) -> str:
    """The 404 page: what happened, where to search, and every page of the book."""
    from html import escape

    prefix = app.config.notfound_urls_prefix or "/"
    site_url = getattr(app.config, "netlab_site_url", "")  # the English edition's, the site's root
    root = urlsplit(site_url).path if site_url else prefix
    root = root if root.endswith("/") else root + "/"
    items = "".join(
        f'<li><a href="{prefix}{doc}.html">{escape(env.titles[doc].astext())}</a></li>'
        for doc in _reading_order(env) if doc in env.titles)
    return ("<h1>Page not found</h1>"
            "<p>There is no page at this address. It may have moved when the course was "
            f'reorganised: <a href="{prefix}search.html">search the book</a>, or pick the '
            "chapter from the list below. The PDF edition has every chapter and lab: "
            f'<a href="{root}pdf/book.pdf">book.pdf</a>.</p>'
            f"<ul>{items}</ul>")


def _not_found_page(app: Sphinx) -> list[Any]:
    """html-collect-pages, before sphinx-notfound-page's: fill in the 404 page's body."""
    if "notfound_context" in app.config and app.builder.name == "html":
        app.config.notfound_context = {**app.config.notfound_context,
                                       "title": "Page not found",
                                       "body": not_found_body(app, app.env)}
    return []


def _complete_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """build-finished, before sphinx-sitemap writes: list every page, not only those this
    build wrote (sphinx-sitemap collects pages as they are written, so a rebuild that
    rewrites one page would publish a sitemap of one page)."""
    links = getattr(app, "sitemap_links", None)
    if exception is not None or links is None or app.builder.name != "html":
        return
    import queue

    from sphinx_sitemap import is_excluded

    queued = []
    while True:  # a multiprocessing queue: drain it, then put everything back
        try:
            queued.append(links.get_nowait())
        except queue.Empty:
            break
    for item in queued:
        links.put(item)
    done = {link for link, _ in queued}
    suffix = app.config.html_file_suffix or ".html"
    for docname in sorted(app.env.found_docs):
        link = docname + suffix
        if link not in done and not is_excluded(link, app.config.sitemap_excludes):
            links.put((link, None))


# --- the single page the PDF edition is printed from ------------------------------------------

SINGLE_PAGE_OMITS = ("drill", "practice")  # the default of netlab_single_page_omits


class PrintedSinglePage(SingleFileHTMLBuilder):
    """Sphinx's ``singlehtml`` builder, without the pages ``netlab_single_page_omits`` names."""

    name = "singlehtml"

    def omitted(self) -> set[str]:
        """The pages left out (those of the option that the book has)."""
        return {doc for doc in self.config.netlab_single_page_omits if doc in self.env.all_docs}

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        """A page left out is linked on the published site; the others are in this page."""
        base = self.config.html_baseurl
        if base and docname in self.omitted():
            return f"{base.rstrip('/')}/{docname}{self.out_suffix}"
        return super().get_target_uri(docname, typ)

    def assemble_doctree(self) -> nodes.document:
        """Sphinx's own, with the left-out pages counted as already inlined."""
        master = self.config.root_doc
        tree = self.env.get_doctree(master)
        tree = inline_all_toctrees(self, set(), master, tree, darkgreen, [master, *sorted(self.omitted())])
        tree["docname"] = master
        self.env.resolve_references(tree, master, self)
        self.fix_refuris(tree)
        return tree


# --- configuration ---------------------------------------------------------------------------

def _configure(app: Sphinx, config: Any) -> None:
    """config-inited: our page template first; the 404 page's prefix from the site URL."""
    config.templates_path = [str(TEMPLATES), *config.templates_path]
    if "notfound_urls_prefix" in config and config.html_baseurl:
        path = urlsplit(config.html_baseurl).path or "/"
        config.notfound_urls_prefix = path if path.endswith("/") else path + "/"


def _singlehtml_handlers(app: Sphinx) -> None:
    """builder-inited: give the single-page builder every node handler the HTML builder has.

    Sphinx looks handlers up by builder name first and falls back to the format
    ("html") only when no extension registered any for that name; sphinx-exercise
    registers some for "singlehtml", which hides every other extension's HTML
    handlers (myst-nb's hidden cells, the diagrams) from the PDF edition's build.
    """
    handlers = app.registry.translation_handlers
    if app.builder.name in handlers and app.builder.name != "html":
        for node, pair in handlers.get("html", {}).items():
            handlers[app.builder.name].setdefault(node, pair)


def _template_filters(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        templates.environment.filters["netlab_drop_icon_script"] = _drop_icon_script


def _finish(app: Sphinx, exception: Exception | None) -> None:
    """build-finished: subset the icon fonts, drop source maps."""
    if exception is not None or app.builder.format != "html":
        return
    if not getattr(app, "netlab_pages_written", 0):
        return  # a rebuild that wrote nothing copied nothing over the last build's results
    outdir = Path(app.outdir)
    saved = remove_source_maps(outdir)
    sizes = subset_icon_fonts(app)
    if sizes:
        before = sum(b for b, _ in sizes.values())
        after = sum(a for _, a in sizes.values())
        logger.info("icons: fonts cut to the icons in use, %d KB -> %d KB; %d KB of source maps "
                    "left out", before // 1024, after // 1024, saved // 1024)
    # Sphinx copies the theme's fontawesome.js into every build; no page loads it now.
    script = outdir / "_static" / "scripts" / "fontawesome.js"
    if script.is_file():
        script.unlink()


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the hooks."""
    app.add_config_value("netlab_single_page_omits", list(SINGLE_PAGE_OMITS), "", [list, tuple])
    app.add_builder(PrintedSinglePage, override=True)
    app.connect("config-inited", _configure, priority=450)
    app.connect("builder-inited", _template_filters)
    app.connect("builder-inited", _singlehtml_handlers)
    # After MathJax (500) and sphinx-book-theme's header buttons (501) are added.
    app.connect("html-page-context", _page_context, priority=600)
    app.connect("build-finished", _finish)
    app.connect("html-collect-pages", _not_found_page, priority=400)
    app.connect("build-finished", _complete_sitemap, priority=400)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
