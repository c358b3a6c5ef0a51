"""Unnamed posts resolved by date (issue 9): "the Secretary General of the Council of
Lakes said" in an article naming no holder is a ``kgo:PostReference``; the store links it
to the person the graph knows held the post on the article's date (a derived
``kgo:HolderResolution`` with a lower confidence and its rule), and keeps that link right
whatever the order of ingests and after removals.

The articles are written here; conftest's keyword extractor gives the named posts, the
post references are found by ``kg.extract.unnamed`` on its entities, through the real ingest into
a real on-disk store.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import (
    KeywordExtractor,
    news_record,
    random_history,
    read_quads,
    rows,
    run_kg,
    write_jsonl,
)

from kg import pipeline
from kg.explain import explain
from kg.facts import Document
from kg.mapping import to_triples
from kg.resolve import resolve
from kg.vocab import KGO

article = news_record


ANNA = "Anna Berg, Secretary General of the Council of Lakes, spoke."
ARTICLES = {
    "anna-jan": article("anna-jan", "2024-01-10", ANNA),
    "anna-jun": article("anna-jun", "2024-06-01", f"Again, {ANNA}"),
    "tomas-sep": article("tomas-sep", "2024-09-01",
                         "Tomas Reyes, Secretary General of the Council of Lakes, spoke."),
    # no holder named: whoever held the post that day
    "said-mar": article("said-mar", "2024-03-01",
                        "The Secretary General of the Council of Lakes warned of floods."),
    "said-jul": article("said-jul", "2024-07-15",
                        "The Council of Lakes Secretary General said the dams held."),
    "said-oct": article("said-oct", "2024-10-01",
                        "Rain again. The Secretary General of the Council of Lakes was worried."),
    "said-2023": article("said-2023", "2023-06-01",
                         "The Secretary General of the Council of Lakes opened the office."),
    "said-undated": article("said-undated", None,
                            "The Secretary General of the Council of Lakes sent greetings."),
}


def write(folder: Path, *names: str) -> list[Path]:
    return write_jsonl(folder, ARTICLES, names)


def ingest(paths: list[Path], store: Path) -> None:
    for path in paths:  # one write each: every write recomputes what it touches
        report = pipeline.ingest([str(path)], store)
        assert not report.failed, report.failed



HOLDERS = """
SELECT ?title ?person ?rule ?confidence ?post WHERE {
  ?r a kgo:HolderResolution ; kgo:holder/rdfs:label ?person ; kgo:extractedBy ?rule ;
     kgo:confidence ?confidence ; prov:wasDerivedFrom ?h , ?m .
  ?h a kgo:PostReference ; prov:wasDerivedFrom/nif:referenceContext/schema:headline ?title .
  ?m a org:Membership ; org:role/rdfs:label ?post ; org:member/rdfs:label ?person .
} ORDER BY ?title
"""


def holders(store: Path) -> list[tuple[str, ...]]:
    return rows(store, HOLDERS)


EXPECTED = [
    ("said-jul", "Anna Berg", "holder-last-known", "0.4", "Secretary General"),
    ("said-mar", "Anna Berg", "holder-attested-on-date", "0.6", "Secretary General"),
    # Anna is last attested in June, Tomas since September: the successor is the answer
    ("said-oct", "Tomas Reyes", "holder-last-known", "0.4", "Secretary General"),
]


@pytest.mark.parametrize("unnamed_first", [True, False])
def test_unnamed_posts_resolve_to_the_holder_on_the_date(keywords, tmp_path: Path,
                                                        unnamed_first: bool) -> None:
    named = ["anna-jan", "anna-jun", "tomas-sep"]
    unnamed = ["said-mar", "said-jul", "said-oct", "said-2023", "said-undated"]
    store = tmp_path / "store"
    ingest(write(tmp_path / "in", *(unnamed + named if unnamed_first else named + unnamed)),
           store)
    # before anyone is attested, and without a date, nobody is named
    assert holders(store) == EXPECTED
    # the same answer as the post-holder query gives on each article's date
    for title, person, rule, _, _ in holders(store):
        date = ARTICLES[title]["date"]
        result = run_kg("query", "--name", "post-holder", "--param", "role=Secretary General",
                        "--param", "org=Lakes", "--param", f"date={date}", "--format", "json",
                        "--store", str(store))
        answers = json.loads(result.stdout)["results"]["bindings"]
        assert [(b["personLabel"]["value"], b["basis"]["value"]) for b in answers] == [
            (person, "attested" if rule == "holder-attested-on-date" else "last known")]
    references = rows(store, "SELECT ?h ?c ?rule WHERE { ?h a kgo:PostReference ;"
                             " kgo:confidence ?c ; kgo:extractedBy ?rule }")
    assert len(references) == 5 and {r[1:] for r in references} == {("0.8", "post-unnamed")}
    result = run_kg("validate", "--store", str(store))
    assert result.exit_code == 0, result.stdout + result.stderr


def test_ingest_order_gives_the_same_store(keywords, tmp_path: Path) -> None:
    names = ["said-oct", "anna-jan", "said-mar", "tomas-sep", "said-jul", "anna-jun"]
    one, two = tmp_path / "one", tmp_path / "two"
    ingest(write(tmp_path / "in", *names), one)
    ingest(write(tmp_path / "in", *reversed(names)), two)
    assert read_quads(one) == read_quads(two)


def test_removing_and_reingesting_keeps_the_links_right(keywords, tmp_path: Path) -> None:
    store = tmp_path / "store"
    paths = dict(zip(ARTICLES, write(tmp_path / "in", *ARTICLES), strict=True))
    ingest(list(paths.values()), store)
    full = read_quads(store)
    assert holders(store) == EXPECTED

    # without the successor's article, Anna is the last known holder in October too
    pipeline.remove([str(paths["tomas-sep"])], store)
    assert [(r[0], r[1], r[2]) for r in holders(store)] == [
        ("said-jul", "Anna Berg", "holder-last-known"),
        ("said-mar", "Anna Berg", "holder-attested-on-date"),
        ("said-oct", "Anna Berg", "holder-last-known")]
    # without Anna's June report, July and March come after her last attestation
    pipeline.remove([str(paths["anna-jun"])], store)
    assert {r[2] for r in holders(store)} == {"holder-last-known"}
    pipeline.remove([str(paths["anna-jan"])], store)
    assert holders(store) == []

    ingest([paths["anna-jan"], paths["anna-jun"], paths["tomas-sep"]], store)
    assert read_quads(store) == full
    pipeline.ingest([str(p) for p in paths.values()], store)  # all unchanged: skipped
    assert read_quads(store) == full


def test_two_holders_on_the_date_name_nobody(keywords, tmp_path: Path) -> None:
    store = tmp_path / "store"
    ARTICLES["lina-mar"] = article(
        "lina-mar", "2024-03-01", "Lina Okafor, Secretary General of the Council of Lakes, spoke.")
    try:
        ingest(write(tmp_path / "in", "anna-jan", "anna-jun", "said-mar", "lina-mar"), store)
    finally:
        del ARTICLES["lina-mar"]
    assert holders(store) == []


def test_an_article_naming_the_holder_has_no_post_reference() -> None:
    text = ("Anna Berg, Secretary General of the Council of Lakes, arrived. Later the Secretary"
            " General of the Council of Lakes met the press. The Chair of the Harbour Union"
            " did not come. The Harbour Union Chair Tomas Reyes sent a note.")
    document = Document("t", "https://news.example.org/t", text)
    extraction = KeywordExtractor().extract(document)
    found = extraction.post_references
    # the Secretary General is Anna (named here); the Harbour Union's Chair is named by
    # the second phrase only, which the keyword extractor does not read as a post
    assert [(r.role, r.organization) for r in found] == [("Chair", "harbour-union")]
    [reference] = found
    assert text[reference.evidence.sentence.start:reference.evidence.sentence.end] == (
        "The Chair of the Harbour Union did not come.")
    triples = list(to_triples(resolve(extraction, "https://w3id.org/newskg/id/")))
    typed = [s for s, p, o in triples if o == ox.NamedNode(KGO.PostReference)]
    assert len(typed) == 1
    assert (typed[0], ox.NamedNode(KGO.referencedOrganization),
            ox.NamedNode("https://w3id.org/newskg/id/organization/harbour-union")) in triples


def test_explain_shows_a_post_named_without_its_holder() -> None:
    text = "Floods again. The Secretary General of the Council of Lakes warned the towns."
    extraction = KeywordExtractor().extract(Document("t", "https://news.example.org/t", text))
    shown = explain(extraction)
    assert "post named without its holder: Secretary General — Council of Lakes" in shown
    assert "rule post-unnamed, confidence 0.80" in shown
    assert "“The Secretary General of the Council of Lakes warned the towns.”" in shown


@pytest.mark.parametrize("seed", [1, 2])
def test_any_history_of_ingests_and_removals_ends_as_a_fresh_ingest(keywords, tmp_path: Path,
                                                                    seed: int) -> None:
    import random

    rng = random.Random(seed)
    folder = tmp_path / "in"
    folder.mkdir()
    paths = []
    for i in range(12):
        day = f"2024-{rng.randrange(1, 13):02d}-01"
        if i % 2:
            text = "The Secretary General of the Council of Lakes spoke."
        else:
            who = rng.choice(["Anna Berg", "Tomas Reyes"])
            former = "former " if rng.random() < 0.2 else ""
            text = f"{who}, {former}Secretary General of the Council of Lakes, spoke."
        paths.append(folder / f"a{i}.jsonl")
        paths[-1].write_text(json.dumps(article(f"a{i}", day, text)) + "\n", encoding="utf-8")
    store = tmp_path / "store"
    held = random_history(paths, store, rng, ingest)
    fresh = tmp_path / "fresh"
    ingest(held, fresh)
    assert read_quads(store) == read_quads(fresh)
    assert holders(fresh)  # the history had someone to name


def test_a_post_followed_by_its_holders_name_is_not_unnamed() -> None:
    text = ("The Chair of the Harbour Union, Anna Berg, opened the session. The Chair of the"
            " Harbour Union then met Tomas Reyes. The Secretary General of the Council of Lakes"
            " – Chair of the Harbour Union Lina Okafor came late. Then the Chair of the Council"
            " of Lakes (CL), Anna Berg, spoke.")
    extraction = KeywordExtractor().extract(Document("t", "https://news.example.org/t", text))
    [reference] = extraction.post_references
    assert (reference.role, reference.organization, reference.more) == (
        "Chair", "harbour-union", [])
    assert text[reference.evidence.sentence.start:reference.evidence.sentence.end] == (
        "The Chair of the Harbour Union then met Tomas Reyes.")
