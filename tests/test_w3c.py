"""The W3C SPARQL 1.1 Protocol (34 tests) and Graph Store Protocol (13) manifests,
replayed against a live ``kg serve --allow-writes``, once over a store directory and once
over a remote store (``oxigraph serve`` started here, ``kg serve --store URL``).

The manifests are read from ``../shared/w3c`` beside the repository (never copied in);
without them these tests skip. Each test starts from an empty store (``DROP ALL``), loads
its ``ut:graphData`` with Graph Store PUTs, then sends its requests in order and checks
status, media type, booleans and (Graph Store) graph isomorphism. Paths starting with
``/sparql/`` go to ``/sparql``, those starting with ``/gsp`` to ``/store``.
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

import pyoxigraph as ox
import pytest
import rdflib
from conftest import LiveServer, OxigraphServer
from rdflib.collection import Collection
from rdflib.compare import isomorphic

W3C = Path(__file__).resolve().parent.parent / ".." / "shared" / "w3c"
PROTOCOL = W3C / "protocol" / "manifest.ttl"
GSP = [W3C / "graph-store-protocol" / "manifest-direct.ttl",
       W3C / "graph-store-protocol" / "manifest-indirect.ttl"]
TOKEN = "w3c-test-token"

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HTS = "http://www.w3.org/2011/http-statusCodes#"
STATUS_NAMES = {"OK": 200, "Created": 201, "NoContent": 204, "NotFound": 404}
RESULT_TYPES = {"boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
                "tabular": ("application/sparql-results+json", "application/sparql-results+xml",
                            "text/csv", "text/tab-separated-values")}

pytestmark = pytest.mark.skipif(not PROTOCOL.exists(),
                                reason=f"the W3C manifests are not at {W3C.resolve()}")


@dataclass
class Step:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: set[str]
    expected: dict[str, object] = field(default_factory=dict)


@dataclass
class Case:
    name: str
    steps: list[Step]
    graph_data: list[tuple[Path, str]]


def _body(graph: rdflib.Graph, node) -> bytes | None:
    body = graph.value(node, HT.body)
    if body is None:
        return None
    encoding = str(graph.value(body, CNT.characterEncoding) or "UTF-8")
    return str(graph.value(body, CNT.chars)).encode(encoding.lower())


def _headers(graph: rdflib.Graph, node) -> dict[str, str]:
    listed = graph.value(node, HT.headers)
    if listed is None:
        return {}
    return {str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue))
            for h in Collection(graph, listed)}


def _step(graph: rdflib.Graph, request) -> Step:
    response = graph.value(request, HT.resp)
    expected: dict[str, object] = {}
    for key, predicate in (("boolean", MF.expectedBoolean), ("format", MF.expectedFormat),
                           ("location", MF.expectedLocation)):
        value = graph.value(response, predicate)
        if value is not None:
            expected[key] = value.toPython()
    expected["headers"] = _headers(graph, response)
    expected["body"] = _body(graph, response)
    return Step(str(graph.value(request, HT.methodName)),
                str(graph.value(request, HT.absolutePath)),
                _headers(graph, request), _body(graph, request),
                {str(s).removeprefix(HTS) for s in graph.objects(response, MF.expectedStatus)},
                expected)


def load_cases(manifest: Path) -> list[Case]:
    if not manifest.exists():
        return []
    graph = rdflib.Graph().parse(manifest, format="turtle")
    entries = graph.value(next(graph.subjects(rdflib.RDF.type, MF.Manifest)), MF.entries)
    cases = []
    for test in Collection(graph, entries):
        action = graph.value(test, MF.action)
        steps = [_step(graph, r) for r in Collection(graph, graph.value(action, HT.requests))]
        data = [(manifest.parent / Path(str(graph.value(d, UT.graph))).name,
                 str(graph.value(d, rdflib.RDFS.label)))
                for d in graph.objects(test, UT.graphData)]
        cases.append(Case(str(test).rsplit("#", 1)[-1], steps, data))
    return cases


def send(url: str, method: str, headers: dict[str, str], body: bytes | None
         ) -> tuple[int, dict[str, str], bytes]:
    """One request as written (http.client adds no Content-Type of its own, as urllib
    would to a body without one)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=60)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, target, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, \
            response.read()
    finally:
        connection.close()


def status_ok(status: int, expected: set[str]) -> bool:
    for name in expected:
        if name.startswith("StatusCode") and str(status)[0] == name[len("StatusCode")]:
            return True
        if STATUS_NAMES.get(name) == status:
            return True
    return False


def _target(server: LiveServer, path: str, variables: dict[str, str]) -> str:
    for key, value in variables.items():
        path = path.replace(key, quote(value, safe=""))
    if path.startswith("/sparql/"):
        path = "/sparql" + path[len("/sparql/"):]
    elif path.startswith("/gsp"):
        path = "/store" + path[len("/gsp"):]
    return server.url + path


def check_body(step: Step, headers: dict[str, str], body: bytes) -> None:
    media = headers.get("content-type", "").split(";")[0].strip()
    expected = step.expected
    fmt = expected.get("format")
    if fmt in RESULT_TYPES:
        assert media in RESULT_TYPES[fmt], media
    if fmt == "RDF":
        assert ox.RdfFormat.from_media_type(media) is not None, media
        list(ox.parse(body, format=ox.RdfFormat.from_media_type(media)))
    if "boolean" in expected:
        result = ox.parse_query_results(body, ox.QueryResultsFormat.from_media_type(media))
        assert bool(result) is expected["boolean"]
    wanted = expected["headers"].get("content-type")
    if wanted:
        assert headers.get("content-type", "").replace(" ", "").lower() == \
            wanted.replace(" ", "").lower()
    if expected.get("body") is not None:
        got = rdflib.Graph().parse(data=body, format="turtle")
        want = rdflib.Graph().parse(data=expected["body"], format="turtle")
        assert isomorphic(got, want), body.decode()


def run_case(server: LiveServer, case: Case) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    status, _, text = send(server.url + "/sparql", "POST",
                           {**auth, "Content-Type": "application/sparql-update"}, b"DROP ALL")
    assert status == 204, text
    for data, graph in case.graph_data:
        status, _, text = send(f"{server.url}/store?graph={quote(graph, safe='')}", "PUT",
                               {**auth, "Content-Type": "application/n-triples"},
                               data.read_bytes())
        assert status in (201, 204), text
    variables: dict[str, str] = {}
    for number, step in enumerate(case.steps, start=1):
        status, headers, body = send(_target(server, step.path, variables), step.method,
                                     {**step.headers, **auth}, step.body)
        assert status_ok(status, step.statuses), (number, status, step.statuses, body[:300])
        if "location" in step.expected:
            variables[str(step.expected["location"])] = headers["location"]
        if 200 <= status < 300 and step.method != "HEAD":
            check_body(step, headers, body)


@pytest.fixture(scope="module", params=["directory", "remote"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("w3c")
    env = {"KG_SERVE_TOKEN": TOKEN}
    if request.param == "directory":
        live = LiveServer(folder / "store", "--allow-writes", env=env)
        yield live
        live.stop()
        return
    remote = OxigraphServer(folder / "oxigraph")
    try:
        live = LiveServer(remote.url, "--allow-writes", env=env, log_dir=folder)
        yield live
        live.stop()
    finally:
        remote.stop()


PROTOCOL_CASES = load_cases(PROTOCOL)
GSP_CASES = [case for manifest in GSP for case in load_cases(manifest)]


@pytest.mark.slow
@pytest.mark.parametrize("case", PROTOCOL_CASES, ids=lambda c: c.name)
def test_protocol(server: LiveServer, case: Case) -> None:
    run_case(server, case)


@pytest.mark.slow
@pytest.mark.parametrize("case", GSP_CASES, ids=lambda c: c.name)
def test_graph_store_protocol(server: LiveServer, case: Case) -> None:
    run_case(server, case)


def test_the_manifests_hold_every_test() -> None:
    assert len(PROTOCOL_CASES) == 34
    assert len(GSP_CASES) == 13
