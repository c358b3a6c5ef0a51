"""Writes into the embedded store against writes into a SPARQL endpoint over HTTP.

    python benchmarks/remote.py --articles 2000
    python benchmarks/remote.py --articles 500 --kg-serve

The same generated articles (benchmarks/serve.py's, through kg.resolve and kg.mapping as an
ingest's facts go; no spaCy) are written the way ``kg ingest`` writes them, article by
article: the stored fingerprint is read, then one update replaces the article's graph and
keeps the default graph and the derived intervals in step. Targets: an embedded store
(``KGStore``), ``oxigraph serve`` over HTTP (``RemoteStore``; the server's process on the
same cores), and with ``--kg-serve`` a ``kg serve --allow-writes`` over HTTP. Each target
is written twice: new articles, then every article again (a replace). Printed: articles/s
and article quads/s (each also goes into the default graph), and the stores' sizes, which
must agree.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import LiveServer, OxigraphServer  # noqa: E402
from serve import article  # noqa: E402

from kg import resources  # noqa: E402
from kg.mapping import to_triples  # noqa: E402
from kg.remote import RemoteStore  # noqa: E402
from kg.resolve import resolve  # noqa: E402
from kg.store import KGStore  # noqa: E402
from kg.vocab import DEFAULT_ID_BASE  # noqa: E402

TOKEN = "benchmark-token"


def articles(count: int) -> list[tuple[str, list]]:
    rng = random.Random(7)
    out = []
    for i in range(count):
        resolved = resolve(article(i, rng), DEFAULT_ID_BASE)
        out.append((resolved.graph, list(to_triples(resolved))))
    return out


def write_all(store: KGStore, batch: list[tuple[str, list]]) -> float:
    """Seconds to write every article as kg ingest does (fingerprint read, one update)."""
    started = time.perf_counter()
    for graph, triples in batch:
        store.article_digest(graph)
        store.replace_article(graph, triples)
    return time.perf_counter() - started


def measure(name: str, opener: Callable[[], KGStore], batch: list[tuple[str, list]]) -> int:
    quads = sum(len(triples) for _, triples in batch)
    with opener() as store:
        store.ensure_ontology(resources.ontology_file())
        for phase in ("new", "replace"):
            seconds = write_all(store, batch)
            print(f"{name:<22} {phase:<8} {len(batch) / seconds:8.1f} articles/s "
                  f"{quads / seconds:9.0f} article quads/s ({seconds:.1f} s)", flush=True)
        return len(store.raw)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--kg-serve", action="store_true",
                        help="also write through kg serve --allow-writes")
    options = parser.parse_args()
    batch = articles(options.articles)
    quads = sum(len(triples) for _, triples in batch)
    print(f"{len(batch)} articles, {quads} article quads ({quads / len(batch):.0f} each)")
    sizes = {}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        sizes["embedded"] = measure("embedded (pyoxigraph)", lambda: KGStore(root / "embedded"),
                                    batch)
        server = OxigraphServer(root / "oxigraph")
        try:
            sizes["oxigraph"] = measure("oxigraph serve (HTTP)",
                                        lambda: RemoteStore(server.url), batch)
        finally:
            server.stop()
        if options.kg_serve:
            KGStore(root / "kg").close()
            served = LiveServer(root / "kg", "--allow-writes", env={"KG_SERVE_TOKEN": TOKEN})
            try:
                sizes["kg serve"] = measure(
                    "kg serve (HTTP)", lambda: RemoteStore(
                        served.url + "/sparql", environ={"KG_STORE_TOKEN": TOKEN}), batch)
            finally:
                served.stop()
    print("quads in each store: " + ", ".join(f"{k} {v}" for k, v in sizes.items()))
    assert len(set(sizes.values())) == 1, "the stores differ"


if __name__ == "__main__":
    main()
