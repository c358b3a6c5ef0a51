"""The bulk path (``kg ingest --bulk``) against Oxigraph's raw ``Store.bulk_load`` of the same
N-Quads files, measured in one run.

    python benchmarks/bulk.py --articles 20000

The articles are generated as benchmarks/serve.py makes them (a post and a meeting each,
through kg.resolve and kg.mapping, no spaCy) and staged as ``kg ingest --bulk`` stages
them. Then three fresh stores are filled: by the bulk path (the loader, then every derived
triple recomputed in one transaction), by a raw ``bulk_load`` of the same files (the
reference), and article by article as a plain ``kg ingest`` writes (one transaction each).
Printed: seconds, quads/s, and the bulk path's throughput as a ratio to the reference.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve import article  # noqa: E402

from kg import resources  # noqa: E402
from kg.mapping import to_triples  # noqa: E402
from kg.pipeline import _Staged  # noqa: E402
from kg.resolve import resolve  # noqa: E402
from kg.store import KGStore  # noqa: E402
from kg.vocab import DEFAULT_ID_BASE  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    options = parser.parse_args()
    rng = random.Random(7)
    articles = []
    for i in range(options.articles):
        resolved = resolve(article(i, rng), DEFAULT_ID_BASE)
        articles.append((resolved.graph, list(to_triples(resolved))))
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        staged = _Staged(work / "bulk.kg")
        for graph, triples in articles:
            staged.add(graph, triples)
        staged.close()
        quads = sum(len(t) for _, t in articles) * 2  # each in its graph and the default

        with KGStore(work / "bulk.kg") as store:
            store.ensure_ontology(resources.ontology_file())
            start = time.perf_counter()
            store.bulk_add_articles(staged.files)
            ours = time.perf_counter() - start

        raw = ox.Store(str(work / "raw.kg"))
        start = time.perf_counter()
        for shard in staged.files:
            raw.bulk_load(path=str(shard), format=ox.RdfFormat.N_QUADS)
        reference = time.perf_counter() - start
        del raw

        with KGStore(work / "each.kg") as store:
            store.ensure_ontology(resources.ontology_file())
            start = time.perf_counter()
            for graph, triples in articles:
                store.replace_article(graph, triples)
            each = time.perf_counter() - start
        shutil.rmtree(staged.folder, ignore_errors=True)

    print(f"{options.articles} articles, {quads} quads (each triple in its article's graph "
          "and the default graph)")
    for name, seconds in (("raw bulk_load (reference)", reference),
                          ("kg ingest --bulk's load", ours),
                          ("one transaction per article", each)):
        print(f"{name:<30} {seconds:8.2f} s {quads / seconds:10.0f} quads/s")
    print(f"bulk path / raw bulk_load throughput: {reference / ours:.2f}x")


if __name__ == "__main__":
    main()
