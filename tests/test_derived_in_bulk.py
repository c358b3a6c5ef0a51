"""Everything derived (posts' intervals, gatherings, holders of unnamed posts) is the same
whichever way the articles came in: one transaction per article, a bulk load into an
empty store (derived while staging), a bulk load into a store holding some of them
(derived for what the new articles touch), or a history of ingests and removals; and the
interval rule, now Python, gives the triples the SPARQL update it replaced gave.

Random corpora (seeded) of articles with posts, former posts, undated articles, meetings
and posts named without their holder, through the real pipeline (conftest's keyword
extractor, plus "former") on real on-disk stores.
"""

from __future__ import annotations

import random
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import news_record, random_history, read_quads, rows, write_jsonl
from test_posts_over_time import FormerAwareExtractor

from kg import derive, pipeline
from kg.errors import StoreError
from kg.store import KGStore
from kg.vocab import DERIVED_GRAPH, KGO, ORG, TIME

PEOPLE = ("Anna Berg", "Tomas Reyes", "Lina Okafor")
ROLES = ("Secretary General", "Chair")
BODIES = ("Council of Lakes", "Harbour Union")
PLACES = ("Lakeside", "Port Amber")
DAYS = ("2024-01-10", "2024-01-11", "2024-03-01", "2024-03-02", "2024-06-01", "2024-10-01")


def corpus(seed: int, count: int) -> dict[str, dict]:
    """``count`` articles of one to three sentences each, a sixth of them undated."""
    rng = random.Random(seed)
    records = {}
    for i in range(count):
        lines = []
        for _ in range(rng.randint(1, 3)):
            person, other = rng.sample(PEOPLE, 2)
            role, body = rng.choice(ROLES), rng.choice(BODIES)
            lines.append(rng.choice((
                f"{person}, {role} of the {body}, spoke.",
                f"{person}, former {role} of the {body}, wrote a book.",
                f"{person} met {other} in {rng.choice(PLACES)} on {rng.choice(DAYS)}.",
                f"The {body} {role} said the dams held.")))
        records[f"n{i:02d}"] = news_record(f"n{i:02d}", rng.choice((*DAYS, None)),
                                           "\n".join(lines))
    return records


@pytest.fixture
def extractor(monkeypatch: pytest.MonkeyPatch) -> FormerAwareExtractor:
    chosen = FormerAwareExtractor()
    monkeypatch.setattr("kg.pipeline.Extractor", lambda model=None: chosen)
    return chosen


def ingest(paths: list[Path], store: Path, *, bulk: bool = False) -> pipeline.IngestReport:
    report = pipeline.ingest([str(p) for p in paths], store, bulk=bulk)
    assert not report.failed, report.failed
    return report


def derived(store: Path) -> list[tuple[str, ...]]:
    return rows(store, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{DERIVED_GRAPH}> {{ ?s ?p ?o }} }}")


def assert_derives_everything(store: Path) -> None:
    """The corpus is one where each derivation has something to do (else a comparison of
    stores would say little)."""
    for what in (f"?i <{KGO.endedBefore}> ?d", f"?b <{TIME.inXSDDate}> ?d",
                 f"?r <{KGO.gathering}> ?g", f"?h <{KGO.holder}> ?p"):
        assert rows(store, f"SELECT * WHERE {{ GRAPH <{DERIVED_GRAPH}> {{ {what} }} }}"), what


@pytest.mark.parametrize("seed", [1, 2])
def test_a_bulk_load_into_an_empty_store_gives_every_quad_of_an_ingest(
        extractor: FormerAwareExtractor, tmp_path: Path, seed: int) -> None:
    records = corpus(seed, 30)
    paths = write_jsonl(tmp_path / "in", records, tuple(records))
    ingest(paths, tmp_path / "each")
    assert_derives_everything(tmp_path / "each")
    assert ingest(paths, tmp_path / "bulk", bulk=True).stored == 30
    assert read_quads(tmp_path / "bulk") == read_quads(tmp_path / "each")


@pytest.mark.parametrize(("held_by", "wide"), [("each", False), ("bulk", False), ("bulk", True)])
def test_a_bulk_load_into_a_store_holding_articles_gives_every_quad_of_an_ingest(
        extractor: FormerAwareExtractor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        held_by: str, wide: bool) -> None:
    """The new articles share posts, meetings and posts named without their holder with
    those held (the corpus has a few of each), so what they touch is recomputed. ``wide``:
    the reports near the new ones are picked out of every report, as for many new ones."""
    if wide:
        monkeypatch.setattr(derive, "WIDE", 0)
    records = corpus(3, 40)
    paths = write_jsonl(tmp_path / "in", records, tuple(records))
    ingest(paths, tmp_path / "each")
    assert_derives_everything(tmp_path / "each")
    store = tmp_path / "store"
    ingest(paths[:15], store, bulk=held_by == "bulk")
    before = derived(store)
    report = ingest(paths, store, bulk=True)
    assert (report.stored, report.skipped) == (25, 15)
    assert derived(store) != before
    assert read_quads(store) == read_quads(tmp_path / "each")


# The SPARQL update that computed every post's interval before the rule moved to Python
# (kg/store.py's _rederive(None), as it was): the reference the Python rule is checked on.
OLD_RULE_INTERVAL = (
    f"?m <{ORG.memberDuring}> ?i . ?i a <{TIME.Interval}> ; <{TIME.hasBeginning}> ?b ;"
    f" <{TIME.hasEnd}> ?e ; <{KGO.endedBefore}> ?ended ."
    f" ?b a <{TIME.Instant}> ; <{TIME.inXSDDate}> ?first ."
    f" ?e a <{TIME.Instant}> ; <{TIME.inXSDDate}> ?last ."
)
OLD_RULE = (
    f"DELETE {{ GRAPH <{DERIVED_GRAPH}> {{ ?s ?p ?o }} ?s ?p ?o }}\n"
    f"WHERE {{ GRAPH <{DERIVED_GRAPH}> {{ ?s ?p ?o }} }} ;\n"
    f"INSERT {{ GRAPH <{DERIVED_GRAPH}> {{ {OLD_RULE_INTERVAL} }}\n  {OLD_RULE_INTERVAL} }}\n"
    f"WHERE {{\n"
    f"  {{ SELECT DISTINCT ?m WHERE {{ ?m a <{ORG.Membership}> }} }}\n"
    f"  OPTIONAL {{ SELECT ?m (MIN(?d) AS ?first) (MAX(?d) AS ?last)\n"
    f"    WHERE {{ ?m a <{ORG.Membership}> ; <{KGO.attestedOn}> ?d }} GROUP BY ?m }}\n"
    f"  OPTIONAL {{ SELECT ?m (MIN(?x) AS ?ended) WHERE {{\n"
    f"    ?m a <{ORG.Membership}> ; <{KGO.endedBefore}> ?x .\n"
    f"    FILTER NOT EXISTS {{ ?m <{KGO.attestedOn}> ?later FILTER(?later >= ?x) }}\n"
    f"  }} GROUP BY ?m }}\n"
    f"  FILTER(BOUND(?first) || BOUND(?ended))\n"
    f"  BIND(IRI(CONCAT(STR(?m), \"/during\")) AS ?i)\n"
    f"  BIND(IF(BOUND(?first), IRI(CONCAT(STR(?m), \"/during/beginning\")), ?unbound) AS ?b)\n"
    f"  BIND(IF(BOUND(?last), IRI(CONCAT(STR(?m), \"/during/end\")), ?unbound) AS ?e)\n"
    f"}}"
)


def intervals_by_the_old_rule(store: Path, copy: Path) -> set[str]:
    """The derived graph the old SPARQL rule gives for the articles of ``store`` (run on an
    on-disk copy of it: the rule empties the derived graph, then writes intervals only)."""
    old = ox.Store(str(copy))
    old.load(ox.Store.read_only(str(store)).dump(format=ox.RdfFormat.N_QUADS),
             format=ox.RdfFormat.N_QUADS)
    old.update(OLD_RULE)
    lines = {f"{q.subject} {q.predicate} {q.object} ."
             for q in old.quads_for_pattern(None, None, None, ox.NamedNode(DERIVED_GRAPH))}
    del old
    return lines


def intervals_now(store: Path) -> set[str]:
    """The interval triples of the store's derived graph."""
    found = ox.Store.read_only(str(store))
    return {f"{q.subject} {q.predicate} {q.object} ."
            for q in found.quads_for_pattern(None, None, None, ox.NamedNode(DERIVED_GRAPH))
            if q.predicate.value == ORG.memberDuring or "/during" in q.subject.value}


@pytest.mark.parametrize("seed", [4, 5, 6])
def test_the_python_interval_rule_gives_what_the_sparql_rule_gave(
        extractor: FormerAwareExtractor, tmp_path: Path, seed: int) -> None:
    """After a random history of ingests and removals (each write recomputing the
    intervals it touches), and after a bulk load: the same intervals as the old rule
    computing every one from the article graphs, on corpora holding undated articles,
    former posts, and former dates before and after a post's last attestation."""
    records = corpus(seed, 16)
    # held and called former on the same day, its last: no end after the attestations
    records["held"] = news_record("held", "2024-12-31", "Lina Okafor, Chair of the Harbour "
                                  "Union, spoke.")
    records["former"] = news_record("former", "2024-12-31", "Lina Okafor, former Chair of "
                                    "the Harbour Union, wrote a book.")
    paths = write_jsonl(tmp_path / "in", records, tuple(records))
    store = tmp_path / "store"
    random_history(paths, store, random.Random(seed), ingest)
    ingest(paths, store)
    wanted = intervals_by_the_old_rule(store, tmp_path / "old")
    assert intervals_now(store) == wanted
    ingest(paths, tmp_path / "bulk", bulk=True)
    assert intervals_now(tmp_path / "bulk") == wanted
    # the cases named above are all there
    former = rows(store, f"""SELECT ?m WHERE {{ ?m <{KGO.endedBefore}> ?x ;
        <{ORG.memberDuring}>/<{TIME.hasEnd}>/<{TIME.inXSDDate}> ?last FILTER(?x < ?last) }}""")
    ended = rows(store, f"SELECT ?i WHERE {{ ?i <{KGO.endedBefore}> ?x ; a <{TIME.Interval}> }}")
    undated = [r for r in records.values() if "date" not in r]
    assert former and ended and undated


def test_derived_triples_staged_for_an_empty_store_are_not_loaded_into_another(
        extractor: FormerAwareExtractor, tmp_path: Path) -> None:
    """A first load's staged derivation holds only its own articles: into a store that
    holds articles it would be wrong, so the load refuses before writing anything."""
    records = corpus(7, 6)
    paths = write_jsonl(tmp_path / "in", records, tuple(records))
    store = tmp_path / "store"
    ingest(paths[:1], store)
    staged = pipeline._Staged(store, first=True)
    for path in paths[1:]:
        for article in pipeline.extract(str(path)).articles:
            staged.add(article.graph, article.triples)
    before = read_quads(store)
    with KGStore(store) as opened, pytest.raises(StoreError):
        staged.load_into(opened)
    staged.remove()
    assert read_quads(store) == before
