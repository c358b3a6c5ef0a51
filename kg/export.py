"""Write the store, or one graph of it, as RDF files (layer 4).

Exports stream from Oxigraph to the output, so a store larger than memory
exports fine. Dataset formats (N-Quads, TriG, JSON-LD) carry every graph;
triple formats (N-Triples, Turtle, RDF/XML) carry one, so exporting "all" in
them means the default graph, where the merged knowledge lives. A file is
written under a temporary name and renamed when complete, so a failed export
never leaves a truncated file that looks finished.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from kg.errors import KGError, StoreError, UsageError
from kg.remote import open_store
from kg.store import KGStore
from kg.vocab import PREFIXES

DEFAULT_GRAPH = "default"

# Canonical name -> format, in the order help texts list them.
FORMATS: dict[str, ox.RdfFormat] = {
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "turtle": ox.RdfFormat.TURTLE,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
ALIASES = {
    "nq": "nquads", "n-quads": "nquads",
    "json-ld": "jsonld",
    "nt": "ntriples", "n-triples": "ntriples",
    "ttl": "turtle",
    "xml": "rdfxml", "rdf": "rdfxml", "rdf/xml": "rdfxml", "rdf-xml": "rdfxml",
}
EXTENSIONS = {
    ".nq": "nquads", ".nquads": "nquads",
    ".trig": "trig",
    ".jsonld": "jsonld", ".json": "jsonld",
    ".nt": "ntriples", ".ntriples": "ntriples",
    ".ttl": "turtle", ".turtle": "turtle",
    ".rdf": "rdfxml", ".owl": "rdfxml", ".xml": "rdfxml",
}
FORMAT_NAMES = tuple(FORMATS)
DATASET_FORMATS = tuple(name for name, fmt in FORMATS.items() if fmt.supports_datasets)


def format_names() -> str:
    return ", ".join(FORMAT_NAMES)


def resolve_format(name: str | None, output: Path | None = None, default: str = "nquads") -> str:
    """The canonical format name from ``--format``, else the output file's extension."""
    if name:
        key = name.strip().lower()
        key = ALIASES.get(key, key)
        if key not in FORMATS:
            raise UsageError(f"unknown RDF format {name!r}", f"choose one of: {format_names()}")
        return key
    if output is not None:
        suffix = output.suffix.lower()
        if suffix in EXTENSIONS:
            return EXTENSIONS[suffix]
        raise UsageError(
            f"cannot tell the RDF format from the file name {output}",
            f"pass --format (one of: {format_names()}) or use an extension such as .nq or .ttl",
        )
    return default


@dataclass
class ExportResult:
    """What was written, so the command can say so."""

    format: str
    graph: str | None  # None: the whole dataset; "default" or a graph IRI
    output: Path | None  # None: the stream the caller passed
    implicit_default: bool = False  # a triple format turned "all" into the default graph


def export(
    store: KGStore, out: IO[bytes], fmt: str, graph: str | None = None
) -> ExportResult:
    """Stream ``graph`` (None: all; "default"; a graph IRI, article URL or path) to ``out``."""
    rdf_format = FORMATS[fmt]
    implicit = False
    if graph is None and not rdf_format.supports_datasets:
        graph, implicit = DEFAULT_GRAPH, True
    raw = store.raw
    if graph is None:
        raw.dump(out, rdf_format, prefixes=PREFIXES)
    elif graph == DEFAULT_GRAPH:
        raw.dump(out, rdf_format, from_graph=ox.DefaultGraph(), prefixes=PREFIXES)
    else:
        graph = _find_graph(store, graph)
        node = ox.NamedNode(graph)
        if rdf_format.supports_datasets:
            # Keep the graph name: a TriG or N-Quads export of one graph says which graph.
            ox.serialize(raw.quads_for_pattern(None, None, None, node), out, rdf_format,
                         prefixes=PREFIXES)
        else:
            raw.dump(out, rdf_format, from_graph=node, prefixes=PREFIXES)
    return ExportResult(format=fmt, graph=graph, output=None, implicit_default=implicit)


def _find_graph(store: KGStore, graph: str) -> str:
    """A graph IRI as given, or the article graph of a URL or local path."""
    try:
        exists = store.raw.contains_named_graph(ox.NamedNode(graph))
    except ValueError:
        exists = False
    if exists:
        return graph
    found = store.articles_named_by(graph)
    if len(found) != 1:
        raise StoreError(
            f"the store has no graph {graph}" if not found
            else f"{graph} names {len(found)} articles",
            "pass a graph IRI, an article's URL or path, or 'default'; "
            "kg stats --graphs lists the article graphs",
        )
    return found[0][0]


def export_store(
    store_path: Path | str, *, fmt: str | None = None, graph: str | None = None,
    output: Path | None = None, stream: IO[bytes] | None = None,
) -> ExportResult:
    """Export from the store at ``store_path`` (opened read-only; a directory or a SPARQL
    endpoint's URL) to a file or ``stream``."""
    name = resolve_format(fmt, output)
    with open_store(store_path, read_only=True) as store:
        if output is None:
            if stream is None:
                raise UsageError("nothing to export to", "pass -o FILE or a stream")
            return export(store, stream, name, graph)
        with atomic_output(output) as out:
            result = export(store, out, name, graph)
    result.output = output
    return result


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[IO[bytes]]:
    """A binary file that appears at ``path`` only once it has been written in full."""
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"{path} is a directory", "pass a file name to -o")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as out:
            yield out
        os.replace(tmp, path)
    except OSError as error:
        raise KGError(f"cannot write {path}: {error.strerror or error}",
                         "check the directory exists, its permissions and free disk space"
                         ) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def serialize(quads: Iterable[ox.Quad], out: IO[bytes], fmt: str) -> None:
    """Write a few quads (a dry run's) in ``fmt``, each subject's statements together so
    Turtle reads as one block per thing; triple formats drop the graph names."""
    rdf_format = FORMATS[fmt]
    listed = list(quads)
    first: dict[tuple[str, str], int] = {}
    for quad in listed:
        first.setdefault((str(quad.graph_name), str(quad.subject)), len(first))
    listed.sort(key=lambda q: first[(str(q.graph_name), str(q.subject))])
    items: Iterable[ox.Quad | ox.Triple] = (
        listed if rdf_format.supports_datasets else [q.triple for q in listed]
    )
    ox.serialize(items, out, rdf_format, prefixes=PREFIXES)
