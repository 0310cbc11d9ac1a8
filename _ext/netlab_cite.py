"""Citations as network engineers write them: [RFC 9293 §3.1], [Mathis et al. 1997].

sphinxcontrib-bibtex's author-year style cites RFC 9293 as "[Eddy, 2022]" and RFC
6066 as "[3rd, 2011]" (Donald Eastlake 3rd's generational suffix read as his
surname). Here:

* an RFC is labelled by its number, ``RFC 9293`` (a ``@techreport`` of type RFC
  with a ``number``);
* any other work by its ``shorthand`` field if it has one, else by its first
  author's surname (without a generational suffix such as "3rd" or "Jr."), "et
  al." for three or more authors, and the year; a work by an organisation, which
  has no surname, by its bibliography key (``linux-ip-sysctl``);
* the bibliography lists the RFCs first, by number, then the other works by label.

**Sections.** The chapters write the section beside the citation, "(RFC 5681 §3.2)
{cite}`rfc5681`" or "RFC 9293 §3.1 {cite}`rfc9293`"; the Key numbers tables write
it after, "{cite:p}`rfc9293` §3.8.3". ``SectionIntoCitation`` moves such a section
into the citation, so the page reads "[RFC 5681 §3.2]" once instead of
"(RFC 5681 §3.2) [RFC 5681]". Only a citation of exactly that one RFC is changed;
any other wording stays as written.

``tests/test_cite.py`` fails on a label that is a bare year or a name suffix.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pybtex.plugin
from docutils import nodes
from pybtex.database import Entry, Person
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.style.referencing.label import LabelReferenceStyle

STYLE = "netlab"  # bibtex_default_style and bibtex_reference_style in _config.yml
# Generational suffixes bibtex leaves in the last name ("D. Eastlake 3rd").
NAME_SUFFIXES = re.compile(r"^(?:jr\.?|sr\.?|[2-9](?:nd|rd|th)|i{2,3}|iv|v)$", re.I)
SECTION = r"§\s?\d+(?:\.\d+)*(?:\s?[–-]\s?\d+(?:\.\d+)*)?"


def rfc_number(entry: Entry) -> int | None:
    """The RFC number of an RFC entry, else None."""
    fields = entry.fields
    if str(fields.get("type", "")).upper() == "RFC" and str(fields.get("number", "")).isdigit():
        return int(fields["number"])
    return None


def _surname(person: Person) -> str | None:
    """A person's surname without a generational suffix; None for an organisation."""
    last = [n for n in person.last_names if not NAME_SUFFIXES.match(n)]
    if not last:  # the whole "last name" was a suffix: the surname is the last middle name
        last = person.middle_names[-1:] or person.first_names[-1:]
    if not person.first_names and not person.middle_names and person.last_names[0].startswith("{"):
        return None  # a braced name such as {The Linux kernel developers}
    text = " ".join([*person.prelast_names, *last]).replace("{", "").replace("}", "")
    return text or None


def short_label(key: str, entry: Entry) -> str:
    """The label one entry is cited by (before duplicates are told apart)."""
    number = rfc_number(entry)
    if number is not None:
        return f"RFC {number}"
    if entry.fields.get("shorthand"):
        return str(entry.fields["shorthand"])
    authors = entry.persons.get("author") or entry.persons.get("editor") or []
    surname = _surname(authors[0]) if authors else None
    if surname is None:
        return key
    name = surname + (" et al." if len(authors) > 2 else f" and {_surname(authors[1])}"
                      if len(authors) == 2 and _surname(authors[1]) else "")
    year = str(entry.fields.get("year", "")).strip()
    return f"{name} {year}".strip()


class NetlabLabelStyle(BaseLabelStyle):
    """Labels: ``RFC N``, a shorthand, "Surname [et al.] year", or the key."""

    def format_labels(self, sorted_entries: Iterable[Entry]) -> Iterator[str]:
        entries = list(sorted_entries)
        labels = [short_label(e.key, e) for e in entries]
        counts = Counter(labels)
        seen: Counter[str] = Counter()
        for label in labels:
            if counts[label] > 1:  # Mathis 1997a, Mathis 1997b
                seen[label] += 1
                yield label + "abcdefghijklmnopqrstuvwxyz"[seen[label] - 1]
            else:
                yield label


class NetlabSortingStyle(BaseSortingStyle):
    """RFCs first, by number; then the other works by label."""

    def sorting_key(self, entry: Entry) -> tuple[int, int, str]:
        number = rfc_number(entry)
        if number is not None:
            return (0, number, "")
        return (1, 0, short_label(entry.key, entry).lower())


class NetlabStyle(PlainStyle):
    """pybtex's plain entries with the labels and order above."""

    default_label_style = NetlabLabelStyle
    default_sorting_style = NetlabSortingStyle


@dataclass
class NetlabReferenceStyle(LabelReferenceStyle):
    """[label] references; a section is written after the label, "[RFC 9293 §3.1]"."""

    post_text_sep: str = " "


# --- sections into citations ---------------------------------------------------------------------

def _single_rfc(node: pending_xref) -> int | None:
    match = re.fullmatch(r"\s*rfc(\d+)\s*", str(node.get("reftarget", "")))
    return int(match.group(1)) if match and node.get("refdomain") == "cite" else None


# Siblings are found by identity: Text nodes compare equal by content, so docutils'
# index(), remove() and replace() would pick the paragraph's first equal line break.
def _index(node: nodes.Node) -> int:
    return next(i for i, child in enumerate(node.parent.children) if child is node)


def _previous(node: nodes.Node) -> nodes.Node | None:
    if node.parent is None:
        return None
    index = _index(node)
    return node.parent[index - 1] if index > 0 else None


def _swap(old: nodes.Node, new: nodes.Node | None) -> None:
    """Replace ``old`` by ``new`` (or remove it) in its parent."""
    parent, index = old.parent, _index(old)
    del parent.children[index]
    if new is not None:
        parent.insert(index, new)


class SectionIntoCitation(SphinxTransform):
    """Fold "(RFC N §S) {cite}`rfcN`" and "{cite:p}`rfcN` §S" into one "[RFC N §S]"."""

    default_priority = 200  # after parsing (roles made pending_xref nodes), before resolving

    def apply(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(pending_xref)):
            number = _single_rfc(node)
            if number is not None:
                self._fold_before(node, number) or self._fold_after(node)

    @staticmethod
    def _set_post(node: pending_xref, section: str) -> None:
        section = re.sub(r"§\s?", "§", section.strip())
        node["reftarget"] = f"{node['reftarget'].strip()}{{{section}}}"

    def _fold_before(self, node: pending_xref, number: int) -> bool:
        # The text before the citation may be several Text nodes: a line break in the
        # source is a node of its own, even inside "(RFC 7323\n§2.2)".
        run: list[nodes.Text] = []
        before = _previous(node)
        while isinstance(before, nodes.Text):
            run.insert(0, before)
            before = _previous(before)
        if not run:
            return False
        text = "".join(str(t) for t in run)
        match = re.search(rf"(?:\(RFC\s?{number}(?:\s({SECTION}))?\)|RFC\s?{number}(?:\s({SECTION}))?)\s*$",
                          text)
        if match is None:
            return False
        section = match.group(1) or match.group(2)
        kept = text[:match.start()]
        for extra in run[1:]:
            _swap(extra, None)
        _swap(run[0], nodes.Text(kept if kept.endswith((" ", "\n")) or not kept
                                 else kept + " "))
        if section:
            self._set_post(node, re.sub(r"\s+", " ", section))
        return True

    def _fold_after(self, node: pending_xref) -> bool:
        after = node.next_node(descend=False, siblings=True)
        if not isinstance(after, nodes.Text):
            return False
        match = re.match(rf"\s({SECTION})(?=$|[\s,;.)])", str(after))
        if match is None:
            return False
        self._set_post(node, match.group(1))
        _swap(after, nodes.Text(str(after)[match.end():]))
        return True


@functools.cache
def _entry_points(group: str, name: str) -> tuple[Any, ...]:
    return tuple(_ENTRY_POINTS(group=group, name=name))


_ENTRY_POINTS = pybtex.plugin.entry_points


def _cache_pybtex_plugin_lookup() -> None:
    """Let pybtex look its plugins up once, not at every citation.

    sphinxcontrib-bibtex asks pybtex for its backend and style plugins at every
    citation it resolves, and pybtex 0.24 reads every installed package's entry
    points for each ask: a quarter of the book's build time. The installed entry
    points do not change during a build; plugins registered at run time are looked
    up before the entry points, as before.
    """
    if pybtex.plugin.entry_points is not _cached_entry_points:
        pybtex.plugin.entry_points = _cached_entry_points


def _cached_entry_points(*, group: str, name: str | None = None) -> Any:
    return _ENTRY_POINTS(group=group) if name is None else _entry_points(group, name)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the styles and the transform."""
    _cache_pybtex_plugin_lookup()
    pybtex.plugin.register_plugin("pybtex.style.formatting", STYLE, NetlabStyle)
    register_plugin("sphinxcontrib.bibtex.style.referencing", STYLE, NetlabReferenceStyle)
    app.add_transform(SectionIntoCitation)
    # env_version: bump when the transform changes, so that pages are read again.
    return {"version": "1.0", "env_version": 3, "parallel_read_safe": True,
            "parallel_write_safe": True}
