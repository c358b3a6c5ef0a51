"""What running queries in worker processes costs: the same lookup run directly on a
store, through ``kg.workers.QueryPool``, and over HTTP against ``kg serve``.

    python benchmarks/serve_overhead.py --rounds 500

Prints the median and 90th percentile of each, in milliseconds.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from conftest import LiveServer  # noqa: E402

from kg.endpoint import Dataset, _query_job  # noqa: E402
from kg.store import KGStore  # noqa: E402
from kg.workers import QueryPool  # noqa: E402

EX = "http://example.org/"
QUERY = f'SELECT ?s WHERE {{ ?s <{EX}label> "entity 4242" }}'
FORMATS = {"solutions": "json", "boolean": "json", "graph": "turtle"}


def build(path: Path, articles: int) -> None:
    with KGStore(path) as store:
        for i in range(articles):
            store.replace_article(f"{EX}graph/{i}", [
                (ox.NamedNode(f"{EX}e/{i * 10 + j}"), ox.NamedNode(f"{EX}label"),
                 ox.Literal(f"entity {i * 10 + j}")) for j in range(10)])


def timed(call, rounds: int) -> list[float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(name: str, times: list[float]) -> None:
    p90 = statistics.quantiles(times, n=10)[-1]
    print(f"{name:<10} median {statistics.median(times):7.3f} ms   p90 {p90:7.3f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=500)
    parser.add_argument("--articles", type=int, default=1000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "store"
        build(path, options.articles)
        args = (QUERY, FORMATS, Dataset(), None, 1000)
        with KGStore(path, read_only=True) as store:
            report("direct", timed(lambda: _query_job(store, *args), options.rounds))
        with QueryPool(path, size=2) as pool:
            pool.run(_query_job, *args, timeout=30)
            report("pool", timed(lambda: pool.run(_query_job, *args, timeout=30),
                                 options.rounds))
        server = LiveServer(path, "--workers", "2")
        try:
            with httpx.Client() as client:
                def over_http() -> None:
                    client.get(server.url + "/sparql", params={"query": QUERY}).raise_for_status()

                over_http()
                report("http", timed(over_http, options.rounds))
        finally:
            server.stop()


if __name__ == "__main__":
    main()
