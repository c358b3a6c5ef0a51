"""Named queries (queries/*.rq) and kg.queries: every query run on a small contract-shaped graph.

The dataset is hand-written Turtle in the shape DESIGN.md's public contract
gives (default graph = merged knowledge, subclass axioms included), so the
expected rows below can be checked by reading it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from kg.errors import QueryError, UsageError
from kg.queries import (
    QUERIES_DIR,
    NamedQuery,
    Param,
    bind,
    list_queries,
    load_query,
    parse,
    prepare,
    render,
    run,
    shorten,
    show,
)
from kg.vocab import PREFIXES, XSD

ID = "https://w3id.org/newskg/id/"

S_TALKS = ("CSTO Secretary General Stanislav Zas held talks with SCO Secretary General"
           " Zhang Ming in Moscow.")
S_DUSHANBE = "On 20 May Zas met SCO representatives in Dushanbe to discuss peacekeeping."
S_VISIT = "In July Zas will visit Kazakhstan, where the peacekeeping forces were deployed."
S_DEPUTY = "CSTO Deputy Secretary General Valery Semerikov met Zhang Ming in Dushanbe."
DATA = f"""\
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <http://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix kgo: <https://w3id.org/newskg/ontology#> .
@prefix person: <https://w3id.org/newskg/id/person/> .
@prefix organization: <https://w3id.org/newskg/id/organization/> .
@prefix mission: <https://w3id.org/newskg/id/mission/> .
@prefix place: <https://w3id.org/newskg/id/place/> .
@prefix role: <https://w3id.org/newskg/id/role/> .
@prefix article: <https://w3id.org/newskg/id/article/> .
@prefix membership: <https://w3id.org/newskg/id/membership/> .
@prefix event: <https://w3id.org/newskg/id/event/> .

# Subclass axioms the store copies from the ontology into the default graph.
kgo:Meeting rdfs:subClassOf schema:Event .
kgo:Visit rdfs:subClassOf schema:Event .
kgo:Mission rdfs:subClassOf org:Organization .
kgo:PeacekeepingMission rdfs:subClassOf kgo:Mission .
org:OrganizationalUnit rdfs:subClassOf org:Organization .
schema:AdministrativeArea rdfs:subClassOf schema:Place .
schema:Country rdfs:subClassOf schema:AdministrativeArea .
schema:City rdfs:subClassOf schema:AdministrativeArea .

person:stanislav-zas a schema:Person ; rdfs:label "Stanislav Zas" ; skos:altLabel "Zas" .
person:zhang-ming a schema:Person ; rdfs:label "Zhang Ming" ; skos:altLabel "Zhang" .
person:valery-semerikov a schema:Person ; rdfs:label "Valery Semerikov" .

organization:csto a org:Organization ;
    rdfs:label "Collective Security Treaty Organization" ; skos:altLabel "CSTO" .
organization:sco a org:Organization ;
    rdfs:label "Shanghai Cooperation Organisation" ; skos:altLabel "SCO" .
mission:csto-collective-peacekeeping-forces a kgo:PeacekeepingMission ;
    rdfs:label "CSTO Collective Peacekeeping Forces" ;
    org:subOrganizationOf organization:csto ;
    schema:location place:kazakhstan .

place:moscow a schema:City ; rdfs:label "Moscow" .
place:dushanbe a schema:City ; rdfs:label "Dushanbe" .
place:kazakhstan a schema:Country ; rdfs:label "Kazakhstan" .

role:secretary-general a org:Role ; rdfs:label "Secretary General" .
role:deputy-secretary-general a org:Role ; rdfs:label "Deputy Secretary General" .

article:a1 a schema:NewsArticle ; schema:url <https://news.example/2024/03/12/talks> ;
    schema:headline "CSTO and SCO heads meet in Moscow" ;
    schema:datePublished "2024-03-12"^^xsd:date ;
    schema:mentions person:stanislav-zas , person:zhang-ming , organization:csto ,
        organization:sco , place:moscow .
article:a2 a schema:NewsArticle ; schema:url <https://news.example/2024/05/21/dushanbe> ;
    schema:headline "Peacekeeping on the agenda in Dushanbe" ;
    schema:datePublished "2024-05-21"^^xsd:date ;
    schema:mentions person:stanislav-zas , organization:csto , organization:sco ,
        place:dushanbe , mission:csto-collective-peacekeeping-forces , place:kazakhstan .
article:a3 a schema:NewsArticle ; schema:url <https://news.example/2023/11/24/deputy> ;
    schema:headline "Deputy meets SCO chief" ; schema:datePublished "2023-11-24"^^xsd:date ;
    schema:mentions person:zhang-ming , person:valery-semerikov , organization:csto ,
        place:dushanbe , mission:csto-collective-peacekeeping-forces .

<https://news.example/2024/03/12/talks#char=0,98> a nif:String ;
    nif:anchorOf "{S_TALKS}" ;
    nif:referenceContext article:a1 .
<https://news.example/2024/05/21/dushanbe#char=0,80> a nif:String ;
    nif:anchorOf "{S_DUSHANBE}" ;
    nif:referenceContext article:a2 .
<https://news.example/2024/05/21/dushanbe#char=81,150> a nif:String ;
    nif:anchorOf "{S_VISIT}" ;
    nif:referenceContext article:a2 .
<https://news.example/2023/11/24/deputy#char=0,90> a nif:String ;
    nif:anchorOf "{S_DEPUTY}" ;
    nif:referenceContext article:a3 .

membership:m1 a org:Membership ; org:member person:stanislav-zas ;
    org:organization organization:csto ; org:role role:secretary-general ;
    prov:wasDerivedFrom <https://news.example/2024/03/12/talks#char=0,98> ; kgo:confidence 0.90 .
membership:m2 a org:Membership ; org:member person:zhang-ming ;
    org:organization organization:sco ; org:role role:secretary-general ;
    prov:wasDerivedFrom <https://news.example/2024/03/12/talks#char=0,98> ; kgo:confidence 0.85 .
membership:m3 a org:Membership ; org:member person:valery-semerikov ;
    org:organization organization:csto ; org:role role:deputy-secretary-general ;
    prov:wasDerivedFrom <https://news.example/2023/11/24/deputy#char=0,90> ; kgo:confidence 0.80 .

event:e1 a kgo:Meeting ; rdfs:label "talks" ; schema:startDate "2024-03-12"^^xsd:date ;
    schema:location place:moscow ;
    schema:attendee person:stanislav-zas , person:zhang-ming ;
    prov:wasDerivedFrom <https://news.example/2024/03/12/talks#char=0,98> ; kgo:confidence 0.90 ;
    kgo:extractedBy "meet-verb" .
event:e2 a kgo:Meeting ; rdfs:label "met" ; schema:startDate "2024-05-20"^^xsd:date ;
    schema:location place:dushanbe ;
    schema:attendee person:stanislav-zas , organization:sco ;
    schema:organizer organization:csto ;
    prov:wasDerivedFrom <https://news.example/2024/05/21/dushanbe#char=0,80> ; kgo:confidence 0.75 ;
    kgo:extractedBy "meet-verb" .
event:e3 a kgo:Meeting ; rdfs:label "met" ; schema:startDate "2023-11-23"^^xsd:date ;
    schema:location place:dushanbe ;
    schema:attendee person:valery-semerikov , person:zhang-ming ;
    prov:wasDerivedFrom <https://news.example/2023/11/24/deputy#char=0,90> ; kgo:confidence 0.80 ;
    kgo:extractedBy "meet-verb" .
event:v1 a kgo:Visit ; rdfs:label "visit" ; schema:startDate "2024-07"^^xsd:gYearMonth ;
    schema:location place:kazakhstan ;
    schema:attendee person:stanislav-zas ;
    prov:wasDerivedFrom <https://news.example/2024/05/21/dushanbe#char=81,150> ;
    kgo:confidence 0.70 ;
    kgo:extractedBy "visit-noun" .
"""

CSTO = "Collective Security Treaty Organization"
SCO = "Shanghai Cooperation Organisation"

# Spliced into a query as text, this would close the string and the FILTER,
# make the filter true for every row, open a UNION that matches every triple
# and comment out the rest; substituted as a literal it is only characters to
# match, and nothing in the graph contains them.
HOSTILE = 'zz")) || true || ("" } } UNION { ?s ?p ?o } # \' }'


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    store.load(DATA, format=ox.RdfFormat.TURTLE)
    return store


def table(results: ox.QuerySolutions, query: NamedQuery) -> list[tuple[str, ...]]:
    """Rows as tuples of plain values, parameter columns left out, our IRIs as id:..."""
    hidden = {p.name for p in query.params}
    names = [v.value for v in results.variables]
    rows = []
    for solution in results:
        cells = []
        for i, name in enumerate(names):
            if name in hidden:
                continue
            term = solution[i]
            value = "" if term is None else term.value
            if name == "participants":
                value = "; ".join(sorted(value.split("; ")))
            cells.append(value.replace(ID, "id:"))
        rows.append(tuple(cells))
    return rows


def columns(query: NamedQuery, store: ox.Store, values: dict[str, str]) -> list[str]:
    results = run(store, query, values)
    hidden = {p.name for p in query.params}
    return [v.value for v in results.variables if v.value not in hidden]


def ask(store: ox.Store, query_name: str, /, **values: str) -> list[tuple[str, ...]]:
    query = load_query(QUERIES_DIR, query_name)
    return table(run(store, query, values), query)


# ---------------------------------------------------------------- every named query

NAMES = [
    "entity-search", "evidence", "meetings-between", "missions-in-place",
    "officials-of-organization", "posts-of-person", "timeline", "who-met-whom",
]
ALL_QUERIES = list_queries(QUERIES_DIR)


def test_the_starter_set_is_there():
    assert set(NAMES) <= {q.name for q in ALL_QUERIES}


def test_who_met_whom(store):
    query = load_query(QUERIES_DIR, "who-met-whom")
    assert columns(query, store, {"name": "zas"}) == [
        "date", "kind", "partyLabel", "otherLabel", "placeLabel", "evidence", "confidence",
        "event", "party", "other",
    ]
    zas = "id:person/stanislav-zas"
    assert ask(store, "who-met-whom", name="zas") == [
        ("2024-03-12", "Meeting", "Stanislav Zas", "Zhang Ming", "Moscow", S_TALKS, "0.9",
         "id:event/e1", zas, "id:person/zhang-ming"),
        ("2024-05-20", "Meeting", "Stanislav Zas", SCO, "Dushanbe", S_DUSHANBE, "0.75",
         "id:event/e2", zas, "id:organization/sco"),
        ("2024-07", "Visit", "Stanislav Zas", "", "Kazakhstan", S_VISIT, "0.7",
         "id:event/v1", zas, ""),
    ]


def test_who_met_whom_finds_organizations_by_acronym_and_as_organizer(store):
    rows = ask(store, "who-met-whom", name="CSTO")
    assert [(r[0], r[2], r[3]) for r in rows] == [
        ("2024-05-20", CSTO, SCO),
        ("2024-05-20", CSTO, "Stanislav Zas"),
    ]


def test_who_met_whom_date_range(store):
    assert [r[0] for r in ask(store, "who-met-whom", name="Zas", since="2024-04-01")] == [
        "2024-05-20", "2024-07",
    ]
    assert [r[0] for r in ask(store, "who-met-whom", name="Zas", until="2024-04-01")] == [
        "2024-03-12",
    ]
    assert [r[0] for r in ask(store, "who-met-whom", name="Zas", since="2024-03-12",
                              until="2024-05-20")] == ["2024-03-12", "2024-05-20"]


def test_meetings_between(store):
    query = load_query(QUERIES_DIR, "meetings-between")
    assert columns(query, store, {"a": "zas", "b": "zhang"}) == [
        "date", "kind", "firstLabel", "secondLabel", "placeLabel", "evidence", "confidence",
        "event", "first", "second",
    ]
    assert ask(store, "meetings-between", a="Zas", b="Zhang") == [
        ("2024-03-12", "Meeting", "Stanislav Zas", "Zhang Ming", "Moscow", S_TALKS, "0.9",
         "id:event/e1", "id:person/stanislav-zas", "id:person/zhang-ming"),
    ]
    assert [r[:4] for r in ask(store, "meetings-between", a="sco", b="zas")] == [
        ("2024-05-20", "Meeting", SCO, "Stanislav Zas"),
    ]
    assert ask(store, "meetings-between", a="Zas", b="Zhang", since="2024-04-01") == []
    assert ask(store, "meetings-between", a="Zas", b="Semerikov") == []


def test_posts_of_person(store):
    query = load_query(QUERIES_DIR, "posts-of-person")
    assert columns(query, store, {"name": "zas"}) == [
        "personLabel", "post", "organizationLabel", "former", "firstReported", "lastReported",
        "reports", "confidence", "evidence", "person", "organization",
    ]
    assert ask(store, "posts-of-person", name="zas") == [
        ("Stanislav Zas", "Secretary General", CSTO, "false", "2024-03-12", "2024-03-12",
         "1", "0.9", S_TALKS, "id:person/stanislav-zas", "id:organization/csto"),
    ]
    assert [r[:3] for r in ask(store, "posts-of-person", name="E")] == [
        ("Valery Semerikov", "Deputy Secretary General", CSTO),
    ]


def test_posts_of_person_merges_reports_of_one_post():
    store = ox.Store()
    store.load(DATA + """
membership:m4 a org:Membership ; org:member person:stanislav-zas ;
    org:organization organization:csto ; org:role role:secretary-general ;
    kgo:former true ; kgo:confidence 0.95 ;
    prov:wasDerivedFrom <https://news.example/2024/05/21/dushanbe#char=0,80> .
""", format=ox.RdfFormat.TURTLE)
    assert ask(store, "posts-of-person", name="Stanislav") == [
        ("Stanislav Zas", "Secretary General", CSTO, "true", "2024-03-12", "2024-05-21",
         "2", "0.95", S_TALKS, "id:person/stanislav-zas", "id:organization/csto"),
    ]


def test_officials_of_organization(store):
    query = load_query(QUERIES_DIR, "officials-of-organization")
    assert columns(query, store, {"org": "csto"}) == [
        "organizationLabel", "post", "personLabel", "former", "firstReported", "lastReported",
        "reports", "confidence", "evidence", "organization", "person",
    ]
    assert ask(store, "officials-of-organization", org="CSTO") == [
        (CSTO, "Deputy Secretary General", "Valery Semerikov", "false", "2023-11-24",
         "2023-11-24", "1", "0.8", S_DEPUTY, "id:organization/csto",
         "id:person/valery-semerikov"),
        (CSTO, "Secretary General", "Stanislav Zas", "false", "2024-03-12", "2024-03-12",
         "1", "0.9", S_TALKS, "id:organization/csto", "id:person/stanislav-zas"),
    ]


def test_officials_by_role_answers_who_is_secretary_general(store):
    assert [r[2] for r in ask(store, "officials-of-organization", org="shanghai",
                              role="secretary general")] == ["Zhang Ming"]
    assert [r[2] for r in ask(store, "officials-of-organization", org="CSTO",
                              role="Deputy")] == ["Valery Semerikov"]
    # "Secretary General" is also inside "Deputy Secretary General".
    assert [r[2] for r in ask(store, "officials-of-organization", org="CSTO",
                              role="Secretary General")] == ["Valery Semerikov", "Stanislav Zas"]
    assert ask(store, "officials-of-organization", org="CSTO", role="Chairman") == []


def test_missions_in_place(store):
    query = load_query(QUERIES_DIR, "missions-in-place")
    assert columns(query, store, {"place": "kazakh"}) == [
        "missionLabel", "type", "runByLabel", "placeLabel", "firstMentioned", "articles",
        "mission", "runBy", "location",
    ]
    assert ask(store, "missions-in-place", place="Kazakhstan") == [
        ("CSTO Collective Peacekeeping Forces", "PeacekeepingMission", CSTO, "Kazakhstan",
         "2023-11-24", "2", "id:mission/csto-collective-peacekeeping-forces",
         "id:organization/csto", "id:place/kazakhstan"),
    ]
    assert ask(store, "missions-in-place", place="Moscow") == []


TIMELINE = [
    ("2023-11-23", "", "Meeting", "met", "Dushanbe", "Valery Semerikov; Zhang Ming", S_DEPUTY,
     "0.8", "id:event/e3"),
    ("2024-03-12", "", "Meeting", "talks", "Moscow", "Stanislav Zas; Zhang Ming", S_TALKS,
     "0.9", "id:event/e1"),
    ("2024-05-20", "", "Meeting", "met", "Dushanbe", f"{SCO}; Stanislav Zas", S_DUSHANBE,
     "0.75", "id:event/e2"),
    ("2024-07", "", "Visit", "visit", "Kazakhstan", "Stanislav Zas", S_VISIT, "0.7",
     "id:event/v1"),
]


def test_timeline(store):
    query = load_query(QUERIES_DIR, "timeline")
    assert columns(query, store, {}) == [
        "date", "endDate", "kind", "label", "placeLabel", "participants", "evidence",
        "confidence", "event",
    ]
    assert ask(store, "timeline") == TIMELINE


def test_timeline_filters(store):
    assert ask(store, "timeline", since="2024-03-12", until="2024-05-31") == TIMELINE[1:3]
    assert ask(store, "timeline", since="2024-06-01") == TIMELINE[3:]
    assert ask(store, "timeline", until="2023-12-31") == TIMELINE[:1]
    # SCO took part in e2 itself and in e1 and e3 through its Secretary General.
    assert ask(store, "timeline", org="SCO") == TIMELINE[:3]
    # The CSTO organized e2; its officials attended the rest.
    assert ask(store, "timeline", org="csto") == TIMELINE
    assert ask(store, "timeline", org="CSTO", since="2024-04-01", until="2024-06-30") == [
        TIMELINE[2]
    ]
    assert ask(store, "timeline", org="OSCE") == []


def test_timeline_of_an_organization_includes_its_missions():
    store = ox.Store()
    store.load(DATA + """
event:e5 a kgo:Meeting ; rdfs:label "briefing" ; schema:startDate "2024-09-10"^^xsd:date ;
    schema:attendee mission:csto-collective-peacekeeping-forces .
""", format=ox.RdfFormat.TURTLE)
    # "collective security" names the CSTO, not its mission: e5 comes through the unit.
    rows = ask(store, "timeline", org="collective security", since="2024-06-01")
    assert [r[-1] for r in rows] == ["id:event/v1", "id:event/e5"]


def test_timeline_keeps_multi_day_events_that_overlap_the_range():
    store = ox.Store()
    store.load(DATA + """
event:e4 a kgo:Meeting ; rdfs:label "summit" ; schema:startDate "2024-08-30"^^xsd:date ;
    schema:endDate "2024-09-02"^^xsd:date ; schema:attendee organization:sco .
""", format=ox.RdfFormat.TURTLE)
    assert ask(store, "timeline", since="2024-09-01") == [
        ("2024-08-30", "2024-09-02", "Meeting", "summit", "", SCO, "", "", "id:event/e4"),
    ]


def test_entity_search(store):
    query = load_query(QUERIES_DIR, "entity-search")
    assert columns(query, store, {"name": "cst"}) == [
        "label", "kind", "type", "otherNames", "articles", "firstMentioned", "entity",
    ]
    assert ask(store, "entity-search", name="cst") == [
        (CSTO, "Organization", "Organization", "CSTO", "3", "2023-11-24", "id:organization/csto"),
        ("CSTO Collective Peacekeeping Forces", "Organization", "PeacekeepingMission", "", "2",
         "2023-11-24", "id:mission/csto-collective-peacekeeping-forces"),
    ]
    assert ask(store, "entity-search", name="zhang") == [
        ("Zhang Ming", "Person", "Person", "Zhang", "2", "2023-11-24", "id:person/zhang-ming"),
    ]


def test_entity_search_by_category(store):
    assert [r[:3] for r in ask(store, "entity-search", name="a", category="place")] == [
        ("Dushanbe", "Place", "City"), ("Kazakhstan", "Place", "Country"),
    ]
    assert [r[0] for r in ask(store, "entity-search", name="s", category="Person")] == [
        "Stanislav Zas", "Valery Semerikov",
    ]
    assert ask(store, "entity-search", name="a", category="Event") == []


def test_evidence(store):
    query = load_query(QUERIES_DIR, "evidence")
    assert query.param("fact").kind == "iri"
    assert columns(query, store, {"fact": ID + "event/e1"}) == [
        "published", "evidence", "confidence", "rule", "headline", "url", "sentence", "article",
    ]
    assert ask(store, "evidence", fact=ID + "event/e1") == [
        ("2024-03-12", S_TALKS, "0.9", "meet-verb", "CSTO and SCO heads meet in Moscow",
         "https://news.example/2024/03/12/talks", "https://news.example/2024/03/12/talks#char=0,98",
         "id:article/a1"),
    ]
    assert ask(store, "evidence", fact=f"<{ID}membership/m3>") == [
        ("2023-11-24", S_DEPUTY, "0.8", "", "Deputy meets SCO chief",
         "https://news.example/2023/11/24/deputy",
         "https://news.example/2023/11/24/deputy#char=0,90", "id:article/a3"),
    ]
    assert ask(store, "evidence", fact=ID + "event/none") == []


# ---------------------------------------------------------------- injection safety

def _hostile_values(query: NamedQuery) -> dict[str, str]:
    """Every parameter given: text ones hostile, the others well-formed and wide open."""
    values = {}
    for param in query.params:
        if param.kind == "date":
            values[param.name] = "1900-01-01" if param.name == "since" else "2999-12-31"
        elif param.kind == "iri":
            values[param.name] = "https://w3id.org/newskg/id/x#'),?s%7D"
        elif param.kind == "integer":
            values[param.name] = "1"
        else:
            values[param.name] = HOSTILE
    return values


@pytest.mark.parametrize("query", ALL_QUERIES, ids=lambda q: q.name)
def test_a_hostile_value_only_matches_nothing(store, query):
    assert list(run(store, query, _hostile_values(query))) == []


class RecordingStore:
    """Stands in for a store to see exactly what ``run`` sends it."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.calls: list[tuple[str, dict]] = []

    def query(self, text: str, *, substitutions: dict | None = None):
        self.calls.append((text, substitutions or {}))
        return self.store.query(text, substitutions=substitutions)


@pytest.mark.parametrize("query", ALL_QUERIES, ids=lambda q: q.name)
def test_values_travel_as_substitutions_never_as_text(store, query):
    recording = RecordingStore(store)
    values = _hostile_values(query)
    list(run(recording, query, values))
    [(text, substitutions)] = recording.calls
    assert text == query.sparql  # the file, unchanged: named queries declare their prefixes
    assert substitutions == bind(query, values)
    assert {v.value for v in substitutions} == {p.name for p in query.params}


def test_a_hostile_value_is_matched_as_plain_text():
    store = ox.Store()
    store.load(DATA + 'person:odd a schema:Person ; rdfs:label "Odd" .', format=ox.RdfFormat.TURTLE)
    store.add(ox.Quad(ox.NamedNode(ID + "person/odd"), ox.NamedNode(PREFIXES["skos"] + "altLabel"),
                      ox.Literal(HOSTILE)))
    assert [r[0] for r in ask(store, "entity-search", name=HOSTILE)] == ["Odd"]
    assert [r[0] for r in ask(store, "who-met-whom", name=HOSTILE)] == []


def test_a_hostile_date_or_iri_is_refused(store):
    with pytest.raises(QueryError, match="not a date"):
        run(store, load_query(QUERIES_DIR, "timeline"), {"since": 'x" } #'})
    with pytest.raises(QueryError, match="not an IRI"):
        run(store, load_query(QUERIES_DIR, "evidence"), {"fact": 'http://x/"> } #'})


# ---------------------------------------------------------------- what pyoxigraph does

def test_pyoxigraph_substitutes_only_projected_variables(store):
    """Why every named query projects its parameters (pyoxigraph 0.5.13)."""
    q = "SELECT ?l WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l FILTER(?l = ?x) }"
    with pytest.raises(RuntimeError, match="SELECT projection"):
        store.query(q, substitutions={ox.Variable("x"): ox.Literal("Moscow")})
    projected = q.replace("SELECT ?l", "SELECT ?l ?x")
    rows = list(store.query(projected, substitutions={ox.Variable("x"): ox.Literal("Moscow")}))
    assert [r["l"].value for r in rows] == ["Moscow"]


def test_pyoxigraph_bound_does_not_see_substitutions(store):
    """Why optional parameters use COALESCE, not BOUND: BOUND(?x) stays false."""
    q = ("SELECT ?l ?x WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l "
         "FILTER(%s) }")
    x = {ox.Variable("x"): ox.Literal("Moscow")}
    assert list(store.query(q % "BOUND(?x)", substitutions=x)) == []
    rows = store.query(q % 'STR(?l) = COALESCE(STR(?x), STR(?l))', substitutions=x)
    assert [r["l"].value for r in rows] == ["Moscow"]


def test_pyoxigraph_subqueries_see_only_parameters_they_project(store):
    """Why the name lookups in subqueries project the parameter as well."""
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    x = {ox.Variable("x"): ox.Literal("Moscow")}
    hidden = f"SELECT ?l ?x WHERE {{ {{ SELECT ?l WHERE {{ ?s {label} ?l FILTER(?l = ?x) }} }} }}"
    assert list(store.query(hidden, substitutions=x)) == []
    shown = hidden.replace("SELECT ?l WHERE", "SELECT ?l ?x WHERE")
    assert [r["l"].value for r in store.query(shown, substitutions=x)] == ["Moscow"]


# ---------------------------------------------------------------- headers

@pytest.mark.parametrize("query", list_queries(QUERIES_DIR), ids=lambda q: q.name)
def test_every_query_file_documents_itself(query):
    assert query.title and query.description
    assert query.path is not None and query.path.suffix == ".rq"
    body = query.sparql.split("\nPREFIX", 1)[-1]
    select = re.search(r"\bSELECT\b(.*?)(?<![?$])\bWHERE\b", body, re.DOTALL)
    assert select, "a named query is a SELECT"
    for param in query.params:
        assert param.description, f"parameter {param.name} has no description"
        assert re.search(rf"\?{param.name}\b", body), f"?{param.name} is not used"
        assert re.search(rf"\?{param.name}\b", select.group(1)), f"?{param.name} not projected"
    assert re.search(r"\bORDER BY\b", body), "results come in a stable order"


def test_parse_reads_kinds_and_continuation_lines():
    query = parse(
        "# title: T\n# description: First part\n#   and more.\n"
        "# param: when (optional, date) A day\n# param: n (required, integer) How many\n"
        "#   at least.\n# param: who (required) A name\nSELECT ?who ?when ?n WHERE {}\n",
        "t",
    )
    assert query.description == "First part and more."
    assert query.params == [
        Param("when", False, "date", "A day"),
        Param("n", True, "integer", "How many at least."),
        Param("who", True, "literal", "A name"),
    ]


@pytest.mark.parametrize("text, message", [
    ("# description: d\nSELECT * {}", "title"),
    ("# title: t\n# description: d\n# param: x (maybe) what\nSELECT * {}", "parameter line"),
    ("# title: t\n# description: d\n# param: x (optional, colour) c\nSELECT * {}", "kind"),
    ("# title: t\n# description: d\n# param: x (optional) a\n# param: x (required) b\n",
     "twice"),
])
def test_parse_refuses_broken_headers(text, message):
    with pytest.raises(QueryError, match=message):
        parse(text, "broken")


def test_unknown_query_lists_the_available_ones():
    with pytest.raises(QueryError, match="unknown named query 'who-is-who'") as error:
        load_query(QUERIES_DIR, "who-is-who")
    assert "who-met-whom" in error.value.hint and "timeline" in error.value.hint


def test_a_query_file_can_be_given_by_path(tmp_path):
    path = tmp_path / "mine.rq"
    path.write_text("# title: Mine\n# description: Mine.\nSELECT ?s WHERE { ?s ?p ?o }\n")
    assert load_query(QUERIES_DIR, str(path)).name == "mine"


# ---------------------------------------------------------------- binding

QUERY = parse(
    "# title: T\n# description: D\n# param: name (required) A name\n"
    "# param: since (optional, date) A day\n# param: fact (optional, iri) An IRI\n"
    "# param: n (optional, integer) A count\nSELECT ?name ?since ?fact ?n WHERE {}\n",
    "t",
)


def test_bind_makes_typed_terms():
    assert bind(QUERY, {"name": 'Zas "the" {}', "since": "2024-01-31", "fact": ID + "x",
                        "n": "12"}) == {
        ox.Variable("name"): ox.Literal('Zas "the" {}'),
        ox.Variable("since"): ox.Literal("2024-01-31", datatype=ox.NamedNode(XSD.date)),
        ox.Variable("fact"): ox.NamedNode(ID + "x"),
        ox.Variable("n"): ox.Literal(12),
    }


def test_bind_leaves_optional_parameters_unbound():
    assert bind(QUERY, {"name": "x", "since": None, "fact": ""}) == {
        ox.Variable("name"): ox.Literal("x"),
    }


def test_unknown_parameter_is_named_with_the_valid_ones():
    with pytest.raises(QueryError, match="no parameter 'place'") as error:
        bind(QUERY, {"name": "x", "place": "y"})
    assert error.value.hint == "its parameters: name, since, fact, n"


@pytest.mark.parametrize("values", [{}, {"name": None}, {"name": "  "}])
def test_missing_required_parameter(values):
    with pytest.raises(QueryError, match="'name'"):
        bind(QUERY, values)


@pytest.mark.parametrize("value", ["2024-02-30", "2024-1-5", "12/03/2024", "2024", "20240101",
                                   "2024-01-01T00:00"])
def test_bad_date(value):
    with pytest.raises(QueryError, match="not a date"):
        bind(QUERY, {"name": "x", "since": value})


@pytest.mark.parametrize("key, value, message", [
    ("n", "ten", "not an integer"), ("n", "1.5", "not an integer"),
    ("fact", "not an iri", "not an IRI"), ("fact", "relative/path", "not an IRI"),
])
def test_bad_integer_or_iri(key, value, message):
    with pytest.raises(QueryError, match=message):
        bind(QUERY, {"name": "x", key: value})


def test_run_reports_a_parameter_left_out_of_the_projection(store):
    broken = parse("# title: T\n# description: D\n# param: x (required) X\n"
                   "SELECT ?s WHERE { ?s ?p ?x }\n", "broken")
    with pytest.raises(QueryError, match="SELECT"):
        run(store, broken, {"x": "y"})


def test_run_reports_invalid_sparql(store):
    broken = parse("# title: T\n# description: D\nSELECT WHERE {\n", "broken")
    with pytest.raises(QueryError, match="not valid SPARQL"):
        run(store, broken, {})


# ---------------------------------------------------------------- prepare

def test_prepare_declares_used_standard_prefixes(store):
    text = prepare("SELECT ?p WHERE { ?p a schema:Person ; rdfs:label 'Zhang Ming' }")
    prologue = text.split("SELECT")[0].splitlines()
    assert sorted(prologue) == [
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>",
        "PREFIX schema: <http://schema.org/>",
    ]
    assert [r["p"].value for r in store.query(text)] == [ID + "person/zhang-ming"]


def test_prepare_keeps_declared_prefixes_and_ignores_strings_iris_comments():
    declared = "PREFIX schema: <https://schema.org/>\nSELECT * { ?s a schema:Person }"
    assert prepare(declared) == declared
    quiet = ('SELECT * { ?s <http://x/kgo:y> "org:Organization" # skos:altLabel\n'
             " FILTER(?s = 'prov:x') }")
    assert prepare(quiet) == quiet
    assert prepare("ASK { ?s a kgo:Visit }").startswith("PREFIX kgo: <https://w3id.org/newskg/")


# ---------------------------------------------------------------- rendering

def _select(store: ox.Store) -> ox.QuerySolutions:
    query = load_query(QUERIES_DIR, "who-met-whom")
    return run(store, query, {"name": "Zas"})


def _render(results, fmt: str, **options) -> str:
    out = io.BytesIO()
    render(results, fmt, out, **options)
    return out.getvalue().decode("utf-8")


def test_render_json(store):
    data = json.loads(_render(_select(store), "json"))
    assert data["head"]["vars"][:3] == ["date", "kind", "partyLabel"]
    bindings = data["results"]["bindings"]
    assert len(bindings) == 3
    assert bindings[0]["event"] == {"type": "uri", "value": ID + "event/e1"}
    assert bindings[0]["evidence"]["value"] == S_TALKS


def test_render_csv_and_tsv(store):
    rows = list(csv.DictReader(io.StringIO(_render(_select(store), "csv"))))
    assert [r["date"] for r in rows] == ["2024-03-12", "2024-05-20", "2024-07"]
    assert rows[0]["otherLabel"] == "Zhang Ming" and rows[2]["other"] == ""
    lines = _render(_select(store), "tsv").splitlines()
    assert lines[0].split("\t")[:2] == ["?date", "?kind"]
    assert lines[1].split("\t")[2] == '"Stanislav Zas"'
    assert len(lines) == 4


def test_render_xml(store):
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(_render(_select(store), "xml"))
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)][:2] == ["date", "kind"]
    results = root.findall("r:results/r:result", ns)
    assert len(results) == 3
    first = {b.get("name"): "".join(b.itertext()) for b in results[0].findall("r:binding", ns)}
    assert first["placeLabel"] == "Moscow" and first["event"] == ID + "event/e1"


def test_render_table(store):
    text = _render(_select(store), "table", hide=["name", "since", "until"])
    lines = text.splitlines()
    assert lines[0].split() == ["date", "kind", "partyLabel", "otherLabel", "placeLabel",
                                "evidence", "confidence", "event", "party", "other"]
    assert set(lines[1]) <= {"-", " "}
    assert "2024-03-12  Meeting  Stanislav Zas  Zhang Ming" in lines[2]
    assert ID + "event/e1" in lines[2]  # IRIs whole, so they can be pasted
    assert '"' not in lines[2] and "^^" not in lines[2]  # literals shown plainly
    assert "since" not in lines[0]
    assert lines[-1] == "(3 rows)"


def test_render_table_cuts_long_text_and_aligns_numbers(store):
    lines = _render(_select(store), "table", max_width=20).splitlines()
    assert "CSTO Secretary Gene…" in lines[2]
    header = lines[0]
    start = header.index("confidence")
    assert lines[2][start:start + len("confidence")] == "       0.9"


def test_render_table_shortens_vocabulary_iris(store):
    results = store.query("SELECT ?c ?n WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#subClassOf>"
                          " <http://schema.org/Event> } ORDER BY ?c")
    text = _render(results, "table")
    assert text.splitlines()[2:4] == ["kgo:Meeting", "kgo:Visit"]
    assert text.endswith("(2 rows)\n")
    assert shorten(PREFIXES["schema"] + "Person") == "schema:Person"
    assert shorten("http://example.org/x") == "http://example.org/x"
    assert show(None) == "" and show(ox.Literal("a\nb")) == "a b"


def test_render_ask(store):
    assert _render(store.query("ASK { ?s ?p ?o }"), "table") == "true\n"
    assert json.loads(_render(store.query("ASK { ?s ?p ?o }"), "json"))["boolean"] is True
    root = ET.fromstring(_render(store.query("ASK { ?s <urn:none> ?o }"), "xml"))
    assert root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "false"


CONSTRUCT = ("CONSTRUCT { ?p <http://www.w3.org/2000/01/rdf-schema#label> ?l } WHERE { ?p a "
             "<http://schema.org/Person> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }")


@pytest.mark.parametrize("fmt, rdf_format", [
    ("table", ox.RdfFormat.TURTLE), ("turtle", ox.RdfFormat.TURTLE),
    ("ntriples", ox.RdfFormat.N_TRIPLES), ("nquads", ox.RdfFormat.N_QUADS),
    ("rdfxml", ox.RdfFormat.RDF_XML), ("jsonld", ox.RdfFormat.JSON_LD),
    ("json", ox.RdfFormat.JSON_LD), ("xml", ox.RdfFormat.RDF_XML),
])
def test_render_construct(store, fmt, rdf_format):
    text = _render(store.query(CONSTRUCT), fmt)
    parsed = list(ox.parse(text.encode("utf-8"), format=rdf_format))
    assert sorted(q.object.value for q in parsed) == [
        "Stanislav Zas", "Valery Semerikov", "Zhang Ming"]
    if fmt in ("table", "turtle"):
        assert "@prefix rdfs:" in text and "rdfs:label" in text


@pytest.mark.parametrize("fmt", ["html", "turtle", ""])
def test_unknown_format_for_select(store, fmt):
    with pytest.raises(UsageError, match="unknown output format") as error:
        render(_select(store), fmt, io.BytesIO())
    assert error.value.hint == "use one of: table, json, csv, tsv, xml"


def test_unknown_format_for_construct(store):
    with pytest.raises(UsageError, match="CONSTRUCT") as error:
        render(store.query(CONSTRUCT), "csv", io.BytesIO())
    assert "turtle" in error.value.hint and "ntriples" in error.value.hint


def test_federated_queries_are_refused_before_anything_is_fetched() -> None:
    from kg.store import KGStore

    store = KGStore()
    with pytest.raises(QueryError, match="SERVICE"):
        store.query("SELECT * WHERE { SERVICE <http://192.0.2.1/sparql> { ?s ?p ?o } }")
    # the word inside a string or an IRI is not the keyword
    assert list(store.query('SELECT ?s WHERE { ?s ?p "SERVICE" }')) == []
    assert list(store.query("SELECT ?s WHERE { ?s <http://example.org/SERVICE> ?o }")) == []


def test_the_service_check_is_not_fooled_by_escapes_nor_fooled_by_variables() -> None:
    from kg.store import KGStore

    store = KGStore()
    sneaky = ("PREFIX ex: <http://example.org/> SELECT * WHERE { OPTIONAL { ?s ex:x\\#y ?o } "
              "SERVICE <http://192.0.2.1/sparql> { ?a ?b ?c } }")
    with pytest.raises(QueryError, match="SERVICE"):
        store.query(sneaky)
    assert list(store.query("SELECT ?service WHERE { ?service a ?class }")) == []
    assert list(store.query(
        "PREFIX ex: <http://example.org/> SELECT ?s WHERE { ?s ex:service ?o }")) == []
