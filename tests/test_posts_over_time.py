"""Posts over time (issue 9): one membership per post across articles, the time it is
attested derived in the store, `post-holder` answering "who held P of B on D?", and the
merged graph staying right whatever the order of ingests, re-ingests and removals.

Articles are written here; a keyword extractor (conftest's, plus "former") gives known
facts, and everything else is the real pipeline on a real on-disk store.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import KeywordExtractor, _sentence, news_record, read_quads, rows, run_kg, write_jsonl

from kg import pipeline
from kg.facts import Document, Evidence, Extraction, Membership
from kg.resolve import slug
from kg.store import KGStore
from kg.vocab import DERIVED_GRAPH

FORMER = re.compile(r"(?P<person>Anna Berg|Tomas Reyes|Lina Okafor), former (?P<role>Secretary"
                    r" General|Chair) of the (?P<org>Council of Lakes|Harbour Union)")


class FormerAwareExtractor(KeywordExtractor):
    """conftest's extractor, and "X, former ROLE of the ORG" as a former post."""

    version = "keywords-former-1"

    def _extract(self, document: Document) -> Extraction:
        extraction = super()._extract(document)
        for match in FORMER.finditer(document.text):
            extraction.memberships.append(Membership(
                slug(match["person"]), match["role"], slug(match["org"]),
                Evidence(_sentence(document.text, match.start()), "test-former", 0.7),
                former=True))
        return extraction


article = news_record


ANNA = "Anna Berg, Secretary General of the Council of Lakes, spoke."
TOMAS = "Tomas Reyes, Secretary General of the Council of Lakes, spoke."
ARTICLES = {
    "jan": article("jan", "2024-01-10", ANNA),
    "mar": article("mar", "2024-03-01", f"In spring {ANNA}"),
    "jun": article("jun", "2024-06-01", f"Again, {ANNA}"),
    "undated": article("undated", None, f"Undated: {ANNA}"),
    "sep": article("sep", "2024-09-01", TOMAS),
    "oct": article("oct", "2024-10-01",
                   "Anna Berg, former Secretary General of the Council of Lakes, wrote a book."),
}


def write(folder: Path, *names: str) -> list[Path]:
    return write_jsonl(folder, ARTICLES, names)


@pytest.fixture
def extractor(monkeypatch: pytest.MonkeyPatch) -> FormerAwareExtractor:
    chosen = FormerAwareExtractor()
    monkeypatch.setattr("kg.pipeline.Extractor", lambda model=None: chosen)
    return chosen


def ingest(paths: list[Path], store: Path) -> None:
    report = pipeline.ingest([str(p) for p in paths], store)
    assert not report.failed, report.failed



INTERVALS = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX time: <http://www.w3.org/2006/time#>
PREFIX kgo: <https://w3id.org/newskg/ontology#>
SELECT ?person ?from ?until ?ended WHERE {
  ?m a org:Membership ; org:member ?p .
  BIND(REPLACE(STR(?p), "^.*/", "") AS ?person)
  OPTIONAL { ?m org:memberDuring ?i .
    OPTIONAL { ?i time:hasBeginning/time:inXSDDate ?from }
    OPTIONAL { ?i time:hasEnd/time:inXSDDate ?until }
    OPTIONAL { ?i kgo:endedBefore ?ended } }
} ORDER BY ?person
"""


def intervals(store: Path) -> list[tuple[str, ...]]:
    return rows(store, INTERVALS)


def post_holder(store: Path, date: str, role: str = "Secretary General",
                org: str = "lakes") -> list[tuple[str, str, str, str]]:
    result = run_kg("query", "--name", "post-holder", "--param", f"role={role}", "--param",
                    f"org={org}", "--param", f"date={date}", "--format", "json",
                    "--store", str(store))
    assert result.exit_code == 0, result.stderr
    bindings = json.loads(result.stdout)["results"]["bindings"]
    return [(b["personLabel"]["value"], b["basis"]["value"], b["heldFrom"]["value"],
             b["heldUntil"]["value"]) for b in bindings]


# ---------------------------------------------------------------- one membership, its time


def test_one_post_reported_by_many_articles_is_one_membership_with_its_time(
        extractor: FormerAwareExtractor, tmp_path: Path) -> None:
    store = tmp_path / "store"
    ingest(write(tmp_path / "in", "mar", "undated", "jan", "jun"), store)
    memberships = rows(store, "SELECT DISTINCT ?m WHERE { ?m a org:Membership }")
    assert len(memberships) == 1
    assert intervals(store) == [("anna-berg", "2024-01-10", "2024-06-01", "")]
    # each article graph keeps its own attestation; the undated one has none
    attested = rows(store, "SELECT ?g ?d WHERE { GRAPH ?g { ?m kgo:attestedOn ?d } } ORDER BY ?d")
    assert [d for _, d in attested] == ["2024-01-10", "2024-03-01", "2024-06-01"]


def test_an_undated_report_does_not_blank_first_and_last_dates(
        extractor: FormerAwareExtractor, tmp_path: Path) -> None:
    store = tmp_path / "store"
    ingest(write(tmp_path / "in", "jan", "undated", "jun"), store)
    for name, params in [("posts-of-person", ["name=Berg"]),
                         ("officials-of-organization", ["org=Lakes"])]:
        args = [arg for p in params for arg in ("--param", p)]
        result = run_kg("query", "--name", name, *args, "--format", "json",
                        "--store", str(store))
        assert result.exit_code == 0, result.stderr
        [row] = json.loads(result.stdout)["results"]["bindings"]
        assert (row["firstReported"]["value"], row["lastReported"]["value"]) == (
            "2024-01-10", "2024-06-01"), name
        assert row["reports"]["value"] == "3", name


def test_post_holder_answers_across_articles(extractor: FormerAwareExtractor,
                                             tmp_path: Path) -> None:
    store = tmp_path / "store"
    ingest(write(tmp_path / "in", *ARTICLES), store)
    assert intervals(store) == [
        ("anna-berg", "2024-01-10", "2024-06-01", "2024-10-01"),
        ("tomas-reyes", "2024-09-01", "2024-09-01", ""),
    ]
    assert post_holder(store, "2024-02-01") == [
        ("Anna Berg", "attested", "2024-01-10", "2024-06-01")]
    # after her last report, before anyone else's: the last known holder
    assert post_holder(store, "2024-07-15") == [
        ("Anna Berg", "last known", "2024-01-10", "2024-06-01")]
    # a successor attested since: Anna is no longer the answer
    assert post_holder(store, "2024-09-01") == [
        ("Tomas Reyes", "attested", "2024-09-01", "2024-09-01")]
    assert post_holder(store, "2025-01-01") == [
        ("Tomas Reyes", "last known", "2024-09-01", "2024-09-01")]
    assert post_holder(store, "2023-12-31") == []
    assert post_holder(store, "2024-02-01", role="Chair") == []
    assert post_holder(store, "2024-02-01", org="Harbour") == []


def test_former_alone_ends_the_last_known_holding(extractor: FormerAwareExtractor,
                                                  tmp_path: Path) -> None:
    store = tmp_path / "store"
    ingest(write(tmp_path / "in", "jan", "oct"), store)
    assert intervals(store) == [("anna-berg", "2024-01-10", "2024-01-10", "2024-10-01")]
    assert [r[1] for r in post_holder(store, "2024-09-30")] == ["last known"]
    assert post_holder(store, "2024-10-01") == []


def test_a_post_holder_date_must_be_a_date(extractor: FormerAwareExtractor,
                                           tmp_path: Path) -> None:
    store = tmp_path / "store"
    ingest(write(tmp_path / "in", "jan"), store)
    result = run_kg("query", "--name", "post-holder", "--param", "role=Chair", "--param",
                    "org=x", "--param", "date=May 2024", "--store", str(store))
    assert result.exit_code != 0 and "not a date" in result.stderr


# ---------------------------------------------------------------- order, re-ingest, remove


def test_ingest_order_does_not_matter(extractor: FormerAwareExtractor, tmp_path: Path) -> None:
    forward, backward = tmp_path / "forward", tmp_path / "backward"
    names = list(ARTICLES)
    paths = write(tmp_path / "in", *names)
    for path in paths:
        ingest([path], forward)
    for path in reversed(paths):
        ingest([path], backward)
    assert read_quads(forward) == read_quads(backward)


def test_reingesting_changes_nothing(extractor: FormerAwareExtractor, tmp_path: Path) -> None:
    store = tmp_path / "store"
    paths = write(tmp_path / "in", *ARTICLES)
    ingest(paths, store)
    before = read_quads(store)
    ingest(paths, store)  # unchanged: skipped
    assert read_quads(store) == before
    # and re-extracted (a new extractor version): replaced with the same triples
    extractor.version = "keywords-former-2"
    ingest(paths, store)
    after = read_quads(store)
    changed = {line for line in before ^ after if "contentDigest" not in line}
    assert not changed


def test_removing_an_article_undoes_its_part(extractor: FormerAwareExtractor,
                                             tmp_path: Path) -> None:
    store, without = tmp_path / "store", tmp_path / "without"
    paths = {path.stem: path for path in write(tmp_path / "in", *ARTICLES)}
    ingest(list(paths.values()), store)
    ingest([p for name, p in paths.items() if name != "jun"], without)

    pipeline.remove([str(paths["jun"])], store)
    assert read_quads(store) == read_quads(without)
    assert intervals(store)[0] == ("anna-berg", "2024-01-10", "2024-03-01", "2024-10-01")

    pipeline.remove([str(paths["oct"])], store)  # the former report goes: no end bound
    assert intervals(store)[0] == ("anna-berg", "2024-01-10", "2024-03-01", "")
    pipeline.remove([str(p) for name, p in paths.items() if name not in ("jun", "oct")], store)
    assert rows(store, "SELECT * WHERE { ?m a org:Membership }") == []
    assert rows(store, f"SELECT * WHERE {{ GRAPH <{DERIVED_GRAPH}> {{ ?s ?p ?o }} }}") == []
    assert rows(store, "SELECT * WHERE { ?s org:memberDuring|time:inXSDDate ?o }") == []


def test_an_edited_article_moves_the_interval(extractor: FormerAwareExtractor,
                                              tmp_path: Path) -> None:
    store = tmp_path / "store"
    [jun] = write(tmp_path / "in", "jun")
    [jan] = write(tmp_path / "in", "jan")
    ingest([jan, jun], store)
    record = dict(ARTICLES["jun"], date="2024-12-24")
    jun.write_text(json.dumps(record) + "\n", encoding="utf-8")
    ingest([jun], store)
    assert intervals(store) == [("anna-berg", "2024-01-10", "2024-12-24", "")]


def test_a_sparql_update_through_the_store_keeps_intervals_in_step(
        extractor: FormerAwareExtractor, tmp_path: Path) -> None:
    store = tmp_path / "store"
    ingest(write(tmp_path / "in", "jan", "jun"), store)
    with KGStore(store) as kg:
        kg.update("DELETE WHERE { GRAPH ?g { ?m <https://w3id.org/newskg/ontology#attestedOn>"
                  ' "2024-06-01"^^<http://www.w3.org/2001/XMLSchema#date> } }')
    assert intervals(store) == [("anna-berg", "2024-01-10", "2024-01-10", "")]


def test_order_reingest_and_remove_with_the_blank_pipeline(tmp_path: Path) -> None:
    """The same three properties through the real CLI and spaCy's blank pipeline."""
    examples = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.*"))
    assert len(examples) >= 3
    forward, backward, fewer = tmp_path / "forward", tmp_path / "backward", tmp_path / "fewer"

    def kg_ingest(store: Path, *paths: Path) -> None:
        result = run_kg("ingest", *map(str, paths), "--model", "blank:en", "--store", str(store))
        assert result.exit_code == 0, result.stderr

    for path in examples:
        kg_ingest(forward, path)
    for path in reversed(examples):
        kg_ingest(backward, path)
    assert read_quads(forward) == read_quads(backward)
    before = read_quads(forward)
    kg_ingest(forward, *examples)
    assert read_quads(forward) == before
    kg_ingest(fewer, *examples[1:])
    assert run_kg("remove", str(examples[0]), "--store", str(forward)).exit_code == 0
    assert read_quads(forward) == read_quads(fewer)
