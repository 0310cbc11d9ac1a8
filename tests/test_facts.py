"""Key numbers that check themselves: every facts file's schema, and every probe run here.

A probe whose fact covers this machine (its ``applies`` range holds) must agree with the
book; otherwise the test is skipped with the reason. A ``default`` fact whose setting
differs here is a local setting: reported as a skip, not a failure.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from netlab.facts import FACT_KINDS, Fact, evaluate, load_all_facts, load_facts

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "chapters" / "facts"
ALL = load_all_facts(FACTS)
BIB_KEYS = set(re.findall(r"^@\w+\{([^,\s]+),", (ROOT / "references.bib").read_text("utf-8"),
                          re.MULTILINE))


CHAPTERS = sorted((ROOT / "chapters").glob("[0-9][0-9]-*.md"))


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[p.stem for p in CHAPTERS])
def test_every_chapter_has_a_facts_file_and_renders_it(chapter: Path) -> None:
    facts = FACTS / f"{chapter.stem}.yml"
    assert facts.is_file(), f"{chapter.name} has no chapters/facts/{facts.name}"
    text = chapter.read_text("utf-8")
    assert f"{{key-numbers}} {facts.name}" in text, \
        f"{chapter.name} does not render its Key numbers from {facts.name}"


def test_every_facts_file_belongs_to_a_chapter() -> None:
    chapters = {p.stem for p in (ROOT / "chapters").glob("[0-9][0-9]-*.md")}
    for path in FACTS.glob("*.yml"):
        assert path.stem in chapters, f"{path.name} has no chapter"
        load_facts(path)


@pytest.mark.parametrize("fact", list(ALL.values()), ids=list(ALL))
def test_fact_sources_are_in_the_bibliography(fact: Fact) -> None:
    for item in (s.strip().partition(" ")[0] for s in fact.source.split(",")):
        if item.startswith("ref:"):
            continue
        assert item in BIB_KEYS, f"{fact.id}: source {item!r} is not a key of references.bib"


def test_the_schema_refuses_what_it_should(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    cases = {
        "kind must be one of": "- {id: a, what: w, value: 1, kind: rumour, scope: s, source: x}",
        "keyword belongs to kind 'rfc'": ("- {id: a, what: w, value: 1, kind: behaviour, "
                                          "keyword: MUST, scope: s, source: x}"),
        "names its setting": "- {id: a, what: w, value: 1, kind: default, scope: s, source: x}",
        "unknown component": ("- {id: a, what: w, value: 1, kind: behaviour, scope: s, "
                              "source: x, probe: 'm:f', applies: {beos: '>=1'}}"),
        "missing ['source']": "- {id: a, what: w, value: 1, kind: rfc, scope: s}",
        "not both": ("- {id: a, what: w, value: 1, kind: rfc, scope: s, "
                     "source: 'x §1, y §2', section: §3}"),
        "duplicate id": ("- {id: a, what: w, value: 1, kind: rfc, scope: s, source: x}\n"
                         "- {id: a, what: w, value: 2, kind: rfc, scope: s, source: x}"),
    }
    for message, text in cases.items():
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(ValueError, match=re.escape(message)):
            load_facts(bad)
    assert set(FACT_KINDS) >= {"rfc", "behaviour", "default"}


PROBED = sorted((f for f in ALL.values() if f.probe), key=lambda f: f.id)


@pytest.mark.parametrize("fact", PROBED, ids=[f.id for f in PROBED])
def test_probe_agrees_with_the_book(fact: Fact) -> None:
    outcome = evaluate(fact)
    if outcome.status in ("skipped", "local-setting"):
        pytest.skip(f"{fact.id}: {outcome.reason}")
    assert outcome.status == "agrees", outcome.reason


def test_a_contradicting_machine_fails_naming_the_fact() -> None:
    fact = Fact(id="lo-mtu-wrong", what="w", value=1500, kind="behaviour", scope="s",
                source="x", file="t.yml", probe="netlab.probes:interface_mtu lo")
    outcome = evaluate(fact)
    if outcome.status == "skipped":
        pytest.skip(outcome.reason)
    assert outcome.status == "contradicts" and "lo-mtu-wrong" in outcome.reason
    default = Fact(id="lo-mtu-default", what="w", value=1500, kind="default", scope="s",
                   source="x", file="t.yml", setting="lo mtu",
                   probe="netlab.probes:interface_mtu lo")
    assert evaluate(default).status == "local-setting"
    outside = Fact(id="future", what="w", value=1, kind="behaviour", scope="s", source="x",
                   file="t.yml", probe="netlab.probes:interface_mtu lo",
                   applies={"linux": ">=99"})
    assert evaluate(outside).status == "skipped"
