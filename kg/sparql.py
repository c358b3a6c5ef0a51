"""Reading SPARQL text without a parser: what kind of query, what it fetches, what an update
touches, and the SPARQL 1.1 Protocol's update dataset written into the update (layer 4).

pyoxigraph takes a query's dataset as arguments but an update's only as ``USING``
clauses in its text, and evaluates ``SERVICE`` and ``LOAD`` by fetching URLs. This module
works on the text with strings, IRIs and comments blanked (``kg.store.sparql_code``), so
a keyword inside a literal or an IRI never counts.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from kg.errors import Refused, RequestError
from kg.store import sparql_code, sparql_iris

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_FORM = re.compile(r"(?<![\w?$:-])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:-])", re.IGNORECASE)
_FETCH = re.compile(r"(?<![\w?$:\\-])(SERVICE|LOAD)(?![\w:-])", re.IGNORECASE)
_TOKEN = re.compile(r"[{};]|(?<![\w?$:\\-])[A-Za-z]+(?![\w:-])")
# a graph named by something other than an IRI: a variable, a prefixed name, or a keyword
# standing for many graphs
_ANY_GRAPH = re.compile(
    r"(?<![\w?$:-])(?:GRAPH|WITH|INTO|TO|FROM|USING)\s+(?!<|GRAPH\b|DEFAULT\b|NAMED\b)\S"
    r"|(?<![\w?$:-])(?:ALL|NAMED|BASE|ADD|MOVE|COPY)(?![\w:-])",
    re.IGNORECASE,
)


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first such keyword is the query's own
    (a subquery's SELECT comes later); None when there is none (not a query)."""
    match = _FORM.search(sparql_code(sparql))
    return match.group(1).upper() if match else None


_UPDATE = re.compile(
    r"(?<![\w?$:\\-])(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)(?![\w:-])",
    re.IGNORECASE,
)


def is_update(sparql: str) -> bool:
    """Whether the text is a SPARQL update rather than a query ("INSERT DATA { ... }")."""
    return query_form(sparql) is None and _UPDATE.search(sparql_code(sparql)) is not None


def refuse_fetching(sparql: str) -> None:
    """Raise Refused when the request would make the store fetch a URL."""
    match = _FETCH.search(sparql_code(sparql))
    if match:
        word = match.group(1).upper()
        raise Refused(f"{word} is not allowed here: it makes the server fetch remote URLs",
                      "the operator can allow it with kg serve --allow-federation")


def graphs_named(update: str, base_iri: str | None = None) -> set[str] | None:
    """The graph IRIs an update may write, or None when it may write any graph (it names
    graphs by variable, prefixed name, ALL or NAMED, or copies between graphs).

    Conservative: every IRI in the text counts, so the set may hold IRIs of no graph.
    """
    if _ANY_GRAPH.search(sparql_code(update, keep_offsets=True)):
        return None
    return {urljoin(base_iri, iri) if base_iri else iri for iri in sparql_iris(update)}


def with_update_dataset(update: str, using: list[str], using_named: list[str]) -> str:
    """Write the protocol's ``using-graph-uri``/``using-named-graph-uri`` into each
    DELETE/INSERT operation as USING clauses. An operation that has its own USING or
    WITH conflicts with them: RequestError (the protocol's 400)."""
    if not using and not using_named:
        return update
    clauses = " ".join([f"USING <{g}>" for g in using]
                       + [f"USING NAMED <{g}>" for g in using_named])
    code = sparql_code(update, keep_offsets=True)
    edits: list[tuple[int, int, str]] = []
    for operation in _operations(code):
        edit = _using_edit(update, operation, clauses)
        if edit is not None:
            edits.append(edit)
    for start, end, text in reversed(edits):
        update = update[:start] + text + update[end:]
    return update


def _operations(code: str) -> list[list[tuple[str, int, int]]]:
    """Top-level tokens (word or brace block, start, end) of each ';'-separated operation."""
    operations: list[list[tuple[str, int, int]]] = [[]]
    depth, block_start = 0, 0
    for match in _TOKEN.finditer(code):
        token = match.group()
        if token == "{":
            if depth == 0:
                block_start = match.start()
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0:
                operations[-1].append(("{}", block_start, match.end()))
        elif depth == 0 and token == ";":
            operations.append([])
        elif depth == 0:
            operations[-1].append((token.upper(), match.start(), match.end()))
    return operations


def _using_edit(update: str, tokens: list[tuple[str, int, int]], clauses: str
                ) -> tuple[int, int, str] | None:
    words = [t[0] for t in tokens]
    verbs = [i for i, w in enumerate(words) if w in ("DELETE", "INSERT")]
    if not verbs or (words[verbs[0] + 1: verbs[0] + 2] == ["DATA"]):
        return None
    if "USING" in words or "WITH" in words:
        raise RequestError("the update has its own USING or WITH and the request also gives "
                           "using-graph-uri or using-named-graph-uri",
                           "give the dataset in one place only")
    first = verbs[0]
    if words[first] == "DELETE" and words[first + 1: first + 2] == ["WHERE"]:
        # DELETE WHERE { P } takes no USING: write it out as DELETE { P } USING ... WHERE { P }
        _, start, end = tokens[first + 2]
        pattern = update[start:end]
        _, where_start, _ = tokens[first + 1]
        return where_start, where_start, f"{pattern} {clauses} "
    where = words.index("WHERE", first) if "WHERE" in words[first:] else None
    if where is None:
        return None
    _, start, _ = tokens[where]
    return start, start, f"{clauses} "
