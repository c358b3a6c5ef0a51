"""``kg serve --store URL``: kg serve over a remote SPARQL store (``oxigraph serve``
started here), checked against a ``kg serve`` of a store directory holding the same
articles. Real servers in real processes, real HTTP clients (httpx, SPARQLWrapper).

The remote's failures come from real servers too: ``oxigraph serve`` stopped, and the
small stdlib server of tests/test_remote.py that answers late, asks for credentials or
answers an HTML page.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from conftest import (
    KeywordExtractor,
    LiveServer,
    OxigraphServer,
    free_port,
    read_quads,
    run_kg,
    write_articles,
)
from test_remote import _QuietServer, _url, export_lines, fake  # noqa: F401 (a fixture)

from kg.queries import prepare
from kg.store import KGStore

TOKEN = "s3rve-token"
JSON = {"Accept": "application/sparql-results+json"}


@dataclass
class Pair:
    """The same articles served two ways: ``remote`` is kg serve over ``oxigraph``,
    ``local`` kg serve over a store directory."""

    oxigraph: OxigraphServer
    remote: LiveServer
    local: LiveServer
    local_path: Path
    folder: Path


def _ingest(articles: Path, *stores: str | Path) -> None:
    """``kg ingest`` with the keyword extractor (no spaCy), as test_remote's tests do."""
    with pytest.MonkeyPatch.context() as patch:
        extractor = KeywordExtractor()
        patch.setattr("kg.pipeline.Extractor", lambda model=None: extractor)
        for store in stores:
            result = run_kg("ingest", str(articles), "--store", str(store))
            assert result.exit_code == 0, result.stderr


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    folder = tmp_path_factory.mktemp("serve-remote")
    articles = write_articles(folder / "articles")
    oxigraph = OxigraphServer(folder / "oxigraph")
    local_path = folder / "local"
    servers: list = [oxigraph]
    try:
        _ingest(articles, oxigraph.url, local_path)
        servers.append(LiveServer(oxigraph.url, log_dir=folder))
        servers.append(LiveServer(local_path))
        yield Pair(oxigraph, servers[1], servers[2], local_path, folder)
    finally:
        for server in reversed(servers):
            server.stop()


def _rows(server: LiveServer, sparql: str) -> list[tuple]:
    """A SELECT's rows (each value as JSON, sorted), the standard prefixes declared."""
    answer = httpx.post(server.url + "/sparql", data={"query": prepare(sparql)},
                        headers=JSON, timeout=30)
    assert answer.status_code == 200, answer.text
    data = answer.json()
    names = data["head"]["vars"]
    return sorted(tuple(json.dumps(row.get(n), sort_keys=True) for n in names)
                  for row in data["results"]["bindings"])


def _triples(body: bytes, media: str) -> set[str]:
    rdf_format = ox.RdfFormat.from_media_type(media.split(";")[0])
    assert rdf_format is not None, media
    return {str(t) for t in ox.parse(body, rdf_format)}


QUERIES = [
    "SELECT ?name WHERE { ?p a schema:Person ; rdfs:label ?name }",
    "SELECT ?who ?role ?org WHERE { ?m a org:Membership ; org:member/rdfs:label ?who ; "
    "org:role/rdfs:label ?role ; org:organization/rdfs:label ?org }",
    "SELECT ?class (COUNT(?x) AS ?n) WHERE { ?x a ?class } GROUP BY ?class",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
]


# ---------------------------------------------------------------- reads


def test_sparql_answers_the_same_rows_as_a_local_kg_serve(pair: Pair) -> None:
    for sparql in QUERIES:
        remote = _rows(pair.remote, sparql)
        assert remote, sparql  # the articles are there
        assert remote == _rows(pair.local, sparql), sparql
    ask = prepare("ASK { ?p rdfs:label 'Anna Berg' }")
    for server in (pair.remote, pair.local):
        answer = httpx.get(server.url + "/sparql", params={"query": ask}, headers=JSON)
        assert answer.json()["boolean"] is True
    construct = prepare("CONSTRUCT { ?p ?x ?y } WHERE { ?p a schema:Person ; ?x ?y }")
    graphs = []
    for server in (pair.remote, pair.local):
        answer = httpx.post(server.url + "/sparql", data={"query": construct},
                            headers={"Accept": "text/turtle"})
        assert answer.status_code == 200, answer.text
        graphs.append(_triples(answer.content, answer.headers["content-type"]))
    assert graphs[0] and graphs[0] == graphs[1]


def test_sparqlwrapper_reads_the_remote_through_kg_serve(pair: Pair) -> None:
    from SPARQLWrapper import JSON as WRAPPER_JSON
    from SPARQLWrapper import SPARQLWrapper

    found = []
    for server in (pair.remote, pair.local):
        client = SPARQLWrapper(server.url + "/sparql")
        client.setQuery("PREFIX schema: <http://schema.org/> PREFIX rdfs: "
                        "<http://www.w3.org/2000/01/rdf-schema#> SELECT ?name WHERE "
                        "{ ?p a schema:Person ; rdfs:label ?name } ORDER BY ?name")
        client.setReturnFormat(WRAPPER_JSON)
        rows = client.query().convert()["results"]["bindings"]  # type: ignore[index]
        found.append([row["name"]["value"] for row in rows])
    assert "Anna Berg" in found[0] and found[0] == found[1]


def test_the_dataset_parameters_reach_the_remote(pair: Pair) -> None:
    graph = _rows(pair.local, "SELECT ?g WHERE { GRAPH ?g { ?a a schema:NewsArticle } }")[0]
    iri = json.loads(graph[0])["value"]
    sparql = prepare("SELECT ?s WHERE { ?s a schema:NewsArticle }")
    for server in (pair.remote, pair.local):
        answer = httpx.post(server.url + "/sparql", headers=JSON,
                            data={"query": sparql, "default-graph-uri": iri})
        rows = answer.json()["results"]["bindings"]
        assert len(rows) == 1, answer.text  # one article graph as the default graph


def test_an_entity_page_its_turtle_search_and_a_named_query(pair: Pair) -> None:
    [row] = _rows(pair.local, "SELECT ?p WHERE { ?p rdfs:label 'Anna Berg' }")
    iri = json.loads(row[0])["value"]
    path = "/id/" + iri.split("/id/", 1)[1]
    pages = [httpx.get(server.url + path) for server in (pair.remote, pair.local)]
    assert pages[0].status_code == 200 and "Anna Berg" in pages[0].text
    assert "Secretary General" in pages[0].text
    turtles = [httpx.get(server.url + path, headers={"Accept": "text/turtle"})
               for server in (pair.remote, pair.local)]
    assert turtles[0].status_code == 200, turtles[0].text
    remote_turtle = _triples(turtles[0].content, turtles[0].headers["content-type"])
    assert remote_turtle == _triples(turtles[1].content, turtles[1].headers["content-type"])
    assert any("Anna Berg" in t for t in remote_turtle)
    searches = [httpx.get(server.url + "/search", params={"q": "berg", "format": "json"}).json()
                for server in (pair.remote, pair.local)]
    assert [h["iri"] for h in searches[0]["results"]] == [iri]
    assert searches[0] == searches[1]
    named = [httpx.get(server.url + "/queries/posts-of-person",
                       params={"name": "Berg", "format": "csv"})
             for server in (pair.remote, pair.local)]
    assert named[0].status_code == 200, named[0].text
    assert "Secretary General" in named[0].text
    assert sorted(named[0].text.splitlines()) == sorted(named[1].text.splitlines())
    missing = httpx.get(pair.remote.url + "/id/person/nobody-at-all")
    assert missing.status_code == 404


def test_graph_store_reads_void_and_the_service_description(pair: Pair) -> None:
    nt = {"Accept": "application/n-triples"}
    merged = [httpx.get(server.url + "/store?default", headers=nt)
              for server in (pair.remote, pair.local)]
    assert merged[0].status_code == 200
    assert set(merged[0].text.splitlines()) == set(merged[1].text.splitlines())
    assert len(merged[0].text.splitlines()) > 50
    absent = httpx.get(pair.remote.url + "/store", params={"graph": "http://x.example/none"})
    assert absent.status_code == 404
    voids = [httpx.get(server.url + "/.well-known/void", headers=nt).text
             for server in (pair.remote, pair.local)]

    def counts(text: str) -> set[str]:
        return {line.split(" ", 1)[1] for line in text.splitlines()
                if "rdfs.org/ns/void#" in line and "XMLSchema#integer" in line}

    assert counts(voids[0]) == counts(voids[1]) and counts(voids[0])
    assert "dc/terms/modified" not in voids[0]  # a remote store does not say when it changed
    description = httpx.get(pair.remote.url + "/sparql", headers={"Accept": "text/turtle"})
    assert description.status_code == 200 and "sparql-service-description" in description.text


def test_bad_requests_are_the_clients_and_writes_are_refused(pair: Pair) -> None:
    bad = httpx.post(pair.remote.url + "/sparql", data={"query": "SELECT WHERE {"})
    assert bad.status_code == 400
    assert bad.text.startswith("error: the endpoint rejected the query")
    refused = httpx.post(pair.remote.url + "/sparql", data={"update": "CLEAR ALL"},
                         headers={"Authorization": f"Bearer {TOKEN}"})
    assert refused.status_code == 403 and "read-only" in refused.text
    service = httpx.post(pair.remote.url + "/sparql", data={
        "query": "SELECT * WHERE { SERVICE <http://x.example/sparql> { ?s ?p ?o } }"})
    assert service.status_code == 403 and "SERVICE" in service.text  # as for a directory


# ---------------------------------------------------------------- writes


@pytest.mark.slow
def test_writes_with_the_token_keep_the_remote_in_step(tmp_path: Path) -> None:
    """kg ingest through kg serve into oxigraph serve, then Graph Store and SPARQL Update
    writes through kg serve: the remote ends as a store directory given the same writes."""
    articles = write_articles(tmp_path / "articles")
    oxigraph = OxigraphServer(tmp_path / "oxigraph")
    local = tmp_path / "local"
    KGStore(local).close()
    servers: list = [oxigraph]
    try:
        remote = LiveServer(oxigraph.url, "--allow-writes", env={"KG_SERVE_TOKEN": TOKEN},
                            log_dir=tmp_path)
        servers.append(remote)
        plain = LiveServer(local, "--allow-writes", env={"KG_SERVE_TOKEN": TOKEN})
        servers.append(plain)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("KG_STORE_TOKEN", TOKEN)
            _ingest(articles, remote.url + "/sparql", plain.url + "/sparql")
        assert export_lines(oxigraph.url) == export_lines(plain.url + "/sparql")

        no_token = httpx.put(remote.url + "/store", params={"graph": "http://x.example/g"},
                             content=b"<http://x.example/a> <http://x.example/b> 1 .",
                             headers={"Content-Type": "application/n-triples"})
        assert no_token.status_code == 401
        before = export_lines(oxigraph.url)
        auth = {"Authorization": f"Bearer {TOKEN}"}
        [row] = _rows(plain, "SELECT ?g WHERE { GRAPH ?g { ?a schema:headline "
                             "'Talks on river traffic' } }")
        river = json.loads(row[0])["value"]
        writes = [
            ("PUT", {"graph": "http://x.example/notes"},
             "<http://x.example/anna> <http://www.w3.org/2000/01/rdf-schema#label> "
             '"Anna Berg" .\n'),
            ("POST", {"graph": "http://x.example/notes"},
             "<http://x.example/anna> <http://x.example/likes> <http://x.example/lakes> .\n"),
            ("DELETE", {"graph": river}, None),
            ("PUT", {"graph": "http://x.example/card"},  # a blank node: named by no request
             '_:card <http://x.example/name> "card" .\n'),
        ]
        with_card = []
        for server in (remote, plain):
            for method, params, body in writes:
                answer = httpx.request(method, server.url + "/store", params=params,
                                       content=body, headers={
                                           **auth, "Content-Type": "application/n-triples"})
                assert answer.status_code in (201, 204), (method, answer.text)
            with_card.append(export_lines(server.url + "/sparql"))
            update = ("DELETE WHERE { GRAPH ?g { ?p <http://www.w3.org/2000/01/rdf-schema#label> "
                      "'Anna Berg' } } ; DELETE WHERE { GRAPH <http://x.example/card> "
                      "{ ?s ?p ?o } }")
            answer = httpx.post(server.url + "/sparql", data={"update": update}, headers=auth)
            assert answer.status_code == 204, answer.text
        # the blank node was in its graph and in the default graph, and left both
        assert [sum("x.example/name" in line for line in lines) for lines in with_card] == [2, 2]
        after = export_lines(oxigraph.url)
        assert after != before
        assert not any("Anna Berg" in line and "rdf-schema#label" in line for line in after)
        assert any("http://x.example/likes" in line for line in after)
        assert not any("x.example/name" in line for line in after)
        assert not any(river in line for line in after)
        assert after == export_lines(plain.url + "/sparql")

        # a write cut short between its requests leaves the default graph out of step:
        # a stray triple in it, a merged one missing; the README's remedy mends both
        cut_short = ("INSERT DATA { <http://x.example/left> <http://x.example/over> 1 } ; "
                     "DELETE WHERE { ?who <http://www.w3.org/2000/01/rdf-schema#label> "
                     "'Lina Okafor' }")
        assert httpx.post(oxigraph.root + "/update", data={"update": cut_short}
                          ).status_code == 204
        out_of_step = export_lines(oxigraph.url)
        assert out_of_step - after and after - out_of_step  # one stray, one missing
        assert httpx.delete(remote.url + "/store?default", headers=auth).status_code == 204
        assert httpx.post(remote.url + "/sparql", data={"update": "INSERT DATA {}"},
                          headers=auth).status_code == 204
        assert export_lines(oxigraph.url) == after
    finally:
        for server in reversed(servers):
            server.stop()
    assert read_quads(local) == after


def test_no_stale_answer_after_a_write_kg_serve_did_not_see(tmp_path: Path) -> None:
    """By default nothing is cached for a remote store: a write made to the remote
    directly shows at once. With --sole-writer answers are cached until this server's own
    writes, which show at once too."""
    articles = write_articles(tmp_path / "articles")
    oxigraph = OxigraphServer(tmp_path / "oxigraph")
    count = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a schema:NewsArticle }"
    servers: list = [oxigraph]
    try:
        _ingest(articles / "lakes.txt", oxigraph.url)
        safe = LiveServer(oxigraph.url, "--workers", "1", log_dir=tmp_path)
        servers.append(safe)
        cached = LiveServer(oxigraph.url, "--sole-writer", "--allow-writes",
                            env={"KG_SERVE_TOKEN": TOKEN}, log_dir=tmp_path)
        servers.append(cached)

        def articles_seen(server: LiveServer) -> int:
            return int(json.loads(_rows(server, count)[0][0])["value"])

        assert articles_seen(safe) == articles_seen(cached) == 1
        _ingest(articles / "harbour.md", oxigraph.url)  # behind kg serve's back
        assert articles_seen(safe) == 2
        assert articles_seen(cached) == 1  # as its operator was told: cached
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("KG_STORE_TOKEN", TOKEN)
            _ingest(articles / "river.html", cached.url + "/sparql")
        assert articles_seen(cached) == articles_seen(safe) == 3
    finally:
        for server in reversed(servers):
            server.stop()


# ---------------------------------------------------------------- the remote failing


def test_kg_serve_fails_early_when_the_url_does_not_answer(tmp_path: Path) -> None:
    nobody = f"http://127.0.0.1:{free_port()}/query"
    started = time.monotonic()
    result = run_kg("serve", "--store", nobody, "--port", str(free_port()))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: cannot reach the SPARQL endpoint {nobody}: connection refused",
        "hint: check the URL and that the server is running"]
    assert time.monotonic() - started < 5
    wrong = run_kg("serve", "--store", str(tmp_path / "store"), "--sole-writer")
    assert wrong.exit_code == 2 and "--sole-writer is for a remote" in wrong.stderr


def test_kg_serve_refuses_a_url_that_is_not_a_sparql_endpoint(
        fake: ThreadingHTTPServer) -> None:  # noqa: F811 (the fixture)
    result = run_kg("serve", "--store", _url(fake), "--port", str(free_port()))
    assert result.exit_code == 1
    assert "did not answer as a SPARQL endpoint (it sent text/html)" in result.stderr


def test_a_remote_that_fails_gives_502_or_504_and_kg_serve_stays_up(
        fake: ThreadingHTTPServer, tmp_path: Path) -> None:  # noqa: F811 (the fixture)
    fake.answer = (200, "application/sparql-results+json",  # type: ignore[attr-defined]
                   b'{"head": {}, "boolean": true}')
    server = LiveServer(_url(fake), "--timeout", "1", "--workers", "1", log_dir=tmp_path)
    try:
        ask = {"query": "ASK { ?s ?p ?o }"}
        assert httpx.post(server.url + "/sparql", data=ask, headers=JSON).status_code == 200
        fake.delay = 4  # type: ignore[attr-defined]
        started = time.monotonic()
        late = httpx.post(server.url + "/sparql", data=ask, headers=JSON, timeout=10)
        assert late.status_code == 504
        assert "did not answer within 1 s" in late.text and "hint:" in late.text
        assert time.monotonic() - started < 3
        fake.delay = 0  # type: ignore[attr-defined]
        for status, media, body, message in [
            (401, "text/plain", b"who are you", "asks for credentials (401"),
            (500, "text/plain", b"disk full", "failed (500 Internal Server Error): disk full"),
            (200, "text/html", b"<html>a page</html>", "did not answer as a SPARQL endpoint"),
            (200, "application/sparql-results+json", b"{not json", "malformed SPARQL results"),
        ]:
            fake.answer = (status, media, body)  # type: ignore[attr-defined]
            answer = httpx.post(server.url + "/sparql", data=ask, headers=JSON)
            assert answer.status_code == 502, (status, answer.text)
            assert message in answer.text and "Traceback" not in answer.text
        page = httpx.get(server.url + "/search", params={"q": "berg"})
        assert page.status_code == 502 and "Traceback" not in page.text
        fake.answer = (200, "application/sparql-results+json",  # type: ignore[attr-defined]
                       b'{"head": {}, "boolean": true}')
        assert httpx.post(server.url + "/sparql", data=ask, headers=JSON).json() == {
            "head": {}, "boolean": True}
    finally:
        log = server.stop()
    assert "Traceback" not in log


class _Trickling(BaseHTTPRequestHandler):
    """A SPARQL endpoint answering ASK true at once, or, once ``server.trickle`` is set,
    a byte every 0.2 s: never a wait long enough for a client's read timeout."""

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b'{"head": {}, "boolean": true}'
        pause = 0.2 if self.server.trickle else 0  # type: ignore[attr-defined]
        padding = b" " * (20 if pause else 0)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(padding) + len(body)))
        self.end_headers()
        for byte in padding:
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(pause)
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_an_answer_that_trickles_in_is_cut_at_the_limit(tmp_path: Path) -> None:
    remote = _QuietServer(("127.0.0.1", 0), _Trickling)
    remote.trickle = False  # type: ignore[attr-defined]
    threading.Thread(target=remote.serve_forever, daemon=True).start()
    server = LiveServer(_url(remote), "--timeout", "1", "--workers", "1", log_dir=tmp_path)
    try:
        remote.trickle = True  # type: ignore[attr-defined]
        started = time.monotonic()
        answer = httpx.post(server.url + "/sparql", data={"query": "ASK { ?s ?p ?o }"},
                            headers=JSON, timeout=10)
        assert answer.status_code == 504 and "within 1 s" in answer.text
        assert time.monotonic() - started < 2.5  # not the 4 s the whole answer takes
    finally:
        server.stop()
        remote.shutdown()
        remote.server_close()


def test_a_remote_that_went_away_gives_502_quickly(pair: Pair, tmp_path: Path) -> None:
    """Last in this file: it stops the module's oxigraph serve."""
    pair.oxigraph.stop()
    started = time.monotonic()
    answer = httpx.post(pair.remote.url + "/sparql", data={"query": prepare(QUERIES[0])},
                        headers=JSON)
    assert answer.status_code == 502
    assert "cannot reach the SPARQL endpoint" in answer.text
    assert time.monotonic() - started < 2
    assert httpx.get(pair.remote.url + "/").status_code == 200  # kg serve is still up
