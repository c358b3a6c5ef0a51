"""What the endpoint says about itself (layer 4): a SPARQL 1.1 Service Description of
``/sparql`` and a VoID description of the dataset, as triples to serialize in any format."""

from __future__ import annotations

from datetime import datetime, timezone

import pyoxigraph as ox

from kg.vocab import GRAPH_BASE, ONTOLOGY, RDF, XSD

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
FORMATS = "http://www.w3.org/ns/formats/"

_RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                   "SPARQL_Results_TSV", "Turtle", "N-Triples", "RDF_XML", "JSON-LD", "TriG",
                   "N-Quads")
_INPUT_FORMATS = ("Turtle", "N-Triples", "RDF_XML", "JSON-LD", "TriG", "N-Quads")


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _typed(value: object, datatype: str) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(datatype))


def service_description(endpoint_url: str, *, writes: bool, federation: bool
                        ) -> list[ox.Triple]:
    """sd:Service for the endpoint: languages, result formats, the default dataset."""
    service, dataset, graph = _n(endpoint_url), ox.BlankNode("dataset"), ox.BlankNode("default")
    a = _n(RDF.type)
    triples = [
        ox.Triple(service, a, _n(SD + "Service")),
        ox.Triple(service, _n(SD + "endpoint"), service),
        ox.Triple(service, _n(SD + "supportedLanguage"), _n(SD + "SPARQL11Query")),
        ox.Triple(service, _n(SD + "feature"), _n(SD + "BasicFederatedQuery"))
        if federation else None,
        ox.Triple(service, _n(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, a, _n(SD + "Dataset")),
        ox.Triple(dataset, _n(SD + "defaultGraph"), graph),
        ox.Triple(graph, a, _n(SD + "Graph")),
        ox.Triple(graph, _n(DCTERMS + "description"), ox.Literal(
            "The merged knowledge: every triple of every article graph once; each article's "
            f"facts also sit in a named graph of their own under {GRAPH_BASE}article/")),
    ]
    if writes:
        triples.append(ox.Triple(service, _n(SD + "supportedLanguage"),
                                 _n(SD + "SPARQL11Update")))
    triples += [ox.Triple(service, _n(SD + "resultFormat"), _n(FORMATS + name))
                for name in _RESULT_FORMATS]
    triples += [ox.Triple(service, _n(SD + "inputFormat"), _n(FORMATS + name))
                for name in _INPUT_FORMATS]
    return [t for t in triples if t is not None]


def void_description(dataset_url: str, endpoint_url: str, stats: dict,
                     modified: float | None) -> list[ox.Triple]:
    """void:Dataset with the counts of ``KGStore.stats()`` and when the store last changed
    (``modified``; None: not known, as for a remote store, and then not said)."""
    dataset, a = _n(dataset_url), _n(RDF.type)
    integer = XSD.iri + "integer"
    classes = stats.get("entities_by_class", {})
    triples = [
        ox.Triple(dataset, a, _n(VOID + "Dataset")),
        ox.Triple(dataset, _n(DCTERMS + "title"), ox.Literal("newskg knowledge graph")),
        ox.Triple(dataset, _n(VOID + "sparqlEndpoint"), _n(endpoint_url)),
        ox.Triple(dataset, _n(VOID + "vocabulary"), _n(ONTOLOGY)),
        ox.Triple(dataset, _n(VOID + "triples"),
                  _typed(stats.get("default_graph_triples", 0), integer)),
        ox.Triple(dataset, _n(VOID + "classes"), _typed(len(classes), integer)),
        ox.Triple(dataset, _n(VOID + "entities"), _typed(sum(classes.values()), integer)),
        ox.Triple(dataset, _n(VOID + "documents"), _typed(stats.get("articles", 0), integer)),
    ]
    if modified is not None:
        when = datetime.fromtimestamp(modified, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        triples.append(ox.Triple(dataset, _n(DCTERMS + "modified"),
                                 _typed(when, XSD.iri + "dateTime")))
    for index, (cls, count) in enumerate(sorted(classes.items())):
        partition = _n(f"{dataset_url}#class-{index}")
        triples += [
            ox.Triple(dataset, _n(VOID + "classPartition"), partition),
            ox.Triple(partition, _n(VOID + "class"), _n(cls)),
            ox.Triple(partition, _n(VOID + "entities"), _typed(count, integer)),
        ]
    return triples
