"""What curation costs (not a test): per article on ingest, and applying a changed file.

Generates a store of N articles as benchmarks/lookup.py does (synthetic facts through
kg.resolve, kg.mapping and KGStore, no spaCy), then times:

- curating one article's triples on ingest with a file of S statements (merges, aliases
  and rejections of generated names), beside mapping the article to triples;
- ``kg merge`` of one person into another (file written, the articles naming either read
  and rewritten, in one transaction), and an ingest's check of an unchanged file;
- ``kg curate apply`` of the whole file of S statements to the store.

    python benchmarks/curation.py --articles 10000 --statements 200
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lookup import BASE, World, generate  # noqa: E402

from kg import pipeline  # noqa: E402
from kg.curation import CurationFile, apply  # noqa: E402
from kg.mapping import to_triples  # noqa: E402
from kg.resolve import resolve, slug  # noqa: E402
from kg.store import KGStore  # noqa: E402


def write_file(path: Path, world: World, statements: int, rng: random.Random) -> None:
    people = rng.sample(world.persons, 2 * statements)
    lines = []
    for i in range(statements):
        a, b = people[2 * i], people[2 * i + 1]
        kind = i % 3
        if kind == 0:
            lines.append(f"merge <person/{slug(a)}> <person/{slug(b)}>")
        elif kind == 1:
            lines.append(f'alias "{a}" <person/{slug(b)}>')
        else:
            lines.append(f'reject "{a}" person')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def per_article(world: World, path: Path, count: int) -> tuple[float, float]:
    rules = CurationFile.load(path).rules(BASE)
    mapped, curated = [], []
    for n in range(count):
        resolved = resolve(world.article(n), BASE)
        start = time.perf_counter()
        triples = list(to_triples(resolved))
        mapped.append(time.perf_counter() - start)
        start = time.perf_counter()
        rules.curate_article(triples)
        curated.append(time.perf_counter() - start)
    return statistics.mean(mapped) * 1e6, statistics.mean(curated) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10000)
    parser.add_argument("--statements", type=int, default=200)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/kg-curation-bench"))
    args = parser.parse_args()
    rng = random.Random(3)
    store = args.dir / f"store-{args.articles}"
    if store.exists():
        shutil.rmtree(store)
    args.dir.mkdir(parents=True, exist_ok=True)
    world, seconds = generate(store, args.articles)
    print(f"generated {args.articles} articles in {seconds:.0f} s", file=sys.stderr)
    big = args.dir / "big.curation"
    write_file(big, world, args.statements, rng)
    mapped, curated = per_article(World(args.articles), big, 2000)
    print(f"per article: mapping {mapped:.0f} µs, curating with {args.statements} "
          f"statements {curated:.0f} µs")

    one = args.dir / "one.curation"
    one.unlink(missing_ok=True)
    a, b = world.persons[0], world.persons[1]
    start = time.perf_counter()
    done = pipeline.curate("merge", [f"person/{slug(a)}", f"person/{slug(b)}"], store,
                           curation_file=one, base=BASE)
    took = time.perf_counter() - start
    print(f"kg merge of one person: {took * 1000:.0f} ms, {done.articles} articles rewritten")
    rules = CurationFile.load(one).rules(BASE)
    with KGStore(store) as kg:
        start = time.perf_counter()
        apply(kg, rules)
        print(f"an ingest's check of an unchanged file: "
              f"{(time.perf_counter() - start) * 1000:.2f} ms")
    start = time.perf_counter()
    done = pipeline.curate_apply(store, curation_file=big, base=BASE)
    took = time.perf_counter() - start
    print(f"kg curate apply of {args.statements} statements: {took:.1f} s, "
          f"{done.articles} articles rewritten")


if __name__ == "__main__":
    main()
