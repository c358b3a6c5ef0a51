"""Wire the stages together: sources -> extract -> resolve -> map -> store (layer 5).

Every command's work is one function here, so the CLI and the server stay thin.
``ingest`` streams: sources are read lazily, an article whose fingerprint (text
and extractor version) is already in the store is skipped before it is parsed,
the rest go through the extractor in batches, and each article is written in a
transaction of its own. So an article is stored whole or not at all, a bad
article is recorded and the others still go in, and an interrupted ingest
keeps every article finished so far (run it again: those are skipped).
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import re
import shutil
import tempfile
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, BinaryIO, TextIO

import pyoxigraph as ox

from kg import config, curation, resources
from kg.cluster import Cluster, open_cluster, parse_spec
from kg.errors import InputWarning, KGError, NotAnArticle, QueryError, QueryUsageError, UsageError
from kg.export import ExportResult, export_store
from kg.extract import Extractor
from kg.facts import ENTITY_KINDS, Document, Extraction
from kg.lookup import LookupResult
from kg.mapping import MAPPING_VERSION, to_triples
from kg.queries import (
    NamedQuery,
    bind,
    list_queries,
    load_query,
    prepare,
    render,
    run,
    undeclared_prefixes,
)
from kg.remote import open_store
from kg.resolve import Resolved, article_graph, resolve
from kg.sources import Decoding, check_encoding, read_sources
from kg.sparql import is_update
from kg.store import KGStore, article_quads
from kg.validate import ValidationReport, check_store, validate_store
from kg.vocab import KGO, PREFIXES
from kg.workers import QueryPool

FACT_KINDS = (*ENTITY_KINDS, "membership", "event")
_PLURALS = {"person": "persons", "membership": "memberships"}
_BUG_HINT = "this is a bug in newskg; please report it with the article that caused it"


def _plural(kind: str, n: int) -> str:
    return kind if n == 1 else _PLURALS.get(kind, kind + "s")


@dataclass
class Failure:
    """An input or article that did not make it into the store, and why."""

    message: str  # names the input: "notes.bin looks like a binary file"
    hint: str = ""
    source: str | None = None  # the Document's source, when it got that far


@dataclass
class IngestReport:
    """What an ingest did: counts, failures with their messages, facts by kind."""

    store: Path | str  # a directory, or a SPARQL endpoint's URL
    read: int = 0  # articles and unreadable inputs seen
    stored: int = 0
    skipped: int = 0  # unchanged since the last ingest (same text, same extractor)
    failed: list[Failure] = field(default_factory=list)
    ignored: list[Failure] = field(default_factory=list)  # files of no kind kg reads
    warnings: list[Failure] = field(default_factory=list)  # read, but on a weak guess
    facts: Counter[str] = field(default_factory=Counter)
    ontology_loaded: bool = False
    curated: int = 0  # stored articles a changed curation file was applied to again

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self) -> str:
        """One line: "read 30, stored 28, skipped 1 unchanged, failed 1; facts: 120 persons"."""
        counts = (f"read {self.read}, stored {self.stored}, skipped {self.skipped} unchanged, "
                  f"failed {len(self.failed)}")
        if self.ignored:
            n = len(self.ignored)
            counts += f", left out {n} {'file' if n == 1 else 'files'} of no kind kg reads"
        if self.warnings:
            n = len(self.warnings)
            counts += f", {n} {'input' if n == 1 else 'inputs'} read on a weak encoding guess"
        facts = ", ".join(
            f"{self.facts[kind]} {_plural(kind, self.facts[kind])}"
            for kind in FACT_KINDS if self.facts[kind]
        )
        return f"{counts}; facts: {facts or 'none'}"


@dataclass(frozen=True)
class Progress:
    """One article finished: what ``ingest`` tells its ``progress`` callback."""

    source: str
    outcome: str  # "stored", "skipped", "failed", "ignored" or "warned" (read on a guess)
    report: IngestReport
    failure: Failure | None = None


ProgressCallback = Callable[[Progress], None]


class _Feed:
    """The documents handed to the extractor, remembering those not yet given back.

    A class, not a generator: if the extractor fails mid-stream, the pipe
    that consumed us is discarded, and a generator would be closed with it.
    """

    def __init__(self, documents: Iterator[Document]) -> None:
        self._documents = documents
        self.pending: deque[Document] = deque()

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> Document:
        document = next(self._documents)
        self.pending.append(document)
        return document

    def done(self, document: Document) -> None:
        """Forget ``document``: the oldest pending one (the pipe keeps the order), which
        is a copy, not the same object, when it went through another process."""
        while self.pending:
            head = self.pending.popleft()
            if head is document or head == document:
                return


class _Ingest:
    """One run of ``ingest``: the open store, the extractor and the running report."""

    def __init__(self, store: KGStore, extractor: Extractor, base: str, report: IngestReport,
                 progress: ProgressCallback | None, rules: curation.Rules,
                 staged: _Staged | None = None) -> None:
        self.store = store
        self.staged = staged  # --bulk: new articles wait here for the bulk loader
        self._new: set[str] = set()  # graphs of articles the store did not hold
        self.rules = rules
        self.extractor = extractor
        self.base = base
        self.report = report
        self.progress = progress
        # what the stored facts depend on: extractor, model, gazetteers, mapping, IRI base
        self.version = f"{extractor.version}/mapping-{MAPPING_VERSION}/{base}"
        self._queued: dict[str, str] = {}  # graph -> fingerprint, of articles sent to parse

    def tell(self, source: str, outcome: str, failure: Failure | None = None) -> None:
        if self.progress is not None:
            self.progress(Progress(source, outcome, self.report, failure))

    def fail(self, source: str | None, message: str, hint: str = "") -> None:
        failure = Failure(message, hint, source)
        self.report.failed.append(failure)
        self.tell(source or message, "failed", failure)

    def changed(self, items: Iterable[Document | KGError]) -> Iterator[Document]:
        """Documents that need parsing; inputs in error and unchanged articles stop here."""
        for item in items:
            if isinstance(item, NotAnArticle):
                ignored = Failure(item.message, item.hint)
                self.report.ignored.append(ignored)
                self.tell(item.message, "ignored", ignored)
                continue
            self.report.read += 1
            if isinstance(item, KGError):
                self.fail(None, item.message, item.hint)
                continue
            graph = article_graph(item.url)
            fingerprint = item.fingerprint(self.version)
            known = (self._queued[graph] if graph in self._queued
                     else self.store.article_digest(graph))
            if known == fingerprint:
                self.report.skipped += 1
                self.tell(item.source, "skipped")
                continue
            if known is None and graph not in self._queued:
                self._new.add(graph)
            self._queued[graph] = fingerprint
            yield item

    def run(self, documents: Iterator[Document], *, batch_size: int, jobs: int,
            cluster: Cluster | None = None) -> None:
        feed = _Feed(documents)
        while True:
            if cluster is not None:
                extractions = self.extractor.pipe(feed, batch_size=batch_size,
                                                  executor=cluster.executor,
                                                  in_flight=2 * cluster.workers)
            else:
                extractions = self.extractor.pipe(feed, batch_size=batch_size, n_process=jobs)
            try:
                for extraction in extractions:
                    feed.done(extraction.document)
                    self.put(extraction)
                return
            except Exception:
                if not feed.pending:  # not any one article's fault: the whole run fails
                    raise
                # Parse the unfinished articles one by one to tell which of them failed.
                pending = list(feed.pending)
                feed.pending.clear()
                self.retry_alone(pending)

    def retry_alone(self, documents: list[Document]) -> None:
        """After the extractor failed on a batch, find the article(s) it failed on."""
        for document in documents:
            try:
                extraction = self.extractor.extract(document)
            except KGError as alone:
                self.fail(document.source, f"{document.source}: {alone.message}", alone.hint)
            except Exception as alone:
                self.fail(document.source, f"{document.source}: extraction failed "
                          f"({type(alone).__name__}: {alone})", _BUG_HINT)
            else:
                self.put(extraction)

    def put(self, extraction: Extraction) -> None:
        """Store one article in one transaction; a failure leaves no trace of it."""
        source = extraction.document.source
        try:
            extraction.fingerprint = extraction.document.fingerprint(self.version)
            resolved = resolve(extraction, self.base)
            triples = self.rules.curate_article(list(to_triples(resolved)))
            if self.staged is not None and resolved.graph in self._new:
                self.staged.add(resolved.graph, triples)
            else:
                self.store.replace_article(resolved.graph, triples)
        except KGError as error:
            self.fail(source, f"{source}: {error.message}", error.hint)
        except Exception as error:
            self.fail(source, f"{source}: cannot store the article "
                      f"({type(error).__name__}: {error})", _BUG_HINT)
        else:
            self.report.stored += 1
            self.report.facts.update(extraction.counts())
            self.tell(source, "stored")


class _Staged:
    """New articles for ``KGStore.bulk_add_articles`` (``kg ingest --bulk``), in N-Quads files
    in a folder beside the store: every triple in its article's graph and in the default
    graph as ``KGStore`` stores them (``article_quads``) and apart, loaded last, each
    article's content digest, so that an article a failed load cut short is not taken for
    stored. What the derivations read of the articles is kept in memory (``inputs``). For
    a store that holds no article (``first``) everything derived is a function of these
    articles alone: it is computed once all are staged and goes into the articles' file
    (one load: a second file loaded after the first took RocksDB twice as long a quad)."""

    def __init__(self, store_path: Path, *, first: bool = False) -> None:
        store_path.parent.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=".kg-bulk-", dir=store_path.parent))
        self.files = [self.folder / "articles.nq", self.folder / "digests.nq"]
        self.first = first
        self.inputs = KGStore()  # in memory
        self._articles = self.files[0].open("wb")
        self._digests = self.files[1].open("wb")
        self._derived = False

    def add(self, graph: str, triples: list) -> None:
        digests = [t for t in triples if t[1].value == KGO.contentDigest]
        others = [t for t in triples if t[1].value != KGO.contentDigest]
        for out, part in ((self._articles, others), (self._digests, digests)):
            ox.serialize(article_quads(graph, part), out, ox.RdfFormat.N_QUADS)
        self.inputs.keep_inputs(graph, others)

    def close(self) -> None:
        """Close the files (nothing more can be added)."""
        self._articles.close()
        self._digests.close()

    def finish(self) -> None:
        """Close the files, for a first load with what the articles derive in them."""
        if self.first and not self._derived:
            ox.serialize(self.inputs.derived_quads(), self._articles, ox.RdfFormat.N_QUADS)
            self._derived = True
        self.close()

    def load_into(self, store: KGStore) -> None:
        self.finish()
        store.bulk_add_articles(self.files[:1], self.files[1], self.inputs,
                                derived_staged=self.first)

    def remove(self) -> None:
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def _check_batching(jobs: int, batch_size: int) -> None:
    if jobs < 1:
        raise UsageError(f"--jobs must be at least 1, not {jobs}", "use --jobs 1 for one process")
    if batch_size < 1:
        raise UsageError(f"--batch-size must be at least 1, not {batch_size}",
                         "the default, 16, suits news articles")


def ingest(
    paths: Sequence[str],
    store_path: Path | str,
    *,
    model: str | None = None,
    extractor: Extractor | None = None,
    jobs: int = 1,
    batch_size: int = 16,
    base: str | None = None,
    progress: ProgressCallback | None = None,
    stdin: TextIO | BinaryIO | None = None,
    cluster: str | Cluster | None = None,
    curation_file: Path | str | None = None,
    encoding: str | None = None,
    bulk: bool = False,
) -> IngestReport:
    """Read ``paths`` (files, folders, "-" for stdin) into the store at ``store_path``.

    The curation file (``curation_file``, else ``config.curation_path``) is applied to
    each new article, and first to the stored ones when it changed since the last write.

    The store is opened (and created) only once a first article has been read,
    so a run whose inputs are all bad leaves no store behind. Failures of single
    inputs or articles are recorded in the report; only what stops the whole
    run (the store locked, the model missing) raises. ``cluster`` (``local:N``, a
    Dask scheduler's address, or a ``kg.cluster.Cluster`` already open) parses on a
    Dask cluster instead of ``jobs`` local processes; the store is written here either way.
    ``encoding`` is that of the inputs that are not UTF-8, in place of a guess. ``bulk``
    loads the articles the store does not hold yet with its bulk loader at the end of the
    run (``_Staged``): faster for a first load, but not all-or-nothing.
    """
    if not paths:
        raise UsageError("nothing to ingest", "name files or folders, or - for standard input")
    _check_batching(jobs, batch_size)
    if cluster is not None:
        if jobs > 1:
            raise UsageError("--jobs and --cluster both say where to parse",
                             "give one: --cluster local:2 starts two worker processes")
        if isinstance(cluster, str):
            parse_spec(cluster)  # a malformed spec fails before anything is read
    if bulk and config.is_remote(store_path):
        raise UsageError("--bulk loads a store directory with its bulk loader",
                         "ingest into a remote store without --bulk, or load its own "
                         "bulk loader with kg export's N-Quads")
    base = base or config.id_base()
    corrections = curation.CurationFile.load(config.curation_path(store_path, curation_file))
    rules = corrections.rules(base)  # a bad file fails before anything is read or stored
    report = IngestReport(store=store_path)

    def warn(warning: InputWarning) -> None:
        failure = Failure(warning.message, warning.hint)
        report.warnings.append(failure)
        if progress is not None:
            progress(Progress(warning.message, "warned", report, failure))

    items = read_sources(list(paths), stdin, decoding=_decoding(encoding, warn))
    head: list[Document | KGError] = []
    for item in items:
        head.append(item)
        if isinstance(item, Document):
            break
    if not any(isinstance(item, Document) for item in head):
        for error in head:
            report.read += 1
            failure = Failure(error.message, error.hint)
            report.failed.append(failure)
            if progress is not None:
                progress(Progress(error.message, "failed", report, failure))
        return report
    ontology = resources.ontology_file()
    extractor = extractor or Extractor(model)
    if hasattr(extractor, "check"):
        extractor.check()  # a missing model fails before the store is created or touched
    with contextlib.ExitStack() as stack:
        workers = (stack.enter_context(open_cluster(cluster)) if isinstance(cluster, str)
                   else cluster)
        store = stack.enter_context(open_store(store_path))
        staged = (_Staged(Path(store_path), first=not store.holds_articles()) if bulk
                  else None)
        if staged is not None:
            stack.callback(staged.remove)
        run_ = _Ingest(store, extractor, base, report, progress, rules, staged)
        report.ontology_loaded = store.ensure_ontology(ontology)
        report.curated = curation.apply(store, rules, exists=corrections.exists,
                                        path=corrections.path).articles
        documents = run_.changed(_chain(head, items))
        run_.run(documents, batch_size=batch_size, jobs=jobs, cluster=workers)
        if staged is not None:
            staged.load_into(store)
    return report


def _decoding(encoding: str | None, warn: Callable[[InputWarning], None]) -> Decoding:
    """How to read inputs that are not UTF-8; an unknown ``encoding`` is a usage error."""
    return Decoding(check_encoding(encoding) if encoding else None, warn)


def _chain(head: list[Document | KGError], rest: Iterator[Document | KGError]
           ) -> Iterator[Document | KGError]:
    yield from head
    yield from rest


# ---------------------------------------------------------------- dry run


@dataclass
class ExtractedArticle:
    """One article of a dry run: the facts, their IRIs and the triples they map to."""

    extraction: Extraction
    resolved: Resolved
    triples: list[tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]]

    @property
    def graph(self) -> str:
        return self.resolved.graph

    def quads(self) -> Iterator[ox.Quad]:
        graph = ox.NamedNode(self.graph)
        return (ox.Quad(s, p, o, graph) for s, p, o in self.triples)


@dataclass
class DryRun:
    """What ``kg extract`` shows: the RDF each article would put in the store."""

    articles: list[ExtractedArticle] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    warnings: list[Failure] = field(default_factory=list)

    def quads(self) -> Iterator[ox.Quad]:
        for article in self.articles:
            yield from article.quads()


def extract(
    source: str | Path | Document,
    model: str | None = None,
    *,
    extractor: Extractor | None = None,
    base: str | None = None,
    stdin: TextIO | BinaryIO | None = None,
    encoding: str | None = None,
) -> DryRun:
    """Extract from a file ("-": stdin) or a Document without touching any store."""
    result = DryRun()
    if isinstance(source, Document):
        documents: list[Document] = [source]
    else:
        documents = []
        decoding = _decoding(encoding, lambda w: result.warnings.append(Failure(w.message, w.hint)))
        for item in read_sources([str(source)], stdin, decoding=decoding):
            if isinstance(item, Document):
                documents.append(item)
            else:
                result.failed.append(Failure(item.message, item.hint))
    if not documents:
        return result
    extractor = extractor or Extractor(model)
    base = base or config.id_base()
    for extraction in extractor.pipe(documents):
        resolved = resolve(extraction, base)
        result.articles.append(ExtractedArticle(extraction, resolved, list(to_triples(resolved))))
    return result


# ---------------------------------------------------------------- remove


@dataclass
class Removed:
    source: str
    graph: str
    url: str


def remove(sources: Sequence[str], store_path: Path | str) -> list[Removed]:
    """Retract the articles ``sources`` name; all must be known, or nothing is removed.

    Each article's graph is dropped, and the default graph loses the triples
    that no other article asserts.
    """
    if not sources:
        raise UsageError("nothing to remove", "name a path, URL or graph IRI of an article")
    with open_store(store_path, create=False) as store:
        articles = list(store.article_graphs())
        plan: list[Removed] = []
        for source in sources:
            found = store.articles_named_by(source, articles)
            if not found:
                raise KGError(
                    f"no article in the store {store_path} comes from {source}",
                    "pass the path, URL or graph IRI it was ingested as; "
                    "kg stats --graphs lists the articles (nothing was removed)",
                )
            plan.extend(Removed(source, graph, url) for graph, url in found)
        held = set(store.remove_articles(item.graph for item in plan))  # one transaction
        removed, done = [], set()
        for item in plan:
            if item.graph in held and item.graph not in done:
                removed.append(item)
            done.add(item.graph)
    return removed


# ---------------------------------------------------------------- reading


def _read_store(store_path: Path | str) -> KGStore:
    """A read-only snapshot (works while another process writes to the store), or a
    SPARQL endpoint."""
    return open_store(store_path, read_only=True)


def query(
    store_path: Path | str,
    out: IO[bytes],
    *,
    sparql: str | None = None,
    name: str | None = None,
    params: Mapping[str, str] | None = None,
    fmt: str = "table",
    timeout: float | None = None,
) -> None:
    """Run ad-hoc SPARQL or a named query on the default graph; write results to ``out``.

    The query runs in a worker process (kg.workers), so ``timeout`` seconds or Ctrl-C
    stop it at once, which pyoxigraph alone cannot do.
    """
    if (sparql is None) == (name is None):
        raise UsageError("give either a SPARQL query or a named query (--name)",
                         "e.g. kg query 'SELECT * WHERE { ?s ?p ?o } LIMIT 5'")
    if name is None:
        if params:
            raise UsageError("--param needs a named query",
                             "add --name NAME; kg queries lists them")
        text = sparql or ""
        if not text.strip():
            raise UsageError("the SPARQL query is empty", "pass a query, --file F or --name NAME")
        if text.strip() in {q.name for q in named_queries()}:
            raise UsageError(f"{text.strip()!r} is the name of a named query, not SPARQL",
                             f"run it with kg query --name {text.strip()}")
        if is_update(text):
            raise QueryUsageError(
                "kg query is read-only and this is a SPARQL update",
                "change the store with kg ingest or kg remove, or send updates to"
                " kg serve --allow-writes",
            )
        prepared = prepare(text)
        try:
            out.write(_in_worker(store_path, _sparql_job, prepared, fmt, timeout=timeout))
        except QueryError as error:
            unknown = undeclared_prefixes(text)
            if unknown and "Prefix not found" in error.message:
                raise QueryUsageError(
                    "unknown prefix " + ", ".join(f"'{p}:'" for p in unknown),
                    "declare it (PREFIX " + unknown[0] + ": <...>) or use a predeclared one: "
                    + ", ".join(f"{p}:" for p in PREFIXES),
                ) from None
            added = prepared.count("\n") - text.count("\n")
            raise QueryError(_tidy_syntax_error(error.message, added), error.hint) from None
        return
    named = load_query(resources.queries_dir(), name)
    values = dict(params or {})
    bind(named, values)  # unknown or missing parameters fail before the store is opened
    out.write(_in_worker(store_path, _named_job, named, values, fmt, timeout=timeout))


def _in_worker(store_path: Path | str, job: Callable[..., bytes], *args: object,
               timeout: float | None) -> bytes:
    if config.is_remote(store_path):
        # the endpoint does the work: the request's timeout stops the wait, and Ctrl-C
        # interrupts it here
        with open_store(store_path, read_only=True, timeout=timeout) as store:
            return job(store, *args)
    if not (Path(store_path) / "CURRENT").exists():
        _read_store(store_path)  # raises the usual "no store" error
    start = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    with QueryPool(store_path, size=1, start_method=start) as pool:
        return pool.run(job, *args, timeout=timeout)


def _sparql_job(store: KGStore, sparql: str, fmt: str) -> bytes:
    out = io.BytesIO()
    _render(store.query(sparql), fmt, out)
    return out.getvalue()


def _named_job(store: KGStore, named: NamedQuery, values: dict[str, str], fmt: str) -> bytes:
    out = io.BytesIO()
    _render(run(store, named, values), fmt, out, hide=[p.name for p in named.params])
    return out.getvalue()


def _render(results, fmt: str, out: IO[bytes], **options) -> None:
    """pyoxigraph evaluates lazily: errors of the query surface while rendering."""
    try:
        render(results, fmt, out, **options)
    except (OSError, RuntimeError) as error:
        raise QueryError(f"the query failed: {error}",
                         "simplify the query or check its IRIs and functions") from None


_POSITION = re.compile(r"error at (\d+):(\d+)")
_MAX_ERROR = 200


def _tidy_syntax_error(message: str, added_lines: int) -> str:
    """Point at the user's line (not counting predeclared prefixes) and cut Oxigraph's
    list of every token it expected, which runs to several lines."""
    def shift(match: re.Match[str]) -> str:
        line = max(int(match.group(1)) - added_lines, 1)
        return f"error at line {line}, column {match.group(2)}"

    message = _POSITION.sub(shift, message.splitlines()[0] if message else message, count=1)
    if len(message) > _MAX_ERROR:
        message = message[: _MAX_ERROR - 1].rsplit(",", 1)[0] + ", …"
    return message


def named_queries() -> list[NamedQuery]:
    """The named queries shipped in ``queries/`` (or ``$KG_QUERIES_DIR``)."""
    return list_queries(resources.queries_dir())


def stats(store_path: Path | str, *, graphs: bool = False) -> dict[str, object]:
    """Counts of the store (and, with ``graphs``, every article graph and its URL)."""
    with _read_store(store_path) as store:
        result: dict[str, object] = {"store": str(store_path), **store.stats()}
        if graphs:
            result["article_graphs"] = [
                {"graph": graph, "url": url} for graph, url in sorted(store.article_graphs())
            ]
    return result


def lookup(store_path: Path | str, name: str, kind: str | None = None) -> LookupResult:
    """Find an entity by any of its names and gather its profile (``kg.lookup``)."""
    from kg.lookup import lookup as find

    with _read_store(store_path) as store:
        return find(store, name, kind)


def validate(store_path: Path | str, *, full: bool = False) -> ValidationReport:
    """Check the merged knowledge (default graph) against the SHACL shapes: compiled to
    SPARQL, or with ``full`` by pyshacl (slow; any SHACL the compiler does not know)."""
    ontology = resources.ontology_dir()
    with _read_store(store_path) as store:
        if full:
            return validate_store(store.raw, ontology)
        return check_store(store.raw, ontology)


def export(
    store_path: Path | str, *, fmt: str | None = None, graph: str | None = None,
    output: Path | None = None, stream: IO[bytes] | None = None,
) -> ExportResult:
    """Export the store (see ``kg.export.export_store``)."""
    return export_store(store_path, fmt=fmt, graph=graph, output=output, stream=stream)



# ---------------------------------------------------------------- curation


@dataclass
class Curated:
    """What a curation command did: to the file, and to the store."""

    path: Path  # the curation file
    statement: str | None = None  # the line added, if any
    added: bool = False  # False: the file held that statement already
    applied: bool = False  # False: no store yet, or it held this curation already
    articles: int = 0  # stored articles whose triples changed


def curate(verb: str, args: Sequence[str], store_path: Path | str, *,
           curation_file: Path | str | None = None, base: str | None = None) -> Curated:
    """Add one statement (``merge``, ``alias``, ``reject``, ``ended``, ``no-event``) to the
    curation file, sorted in, and apply the file to the store if there is one."""
    if verb not in curation.VERBS:
        raise UsageError(f"unknown curation statement {verb!r}",
                         "use one of: " + ", ".join(curation.VERBS))
    made = curation.statement(verb, *args)
    corrections = curation.CurationFile.load(config.curation_path(store_path, curation_file))
    added = corrections.add(made)
    base = base or config.id_base()
    corrections.rules(base)  # a merge that would go round in a circle fails before writing
    if added:
        corrections.save()
    result = Curated(corrections.path, made.text(), added)
    if (Path(store_path) / "CURRENT").exists():
        try:
            applied = _apply_curation(store_path, corrections, base)
        except KGError as error:
            saved = (f"the curation file {corrections.path} holds the statement: kg curate "
                     "apply (or the next kg ingest) applies it")
            raise KGError(error.message, f"{error.hint}; {saved}" if error.hint else saved
                          ) from None
        result.applied, result.articles = applied.changed, applied.articles
    return result


def curate_apply(store_path: Path | str, *, curation_file: Path | str | None = None,
                 base: str | None = None) -> Curated:
    """Apply the curation file to every stored article it concerns, as an ingest would."""
    corrections = curation.CurationFile.load(config.curation_path(store_path, curation_file))
    applied = _apply_curation(store_path, corrections, base or config.id_base(), force=True)
    return Curated(corrections.path, applied=applied.changed, articles=applied.articles)


def curation_list(store_path: Path | str, *, curation_file: Path | str | None = None
                  ) -> curation.CurationFile:
    """The curation file's statements (checked as an ingest would check them)."""
    return curation.CurationFile.load(config.curation_path(store_path, curation_file))


def _apply_curation(store_path: Path | str, corrections: curation.CurationFile, base: str, *,
                    force: bool = False) -> curation.Applied:
    rules = corrections.rules(base)
    with open_store(store_path, create=False) as store:
        return curation.apply(store, rules, exists=corrections.exists, path=corrections.path,
                              force=force)
