"""SPARQL results written with a row limit (layer 4).

pyoxigraph serializes a whole result or nothing; an endpoint must stop at a row limit
and say so rather than send millions of rows. So solutions are read up to the limit
here and written in the four SPARQL 1.1 result formats (JSON, XML, CSV, TSV) by this
module; booleans and graphs still go through pyoxigraph.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg.errors import ResultTooLarge
from kg.vocab import XSD

XSD_STRING = XSD.iri + "string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# canonical name -> media type written in Content-Type
SOLUTION_MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def limited(rows: Iterable, max_rows: int | None, what: str = "rows") -> list:
    """The rows as a list, or ResultTooLarge when there are more than ``max_rows``."""
    if max_rows is None:
        return list(rows)
    taken = list(islice(rows, max_rows + 1))
    if len(taken) > max_rows:
        raise ResultTooLarge(
            f"the result has more than {max_rows} {what}",
            "add LIMIT (and OFFSET to page) to the query, or ask the operator to raise "
            "kg serve --max-rows",
        )
    return taken


def write_solutions(solutions: ox.QuerySolutions, fmt: str, max_rows: int | None) -> bytes:
    """SELECT results in ``fmt`` (json, xml, csv, tsv), at most ``max_rows`` of them."""
    names = [v.value for v in solutions.variables]
    rows = [[row[i] for i in range(len(names))] for row in limited(solutions, max_rows)]
    return _WRITERS[fmt](names, rows)


def _json(names: list[str], rows: list[list[Term | None]]) -> bytes:
    bindings = [{n: _json_term(t) for n, t in zip(names, row, strict=True) if t is not None}
                for row in rows]
    document = {"head": {"vars": names}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def _json_term(term: Term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {
            "subject": _json_term(term.subject), "predicate": _json_term(term.predicate),
            "object": _json_term(term.object)}}
    found = {"type": "literal", "value": term.value}
    if term.language:
        found["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        found["datatype"] = term.datatype.value
    return found


def _xml(names: list[str], rows: list[list[Term | None]]) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
           "<head>"]
    out += [f"<variable name={quoteattr(n)}/>" for n in names]
    out.append("</head><results>")
    for row in rows:
        out.append("<result>")
        out += [f"<binding name={quoteattr(n)}>{_xml_term(t)}</binding>"
                for n, t in zip(names, row, strict=True) if t is not None]
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode("utf-8")


def _xml_term(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        parts = zip(("subject", "predicate", "object"),
                    (term.subject, term.predicate, term.object), strict=True)
        return "<triple>" + "".join(f"<{k}>{_xml_term(v)}</{k}>" for k, v in parts) + "</triple>"
    if term.language:
        attribute = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype.value != XSD_STRING:
        attribute = f" datatype={quoteattr(term.datatype.value)}"
    else:
        attribute = ""
    return f"<literal{attribute}>{escape(term.value)}</literal>"


def _csv(names: list[str], rows: list[list[Term | None]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(names)
    writer.writerows([_csv_value(t) for t in row] for row in rows)
    return out.getvalue().encode("utf-8")


def _csv_value(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def _tsv(names: list[str], rows: list[list[Term | None]]) -> bytes:
    lines = ["\t".join(f"?{n}" for n in names)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


_WRITERS = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}


def write_boolean(result: ox.QueryBoolean, fmt: str) -> bytes:
    out = io.BytesIO()
    result.serialize(out, ox.QueryResultsFormat.JSON if fmt == "json" else
                     ox.QueryResultsFormat.XML)
    return out.getvalue()


def write_triples(triples: Iterator[ox.Triple] | Iterable[ox.Triple], rdf_format: ox.RdfFormat,
                  max_rows: int | None, prefixes: dict[str, str] | None = None) -> bytes:
    """CONSTRUCT or DESCRIBE results (or a graph), at most ``max_rows`` triples."""
    out = io.BytesIO()
    items = limited(triples, max_rows, "triples")
    ox.serialize(items, out, rdf_format, prefixes=prefixes)
    return out.getvalue()
