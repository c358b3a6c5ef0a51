"""Ingest time with the store's cross-article derivations (not a test: it prints).

Generates N articles' worth of facts without spaCy, in which every meeting is reported by
three articles (the same people, place and day, or the day after) and one article in
four quotes a post without its holder ("The Secretary General of the X said ..."), and
writes them through kg.resolve, kg.mapping and KGStore.replace_article, one transaction
per article as `kg ingest` does. It prints the time per article write (median, p99, total)
and what was derived: gatherings, post references and their resolved holders.

    python benchmarks/derive.py --articles 300 --rounds 3

Run from another checkout (PYTHONPATH=that/checkout) it measures that code on the same
articles: the before/after comparison in the README.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
import zlib
from datetime import date, timedelta
from pathlib import Path

from kg import resources
from kg.facts import Document, Entity, Event, Evidence, Extraction, Membership, Span
from kg.mapping import to_triples
from kg.resolve import resolve
from kg.store import KGStore

BASE = "https://w3id.org/newskg/id/"
GIVEN = ["Anna", "Timur", "Olga", "Karl", "Amara", "Lucia", "Farid", "Ngozi", "Ivan", "Wei"]
FAMILY = ["Berg", "Reyes", "Okafor", "Lind", "Moreau", "Sato", "Haddad", "Novak", "Quist",
          "Varga", "Ekwueme", "Pardo"]
BODIES = [f"{word} of {topic}" for word in ("Council", "Commission", "Forum")
          for topic in ("Lakes", "Rivers", "Roads", "Grain", "Ports")]
PLACES = ["Lakeside", "Port Amber", "Greyford", "Millbrook", "Northwick", "Stonehaven"]


def article(n: int, rng: random.Random, people: list[str]) -> Extraction:
    """Article ``n``: the third report of meeting n // 3, a post, maybe an unnamed post."""
    meeting = random.Random(n // 3)  # the same draws for the three reports of a meeting
    day = date(2020, 1, 1) + timedelta(days=meeting.randrange(2000))
    parties = meeting.sample(people, 2)
    place = meeting.choice(PLACES)
    body = BODIES[zlib.crc32(parties[0].encode()) % len(BODIES)]
    said = rng.choice(BODIES) if n % 4 == 0 else None
    held = f"{parties[0]}, Secretary General of the {body}, met {parties[1]} in {place}. "
    unnamed = f"The Secretary General of the {said} said nothing. " if said else ""
    text = held + unnamed
    report_day = day + timedelta(days=n % 3 == 2)  # the third report is a day late
    document = Document(source=f"gen:{n}", url=f"https://bench.example.org/derive/{n}",
                        text=text, title=f"Report {n}", published=report_day)
    extraction = Extraction(document=document, fingerprint=f"derive-{n}")
    whole = Span(0, len(held))
    for i, person in enumerate(parties):
        start = text.index(person)
        extraction.entities[f"p{i}"] = Entity(f"p{i}", "person", person,
                                              mentions=[Span(start, start + len(person))])
    start = text.index(body)
    extraction.entities["o"] = Entity("o", "organization", body,
                                      mentions=[Span(start, start + len(body))])
    if said and said != body:
        start = len(held) + unnamed.index(said)
        extraction.entities["s"] = Entity("s", "organization", said,
                                          mentions=[Span(start, start + len(said))])
    start = text.index(place)
    extraction.entities["l"] = Entity("l", "place", place, subtype="city",
                                      mentions=[Span(start, start + len(place))])
    extraction.memberships.append(
        Membership("p0", "Secretary General", "o", Evidence(whole, "gen", 0.9)))
    extraction.events.append(Event("Meeting", Evidence(whole, "gen", 0.8), ["p0", "p1"],
                                   start=report_day.isoformat(), place="l", label="met"))
    return extraction


def run(articles: int, folder: Path) -> list[float]:
    rng = random.Random(9)
    people = [f"{g} {f}" for g in GIVEN for f in FAMILY]
    extractions = [article(n, rng, people) for n in range(articles)]
    times = []
    with KGStore(folder) as store:
        store.ensure_ontology(resources.ontology_file())
        for extraction in extractions:
            resolved = resolve(extraction, BASE)
            triples = list(to_triples(resolved))
            start = time.perf_counter()
            store.replace_article(resolved.graph, triples)
            times.append(time.perf_counter() - start)
    return times


def counts(folder: Path) -> str:
    found = []
    with KGStore(folder, read_only=True) as store:
        for label, pattern in [
            ("meeting nodes (reports and gatherings)", "?x a <https://w3id.org/newskg/ontology#Meeting>"),
            ("gatherings", "?r <https://w3id.org/newskg/ontology#gathering> ?x"),
            ("post references", "?x a <https://w3id.org/newskg/ontology#PostReference>"),
            ("resolved holders", "?x <https://w3id.org/newskg/ontology#holder> ?p"),
        ]:
            try:
                n = next(iter(store.query(f"SELECT (COUNT(DISTINCT ?x) AS ?n) {{ {pattern} }}")))
                found.append(f"{n['n'].value} {label}")
            except (AttributeError, ValueError, SyntaxError):
                continue
    return ", ".join(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    best: list[float] | None = None
    for _ in range(args.rounds):
        folder = Path(tempfile.mkdtemp(prefix="kg-derive-bench-"))
        try:
            times = run(args.articles, folder)
            derived = counts(folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        if best is None or sum(times) < sum(best):
            best = times
    assert best is not None
    ordered = sorted(best)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    print(f"{args.articles} articles, best of {args.rounds}: total {sum(best):.2f} s, "
          f"per write median {statistics.median(best) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms")
    print(f"derived: {derived}", file=sys.stderr)


if __name__ == "__main__":
    main()
