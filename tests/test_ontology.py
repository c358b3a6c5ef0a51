"""The ontology declares every term newskg writes, and the axioms users rely on.

The benchmark scorer and users' SPARQL find meetings, visits, missions and
countries through ``rdfs:subClassOf*``, so those axioms are part of the
public contract; ``kg.vocab`` lists every IRI the code emits, so the ontology
must declare each of them and nothing stale.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from kg import vocab

ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = ROOT / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "newskg.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")

TERM_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
DEFINED_BY = {
    vocab.SKOS.iri: "http://www.w3.org/2004/02/skos/core",
    vocab.ORG.iri: "http://www.w3.org/ns/org#",
    vocab.SCHEMA.iri: "http://schema.org/",
    vocab.PROV.iri: "http://www.w3.org/ns/prov-o#",
    vocab.NIF.iri: "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    vocab.KGO.iri: vocab.ONTOLOGY,
    vocab.TIME.iri: "http://www.w3.org/2006/time#",
    vocab.DCTERMS.iri: "http://purl.org/dc/terms/",
}
DECLARED_TERMS = [iri for namespace in vocab.DECLARED for iri in namespace]

K, ORG, S = vocab.KGO, vocab.ORG, vocab.SCHEMA
SUBCLASS_AXIOMS = [
    (K.Mission, ORG.Organization),
    (K.PeacekeepingMission, K.Mission),
    (K.ObserverMission, K.Mission),
    (K.FieldMission, K.Mission),
    (K.PeacekeepingMission, ORG.Organization),
    (K.Meeting, S.Event),
    (K.Visit, S.Event),
    (ORG.OrganizationalUnit, ORG.Organization),
    (S.Country, S.AdministrativeArea),
    (S.City, S.AdministrativeArea),
    (S.AdministrativeArea, S.Place),
    (S.Country, S.Place),
    (S.City, S.Place),
]


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY_FILE, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES_FILE, format="turtle")


@pytest.fixture(scope="module")
def ontology_store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.load(path=str(ONTOLOGY_FILE), format=pyoxigraph.RdfFormat.TURTLE)
    return store


def test_both_files_parse(ontology: rdflib.Graph, shapes: rdflib.Graph) -> None:
    assert len(ontology) > 100
    assert len(shapes) > 50


@pytest.mark.parametrize("iri", DECLARED_TERMS)
def test_every_emitted_term_is_declared(ontology: rdflib.Graph, iri: str) -> None:
    term = rdflib.URIRef(iri)
    types = set(ontology.objects(term, RDF.type))
    assert types & TERM_TYPES, f"{iri} has no OWL class/property type"
    labels = list(ontology.objects(term, RDFS.label))
    assert len(labels) == 1, f"{iri} needs exactly one rdfs:label"
    definitions = list(ontology.objects(term, SKOS.definition)) + list(
        ontology.objects(term, RDFS.comment)
    )
    assert definitions, f"{iri} has no skos:definition or rdfs:comment"
    namespace = next(ns for ns in DEFINED_BY if iri.startswith(ns))
    assert set(ontology.objects(term, RDFS.isDefinedBy)) == {rdflib.URIRef(DEFINED_BY[namespace])}


@pytest.mark.parametrize("iri", DECLARED_TERMS)
def test_classes_and_properties_are_typed_by_their_name(ontology: rdflib.Graph, iri: str) -> None:
    """A capitalized local name is a class, any other a property: catches swapped types."""
    local = iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    types = set(ontology.objects(rdflib.URIRef(iri), RDF.type)) & TERM_TYPES
    if local[0].isupper():
        assert types == {OWL.Class}
    else:
        assert len(types) == 1
        assert OWL.Class not in types


def test_no_stale_kgo_terms(ontology: rdflib.Graph) -> None:
    declared = {str(s) for s in ontology.subjects() if str(s).startswith(vocab.KGO.iri)}
    assert declared <= set(vocab.KGO), f"not in kg.vocab: {sorted(declared - set(vocab.KGO))}"


@pytest.mark.parametrize(("sub", "sup"), SUBCLASS_AXIOMS)
def test_subclass_axioms(ontology_store: pyoxigraph.Store, sub: str, sup: str) -> None:
    query = f"ASK {{ <{sub}> <{vocab.RDFS.subClassOf}>* <{sup}> }}"
    assert ontology_store.query(query), f"{sub} is not a subclass of {sup}"


def test_mission_is_not_an_event_and_events_are_not_organizations(
    ontology_store: pyoxigraph.Store,
) -> None:
    """The scorer counts an entity by its first kind; the hierarchies must not cross."""
    for sub, sup in [(K.Mission, S.Event), (K.Meeting, ORG.Organization), (S.Place, S.Event)]:
        assert not ontology_store.query(f"ASK {{ <{sub}> <{vocab.RDFS.subClassOf}>* <{sup}> }}")


def test_header(ontology: rdflib.Graph) -> None:
    header = rdflib.URIRef(vocab.ONTOLOGY)
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(header, DCTERMS.title)
    assert ontology.value(header, DCTERMS.description)
    assert ontology.value(header, OWL.versionIRI) == rdflib.URIRef(vocab.ONTOLOGY + "/0.1.0")
    assert ontology.value(header, OWL.versionInfo)
    assert ontology.value(header, DCTERMS.license) == rdflib.URIRef(
        "https://opensource.org/licenses/MIT"
    )
    assert str(ontology.value(header, DCTERMS.creator)) == "newskg"


def test_evidence_and_bookkeeping_properties(ontology: rdflib.Graph) -> None:
    def value(term: str, prop: rdflib.URIRef) -> rdflib.term.Node | None:
        return ontology.value(rdflib.URIRef(term), prop)

    xsd = rdflib.XSD
    assert value(K.confidence, RDFS.range) == xsd.decimal
    assert value(K.extractedBy, RDFS.range) == xsd.string
    assert value(K.former, RDFS.range) == xsd.boolean
    assert value(K.former, RDFS.domain) == rdflib.URIRef(ORG.Membership)
    assert value(K.contentDigest, RDFS.range) == xsd.string
    # Also recorded on the ontology IRI by the store, so no domain of NewsArticle.
    assert value(K.contentDigest, RDFS.domain) is None
    assert value(vocab.NIF.beginIndex, RDFS.range) == xsd.nonNegativeInteger


def test_nothing_that_rdfs_inference_would_turn_against_the_shapes(ontology: rdflib.Graph) -> None:
    """Validation runs with RDFS inference. An rdfs:range on an object property
    would type every value as the range class (hiding a membership that points
    at a place), and skos:altLabel under rdfs:label would give every entity
    with an alias two canonical labels."""
    for prop in ontology.subjects(RDF.type, OWL.ObjectProperty):
        assert ontology.value(prop, RDFS.range) is None, f"{prop} has an rdfs:range"
    assert not list(ontology.objects(SKOS.altLabel, RDFS.subPropertyOf))


def test_every_constraint_has_a_message(shapes: rdflib.Graph) -> None:
    for prop_shape in shapes.objects(None, SH.property):
        messages = list(shapes.objects(prop_shape, SH.message))
        assert messages, f"property shape on {shapes.value(prop_shape, SH.path)} has no sh:message"


def test_events_are_targeted_by_their_subclasses(shapes: rdflib.Graph) -> None:
    targets = set(shapes.objects(None, SH.targetClass))
    assert {rdflib.URIRef(K.Meeting), rdflib.URIRef(K.Visit)} <= targets


@pytest.mark.slow
def test_every_iri_a_real_ingest_emits_is_declared(ontology: rdflib.Graph, tmp_path) -> None:
    """Not only the vocabulary constants: the predicates and classes of an actual
    ingest of the example articles, through the real pipeline."""
    from kg.pipeline import ingest

    store_path = tmp_path / "store"
    report = ingest([str(ROOT / "examples")], store_path)
    assert report.stored and not report.failed
    store = pyoxigraph.Store.read_only(str(store_path))
    builtin = (str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#")
    default = pyoxigraph.DefaultGraph()
    used = {q.predicate.value for q in store.quads_for_pattern(None, None, None, default)}
    used |= {q.object.value for q in store.quads_for_pattern(
        None, pyoxigraph.NamedNode(str(RDF.type)), None, default)}
    undeclared = sorted(i for i in used if not i.startswith(builtin)
                        and (rdflib.URIRef(i), RDF.type, None) not in ontology)
    assert not undeclared
