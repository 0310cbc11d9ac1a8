"""`make book` and `make catalogs`: the book's two editions and the Korean message catalogs.

The English sources are the book. The Korean edition is the same sources built by
Sphinx with ``language = "ko"``: Sphinx replaces every paragraph, heading, list item
and table cell with its translation from ``locales/ko/LC_MESSAGES/<page>.po``, one
catalog per page (``gettext_compact: false`` in ``_config.yml``), and leaves code,
outputs and anything it has no translation for as they are.

``python tools/editions.py``
    Builds the English edition into ``_build/html`` and the Korean one into
    ``_build/html/ko``, at the same time, each strictly (``-W -n --keep-going``),
    each with its own doctrees (a translated doctree differs from the English one)
    and both with the same caches (drawn diagrams, vendored scripts, icon fonts). ``--edition ko``
    builds one; ``--path-output DIR`` builds into ``DIR/_build``; ``--single-page`` also
    builds the single page the PDF edition is printed from. Exits non-zero
    when either build fails or warns.

``python tools/editions.py --catalogs``
    Extracts every message with Sphinx's gettext builder into ``_build/gettext/``
    (plus ``ui.pot``, the interface strings of the practice page, self-checks and
    question labels, and ``sphinx.pot``, the theme's labels), then updates
    ``locales/ko/LC_MESSAGES/*.po`` from them with ``sphinx-intl update``: new
    messages arrive untranslated, changed ones are marked fuzzy, translations are
    kept. Translate what ``tests/test_i18n.py`` lists, in the same commit as the
    English change.

Each build is the one ``jupyter-book build`` runs (``jupyter_book.sphinx.build_sphinx``
with the same ``_config.yml``, table of contents and ``nitpicky``), in a process of
its own, since Jupyter Book's Sphinx setup is global to a process. A plain
``jupyter-book build .`` still builds the English edition alone.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

from netlab_i18n import EDITIONS, LOCALES, UI_DOMAIN, write_ui_template  # noqa: E402

TARGET_LANGUAGES = [lang for lang in EDITIONS if lang != "en"]


def build_dir(path_output: Path) -> Path:
    """``_build`` under ``path_output``, as ``jupyter-book build --path-output`` uses it."""
    return path_output / "_build"


def edition_paths(edition: str, path_output: Path) -> tuple[Path, Path]:
    """(output folder, doctree folder) of one edition."""
    build = build_dir(path_output)
    outdir = build / "html" / EDITIONS[edition].rstrip("/") if EDITIONS[edition] else build / "html"
    doctrees = build / (".doctrees" if edition == "en" else f".doctrees-{edition}")
    return outdir, doctrees


def run_sphinx(builder: str, language: str, outdir: Path, doctrees: Path) -> int:
    """One strict Sphinx build of the book, as ``jupyter-book build`` runs it; its exit code."""
    from jupyter_book.sphinx import build_sphinx

    overrides = {"external_toc_path": (ROOT / "_toc.yml").as_posix(),
                 "latex_individualpages": False, "nitpicky": True}
    if language != "en":
        overrides["language"] = language
    result = build_sphinx(ROOT, outdir, noconfig=True, path_config=str(ROOT / "_config.yml"),
                          confoverrides=overrides, doctreedir=doctrees, builder=builder,
                          warningiserror=True, keep_going=True)
    if isinstance(result, BaseException):
        return 1
    return int(result or 0)


def _command(builder: str, language: str, outdir: Path, doctrees: Path) -> list[str]:
    """The command that runs one build in a new Python process (Sphinx and docutils keep
    global state)."""
    return [sys.executable, __file__, "--_one", builder, language, str(outdir), str(doctrees)]


def _child(builder: str, language: str, outdir: Path, doctrees: Path) -> int:
    """Run one build in a process of its own; its exit code."""
    return subprocess.run(_command(builder, language, outdir, doctrees), cwd=ROOT, check=False).returncode


def build(editions: list[str], path_output: Path, single_page: bool = False) -> int:
    """Build the editions at once, one process each; print each one's log, time and CPU
    time as it ends; return the first failure's code.

    With ``single_page``, the English edition is also built as the single page the PDF
    edition is printed from (``_build/singlehtml``, ``tools/build_pdf.py``), as soon as
    the English build has ended: it reuses that build's doctrees, while the Korean one
    is still running.

    At once, since each build is one process and the Korean one takes about twice as
    long as the English: the caches they share (drawn diagrams, vendored scripts, icon
    fonts) are filled under a lock or written atomically, and each edition writes its
    own doctrees and notebook outputs.
    """
    start = time.perf_counter()
    results: dict[str, int] = {}
    with contextlib.ExitStack() as logs:
        running: dict[int, tuple[str, Path, Any, subprocess.Popen[str]]] = {}

        def start_build(name: str, builder: str, language: str, outdir: Path, doctrees: Path) -> None:
            log = logs.enter_context(tempfile.TemporaryFile("w+", encoding="utf-8"))
            proc = subprocess.Popen(_command(builder, language, outdir, doctrees), cwd=ROOT,
                                    stdout=log, stderr=subprocess.STDOUT, text=True)
            running[proc.pid] = (name, outdir, log, proc)

        for edition in editions:
            start_build(edition, "html", edition, *edition_paths(edition, path_output))
        while running:
            pid, status, usage = os.wait4(-1, 0)
            if pid not in running:
                continue
            name, outdir, log, proc = running.pop(pid)
            results[name] = proc.returncode = os.waitstatus_to_exitcode(status)
            log.seek(0)
            sys.stdout.write(log.read())
            print(f"editions: {name} built into {outdir.relative_to(path_output)} in "
                  f"{time.perf_counter() - start:.1f} s, {usage.ru_utime + usage.ru_stime:.1f} s "
                  f"CPU (exit {results[name]})", flush=True)
            if single_page and name == "en" and results[name] == 0:
                start_build("single page", "singlehtml", "en", build_dir(path_output) / "singlehtml",
                            edition_paths("en", path_output)[1])
    code = next((code for code in results.values() if code), 0)
    if code == 0:
        print(f"editions: open {build_dir(path_output) / 'html' / 'index.html'}")
    return code


def theme_template() -> Path:
    """pydata-sphinx-theme's message template (its labels are translated in ``sphinx.po``)."""
    import pydata_sphinx_theme

    return Path(pydata_sphinx_theme.__file__).parent / "locale" / "sphinx.pot"


def catalogs() -> int:
    """Extract the messages and update the catalogs of every language but English."""
    gettext = ROOT / "_build" / "gettext"
    doctrees = ROOT / "_build" / ".doctrees-gettext"
    # Afresh: no template of a page that is gone, and no message a changed directive no longer makes.
    for folder in (gettext, doctrees):
        shutil.rmtree(folder, ignore_errors=True)
    code = _child("gettext", "en", gettext, doctrees)
    if code:
        return code
    write_ui_template(ROOT, gettext / f"{UI_DOMAIN}.pot")
    shutil.copyfile(theme_template(), gettext / "sphinx.pot")
    sphinx_intl = Path(sys.executable).with_name("sphinx-intl")
    for language in TARGET_LANGUAGES:
        code = subprocess.run([str(sphinx_intl), "update", "-p", str(gettext), "-d", str(ROOT / LOCALES),
                               "-l", language, "-j", "1"], cwd=ROOT, check=False).returncode
        if code:
            return code
    print("editions: catalogs updated; `pytest tests/test_i18n.py` lists what is left to translate")
    return 0


def main() -> int:
    """Build the editions (default) or update the catalogs."""
    if len(sys.argv) == 6 and sys.argv[1] == "--_one":
        _, _, builder, language, outdir, doctrees = sys.argv
        return run_sphinx(builder, language, Path(outdir), Path(doctrees))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edition", choices=sorted(EDITIONS), action="append",
                        help="build only this edition (repeatable); default: every edition")
    parser.add_argument("--path-output", type=Path, default=ROOT,
                        help="build into PATH_OUTPUT/_build (default: the repository)")
    parser.add_argument("--single-page", action="store_true",
                        help="also build the English single page the PDF is printed from")
    parser.add_argument("--catalogs", action="store_true",
                        help="extract the messages and update locales/*/LC_MESSAGES/*.po")
    args = parser.parse_args()
    if args.catalogs:
        return catalogs()
    editions = args.edition or list(EDITIONS)
    if args.single_page and "en" not in editions:
        parser.error("--single-page needs the English edition")
    return build(editions, args.path_output.resolve(), single_page=args.single_page)


if __name__ == "__main__":
    sys.exit(main())
