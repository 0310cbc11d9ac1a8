"""Copy the front-end libraries the pages use from ``node_modules`` into the build.

So that a downloaded copy of the site, or a classroom without a CDN, gets every
page whole, the book serves its own copies of:

* mermaid (diagrams): the ES module and the chunks it imports on demand;
* MathJax 3 (math): the TeX-to-CommonHTML component, its web fonts and the TeX
  extensions ``autoload`` may fetch; not the 24 MB of other builds, speech rules
  (``sre``) and source maps;
* require.js and the Jupyter widgets HTML manager (stored widget states), with
  the icon fonts it loads and ``tools/site_js/widgets-setup.js``, which tells it
  where they are and lets widget labels use MathJax 3;
* ts-fsrs (the practice page's spaced-repetition scheduler): its UMD build.

They come from the npm registry through ``package.json`` and the lock file
(``npm ci`` in ``make env``), are never committed, and land in
``_build/vendor/_static/vendor/``, a folder ``_config.yml`` lists in
``html_extra_path``: Sphinx copies it into the site as ``_static/vendor/``, where
``mermaid_use_local``, ``mathjax_path`` and ``nb_ipywidgets_js`` point. Files under
``html_static_path`` would instead be injected into every page.

The build runs this itself (``_config.yml`` loads it as a local extension, before
Sphinx checks ``html_extra_path``); ``python tools/vendor_assets.py`` does the
same by hand and prints what was copied.

As an extension it also has a rebuild refresh the site's copies of static and
vendored files that changed (``_stale_copies``), and removes duplicate inline
scripts from each page (``_drop_duplicate_scripts``), so pages open with a
clean console.
"""

from __future__ import annotations

import filecmp
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "node_modules"
SITE_JS = ROOT / "tools" / "site_js"
EXTRA_PATH = ROOT / "_build" / "vendor"
VENDOR = EXTRA_PATH / "_static" / "vendor"


@dataclass(frozen=True)
class Asset:
    """Files of one npm package (or of ``tools/site_js``) copied under ``_static/vendor/<target>``."""

    package: str | None  # None: the course's own scripts in tools/site_js
    source: str  # folder inside the package
    target: str  # folder under _static/vendor
    patterns: tuple[str, ...]  # globs relative to ``source``
    skip: tuple[str, ...] = ()  # file names left out


ASSETS = (
    Asset("mermaid", "dist", "mermaid",
          ("mermaid.esm.min.mjs", "chunks/mermaid.esm.min/*.mjs")),
    Asset("mermaid", "", "mermaid", ("LICENSE",)),
    Asset("mathjax", "es5", "mathjax",
          ("tex-chtml.js", "output/chtml/fonts/woff-v2/*.woff", "input/tex/extensions/*.js"),
          skip=("all-packages.js",)),
    Asset("mathjax", "", "mathjax", ("LICENSE",)),
    Asset("requirejs", "", "requirejs", ("require.js",)),
    Asset("@jupyter-widgets/html-manager", "dist", "html-manager",
          ("embed-amd.js", "*.woff2", "*.woff")),
    Asset(None, "", "html-manager", ("widgets-setup.js",)),
    # The practice page's scheduler; the UMD build, as a classic script also runs from file://.
    Asset("ts-fsrs", "dist", "ts-fsrs", ("index.umd.js",)),
    Asset("ts-fsrs", "", "ts-fsrs", ("LICENSE",)),
)


def _files(asset: Asset) -> Iterator[tuple[Path, Path]]:
    """Yield (source file, destination file) pairs for one asset."""
    if asset.package is None:
        base = SITE_JS
    else:
        package = NODE_MODULES / asset.package
        if not (package / "package.json").is_file():
            raise FileNotFoundError(
                f"node_modules/{asset.package} is missing: run `npm ci` (or `make env`) first")
        base = package / asset.source
    for pattern in asset.patterns:
        matches = sorted(base.glob(pattern))
        if not matches:
            raise FileNotFoundError(f"{base.relative_to(ROOT)}: nothing matches {pattern!r}")
        for src in matches:
            if src.name not in asset.skip:
                yield src, VENDOR / asset.target / src.relative_to(base)


def vendor() -> dict[str, int]:
    """Copy every asset that changed; remove stale files; return bytes per target folder."""
    wanted: dict[Path, Path] = {}
    for asset in ASSETS:
        wanted.update((dst, src) for src, dst in _files(asset))
    sizes: dict[str, int] = {}
    for dst, src in wanted.items():
        stat = src.stat()
        if not dst.is_file() or dst.stat().st_size != stat.st_size or dst.stat().st_mtime < stat.st_mtime:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
        target = dst.relative_to(VENDOR).parts[0]
        sizes[target] = sizes.get(target, 0) + stat.st_size
    for path in sorted(VENDOR.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return sizes


def _on_config_inited(app: Any, config: Any) -> None:
    """Sphinx hook: vendor the assets before ``html_extra_path`` is checked."""
    vendor()


def _stale_copies(app: Any, env: Any, added: set[str], changed: set[str],
                  removed: set[str]) -> list[str]:
    """Sphinx hook: rewrite a page when the site's copy of a static or vendored file is stale.

    Sphinx copies ``html_static_path`` and ``html_extra_path`` only when it
    writes pages, so a rebuild after changing just those files (or after
    ``npm ci`` brought a new library) would say "no targets are out of date"
    and keep the old copies. Asking for the root page to be rebuilt makes it
    copy them.
    """
    confdir, outdir = Path(app.confdir), Path(app.outdir)
    # The book's own folders only (extensions add theirs as absolute paths), and
    # no templates (``*_t``), which Sphinx renders rather than copies.
    trees = [(confdir / entry, outdir) for entry in app.config.html_extra_path
             if not Path(entry).is_absolute()]
    trees += [(confdir / entry, outdir / "_static") for entry in app.config.html_static_path
              if not Path(entry).is_absolute() and (confdir / entry).is_dir()]
    for source, target in trees:
        for path in source.rglob("*"):
            copy = target / path.relative_to(source)
            if (path.is_file() and not path.name.endswith("_t")
                    and not (copy.is_file() and filecmp.cmp(path, copy, shallow=True))):
                return [app.config.root_doc]
    return []


def _drop_duplicate_scripts(app: Any, pagename: str, templatename: str, context: dict[str, Any],
                            doctree: Any) -> None:
    """Sphinx hook: keep one copy of each script in a page.

    Sphinx 7.4 registers an inline script added after the builder started (as
    sphinx-thebe and sphinx-togglebutton do) once with filename ``None`` and again
    with ``''``, so it is written twice; sphinx-thebe's second
    ``const THEBE_JS_URL`` is then a SyntaxError in every page's console.
    """
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    seen: set[tuple[Any, ...]] = set()
    kept = []
    for script in scripts:
        attributes = getattr(script, "attributes", {})
        key = (getattr(script, "filename", script) or "", getattr(script, "priority", 0),
               tuple(sorted(attributes.items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    scripts[:] = kept


def setup(app: Any) -> dict[str, Any]:
    """Sphinx entry point (``sphinx.local_extensions`` in ``_config.yml``)."""
    # Sphinx validates html_extra_path at priority 800; run before it.
    app.connect("config-inited", _on_config_inited, priority=400)
    app.connect("env-get-outdated", _stale_copies)
    # After the extensions that add scripts to a page (default priority 500).
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def main() -> int:
    """Vendor the assets and print the size of each library."""
    try:
        sizes = vendor()
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 1
    for target, size in sorted(sizes.items()):
        print(f"_static/vendor/{target:<14} {size / 1e6:6.2f} MB")
    print(f"{'total':<29} {sum(sizes.values()) / 1e6:6.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
