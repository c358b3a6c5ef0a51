"""kg serve against Oxigraph's own server (``oxigraph serve``, from the PyPI package
``oxigraph``, in the test extra) on copies of one store of generated articles.

    python benchmarks/serve.py --articles 3000 --seconds 4
    python benchmarks/serve.py --articles 3000 --seconds 4 --remote

With ``--remote`` kg serve serves the running ``oxigraph serve`` itself (``kg serve
--store URL``) instead of a copy of its store: the ratios are then the cost of going
through kg serve (no answer cache for a remote store, so "warm" is as "cold"), and kg's
CPU per request counts kg's processes only, not Oxigraph's work for it.

The store follows the RDF contract (the facts go through kg.resolve and kg.mapping, as
an ingest's do; no spaCy). Each query runs against both servers at concurrency 1 and 8
(client processes with keep-alive connections, on the same machine as the servers):
a lookup by label, a 2-hop join (who met the holders of a post), an aggregate, and a
named query (``posts-of-person``; Oxigraph gets the same SPARQL with the value written
in). "cold" makes every request's text unique (a LIMIT that changes nothing), so no
cache can answer; "warm" repeats one request, which kg serve answers from its cache
(Oxigraph has none). Printed: requests/s and p50/p99 latency, and kg's figures as
ratios to Oxigraph's (throughput: higher is better; latency: lower is better), and the
CPU time each server (its processes together) spent per request: on a machine shared
with other work, throughput moves with the load while CPU per request stays put, so its
ratio (Oxigraph's CPU over kg's: higher is better) is the steadier comparison.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from conftest import LiveServer, OxigraphServer  # noqa: E402

from kg import resources  # noqa: E402
from kg.facts import Document, Entity, Event, Evidence, Extraction, Membership, Span  # noqa: E402
from kg.mapping import to_triples  # noqa: E402
from kg.queries import load_query  # noqa: E402
from kg.resolve import resolve  # noqa: E402
from kg.store import KGStore  # noqa: E402
from kg.vocab import DEFAULT_ID_BASE  # noqa: E402

PEOPLE, BODIES, PLACES = 1500, 60, 100
ROLES = ("Secretary General", "Chair", "Deputy Secretary General", "Special Representative",
         "Head of Mission", "Foreign Minister", "President", "Prime Minister",
         "Executive Secretary", "Director", "Commander", "Spokesperson")
PREFIXES = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <http://schema.org/>
"""


def person(k: int) -> str:
    return f"Amira{k} Volkov{k}"


def article(i: int, rng: random.Random) -> Extraction:
    """One article: a post and a meeting, each with the sentence that tells it."""
    a, b = rng.sample(range(PEOPLE), 2)
    body, place, role = rng.randrange(BODIES), rng.randrange(PLACES), ROLES[i % len(ROLES)]
    day = date(2020, 1, 1) + timedelta(days=rng.randrange(1800))
    first = f"{person(a)}, {role} of the Union{body}, opened the session."
    second = f"{person(a)} met {person(b)} in City{place} on {day.isoformat()}."
    text = f"Bulletin {i}\n\n{first}\n{second}\n"
    start = text.index(first)
    s1, s2 = Span(start, start + len(first)), Span(text.index(second),
                                                   text.index(second) + len(second))
    document = Document(source=f"gen/{i}", url=f"https://news.example.org/{i}", text=text,
                        title=f"Bulletin {i}", published=day)
    entities = {
        "a": Entity("a", "person", person(a), mentions=[s1]),
        "b": Entity("b", "person", person(b), mentions=[s2]),
        "o": Entity("o", "organization", f"Union{body}", aliases={f"U{body}"}, mentions=[s1]),
        "p": Entity("p", "place", f"City{place}", subtype="City", mentions=[s2]),
    }
    return Extraction(
        document=document, fingerprint=f"gen-{i}", entities=entities,
        memberships=[Membership("a", role, "o", Evidence(s1, "gen-post", 0.9))],
        events=[Event("Meeting", Evidence(s2, "gen-meeting", 0.8), participants=["a", "b"],
                      start=day.isoformat(), place="p", label="met")])


def build(path: Path, articles: int) -> int:
    rng = random.Random(7)
    with KGStore(path) as store:
        store.ensure_ontology(resources.ontology_file())
        for i in range(articles):
            resolved = resolve(article(i, rng), DEFAULT_ID_BASE)
            store.replace_article(resolved.graph, to_triples(resolved))
        return len(store.raw)


# ---------------------------------------------------------------- the queries


def lookup(i: int) -> str:
    return (PREFIXES + f'SELECT ?p WHERE {{ ?p rdfs:label "{person(i % PEOPLE)}" }} '
            f"LIMIT {1000 + i}")


def join(i: int) -> str:
    return (PREFIXES + "SELECT DISTINCT ?other ?name WHERE {\n"
            f'  ?m org:role/rdfs:label "{ROLES[i % len(ROLES)]}" ; org:member ?holder .\n'
            "  ?e schema:attendee ?holder , ?other . FILTER(?other != ?holder)\n"
            f"  ?other rdfs:label ?name }} LIMIT {100000 + i}")


def aggregate(i: int) -> str:
    return (PREFIXES + "SELECT ?body (COUNT(DISTINCT ?who) AS ?n) WHERE {\n"
            "  ?m org:organization ?body ; org:member ?who } GROUP BY ?body "
            f"ORDER BY DESC(?n) LIMIT {1000 + i}")


def named_value(i: int) -> str:
    return f"Volkov{i % PEOPLE}"


def oxigraph_named(i: int) -> str:
    """posts-of-person's SPARQL with the value written in (Oxigraph binds no parameters)."""
    text = load_query(resources.queries_dir(), "posts-of-person").sparql
    inlined = text.replace("LCASE(STR(?name))", "LCASE(" + json.dumps(named_value(i)) + ")")
    assert inlined != text
    return inlined


Request = Callable[[int], str]  # request number -> path and query string


def sparql_path(prefix: str, query: Callable[[int], str]) -> Request:
    return lambda i: f"{prefix}?{urlencode({'query': query(i)})}"


def workloads(cold: bool) -> dict[str, tuple[Request, Request]]:
    """name -> (path for kg serve, path for oxigraph serve)."""
    n = (lambda i: i) if cold else (lambda i: 3)
    named_text = {}

    def oxigraph_named_cached(i: int) -> str:
        if i not in named_text:
            named_text[i] = oxigraph_named(i)
        return named_text[i]

    cases = {"lookup": lookup, "2-hop join": join, "aggregate": aggregate}
    found: dict[str, tuple[Request, Request]] = {
        name: (sparql_path("/sparql", lambda i, q=q: q(n(i))),
               sparql_path("/query", lambda i, q=q: q(n(i))))
        for name, q in cases.items()}
    found["named query"] = (
        lambda i: "/queries/posts-of-person?" + urlencode({"name": named_value(n(i)),
                                                           "format": "json"}),
        sparql_path("/query", lambda i: oxigraph_named_cached(n(i) % PEOPLE)))
    return found


# ---------------------------------------------------------------- load


_REQUEST: list[Request] = []  # the workload, inherited by the forked client processes


def _client(args: tuple[str, float, int, int]) -> tuple[list[float], int]:
    url, seconds, offset, step = args
    request = _REQUEST[0]
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    headers = {"Accept": "application/sparql-results+json"}
    times, failures, i = [], 0, offset
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        start = time.perf_counter()
        connection.request("GET", request(i), headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            failures += 1
        times.append((time.perf_counter() - start) * 1000)
        i += step
    connection.close()
    return times, failures


def tree_cpu(pid: int) -> float:
    """CPU seconds (user and system) the process ``pid`` and its children have used so far
    (Linux ``/proc``; children that have exited are not counted)."""
    total, ticks = 0.0, os.sysconf("SC_CLK_TCK")
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return total


def load(url: str, request: Request, concurrency: int, seconds: float, server: int
         ) -> dict[str, float]:
    _REQUEST[:] = [request]
    _client((url, 0.3, 10**6, 1))  # warm the connection path and the server
    cpu = tree_cpu(server)
    with multiprocessing.get_context("fork").Pool(concurrency) as pool:
        results = pool.map(_client, [(url, seconds, c, concurrency)
                                     for c in range(concurrency)])
    cpu = tree_cpu(server) - cpu
    times = [t for ts, _ in results for t in ts]
    failures = sum(f for _, f in results)
    cuts = statistics.quantiles(times, n=100)
    return {"rps": len(times) / seconds, "p50": statistics.median(times), "p99": cuts[98],
            "failures": failures, "cpu": cpu / len(times) * 1e6}


def rows(url: str, path: str) -> int:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    connection.request("GET", path, headers={"Accept": "application/sparql-results+json"})
    body = connection.getresponse().read()
    return len(json.loads(body)["results"]["bindings"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--seconds", type=float, default=4.0, help="per measurement")
    parser.add_argument("--workers", type=int, default=2, help="kg serve --workers")
    parser.add_argument("--remote", action="store_true",
                        help="kg serve --store URL of the oxigraph serve measured beside it")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ours, theirs = Path(folder) / "kg", Path(folder) / "oxigraph"
        started = time.perf_counter()
        quads = build(ours, options.articles)
        shutil.copytree(ours, theirs)
        print(f"store: {options.articles} articles, {quads} quads, built in "
              f"{time.perf_counter() - started:.0f} s")
        oxigraph = OxigraphServer(theirs)
        kg = LiveServer(oxigraph.url if options.remote else ours, "--workers",
                        str(options.workers), "--max-rows", "1000000", log_dir=Path(folder))
        oxigraph_url = oxigraph.root
        try:
            for mode in ("cold", "warm"):
                for name, (kg_request, ox_request) in workloads(mode == "cold").items():
                    same = rows(kg.url, kg_request(3)), rows(oxigraph_url, ox_request(3))
                    assert same[0] == same[1], f"{name}: {same[0]} rows against {same[1]}"
                    for concurrency in (1, 8):
                        a = load(kg.url, kg_request, concurrency, options.seconds,
                                 kg.process.pid)
                        b = load(oxigraph_url, ox_request, concurrency, options.seconds,
                                 oxigraph.process.pid)
                        print(f"{mode:<4} {name:<11} c={concurrency}  "
                              f"kg {a['rps']:7.0f}/s p50 {a['p50']:6.2f} p99 {a['p99']:7.2f} ms"
                              f"  | oxigraph {b['rps']:7.0f}/s p50 {b['p50']:6.2f} "
                              f"p99 {b['p99']:7.2f} ms  | ratio: throughput "
                              f"{a['rps'] / b['rps']:5.2f}x p50 {a['p50'] / b['p50']:5.2f}x "
                              f"p99 {a['p99'] / b['p99']:5.2f}x  | CPU per request kg "
                              f"{a['cpu']:.0f} us, oxigraph {b['cpu']:.0f} us: "
                              f"{b['cpu'] / a['cpu']:4.2f}x  ({same[0]} rows"
                              + (f", failures {a['failures']}/{b['failures']}"
                                 if a["failures"] or b["failures"] else "") + ")",
                              flush=True)
        finally:
            kg.stop()
            oxigraph.stop()


if __name__ == "__main__":
    main()
