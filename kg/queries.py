"""Named queries (``queries/*.rq``): loading, binding parameters, rendering results.

A named query is a SPARQL file whose leading comment lines say what it is for::

    # title: Who met whom
    # description: Meetings and visits a person or organization took part in...
    # param: name (required) Part of a name, e.g. "Zas"
    # param: since (optional, date) Only events on or after this date

Parameters reach the query only as pyoxigraph ``substitutions``, never as text,
so no value can change a query's structure. pyoxigraph 0.5.13 substitutes a
variable only if the top-level ``SELECT`` projects it (otherwise the query
fails), reaches a subquery only if that subquery projects it too (otherwise
silently not at all), and still reads as unbound to ``BOUND()`` and to a plain
``BIND(?v AS ?w)``; FILTERs, EXISTS, triple patterns and other expressions see
the value. Named queries therefore project every parameter (so results carry
an echo column per parameter) and test optional ones with ``COALESCE``, e.g.
``FILTER(STR(?d) >= COALESCE(STR(?since), ""))``, a no-op while unbound.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import chain, islice
from pathlib import Path
from typing import BinaryIO, Protocol

import pyoxigraph as ox

from kg.errors import QueryError, QueryUsageError, UsageError
from kg.store import sparql_code
from kg.vocab import PREFIXES, XSD

# The queries shipped with newskg (the repository's top-level queries/ folder).
QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"

KINDS = ("literal", "date", "iri", "integer")

SOLUTION_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}
# "json" and "xml" name the graph flavour (JSON-LD, RDF/XML) for CONSTRUCT and
# DESCRIBE results, so one --format option works for every kind of query.
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "n3": ox.RdfFormat.N3,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
}
SOLUTION_FORMAT_NAMES = ("table", *SOLUTION_FORMATS)
GRAPH_FORMAT_NAMES = ("table", *GRAPH_FORMATS)

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Results = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


@dataclass(frozen=True)
class Param:
    """One ``# param:`` line: what the user passes and how it becomes an RDF term."""

    name: str
    required: bool
    kind: str = "literal"  # one of KINDS
    description: str = ""


@dataclass
class NamedQuery:
    """A ``.rq`` file with its header parsed; ``sparql`` is the whole file text."""

    name: str
    title: str
    description: str
    params: list[Param] = field(default_factory=list)
    sparql: str = ""
    path: Path | None = None

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


# ---------------------------------------------------------------- loading

_HEADER = re.compile(r"#\s*(title|description|param)\s*:\s*(.*)$")
_PARAM = re.compile(
    r"(?P<name>[A-Za-z_]\w*)\s*\(\s*(?P<need>required|optional)\s*"
    r"(?:,\s*(?P<kind>\w+)\s*)?\)\s*(?P<text>.*)$"
)


def parse(text: str, name: str, path: Path | None = None) -> NamedQuery:
    """Read the header: the leading comment lines, before the first line of SPARQL.

    A comment line without a ``key:`` continues the previous description or
    parameter, so long descriptions can wrap.
    """
    where = str(path or name)
    title = description = ""
    params: list[Param] = []
    last: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            last = None
            continue
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match is None:
            extra = line.lstrip("#").strip()
            if last == "description" and extra:
                description = f"{description} {extra}"
            elif last == "param" and extra:
                p = params[-1]
                params[-1] = Param(p.name, p.required, p.kind, f"{p.description} {extra}".strip())
            continue
        key, value = match.group(1), match.group(2).strip()
        last = key
        if key == "title":
            title = value
        elif key == "description":
            description = value
        else:
            params.append(_parse_param(value, f"{where}:{number}", params))
    if not title or not description:
        raise QueryError(
            f"named query {where} has no '# title:' or '# description:' line",
            "start the file with '# title: ...' and '# description: ...' comment lines",
        )
    return NamedQuery(name, title, description, params, text, path)


def _parse_param(value: str, where: str, seen: list[Param]) -> Param:
    match = _PARAM.match(value)
    if match is None:
        raise QueryError(
            f"{where}: cannot read parameter line '{value}'",
            "write '# param: NAME (required|optional[, KIND]) description'",
        )
    kind = match.group("kind") or "literal"
    if kind not in KINDS:
        raise QueryError(f"{where}: unknown parameter kind '{kind}'",
                         "use one of: " + ", ".join(KINDS))
    name = match.group("name")
    if any(p.name == name for p in seen):
        raise QueryError(f"{where}: parameter '{name}' is declared twice", "")
    return Param(name, match.group("need") == "required", kind, match.group("text").strip())


def list_queries(directory: Path | str) -> list[NamedQuery]:
    """Every ``*.rq`` file of ``directory``, by name; a broken header is an error naming it."""
    folder = Path(directory)
    if not folder.is_dir():
        raise QueryError(f"no named query folder at {folder}",
                         "pass the folder that holds the .rq files")
    return [
        parse(path.read_text(encoding="utf-8"), path.stem, path)
        for path in sorted(folder.glob("*.rq"))
    ]


def load_query(directory: Path | str, name: str) -> NamedQuery:
    """The named query ``name`` of ``directory``, or a ``.rq`` file given by path."""
    if name.endswith(".rq") and Path(name).is_file():
        path = Path(name)
        return parse(path.read_text(encoding="utf-8"), path.stem, path)
    queries = list_queries(directory)
    for query in queries:
        if query.name == name:
            return query
    raise QueryUsageError(
        f"unknown named query '{name}'",
        "available: " + (", ".join(q.name for q in queries) or f"none in {directory}"),
    )


_EXAMPLE = re.compile(r"\be\.g\.\s*(?:\"([^\"]+)\"|([^\s,;)]+))")


def example(param: Param) -> str | None:
    """The example value a parameter's description gives ('e.g. "Zas"'), if any."""
    match = _EXAMPLE.search(param.description)
    if match is None:
        return None
    return match.group(1) if match.group(1) is not None else match.group(2).rstrip(".")


# ---------------------------------------------------------------- binding

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INTEGER = re.compile(r"[+-]?\d+")


def bind(query: NamedQuery, values: Mapping[str, str | None]) -> dict[ox.Variable, Term]:
    """Turn user-given strings into the ``substitutions=`` of ``Store.query``.

    ``None`` (or ``""`` for an optional one) means "not given": the parameter
    stays unbound, which the query reads as "no filter".
    """
    known = {p.name: p for p in query.params}
    for name in values:
        if name not in known:
            raise QueryUsageError(
                f"named query '{query.name}' has no parameter '{name}'",
                "its parameters: " + (", ".join(known) or "none"),
            )
    bound: dict[ox.Variable, Term] = {}
    for param in query.params:
        value = values.get(param.name)
        if value is None or (value == "" and not param.required):
            if param.required:
                raise QueryUsageError(
                    f"named query '{query.name}' needs parameter '{param.name}'",
                    f"{param.name}: {param.description}".rstrip(": "),
                )
            continue
        bound[ox.Variable(param.name)] = _term(query.name, param, value)
    return bound


def _term(query: str, param: Param, value: str) -> Term:
    where = f"parameter '{param.name}' of '{query}'"
    if param.required and not value.strip():
        raise QueryUsageError(f"{where} is empty", param.description)
    if param.kind == "date":
        if not _ISO_DATE.fullmatch(value):
            raise QueryUsageError(f"{where} is not a date: '{value}'", "write it as YYYY-MM-DD")
        try:
            date.fromisoformat(value)
        except ValueError:
            raise QueryUsageError(f"{where} is not a date: '{value}'",
                             "write a real calendar day as YYYY-MM-DD") from None
        return ox.Literal(value, datatype=ox.NamedNode(XSD.date))
    if param.kind == "integer":
        if not _INTEGER.fullmatch(value.strip()):
            raise QueryUsageError(f"{where} is not an integer: '{value}'", "write digits, e.g. 10")
        return ox.Literal(int(value))
    if param.kind == "iri":
        try:
            return ox.NamedNode(value.strip().removeprefix("<").removesuffix(">"))
        except ValueError as error:
            raise QueryUsageError(
                f"{where} is not an IRI: '{value}' ({error})",
                "give an absolute IRI such as https://w3id.org/newskg/id/...",
            ) from None
    return ox.Literal(value)


# ---------------------------------------------------------------- running

_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)
_USED = re.compile(r"(?<![\w?$:.-])([A-Za-z][\w-]*):")


def prepare(sparql: str) -> str:
    """Declare the standard prefixes (``kg.vocab.PREFIXES``) a query uses without declaring.

    Strings, IRIs and comments are ignored when looking for use, so a ``#`` or
    ``"schema:"`` in a literal adds nothing.
    """
    code = sparql_code(sparql)
    declared = set(_DECLARED.findall(code))
    used = set(_USED.findall(code))
    missing = [name for name in PREFIXES if name in used and name not in declared]
    if not missing:
        return sparql
    prologue = "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in missing)
    return prologue + sparql


def undeclared_prefixes(sparql: str) -> list[str]:
    """Prefixes the query uses that neither it nor ``kg.vocab.PREFIXES`` declares."""
    code = sparql_code(sparql)
    declared = set(_DECLARED.findall(code)) | set(PREFIXES)
    return sorted(set(_USED.findall(code)) - declared)


class _Queryable(Protocol):
    def query(self, sparql: str, /, *, substitutions: dict | None = ...) -> Results: ...


def run(store: _Queryable, query: NamedQuery, values: Mapping[str, str | None]) -> Results:
    """Bind ``values`` and run ``query`` on a pyoxigraph ``Store`` or a ``KGStore``."""
    substitutions = bind(query, values)
    try:
        return store.query(prepare(query.sparql), substitutions=substitutions)
    except SyntaxError as error:
        raise QueryError(f"named query '{query.name}' is not valid SPARQL: {error}",
                         f"fix {query.path or query.name}") from None
    except RuntimeError as error:
        raise QueryError(
            f"named query '{query.name}' cannot take its parameters: {error}",
            "a named query must list every parameter in its SELECT clause",
        ) from None


# ---------------------------------------------------------------- rendering

def render(
    results: Results,
    fmt: str,
    out: BinaryIO,
    *,
    hide: Collection[str] = (),
    max_width: int = 60,
) -> None:
    """Write query results to ``out`` in ``fmt``.

    ``table`` is for people: aligned columns, plain literal values, prefixed
    IRIs, long cells cut at ``max_width``; ``hide`` drops columns from it (the
    echo of named-query parameters). The other formats are the standard SPARQL
    results and RDF serializations, streamed by pyoxigraph with every column.
    """
    if isinstance(results, ox.QueryTriples):
        if fmt not in GRAPH_FORMAT_NAMES:
            raise _unknown_format(fmt, GRAPH_FORMAT_NAMES, "CONSTRUCT and DESCRIBE results")
        rdf_format = ox.RdfFormat.TURTLE if fmt == "table" else GRAPH_FORMATS[fmt]
        ox.serialize(results, out, rdf_format, prefixes=PREFIXES)
        return
    if fmt not in SOLUTION_FORMAT_NAMES:
        kind = "ASK results" if isinstance(results, ox.QueryBoolean) else "SELECT results"
        raise _unknown_format(fmt, SOLUTION_FORMAT_NAMES, kind)
    if fmt != "table":
        results.serialize(out, SOLUTION_FORMATS[fmt])
        return
    if isinstance(results, ox.QueryBoolean):
        out.write(b"true\n" if bool(results) else b"false\n")
        return
    _table(results, out, set(hide), max_width)


def _unknown_format(fmt: str, valid: Iterable[str], kind: str) -> UsageError:
    return UsageError(f"unknown output format '{fmt}' for {kind}",
                      "use one of: " + ", ".join(valid))


_SAMPLE = 500  # rows read ahead to size the table columns
_NUMERIC = {XSD.iri + t for t in ("integer", "decimal", "double", "float", "long", "int",
                                  "nonNegativeInteger", "positiveInteger")}


def _table(results: ox.QuerySolutions, out: BinaryIO, hide: set[str], max_width: int) -> None:
    """Columns are sized on the first rows; later, longer text is cut to fit.

    IRIs are never cut (a cut IRI cannot be pasted into the next query), so a
    long one pushes its row out of line rather than losing characters.
    """
    names = [v.value for v in results.variables]
    shown = [i for i, name in enumerate(names) if name not in hide]
    header = [(names[i], "text") for i in shown]
    rows = (_row(solution, shown, max_width) for solution in results)
    head = list(islice(rows, _SAMPLE))
    widths = [len(name) for name, _ in header]
    for cells in head:
        for i, (text, _) in enumerate(cells):
            widths[i] = max(widths[i], len(text))

    def line(cells: Iterable[tuple[str, str]]) -> bytes:
        parts = []
        for width, (text, style) in zip(widths, cells, strict=True):
            if style == "number":
                parts.append(text.rjust(width))
            else:
                parts.append((text if style == "iri" else _cut(text, width)).ljust(width))
        return ("  ".join(parts).rstrip() + "\n").encode("utf-8")

    out.write(line(header))
    out.write(("  ".join("-" * w for w in widths) + "\n").encode("utf-8"))
    count = 0
    for cells in chain(head, rows):
        out.write(line(cells))
        count += 1
    out.write(f"({count} row{'' if count == 1 else 's'})\n".encode())


def _row(solution: ox.QuerySolution, shown: list[int], max_width: int) -> list[tuple[str, str]]:
    """(text, style) per shown column; style is "text", "number" or "iri"."""
    cells = []
    for i in shown:
        term = solution[i]
        if isinstance(term, ox.NamedNode):
            cells.append((show(term), "iri"))
        elif isinstance(term, ox.Literal) and term.datatype.value in _NUMERIC:
            cells.append((show(term), "number"))
        else:
            cells.append((_cut(show(term), max_width), "text"))
    return cells


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def show(term: Term | None) -> str:
    """A term as a person reads it: literal values bare, IRIs prefixed where a prefix fits."""
    if term is None:
        return ""
    if isinstance(term, ox.Literal):
        text = term.value
    elif isinstance(term, ox.NamedNode):
        text = shorten(term.value)
    elif isinstance(term, ox.BlankNode):
        text = f"_:{term.value}"
    else:
        text = f"<< {show(term.subject)} {show(term.predicate)} {show(term.object)} >>"
    return " ".join(text.split()) if any(c in text for c in "\n\r\t") else text


_LOCAL = re.compile(r"[A-Za-z_][\w.-]*")


def shorten(iri: str) -> str:
    """``http://schema.org/Person`` -> ``schema:Person``; other IRIs unchanged."""
    for name, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace):
            local = iri[len(namespace):]
            if local == "" or (_LOCAL.fullmatch(local) and not local.endswith(".")):
                return f"{name}:{local}"
    return iri
