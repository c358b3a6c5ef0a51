"""One event, many reports (issue 9): the same gathering told by several articles is one
event in the merged graph (derived, ``kgo:gathering`` from each report), whatever the
order of ingests; re-ingesting changes nothing, removing an article undoes its part, and
the named queries that list meetings count the gathering once.

The articles are written here. Most tests read them with conftest's keyword extractor
("A met B in PLACE on DATE") through the real ingest into a real on-disk store; the
summit told by three sources in different words goes through the real spaCy pipeline.
"""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import news_record, random_history, read_quads, rows, run_kg, write_jsonl

from kg import pipeline
from kg.derive import Report, gather
from kg.store import KGStore
from kg.vocab import DERIVED_GRAPH, KGO, ORG, RDF, SCHEMA, XSD

article = news_record


ARTICLES = {
    # one meeting, three reports: two on the day, one the day after (dated a day later)
    "wire": article("wire", "2024-03-14", "Anna Berg met Tomas Reyes in Lakeside on 2024-03-14."),
    "daily": article("daily", "2024-03-15",
                     "Talks went well. Tomas Reyes met Anna Berg in Lakeside on 2024-03-14."),
    "weekly": article("weekly", "2024-03-16",
                      "In brief: Anna Berg met Tomas Reyes in Lakeside on 2024-03-15."),
    # the same two a week later: another meeting
    "later": article("later", "2024-03-21", "Anna Berg met Tomas Reyes in Lakeside on 2024-03-21."),
    # the same day somewhere else: another meeting
    "harbour": article("harbour", "2024-03-14",
                       "Anna Berg met Tomas Reyes in Port Amber on 2024-03-14."),
    # other people the same day and place: another meeting
    "others": article("others", "2024-03-14", "Lina Okafor met Anna Berg in Lakeside on 2024-03-14."
                      " Tomas Reyes met Lina Okafor in Lakeside on 2024-03-14."),
}


def write(folder: Path, *names: str) -> list[Path]:
    return write_jsonl(folder, ARTICLES, names)


def ingest(paths: list[Path], store: Path) -> None:
    report = pipeline.ingest([str(p) for p in paths], store)
    assert not report.failed, report.failed



GATHERINGS = """
SELECT ?gathering (GROUP_CONCAT(?title; separator=" ") AS ?reports) WHERE {
  { SELECT ?gathering ?title WHERE {
      ?report kgo:gathering ?gathering .
      ?report prov:wasDerivedFrom/nif:referenceContext/schema:headline ?title .
    } ORDER BY ?title }
} GROUP BY ?gathering ORDER BY ?reports
"""


def gatherings(store: Path) -> list[str]:
    """Each gathering as the headlines of its reports, sorted."""
    return [r[1] for r in rows(store, GATHERINGS)]


def derived(store: Path) -> set[str]:
    with KGStore(store, read_only=True) as kg:
        data = kg.raw.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(DERIVED_GRAPH))
    return set(data.decode("utf-8").splitlines())


def named(store: Path, query: str, /, **params: str) -> list[dict]:
    args = [arg for key, value in params.items() for arg in ("--param", f"{key}={value}")]
    result = run_kg("query", "--name", query, *args, "--format", "json", "--store", str(store))
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["results"]["bindings"]


# ---------------------------------------------------------------- one gathering


def test_three_reports_of_one_meeting_are_one_event(keywords, tmp_path: Path) -> None:
    store = tmp_path / "store"
    ingest(write(tmp_path / "in", "wire", "daily", "weekly"), store)
    assert gatherings(store) == ["daily weekly wire"]
    [(event, start, end, place, attendees, sentences, confidence, rule)] = rows(store, """
        SELECT ?g ?start ?end ?place (COUNT(DISTINCT ?who) AS ?n) (COUNT(DISTINCT ?s) AS ?e)
               ?confidence ?rule WHERE {
          ?r kgo:gathering ?g . ?g a kgo:Meeting ; schema:startDate ?start ;
             schema:attendee ?who ; prov:wasDerivedFrom ?s ; kgo:confidence ?confidence ;
             kgo:extractedBy ?rule ; schema:location/rdfs:label ?place .
          OPTIONAL { ?g schema:endDate ?end }
        } GROUP BY ?g ?start ?end ?place ?confidence ?rule""")
    assert (start, end, place, attendees, sentences, rule) == (
        "2024-03-14", "2024-03-15", "Lakeside", "2", "3", "event-same-gathering")
    assert confidence == "0.8"
    # every article graph keeps its own event, with its own evidence and no link
    per_article = rows(store, "SELECT ?g (COUNT(?e) AS ?n) WHERE { GRAPH ?g { ?e a kgo:Meeting ;"
                              f" prov:wasDerivedFrom ?s }} FILTER(?g != <{DERIVED_GRAPH}>) }}"
                              " GROUP BY ?g")
    assert sorted(n for _, n in per_article) == ["1", "1", "1"]
    assert rows(store, "SELECT ?e WHERE { GRAPH ?g { ?e kgo:gathering ?x } FILTER(?g != <"
                       + DERIVED_GRAPH + ">) }") == []
    # the named queries count the meeting once
    met = named(store, "who-met-whom", name="Berg")
    assert [(b["date"]["value"], b["otherLabel"]["value"]) for b in met] == [
        ("2024-03-14", "Tomas Reyes")]
    assert met[0]["event"]["value"] == event
    assert len(named(store, "meetings-between", a="Reyes", b="Berg")) == 1
    assert [b["event"]["value"] for b in named(store, "timeline")] == [event]
    # and its evidence lists the three sentences
    evidence = named(store, "evidence", fact=event)
    assert sorted(b["headline"]["value"] for b in evidence) == ["daily", "weekly", "wire"]
    result = run_kg("validate", "--store", str(store))
    assert result.exit_code == 0, result.stdout + result.stderr


def test_ingest_order_does_not_matter(keywords, tmp_path: Path) -> None:
    names = ["wire", "daily", "weekly", "later", "harbour"]
    dumps = []
    for n, order in enumerate(itertools.islice(itertools.permutations(names), 0, None, 29)):
        store = tmp_path / f"store-{n}"
        for name in order:  # one ingest per article: each write recomputes what it touched
            ingest(write(tmp_path / "in", name), store)
        dumps.append(read_quads(store))
    assert len(dumps) == 5
    assert all(d == dumps[0] for d in dumps[1:])


def test_reingest_changes_nothing_and_remove_undoes(keywords, tmp_path: Path) -> None:
    store = tmp_path / "store"
    paths = write(tmp_path / "in", "wire", "daily", "weekly")
    ingest(paths[:2], store)
    two = read_quads(store)
    assert gatherings(store) == ["daily wire"]
    ingest(paths[2:], store)
    three = read_quads(store)
    assert gatherings(store) == ["daily weekly wire"]

    # a changed article replaces its graph: its report leaves the gathering; changed back,
    # the store is as it was
    paths[2].write_text(json.dumps(article("weekly", "2024-03-16", "Nothing happened.")) + "\n")
    ingest(paths[2:], store)
    assert gatherings(store) == ["daily wire"]
    assert {q for q in read_quads(store) if "derived" in q} == {q for q in two if "derived" in q}
    paths[2].write_text(json.dumps(ARTICLES["weekly"]) + "\n")
    ingest(paths[2:], store)
    assert read_quads(store) == three
    pipeline.ingest([str(p) for p in paths], store)  # unchanged: skipped, nothing moves
    assert read_quads(store) == three

    assert [r.graph for r in pipeline.remove([str(paths[2])], store)]
    assert read_quads(store) == two
    pipeline.remove([str(paths[0])], store)
    assert gatherings(store) == []
    assert derived(store) == set()
    assert len(named(store, "who-met-whom", name="Berg")) == 1  # the one report left


def test_removing_the_report_a_gathering_is_named_after(keywords, tmp_path: Path) -> None:
    """The gathering's IRI comes from its first report; without it, the others gather
    under the next one, exactly as if the removed article had never been ingested."""
    paths = write(tmp_path / "in", "wire", "daily", "weekly")
    full, fresh = tmp_path / "full", tmp_path / "fresh"
    ingest(paths, full)
    [(first,)] = rows(full, "SELECT DISTINCT ?g WHERE { ?r kgo:gathering ?g }")
    [(url,)] = rows(full, f"SELECT ?u WHERE {{ GRAPH ?g {{ <{first.removesuffix('/gathering')}>"
                          " a kgo:Meeting . ?a schema:url ?u } }")
    assert pipeline.remove([url], full)
    ingest([p for p in paths if json.loads(p.read_text())["url"] != url], fresh)
    assert read_quads(full) == read_quads(fresh)
    [(second,)] = rows(full, "SELECT DISTINCT ?g WHERE { ?r kgo:gathering ?g }")
    assert second != first


# ---------------------------------------------------------------- what must not merge


def test_the_same_people_a_week_apart_are_two_meetings(keywords, tmp_path: Path) -> None:
    store = tmp_path / "store"
    ingest(write(tmp_path / "in", "wire", "later"), store)
    assert gatherings(store) == []
    assert [b["date"]["value"] for b in named(store, "who-met-whom", name="Berg")] == [
        "2024-03-14", "2024-03-21"]


def test_the_same_day_in_another_place_is_another_meeting(keywords, tmp_path: Path) -> None:
    store = tmp_path / "store"
    ingest(write(tmp_path / "in", "wire", "daily", "harbour"), store)
    assert gatherings(store) == ["daily wire"]
    places = sorted(b["placeLabel"]["value"] for b in named(store, "who-met-whom", name="Berg"))
    assert places == ["Lakeside", "Port Amber"]


def test_other_parties_the_same_day_and_place_stay_apart(keywords, tmp_path: Path) -> None:
    """Berg-Reyes (two reports), Okafor-Berg and Reyes-Okafor: half the parties shared is
    not enough, and two events of one article never become one."""
    store = tmp_path / "store"
    ingest(write(tmp_path / "in", "wire", "daily", "others"), store)
    assert gatherings(store) == ["daily wire"]
    assert len(named(store, "timeline")) == 3


# ---------------------------------------------------------------- real articles, real parse

SUMMIT = {
    "agency.txt": """CSTO leaders gather in Dushanbe

DUSHANBE, November 17, 2025

The heads of state of the Collective Security Treaty Organization held a summit in Dushanbe \
on November 17. Tajik President Emomali Rahmon chaired the session, which Belarusian President \
Alexander Lukashenko and Kazakh President Kassym-Jomart Tokayev attended. The leaders discussed \
the situation on the Afghan border.
""",
    "ministry.txt": """President Lukashenko takes part in the CSTO Collective Security Council

Minsk, 18 November 2025

On 17 November, Alexander Lukashenko took part in the CSTO summit in Dushanbe together with \
Emomali Rahmon and Kassym-Jomart Tokayev. The Belarusian leader called for closer cooperation \
of the allied armies.
""",
    "paper.txt": """Border security tops the agenda in the Tajik capital

ASTANA, November 18, 2025

Kassym-Jomart Tokayev returned from Dushanbe, where on Monday he attended the CSTO summit \
together with Emomali Rahmon and Alexander Lukashenko. The talks lasted for more than four \
hours, the presidential press service said.
""",
}
OTHERS = {
    "week.txt": """Presidents compare notes again

DUSHANBE, November 24, 2025

Emomali Rahmon, Alexander Lukashenko and Kassym-Jomart Tokayev met at a CSTO summit in Dushanbe \
on November 24 to sign a statement on water.
""",
    "bishkek.txt": """A forum by the lake

BISHKEK, November 17, 2025

The heads of state of the Collective Security Treaty Organization held a summit in Bishkek on \
November 17. Emomali Rahmon, Alexander Lukashenko and Kassym-Jomart Tokayev attended.
""",
}


@pytest.fixture(scope="module")
def extractor():
    from kg.config import DEFAULT_MODEL
    from kg.extract import Extractor

    return Extractor(DEFAULT_MODEL)


def tokayev_events(store: Path) -> list[tuple[str, str, int]]:
    """(date, place, counterparts) of each event Tokayev attended, as who-met-whom lists them."""
    found: dict[str, list] = {}
    for b in named(store, "who-met-whom", name="Tokayev"):
        entry = found.setdefault(b["event"]["value"], [b["date"]["value"],
                                                      b.get("placeLabel", {}).get("value", ""), 0])
        entry[2] += 1
    return sorted(tuple(v) for v in found.values())


@pytest.mark.slow
def test_one_summit_told_by_three_sources_is_one_event(extractor, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in {**SUMMIT, **OTHERS}.items():
        (folder / name).write_text(text, encoding="utf-8")
    summit = [str(folder / name) for name in SUMMIT]

    stores = []
    for n, order in enumerate([summit, summit[::-1]]):
        store = tmp_path / f"store-{n}"
        for path in order:
            report = pipeline.ingest([path], store, extractor=extractor)
            assert not report.failed, report.failed
        stores.append(store)
    assert read_quads(stores[0]) == read_quads(stores[1])
    store = stores[0]
    assert gatherings(store) == [
        "Border security tops the agenda in the Tajik capital CSTO leaders gather in Dushanbe"
        " President Lukashenko takes part in the CSTO Collective Security Council"]
    # one event on the day, in Dushanbe, with the other three parties
    assert tokayev_events(store) == [("2025-11-17", "Dushanbe", 3)]
    result = run_kg("validate", "--store", str(store))
    assert result.exit_code == 0, result.stdout + result.stderr

    # a week later and the same day elsewhere: two more events, not merged with it; the
    # report that names no place could be of either summit that day, so it joins neither
    report = pipeline.ingest([str(folder / name) for name in OTHERS], store, extractor=extractor)
    assert not report.failed, report.failed
    assert gatherings(store) == [
        "CSTO leaders gather in Dushanbe"
        " President Lukashenko takes part in the CSTO Collective Security Council"]
    events = tokayev_events(store)
    assert ("2025-11-17", "Dushanbe", 3) in events
    assert ("2025-11-17", "Bishkek", 3) in events
    assert [e for e in events if e[0] == "2025-11-24"]

    # removing the other two brings the three-source summit back
    pipeline.remove([str(folder / name) for name in OTHERS], store)
    assert read_quads(store) == read_quads(stores[1])


# ---------------------------------------------------------------- the rule itself


def report(iri: str, graph: str, day: int, place: str | None, *parties: str,
           days: int = 0) -> Report:
    start = date(2025, 11, day)
    return Report(iri, graph, KGO.Meeting, start, start + timedelta(days=days), place,
                  set(parties))


def test_a_report_without_a_place_that_fits_two_places_joins_neither() -> None:
    a = report("e:a", "g:a", 17, "p:dushanbe", "x", "y", "z")
    b = report("e:b", "g:b", 17, "p:dushanbe", "x", "y", "z")
    c = report("e:c", "g:c", 17, "p:bishkek", "x", "y", "z")
    no_place = report("e:d", "g:d", 17, None, "x", "y", "z")
    assert [[r.iri for r in g] for g in gather([a, b, c, no_place])] == [["e:a", "e:b"]]
    assert [[r.iri for r in g] for g in gather([a, b, no_place])] == [["e:a", "e:b", "e:d"]]


def test_gathering_does_not_depend_on_the_order_of_reports() -> None:
    reports = [report("e:1", "g:1", 17, "p:x", "a", "b"), report("e:2", "g:2", 18, None, "a", "b"),
               report("e:3", "g:3", 17, "p:x", "a", "b", "c"),
               report("e:4", "g:1", 17, "p:x", "a", "b", "c"),  # one article, two events
               report("e:5", "g:5", 24, "p:x", "a", "b"),
               report("e:6", "g:6", 16, "p:x", "a", "b", days=9)]  # too long to merge
    # e:3 and e:4 share all parties, e:1 and e:2 too (a day apart); joining the two pairs
    # would put two events of g:1 into one gathering
    expected = [["e:1", "e:2"], ["e:3", "e:4"]]
    for order in itertools.permutations(reports):
        assert [[r.iri for r in g] for g in gather(order)] == expected


def test_a_graph_store_write_of_blank_nodes_and_literals_is_left_alone(tmp_path: Path) -> None:
    """Graph Store writes may hold anything: events without IRIs gather with nothing, and
    text where a post's role should be never reaches a query."""
    n = ox.NamedNode
    day = ox.Literal("2024-01-01", datatype=n(XSD.date))
    triples = [(ox.BlankNode("e"), n(RDF.type), n(KGO.Meeting)),
               (ox.BlankNode("e"), n(SCHEMA.startDate), day),
               (ox.BlankNode("e"), n(SCHEMA.attendee), ox.BlankNode("p")),
               (n("https://x.example/m"), n(ORG.role), ox.Literal("x> } ; DROP ALL ; #")),
               (n("https://x.example/m"), n(ORG.organization), n("https://x.example/o"))]
    with KGStore(tmp_path / "store") as kg:
        kg.put_graph("https://x.example/g1", triples)
        kg.put_graph("https://x.example/g2", triples)
        assert kg.drop_graph("https://x.example/g1")
        assert len(list(kg.raw.quads_for_pattern(None, None, None, n(DERIVED_GRAPH)))) == 0
        assert len(list(kg.raw.quads_for_pattern(None, None, None, n("https://x.example/g2")))) == 5


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_any_history_of_ingests_and_removals_ends_as_a_fresh_ingest(keywords, tmp_path: Path,
                                                                    seed: int) -> None:
    """Random meetings of three people in two places over three days, ingested and removed
    in a random order: the store ends exactly as one built from the articles left."""
    import random

    rng = random.Random(seed)
    people, places = ["Anna Berg", "Tomas Reyes", "Lina Okafor"], ["Lakeside", "Port Amber"]
    folder = tmp_path / "in"
    folder.mkdir()
    paths = []
    for i in range(12):
        a, b = rng.sample(people, 2)
        day = f"2024-03-{rng.randrange(10, 13)}"
        record = article(f"r{i}", day, f"{a} met {b} in {rng.choice(places)} on {day}.")
        paths.append(folder / f"r{i}.jsonl")
        paths[-1].write_text(json.dumps(record) + "\n", encoding="utf-8")
    store = tmp_path / "store"
    held = random_history(paths, store, rng, ingest)
    fresh = tmp_path / "fresh"
    ingest(held, fresh)
    assert read_quads(store) == read_quads(fresh)
    assert gatherings(store) == gatherings(fresh)
    assert gatherings(fresh)  # the history had something to gather


def test_one_party_in_common_needs_the_same_place_named_by_both() -> None:
    council = report("e:a", "g:a", 25, "p:new-york", "council")
    briefing = report("e:b", "g:b", 25, None, "council", "rau", "dicarlo")
    assert gather([council, briefing]) == []
    there = report("e:c", "g:c", 25, "p:new-york", "council", "rau", "dicarlo")
    assert [[r.iri for r in g] for g in gather([council, there])] == [["e:a", "e:c"]]
