"""Remote stores (``--store http(s)://...``): the embedded store's end-to-end checks run
against ``oxigraph serve`` and ``kg serve --allow-writes``, each started here on a free
port, and must give the same answers as an embedded store fed the same articles.

Errors come from real HTTP servers too: small stdlib servers in a thread that ask for
credentials, answer an HTML page, or never answer in time.
"""

from __future__ import annotations

import csv
import io
import json
import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import (
    ARTICLE_COUNT,
    TEXT_ARTICLE,
    LiveServer,
    OxigraphServer,
    free_port,
    kg_process,
    read_quads,
    run_kg,
    write_articles,
)
from consistency import EXTRA, MISSING, PARTIAL

from kg import resources
from kg.queries import list_queries
from kg.remote import RemoteStore, update_url_for, with_values
from kg.store import KGStore
from kg.vocab import ONTOLOGY_GRAPH


@pytest.fixture
def oxigraph(tmp_path: Path) -> Iterator[OxigraphServer]:
    server = OxigraphServer(tmp_path / "oxigraph")
    yield server
    server.stop()


def export_lines(store: str | Path) -> set[str]:
    result = run_kg("export", "--store", str(store), "--format", "nquads")
    assert result.exit_code == 0, result.stderr
    return set(result.stdout.splitlines())


CONSISTENT: dict[str, list] = {"partial": [], "extra": [], "missing": []}


def broken_invariants(url: str) -> dict[str, list]:
    with RemoteStore(url, read_only=True) as store:
        return {name: list(store.query(sparql))
                for name, sparql in (("partial", PARTIAL), ("extra", EXTRA),
                                     ("missing", MISSING))}


# Every named query, with parameters that find something among the test articles.
NAMED_RUNS = [
    ("entity-search", ["name=lake"]), ("entity-search", ["name=berg", "category=Person"]),
    ("meetings-between", ["a=Berg", "b=Reyes"]),
    ("meetings-between", ["a=Anna", "b=Okafor", "since=2024-06-01", "until=2024-12-31"]),
    ("missions-in-place", ["place=Lakeside"]),
    ("officials-of-organization", ["org=Lakes"]),
    ("officials-of-organization", ["org=Council", "role=secretary"]),
    ("post-holder", ["role=Secretary General", "org=Lakes", "date=2024-05-01"]),
    ("posts-of-person", ["name=Berg"]),
    ("timeline", []), ("timeline", ["since=2024-04-01", "org=Harbour"]),
    ("who-met-whom", ["name=Anna"]), ("who-met-whom", ["name=Okafor", "since=2024-06-01"]),
]
FIRST_POST = "SELECT ?m WHERE { ?m a org:Membership } ORDER BY ?m LIMIT 1"


def answers(store: str | Path) -> dict[str, str]:
    """What the read commands print: stats, every named query, and lookups of a person,
    a body, a place and a name that fits nothing."""
    out = {}
    stats = json.loads(run_kg("stats", "--store", str(store), "-f", "json", "--graphs").stdout)
    stats.pop("store")
    out["stats"] = json.dumps(stats, sort_keys=True)
    post = run_kg("query", FIRST_POST, "--store", str(store), "-f", "tsv").stdout.split()
    runs = [*NAMED_RUNS, ("evidence", [f"fact={post[-1].strip('<>')}"])]
    for name, params in runs:
        args = [arg for param in params for arg in ("--param", param)]
        result = run_kg("query", "--store", str(store), "--name", name, *args, "-f", "csv")
        shown = _lists_sorted(result.stdout)
        out[f"{name} {params}"] = f"{result.exit_code}\n{shown}{result.stderr}"
    for name in ("Anna Berg", "Harbour Union", "Port Amber", "Nobody Atall"):
        result = run_kg("lookup", name, "--store", str(store), "--json")
        out[f"lookup {name}"] = f"{result.exit_code}\n{result.stdout}"
    return out


def _lists_sorted(text: str) -> str:
    """CSV with each GROUP_CONCAT list ("A; B") in sorted order: SPARQL leaves the order
    of a group's values to the engine's plan, which a VALUES block may change."""
    rows = csv.reader(io.StringIO(text))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow(["; ".join(sorted(cell.split("; "))) for cell in row])
    return out.getvalue()


def test_the_runs_cover_every_named_query() -> None:
    assert {q.name for q in list_queries(resources.queries_dir())} == {
        name for name, _ in NAMED_RUNS} | {"evidence"}


def test_the_same_store_as_the_embedded_one_through_ingest_reingest_edit_remove(
        oxigraph: OxigraphServer, tmp_path: Path, keywords) -> None:
    articles = write_articles(tmp_path / "articles")
    local = tmp_path / "local"
    remote = oxigraph.url

    def both(*args: str) -> list[str]:
        outputs = []
        for store in (local, remote):
            result = run_kg(*args, "--store", str(store))
            assert result.exit_code == 0, result.stderr
            outputs.append(result.stdout.replace(str(store), "STORE"))
        assert outputs[0] == outputs[1]
        return outputs

    [summary, _] = both("ingest", str(articles))
    assert summary.startswith(f"read {ARTICLE_COUNT}, stored {ARTICLE_COUNT}, ")
    assert export_lines(remote) == export_lines(local) == read_quads(local)
    first = answers(local)
    assert answers(remote) == first
    empty = [key for key, text in first.items() if text.count("\n") < 3]
    # the articles name no mission; every other query has rows to compare
    assert empty == ["stats", "missions-in-place ['place=Lakeside']"]

    assert broken_invariants(remote) == CONSISTENT

    [again, _] = both("ingest", str(articles))  # idempotent: nothing is written twice
    assert "stored 0, skipped 5 unchanged" in again
    assert export_lines(remote) == read_quads(local)

    edited = articles / "lakes.txt"
    edited.write_text(TEXT_ARTICLE.replace("Tomas Reyes", "Lina Okafor"), encoding="utf-8")
    both("ingest", str(edited))  # a changed article replaces its graph
    graph = run_kg("export", "--graph", str(edited), "-f", "ntriples", "--store", remote)
    assert "lina-okafor" in graph.stdout and "tomas-reyes" not in graph.stdout
    assert export_lines(remote) == read_quads(local)
    assert broken_invariants(remote) == CONSISTENT

    both("remove", str(articles / "wire.jsonl"))
    assert export_lines(remote) == read_quads(local)
    assert answers(remote) == answers(local) != first
    assert broken_invariants(remote) == CONSISTENT


def test_a_reader_during_an_ingest_sees_whole_articles_only(
        oxigraph: OxigraphServer, tmp_path: Path, keywords) -> None:
    """Each article is one update request, which Oxigraph applies in one transaction: a
    client querying all along never meets a partial article or a default graph out of
    step, and the count of articles it sees never goes back."""
    records = [{"url": f"https://news.example.org/lakes/{i}", "title": f"Session {i}",
                "date": f"2024-03-{1 + i % 28:02d}",
                "text": f"Anna Berg, Chair of the Harbour Union, spoke on day {i}.\n"
                        f"Anna Berg met Tomas Reyes in Lakeside on 2024-03-{1 + i % 28:02d}."}
               for i in range(150)]
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    seen: list[tuple[int, dict]] = []
    done = threading.Event()

    def read() -> None:
        with RemoteStore(oxigraph.url, read_only=True) as store:
            while not done.is_set():
                count = next(iter(store.query(
                    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?a a <http://schema.org/"
                    "NewsArticle> } }")))["n"].value
                seen.append((int(count), broken_invariants(oxigraph.url)))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        result = run_kg("ingest", str(feed), "--store", oxigraph.url)
    finally:
        done.set()
        reader.join()
    assert result.exit_code == 0, result.stderr
    assert len(seen) >= 5, "the reader hardly ran"
    assert all(broken == CONSISTENT for _, broken in seen)
    counts = [count for count, _ in seen]
    assert counts == sorted(counts) and counts[-1] <= 150


def test_an_article_write_that_fails_halfway_leaves_the_store_as_it_was(
        oxigraph: OxigraphServer, tmp_path: Path, keywords, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The property the remote design rests on, checked on the store CI runs: an article's
    write is one request, and when its last operation fails the endpoint applies none of
    the others (the graph not dropped, the default graph untouched)."""
    articles = write_articles(tmp_path / "articles")
    assert run_kg("ingest", str(articles), "--store", oxigraph.url).exit_code == 0
    before = export_lines(oxigraph.url)
    edited = articles / "lakes.txt"
    edited.write_text(TEXT_ARTICLE.replace("Tomas Reyes", "Lina Okafor"), encoding="utf-8")
    then_derive = KGStore._then_derive

    def failing_at_the_end(self: KGStore, *args: object) -> str:
        # creating a graph that exists is an error (no SILENT): the request's last operation
        return then_derive(self, *args) + f" ;\nCREATE GRAPH <{ONTOLOGY_GRAPH}>"

    monkeypatch.setattr(KGStore, "_then_derive", failing_at_the_end)
    result = run_kg("ingest", str(edited), "--store", oxigraph.url)
    assert result.exit_code == 1 and "error:" in result.stderr
    assert export_lines(oxigraph.url) == before


def test_export_of_one_graph_and_validate_on_a_remote_store(
        oxigraph: OxigraphServer, tmp_path: Path, keywords) -> None:
    articles = write_articles(tmp_path / "articles")
    local = tmp_path / "local"
    for store in (local, oxigraph.url):
        assert run_kg("ingest", str(articles), "--store", str(store)).exit_code == 0
    for args in (["--graph", str(articles / "lakes.txt"), "-f", "trig"],
                 ["--graph", "default", "-f", "ntriples"]):
        exported = [run_kg("export", *args, "--store", str(store)).stdout
                    for store in (local, oxigraph.url)]
        parsed = [set(ox.parse(text.encode(), ox.RdfFormat.TRIG if "trig" in args
                               else ox.RdfFormat.N_TRIPLES)) for text in exported]
        assert parsed[0] == parsed[1] and parsed[0]
    out = tmp_path / "all.nq"
    assert run_kg("export", "--store", oxigraph.url, "-o", str(out)).exit_code == 0
    assert set(out.read_text(encoding="utf-8").splitlines()) == read_quads(local)
    checked = [run_kg("validate", "--store", str(store)) for store in (local, oxigraph.url)]
    assert checked[0].exit_code == checked[1].exit_code
    assert checked[0].stdout == checked[1].stdout


def test_query_kinds_and_errors_on_a_remote_store(oxigraph: OxigraphServer, tmp_path: Path,
                                                  keywords) -> None:
    articles = write_articles(tmp_path / "articles")
    local = tmp_path / "local"
    for store in (local, oxigraph.url):
        assert run_kg("ingest", str(articles), "--store", str(store)).exit_code == 0
    for sparql, fmt in [
        ("SELECT ?name WHERE { ?p a schema:Person ; rdfs:label ?name } ORDER BY ?name", "tsv"),
        ("ASK { ?p rdfs:label 'Anna Berg' }", "json"),
        ("CONSTRUCT { ?p ?x ?y } WHERE { ?p a schema:Person ; ?x ?y }", "ntriples"),
    ]:
        outputs = [run_kg("query", sparql, "-f", fmt, "--store", str(store))
                   for store in (local, oxigraph.url)]
        assert outputs[0].exit_code == outputs[1].exit_code == 0, outputs[1].stderr
        assert sorted(outputs[0].stdout.splitlines()) == sorted(outputs[1].stdout.splitlines())
    bad = run_kg("query", "SELECT WHERE {", "--store", oxigraph.url)
    assert bad.exit_code == 1
    assert bad.stderr.startswith("error: the endpoint rejected the query")
    refused = run_kg("query", "SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }",
                     "--store", oxigraph.url)
    assert refused.exit_code == 1 and "SERVICE" in refused.stderr


def test_a_parameter_cannot_change_the_query(oxigraph: OxigraphServer, tmp_path: Path,
                                             keywords) -> None:
    assert run_kg("ingest", str(write_articles(tmp_path / "a")), "--store",
                  oxigraph.url).exit_code == 0
    before = export_lines(oxigraph.url)
    sly = 'Berg" } } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o # \\'
    result = run_kg("query", "--name", "posts-of-person", "--param", f"name={sly}",
                    "--store", oxigraph.url, "-f", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("\n") == 1  # the header: no one is named that
    assert export_lines(oxigraph.url) == before


def test_values_are_bound_in_every_where_group() -> None:
    sparql = ("SELECT ?x ?name WHERE { { SELECT ?x ?name WHERE { ?x ?p ?name } } "
              "FILTER(?name != 'WHERE {') } ")
    bound = with_values(sparql, {ox.Variable("name"): ox.Literal('a "quoted" } value')})
    assert bound.count('VALUES (?name) { ("a \\"quoted\\" } value") }') == 2
    assert "'WHERE {'" in bound  # a string is no group
    assert with_values(sparql, {}) == sparql
    variables = "SELECT ?ask ?where WHERE { ?ask ?p ?where { ?where ?p ?o } }"
    assert with_values(variables, {ox.Variable("p"): ox.NamedNode("http://x/p")}).count(
        "VALUES") == 1
    assert with_values("ASK { ?s ?p ?o }", {ox.Variable("s"): ox.NamedNode("http://x/a")}) == (
        "ASK { VALUES (?s) { (<http://x/a>) }  ?s ?p ?o }")


@pytest.mark.parametrize(("query_url", "update_url"), [
    ("http://h:7878/query", "http://h:7878/update"),  # oxigraph serve
    ("http://h:3030/news/query", "http://h:3030/news/update"),  # Fuseki
    ("http://h:7200/repositories/news", "http://h:7200/repositories/news/statements"),
    ("http://h:8000/sparql", "http://h:8000/sparql"),  # kg serve, Virtuoso
])
def test_the_update_endpoint_beside_the_query_endpoint(query_url: str, update_url: str) -> None:
    assert update_url_for(query_url) == update_url


def test_a_read_only_endpoint_refuses_the_ingest_and_nothing_changes(
        tmp_path: Path, keywords) -> None:
    articles = write_articles(tmp_path / "articles")
    writable = OxigraphServer(tmp_path / "db")
    try:
        assert run_kg("ingest", str(articles / "lakes.txt"), "--store",
                      writable.url).exit_code == 0
        before = export_lines(writable.url)
    finally:
        writable.stop()
    frozen = OxigraphServer(tmp_path / "db", read_only=True)
    try:
        result = run_kg("ingest", str(articles), "--store", frozen.url)
        assert result.exit_code == 1
        assert "error:" in result.stderr and "Traceback" not in result.stderr
        assert "stored 0" in result.stdout
        assert export_lines(frozen.url) == before
    finally:
        frozen.stop()


# ---------------------------------------------------------------- endpoints that fail


class _Handler(BaseHTTPRequestHandler):
    """Answers every POST as the test asks: ``server.answer`` is (status, type, body),
    after ``server.delay`` seconds; the request headers are kept in ``server.seen``."""

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.seen.append(dict(self.headers))  # type: ignore[attr-defined]
        time.sleep(self.server.delay)  # type: ignore[attr-defined]
        status, media, body = self.server.answer  # type: ignore[attr-defined]
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A client that gave up (the timeout test) breaks the pipe of a handler still
        sleeping; the stdlib would print that traceback later, into whatever test then
        captures stderr."""


@pytest.fixture
def fake() -> Iterator[ThreadingHTTPServer]:
    server = _QuietServer(("127.0.0.1", 0), _Handler)
    server.answer = (200, "text/html", b"<html>a web page</html>")  # type: ignore[attr-defined]
    server.delay = 0.0  # type: ignore[attr-defined]
    server.seen = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _url(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/sparql"


def test_an_answer_that_is_not_sparql(fake: ThreadingHTTPServer) -> None:
    result = run_kg("stats", "--store", _url(fake))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"error: {_url(fake)} did not answer as a SPARQL endpoint (it sent text/html)")
    assert result.stderr.splitlines()[1].startswith("hint: pass the query endpoint's URL")


@pytest.mark.parametrize("body", [b"not json", b'{"head": {"vars": ["a"]}, '
                                  b'"results": {"bindings": [{"a": 12}]}}'])
@pytest.mark.parametrize("command", [["query", "SELECT * WHERE { ?s ?p ?o }"], ["stats"],
                                     ["export"], ["lookup", "Anna"]])
def test_malformed_sparql_results(fake: ThreadingHTTPServer, body: bytes,
                                  command: list[str]) -> None:
    fake.answer = (200, "application/sparql-results+json", body)  # type: ignore
    result = run_kg(*command, "--store", _url(fake))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {_url(fake)} answered malformed SPARQL results")


def test_credentials_come_from_the_environment(fake: ThreadingHTTPServer) -> None:
    fake.answer = (401, "text/plain", b"who are you?")  # type: ignore[attr-defined]
    result = run_kg("query", "ASK {}", "--store", _url(fake),
                    env={"KG_STORE_USER": "ana", "KG_STORE_PASSWORD": "s3cret"})
    assert result.exit_code == 1
    assert "asks for credentials (401 Unauthorized)" in result.stderr
    assert "KG_STORE_TOKEN" in result.stderr  # the hint names the variables
    assert fake.seen[-1]["Authorization"] == "Basic YW5hOnMzY3JldA=="  # type: ignore
    fake.answer = (403, "text/plain", b"not you")  # type: ignore[attr-defined]
    result = run_kg("query", "ASK {}", "--store", _url(fake), env={"KG_STORE_TOKEN": "t0k"})
    assert result.exit_code == 1 and "refused the request (403 Forbidden): not you" in result.stderr
    assert fake.seen[-1]["Authorization"] == "Bearer t0k"  # type: ignore[attr-defined]


def test_a_slow_endpoint_times_out(fake: ThreadingHTTPServer) -> None:
    fake.delay = 3  # type: ignore[attr-defined]
    started = time.monotonic()
    result = run_kg("query", "ASK {}", "--store", _url(fake), "--timeout", "0.5")
    assert result.exit_code == 1
    assert "did not answer within 0.5 s" in result.stderr
    assert time.monotonic() - started < 2.5
    result = run_kg("stats", "--store", _url(fake), env={"KG_STORE_TIMEOUT": "0.5"})
    assert result.exit_code == 1 and "did not answer within 0.5 s" in result.stderr


def test_connection_refused_and_no_endpoint_there(oxigraph: OxigraphServer) -> None:
    nobody = f"http://127.0.0.1:{free_port()}/query"
    result = run_kg("lookup", "Anna", "--store", nobody)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: cannot reach the SPARQL endpoint {nobody}: connection refused",
        "hint: check the URL and that the server is running"]
    result = run_kg("stats", "--store", oxigraph.root + "/nothing")
    assert result.exit_code == 1 and "there is no SPARQL endpoint at" in result.stderr


def test_the_store_url_is_kept_whole(oxigraph: OxigraphServer) -> None:
    process = kg_process("stats", "-f", "json", env={**os.environ, "KG_STORE": oxigraph.url})
    assert process.returncode == 0, process.stderr
    assert json.loads(process.stdout)["store"] == oxigraph.url
    served = run_kg("serve", "--store", oxigraph.root + "/nothing")  # checked before serving
    assert served.exit_code == 1 and "there is no SPARQL endpoint at" in served.stderr


# ---------------------------------------------------------------- kg serve as the store


@pytest.mark.slow
def test_kg_serve_with_writes_as_a_remote_store(tmp_path: Path, keywords) -> None:
    articles = write_articles(tmp_path / "articles")
    local, served = tmp_path / "local", tmp_path / "served"
    KGStore(served).close()  # kg serve serves an existing store
    server = LiveServer(served, "--allow-writes", env={"KG_SERVE_TOKEN": "t0ken"})
    url = server.url + "/sparql"
    try:
        refused = run_kg("ingest", str(articles), "--store", url)
        assert refused.exit_code == 1 and "asks for credentials (401" in refused.stderr
        wrong = run_kg("ingest", str(articles), "--store", url, env={"KG_STORE_TOKEN": "nope"})
        assert wrong.exit_code == 1 and "403" in wrong.stderr
        token = {"KG_STORE_TOKEN": "t0ken"}
        assert run_kg("ingest", str(articles), "--store", str(local)).exit_code == 0
        result = run_kg("ingest", str(articles), "--store", url, env=token)
        assert result.exit_code == 0, result.stderr
        assert export_lines(url) == read_quads(local)
        assert run_kg("remove", str(articles / "harbour.md"), "--store", url,
                      env=token).exit_code == 0
        assert run_kg("remove", str(articles / "harbour.md"), "--store",
                      str(local)).exit_code == 0
        assert export_lines(url) == read_quads(local)
        assert answers(url) == answers(local)
    finally:
        server.stop()
    assert read_quads(served) == read_quads(local)


@pytest.mark.slow
def test_the_example_articles_with_the_blank_pipeline(oxigraph: OxigraphServer,
                                                      tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parent.parent / "examples"
    local = tmp_path / "local"
    for store in (local, oxigraph.url):
        result = kg_process("ingest", str(examples), "--store", str(store), "--model",
                            "blank:en")
        assert result.returncode == 0, result.stderr
    assert export_lines(oxigraph.url) == read_quads(local)
    assert answers(oxigraph.url) == answers(local)
