"""kg lookup latency on generated stores of growing size (not a test).

Generates N articles' worth of graph without spaCy: synthetic facts (persons holding
posts in bodies, meetings in places) go through kg.resolve, kg.mapping and
KGStore.replace_article, the same path as `kg ingest`, one transaction per article, so
the derived post intervals are kept as on a real ingest. Then, warm (store open, name
index cached), it times `kg.lookup.lookup` for exact names, transliteration variants and
typos of persons, and for bodies and places; p50/p99 per size show how it grows.

    python benchmarks/lookup.py --sizes 10000 100000 --dir /tmp/lookup-bench
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from kg import resources
from kg.facts import Document, Entity, Event, Evidence, Extraction, Membership, Span
from kg.lookup import load_index, lookup, read_index
from kg.mapping import to_triples
from kg.resolve import resolve
from kg.store import KGStore

BASE = "https://w3id.org/newskg/id/"
GIVEN = ["Sergey", "Dmitriy", "Nikolay", "Yuri", "Aleksandr", "Mikhail", "Khalid", "Anna",
         "Olga", "Maria", "Ivan", "Timur", "Askar", "Nurlan", "Elena", "Vladimir", "Li",
         "Zhang", "Wei", "Ahmed", "Omar", "Fatima", "Lucia", "Marco", "Jean", "Pierre",
         "Helga", "Karl", "Amara", "Kofi", "Ngozi", "Tomas", "Lina", "Rustam", "Bakhyt",
         "Gulnara", "Aliya", "Farid", "Hassan", "Yerlan"]
STEMS = ["Volk", "Petr", "Ivan", "Sidor", "Kuzn", "Smirn", "Orl", "Lebed", "Sokol", "Pop",
         "Tasmagambet", "Nazarbay", "Tokay", "Abdull", "Karim", "Rakhim", "Nurm", "Bekm",
         "Zhol", "Kasym", "Mirz", "Akhmet", "Yusup", "Khalil", "Saidm", "Tursun", "Ergash",
         "Kulib", "Zakhar", "Grigor", "Fedor", "Nikol", "Makar", "Timof", "Vasil", "Zaits"]
ENDINGS = ["ov", "ev", "in", "enko", "uly", "bekov", "ski", "ova", "yan", "idze"]
ROLES = ["Secretary General", "Deputy Secretary General", "Chair", "Director",
         "Head", "Special Representative", "Executive Secretary", "President"]
ORG_WORDS = ["Council", "Commission", "Organization", "Committee", "Assembly", "Agency",
             "Secretariat", "Bureau", "Union", "Forum"]
ORG_TOPICS = ["Security", "Trade", "Water", "Energy", "Health", "Migration", "Culture",
              "Transport", "Customs", "Education", "Peace", "Finance", "Agriculture",
              "Science", "Youth", "Borders", "Climate", "Justice", "Labour", "Tourism"]
PLACES = [f"{a}{b}" for a in ["Ast", "Bish", "Dush", "Tash", "Mosk", "Min", "Yerev", "Bak",
                              "Tbil", "Kyi", "Ashg", "Alm", "Sam", "Nur", "Osh", "Khuj"]
          for b in ["ana", "kek", "abad", "grad", "sk", "or", "ent", "ul"]]


def names(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct person names."""
    out: set[str] = set()
    double = count > 5000  # one surname gives 14,400 names: more need a second one
    while len(out) < count:
        out.add(f"{rng.choice(GIVEN)} {rng.choice(STEMS)}{rng.choice(ENDINGS)}"
                + (f"-{rng.choice(STEMS)}{rng.choice(ENDINGS)}" if double and rng.random() < 0.5
                   else ""))
    return sorted(out)


def bodies(count: int) -> list[str]:
    return [f"{w} on {t}" + (f" {i // 200 + 1}" if i >= 200 else "")
            for i, (w, t) in enumerate((ORG_WORDS[i % 10], ORG_TOPICS[(i // 10) % 20])
                                       for i in range(count))]


class World:
    """The pools of people, bodies and places an article draws from, scaled with N."""

    def __init__(self, articles: int, seed: int = 9) -> None:
        self.rng = random.Random(seed)
        self.persons = names(self.rng, max(200, articles // 5))
        self.bodies = bodies(max(50, min(2000, articles // 50)))
        self.places = PLACES

    def article(self, n: int) -> Extraction:
        rng = self.rng
        day = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
        people = rng.sample(self.persons, 3)
        body = rng.choice(self.bodies)
        place = rng.choice(self.places)
        text = (f"{people[0]}, {rng.choice(ROLES)} of the {body}, met {people[1]} and "
                f"{people[2]} in {place}.")
        document = Document(source=f"gen:{n}", url=f"https://bench.example.org/{n}",
                            text=text, title=f"Generated article {n}",
                            published=None if n % 20 == 0 else day)
        extraction = Extraction(document=document, fingerprint=f"gen-{n}")
        span = Span(0, len(text))
        for i, person in enumerate(people):
            extraction.entities[f"p{i}"] = Entity(f"p{i}", "person", person, mentions=[span])
        extraction.entities["o"] = Entity("o", "organization", body, mentions=[span])
        extraction.entities["l"] = Entity("l", "place", place, subtype="city", mentions=[span])
        # the first person's post depends on the person, so posts recur across articles
        role = ROLES[hash(people[0]) % len(ROLES)]
        extraction.memberships.append(Membership("p0", role, "o", Evidence(span, "gen", 0.9),
                                                 former=rng.random() < 0.05))
        extraction.events.append(Event("Meeting", Evidence(span, "gen", 0.8),
                                       ["p0", "p1", "p2"], start=day.isoformat(), place="l",
                                       label="met"))
        return extraction


def generate(path: Path, articles: int) -> tuple[World, float]:
    world = World(articles)
    start = time.perf_counter()
    with KGStore(path) as store:
        store.ensure_ontology(resources.ontology_file())
        for n in range(articles):
            resolved = resolve(world.article(n), BASE)
            store.replace_article(resolved.graph, list(to_triples(resolved)))
            if n and n % 10000 == 0:
                rate = n / (time.perf_counter() - start)
                print(f"  {n} articles, {rate:.0f}/s", file=sys.stderr, flush=True)
    return world, time.perf_counter() - start


def variant(name: str, rng: random.Random) -> str:
    """How a user might type it: other transliteration, other case, one typo."""
    swaps = [("Sergey", "Sergei"), ("Dmitriy", "Dmitry"), ("Nikolay", "Nikolai"),
             ("Yuri", "Iurii"), ("Khalid", "Halid"), ("Vladimir", "Wladimir")]
    for a, b in swaps:
        if a in name:
            return name.replace(a, b).lower()
    chars = list(name)
    i = rng.randrange(1, len(chars) - 1)
    chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p99 * 1000


def measure(path: Path, world: World, queries: int) -> dict[str, tuple[float, float]]:
    rng = random.Random(1)
    out = {}
    with KGStore(path, read_only=True) as store:
        start = time.perf_counter()
        index = read_index(store)
        out["index build (one)"] = ((time.perf_counter() - start) * 1000,) * 2
        load_index(store)  # writes the cache
        start = time.perf_counter()
        load_index(store)
        out["index from cache (one)"] = ((time.perf_counter() - start) * 1000,) * 2
        sets = {
            "person, exact name": [rng.choice(world.persons) for _ in range(queries)],
            "person, variant/typo": [variant(rng.choice(world.persons), rng)
                                     for _ in range(queries)],
            "organization": [rng.choice(world.bodies) for _ in range(queries)],
            "place": [rng.choice(world.places) for _ in range(queries)],
        }
        for label, names_ in sets.items():
            lookup(store, names_[0], index=index)  # warm
            samples = []
            for name in names_:
                start = time.perf_counter()
                lookup(store, name, index=index)
                samples.append(time.perf_counter() - start)
            out[label] = percentiles(samples)
    return out


def cli_once(path: Path, name: str) -> float:
    """One `kg lookup` as a process, cache warm: what a user waits for at the prompt."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kg.cli", "lookup", name, "--json", "--store",
                    str(path)], capture_output=True, check=False, env=os.environ.copy())
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/kg-lookup-bench"))
    parser.add_argument("--queries", type=int, default=200, help="lookups per kind of name")
    args = parser.parse_args()
    os.environ.setdefault("KG_CACHE_DIR", str(args.dir / "cache"))
    results = {}
    for size in args.sizes:
        path = args.dir / f"store-{size}"
        if path.exists():
            world = World(size)
            print(f"{size} articles: reusing {path}", file=sys.stderr)
        else:
            print(f"{size} articles: generating into {path}", file=sys.stderr)
            world, seconds = generate(path, size)
            print(f"  generated in {seconds:.0f} s ({size / seconds:.0f} articles/s)",
                  file=sys.stderr)
        results[size] = measure(path, world, args.queries)
        results[size]["kg lookup process (one, warm cache)"] = (
            cli_once(path, world.persons[0]),) * 2
    print(f"{'lookup (ms)':<40}" + "".join(f"{f'{s} p50':>12}{f'{s} p99':>12}"
                                           for s in results))
    for label in next(iter(results.values())):
        cells = "".join(f"{results[s][label][0]:>12.1f}{results[s][label][1]:>12.1f}"
                        for s in results)
        print(f"{label:<40}{cells}")


if __name__ == "__main__":
    main()
