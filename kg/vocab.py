"""Every IRI newskg writes, as constants in closed namespaces.

A closed namespace only knows the terms listed here, so a typo is an
``AttributeError`` at import time rather than a silent new IRI in the graph.
``tests/test_ontology.py`` checks that every term is declared in ``ontology/``.
"""

from __future__ import annotations


class ClosedNamespace:
    """A namespace IRI with a fixed list of local names; attributes give full IRIs."""

    def __init__(self, iri: str, terms: str) -> None:
        self.iri = iri
        self.terms = tuple(terms.split())
        for term in self.terms:
            setattr(self, term, iri + term)

    def __getattr__(self, name: str) -> str:
        raise AttributeError(f"{name!r} is not a term of {self.iri}")

    def __iter__(self):
        return (self.iri + term for term in self.terms)


RDF = ClosedNamespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "type")
RDFS = ClosedNamespace(
    "http://www.w3.org/2000/01/rdf-schema#", "label comment subClassOf isDefinedBy"
)
OWL = ClosedNamespace("http://www.w3.org/2002/07/owl#", "sameAs Class")
XSD = ClosedNamespace(
    "http://www.w3.org/2001/XMLSchema#",
    "date gYearMonth dateTime decimal boolean string nonNegativeInteger",
)
SKOS = ClosedNamespace("http://www.w3.org/2004/02/skos/core#", "altLabel")
ORG = ClosedNamespace(
    "http://www.w3.org/ns/org#",
    "Organization OrganizationalUnit Membership Role member organization role subOrganizationOf"
    " memberDuring",
)
SCHEMA = ClosedNamespace(
    "http://schema.org/",
    "Person Place Country City AdministrativeArea Event NewsArticle"
    " startDate endDate location attendee organizer url datePublished headline mentions",
)
PROV = ClosedNamespace("http://www.w3.org/ns/prov#", "wasDerivedFrom")
NIF = ClosedNamespace(
    "http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#",
    "String anchorOf beginIndex endIndex referenceContext",
)
KGO = ClosedNamespace(
    "https://w3id.org/newskg/ontology#",
    "Mission PeacekeepingMission ObserverMission FieldMission Meeting Visit"
    " confidence extractedBy former contentDigest attestedOn endedBefore endedOn uncurated"
    " gathering PostReference referencedRole referencedOrganization HolderResolution holder"
    " nameWord nameAlone unlinked",
)
DCTERMS = ClosedNamespace("http://purl.org/dc/terms/", "isReplacedBy")
TIME = ClosedNamespace(
    "http://www.w3.org/2006/time#", "Interval Instant hasBeginning hasEnd inXSDDate"
)

# The ontology's own IRI and the graph it is loaded into.
ONTOLOGY = "https://w3id.org/newskg/ontology"
ONTOLOGY_GRAPH = "https://w3id.org/newskg/graph/ontology"
GRAPH_BASE = "https://w3id.org/newskg/graph/"
# What the store derives from the article graphs (posts' intervals, one event for the reports
# of one gathering, the holders of unnamed posts): a graph of its own, so
# the default graph stays the merge of named graphs and no article write loses it.
DERIVED_GRAPH = GRAPH_BASE + "derived"
# What the user's curation file asserts (merged IRIs, posts' ended-on days): a named graph,
# so its triples are merged into the default graph and replaced as a whole on a change.
CURATION_GRAPH = GRAPH_BASE + "curation"
DEFAULT_ID_BASE = "https://w3id.org/newskg/id/"
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"

# Prefixes offered to queries and serializations.
PREFIXES = {
    "rdf": RDF.iri,
    "rdfs": RDFS.iri,
    "owl": OWL.iri,
    "xsd": XSD.iri,
    "skos": SKOS.iri,
    "org": ORG.iri,
    "schema": SCHEMA.iri,
    "prov": PROV.iri,
    "nif": NIF.iri,
    "kgo": KGO.iri,
    "time": TIME.iri,
    "dcterms": DCTERMS.iri,
}

# Namespaces whose terms the ontology must declare (RDF, RDFS, OWL, XSD are built in).
DECLARED = (SKOS, ORG, SCHEMA, PROV, NIF, KGO, TIME, DCTERMS)
