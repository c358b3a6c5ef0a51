"""The rule data (kg/extract/data/*.tsv, *.jsonl): well formed, read as data, and part of
the extractor's version so that changing a pattern re-extracts on the next ingest."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from conftest import kg_process

from kg.extract import lexicon

KINDS = {
    "names.tsv": ("kind", {"honorific", "body-head", "mission-head", "title", "title-modifier",
                           "leader", "secretariat-post", "un-post", "venue-head", "venue-centre",
                           "generic"}),
    "triggers.tsv": ("flags", {"", "one-to-one", "gathering", "together", "to-body", "body-object",
                               "sequence", "ends", "again"}),
    "appointments.tsv": ("kind", {"appointed", "appoints", "became", "serves", "succeeds",
                                  "takes", "is", "leads", "chairs", "leaves"}),
    "modality.tsv": ("kind", {"cancelled", "denied", "hypothetical", "modal", "condition",
                              "occurs", "absent", "attends", "negation", "speech"}),
}


def test_every_trigger_names_a_kind_of_event() -> None:
    assert {row["event"] for row in lexicon.table("triggers.tsv")} == {"Meeting", "Visit", "-"}


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_row_has_a_known_kind(name: str) -> None:
    column, known = KINDS[name]
    rows = lexicon.table(name)
    assert len(rows) > 20
    for row in rows:
        assert set(row[column].split(",")) <= known, row


def test_every_pattern_file_has_unique_ids_and_an_example() -> None:
    for name in lexicon.RULE_FILES:
        if name.endswith(".jsonl") and lexicon.path_of(name).exists():
            entries = lexicon.patterns(name)
            assert entries, name
            assert all(e.get("example") for e in entries), name


def test_phrases_become_one_alternation_longest_first() -> None:
    pattern = re.compile(rf"\b(?:{lexicon.phrase_regex(['met', 'paid a * visit', 'meeting'])})\b")
    assert pattern.search("She paid a working visit").group(0) == "paid a working visit"
    assert pattern.search("She paid a visit").group(0) == "paid a visit"
    assert pattern.search("the meeting began").group(0) == "meeting"
    assert pattern.search("the meetings began") is None


def test_a_broken_rule_file_names_its_line(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "posts.jsonl").write_text('{"id": "a", "example": "x"}\n{"id": \n',
                                          encoding="utf-8")
    monkeypatch.setenv(lexicon.OVERRIDE, str(tmp_path))
    with pytest.raises(lexicon.ExtractionError, match=r"posts\.jsonl:2: not JSON"):
        lexicon.patterns("posts.jsonl")


def test_another_rules_folder_is_read_afresh(tmp_path: Path, monkeypatch) -> None:
    shipped, digest = lexicon.table("triggers.tsv"), lexicon.rules_digest()
    shutil.copy(lexicon.DATA / "triggers.tsv", tmp_path / "triggers.tsv")
    with (tmp_path / "triggers.tsv").open("a", encoding="utf-8") as table:
        table.write("parleyed\tMeeting\tone-to-one\n")
    monkeypatch.setenv(lexicon.OVERRIDE, str(tmp_path))
    assert len(lexicon.table("triggers.tsv")) == len(shipped) + 1
    assert lexicon.rules_digest() != digest
    monkeypatch.delenv(lexicon.OVERRIDE)
    assert lexicon.table("triggers.tsv") == shipped and lexicon.rules_digest() == digest


ARTICLE = ("Talks in Vienna\n\nVIENNA, 3 May 2024 – OSCE Secretary General Helga Schmid "
           "parleyed with UN Secretary-General Antonio Guterres in Vienna.\n")


def test_changing_a_trigger_reextracts_on_the_next_ingest(tmp_path: Path) -> None:
    article = tmp_path / "talks.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    store = tmp_path / "store"
    rules = tmp_path / "rules"
    rules.mkdir()
    shutil.copy(lexicon.DATA / "triggers.tsv", rules / "triggers.tsv")
    env = {**os.environ, lexicon.OVERRIDE: str(rules)}
    meetings = ("query", "--store", str(store), "--format", "csv",
                "SELECT (COUNT(*) AS ?n) WHERE { ?e a <https://w3id.org/newskg/ontology#Meeting> }")

    ingest = ("ingest", str(article), "--store", str(store), "--model", "blank:en")
    first = kg_process(*ingest, env=env)
    assert b"stored 1" in first.stderr + first.stdout, first
    assert kg_process(*meetings, env=env).stdout.split() == [b"n", b"0"]
    again = kg_process(*ingest, env=env)
    assert b"skipped 1" in again.stderr + again.stdout, again  # same rules: nothing to do

    with (rules / "triggers.tsv").open("a", encoding="utf-8") as table:
        table.write("parleyed\tMeeting\tone-to-one\n")
    changed = kg_process(*ingest, env=env)
    assert b"stored 1" in changed.stderr + changed.stdout, changed
    assert kg_process(*meetings, env=env).stdout.split() == [b"n", b"1"]
