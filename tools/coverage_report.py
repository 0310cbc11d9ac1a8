"""Print what ``chapters/coverage.yml`` accounts for, and what the chapters still owe.

    .venv/bin/python tools/coverage_report.py             counts, then unanswered questions by chapter
    .venv/bin/python tools/coverage_report.py --counts    counts only
    .venv/bin/python tools/coverage_report.py --markdown  the unanswered list as Markdown

The counts are questions gathered, in scope (answered + unanswered), answered, unanswered and
out of scope, overall and by topic. Each unanswered question names, in its reason, the
chapter that should answer it ("chapter N: what is missing").
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import coverage_file as cov  # noqa: E402 (after the path is set)


def chapter_titles() -> dict[int, str]:
    """Chapter number -> title, read from each chapter's first heading."""
    titles = {9: "What happens when you type a URL, and DNS (not written yet)"}
    for path in sorted((ROOT / "chapters").glob("[0-9][0-9]-*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                number, _, title = line[2:].partition(". ")
                titles[int(number)] = title
                break
    return titles


def unanswered_text(markdown: bool) -> str:
    """The unanswered in-scope questions grouped by chapter, as text or Markdown."""
    titles = chapter_titles()
    lines: list[str] = []
    for number, group in cov.unanswered_by_chapter(cov.load()).items():
        heading = f"Chapter {number}. {titles.get(number, '')}".rstrip() + f" ({len(group)})"
        lines += [f"## {heading}" if markdown else heading, ""]
        for entry in group:
            gap = entry["reason"].partition(": ")[2]
            if markdown:
                lines.append(f"- `{entry['id']}`: {entry['en']}  \n  *Missing:* {gap}")
            else:
                lines += [f"  {entry['id']}: {entry['en']}", f"      missing: {gap}"]
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    """Print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", action="store_true", help="print the counts only")
    parser.add_argument("--markdown", action="store_true", help="print the unanswered list as Markdown")
    args = parser.parse_args()
    entries = cov.load()
    problems = cov.schema_problems(entries, cov.question_ids() | cov.section_labels())
    if problems:
        sys.exit("chapters/coverage.yml does not check:\n" + "\n".join(problems))
    if not args.markdown:
        print(cov.summary(entries))
    if not args.counts:
        print("" if args.markdown else "\nUnanswered questions, by the chapter that should answer them\n")
        print(unanswered_text(args.markdown))


if __name__ == "__main__":
    main()
