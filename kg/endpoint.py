"""The SPARQL endpoint's work, without HTTP (layer 5): what ``kg serve`` calls.

Queries (and graph reads) run in a ``QueryPool`` of worker processes, so a runaway
one is stopped after ``Settings.timeout`` seconds while the others keep answering; or,
with ``Settings.in_process``, in the calling thread (``InlineRunner``), for a caller that
enforces the time limit itself: ``kg serve``'s read-only processes, which replace
themselves when a query overruns (``kg.server``).
Writes (SPARQL Update and Graph Store writes, only with ``allow_writes``) run one at
a time in this process on the store opened read-write, and keep the default graph in
step with the named graphs as ``kg ingest`` does (``KGStore.update``, ``put_graph``).
The workers see a write on their next job (they reopen when the store's files change).

A remote store (``store_path`` an ``http(s)://`` URL, ``kg.remote.RemoteStore``) needs
no workers: every job is HTTP requests to the endpoint, run in the calling thread
(``RemoteRunner``), each bounded by the time limit as its request timeout (the remote
query itself cannot be stopped from here). Writes go through the same ``KGStore``
methods, over HTTP. Answers are not cached, since others may write to the remote
unseen, unless the operator says this server is its only writer (``sole_writer``).
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import linked, resources
from kg.config import is_remote
from kg.errors import (
    InputError,
    NotAcceptable,
    NotFoundError,
    QueryError,
    Refused,
    UnsupportedMediaType,
)
from kg.linked import Hit, Page
from kg.queries import NamedQuery, bind, list_queries
from kg.queries import run as run_named
from kg.remote import RemoteStore
from kg.results import SOLUTION_MEDIA_TYPES, write_boolean, write_solutions, write_triples
from kg.service import service_description, void_description
from kg.sparql import graphs_named, query_form, refuse_fetching, with_update_dataset
from kg.store import KGStore, sparql_code
from kg.vocab import DEFAULT_ID_BASE, PREFIXES
from kg.workers import (
    InlineRunner,
    QueryPool,
    folder_signature,
    reporting_bugs,
    store_signature,
)

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

    store_path: Path | str  # a store directory, or a remote SPARQL endpoint's URL
    allow_writes: bool = False
    allow_federation: bool = False
    timeout: float = 30.0
    max_rows: int | None = 100_000
    workers: int = 2  # query worker processes (not in_process)
    in_process: bool = False  # queries in the calling thread; the caller enforces timeout
    base: str = DEFAULT_ID_BASE  # instance IRIs under it are served as pages
    queries_dir: Path | None = None  # named queries; None: kg.resources.queries_dir()
    cache_bytes: int = 64 * 1024 * 1024  # answers kept until the store changes
    sole_writer: bool = False  # a remote store is written only through this server


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


# functions whose value changes from one run to the next: such a query is never cached
_VOLATILE = re.compile(r"(?<![\w:?$-])(NOW|RAND|UUID|STRUUID|BNODE)\s*\(", re.IGNORECASE)
_NOMINAL_SIZE = 16 * 1024  # what a cached page or search result is counted as


def _query_key(sparql: str, formats: dict[str, str], dataset: Dataset,
               base_iri: str | None) -> tuple | None:
    """A query's key in the cache (None: never cached, its answer changes run to run)."""
    if _VOLATILE.search(sparql_code(sparql)):
        return None
    return ("query", sparql, tuple(sorted(formats.items())), dataset, base_iri)


class AnswerCache:
    """Answers of reads, kept while the store's ``signature()`` stays as it was.

    For a store directory that is its files (``store_signature``, what the workers
    reopen on): every write, by this server or by a ``kg ingest`` beside it, changes
    their names, sizes or times, and the first lookup after it empties the cache, so an
    answer is never older than the store. A remote store has no files to watch: its
    signature counts this server's own writes, which is enough only when no one else
    writes there (``Settings.sole_writer``; otherwise the cache is off).
    """

    def __init__(self, signature: Callable[[], tuple], limit: int) -> None:
        self.signature = signature
        self.limit = limit
        self._items: OrderedDict[tuple, tuple[Any, int]] = OrderedDict()
        self._signature: tuple | None = None
        self._size = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def peek(self, key: tuple) -> Any:
        """The cached answer for ``key``, or None."""
        if self.limit <= 0:
            return None
        found = self._find(key, self.signature(), count_miss=False)
        return None if found is _MISSING else found

    def get(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """The cached answer for ``key``, or ``compute()``'s (then kept if small enough)."""
        if self.limit <= 0:
            return compute()
        signature = self.signature()
        found = self._find(key, signature)
        if found is not _MISSING:
            return found
        value = compute()
        size = len(value.body) if isinstance(value, Answer) else _NOMINAL_SIZE
        if size <= self.limit // 16:
            with self._lock:
                if self._signature == signature and key not in self._items:
                    self._items[key] = (value, size)
                    self._size += size
                    while self._size > self.limit:
                        _, (_, dropped) = self._items.popitem(last=False)
                        self._size -= dropped
        return value

    def _find(self, key: tuple, signature: tuple, count_miss: bool = True) -> Any:
        with self._lock:
            if signature != self._signature:
                self._items.clear()
                self._size, self._signature = 0, signature
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key][0]
            self.misses += count_miss
            return _MISSING


_MISSING = object()  # what the cache holds no answer for


class RemoteRunner:
    """Jobs in the calling thread on a remote store (the same ``run`` as ``QueryPool``).

    A job there is HTTP requests whose client timeout is the time limit, so nothing here
    needs stopping: past the limit the request fails with ``RemoteTimeout`` and the
    thread is free again (the query may go on at the remote, under its own limits).
    """

    def __init__(self, store: RemoteStore) -> None:
        self.store = store

    def run(self, func: Callable[..., Any], *args: Any, timeout: float | None = None) -> Any:
        """``func(store, *args)`` here and now; ``timeout`` is the HTTP client's."""
        return reporting_bugs(lambda: func(self.store, *args))

    def close(self) -> None:
        """The store is the endpoint's to close."""


class Endpoint:
    """A store served over SPARQL: queries in workers (or in the calling thread, or over
    HTTP for a remote store), writes here, one at a time."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.remote = is_remote(settings.store_path)
        self._write_lock = threading.Lock()
        self._writes = 0  # writes through this server: a remote store's cache signature
        self._remote: RemoteStore | None = None
        self.runner: QueryPool | InlineRunner | RemoteRunner
        cache_bytes = settings.cache_bytes
        if self.remote:
            self._remote = _open_remote(settings)
            self._writer: KGStore | None = self._remote if settings.allow_writes else None
            self.runner = RemoteRunner(self._remote)
            signature: Callable[[], tuple] = self._own_writes
            cache_bytes = cache_bytes if settings.sole_writer else 0
        else:
            path = Path(settings.store_path)
            self._writer = KGStore(path) if settings.allow_writes else None
            if self._writer is None:
                KGStore(path, read_only=True).close()  # fail early: no store
            self.runner = (InlineRunner(path) if settings.in_process
                           else QueryPool(path, settings.workers))
            signature = partial(store_signature, path)
        self.cache = AnswerCache(signature, cache_bytes)
        self._named: tuple[tuple, dict[str, NamedQuery]] = ((), {})

    def _own_writes(self) -> tuple:
        return (self._writes,)

    def close(self) -> None:
        self.runner.close()
        if self._writer is not None:
            self._writer.close()
        elif self._remote is not None:
            self._remote.close()

    # ---------------------------------------------------------------- reads

    def query(self, sparql: str, formats: dict[str, str], dataset: Dataset = Dataset(),
              base_iri: str | None = None) -> Answer:
        """Run a query; ``formats`` maps each result kind to the format name to write it in
        (a kind missing from it: NotAcceptable)."""
        if not self.settings.allow_federation:
            refuse_fetching(sparql)

        def compute() -> Answer:
            return self.runner.run(_query_job, sparql, formats, dataset, base_iri,
                                   self.settings.max_rows, timeout=self.settings.timeout)

        key = _query_key(sparql, formats, dataset, base_iri)
        return compute() if key is None else self.cache.get(key, compute)

    def cached_query(self, sparql: str, formats: dict[str, str], dataset: Dataset = Dataset(),
                     base_iri: str | None = None) -> Answer | None:
        """``query``'s answer if the cache holds it for the store as it is now, else None:
        cheap enough for an event loop (a ``stat`` of a few files and a dictionary)."""
        key = _query_key(sparql, formats, dataset, base_iri)
        return None if key is None else self.cache.peek(key)

    def get_graph(self, graph: str | None, fmt: str) -> Answer:
        """A named graph (``None``: the default graph, the merged knowledge) in ``fmt``."""
        return self.runner.run(_graph_job, graph, fmt, self.settings.max_rows,
                             timeout=self.settings.timeout)

    def describe_service(self, endpoint_url: str, fmt: str) -> Answer:
        triples = service_description(endpoint_url, writes=self.settings.allow_writes,
                                      federation=self.settings.allow_federation)
        return _graph_answer(triples, fmt, None)

    def void(self, dataset_url: str, endpoint_url: str, fmt: str) -> Answer:
        stats = self.runner.run(_stats_job, timeout=self.settings.timeout)
        # a remote store does not say when it last changed
        modified = None if self.remote else _last_write(Path(self.settings.store_path))
        return _graph_answer(void_description(dataset_url, endpoint_url, stats, modified),
                             fmt, None)

    # ---------------------------------------------------------------- named queries

    def named_queries(self) -> list[NamedQuery]:
        """The named queries, read again only when their folder's files change."""
        folder = self.settings.queries_dir or resources.queries_dir()
        signature = (str(folder), *folder_signature(folder))
        if signature != self._named[0]:
            self._named = (signature, {q.name: q for q in list_queries(folder)})
        return list(self._named[1].values())

    def named_query(self, name: str) -> NamedQuery:
        found = {q.name: q for q in self.named_queries()}
        if name not in found:
            raise NotFoundError(f"there is no named query '{name}'",
                                "available: " + ", ".join(found))
        return found[name]

    def run_named(self, name: str, values: Mapping[str, str], formats: dict[str, str]
                  ) -> Answer:
        """Run a named query with ``values`` bound as ``kg query --name`` does
        (``kg.queries.run``: substitutions, never text); answers are cached."""
        named = self.named_query(name)
        bind(named, values)  # a missing or unknown parameter fails here, before a worker
        kind = kind_of(named.sparql)
        if kind is not None and kind not in formats:
            raise NotAcceptable(f"none of the accepted formats can carry {kind} results",
                                "accept e.g. application/sparql-results+json or text/csv")
        key = ("named", name, named.sparql, tuple(sorted(values.items())),
               tuple(sorted(formats.items())))
        return self.cache.get(key, lambda: self.runner.run(
            _named_job, named, dict(values), formats, self.settings.max_rows,
            timeout=self.settings.timeout))

    # ---------------------------------------------------------------- linked-data pages

    def page(self, iri: str) -> Page | None:
        """What the page about ``iri`` shows (None: the store knows nothing of it)."""
        return self.cache.get(("page", iri), lambda: self.runner.run(
            _page_job, iri, timeout=self.settings.timeout))

    def replacement(self, iri: str) -> str | None:
        """The IRI ``iri`` was merged into by a curation (None: it stands for itself)."""
        return self.cache.get(("replacement", iri), lambda: self.runner.run(
            _replacement_job, iri, timeout=self.settings.timeout))

    def describe(self, iri: str, fmt: str) -> Answer | None:
        """The triples about ``iri`` in ``fmt`` (None: the store knows nothing of it)."""
        return self.cache.get(("describe", iri, fmt), lambda: self.runner.run(
            _describe_job, iri, fmt, self.settings.max_rows, timeout=self.settings.timeout))

    def search(self, text: str, limit: int = 50) -> list[Hit]:
        """Resources one of whose names contains ``text``, case-insensitive."""
        return self.cache.get(("search", text, limit), lambda: self.runner.run(
            _search_job, text, limit, timeout=self.settings.timeout))

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
        with self._writing():
            store.update(text, base_iri=base_iri, graphs=graphs_named(text, base_iri))

    def put_graph(self, graph: str | None, parts: list[tuple[bytes, str]],
                  base_iri: str | None = None) -> bool:
        """Replace a graph with the RDF in ``parts`` ((bytes, media type) each); True when
        the graph is new."""
        store = self._write_store()
        triples = _parse(parts, base_iri or graph)
        with self._writing():
            return store.put_graph(graph, triples)

    def post_graph(self, graph: str | None, parts: list[tuple[bytes, str]],
                   base_iri: str | None = None) -> bool:
        """Merge the RDF in ``parts`` into a graph; True when the graph is new."""
        store = self._write_store()
        triples = _parse(parts, base_iri or graph)
        with self._writing():
            return store.add_to_graph(graph, triples)

    def delete_graph(self, graph: str | None) -> None:
        store = self._write_store()
        with self._writing():
            if not store.drop_graph(graph):
                raise NotFoundError(f"the store has no graph {graph}", "")

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One write at a time; when it ends, failed or not (a remote store may have
        applied part of it), answers cached before it are stale."""
        with self._write_lock:
            try:
                yield
            finally:
                self._writes += 1

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


def _named_job(store: KGStore, named: NamedQuery, values: dict[str, str],
               formats: dict[str, str], max_rows: int | None) -> Answer:
    try:
        return _write(run_named(store, named, values), formats, max_rows)
    except (OSError, RuntimeError) as error:
        raise QueryError(f"the query failed: {error}",
                         "simplify the query or check its IRIs and functions") from None


def _page_job(store: KGStore, iri: str) -> Page | None:
    return linked.page(store, iri)


def _replacement_job(store: KGStore, iri: str) -> str | None:
    return linked.replacement(store, iri)


def _describe_job(store: KGStore, iri: str, fmt: str, max_rows: int | None) -> Answer | None:
    triples = linked.describe(store, iri)
    return _graph_answer(triples, fmt, max_rows) if triples else None


def _search_job(store: KGStore, text: str, limit: int) -> list[Hit]:
    return linked.search(store, text, limit)


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


def _open_remote(settings: Settings) -> RemoteStore:
    """The remote store, checked with one cheap query so that a URL that does not answer
    as a SPARQL endpoint fails now, not on the first request."""
    store = RemoteStore(str(settings.store_path), read_only=not settings.allow_writes,
                        timeout=settings.timeout)
    try:
        store.client.check()
    except BaseException:
        store.close()
        raise
    return store


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
    return max((entry[2] for entry in signature if len(entry) == 3),
               default=time.time_ns()) / 1e9
