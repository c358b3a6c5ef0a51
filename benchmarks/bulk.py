"""The bulk path (``kg ingest --bulk``) against Oxigraph's raw ``Store.bulk_load`` of the same
N-Quads files, measured in one run.

    python benchmarks/bulk.py --articles 5000

The articles are generated as benchmarks/serve.py makes them (a post and a meeting each,
through kg.resolve and kg.mapping, no spaCy) and staged as ``kg ingest --bulk`` stages
them into an empty store: their quads and what they derive (the posts' intervals,
gatherings, holders; computed at the end of staging from what the staging kept of them)
in one file, their digests in another. Then fresh stores are filled: by the bulk path,
by a raw ``bulk_load`` of the same files (the reference), and article by article as a
plain ``kg ingest`` writes (one transaction each). Then the same for a store already
holding half the articles, the other half bulk-added (derived triples recomputed for
what the new half touches).
The first loads are repeated (``--repeat``, alternating, each into a fresh store) and
the fastest of each kind counts. Printed: seconds, quads/s, and the bulk path's throughput
as a ratio to the reference, also counting the staging's derivation as part of the load.
"""

from __future__ import annotations

import argparse
import random
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


def stage(folder: Path, articles: list[tuple[str, list]], *, first: bool
          ) -> tuple[_Staged, float, float]:
    """Stage ``articles`` as ``kg ingest --bulk`` does; seconds adding them, and finishing
    (the derivation, for a first load)."""
    start = time.perf_counter()
    staged = _Staged(folder / "store", first=first)
    for graph, triples in articles:
        staged.add(graph, triples)
    adding = time.perf_counter() - start
    start = time.perf_counter()
    staged.finish()
    return staged, adding, time.perf_counter() - start


def raw_load(path: Path, files: list[Path], before: list[Path] = ()) -> float:
    """Seconds of a raw ``bulk_load`` of ``files`` (after an untimed one of ``before``)."""
    raw = ox.Store(str(path))
    for shard in before:
        raw.bulk_load(path=str(shard), format=ox.RdfFormat.N_QUADS)
    start = time.perf_counter()
    for shard in files:
        raw.bulk_load(path=str(shard), format=ox.RdfFormat.N_QUADS)
    seconds = time.perf_counter() - start
    del raw
    return seconds


def quads_in(files: list[Path]) -> int:
    return sum(sum(1 for _ in shard.open("rb")) for shard in files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3,
                        help="loads of each kind, alternating; the fastest of each counts")
    parser.add_argument("--skip-each", action="store_true",
                        help="leave out the one-transaction-per-article store (slow)")
    options = parser.parse_args()
    rng = random.Random(7)
    articles = []
    for i in range(options.articles):
        resolved = resolve(article(i, rng), DEFAULT_ID_BASE)
        articles.append((resolved.graph, list(to_triples(resolved))))
    ontology = resources.ontology_file()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        staged, adding, deriving = stage(work / "a", articles, first=True)
        files = staged.files
        quads = quads_in(files)
        ours, reference = [], []
        for n in range(options.repeat):  # alternating, each into a fresh store
            with KGStore(work / f"bulk-{n}.kg") as store:
                store.ensure_ontology(ontology)
                start = time.perf_counter()
                store.bulk_add_articles(staged.files[:1], staged.files[1], staged.inputs,
                                        derived_staged=True)
                ours.append(time.perf_counter() - start)
            reference.append(raw_load(work / f"raw-{n}.kg", files))

        each = None
        if not options.skip_each:
            with KGStore(work / "each.kg") as store:
                store.ensure_ontology(ontology)
                start = time.perf_counter()
                for graph, triples in articles:
                    store.replace_article(graph, triples)
                each = time.perf_counter() - start

        half = len(articles) // 2
        older, _, _ = stage(work / "b", articles[:half], first=True)
        newer, later_adding, _ = stage(work / "c", articles[half:], first=False)
        later_quads = quads_in(newer.files)
        with KGStore(work / "later.kg") as store:
            store.ensure_ontology(ontology)
            store.bulk_add_articles(older.files[:1], older.files[1], older.inputs,
                                    derived_staged=True)
            start = time.perf_counter()
            store.bulk_add_articles(newer.files[:1], newer.files[1], newer.inputs)
            later = time.perf_counter() - start
        later_reference = raw_load(work / "raw-later.kg", newer.files, older.files)

    print(f"{options.articles} articles, {quads} quads (each triple in its article's graph "
          "and the default graph; the derived ones in the derived graph and the default graph)")
    print(f"staging: {adding:.2f} s adding the articles, {deriving:.2f} s deriving at its end")
    print(f"loads (s): raw {', '.join(f'{t:.2f}' for t in reference)}; "
          f"ours {', '.join(f'{t:.2f}' for t in ours)}")
    reference, ours = min(reference), min(ours)
    rows = [("raw bulk_load (reference)", reference), ("kg ingest --bulk's load", ours)]
    if each is not None:
        rows.append(("one transaction per article", each))
    for name, seconds in rows:
        print(f"{name:<30} {seconds:8.2f} s {quads / seconds:10.0f} quads/s")
    if each is not None:
        print(f"one transaction per article: {each / len(articles) * 1000:.2f} ms an article")
    print(f"bulk path / raw bulk_load throughput: {reference / ours:.2f}x "
          f"({reference / (ours + deriving):.2f}x counting the staging's derivation)")
    print(f"into a store holding {half} articles, {len(articles) - half} more "
          f"({later_quads} quads): raw bulk_load {later_reference:.2f} s, ours {later:.2f} s: "
          f"{later_reference / later:.2f}x")


if __name__ == "__main__":
    main()
