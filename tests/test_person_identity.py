"""One person, one node: spellings of a transliterated given name, and a one-word name
beside the fuller name of the same article."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg import pipeline
from kg.facts import Document, Entity, Event, Evidence, Extraction, Span
from kg.resolve import given_name, merge_name_parts, slug
from kg.store import KGStore

ARTICLES = {"one": "Sergei Volkov opened the session.", "two": "Sergey Volkov closed it.",
            "three": "Aleksandr Volkov and Dmitrii Volkov spoke."}
PERSONS = {"one": ["Sergei Volkov"], "two": ["Sergey Volkov"],
           "three": ["Aleksandr Volkov", "Dmitrii Volkov"]}


class PersonsExtractor:
    """Finds the persons listed for each article, nothing else."""

    version = "persons-1"

    def pipe(self, documents, *, batch_size: int = 16, n_process: int = 1):
        for document in documents:
            yield self.extract(document)

    def extract(self, document: Document) -> Extraction:
        extraction = Extraction(document=document, fingerprint=document.fingerprint(self.version))
        for name in PERSONS[Path(document.source).stem]:
            start = document.text.index(name)
            extraction.entities[slug(name)] = Entity(
                slug(name), "person", name, mentions=[Span(start, start + len(name))])
        return extraction


@pytest.mark.parametrize(("word", "folded"), [
    ("Sergei", "Sergey"), ("Sergej", "Sergey"), ("Sergey", "Sergey"), ("Nikolai", "Nikolay"),
    ("Dmitriy", "Dmitry"), ("Dmitrii", "Dmitry"), ("Aleksandr", "Alexander"),
    ("Alexandr", "Alexander"), ("Aleksei", "Alexey"), ("Maksim", "Maxim"),
    ("Ali", "Ali"), ("Kai", "Kai"), ("Imangali", "Imangali"), ("Anna", "Anna"), ("S.", "S."),
])
def test_a_given_name_has_one_spelling(word: str, folded: str) -> None:
    assert given_name(word) == folded


def persons(store: Path) -> set[tuple[str, str, str]]:
    sparql = """SELECT ?p ?l ?a WHERE { ?p a <http://schema.org/Person> ;
      <http://www.w3.org/2000/01/rdf-schema#label> ?l .
      OPTIONAL { ?p <http://www.w3.org/2004/02/skos/core#altLabel> ?a } }"""
    with KGStore(store, read_only=True) as kg:
        return {(r["p"].value, r["l"].value, r["a"].value if r["a"] else "")
                for r in kg.query(sparql)}


def ingest(paths: list[Path], store: Path) -> None:
    for path in paths:
        assert pipeline.ingest([str(path)], store, extractor=PersonsExtractor()).ok


def test_two_spellings_are_one_person_in_either_order(tmp_path: Path) -> None:
    paths = []
    for name, text in ARTICLES.items():
        paths.append(tmp_path / f"{name}.txt")
        paths[-1].write_text(text + "\n", encoding="utf-8")
    ingest(paths, tmp_path / "forward")
    ingest(paths[::-1], tmp_path / "backward")
    forward = persons(tmp_path / "forward")
    assert forward == persons(tmp_path / "backward")
    base = "https://w3id.org/newskg/id/person/"
    assert forward == {
        (base + "sergey-volkov", "Sergey Volkov", "Sergei Volkov"),
        (base + "alexander-volkov", "Alexander Volkov", "Aleksandr Volkov"),
        (base + "dmitry-volkov", "Dmitry Volkov", "Dmitrii Volkov"),
    }


def person(key: str, name: str, start: int) -> Entity:
    return Entity(key, "person", name, mentions=[Span(start, start + len(name))])


def test_a_one_word_person_is_the_one_fuller_person_of_the_article_it_is_part_of() -> None:
    document = Document("x.txt", "file:///x.txt", "Xi Jinping met Ilham Aliyev. Xi said...")
    extraction = Extraction(document=document, entities={
        "xi-jinping": person("xi-jinping", "Xi Jinping", 0),
        "ilham-aliyev": person("ilham-aliyev", "Ilham Aliyev", 15),
        "xi": person("xi", "Xi", 29),
    })
    extraction.events.append(Event("Meeting", Evidence(Span(0, 28), "test", 0.8),
                                   participants=["xi", "xi-jinping", "ilham-aliyev"]))
    merged = merge_name_parts(extraction)
    assert set(merged.entities) == {"xi-jinping", "ilham-aliyev"}
    assert merged.entities["xi-jinping"].aliases == {"Xi"}
    assert len(merged.entities["xi-jinping"].mentions) == 2
    assert merged.events[0].participants == ["xi-jinping", "ilham-aliyev"]
    assert "xi" in extraction.entities  # the extraction itself is left as it was


def test_a_word_two_fuller_names_share_stays_its_own_person() -> None:
    document = Document("x.txt", "file:///x.txt", "Ilham Aliyev, Heydar Aliyev. Aliyev")
    extraction = Extraction(document=document, entities={
        "ilham-aliyev": person("ilham-aliyev", "Ilham Aliyev", 0),
        "heydar-aliyev": person("heydar-aliyev", "Heydar Aliyev", 14),
        "aliyev": person("aliyev", "Aliyev", 29),
    })
    assert set(merge_name_parts(extraction).entities) == set(extraction.entities)


@pytest.mark.parametrize("short", ["R. Tamm", "R.Tamm", "R.K. Tamm"])
def test_an_initialed_person_is_the_fuller_person_with_that_initial(short: str) -> None:
    text = f"Riho Tamm met Ilona Tamm and Kaspar Tamm. {short} said..."
    document = Document("x.txt", "file:///x.txt", text)
    extraction = Extraction(document=document, entities={
        "riho-tamm": person("riho-tamm", "Riho Tamm", 0),
        "ilona-tamm": person("ilona-tamm", "Ilona Tamm", 14),
        "kaspar-tamm": person("kaspar-tamm", "Kaspar Tamm", 29),
        "short": person("short", short, text.index(short)),
    })
    merged = merge_name_parts(extraction)
    assert set(merged.entities) == {"riho-tamm", "ilona-tamm", "kaspar-tamm"}
    assert merged.entities["riho-tamm"].aliases == {short}


def test_an_initialed_person_two_fuller_names_fit_or_none_fits_stays_its_own() -> None:
    text = "Riho Tamm met Rein Tamm. R. Tamm said... P. Tamm added..."
    document = Document("x.txt", "file:///x.txt", text)
    extraction = Extraction(document=document, entities={
        "riho-tamm": person("riho-tamm", "Riho Tamm", 0),
        "rein-tamm": person("rein-tamm", "Rein Tamm", 14),
        "r-tamm": person("r-tamm", "R. Tamm", 25),
        "p-tamm": person("p-tamm", "P. Tamm", text.index("P. Tamm")),
    })
    assert set(merge_name_parts(extraction).entities) == set(extraction.entities)
