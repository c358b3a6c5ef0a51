"""``kg serve``'s pages over real HTTP: linked-data pages for every IRI under the base
(HTML, Turtle, JSON-LD, N-Triples), search, named queries over HTTP, the query page and
its vendored files, answers that follow the store, and ``kg ingest`` beside the server."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from conftest import KeywordExtractor, LiveServer, write_articles

from kg.store import KGStore
from kg.vocab import DEFAULT_ID_BASE, OWL, RDF, RDFS, SCHEMA, SKOS

BASE = DEFAULT_ID_BASE
ANNA = BASE + "person/anna-berg"
EVIL_LABEL = "Eve <script>alert('x')</script> Smith"
EVE = BASE + "person/eve-smith"


def ingest(store: Path, articles: Path, base: str | None = None) -> None:
    """The real pipeline with the test extractor (conftest.KeywordExtractor)."""
    from kg.pipeline import ingest as run

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("kg.pipeline.Extractor", lambda model=None: KeywordExtractor())
        report = run([str(articles)], store, base=base)
    assert report.stored == 5 and not report.failed


def add_eve(store: Path) -> None:
    """A person whose label is markup and whose sameAs is a javascript: IRI."""
    n = ox.NamedNode
    eve = n(EVE)
    with KGStore(store) as kg:
        kg.replace_article("https://w3id.org/newskg/graph/article/eve", [
            (eve, n(RDF.type), n(SCHEMA.Person)),
            (eve, n(RDFS.label), ox.Literal(EVIL_LABEL)),
            (eve, n(SKOS.altLabel), ox.Literal("E. Smithers")),
            (eve, n(OWL.sameAs), n("javascript:alert(1)")),
            (eve, n(OWL.sameAs), n("http://www.wikidata.org/entity/Q42")),
        ])


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pages")
    store = folder / "store"
    ingest(store, write_articles(folder / "articles"))
    add_eve(store)
    return store


@pytest.fixture(scope="module")
def server(data: Path):
    live = LiveServer(data, "--workers", "2")
    yield live
    live.stop()


def get(server: LiveServer, path: str, accept: str | None = None, **params: str
        ) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    return httpx.get(server.url + path, params=params or None, headers=headers, timeout=30)


def event_of(server: LiveServer, date: str) -> str:
    query = (f'SELECT ?e WHERE {{ ?e <{SCHEMA.startDate}> ?d FILTER(STR(?d) = "{date}") }}')
    rows = get(server, "/sparql", query=query).json()["results"]["bindings"]
    assert len(rows) == 1
    return rows[0]["e"]["value"]


def local(iri: str) -> str:
    return "/id/" + iri[len(BASE):]


# ---------------------------------------------------------------- entity pages


def test_a_person_page_shows_labels_posts_meetings_and_their_sentences(server: LiveServer
                                                                         ) -> None:
    response = get(server, "/id/person/anna-berg", accept="text/html")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["vary"] == "Accept"
    html = response.text
    assert '<h1 id="label">Anna Berg</h1>' in html
    posts = html[html.index('id="posts"'):html.index('id="events"')]
    assert "Secretary General" in posts
    assert 'href="/id/organization/council-of-lakes"' in posts
    # the sentence each fact came from, and the article it sits in
    assert "<q>Anna Berg, Secretary General of the Council of Lakes, opened the spring " \
           "session.</q>" in posts
    assert "Lake council meets in Lakeside" in posts
    events = html[html.index('id="events"'):html.index('id="articles"')]
    assert "2024-03-14" in events and 'href="/id/person/tomas-reyes"' in events
    assert 'href="/id/place/lakeside"' in events
    assert "2024-06-11" in events and 'href="/id/person/lina-okafor"' in events


def test_the_page_embeds_the_neighbourhood_and_the_timeline(server: LiveServer) -> None:
    html = get(server, "/id/person/anna-berg").text
    embedded = re.search(r'<script type="application/json" id="page-data">(.*?)</script>',
                         html, re.DOTALL)
    assert embedded is not None
    data = json.loads(embedded.group(1))
    nodes = {n["id"]: n for n in data["graph"]["nodes"]}
    assert nodes[ANNA]["center"] == "yes"
    assert nodes[BASE + "person/tomas-reyes"]["href"] == "/id/person/tomas-reyes"
    edges = {(e["source"], e["target"], e["label"]) for e in data["graph"]["edges"]}
    assert (ANNA, BASE + "organization/council-of-lakes", "Secretary General") in edges
    assert (ANNA, BASE + "person/tomas-reyes", "met 2024-03-14") in edges
    kinds = [(i["start"], i["kind"]) for i in data["timeline"]]
    assert ("2024-03-14", "meeting") in kinds and ("2024-06-11", "meeting") in kinds
    assert kinds == sorted(kinds, key=lambda k: k[0])


def test_event_organization_place_and_article_pages(server: LiveServer) -> None:
    event = event_of(server, "2024-05-20")
    html = get(server, local(event)).text
    assert '<h1 id="label">Meeting of Lina Okafor, Tomas Reyes, 2024-05-20</h1>' in html
    assert 'href="/id/place/port-amber"' in html
    assert 'href="/id/person/tomas-reyes"' in html and 'href="/id/person/lina-okafor"' in html
    assert "<q>Tomas Reyes met Lina Okafor in Port Amber on 2024-05-20" in html

    council = get(server, "/id/organization/council-of-lakes").text
    assert "Officials" in council and 'href="/id/person/anna-berg"' in council

    place = get(server, "/id/place/port-amber").text
    assert 'href="' + local(event) + '"' in place

    article = re.search(r'href="(/id/article/[0-9a-f]+)">Talks on river traffic<', place)
    assert article is not None
    page = get(server, article.group(1)).text
    assert "<h1 id=\"label\">Talks on river traffic</h1>" in page
    assert 'href="https://news.example.org/harbour/river-talks"' in page
    assert 'href="' + local(event) + '"' in page  # the facts read from it


def test_machines_get_turtle_json_ld_and_n_triples(server: LiveServer) -> None:
    label = (ox.NamedNode(ANNA), ox.NamedNode(RDFS.label), ox.Literal("Anna Berg"))
    cases = [("/id/person/anna-berg", "text/turtle", ox.RdfFormat.TURTLE),
             ("/id/person/anna-berg", "application/ld+json", ox.RdfFormat.JSON_LD),
             ("/id/person/anna-berg", "application/n-triples", ox.RdfFormat.N_TRIPLES),
             ("/id/person/anna-berg.ttl", None, ox.RdfFormat.TURTLE),
             ("/id/person/anna-berg.jsonld", None, ox.RdfFormat.JSON_LD),
             ("/id/person/anna-berg.nt", "text/html", ox.RdfFormat.N_TRIPLES)]
    for path, accept, rdf_format in cases:
        response = get(server, path, accept=accept)
        assert response.status_code == 200, (path, accept)
        assert response.headers["content-type"].startswith(rdf_format.media_type), path
        triples = {(q.subject, q.predicate, q.object)
                   for q in ox.parse(response.content, format=rdf_format)}
        assert label in triples
        # what points at it comes too: the membership, the meeting, the articles
        assert any(t[2] == ox.NamedNode(ANNA) and t[1].value == SCHEMA.attendee
                   for t in triples)
    link = get(server, "/id/person/anna-berg").headers["link"]
    assert '</id/person/anna-berg.ttl>; rel="alternate"; type="text/turtle"' in link


def test_an_unknown_iri_gets_a_404_page_that_offers_a_search(server: LiveServer) -> None:
    response = get(server, "/id/person/nobody-here")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert 'action="/search"' in response.text
    assert 'value="nobody here"' in response.text
    rdf = get(server, "/id/person/nobody-here", accept="text/turtle")
    assert rdf.status_code == 404 and rdf.text.startswith("error: nothing is known")
    assert get(server, "/id/person/anna-berg", accept="image/png").status_code == 406


def test_labels_and_iris_from_the_data_are_escaped(server: LiveServer) -> None:
    html = get(server, "/id/person/eve-smith").text
    assert "<script>alert" not in html
    assert "Eve &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Smith" in html
    assert "javascript:alert(1)" in html  # shown as text,
    assert not re.search(r'(?:href|src)="javascript:', html)  # never as a link
    assert 'href="http://www.wikidata.org/entity/Q42"' in html
    # embedded JSON cannot close its script element
    embedded = html[html.index('id="page-data">'):]
    assert "</script>" not in embedded[:embedded.index("</script>")].replace("\\u003c", "")
    found = get(server, "/search", q="<script>").text
    assert "<script>alert" not in found and "&lt;script&gt;" in found


# ---------------------------------------------------------------- search


def test_search_finds_labels_and_other_names_case_insensitively(server: LiveServer) -> None:
    html = get(server, "/search", q="ANNA").text
    assert '<a href="/id/person/anna-berg" class="kind-person">Anna Berg</a>' in html
    as_json = get(server, "/search", accept="application/json", q="smithers").json()
    assert [(r["iri"], r["kind"], r["href"], r["matched"]) for r in as_json["results"]] == [
        (EVE, "person", "/id/person/eve-smith", "E. Smithers")]
    assert get(server, "/search", q="lake", format="json").json()["results"][0]["label"] \
        == "Lakeside"  # a name starting with the text before one containing it
    assert get(server, "/search", q="zzz-nothing", format="json").json()["results"] == []
    assert 'name="q"' in get(server, "/search").text  # the box, even without a query


def test_every_page_has_the_search_box(server: LiveServer) -> None:
    for path in ("/", "/id/person/anna-berg", "/queries/", "/queries/posts-of-person",
                 "/search?q=x"):
        assert '<form class="search" action="/search"' in get(server, path).text, path


# ---------------------------------------------------------------- named queries


def test_the_named_queries_are_listed_with_their_parameters(server: LiveServer) -> None:
    listed = {q["name"]: q for q in get(server, "/queries/", accept="application/json").json()}
    assert {"posts-of-person", "who-met-whom", "timeline"} <= set(listed)
    params = {p["name"]: p for p in listed["who-met-whom"]["params"]}
    assert params["name"]["required"] and params["since"]["kind"] == "date"
    html = get(server, "/queries/").text
    assert "Posts of a person" in html and 'action="/queries/posts-of-person"' in html


def test_a_named_query_runs_as_kg_query_does_in_every_format(server: LiveServer,
                                                              data: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "kg.cli", "query", "--store", str(data),
                           "--name", "posts-of-person", "--param", "name=berg",
                           "--format", "json"], capture_output=True, timeout=120, check=True)
    by_cli = json.loads(done.stdout)
    by_http = get(server, "/queries/posts-of-person",
                  accept="application/sparql-results+json", name="berg")
    assert by_http.status_code == 200
    assert by_http.headers["content-type"] == "application/sparql-results+json"
    assert by_http.json() == by_cli
    assert by_cli["results"]["bindings"][0]["post"]["value"] == "Secretary General"

    csv = get(server, "/queries/posts-of-person", format="csv", name="berg")
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[1].startswith("Anna Berg,Secretary General,Council of Lakes")
    html = get(server, "/queries/posts-of-person", name="berg").text
    assert "<td>Secretary General</td>" in html and 'href="/id/person/anna-berg"' in html
    assert "<th>name</th>" not in html  # the parameter's echo column is hidden


def test_named_query_parameters_are_bound_never_spliced(server: LiveServer) -> None:
    attack = 'x")) } UNION { ?person ?p ?o } #'
    response = get(server, "/queries/posts-of-person", format="json", name=attack)
    assert response.status_code == 200
    assert response.json()["results"]["bindings"] == []
    missing = get(server, "/queries/posts-of-person", format="json")
    assert missing.status_code == 400 and "needs parameter 'name'" in missing.text
    unknown = get(server, "/queries/posts-of-person", format="json", name="x", colour="red")
    assert unknown.status_code == 400 and "no parameter 'colour'" in unknown.text
    bad_date = get(server, "/queries/who-met-whom", format="json", name="x", since="May")
    assert bad_date.status_code == 400 and "is not a date" in bad_date.text
    assert get(server, "/queries/no-such-query").status_code == 404
    changed = httpx.post(server.url + "/queries/posts-of-person?name=x",
                         data={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert changed.status_code == 400 and "cannot be changed" in changed.text


# ---------------------------------------------------------------- the query page


def test_the_query_page_loads_yasgui_from_this_server_only(server: LiveServer) -> None:
    html = get(server, "/").text
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/static/") for s in sources), sources
    config = json.loads(re.search(r'id="query-config">(.*?)</script>', html, re.DOTALL)[1])
    assert config["endpoint"] == server.url + "/sparql"
    tabs = {t["name"]: t["endpoint"] for t in config["tabs"]}
    assert tabs["Posts of a person"] == server.url + "/queries/posts-of-person?name=Zas"
    for path, media in (("/static/yasgui/yasgui.min.js", "text/javascript"),
                        ("/static/yasgui/yasgui.min.css", "text/css"),
                        ("/static/cytoscape/cytoscape.min.js", "text/javascript"),
                        ("/static/yasgui/LICENSE", None), ("/static/cytoscape/LICENSE", None)):
        response = get(server, path)
        assert response.status_code == 200, path
        if media:
            assert response.headers["content-type"].startswith(media), path


def test_the_vendored_files_are_package_data() -> None:
    import tomllib

    root = Path(__file__).resolve().parent.parent
    patterns = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["kg"]
    shipped = {p for pattern in patterns for p in (root / "kg").glob(pattern) if p.is_file()}
    for folder in ("static", "templates", "page_queries"):
        present = {p for p in (root / "kg" / folder).rglob("*") if p.is_file()}
        assert present and present <= shipped, present - shipped


# ---------------------------------------------------------------- answers follow the store


def test_cached_answers_follow_a_write_to_the_store(tmp_path: Path) -> None:
    store = tmp_path / "store"
    ingest(store, write_articles(tmp_path / "articles"))
    live = LiveServer(store)
    try:
        def posts() -> list[str]:
            rows = get(live, "/queries/posts-of-person", format="json", name="berg").json()
            return sorted(r["post"]["value"] for r in rows["results"]["bindings"])

        def page() -> str:
            return get(live, "/id/person/anna-berg").text

        assert posts() == posts() == ["Secretary General"]
        assert "Treasurer" not in page() and "Treasurer" not in page()
        n = ox.NamedNode
        membership, role = n(BASE + "membership/new"), n(BASE + "role/treasurer")
        with KGStore(store) as kg:  # as kg ingest would, beside the read-only server
            kg.replace_article("https://w3id.org/newskg/graph/article/new", [
                (membership, n(RDF.type), n("http://www.w3.org/ns/org#Membership")),
                (membership, n("http://www.w3.org/ns/org#member"), n(ANNA)),
                (membership, n("http://www.w3.org/ns/org#organization"),
                 n(BASE + "organization/harbour-union")),
                (membership, n("http://www.w3.org/ns/org#role"), role),
                (role, n(RDFS.label), ox.Literal("Treasurer")),
            ])
        assert posts() == ["Secretary General", "Treasurer"]
        assert "Treasurer" in page()
    finally:
        live.stop()


def test_a_custom_base_is_served_under_id(tmp_path: Path) -> None:
    base = "https://kg.example.org/resource/"
    store = tmp_path / "store"
    ingest(store, write_articles(tmp_path / "articles"), base=base)
    live = LiveServer(store, "--base", base.rstrip("/"))
    try:
        html = get(live, "/id/person/anna-berg").text
        assert "<code>https://kg.example.org/resource/person/anna-berg</code>" in html
        assert 'href="/id/person/tomas-reyes"' in html
        assert get(live, "/id/person/anna-berg.ttl").status_code == 200
    finally:
        live.stop()


# ---------------------------------------------------------------- serving while ingesting


ITEM = """Bulletin {i}

2024-02-{day:02d}

Delegates of the Harbour Union met in Port Amber for round {i} of the river talks.
"""


@pytest.mark.slow
def test_queries_keep_answering_during_an_ingest_and_see_its_articles(tmp_path: Path
                                                                       ) -> None:
    store = tmp_path / "store"
    ingest(store, write_articles(tmp_path / "articles"))
    news = tmp_path / "news"
    news.mkdir()
    for i in range(120):
        (news / f"item-{i:03d}.txt").write_text(ITEM.format(i=i, day=i % 28 + 1))
    live = LiveServer(store)
    count = f"SELECT (COUNT(?a) AS ?n) WHERE {{ ?a a <{SCHEMA.NewsArticle}> }}"
    seen: list[tuple[int, int]] = []
    stop = threading.Event()

    def ask() -> None:
        with httpx.Client(timeout=30) as client:
            while not stop.is_set():
                response = client.get(live.url + "/sparql", params={"query": count})
                page = client.get(live.url + "/id/person/anna-berg")
                n = int(response.json()["results"]["bindings"][0]["n"]["value"]) \
                    if response.status_code == 200 else -1
                seen.append((response.status_code, page.status_code))
                seen.append((n, 0))
                time.sleep(0.02)

    asker = threading.Thread(target=ask)
    asker.start()
    try:
        done = subprocess.run([sys.executable, "-m", "kg.cli", "ingest", str(news), "--store",
                               str(store), "--model", "blank:en"], capture_output=True,
                              text=True, timeout=300, check=False)
        time.sleep(0.3)
    finally:
        stop.set()
        asker.join()
    try:
        assert done.returncode == 0, done.stderr
        assert "stored 120" in done.stdout
        statuses = seen[0::2]
        counts = [n for n, _ in seen[1::2]]
        assert len(statuses) > 10 and set(statuses) == {(200, 200)}
        assert counts == sorted(counts)  # never an older snapshot after a newer one
        final = get(live, "/sparql", query=count).json()["results"]["bindings"][0]["n"]
        assert int(final["value"]) == 125
        query = (f'SELECT ?a WHERE {{ ?a <{SCHEMA.headline}> "Bulletin 119" }}')
        rows = get(live, "/sparql", query=query).json()["results"]["bindings"]
        page = get(live, local(rows[0]["a"]["value"]))
        assert '<h1 id="label">Bulletin 119</h1>' in page.text
    finally:
        live.stop()


def test_a_writable_server_holds_the_lock_so_ingest_waits_for_it(tmp_path: Path) -> None:
    store = tmp_path / "store"
    ingest(store, write_articles(tmp_path / "articles"))
    live = LiveServer(store, "--allow-writes", env={"KG_SERVE_TOKEN": "t"})
    try:
        done = subprocess.run([sys.executable, "-m", "kg.cli", "ingest", "-", "--store",
                               str(store), "--model", "blank:en"], input="Some text.\n",
                              capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 1
        assert "is in use by another process" in done.stderr
    finally:
        live.stop()
