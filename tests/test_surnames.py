"""A name given alone linked across articles to the one person other articles name in full
in a related context (kg/surnames.py, KGStore._with_links): in any ingest order, after
re-ingesting and removing, and left alone when two persons could be meant."""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path

import pytest
from conftest import OxigraphServer, random_history, read_quads, rows, run_kg
from consistency import check

from kg import pipeline
from kg.facts import Document, Entity, Evidence, Extraction, Membership, Span
from kg.resolve import name_key, name_words, short_name, slug
from kg.vocab import CURATION_GRAPH, KGO

# Fictional people and bodies. Each article: its text, and the posts it reports as
# (person, role, body); the names it mentions are those of NAMES found in the text.
NAMES = {
    "Sergey Volkov": "person", "Ilya Volkov": "person", "Anton Volkov": "person",
    "S. Volkov": "person", "Volkov": "person", "Marta Lind": "person",
    "Treaty Council": "organization", "River Club": "organization", "Lakeside": "place",
}
ARTICLES = {
    "full": ("Sergey Volkov, Secretary General of the Treaty Council, opened the talks.",
             [("Sergey Volkov", "Secretary General", "Treaty Council")]),
    "alone": ("Secretary General of the Treaty Council Volkov spoke with Marta Lind.",
              [("Volkov", "Secretary General", "Treaty Council")]),
    "initial": ("S. Volkov of the Treaty Council wrote to Marta Lind.", []),
    "coach": ("Anton Volkov, coach of the River Club, won in Lakeside.",
              [("Anton Volkov", "coach", "River Club")]),
    "rival": ("Ilya Volkov, Deputy of the Treaty Council, answered.",
              [("Ilya Volkov", "Deputy", "Treaty Council")]),
}
BASE = "https://w3id.org/newskg/id/person/"


class TableExtractor:
    """Finds the names of ``NAMES`` (longest first, never inside a longer one found)
    and the posts ``ARTICLES`` lists for the article."""

    version = "table-1"

    def pipe(self, documents, *, batch_size: int = 16, n_process: int = 1):
        for document in documents:
            yield self.extract(document)

    def extract(self, document: Document) -> Extraction:
        text, posts = ARTICLES[Path(document.source).stem]
        extraction = Extraction(document=document, fingerprint=document.fingerprint(self.version))
        taken: list[Span] = []
        for name in sorted(NAMES, key=len, reverse=True):
            spans = [Span(m.start(), m.end()) for m in re.finditer(rf"\b{re.escape(name)}\b", text)
                     if not any(t.start <= m.start() < t.end for t in taken)]
            if spans:
                taken += spans
                extraction.entities[slug(name)] = Entity(slug(name), NAMES[name], name,
                                                         mentions=spans)
        for person, role, body in posts:
            extraction.memberships.append(Membership(
                slug(person), role, slug(body), Evidence(Span(0, len(text)), "test-post", 0.9)))
        return extraction


def write(folder: Path, names) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        paths.append(folder / f"{name}.txt")
        paths[-1].write_text(ARTICLES[name][0] + "\n", encoding="utf-8")
    return paths


def ingest(paths: list[Path], store: Path | str) -> None:
    assert pipeline.ingest([str(p) for p in paths], store, extractor=TableExtractor()).ok


def persons(store: Path) -> dict[str, set[str]]:
    """Each person of the merged graph -> its labels and other names."""
    found: dict[str, set[str]] = {}
    for person, label in rows(store, "SELECT ?p ?l WHERE { ?p a schema:Person ;"
                                     " rdfs:label|skos:altLabel ?l }"):
        found.setdefault(person.removeprefix(BASE), set()).add(label)
    return found


def holders(store: Path) -> set[tuple[str, str, int]]:
    """(person, role, number of articles reporting it) of every post."""
    return {(p.removeprefix(BASE), role, int(n)) for p, role, n in rows(
        store, "SELECT ?p ?role (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?m org:member ?p ;"
               " org:role/rdfs:label ?role } } GROUP BY ?p ?role")}


def test_name_words_are_the_first_and_last_words_of_a_full_name() -> None:
    assert name_words("Sergey Volkov") == {"sergey", "volkov"}
    assert name_words("Xi Jinping") == {"xi", "jinping"}
    assert name_words("Kassym-Jomart Tokáyev") == {"kassym-jomart", "tokayev"}
    assert name_words("Volkov") == set() and name_words("S.V. Volkov") == set()
    assert short_name("S.V. Volkov") == ("S", "Volkov") and name_key("Tokáyev") == "tokayev"


@pytest.mark.parametrize("order", list(itertools.permutations(["full", "alone", "coach"])))
def test_a_surname_alone_is_the_one_person_named_in_full_in_a_related_context(
        tmp_path: Path, order: tuple[str, ...]) -> None:
    """"Volkov" of the Treaty Council is Sergey Volkov (the Treaty Council's), not Andrei
    Volkov (the River Club's): one node, one post reported by two articles."""
    store = tmp_path / "store"
    for path in write(tmp_path / "news", order):
        ingest([path], store)
    assert persons(store) == {"sergey-volkov": {"Sergey Volkov", "Volkov"},
                              "anton-volkov": {"Anton Volkov"}, "marta-lind": {"Marta Lind"}}
    assert holders(store) == {("sergey-volkov", "Secretary General", 2),
                              ("anton-volkov", "coach", 1)}
    assert check(store) == {"partial": [], "extra": [], "missing": []}
    fresh = tmp_path / "fresh"
    ingest(write(tmp_path / "news", ["full", "alone", "coach"]), fresh)
    assert read_quads(store) == read_quads(fresh)


def test_the_article_keeps_what_it_was_written_with(tmp_path: Path) -> None:
    store = tmp_path / "store"
    ingest(write(tmp_path / "news", ["full", "alone"]), store)
    [(record,)] = rows(store, "SELECT ?r WHERE { GRAPH ?g { ?a kgo:unlinked ?r } }")
    assert f"<{BASE}volkov>" in record and f"<{BASE}sergey-volkov>" not in record
    # the record and the word the article names him alone by stay in its graph
    assert not rows(store, "SELECT ?s WHERE { ?s kgo:unlinked|kgo:nameAlone ?o }")
    assert sorted(rows(store, f"SELECT ?w WHERE {{ <{BASE}sergey-volkov> kgo:nameWord ?w }}")
                  ) == [("sergey",), ("volkov",)]
    [(word,)] = rows(store, "SELECT ?w WHERE { GRAPH ?g { ?a kgo:nameAlone ?w } }")
    assert word == "volkov"


def test_two_persons_in_the_context_leave_the_name_alone(tmp_path: Path) -> None:
    """Ilya Volkov is of the Treaty Council too: "Volkov" could be either, so it stays a
    person of its own, until the article naming Ilya Volkov is removed."""
    store = tmp_path / "store"
    paths = write(tmp_path / "news", ["full", "alone", "rival"])
    ingest(paths, store)
    assert persons(store)["volkov"] == {"Volkov"}
    assert ("volkov", "Secretary General", 1) in holders(store)
    pipeline.remove([str(paths[2])], store)
    assert "volkov" not in persons(store)
    assert ("sergey-volkov", "Secretary General", 2) in holders(store)
    pipeline.remove([str(paths[0])], store)  # no one of that name known: its own again
    assert persons(store)["volkov"] == {"Volkov"}
    assert check(store) == {"partial": [], "extra": [], "missing": []}


def test_an_initial_must_fit_the_given_name(tmp_path: Path) -> None:
    store = tmp_path / "store"
    ingest(write(tmp_path / "news", ["initial", "full", "rival"]), store)
    # "S. Volkov" of the Treaty Council: Sergey, not Ilya, though both are of the Council
    assert persons(store)["sergey-volkov"] == {"Sergey Volkov", "S. Volkov"}
    assert "s-volkov" not in persons(store)


def test_a_name_alone_beside_a_full_name_of_that_word_is_not_linked_elsewhere(
        tmp_path: Path) -> None:
    """The article names Ilya Volkov itself: a "Volkov" left beside him unmerged is not
    for the store to give to Sergey Volkov."""
    ARTICLES["both"] = ("Volkov met Ilya Volkov of the Treaty Council.", [])
    try:
        store = tmp_path / "store"
        ingest(write(tmp_path / "news", ["full", "both"]), store)
        assert not rows(store, "SELECT ?r WHERE { GRAPH ?g { ?a kgo:unlinked ?r } }")
    finally:
        del ARTICLES["both"]


def test_any_history_of_ingests_and_removals_gives_the_fresh_store(tmp_path: Path) -> None:
    paths = write(tmp_path / "news", list(ARTICLES))
    for seed in range(3):
        store = tmp_path / f"store{seed}"
        held = random_history(paths, store, random.Random(seed), ingest)
        fresh = tmp_path / f"fresh{seed}"
        ingest(held, fresh)
        assert read_quads(store) == read_quads(fresh)
        assert check(store) == {"partial": [], "extra": [], "missing": []}


def test_a_curation_applied_again_keeps_the_links(tmp_path: Path) -> None:
    store, curation = tmp_path / "store", tmp_path / "curation.txt"
    curation.write_text('reject "Marta Lind" person\n', encoding="utf-8")
    paths = write(tmp_path / "news", ["full", "alone"])
    assert pipeline.ingest([str(p) for p in paths], store, extractor=TableExtractor(),
                           curation_file=curation).ok
    assert persons(store) == {"sergey-volkov": {"Sergey Volkov", "Volkov"}}
    curation.write_text("", encoding="utf-8")
    applied = pipeline.curate_apply(store, curation_file=curation)
    assert applied.articles == 1  # the article naming Marta Lind, not the linked one
    assert persons(store) == {"sergey-volkov": {"Sergey Volkov", "Volkov"},
                              "marta-lind": {"Marta Lind"}}
    fresh = tmp_path / "fresh"
    ingest(paths, fresh)
    own = f"<{CURATION_GRAPH}>"  # the empty file's digest is all its graph holds
    assert {q for q in read_quads(store) if not q.startswith(own)
            and not q.endswith(own + " .")} == read_quads(fresh)


def test_a_remote_store_links_as_the_embedded_one(tmp_path: Path) -> None:
    """Through ``oxigraph serve``: the same quads after ingests that link, unlink (a second
    Volkov of the Council) and link again (he is removed)."""
    server = OxigraphServer(tmp_path / "oxigraph")
    try:
        paths = write(tmp_path / "news", ["alone", "coach", "full", "rival"])
        stores = [tmp_path / "local", server.url]
        for store in stores:
            ingest(paths[:3], store)
        assert export(stores[0]) == export(stores[1])
        assert any(RECORD in q for q in export(stores[1]))
        for store in stores:
            ingest(paths[3:], store)
        assert export(stores[0]) == export(stores[1])
        assert not any(RECORD in q for q in export(stores[1]))
        for store in stores:
            pipeline.remove([str(paths[3])], store)
        assert export(stores[0]) == export(stores[1])
        assert any(RECORD in q for q in export(stores[1]))
    finally:
        server.stop()


RECORD = f" <{KGO.unlinked}> "  # as a predicate: an article with a name linked


def export(store: Path | str) -> set[str]:
    result = run_kg("export", "--store", str(store), "--format", "nquads")
    assert result.exit_code == 0, result.stderr
    return set(result.stdout.splitlines())


def test_a_bulk_load_links_as_article_by_article_ingest(tmp_path: Path) -> None:
    paths = write(tmp_path / "news", ["alone", "initial", "coach", "full"])
    bulk, each = tmp_path / "bulk", tmp_path / "each"
    assert pipeline.ingest([str(p) for p in paths], bulk, extractor=TableExtractor(),
                           bulk=True).ok
    for path in paths:
        ingest([path], each)
    assert read_quads(bulk) == read_quads(each)
    assert persons(bulk)["sergey-volkov"] == {"Sergey Volkov", "Volkov", "S. Volkov"}
