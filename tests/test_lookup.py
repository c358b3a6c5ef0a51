"""`kg lookup` (issue 9): names found whatever their case, accents, transliteration and
small typos; a profile per kind; ambiguity and misses told apart; the index kept in step
with the store. Facts are written through kg.resolve, kg.mapping and a real on-disk store.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import run_kg

from kg import resources
from kg.facts import Document, Entity, Event, Evidence, Extraction, Membership, Span
from kg.lookup import LOOKUP_QUERIES, key, load_index, lookup
from kg.mapping import to_triples
from kg.resolve import resolve
from kg.store import KGStore

BASE = "https://w3id.org/newskg/id/"


def fact_article(n: int, published: str | None, text: str, entities: list[tuple[str, str, str]],
                 posts: list[tuple[str, str, str]] = (),
                 events: list[tuple[str, list[str], str | None]] = ()) -> Extraction:
    """An article's facts: entities (key, kind, name), posts (person, role, body),
    meetings (date, participants, place)."""
    document = Document(source=f"a{n}", url=f"https://news.example.org/{n}", text=text,
                        title=f"Article {n}",
                        published=date.fromisoformat(published) if published else None)
    extraction = Extraction(document=document, fingerprint=f"f{n}")
    whole = Span(0, len(text))
    for entity_key, kind, name in entities:
        subtype = {"mission": "observer", "place": "city"}.get(kind)
        extraction.entities[entity_key] = Entity(entity_key, kind, name, subtype=subtype)
    for person, role, body in posts:
        extraction.memberships.append(Membership(person, role, body, Evidence(whole, "t", 0.9)))
    for when, parties, place in events:
        extraction.events.append(Event("Meeting", Evidence(whole, "t", 0.8), parties,
                                       start=when, place=place, label="met"))
    return extraction


def write_store(path: Path, extractions: list[Extraction]) -> None:
    with KGStore(path) as store:
        store.ensure_ontology(resources.ontology_file())
        for extraction in extractions:
            resolved = resolve(extraction, BASE)
            store.replace_article(resolved.graph, list(to_triples(resolved)))


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "store"
    write_store(path, [
        fact_article(1, "2024-03-01", "One.", [
            ("sv", "person", "Sergey Volkov"), ("ip", "person", "Ivan Petrov"),
            ("cl", "organization", "Council of Lakes"), ("ge", "place", "Geneva")],
            posts=[("sv", "Secretary General", "cl"), ("ip", "Chair", "cl")],
            events=[("2024-02-28", ["sv", "ip"], "ge")]),
        fact_article(2, "2024-06-01", "Two.", [
            ("sv", "person", "Sergey Volkov"), ("op", "person", "Olga Petrov"),
            ("cl", "organization", "Council of Lakes"),
            ("gc", "organization", "Geneva Centre for Peace"),
            ("kn", "person", "Khalid Nasser"), ("am", "place", "Armenia")],
            posts=[("sv", "Secretary General", "cl"), ("op", "Director", "gc")],
            events=[("2024-05-30", ["sv", "kn"], "am")]),
        fact_article(3, None, "Three.", [
            ("mi", "mission", "Lakes Observer Mission"), ("cl", "organization", "Council of Lakes"),
            ("am", "place", "Armenia"), ("kn", "person", "Khalid Nasser")],
            posts=[("kn", "Head", "mi")]),
    ])
    # the mission is run by the Council and works in Armenia
    with KGStore(path) as kg:
        kg.add_to_graph("https://news.example.org/extra", _mission_links())
    return path


def _mission_links():
    import pyoxigraph as ox

    from kg.vocab import ORG, SCHEMA
    mission = ox.NamedNode(BASE + "mission/lakes-observer-mission")
    return [(mission, ox.NamedNode(ORG.subOrganizationOf),
             ox.NamedNode(BASE + "organization/council-of-lakes")),
            (mission, ox.NamedNode(SCHEMA.location), ox.NamedNode(BASE + "place/armenia"))]


def kg_lookup(store: Path, *args: str):
    return run_kg("lookup", *args, "--store", str(store))


def as_json(store: Path, *args: str) -> tuple[int, dict]:
    result = kg_lookup(store, *args, "--json")
    return result.exit_code, json.loads(result.stdout)


# ---------------------------------------------------------------- keys


@pytest.mark.parametrize(("a", "b"), [
    ("Sergei Volkov", "Sergey Volkov"), ("Sergej Volkov", "SERGEY VOLKOV"),
    ("Dmitriy", "Dmitry"), ("Dmitrii", "Dmitry"), ("Khalid", "Halid"),
    ("Wladimir", "Vladimir"), ("Nikolay", "Nikolai"), ("Yuri", "Iurii"),
    ("Nazarbayev", "Nazarbaev"), ("Zoë Müller", "zoe muller"), ("Lázaro", "Lazaro"),
])
def test_spelling_variants_share_a_key(a: str, b: str) -> None:
    assert key(a) == key(b)


@pytest.mark.parametrize(("a", "b"), [("Ivan Petrov", "Olga Petrov"), ("Lakes", "Lakeside")])
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert key(a) != key(b)


# ---------------------------------------------------------------- finding


@pytest.mark.parametrize("name", ["Sergey Volkov", "sergei volkov", "Sergej Wolkov",
                                  "Sergey Volkvo", "Volkov Sergey", "Volkov"])
def test_a_person_is_found_by_variants_and_typos(store: Path, name: str) -> None:
    code, data = as_json(store, name)
    assert (code, data["status"]) == (0, "found"), data
    assert data["profile"]["iri"] == BASE + "person/sergey-volkov"


def test_a_person_profile(store: Path) -> None:
    code, data = as_json(store, "Sergei Volkov")
    profile = data["profile"]
    assert profile["kind"] == "person" and profile["articles"] == 2
    [post] = profile["posts"]
    assert (post["post"], post["organizationLabel"], post["heldFrom"], post["heldUntil"]) == (
        "Secretary General", "Council of Lakes", "2024-03-01", "2024-06-01")
    assert [(e["date"], e["placeLabel"], e["counterparts"]) for e in profile["events"]] == [
        ("2024-02-28", "Geneva", "Ivan Petrov"), ("2024-05-30", "Armenia", "Khalid Nasser")]
    assert [s["url"] for s in profile["sources"]] == [
        "https://news.example.org/2", "https://news.example.org/1"]


def test_an_organization_profile(store: Path) -> None:
    code, data = as_json(store, "council of lakes")
    profile = data["profile"]
    # by unit (the Council itself, then its mission), then post
    assert [(o["unitLabel"], o["post"], o["personLabel"]) for o in profile["officials"]] == [
        ("Council of Lakes", "Chair", "Ivan Petrov"),
        ("Council of Lakes", "Secretary General", "Sergey Volkov"),
        ("Lakes Observer Mission", "Head", "Khalid Nasser")]
    assert [(b["label"], b["kind"], b["places"]) for b in profile["bodies"]] == [
        ("Lakes Observer Mission", "mission", "Armenia")]


def test_a_mission_profile(store: Path) -> None:
    code, data = as_json(store, "lakes observer mision")  # a typo
    profile = data["profile"]
    assert profile["kind"] == "mission"
    assert profile["mission"] == [{"runByLabel": "Council of Lakes", "places": "Armenia",
                                   "runBy": BASE + "organization/council-of-lakes"}]
    assert [(h["post"], h["personLabel"]) for h in profile["heads"]] == [("Head", "Khalid Nasser")]


def test_a_place_profile(store: Path) -> None:
    code, data = as_json(store, "armenia")
    profile = data["profile"]
    assert [e["date"] for e in profile["events"]] == ["2024-05-30"]
    assert [m["label"] for m in profile["missions"]] == ["Lakes Observer Mission"]


def test_the_type_option_narrows(store: Path) -> None:
    assert as_json(store, "Geneva")[1]["profile"]["kind"] == "place"  # the exact name wins
    code, data = as_json(store, "Geneva", "--type", "organization")
    assert (code, data["profile"]["label"]) == (0, "Geneva Centre for Peace")


def test_an_ambiguous_name_lists_what_tells_the_candidates_apart(store: Path) -> None:
    code, data = as_json(store, "Petrov")
    assert (code, data["status"]) == (1, "ambiguous")
    told = {c["label"]: c["posts"] for c in data["candidates"]}
    assert told == {"Ivan Petrov": ["Chair, Council of Lakes"],
                    "Olga Petrov": ["Director, Geneva Centre for Peace"]}
    table = kg_lookup(store, "Petrov")
    assert table.exit_code == 1
    assert "Ivan Petrov" in table.stdout and "Olga Petrov" in table.stdout
    assert "narrow with --type" in table.stdout


def test_a_name_matching_nothing_suggests_the_nearest(store: Path) -> None:
    code, data = as_json(store, "Nasserov Khal")
    assert (code, data["status"]) == (1, "not found")
    assert data["candidates"][0]["label"] == "Khalid Nasser"
    code, data = as_json(store, "zzqx")
    assert (code, data["status"], data["candidates"]) == (1, "not found", [])


def test_the_table_shows_the_profile(store: Path) -> None:
    result = kg_lookup(store, "khalid nasser")
    assert result.exit_code == 0, result.stderr
    for text in ("Khalid Nasser", "Posts (1)", "Head", "Lakes Observer Mission",
                 "Meetings and visits (1)", "Armenia", "Sources (2 articles)"):
        assert text in result.stdout


def test_the_index_follows_the_store(store: Path) -> None:
    with KGStore(store, read_only=True) as kg:
        assert lookup(kg, "Lina Okafor").status == "not found"
    write_store(store, [fact_article(4, "2024-07-01", "Four.", [
        ("lo", "person", "Lina Okafor")])])
    with KGStore(store, read_only=True) as kg:
        assert lookup(kg, "Lina Okafor").status == "found"
        first = load_index(kg)
        assert load_index(kg).keys == first.keys  # the cache, unchanged


def test_a_hostile_name_is_only_characters(store: Path) -> None:
    code, data = as_json(store, '"} UNION { ?s ?p ?o } #')
    assert code == 1 and data["status"] == "not found"


def test_unknown_store_is_an_error(tmp_path: Path) -> None:
    result = kg_lookup(tmp_path / "none", "x")
    assert result.exit_code == 1 and "no store" in result.stderr


def test_a_profile_lists_the_latest_events_and_counts_them_all(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    """A place where thousands of meetings were held: the profile shows the latest 50 and
    says how many there are, in the table and in --json."""
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "store"
    write_store(path, [
        fact_article(n, f"2024-{n // 28 + 1:02d}-{n % 28 + 1:02d}", "Met.", [
            ("sv", "person", "Sergey Volkov"), (f"p{n}", "person", f"Guest Number{n}"),
            ("ge", "place", "Geneva")], events=[(
                f"2024-{n // 28 + 1:02d}-{n % 28 + 1:02d}", ["sv", f"p{n}"], "ge")])
        for n in range(60)])
    for name in ("Geneva", "Sergey Volkov"):
        code, data = as_json(path, name)
        events = data["profile"]["events"]
        assert (code, len(events), data["profile"]["events_total"]) == (0, 50, 60)
        assert events[0]["date"] == "2024-01-11" and events[-1]["date"] == "2024-03-04"
        assert (len(data["profile"]["sources"]), data["profile"]["articles"]) == (50, 60)
    table = kg_lookup(path, "Geneva")
    assert "Meetings and visits here (the latest 50 of 60)" in table.stdout
    assert "Sources (60 articles)" in table.stdout and "50 more" in table.stdout


def test_the_mission_classes_a_place_profile_starts_from_are_the_ontology_s() -> None:
    """missions-at.rq names the mission classes (a VALUES the engine starts from, where a
    walk down the class tree was planned after the thousands of things located in a
    place): they must be every subclass of kgo:Mission the ontology has."""
    ontology = ox.Store()
    for path in resources.ontology_dir().glob("*.ttl"):
        ontology.load(path=str(path), format=ox.RdfFormat.TURTLE)
    expected = {row[0].value for row in ontology.query(
        "SELECT ?c WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf>* "
        "<https://w3id.org/newskg/ontology#Mission> }")}
    text = (LOOKUP_QUERIES / "missions-at.rq").read_text()
    listed = re.search(r"VALUES \?missionClass \{([^}]*)\}", text)
    assert listed is not None
    named = {"https://w3id.org/newskg/ontology#" + word.split(":")[1]
             for word in listed.group(1).split()}
    assert named == expected
