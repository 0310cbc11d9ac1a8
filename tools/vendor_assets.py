"""Copy the front-end libraries the pages use from ``node_modules`` into the build.

So that a downloaded copy of the site, or a classroom without a CDN, gets every
page whole, the book serves its own copies of:

* mermaid (diagrams): the ES module and the chunks it imports on demand;
* require.js and the Jupyter widgets HTML manager (stored widget states), with
  the icon fonts it loads and ``tools/site_js/widgets-setup.js``, which tells it
  where they are. Its ``embed-amd.js`` is
  trimmed (``trim_widgets_manager``): the copies of ipywidgets 7's base and
  controls it carries beside ipywidgets 8's (the labs store ipywidgets 8 states)
  and the source maps of its style sheets are left out, 3.6 MB -> 2.3 MB;
* the course's own page scripts (``tools/site_js``): ``widgets-loader.js``, which
  loads the widgets manager once the page is read, and ``diagrams.js``, the
  full-screen button of diagrams drawn at build time;
* ts-fsrs (the practice page's spaced-repetition scheduler): its UMD build.

No source map is copied, and ``sourceMappingURL`` comments are removed from what is.

They come from the npm registry through ``package.json`` and the lock file
(``npm ci`` in ``make env``), are never committed, and land in
``_build/vendor/_static/vendor/``, a folder ``_config.yml`` lists in
``html_extra_path``: Sphinx copies it into the site as ``_static/vendor/``, where
``mermaid_use_local`` and ``nb_ipywidgets_js`` point. Files under
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
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

from netlab_book import exclusive_lock  # noqa: E402

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
    transform: Callable[[str], str] | None = None  # rewrites a text file while copying


SOURCE_MAP_COMMENT = re.compile(r"\n?//# sourceMappingURL=\S+\s*$", re.M)
# ipywidgets 7's modules, which embed-amd.js carries for pages that stored
# ipywidgets 7 states; the labs store ipywidgets 8 states (tests/test_site.py checks).
WIDGETS_7_MODULES = ("@jupyter-widgets/base7", "@jupyter-widgets/controls7")


def strip_source_maps(text: str) -> str:
    """Remove ``//# sourceMappingURL=`` comments (the maps are not deployed)."""
    return SOURCE_MAP_COMMENT.sub("", text)


def _end_of_literal(text: str, start: int) -> int:
    """Index just past the JavaScript object or array literal that opens at ``start``."""
    depth, i, quote = 0, start, ""
    while i < len(text):
        c = text[i]
        if quote:
            if c == "\\":
                i += 1
            elif c == quote:
                quote = ""
        elif c in "\"'`":
            quote = c
        elif c in "{[":
            depth += 1
        elif c in "}]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError(f"unbalanced literal at offset {start}")


def trim_widgets_manager(text: str) -> str:
    """embed-amd.js without ipywidgets 7's modules and without its CSS source maps.

    The file is a concatenation of AMD modules, one ``define("name", ...)`` each
    (``scripts/concat-amd-build.js`` of the html-manager package); the manager
    requires the ipywidgets 7 ones only for a state stored by ipywidgets 7. Each
    style sheet is bundled as ``[id, css, "", {version:3, sources, mappings,
    sourcesContent}]``; css-loader adds the map only when it is there.
    """
    starts = [m.start() for m in re.finditer(r'(?:/\*![^*]*\*/\n)?define\("', text)]
    if not starts or starts[0] != 0 and text[:starts[0]].strip():
        raise ValueError("embed-amd.js: not a concatenation of define() modules")
    kept = []
    for begin, end in zip(starts, [*starts[1:], len(text)], strict=True):
        name = re.match(r'(?:/\*![^*]*\*/\n)?define\("([^"]+)"', text[begin:end]).group(1)
        if name not in WIDGETS_7_MODULES:
            kept.append(text[begin:end])
    trimmed = "".join(kept)
    if trimmed == text:
        raise ValueError(f"embed-amd.js: no module named {WIDGETS_7_MODULES}")
    pieces, last = [], 0
    for match in re.finditer(r"\{version:3,sources:\[", trimmed):
        if match.start() < last:
            continue
        pieces += [trimmed[last:match.start()], "null"]
        last = _end_of_literal(trimmed, match.start())
    pieces.append(trimmed[last:])
    return strip_source_maps("".join(pieces))


ASSETS = (
    Asset("mermaid", "dist", "mermaid",
          ("mermaid.esm.min.mjs", "chunks/mermaid.esm.min/*.mjs"), transform=strip_source_maps),
    Asset("mermaid", "", "mermaid", ("LICENSE",)),
    Asset("requirejs", "", "requirejs", ("require.js",)),
    Asset("@jupyter-widgets/html-manager", "dist", "html-manager", ("embed-amd.js",),
          transform=trim_widgets_manager),
    Asset("@jupyter-widgets/html-manager", "dist", "html-manager", ("*.woff2", "*.woff")),
    Asset(None, "", "html-manager", ("widgets-setup.js",)),
    Asset(None, "", "site", ("widgets-loader.js", "diagrams.js")),
    # The practice page's scheduler; the UMD build, as a classic script also runs from file://.
    # Without its source-map comment, as the site deploys it (netlab_site): a copy that the
    # site's own differs from made every rebuild rewrite the root page and copy everything.
    Asset("ts-fsrs", "dist", "ts-fsrs", ("index.umd.js",), transform=strip_source_maps),
    Asset("ts-fsrs", "", "ts-fsrs", ("LICENSE",)),
)


def _files(asset: Asset) -> Iterator[tuple[Path, Path, Asset]]:
    """Yield (source file, destination file, asset) for one asset."""
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
                yield src, VENDOR / asset.target / src.relative_to(base), asset


def _stale(src: Path, dst: Path, asset: Asset) -> bool:
    if not dst.is_file():
        return True
    if asset.transform is not None:  # a rewritten copy: newer than its source and this script
        return dst.stat().st_mtime < max(src.stat().st_mtime, Path(__file__).stat().st_mtime)
    return dst.stat().st_size != src.stat().st_size or dst.stat().st_mtime < src.stat().st_mtime


def vendor() -> dict[str, int]:
    """Copy every asset that changed; remove stale files; return bytes per target folder.

    One build at a time (both editions may be built at once, and share the copies)."""
    with exclusive_lock(EXTRA_PATH.with_name(".vendor.lock")):
        return _vendor()


def _vendor() -> dict[str, int]:
    wanted: dict[Path, tuple[Path, Asset]] = {}
    for asset in ASSETS:
        wanted.update((dst, (src, asset)) for src, dst, asset in _files(asset))
    sizes: dict[str, int] = {}
    for dst, (src, asset) in wanted.items():
        if _stale(src, dst, asset):
            dst.parent.mkdir(parents=True, exist_ok=True)
            if asset.transform is None:
                shutil.copy2(src, dst)
            else:
                dst.write_text(asset.transform(src.read_text(encoding="utf-8")), encoding="utf-8")
        target = dst.relative_to(VENDOR).parts[0]
        sizes[target] = sizes.get(target, 0) + dst.stat().st_size
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
