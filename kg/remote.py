"""A SPARQL 1.1 endpoint as the store (layer 3): ``--store http(s)://HOST/...``.

``RemoteStore`` is a ``KGStore`` whose backend is ``SparqlClient``, an HTTP client that
answers the part of ``pyoxigraph.Store``'s interface KGStore uses (``update``, ``query``,
``quads_for_pattern``, ``contains_named_graph``, ``named_graphs``, ``in``, ``len``,
``dump``). So every write is KGStore's own SPARQL update text, built by the same
functions (an article's DROP, INSERT, the default graph's upkeep and the rederived
intervals), sent as **one update request**; a change to those texts in kg/store.py
carries over without a copy here.

Atomicity is the endpoint's: SPARQL 1.1 Update asks a service to apply one request
atomically, and Oxigraph, Fuseki (TDB2) and GraphDB do; where a store applies the
operations of a request one by one, a reader may meet an article half replaced
(docs/scaling.md). Reads before a write (the stored fingerprint, the memberships an
article held) are separate requests: run one writer per store.

Parameters of named queries reach the endpoint as a ``VALUES`` block at the top of each
``WHERE`` group, the terms written in their N-Triples form (which no value can break
out of): the SPARQL 1.1 Protocol has no substitutions.

Authentication comes from the environment, never the command line: ``KG_STORE_TOKEN``
(``Authorization: Bearer``), or ``KG_STORE_USER`` and ``KG_STORE_PASSWORD`` (basic
auth; ``KG_STORE_AUTH=digest`` for digest, as Virtuoso's ``/sparql-auth`` wants).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from kg import derive
from kg.config import is_remote
from kg.errors import KGError, QueryError, RemoteStoreError, RemoteTimeout, StoreError
from kg.store import KGStore, graph_results, sparql_code
from kg.vocab import SCHEMA

UPDATE_URL_ENV = "KG_STORE_UPDATE_URL"
TOKEN_ENV = "KG_STORE_TOKEN"
USER_ENV = "KG_STORE_USER"
PASSWORD_ENV = "KG_STORE_PASSWORD"
AUTH_ENV = "KG_STORE_AUTH"
TIMEOUT_ENV = "KG_STORE_TIMEOUT"
DEFAULT_TIMEOUT = 300.0  # seconds a request may take (a big update, a long query)
CONNECT_TIMEOUT = 10.0

_RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
_GRAPHS = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
_ACCEPT = ("application/sparql-results+json, application/sparql-results+xml;q=0.9, "
           "text/tab-separated-values;q=0.8, application/n-triples;q=0.9, "
           "text/turtle;q=0.8, application/rdf+xml;q=0.5")
_AUTH_HINT = (f"set {TOKEN_ENV} (a Bearer token) or {USER_ENV} and {PASSWORD_ENV} "
              f"(basic auth; {AUTH_ENV}=digest for digest) in the environment")


# ---------------------------------------------------------------- settings


@dataclass(frozen=True)
class RemoteSettings:
    """Where to send queries and updates, with which credentials."""

    query_url: str
    update_url: str
    token: str | None = None
    user: str | None = None
    password: str | None = None
    digest: bool = False
    timeout: float | None = DEFAULT_TIMEOUT  # a query's time limit
    update_timeout: float | None = DEFAULT_TIMEOUT  # an update's

    @classmethod
    def from_environment(cls, url: str, environ: Mapping[str, str] | None = None,
                         timeout: float | None = None) -> RemoteSettings:
        env = os.environ if environ is None else environ
        configured = _seconds(env.get(TIMEOUT_ENV)) or DEFAULT_TIMEOUT
        return cls(query_url=url, update_url=env.get(UPDATE_URL_ENV) or update_url_for(url),
                   token=env.get(TOKEN_ENV) or None, user=env.get(USER_ENV) or None,
                   password=env.get(PASSWORD_ENV) or None,
                   digest=env.get(AUTH_ENV, "").lower() == "digest",
                   timeout=configured if timeout is None else timeout,
                   update_timeout=configured)

    def auth(self) -> httpx.Auth | None:
        if self.user is None:
            return None
        if self.digest:
            return httpx.DigestAuth(self.user, self.password or "")
        return httpx.BasicAuth(self.user, self.password or "")

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}


def _seconds(value: str | None) -> float | None:
    try:
        return float(value) if value else None
    except ValueError:
        raise StoreError(f"{TIMEOUT_ENV}={value!r} is not a number of seconds",
                         f"e.g. {TIMEOUT_ENV}=600") from None


def update_url_for(query_url: str) -> str:
    """The update endpoint beside a query endpoint, by the usual layouts: Oxigraph's and
    Fuseki's ``.../query`` beside ``.../update``, GraphDB's ``/repositories/NAME`` beside
    ``/repositories/NAME/statements``; otherwise the same URL (kg serve, Virtuoso, QLever).
    """
    parts = urlsplit(query_url)
    path = parts.path.rstrip("/")
    if path.endswith("/query"):
        path = path[: -len("query")] + "update"
    elif re.fullmatch(r".*/repositories/[^/]+", path):
        path += "/statements"
    else:
        return query_url
    return urlunsplit(parts._replace(path=path))


# ---------------------------------------------------------------- binding parameters

# the keywords, not variables such as ?where or $ask
_GROUP_START = re.compile(r"(?<![?$\w])(?:WHERE\s*\{|(?:SELECT|ASK)\b)", re.IGNORECASE)


def with_values(sparql: str, substitutions: Mapping[ox.Variable, Any] | None) -> str:
    """The query with ``substitutions`` bound by a ``VALUES`` block at the top of every
    group a ``WHERE`` opens (subqueries included, as pyoxigraph substitutes into the
    subqueries that project the variable). The terms are pyoxigraph objects written in
    their N-Triples form, which escapes whatever a value holds."""
    if not substitutions:
        return sparql
    variables = " ".join(str(v) for v in substitutions)
    terms = " ".join(_term(t) for t in substitutions.values())
    block = f" VALUES ({variables}) {{ ({terms}) }} "
    code = sparql_code(sparql, keep_offsets=True)
    points: set[int] = set()
    for match in _GROUP_START.finditer(code):
        if match.group().endswith("{"):
            points.add(match.end())
            continue
        brace = code.find("{", match.end())  # SELECT ... { without WHERE
        if brace >= 0 and not re.search(r"\bWHERE\b", code[match.end():brace], re.I):
            points.add(brace + 1)
    if not points:
        raise QueryError("the query has no WHERE group to bind its parameters in",
                         "write its pattern as WHERE { ... }")
    for point in sorted(points, reverse=True):
        sparql = sparql[:point] + block + sparql[point:]
    return sparql


def _term(term: Any) -> str:
    if isinstance(term, ox.BlankNode):
        raise StoreError("a blank node cannot be sent to a remote store",
                         "this is a bug in newskg; please report it")
    return str(term)


# ---------------------------------------------------------------- the client


class _Chunks(io.RawIOBase):
    """A response's byte chunks as a file pyoxigraph can read from as they arrive."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def _media_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";")[0].strip().lower()


def _first_line(response: httpx.Response) -> str:
    text = response.text.strip()
    return (text.splitlines()[0] if text else response.reason_phrase)[:300]


class SparqlClient:
    """What KGStore asks of a pyoxigraph ``Store``, answered by a SPARQL endpoint.

    Every method is one HTTP request (SPARQL 1.1 Protocol, form-encoded POST). Failures
    become ``StoreError``s that say what happened and what to check.
    """

    def __init__(self, settings: RemoteSettings) -> None:
        self.settings = settings
        self._http = httpx.Client(
            auth=settings.auth(), headers=settings.headers(), follow_redirects=True,
            timeout=_limits(settings.timeout))
        self._update_limits = _limits(settings.update_timeout)

    def close(self) -> None:
        self._http.close()

    def flush(self) -> None:
        """Nothing is buffered here: each write is a request of its own."""

    # ------------------------------------------------------------ requests

    def _send(self, url: str, form: Mapping[str, str | list[str]], accept: str, *,
              stream: bool = False) -> httpx.Response:
        updating = "update" in form
        request = self._http.build_request(
            "POST", url, data=form, headers={"Accept": accept},
            timeout=self._update_limits if updating else httpx.USE_CLIENT_DEFAULT)
        try:
            response = self._http.send(request, stream=stream)
        except httpx.TimeoutException:
            raise self._timeout(url, updating) from None
        except httpx.ConnectError as error:
            raise RemoteStoreError(f"cannot reach the SPARQL endpoint {url}: {_reason(error)}",
                                   "check the URL and that the server is running") from None
        except httpx.HTTPError as error:
            raise RemoteStoreError(f"the request to {url} failed: {_reason(error)}",
                                   "check the URL and the network") from None
        if response.status_code >= 400:
            if stream:
                response.read()
                response.close()
            raise _refusal(url, response, form)
        return response

    def _timeout(self, url: str, updating: bool) -> RemoteTimeout:
        if updating:
            seconds = self.settings.update_timeout or 0
            return RemoteTimeout(
                f"the SPARQL endpoint {url} did not confirm the update within {seconds:g} s",
                f"the server may still apply it (run the same command again: what is "
                f"stored is skipped); raise {TIMEOUT_ENV} for big articles")
        seconds = self.settings.timeout or 0
        return RemoteTimeout(
            f"the SPARQL endpoint {url} did not answer within {seconds:g} s",
            f"add LIMIT or raise the limit ({TIMEOUT_ENV}, --timeout for kg query or kg "
            "serve); the query may still be running there, under the endpoint's own limits")

    def _read(self, response: httpx.Response, url: str, started: float) -> bytes:
        """The whole answer, or RemoteTimeout once the time limit has passed since
        ``started`` (the client's timeout alone bounds each wait for data, not the sum)."""
        limit = self.settings.timeout
        chunks = []
        with self._answer_of(url, response):
            for chunk in response.iter_bytes():
                chunks.append(chunk)
                if limit is not None and time.monotonic() - started > limit:
                    raise self._timeout(url, updating=False)
        return b"".join(chunks)

    @contextlib.contextmanager
    def _answer_of(self, url: str, response: httpx.Response) -> Iterator[None]:
        """Reading ``response``: a timeout or a broken connection meanwhile becomes the
        KGError saying so; the response is closed in any case."""
        try:
            yield
        except httpx.TimeoutException:
            raise self._timeout(url, updating=False) from None
        except httpx.HTTPError as error:
            raise RemoteStoreError(f"the answer of {url} broke off: {_reason(error)}",
                                   "try again; check the server's log") from None
        finally:
            response.close()

    def select(self, sparql: str, substitutions: Mapping[ox.Variable, Any] | None = None
               ) -> Iterator[ox.QuerySolution]:
        """A SELECT's solutions, read as the answer streams in (for dumps of any size)."""
        url = self.settings.query_url
        response = self._send(url, {"query": with_values(sparql, substitutions)},
                              "application/sparql-results+json", stream=True)
        with self._answer_of(url, response):
            media = _media_type(response)
            if media not in _RESULTS:
                raise _not_sparql(url, media)
            reader = io.BufferedReader(_Chunks(response.iter_bytes()))
            try:
                yield from ox.parse_query_results(reader, _RESULTS[media])
            except (SyntaxError, ValueError) as error:
                raise _malformed(url, error) from None

    def query(self, sparql: str, *, substitutions: Mapping[ox.Variable, Any] | None = None,
              base_iri: str | None = None, default_graph: list[ox.NamedNode] | None = None,
              named_graphs: list[ox.NamedNode] | None = None) -> Any:
        """Any query: solutions, a boolean, or triples, as pyoxigraph's ``Store.query``.
        ``default_graph``/``named_graphs`` go as the protocol's ``default-graph-uri`` and
        ``named-graph-uri``; the endpoint decides what the dataset then is."""
        text = with_values(sparql, substitutions)
        if base_iri is not None:
            text = f"BASE {ox.NamedNode(base_iri)}\n{text}"
        form: dict[str, str | list[str]] = {"query": text}
        if default_graph:
            form["default-graph-uri"] = [g.value for g in default_graph]
        if named_graphs:
            form["named-graph-uri"] = [g.value for g in named_graphs]
        url = self.settings.query_url
        started = time.monotonic()
        response = self._send(url, form, _ACCEPT, stream=True)
        media = _media_type(response)
        content = self._read(response, url, started)
        try:
            if media in _RESULTS:
                results = ox.parse_query_results(content, _RESULTS[media])
                if isinstance(results, ox.QuerySolutions):
                    # the parser is lazy: read the answer through once, so a malformed one
                    # fails here and not halfway through printing it
                    for _ in results:
                        pass
                    results = ox.parse_query_results(content, _RESULTS[media])
                return results
        except (SyntaxError, ValueError) as error:
            raise _malformed(url, error) from None
        if media in _GRAPHS:
            try:
                return graph_results(content, _GRAPHS[media])
            except (SyntaxError, ValueError) as error:
                raise _malformed(url, error) from None
        raise _not_sparql(url, media)

    def check(self) -> None:
        """Ask the endpoint the cheapest query there is: a clear error now if it does not
        answer as a SPARQL endpoint, rather than on the first request."""
        answer = self.query("ASK {}")
        if not isinstance(answer, ox.QueryBoolean):
            raise _not_sparql(self.settings.query_url, "something other than a boolean")

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        if base_iri is not None:
            sparql = f"BASE {ox.NamedNode(base_iri)}\n{sparql}"
        self._send(self.settings.update_url, {"update": sparql}, "*/*").close()

    # ------------------------------------------------------------ store reads

    def quads_for_pattern(self, subject: Any, predicate: Any, object: Any,
                          graph_name: Any = None) -> Iterator[ox.Quad]:
        """The quads matching a pattern (``None``: any), as ``Store.quads_for_pattern``:
        no graph given means every graph, the default graph included."""
        bound = {ox.Variable(name): term for name, term in
                 (("s", subject), ("p", predicate), ("o", object)) if term is not None}
        if graph_name is None:
            where = "{ ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } }"
        elif isinstance(graph_name, ox.DefaultGraph):
            where = "?s ?p ?o"
        else:
            where = "GRAPH ?g { ?s ?p ?o }"
            bound[ox.Variable("g")] = graph_name
        for row in self.select(f"SELECT ?s ?p ?o ?g WHERE {{ {where} }}", bound):
            yield ox.Quad(row["s"], row["p"], row["o"], row["g"] or ox.DefaultGraph())

    def contains_named_graph(self, graph: ox.NamedNode) -> bool:
        return bool(self.query("ASK WHERE { GRAPH ?g { ?s ?p ?o } }",
                               substitutions={ox.Variable("g"): graph}))

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        for row in self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
            yield row["g"]

    def __contains__(self, quad: ox.Quad) -> bool:
        graph = quad.graph_name
        where = "?s ?p ?o" if isinstance(graph, ox.DefaultGraph) else "GRAPH ?g { ?s ?p ?o }"
        bound = {ox.Variable("s"): quad.subject, ox.Variable("p"): quad.predicate,
                 ox.Variable("o"): quad.object}
        if not isinstance(graph, ox.DefaultGraph):
            bound[ox.Variable("g")] = graph
        return bool(self.query(f"ASK WHERE {{ {where} }}", substitutions=bound))

    def __len__(self) -> int:
        [row] = self.select("SELECT (COUNT(*) AS ?n) WHERE "
                            "{ { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
        return int(row["n"].value)

    def remove(self, quad: ox.Quad) -> None:
        triple = f"{_term(quad.subject)} {_term(quad.predicate)} {_term(quad.object)} ."
        graph = quad.graph_name
        body = triple if isinstance(graph, ox.DefaultGraph) else f"GRAPH {graph} {{ {triple} }}"
        self.update(f"DELETE DATA {{ {body} }}")

    def dump(self, output: IO[bytes] | None = None, format: ox.RdfFormat | None = None, *,
             from_graph: Any = None, prefixes: dict[str, str] | None = None) -> bytes | None:
        """The dataset, or one graph, serialized as ``Store.dump`` does, streamed from one
        SELECT (so blank nodes keep their identity across the whole answer)."""
        rdf_format = format or ox.RdfFormat.N_QUADS
        quads = self.quads_for_pattern(None, None, None, from_graph)
        items: Iterable[ox.Quad | ox.Triple] = (
            quads if from_graph is None and rdf_format.supports_datasets
            else (q.triple for q in quads))
        if output is None:
            buffer = io.BytesIO()
            ox.serialize(items, buffer, rdf_format, prefixes=prefixes)
            return buffer.getvalue()
        ox.serialize(items, output, rdf_format, prefixes=prefixes)
        return None


def _reason(error: Exception) -> str:
    text = str(error) or type(error).__name__
    if "refused" in text.lower():
        return "connection refused"
    return text.splitlines()[0]


def _limits(seconds: float | None) -> httpx.Timeout:
    """``seconds`` for every wait of a request, the connection's at most CONNECT_TIMEOUT."""
    connect = CONNECT_TIMEOUT if seconds is None else min(seconds, CONNECT_TIMEOUT)
    return httpx.Timeout(seconds, connect=connect)


def _malformed(url: str, error: Exception) -> RemoteStoreError:
    return RemoteStoreError(f"{url} answered malformed SPARQL results: {error}",
                            "check that --store names a SPARQL query endpoint")


def _not_sparql(url: str, media: str) -> RemoteStoreError:
    return RemoteStoreError(
        f"{url} did not answer as a SPARQL endpoint (it sent {media or 'no media type'})",
        "pass the query endpoint's URL, e.g. http://host:7878/query for oxigraph serve or "
        "http://host:3030/DATASET/query for Fuseki")


def _refusal(url: str, response: httpx.Response, form: dict[str, str]) -> KGError:
    status = f"{response.status_code} {response.reason_phrase}".strip()
    if response.status_code == 401:
        return RemoteStoreError(f"the SPARQL endpoint {url} asks for credentials ({status})",
                          _AUTH_HINT)
    if response.status_code == 403:
        return RemoteStoreError(f"the SPARQL endpoint {url} refused the request ({status}): "
                          f"{_first_line(response)}",
                          "check that the credentials allow this (writes need an account "
                          f"that may update); {_AUTH_HINT}")
    if response.status_code == 404:
        return RemoteStoreError(f"there is no SPARQL endpoint at {url} ({status})",
                          "check the URL: e.g. http://host:7878/query for oxigraph serve")
    if response.status_code == 400 and "query" in form:
        return QueryError(f"the endpoint rejected the query: {_first_line(response)}",
                          "check the query syntax")
    if response.status_code == 400 and "update" in form:
        return QueryError(f"the endpoint rejected the update: {_first_line(response)}",
                          "check the update syntax")
    return RemoteStoreError(f"the SPARQL endpoint {url} failed ({status}): {_first_line(response)}",
                      "the store was left as it was if the endpoint applies a request "
                      "atomically; check the server's log")


# ---------------------------------------------------------------- the store


class RemoteStore(KGStore):
    """The newskg graph layout in a SPARQL 1.1 store: KGStore's reads and writes, over
    HTTP. ``url`` is the query endpoint; the update endpoint is found beside it
    (``update_url_for``) or named in ``KG_STORE_UPDATE_URL``."""

    def __init__(self, url: str, *, read_only: bool = False, timeout: float | None = None,
                 environ: Mapping[str, str] | None = None) -> None:
        self.path = None
        self.url = url
        self.read_only = read_only
        self.client = SparqlClient(RemoteSettings.from_environment(url, environ, timeout))
        self._store = self.client  # type: ignore[assignment]  # KGStore's backend
        self._written = 0  # KGStore counts what it writes, to flush (a no-op here)

    def close(self) -> None:
        self.client.close()

    def _remerge(self, removed: set[tuple]) -> None:
        """``KGStore._remerge`` (after a SPARQL update: the default graph loses what the
        update took out of named graphs and no graph asserts any more), for triples with
        blank nodes too. A blank node cannot be named in a later request, so those go by
        pattern: every default-graph triple with a blank node and one of their predicates
        that no named graph asserts (the default graph's own such triples included)."""
        blank = {t for t in removed if any(isinstance(term, ox.BlankNode) for term in t)}
        if blank:
            predicates = " ".join(sorted({str(t[1]) for t in blank}))
            self._update(
                f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES ?p {{ {predicates} }} ?s ?p ?o "
                f"FILTER((isBlank(?s) || isBlank(?o)) && "
                f"NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }} }}) }}")
        super()._remerge(removed - blank)

    def _attestations(self, memberships: set[str] | None, leave_out: Iterable[str]
                      ) -> Iterator[tuple]:
        """``KGStore._attestations`` in one request, not three a membership."""
        for row in self.client.select(derive.intervals_query(memberships, leave_out)):
            yield row["m"], row["p"], row["o"]

    def article_graphs(self) -> Iterator[tuple[str, str]]:
        """(graph IRI, schema:url) of every article: one request, not one per article."""
        rows = self.client.select(
            f"SELECT ?g ?url WHERE {{ GRAPH ?g {{ ?a a <{SCHEMA.NewsArticle}> ;"
            f" <{SCHEMA.url}> ?url }} }}")
        for row in rows:
            yield row["g"].value, row["url"].value


def open_store(location: Path | str, *, read_only: bool = False, create: bool = True,
               timeout: float | None = None) -> KGStore:
    """The store ``--store`` names: a directory (an embedded Oxigraph store) or the URL of
    a SPARQL endpoint. ``timeout`` bounds each request to an endpoint."""
    if is_remote(location):
        return RemoteStore(str(location), read_only=read_only, timeout=timeout)
    return KGStore(location, read_only=read_only, create=create)
