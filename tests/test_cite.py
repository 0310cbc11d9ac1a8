"""Citations: RFCs by number (with the section the text gives), other works by a short label.

The labels come from ``_ext/netlab_cite.py``; the first tests check them for every
entry of ``references.bib``, the last ones check what the built pages show.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))
from netlab_cite import (  # noqa: E402
    NAME_SUFFIXES,
    NetlabLabelStyle,
    NetlabSortingStyle,
    rfc_number,
)

BIB = parse_file(str(ROOT / "references.bib"))
ENTRIES = NetlabSortingStyle().sort(BIB.entries.values())
LABELS = dict(zip((e.key for e in ENTRIES), NetlabLabelStyle().format_labels(ENTRIES), strict=True))
BARE_YEAR = re.compile(r"^\(?\d{4}[a-z]?\)?$")


def bad_label(label: str) -> str | None:
    """Why ``label`` is not one a reader can use, or None."""
    words = label.replace(",", " ").split()
    if not words or BARE_YEAR.match(label.strip()):
        return "a bare year"
    if NAME_SUFFIXES.match(words[0]):
        return "a name suffix where the surname should be"
    return None


@pytest.mark.parametrize("label", ["2011", "(2022)", "3rd, 2011", "Jr. 1999", "III 2001"])
def test_the_check_rejects_author_year_accidents(label: str) -> None:
    assert bad_label(label)


@pytest.mark.parametrize("key", sorted(LABELS))
def test_every_label_is_usable(key: str) -> None:
    assert bad_label(LABELS[key]) is None, f"{key}: {LABELS[key]!r}"


def test_rfcs_are_labelled_by_number() -> None:
    for entry in ENTRIES:
        number = rfc_number(entry)
        if entry.key.startswith("rfc"):
            assert number is not None, f"{entry.key}: type = {{RFC}} and a number, please"
            assert LABELS[entry.key] == f"RFC {number}"


def test_rfcs_are_published_by_the_rfc_editor() -> None:
    """bibliography.md lists RFCs by ``institution == "RFC Editor"``: any other value files
    an RFC under "Other works", out of its number order."""
    wrong = [e.key for e in ENTRIES
             if rfc_number(e) is not None and e.fields.get("institution") != "RFC Editor"]
    assert not wrong, f"institution = {{RFC Editor}}, please: {wrong}"


def test_the_generational_suffix_is_not_read_as_a_surname() -> None:
    entry = BIB.entries["rfc6066"]  # Donald Eastlake 3rd
    assert LABELS["rfc6066"] == "RFC 6066"
    fields = {k: v for k, v in entry.fields.items() if k not in {"type", "number"}}
    from netlab_cite import short_label
    from pybtex.database import Entry
    as_a_paper = Entry("misc", fields=fields, persons=entry.persons)
    assert short_label("eastlake2011", as_a_paper) == "Eastlake 2011"


def test_labels_are_unique_and_rfcs_come_first_by_number() -> None:
    assert len(set(LABELS.values())) == len(LABELS)
    numbers = [rfc_number(e) for e in ENTRIES]
    rfcs = [n for n in numbers if n is not None]
    assert numbers[:len(rfcs)] == sorted(rfcs), "RFCs first, in number order"


# --- the built pages --------------------------------------------------------------------------

def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.mark.book
def test_pages_cite_by_label_and_section(strict_build) -> None:  # noqa: ANN001 (conftest fixture)
    labels = set(LABELS.values())
    pages = sorted(strict_build.html.glob("chapters/*.html")) + [strict_build.html / "drill.html"]
    shown: set[str] = set()
    for page in pages:
        html = page.read_text(encoding="utf-8")
        for span in re.findall(r'<span class="bibtex-citation"[^>]*>(.*?)</span>', html, re.S):
            text = _text(span)
            assert text.startswith("[") and text.endswith("]"), f"{page.name}: {text}"
            for part in re.split(r",\s(?=[A-Za-z])", text[1:-1]):
                label = re.sub(r"\s§.*$", "", part)
                assert label in labels and bad_label(label) is None, f"{page.name}: {text}"
                shown.add(part)
        # "(RFC 5681 §3.2) [RFC 5681]" said twice is folded into "[RFC 5681 §3.2]".
        doubled = re.findall(r"\(RFC (\d+)(?: §[\d.–-]+)?\) \[RFC \1\]", _text(html))
        assert not doubled, f"{page.name}: RFCs named twice: {doubled}"
    assert any(re.fullmatch(r"RFC \d+ §[\d.–-]+", s) for s in shown), "no citation shows a section"


@pytest.mark.book
def test_bibliography_lists_rfcs_by_number(strict_build) -> None:  # noqa: ANN001
    text = _text((strict_build.html / "bibliography.html").read_text(encoding="utf-8"))
    numbers = [int(n) for n in re.findall(r"\[ ?RFC (\d+) ?\]", text)]
    assert numbers and numbers == sorted(numbers), numbers
