"""The SPARQL endpoint's work, without HTTP (layer 5): what ``kg serve`` calls.

Queries (and graph reads) run in a ``QueryPool`` of worker processes, so a runaway
one is stopped after ``Settings.timeout`` seconds while the others keep answering.
Writes (SPARQL Update and Graph Store writes, only with ``allow_writes``) run one at
a time in this process on the store opened read-write, and keep the default graph in
step with the named graphs as ``kg ingest`` does (``KGStore.update``, ``put_graph``).
The workers see a write on their next job (they reopen when the store's files change).
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import (
    InputError,
    NotAcceptable,
    NotFoundError,
    QueryError,
    Refused,
    UnsupportedMediaType,
)
from kg.results import SOLUTION_MEDIA_TYPES, write_boolean, write_solutions, write_triples
from kg.service import service_description, void_description
from kg.sparql import graphs_named, query_form, refuse_fetching, with_update_dataset
from kg.store import KGStore
from kg.vocab import PREFIXES
from kg.workers import QueryPool, store_signature

# name -> (format, Content-Type)
GRAPH_FORMATS: dict[str, tuple[ox.RdfFormat, str]] = {
    "turtle": (ox.RdfFormat.TURTLE, "text/turtle; charset=utf-8"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
    "rdfxml": (ox.RdfFormat.RDF_XML, "application/rdf+xml"),
    "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json"),
    "trig": (ox.RdfFormat.TRIG, "application/trig"),
    "nquads": (ox.RdfFormat.N_QUADS, "application/n-quads"),
    "n3": (ox.RdfFormat.N3, "text/n3; charset=utf-8"),
}
BOOLEAN_FORMATS = ("json", "xml")


@dataclass(frozen=True)
class Settings:
    """What the operator chose; the defaults are the safe ones."""

    store_path: Path
    allow_writes: bool = False
    allow_federation: bool = False
    timeout: float = 30.0
    max_rows: int | None = 100_000
    workers: int = 2


@dataclass(frozen=True)
class Answer:
    """A serialized result: its kind ("solutions", "boolean", "graph"), format name,
    Content-Type and bytes."""

    kind: str
    format: str
    media_type: str
    body: bytes


@dataclass(frozen=True)
class Dataset:
    """The protocol's dataset: ``default-graph-uri`` and ``named-graph-uri`` values."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()

    def arguments(self) -> dict[str, object]:
        """pyoxigraph's ``default_graph``/``named_graphs``: when the request gives either,
        it is the whole dataset (SPARQL 1.1 Protocol 2.1.4), overriding FROM clauses."""
        if not self.default and not self.named:
            return {}
        return {"default_graph": [ox.NamedNode(g) for g in self.default],
                "named_graphs": [ox.NamedNode(g) for g in self.named]}


def kind_of(sparql: str) -> str | None:
    """"solutions", "boolean" or "graph": which results a query gives (None: unknown)."""
    form = query_form(sparql)
    return {"SELECT": "solutions", "ASK": "boolean", "CONSTRUCT": "graph",
            "DESCRIBE": "graph"}.get(form or "")


class Endpoint:
    """A store served over SPARQL: queries in workers, writes here, one at a time."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._writer = KGStore(settings.store_path) if settings.allow_writes else None
        if self._writer is None:
            KGStore(settings.store_path, read_only=True).close()  # fail early: no store
        self._write_lock = threading.Lock()
        self.pool = QueryPool(settings.store_path, settings.workers)

    def close(self) -> None:
        self.pool.close()
        if self._writer is not None:
            self._writer.close()

    # ---------------------------------------------------------------- reads

    def query(self, sparql: str, formats: dict[str, str], dataset: Dataset = Dataset(),
              base_iri: str | None = None) -> Answer:
        """Run a query; ``formats`` maps each result kind to the format name to write it in
        (a kind missing from it: NotAcceptable)."""
        if not self.settings.allow_federation:
            refuse_fetching(sparql)
        return self.pool.run(_query_job, sparql, formats, dataset, base_iri,
                             self.settings.max_rows, timeout=self.settings.timeout)

    def get_graph(self, graph: str | None, fmt: str) -> Answer:
        """A named graph (``None``: the default graph, the merged knowledge) in ``fmt``."""
        return self.pool.run(_graph_job, graph, fmt, self.settings.max_rows,
                             timeout=self.settings.timeout)

    def describe_service(self, endpoint_url: str, fmt: str) -> Answer:
        triples = service_description(endpoint_url, writes=self.settings.allow_writes,
                                      federation=self.settings.allow_federation)
        return _graph_answer(triples, fmt, None)

    def void(self, dataset_url: str, endpoint_url: str, fmt: str) -> Answer:
        stats = self.pool.run(_stats_job, timeout=self.settings.timeout)
        modified = _last_write(self.settings.store_path)
        return _graph_answer(void_description(dataset_url, endpoint_url, stats, modified),
                             fmt, None)

    # ---------------------------------------------------------------- writes

    def _write_store(self) -> KGStore:
        if self._writer is None:
            raise Refused("this endpoint is read-only",
                          "the operator can enable writes with kg serve --allow-writes")
        return self._writer

    def update(self, sparql: str, *, using: tuple[str, ...] = (),
               using_named: tuple[str, ...] = (), base_iri: str | None = None) -> None:
        """Run a SPARQL update, the protocol's USING dataset written into it, keeping the
        default graph in step (``KGStore.update``)."""
        store = self._write_store()
        if not self.settings.allow_federation:
            refuse_fetching(sparql)
        text = with_update_dataset(sparql, list(using), list(using_named))
        with self._write_lock:
            store.update(text, base_iri=base_iri, graphs=graphs_named(text, base_iri))

    def put_graph(self, graph: str | None, parts: list[tuple[bytes, str]],
                  base_iri: str | None = None) -> bool:
        """Replace a graph with the RDF in ``parts`` ((bytes, media type) each); True when
        the graph is new."""
        store = self._write_store()
        triples = _parse(parts, base_iri or graph)
        with self._write_lock:
            return store.put_graph(graph, triples)

    def post_graph(self, graph: str | None, parts: list[tuple[bytes, str]],
                   base_iri: str | None = None) -> bool:
        """Merge the RDF in ``parts`` into a graph; True when the graph is new."""
        store = self._write_store()
        triples = _parse(parts, base_iri or graph)
        with self._write_lock:
            return store.add_to_graph(graph, triples)

    def delete_graph(self, graph: str | None) -> None:
        store = self._write_store()
        with self._write_lock:
            if not store.drop_graph(graph):
                raise NotFoundError(f"the store has no graph {graph}", "")

    @staticmethod
    def new_graph_iri(base: str) -> str:
        """An IRI for a graph created by POST to the graph store (under the server)."""
        return f"{base.rstrip('/')}/{uuid.uuid4()}"


# ---------------------------------------------------------------- in the workers


def _query_job(store: KGStore, sparql: str, formats: dict[str, str], dataset: Dataset,
               base_iri: str | None, max_rows: int | None) -> Answer:
    try:
        results = store.raw.query(sparql, base_iri=base_iri, **dataset.arguments())
        return _write(results, formats, max_rows)
    except SyntaxError as error:
        raise QueryError(f"invalid SPARQL: {error}".splitlines()[0],
                         "check the query syntax") from None
    except (OSError, RuntimeError, ValueError) as error:
        raise QueryError(f"the query failed: {error}",
                         "simplify the query or check its IRIs and functions") from None


def _write(results: object, formats: dict[str, str], max_rows: int | None) -> Answer:
    if isinstance(results, ox.QuerySolutions):
        fmt = _format_for("solutions", formats)
        return Answer("solutions", fmt, SOLUTION_MEDIA_TYPES[fmt],
                      write_solutions(results, fmt, max_rows))
    if isinstance(results, ox.QueryBoolean):
        fmt = _format_for("boolean", formats)
        return Answer("boolean", fmt, SOLUTION_MEDIA_TYPES[fmt], write_boolean(results, fmt))
    return _graph_answer(results, _format_for("graph", formats), max_rows)


def _format_for(kind: str, formats: dict[str, str]) -> str:
    if kind not in formats:
        raise NotAcceptable(f"none of the accepted formats can carry {kind} results",
                            "accept e.g. application/sparql-results+json or text/turtle")
    return formats[kind]


def _graph_answer(triples: object, fmt: str, max_rows: int | None) -> Answer:
    rdf_format, media_type = GRAPH_FORMATS[fmt]
    return Answer("graph", fmt, media_type,
                  write_triples(triples, rdf_format, max_rows, prefixes=PREFIXES))


def _graph_job(store: KGStore, graph: str | None, fmt: str, max_rows: int | None) -> Answer:
    if graph is not None and not store.has_graph(graph):
        raise NotFoundError(f"the store has no graph {graph}",
                            "GET /store lists nothing; query SELECT DISTINCT ?g "
                            "WHERE { GRAPH ?g {} } for the graphs")
    node = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
    triples = (q.triple for q in store.raw.quads_for_pattern(None, None, None, node))
    return _graph_answer(triples, fmt, max_rows)


def _stats_job(store: KGStore) -> dict[str, object]:
    return store.stats()


# ---------------------------------------------------------------- helpers


def _parse(parts: list[tuple[bytes, str]], base_iri: str | None) -> list:
    triples = []
    for data, media_type in parts:
        rdf_format = ox.RdfFormat.from_media_type(media_type.split(";")[0].strip())
        if rdf_format is None:
            raise UnsupportedMediaType(
                f"cannot read RDF sent as {media_type or 'no Content-Type'}",
                "send text/turtle, application/n-triples, application/rdf+xml, "
                "application/ld+json, application/trig or application/n-quads")
        try:
            quads = ox.parse(data, format=rdf_format, base_iri=base_iri)
            triples += [(q.subject, q.predicate, q.object) for q in quads]
        except (SyntaxError, ValueError) as error:
            raise InputError(f"the {media_type} body is not valid: {error}",
                             "check the RDF syntax") from None
    return triples


def _last_write(store_path: Path) -> float:
    """When the store last changed (its newest file), as a Unix time."""
    signature = store_signature(store_path)
    return max((mtime for _, _, mtime in signature), default=time.time_ns()) / 1e9
