"""What linking names given alone costs a write (kg/surnames.py), measured in one run.

    python benchmarks/surnames.py --articles 3000 --popular 0.3 --alone 0.05

A store is filled, article by article as ``kg ingest`` writes, with benchmarks/serve.py's
generated articles (a post and a meeting each, no spaCy), where one person is named in
full ("Sergey Lavrov") by a share of them (``--popular``) and by surname alone ("Lavrov")
by another (``--alone``). Then writes of three kinds are timed on that store: naming
other people (the reference), naming him in full (each checks whether stored articles
naming him alone need relinking), naming him alone (each is linked to him). Printed: ms
per write, and each as a ratio to the reference.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve import article  # noqa: E402

from kg import resources  # noqa: E402
from kg.mapping import to_triples  # noqa: E402
from kg.resolve import resolve  # noqa: E402
from kg.store import KGStore  # noqa: E402
from kg.vocab import DEFAULT_ID_BASE  # noqa: E402

NAMES = {"other": None, "in full": "Sergey Lavrov", "alone": "Lavrov"}


def write(store: KGStore, i: int, rng: random.Random, name: str | None) -> None:
    extraction = article(i, rng)
    if name:
        extraction.entities["a"] = replace(extraction.entities["a"], name=name)
    resolved = resolve(extraction, DEFAULT_ID_BASE)
    store.replace_article(resolved.graph, to_triples(resolved))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--popular", type=float, default=0.3)
    parser.add_argument("--alone", type=float, default=0.05)
    parser.add_argument("--writes", type=int, default=50, help="timed writes of each kind")
    options = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder, KGStore(Path(folder) / "s") as store:
        store.ensure_ontology(resources.ontology_file())
        start = time.perf_counter()
        for i in range(options.articles):
            draw = rng.random()
            name = (NAMES["in full"] if draw < options.popular else
                    NAMES["alone"] if draw < options.popular + options.alone else None)
            write(store, i, rng, name)
        print(f"{options.articles} articles written in {time.perf_counter() - start:.1f} s "
              f"({options.popular:.0%} name him in full, {options.alone:.0%} alone)")
        costs = {}
        for n, (kind, name) in enumerate(NAMES.items()):
            start = time.perf_counter()
            for k in range(options.writes):
                write(store, options.articles + n * options.writes + k, rng, name)
            costs[kind] = (time.perf_counter() - start) / options.writes * 1000
    for kind, ms in costs.items():
        print(f"a write naming {kind:<9} {ms:6.2f} ms  {ms / costs['other']:.2f}x the reference")


if __name__ == "__main__":
    main()
