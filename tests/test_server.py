"""``kg serve`` over real HTTP: a live server process on a free port, real clients
(httpx, SPARQLWrapper, rdflib, curl), a real on-disk store."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from conftest import LiveServer, graph_lines

from kg.store import KGStore

EX = "http://example.org/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PERSON = "http://schema.org/Person"
ARTICLES = 20
TOKEN = "s3cret-token"
WRITE = {"Authorization": f"Bearer {TOKEN}"}
SELECT_LABELS = f"SELECT ?label WHERE {{ ?p a <{PERSON}> ; <{LABEL}> ?label }} ORDER BY ?label"
# four copies of every triple side by side: 60^4 rows, far more than a few seconds' work
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


def article(i: int) -> list[tuple]:
    """Article i names person i and person i+1 (so neighbours share triples)."""
    triples = []
    for n in (i, i + 1):
        person = ox.NamedNode(f"{EX}person/{n}")
        triples += [(person, ox.NamedNode(LABEL), ox.Literal(f"Person {n:02d}")),
                    (person, ox.NamedNode(TYPE), ox.NamedNode(PERSON))]
    return triples


def build_store(path: Path) -> Path:
    with KGStore(path) as store:
        for i in range(ARTICLES):
            store.replace_article(f"{EX}graph/{i}", article(i))
    return path


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("served") / "store")


@pytest.fixture(scope="module")
def server(data: Path):
    live = LiveServer(data, "--timeout", "3", "--workers", "2", "--max-rows", "50",
                      "--max-body", "2000")
    yield live
    live.stop()


@pytest.fixture
def writable(tmp_path: Path):
    live = LiveServer(build_store(tmp_path / "store"), "--allow-writes",
                      env={"KG_SERVE_TOKEN": TOKEN})
    yield live
    live.stop()


def sparql(server: LiveServer, query: str, accept: str | None = None,
           headers: dict[str, str] | None = None) -> httpx.Response:
    sent = {**({"Accept": accept} if accept else {}), **(headers or {})}
    return httpx.get(server.url + "/sparql", params={"query": query}, headers=sent,
                     timeout=30)


def labels(response: httpx.Response) -> list[str]:
    return [b["label"]["value"] for b in response.json()["results"]["bindings"]]


# ---------------------------------------------------------------- queries and clients


def test_select_by_get_post_form_and_post_direct_agree(server: LiveServer) -> None:
    by_get = sparql(server, SELECT_LABELS)
    by_form = httpx.post(server.url + "/sparql", data={"query": SELECT_LABELS})
    direct = httpx.post(server.url + "/sparql", content=SELECT_LABELS,
                        headers={"Content-Type": "application/sparql-query"})
    for response in (by_get, by_form, direct):
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/sparql-results+json"
        assert labels(response) == [f"Person {n:02d}" for n in range(ARTICLES + 1)]


def test_the_default_graph_is_the_merge_and_named_graphs_are_the_articles(server: LiveServer
                                                                          ) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert sparql(server, count).json()["results"]["bindings"][0]["n"]["value"] == str(
        2 * (ARTICLES + 1))
    per_graph = sparql(server, f"SELECT ?g WHERE {{ GRAPH ?g {{ <{EX}person/5> ?p ?o }} }}")
    assert {b["g"]["value"] for b in per_graph.json()["results"]["bindings"]} == {
        f"{EX}graph/4", f"{EX}graph/5"}
    scoped = httpx.get(server.url + "/sparql",
                       params={"query": count, "default-graph-uri": f"{EX}graph/3"})
    assert scoped.json()["results"]["bindings"][0]["n"]["value"] == "4"


def test_sparqlwrapper_and_rdflib_read_the_endpoint(server: LiveServer) -> None:
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(server.url + "/sparql")
    client.setQuery(SELECT_LABELS + " LIMIT 3")
    client.setReturnFormat(JSON)
    rows = client.query().convert()["results"]["bindings"]
    assert [r["label"]["value"] for r in rows] == ["Person 00", "Person 01", "Person 02"]

    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = rdflib.Graph(SPARQLStore(server.url + "/sparql", returnFormat="xml"))
    found = list(graph.query(f"ASK {{ <{EX}person/7> <{LABEL}> 'Person 07' }}"))
    assert found == [True]
    constructed = graph.query(f"CONSTRUCT {{ ?p <{LABEL}> ?l }} WHERE {{ ?p <{LABEL}> ?l }}")
    assert len(constructed.graph) == ARTICLES + 1


def test_curl_gets_csv(server: LiveServer) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    done = subprocess.run(
        ["curl", "-s", "-H", "Accept: text/csv", "--data-urlencode",
         f"query={SELECT_LABELS} LIMIT 2", "-G", server.url + "/sparql"],
        capture_output=True, timeout=30, check=True)
    assert done.stdout == b"label\r\nPerson 00\r\nPerson 01\r\n"


# ---------------------------------------------------------------- content negotiation


@pytest.mark.parametrize(("accept", "media"), [
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ("application/sparql-results+json;q=0.1, text/tab-separated-values;q=0.9",
     "text/tab-separated-values"),
    ("text/*", "text/csv"),
    ("*/*", "application/sparql-results+json"),
])
def test_select_follows_q_values(server: LiveServer, accept: str, media: str) -> None:
    response = sparql(server, SELECT_LABELS + " LIMIT 2", accept)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    if media == "text/csv":  # lossy: pyoxigraph does not read it back
        assert response.text.splitlines() == ["label", "Person 00", "Person 01"]
        return
    parsed = ox.parse_query_results(response.content,
                                    ox.QueryResultsFormat.from_media_type(media))
    assert [s["label"].value for s in parsed] == ["Person 00", "Person 01"]


@pytest.mark.parametrize("media", ["text/turtle", "application/n-triples",
                                   "application/ld+json", "application/rdf+xml",
                                   "application/trig", "application/n-quads"])
def test_construct_in_every_rdf_format(server: LiveServer, media: str) -> None:
    query = f"CONSTRUCT {{ ?p <{LABEL}> ?l }} WHERE {{ ?p <{LABEL}> ?l }}"
    response = sparql(server, query, f"{media}, text/turtle;q=0.1")
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    quads = list(ox.parse(response.content, format=ox.RdfFormat.from_media_type(media)))
    assert len(quads) == ARTICLES + 1


def test_no_acceptable_format_is_406(server: LiveServer) -> None:
    assert sparql(server, SELECT_LABELS, "image/png").status_code == 406
    assert sparql(server, "ASK {}", "text/csv").status_code == 406
    response = sparql(server, "CONSTRUCT WHERE { ?s ?p ?o }", "application/sparql-results+json")
    assert response.status_code == 406 and "text/turtle" in response.text


# ---------------------------------------------------------------- malformed requests


def test_malformed_requests_are_400_or_415_with_a_reason(server: LiveServer) -> None:
    two = httpx.get(server.url + "/sparql?query=ASK%7B%7D&query=ASK%7B%7D")
    assert two.status_code == 400 and "2 'query' parameters" in two.text
    both = httpx.post(server.url + "/sparql", data={"query": "ASK {}", "update": "CLEAR ALL"})
    assert both.status_code == 400 and "both a query and an update" in both.text
    syntax = sparql(server, "SELECT ?x WHERE {")
    assert syntax.status_code == 400 and syntax.text.startswith("error: invalid SPARQL")
    plain = httpx.post(server.url + "/sparql", content="ASK {}",
                       headers={"Content-Type": "text/plain"})
    assert plain.status_code == 415
    assert httpx.put(server.url + "/sparql", content="ASK {}").status_code == 405


def test_limits_on_rows_and_bodies(server: LiveServer) -> None:
    everything = sparql(server, "SELECT * WHERE { ?s ?p ?o . ?x a ?type }")
    assert everything.status_code == 422 and "more than 50 rows" in everything.text
    assert sparql(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 50").status_code == 200
    big = httpx.post(server.url + "/sparql", content="ASK {}" + " " * 3000,
                     headers={"Content-Type": "application/sparql-query"})
    assert big.status_code == 413


# ---------------------------------------------------------------- safety


def test_read_only_by_default(server: LiveServer, data: Path) -> None:
    before = graph_lines(data, None)
    update = httpx.post(server.url + "/sparql", data={"update": "CLEAR ALL"}, headers=WRITE)
    assert update.status_code == 403 and "read-only" in update.text
    put = httpx.put(server.url + "/store?default", content=b"<a:b> <a:c> <a:d> .",
                    headers={**WRITE, "Content-Type": "application/n-triples"})
    assert put.status_code == 403
    assert graph_lines(data, None) == before


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://192.0.2.1/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o . SERVICE SILENT <http://192.0.2.1/sparql> { ?s ?p ?x } }",
])
def test_service_is_refused(server: LiveServer, query: str) -> None:
    response = sparql(server, query)
    assert response.status_code == 403 and "--allow-federation" in response.text


def test_load_is_refused_even_with_writes(writable: LiveServer) -> None:
    response = httpx.post(writable.url + "/sparql", data={"update": "LOAD <http://192.0.2.1/x>"},
                          headers=WRITE)
    assert response.status_code == 403 and "LOAD" in response.text


@pytest.mark.slow
def test_a_runaway_query_is_stopped_while_others_are_served(server: LiveServer) -> None:
    result: dict[str, object] = {}

    def runaway() -> None:
        start = time.monotonic()
        response = sparql(server, CROSS)
        result["elapsed"] = time.monotonic() - start
        result["response"] = response

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.5)
    for _ in range(3):  # meanwhile, other clients get answers at once
        start = time.monotonic()
        assert sparql(server, SELECT_LABELS + " LIMIT 1").status_code == 200
        assert time.monotonic() - start < 1.0
    thread.join(30)
    response = result["response"]
    assert response.status_code == 503
    assert "stopped after 3 s" in response.text and "--timeout" in response.text
    assert result["elapsed"] < 3 + 1
    # the process whose thread ran it retired; the supervisor started another in its place
    assert "overran the time limit" in server.log.read_text()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "Child process" not in server.log.read_text():
        time.sleep(0.1)
    assert "died" in server.log.read_text()
    for _ in range(6):  # both processes answer again
        assert sparql(server, "ASK {}").status_code == 200


# ---------------------------------------------------------------- writes


def test_writes_need_the_token(writable: LiveServer) -> None:
    update = {"update": f"INSERT DATA {{ <{EX}s> <{EX}p> <{EX}o> }}"}
    missing = httpx.post(writable.url + "/sparql", data=update)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    wrong = httpx.post(writable.url + "/sparql", data=update,
                       headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 403
    right = httpx.post(writable.url + "/sparql", data=update, headers=WRITE)
    assert right.status_code == 204
    assert sparql(writable, f"ASK {{ <{EX}s> <{EX}p> <{EX}o> }}").json()["boolean"] is True


def test_the_token_can_come_from_a_file(tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("from-a-file\n")
    live = LiveServer(build_store(tmp_path / "store"), "--allow-writes", "--token-file",
                      str(token_file))
    try:
        response = httpx.delete(f"{live.url}/store?graph={EX}graph/1",
                                headers={"Authorization": "Bearer from-a-file"})
        assert response.status_code == 204
    finally:
        live.stop()


def test_allow_writes_without_a_token_does_not_start(tmp_path: Path) -> None:
    done = subprocess.run(
        ["kg", "serve", "--store", str(build_store(tmp_path / "store")), "--allow-writes"],
        capture_output=True, text=True, timeout=60, env={"PATH": _path()}, check=False)
    assert done.returncode == 2 and "needs a token" in done.stderr


def _path() -> str:
    import os
    import sys

    return os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


def test_graph_store_writes_keep_the_default_graph_in_step(writable: LiveServer) -> None:
    store = writable.url + "/store"
    nt = {**WRITE, "Content-Type": "application/n-triples"}
    shared = f"<{EX}person/3> <{LABEL}> \"Person 03\" ."
    put = httpx.put(f"{store}?graph={EX}new", headers=nt,
                    content=f"<{EX}x> <{EX}p> <{EX}y> .\n{shared}\n")
    assert put.status_code == 201
    assert f"<{EX}x> <{EX}p> <{EX}y> ." in _default(writable)
    for graph in ("graph/2", "graph/3"):  # both other sayers of person 3 go
        assert httpx.delete(f"{store}?graph={EX}{graph}", headers=WRITE).status_code == 204
    assert shared in _default(writable)  # <new> still says it
    assert httpx.put(f"{store}?graph={EX}new", headers=nt, content=b"").status_code == 204
    lines = _default(writable)
    assert shared not in lines and f"<{EX}x> <{EX}p> <{EX}y> ." not in lines
    assert httpx.delete(f"{store}?graph={EX}new", headers=WRITE).status_code == 204
    assert httpx.get(f"{store}?graph={EX}new").status_code == 404


def test_sparql_updates_keep_the_default_graph_in_step(writable: LiveServer) -> None:
    def update(text: str) -> None:
        response = httpx.post(writable.url + "/sparql", content=text,
                              headers={**WRITE, "Content-Type": "application/sparql-update"})
        assert response.status_code == 204, response.text

    update(f"DELETE {{ GRAPH ?g {{ ?p <{LABEL}> ?l }} }} WHERE {{ GRAPH ?g {{ ?p <{LABEL}> ?l }}"
           f" FILTER(?g IN (<{EX}graph/6>, <{EX}graph/7>)) }}")
    lines = _default(writable)
    assert f'<{EX}person/7> <{LABEL}> "Person 07" .' not in lines  # said by 6 and 7 only
    assert f'<{EX}person/6> <{LABEL}> "Person 06" .' in lines  # graph 5 says it too
    update(f"DELETE DATA {{ <{EX}person/9> <{LABEL}> \"Person 09\" }}")  # a graph asserts it
    assert f'<{EX}person/9> <{LABEL}> "Person 09" .' in _default(writable)
    update(f"INSERT DATA {{ GRAPH <{EX}graph/extra> {{ <{EX}z> <{EX}p> \"z\" }} }}")
    assert f'<{EX}z> <{EX}p> "z" .' in _default(writable)


def _default(server: LiveServer) -> set[str]:
    response = httpx.get(server.url + "/store?default",
                         headers={"Accept": "application/n-triples"})
    assert response.status_code == 200, response.text
    lines = response.text.splitlines()
    assert len(lines) == len(set(lines))  # every triple once
    return set(lines)


def test_the_workers_see_a_write_made_by_another_process(tmp_path: Path) -> None:
    path = build_store(tmp_path / "store")
    live = LiveServer(path)
    try:
        assert sparql(live, f"ASK {{ <{EX}late> ?p ?o }}").json()["boolean"] is False
        with KGStore(path) as store:  # kg ingest would do this; the server is read-only
            store.replace_article(f"{EX}graph/late", [(ox.NamedNode(f"{EX}late"),
                                                       ox.NamedNode(LABEL), ox.Literal("L"))])
        for _ in range(2):  # each worker
            assert sparql(live, f"ASK {{ <{EX}late> ?p ?o }}").json()["boolean"] is True
    finally:
        live.stop()


# ---------------------------------------------------------------- CORS, descriptions, log


def test_cors_is_off_unless_an_origin_is_listed(server: LiveServer, tmp_path: Path) -> None:
    origin = {"Origin": "https://app.example"}
    assert "access-control-allow-origin" not in sparql(server, "ASK {}", headers=origin).headers
    live = LiveServer(build_store(tmp_path / "store"), "--cors-origin", "https://app.example")
    try:
        response = sparql(live, "ASK {}", headers=origin)
        assert response.headers["access-control-allow-origin"] == "https://app.example"
        preflight = httpx.options(live.url + "/store?default", headers={
            **origin, "Access-Control-Request-Method": "PUT"})
        assert preflight.status_code == 400  # no writes from other origins
        other = sparql(live, "ASK {}", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
    finally:
        live.stop()


def test_service_description_and_void(server: LiveServer) -> None:
    response = httpx.get(server.url + "/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    endpoint = rdflib.URIRef(server.url + "/sparql")
    assert (endpoint, sd.endpoint, endpoint) in graph
    assert (endpoint, sd.supportedLanguage, sd.SPARQL11Query) in graph
    assert (endpoint, sd.supportedLanguage, sd.SPARQL11Update) not in graph

    void = httpx.get(server.url + "/.well-known/void", headers={"Accept": "application/ld+json"})
    assert void.status_code == 200
    described = {(q.predicate.value, str(q.object.value))
                 for q in ox.parse(void.content, format=ox.RdfFormat.JSON_LD)}
    assert ("http://rdfs.org/ns/void#triples", "42") in described
    assert ("http://rdfs.org/ns/void#class", PERSON) in described
    assert ("http://rdfs.org/ns/void#entities", str(ARTICLES + 1)) in described


def test_every_request_gets_an_access_log_line(tmp_path: Path) -> None:
    live = LiveServer(build_store(tmp_path / "store"))
    sparql(live, "ASK {}")
    httpx.get(live.url + "/store?graph=http://example.org/none")
    log = live.stop()
    assert '"GET /sparql?query=ASK+%7B%7D" 200' in log
    assert '"GET /store?graph=http://example.org/none" 404' in log
