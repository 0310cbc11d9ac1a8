"""The editions side by side: a language switch on every page, ``hreflang`` links, the site root.

* **The switch** (``netlab_site_templates/language-switch.html``, in the article
  header before the theme's buttons) links each page to the same page of the
  other edition by a relative address (``../ko/chapters/01-tcp-vs-udp.html`` from
  the English chapter, ``../../chapters/01-tcp-vs-udp.html`` back), so it works
  offline and from ``file://``. ``_static/editions.js`` adds the section the
  reader is in (its English id, which both editions keep: ``netlab_i18n``) and
  remembers the choice in ``localStorage`` (``netlab-edition``).
* **``hreflang`` alternates** in every page's head name the page in each edition
  at its published address (``html_baseurl``, the English edition's, then
  ``ko/``), and ``x-default`` the English one.
* **The site root** (``index.html``, written by the English build) lets a reader
  choose an edition and sends one who has chosen before straight to it
  (``index.html?choose`` shows the choice again).
* **Build files stay out of the site.** MyST-NB writes the images of a notebook's
  outputs into ``jupyter_execute`` beside the output folder: ``_build`` for the
  English edition, but ``_build/html`` (the published site) for the Korean one,
  whose output folder is ``_build/html/ko``. The Korean edition writes them into
  ``_build/jupyter_execute-ko`` instead, which also keeps the two editions, built
  at the same time, from writing the same files.
"""

from __future__ import annotations

import html
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from netlab_i18n import EDITIONS, LANGUAGE_NAMES, translator, ui_catalog
from sphinx.application import Sphinx

STORE_KEY = "netlab-edition"  # localStorage: the edition a reader chose
SKIP_PAGES = {"404"}  # served at any address: no "same page" elsewhere


def edition_url(from_language: str, pagename: str, to_language: str) -> str:
    """Relative address of ``pagename`` in ``to_language``'s edition, from it in ``from_language``'s."""
    up = "../" * pagename.count("/") + "../" * EDITIONS[from_language].count("/")
    return f"{up}{EDITIONS[to_language]}{pagename}.html"


def alternates(site_url: str, pagename: str) -> str:
    """The ``<link rel="alternate" hreflang>`` tags of a page, one per edition and x-default."""
    base = site_url.rstrip("/") + "/"
    links = [(lang, f"{base}{folder}{pagename}.html") for lang, folder in EDITIONS.items()]
    links.append(("x-default", f"{base}{pagename}.html"))
    return "".join(f'\n<link rel="alternate" hreflang="{lang}" href="{html.escape(url)}" />'
                   for lang, url in links)


def _page_context(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any],
                  doctree: nodes.document | None) -> None:
    """html-page-context: the switch's link and the head's alternates."""
    language = app.config.language or "en"
    if app.builder.name != "html" or language not in EDITIONS or pagename in SKIP_PAGES:
        return
    tr = translator(app)
    others = [lang for lang in EDITIONS if lang != language]
    context["netlab_editions"] = [
        {"lang": lang, "name": LANGUAGE_NAMES[lang], "url": edition_url(language, pagename, lang),
         "title": tr("Read this page in English") if lang == "en" else tr("이 페이지를 한국어로 읽기")}
        for lang in others]
    if app.config.netlab_site_url:
        context["metatags"] = context.get("metatags", "") + alternates(app.config.netlab_site_url, pagename)


def site_root(srcdir: str | Path, title: str) -> str:
    """The site's ``index.html``: choose an edition, or go to the one chosen before."""
    korean, _ = ui_catalog(srcdir, "ko")
    title_ko = korean.get(title, title)
    starts = {lang: f"{folder}intro.html" for lang, folder in EDITIONS.items()}
    items = "".join(
        f'<li><a href="{starts[lang]}" hreflang="{lang}" lang="{lang}" data-netlab-edition="{lang}">'
        f"{LANGUAGE_NAMES[lang]}</a></li>" for lang in EDITIONS)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} · {html.escape(title_ko)}</title>
<script>
// A reader who chose an edition before goes straight to it; index.html?choose asks again.
(function () {{
  var starts = {starts!r};
  var saved = null;
  try {{ saved = window.localStorage.getItem("{STORE_KEY}"); }} catch (error) {{}}
  if (saved && starts[saved] && !/[?&]choose\\b/.test(window.location.search)) {{
    window.location.replace(starts[saved]);
  }}
}})();
</script>
<style>
body {{ font-family: system-ui, "Noto Sans KR", "Noto Sans CJK KR", sans-serif; margin: 0;
  color: #222; background: #fff; line-height: 1.5; }}
main {{ max-width: 34rem; margin: 12vh auto; padding: 0 1.25rem; }}
h1 {{ font-size: 1.6rem; margin: 0 0 1.5rem; }}
h1 span {{ display: block; font-size: 1.25rem; font-weight: 500; color: #444; }}
ul {{ list-style: none; padding: 0; display: flex; gap: 1rem; flex-wrap: wrap; }}
a {{ display: inline-block; padding: 0.7rem 1.6rem; border: 2px solid #0a58ca; border-radius: 0.5rem;
  color: #0a58ca; font-size: 1.2rem; font-weight: 600; text-decoration: none; }}
a:hover, a:focus-visible {{ background: #0a58ca; color: #fff; }}
p {{ color: #444; }}
@media (prefers-color-scheme: dark) {{
  body {{ background: #14181e; color: #ddd; }} h1 span, p {{ color: #bbb; }}
  a {{ border-color: #8bb8ff; color: #8bb8ff; }}
  a:hover, a:focus-visible {{ background: #8bb8ff; color: #14181e; }}
}}
</style>
</head>
<body>
<main>
<h1>{html.escape(title)} <span lang="ko">{html.escape(title_ko)}</span></h1>
<p>Choose an edition. <span lang="ko">읽을 언어를 고르세요.</span></p>
<ul>{items}</ul>
<p>This browser remembers the choice; every page has a switch to the other edition.
<span lang="ko">고른 언어는 이 브라우저가 기억합니다.
어느 페이지에서든 다른 언어판으로 바꿀 수 있습니다.</span></p>
</main>
<script>
document.querySelectorAll("a[data-netlab-edition]").forEach(function (link) {{
  link.addEventListener("click", function () {{
    try {{ window.localStorage.setItem("{STORE_KEY}", link.dataset.netlabEdition); }} catch (error) {{}}
  }});
}});
</script>
</body>
</html>
"""


def _write_site_root(app: Sphinx, exception: Exception | None) -> None:
    """build-finished (before sphinx-external-toc writes its redirect): the edition chooser."""
    if exception is not None or app.builder.name != "html" or (app.config.language or "en") != "en":
        return
    target = Path(app.outdir) / "index.html"
    body = site_root(app.srcdir, app.config.html_title or app.config.project)
    if not target.is_file() or target.read_text(encoding="utf-8") != body:
        target.write_text(body, encoding="utf-8")


def _notebook_outputs_beside_the_doctrees(app: Sphinx) -> None:
    """builder-inited, after MyST-NB's: a translated edition's notebook outputs folder."""
    language = app.config.language or "en"
    config = getattr(app.env, "mystnb_config", None)
    if language == "en" or config is None:
        return
    folder = (Path(app.doctreedir).parent / f"jupyter_execute-{language}").resolve()
    app.env.mystnb_config = config.copy(output_folder=str(folder))
    stale = Path(config.output_folder)  # where MyST-NB put them: inside the English site
    if stale.is_dir() and stale != folder and Path(app.outdir).parent in stale.parents:
        shutil.rmtree(stale)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the switch, the alternates and the site root."""
    app.setup_extension("netlab_i18n")
    app.connect("builder-inited", _notebook_outputs_beside_the_doctrees, priority=600)
    app.connect("html-page-context", _page_context)
    app.connect("build-finished", _write_site_root, priority=400)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
