"""The interview questions as an Anki deck (genanki) and as a plain TSV file.

Each note's GUID is ``genanki.guid_for(question id)``: question ids are stable
(SCHEMAS: never renamed), so importing the deck of a new edition updates the
reader's notes, and keeps their review history, instead of adding duplicates.
The TSV carries the same GUIDs and Anki's file headers (``#guid column``), so
importing it updates the same notes; spreadsheets skip the ``#`` lines.

``netlab_practice`` calls these when it writes the practice page, which holds
every question already rendered (answers as HTML, section titles resolved).
"""

from __future__ import annotations

import csv
import html
import re
from dataclasses import dataclass
from pathlib import Path

import genanki

# Fixed once: Anki identifies the note type and the deck by these numbers.
MODEL_ID = 1_607_392_319
DECK_ID = 2_059_400_110
DECK_NAME = "Networking for Backend Interviews (면접 대비)"
# Note and card ids derive from this time (seconds); fixed so that two builds
# write the same notes. 2026-01-01T00:00:00Z.
EDITION_TIMESTAMP = 1_767_225_600.0
FIELDS = ["Id", "Korean", "English", "Answer", "Source"]
CSS = """.card { font-family: system-ui, "Noto Sans KR", sans-serif; font-size: 18px;
  line-height: 1.5; text-align: left; max-width: 42em; margin: 0 auto; }
.en { color: #555; } .night_mode .en { color: #bbb; }
.source { font-size: 14px; color: #777; }
code, pre { font-family: ui-monospace, monospace; font-size: 90%; }"""
FRONT = '<div class="ko" lang="ko">{{Korean}}</div>\n<div class="en" lang="en">{{English}}</div>'
BACK = ('{{FrontSide}}\n<hr id="answer">\n<div class="answer">{{Answer}}</div>\n'
        '<p class="source">{{Source}}</p>')


@dataclass(frozen=True)
class Note:
    """One interview question, as the deck and the TSV need it."""

    id: str
    chapter: str  # the question file's stem, e.g. 02-handshake-and-close
    difficulty: int  # 1-3, 0 while not given
    tags: list[str]
    ko: str  # plain text (escaped on the way into the deck's HTML fields)
    en: str
    answer_html: str
    answer_text: str
    source: str  # chapter, question number, section and lab titles

    @property
    def guid(self) -> str:
        """Derived from the question's stable id only."""
        return genanki.guid_for(self.id)

    @property
    def anki_tags(self) -> list[str]:
        """Chapter, difficulty and topic tags (Anki tags hold no spaces; ``::`` nests them)."""
        level = str(self.difficulty) if self.difficulty else "unrated"
        return ["netlab", f"chapter::{self.chapter}", f"difficulty::{level}",
                *(f"topic::{tag}" for tag in self.tags)]


MODEL = genanki.Model(MODEL_ID, "netlab interview question", fields=[{"name": f} for f in FIELDS],
                      templates=[{"name": "Question", "qfmt": FRONT, "afmt": BACK}], css=CSS)


def write_apkg(notes: list[Note], path: Path) -> None:
    """Write every note into one deck at ``path`` (an .apkg file)."""
    deck = genanki.Deck(DECK_ID, DECK_NAME)
    for note in notes:
        deck.add_note(genanki.Note(
            model=MODEL, fields=[note.id, html.escape(note.ko), html.escape(note.en),
                                 note.answer_html, html.escape(note.source)],
            tags=note.anki_tags, guid=note.guid))
    genanki.Package(deck).write_to_file(str(path), timestamp=EDITION_TIMESTAMP)


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def write_tsv(notes: list[Note], path: Path) -> None:
    """Write the notes as tab-separated plain text with Anki's import headers."""
    columns = ["GUID", "Id", "Chapter", "Difficulty", "Tags", "Korean", "English", "Answer",
               "Source"]
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("#separator:tab\n#html:false\n#guid column:1\n#tags column:5\n")
        out.write("#columns:" + "\t".join(columns) + "\n")
        writer = csv.writer(out, delimiter="\t", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        for n in notes:
            writer.writerow([n.guid, n.id, n.chapter, n.difficulty or "", " ".join(n.anki_tags),
                             _plain(n.ko), _plain(n.en), _plain(n.answer_text), _plain(n.source)])
