"""SHACL validation catches each way the merged graph can break the contract.

The data is written by hand after DESIGN.md's "Public contract", loaded into
an in-memory store's default graph, then broken one triple at a time with
SPARQL updates, so each test shows exactly which change a shape catches.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from kg.errors import KGError
from kg.validate import ValidationReport, Violation, check_store, validate, validate_store

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ID = "https://w3id.org/newskg/id/"
URL = "file:///news/dev-001.txt"

PREFIXES = f"""
@prefix id: <{ID}> .
@prefix kgo: <https://w3id.org/newskg/ontology#> .
@prefix nif: <http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <http://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

CONFORMING = (
    PREFIXES
    + f"""
id:person-zas a schema:Person ; rdfs:label "Stanislav Zas" ; skos:altLabel "Zas" .
id:person-zhang a schema:Person ; rdfs:label "Zhang Ming" .
id:org-csto a org:Organization ;
    rdfs:label "Collective Security Treaty Organization" ; skos:altLabel "CSTO" .
id:org-csto-secretariat a org:Organization , org:OrganizationalUnit ;
    rdfs:label "CSTO Secretariat" ; org:subOrganizationOf id:org-csto .
id:mission-cpf a kgo:PeacekeepingMission ;
    rdfs:label "CSTO Collective Peacekeeping Forces" ;
    org:subOrganizationOf id:org-csto ; schema:location id:place-kazakhstan .
id:place-kazakhstan a schema:Country ; rdfs:label "Kazakhstan" .
id:place-moscow a schema:City ; rdfs:label "Moscow" .
id:role-secretary-general a org:Role ; rdfs:label "Secretary General" .

id:membership-1 a org:Membership ;
    org:member id:person-zas ; org:organization id:org-csto ;
    org:role id:role-secretary-general ;
    prov:wasDerivedFrom <{URL}#char=0,52> ;
    kgo:confidence 0.9 ; kgo:extractedBy "title-before-name" ; kgo:former false .

id:event-1 a kgo:Meeting ;
    schema:startDate "2022-05-16"^^xsd:date ;
    schema:location id:place-moscow ;
    schema:attendee id:person-zas , id:person-zhang , id:org-csto ;
    schema:organizer id:org-csto-secretariat ;
    prov:wasDerivedFrom <{URL}#char=53,120> ;
    kgo:confidence 0.8 ; kgo:extractedBy "meeting-verb" .

id:event-2 a kgo:Visit ;
    schema:startDate "2022-05"^^xsd:gYearMonth ;
    schema:endDate "2022-06"^^xsd:gYearMonth ;
    schema:attendee id:person-zhang , id:place-kazakhstan ;
    prov:wasDerivedFrom <{URL}#char=53,120> ;
    kgo:confidence 0.7 .

<{URL}#char=0,52> a nif:String ;
    nif:anchorOf "CSTO Secretary General Stanislav Zas met Zhang Ming." ;
    nif:beginIndex "0"^^xsd:nonNegativeInteger ;
    nif:endIndex "52"^^xsd:nonNegativeInteger ;
    nif:referenceContext id:article-1 .
<{URL}#char=53,120> a nif:String ;
    nif:anchorOf "The talks were held in Moscow on 16 May; Zhang Ming then went on." ;
    nif:beginIndex "53"^^xsd:nonNegativeInteger ;
    nif:endIndex "120"^^xsd:nonNegativeInteger ;
    nif:referenceContext id:article-1 .

id:article-1 a schema:NewsArticle ;
    schema:url <{URL}> ;
    schema:headline "Stanislav Zas meets Zhang Ming" ;
    schema:datePublished "2022-05-18"^^xsd:date ;
    kgo:contentDigest "{"ab" * 32}" ;
    schema:mentions id:person-zas , id:person-zhang , id:org-csto , id:mission-cpf ,
        id:place-moscow , id:place-kazakhstan .
"""
)

SPARQL_PREFIXES = "\n".join(
    line.replace("@prefix", "PREFIX").rstrip(" .") for line in PREFIXES.strip().splitlines()
)


def store_with(update: str = "") -> pyoxigraph.Store:
    """The conforming dataset in a fresh store's default graph, then ``update`` applied."""
    store = pyoxigraph.Store()
    store.load(CONFORMING.encode(), format=pyoxigraph.RdfFormat.TURTLE)
    if update:
        store.update(SPARQL_PREFIXES + "\n" + update)
    return store


def check(update: str, inference: str = "rdfs") -> ValidationReport:
    """pyshacl's report on the changed data, after checking that the shapes compiled to
    SPARQL (what ``kg validate`` runs) report exactly the same."""
    store = store_with(update)
    full = validate_store(store, ONTOLOGY_DIR, inference=inference)
    fast = check_store(store, ONTOLOGY_DIR, inference=inference)
    assert same_blank_nodes(fast) == same_blank_nodes(full), (
        f"SPARQL:\n{fast.render()}\npyshacl:\n{full.render()}")
    return full


def same_blank_nodes(report: ValidationReport) -> ValidationReport:
    """The report with every blank node called ``_:b``: rdflib and Oxigraph name them apart.
    A path that is not a plain predicate is a blank node to pyshacl (the path's own node)
    and ``^predicate`` to the SPARQL check: both become ``_:b``."""
    def blank(term: str | None) -> str | None:
        return "_:b" if term is not None and term.startswith(("_:", "^")) else term

    return ValidationReport(report.conforms, [
        Violation(blank(v.focus), blank(v.path), v.message, v.severity, blank(v.value))
        for v in report.violations])


def only(report: ValidationReport, message_start: str) -> Violation:
    """The one violation whose message starts so; fails listing what was found."""
    hits = [v for v in report.violations if v.message.startswith(message_start)]
    assert len(hits) == 1, report.render()
    errors = [v for v in report.violations if v.severity == "Violation"]
    assert errors == hits, report.render()
    return hits[0]


@pytest.mark.parametrize("inference", ["rdfs", "none"])
def test_conforming_dataset_conforms(inference: str) -> None:
    report = check("", inference)
    assert report.conforms, report.render()
    assert report.violations == []
    assert "conforms" in report.render()


def test_person_with_two_labels() -> None:
    report = check('INSERT DATA { id:person-zas rdfs:label "S. Zas" }')
    assert not report.conforms
    violation = only(report, "Person must have exactly one rdfs:label")
    assert violation.focus == ID + "person-zas"
    assert violation.path == "rdfs:label"
    assert violation.severity == "Violation"


def test_membership_missing_evidence() -> None:
    report = check("DELETE WHERE { id:membership-1 prov:wasDerivedFrom ?s }")
    assert not report.conforms
    violation = only(report, "Membership must have at least one prov:wasDerivedFrom")
    assert violation.focus == ID + "membership-1"
    assert violation.path == "prov:wasDerivedFrom"


def test_a_membership_reported_twice_carries_both_reports_evidence() -> None:
    """One membership node per post: each article reporting it adds its sentence."""
    report = check(
        f'INSERT DATA {{ id:membership-1 prov:wasDerivedFrom <{URL}#char=0,52> ;'
        ' kgo:confidence 0.6 ; kgo:extractedBy "another-rule" }'
    )
    assert report.conforms, report.render()


def test_an_event_of_one_article_has_one_sentence_a_gathering_one_per_report() -> None:
    two = f"id:event-1 prov:wasDerivedFrom <{URL}#char=0,52> ."
    violation = only(check(f"INSERT DATA {{ {two} }}"),
                     "An event read from one article has exactly one prov:wasDerivedFrom")
    assert violation.focus == ID + "event-1"
    # the event the store derives for a gathering of reports carries each report's
    gathering = "id:event-1 kgo:gathering id:event-0 . id:event-2 kgo:gathering id:event-0 ."
    derived = (f"id:event-0 a kgo:Meeting ; schema:attendee id:person-zas ;"
               f" prov:wasDerivedFrom <{URL}#char=0,52> , <{URL}#char=53,120> ;"
               ' kgo:confidence 0.8 ; kgo:extractedBy "event-same-gathering" .')
    report = check(f"INSERT DATA {{ {gathering} {derived} }}")
    assert report.conforms, report.render()
    # a gathering of one report is none
    report = check(f"INSERT DATA {{ id:event-1 kgo:gathering id:event-0 . {derived} }}")
    assert {(v.focus, v.message[:40]) for v in report.violations} == {
        (ID + "event-0", "A gathering must gather at least two rep"),
        (ID + "event-0", "An event read from one article has exact")}


def test_event_with_confidence_above_one() -> None:
    report = check(
        "DELETE { id:event-1 kgo:confidence ?c } INSERT { id:event-1 kgo:confidence 1.5 }"
        " WHERE { id:event-1 kgo:confidence ?c }"
    )
    assert not report.conforms
    violation = only(report, "Event's kgo:confidence must be an xsd:decimal between 0 and 1")
    assert violation.focus == ID + "event-1"
    assert violation.value == '"1.5"^^xsd:decimal'


def test_article_without_url() -> None:
    report = check("DELETE WHERE { id:article-1 schema:url ?u }")
    assert not report.conforms
    violation = only(report, "Article must have exactly one schema:url")
    assert violation.focus == ID + "article-1"


@pytest.mark.parametrize(
    ("update", "message", "focus"),
    [
        # Found through kgo:PeacekeepingMission ⊑ kgo:Mission ⊑ org:Organization.
        (
            'INSERT DATA { id:mission-cpf rdfs:label "CPF" }',
            "Organization must have exactly one",
            "mission-cpf",
        ),
        # Found through schema:Country ⊑ schema:AdministrativeArea ⊑ schema:Place.
        (
            "DELETE WHERE { id:place-kazakhstan rdfs:label ?l }",
            "Place must have exactly one",
            "place-kazakhstan",
        ),
        (
            "DELETE WHERE { id:event-2 schema:attendee ?a }",
            "Event must have at least one schema:attendee",
            "event-2",
        ),
        (
            "DELETE WHERE { id:event-1 schema:startDate ?d } ;"
            ' INSERT DATA { id:event-1 schema:startDate "2022-05-16T10:00:00"^^xsd:dateTime }',
            "Event's schema:startDate must be an xsd:date",
            "event-1",
        ),
        (
            "DELETE WHERE { id:membership-1 org:member ?p } ;"
            " INSERT DATA { id:membership-1 org:member id:place-moscow }",
            "Membership's org:member must be a schema:Person",
            "membership-1",
        ),
        (
            "DELETE WHERE { id:role-secretary-general rdfs:label ?l }",
            "Role must have exactly one",
            "role-secretary-general",
        ),
        (
            'INSERT DATA { id:membership-1 kgo:confidence "high" }',
            "Membership's kgo:confidence must be an xsd:decimal",
            "membership-1",
        ),
        (
            "INSERT DATA { id:person-zhang a org:Organization }",
            "A schema:Person must not also be",
            "person-zhang",
        ),
        (
            'INSERT DATA { id:article-1 kgo:contentDigest "not-a-digest" }',
            "Article must have at most one kgo:contentDigest",
            "article-1",
        ),
    ],
)
@pytest.mark.parametrize("inference", ["rdfs", "none"])
def test_other_breaches(update: str, message: str, focus: str, inference: str) -> None:
    """Each holds with and without RDFS inference: SHACL follows rdfs:subClassOf itself."""
    report = check(update, inference)
    assert not report.conforms
    assert any(
        v.message.startswith(message) and v.focus == ID + focus for v in report.violations
    ), report.render()


def test_broken_evidence_sentence() -> None:
    report = check(
        f"DELETE WHERE {{ <{URL}#char=0,52> nif:endIndex ?e }} ;"
        f' INSERT DATA {{ <{URL}#char=0,52> nif:endIndex "-3"^^xsd:integer }}'
    )
    focuses = {v.focus for v in report.violations}
    assert focuses == {f"{URL}#char=0,52"}, report.render()
    assert not report.conforms


def test_a_warning_does_not_break_conformance() -> None:
    report = check("DELETE WHERE { id:org-csto-secretariat org:subOrganizationOf ?o }")
    assert report.conforms
    assert [v.severity for v in report.violations] == ["Warning"]
    assert "[warning] Organizational unit should say" in report.render()


def test_render_groups_by_message_with_counts() -> None:
    report = check(
        "DELETE WHERE { ?m prov:wasDerivedFrom ?s } ;"
        ' INSERT DATA { id:person-zas rdfs:label "S. Zas" }'
    )
    text = report.render()
    assert "1 × Person must have exactly one rdfs:label" in text
    # One membership and two events lost their evidence: two groups, by class.
    assert "1 × Membership must have at least one prov:wasDerivedFrom" in text
    assert "2 × Event must have at least one prov:wasDerivedFrom" in text
    assert f"\n  {ID}event-1\n  {ID}event-2\n" in text
    assert f"  {ID}person-zas" in text
    assert text.endswith("The graph does not conform: 4 violations.")


def test_render_caps_long_groups() -> None:
    report = ValidationReport(
        conforms=False,
        violations=[
            Violation(f"{ID}p{i}", "rdfs:label", "Person needs a label", "Violation")
            for i in range(13)
        ],
    )
    text = report.render(limit=10)
    assert text.startswith("13 × Person needs a label\n")
    assert "  … and 3 more" in text


def test_only_the_default_graph_is_validated() -> None:
    """Article graphs are provenance; the merged default graph is what must conform."""
    store = store_with()
    bad = pyoxigraph.Quad(
        pyoxigraph.NamedNode(ID + "person-zas"),
        pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
        pyoxigraph.Literal("Zas, Stanislav"),
        pyoxigraph.NamedNode("https://w3id.org/newskg/graph/article-1"),
    )
    store.add(bad)
    assert validate_store(store, ONTOLOGY_DIR).conforms
    nquads = store.dump(format=pyoxigraph.RdfFormat.N_QUADS)
    assert validate(nquads, ONTOLOGY_DIR).conforms
    store.add(pyoxigraph.Quad(bad.subject, bad.predicate, bad.object))
    assert not validate(store.dump(format=pyoxigraph.RdfFormat.N_QUADS), ONTOLOGY_DIR).conforms


def test_missing_shapes_is_a_kg_error(tmp_path: Path) -> None:
    with pytest.raises(KGError) as caught:
        validate_store(store_with(), tmp_path)
    assert "shapes.ttl" in caught.value.message
    assert caught.value.hint


def test_malformed_shapes_is_a_kg_error(tmp_path: Path) -> None:
    (tmp_path / "shapes.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\nnot turtle\n"
    )
    (tmp_path / "newskg.ttl").write_text((ONTOLOGY_DIR / "newskg.ttl").read_text())
    with pytest.raises(KGError) as caught:
        validate_store(store_with(), tmp_path)
    assert "cannot read" in caught.value.message
    assert caught.value.hint


def test_ill_formed_shape_is_a_kg_error(tmp_path: Path) -> None:
    (tmp_path / "shapes.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<urn:s> a sh:NodeShape ; sh:targetClass <http://schema.org/Person> ;"
        ' sh:property [ sh:minCount "one" ] .\n'
    )
    (tmp_path / "newskg.ttl").write_text((ONTOLOGY_DIR / "newskg.ttl").read_text())
    with pytest.raises(KGError) as caught:
        validate_store(store_with(), tmp_path)
    assert "cannot be used" in caught.value.message


def test_unreadable_data_is_a_kg_error() -> None:
    with pytest.raises(KGError):
        validate(b"<not n-quads", ONTOLOGY_DIR)


# ---------------------------------------------------------------- SPARQL and pyshacl agree

# One planted breach per kind of constraint the shapes use (check() compares the engines).
BREACHES = {
    "minCount": "DELETE WHERE { id:person-zhang rdfs:label ?l }",
    "maxCount": 'INSERT DATA { id:event-1 schema:startDate "2022-05-17"^^xsd:date }',
    "class, through a subclass": "INSERT DATA { id:mission-cpf schema:location id:org-csto }",
    "class of an org:subOrganizationOf": "INSERT DATA { id:org-csto org:subOrganizationOf"
                                         " id:person-zas }",
    "datatype": 'INSERT DATA { id:membership-1 kgo:former "yes" }',
    "datatype, ill-formed date": "DELETE WHERE { id:article-1 schema:datePublished ?d } ;"
                                ' INSERT DATA { id:article-1 schema:datePublished'
                                ' "2022-02-30"^^xsd:date }',
    "datatype, ill-formed month": "DELETE WHERE { id:event-2 schema:endDate ?d } ;"
                                  ' INSERT DATA { id:event-2 schema:endDate'
                                  ' "2022-13"^^xsd:gYearMonth }',
    "nodeKind of a value": "DELETE WHERE { id:article-1 schema:url ?u } ;"
                           ' INSERT DATA { id:article-1 schema:url "file:///news/dev-001.txt" }',
    "nodeKind of the focus node": "INSERT DATA { _:s a nif:String ; nif:anchorOf \"x\" ;"
                                  " nif:beginIndex 0 ; nif:endIndex 1 ;"
                                  " nif:referenceContext id:article-1 }",
    "pattern": 'INSERT DATA { id:article-1 kgo:contentDigest "{0}" }'.replace("{0}", "AB" * 32),
    "minInclusive in a node shape": "DELETE WHERE { id:event-2 kgo:confidence ?c } ;"
                                    " INSERT DATA { id:event-2 kgo:confidence -0.25 }",
    "node: Text": "INSERT DATA { id:person-zas skos:altLabel id:place-moscow }",
    "node: Text, a language tag is a string": 'INSERT DATA { id:person-zas skos:altLabel'
                                              ' "Stanislaw Zas"@pl }',
    "node: Evidence": "INSERT DATA { id:membership-1 prov:wasDerivedFrom id:article-1 }",
    "or: Participant": "INSERT DATA { id:event-1 schema:attendee id:role-secretary-general }",
    "or: EventDate": 'INSERT DATA { id:event-2 schema:startDate "May 2022" }',
    "not": "INSERT DATA { id:place-moscow a schema:Person ; a kgo:Mission }",
    "lessThanOrEquals": f'INSERT DATA {{ <{URL}#char=53,120> nif:endIndex 20 }}',
    "warning": "DELETE WHERE { id:org-csto-secretariat org:subOrganizationOf ?o }",
    "target through rdfs:domain": 'INSERT DATA { id:stray nif:anchorOf "an untyped sentence" }',
    "target through the data's own subclass axiom": "INSERT DATA { kgo:Envoy rdfs:subClassOf"
                                                    " schema:Person . id:envoy a kgo:Envoy }",
}


@pytest.mark.parametrize("kind", list(BREACHES))
@pytest.mark.parametrize("inference", ["rdfs", "none"])
def test_the_sparql_check_reports_what_pyshacl_reports(kind: str, inference: str) -> None:
    report = check(BREACHES[kind], inference)  # asserts both engines agree, result by result
    # A tagged string is no breach; without inference a domain makes no instances.
    if "language tag" in kind or ("domain" in kind and inference == "none"):
        assert report.violations == []
    else:
        assert report.violations, "the planted breach was not found"


def test_every_breach_at_once_is_reported_alike() -> None:
    report = check(" ;\n".join(BREACHES.values()))
    assert len({v.message for v in report.violations}) >= 15, report.render()


def test_the_queries_follow_the_shapes_file(tmp_path: Path) -> None:
    """Edit a shape and the SPARQL check changes with it: nothing is copied by hand."""
    shapes = (ONTOLOGY_DIR / "shapes.ttl").read_text(encoding="utf-8")
    person = shapes.index("kgs:PersonShape")
    loose = shapes[:person] + shapes[person:].replace("sh:maxCount 1", "sh:maxCount 2", 1)
    (tmp_path / "shapes.ttl").write_text(loose, encoding="utf-8")
    (tmp_path / "newskg.ttl").write_text((ONTOLOGY_DIR / "newskg.ttl").read_text("utf-8"), "utf-8")
    two_labels = store_with('INSERT DATA { id:person-zas rdfs:label "S. Zas" }')
    assert not check_store(two_labels, ONTOLOGY_DIR).conforms
    assert check_store(two_labels, tmp_path).conforms
    three = store_with('INSERT DATA { id:person-zas rdfs:label "S. Zas" , "Zas S." }')
    assert check_store(three, tmp_path) == validate_store(three, tmp_path)
    assert not check_store(three, tmp_path).conforms


def test_a_shape_the_compiler_cannot_translate_is_a_kg_error(tmp_path: Path) -> None:
    (tmp_path / "shapes.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "<urn:s> a sh:NodeShape ; sh:targetClass <http://schema.org/Person> ;"
        " sh:property [ sh:path <http://www.w3.org/2000/01/rdf-schema#label> ;"
        " sh:uniqueLang true ] .\n", encoding="utf-8")
    (tmp_path / "newskg.ttl").write_text((ONTOLOGY_DIR / "newskg.ttl").read_text("utf-8"), "utf-8")
    with pytest.raises(KGError) as caught:
        check_store(store_with(), tmp_path)
    assert "sh:uniqueLang" in caught.value.message
    assert "--full" in caught.value.hint
    assert validate_store(store_with(), tmp_path).conforms  # pyshacl knows it


def test_the_sparql_check_needs_the_shapes_too(tmp_path: Path) -> None:
    with pytest.raises(KGError) as caught:
        check_store(store_with(), tmp_path)
    assert "shapes.ttl" in caught.value.message and caught.value.hint
