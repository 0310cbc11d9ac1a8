"""The strict build (`-W -n --keep-going`) succeeds with zero warnings."""

from __future__ import annotations

import re

import pytest
from conftest import Build

# Tests of the built book: `make test` runs them in one process after the others, so the
# book is built once (pytest-xdist's groups do not work with pytest 9).
pytestmark = pytest.mark.book


def test_strict_build_has_no_warnings(strict_build: Build) -> None:
    warnings = [line for line in strict_build.log.splitlines()
                if re.search(r"\b(WARNING|ERROR|CRITICAL)\b", line)]
    assert strict_build.returncode == 0, strict_build.log[-5000:]
    assert not warnings, "\n".join(warnings)


def test_site_has_intro_chapters_and_labs(strict_build: Build) -> None:
    html = strict_build.html
    assert (html / "index.html").is_file()
    assert (html / "intro.html").is_file()
    assert (html / "chapters" / "01-tcp-vs-udp.html").is_file()
    assert (html / "labs" / "01-tcp-vs-udp.html").is_file()


def test_lab_pages_have_binder_and_thebe_buttons(strict_build: Build) -> None:
    page = (strict_build.html / "labs" / "01-tcp-vs-udp.html").read_text(encoding="utf-8")
    assert re.search(r"mybinder\.org/v2/gh/[^\"']+/main\?urlpath=lab/tree/labs/01-tcp-vs-udp\.ipynb",
                     page), "no Binder link to this lab"
    assert "thebe" in page.lower()


def test_lab_page_shows_committed_outputs_not_a_rerun(strict_build: Build) -> None:
    page = (strict_build.html / "labs" / "01-tcp-vs-udp.html").read_text(encoding="utf-8")
    assert re.search(r"TCP reads:\s+\[600\]", page), "lab 1.1's committed output is missing"
    assert "application/vnd.jupyter.widget-state+json" in page  # stored widget state


@pytest.mark.parametrize("edition", ["en", "ko"])
def test_a_rebuild_with_nothing_changed_finds_no_stale_copy(strict_build: Build, edition: str) -> None:
    """The site holds every vendored file as vendored, so a rebuild that changed nothing
    rewrites no page (tools/vendor_assets.py ``_stale_copies``; a copy the site trimmed of its
    source-map comment once made every rebuild rewrite the root page)."""
    import sys
    from pathlib import Path
    from types import SimpleNamespace

    import yaml

    root = Path(__file__).resolve().parents[1]
    sys.path.insert(0, str(root / "tools"))
    from vendor_assets import _stale_copies

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))["sphinx"]["config"]
    app = SimpleNamespace(confdir=str(root), outdir=str(strict_build.html if edition == "en"
                                                         else strict_build.html_ko),
                          config=SimpleNamespace(html_extra_path=config.get("html_extra_path", []),
                                                 html_static_path=config.get("html_static_path") or [],
                                                 root_doc=config.get("root_doc", "intro")))
    assert _stale_copies(app, None, set(), set(), set()) == []
