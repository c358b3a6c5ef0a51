"""How newskg's costs grow with the number of articles (not a test: it prints a table).

    python benchmarks/scale.py --sizes 1000 10000 [--jobs 2] [--dir /tmp/scale]

For each size N it writes N generated news articles (people, posts, bodies, places,
dates, headlines and the sentences around them drawn from word pools with a fixed seed,
so no two articles are copies), then runs the real commands as separate processes and
measures each:

- ``kg ingest FOLDER --jobs J`` (the whole path, spaCy included): time, words/s, peak
  resident memory of the process and its workers;
- the store's size on disk and its quads;
- ``kg stats``, ``kg export --format nquads`` and ``kg validate``: time (validate also as
  a share of the ingest time);
- a lookup query (a person's posts, by label) and a 2-hop query (the posts of those who
  met a person): median time over 20 different people, in process, store open;
- ``oxigraph load`` (the PyPI package ``oxigraph``) of the exported N-Quads into an empty
  directory: its size on disk, and kg's store size as a multiple of it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.store import KGStore  # noqa: E402

# Word pools of our own. Bodies and cities are real (the extractor's gazetteers know
# them, as they know the bodies of real news); people are invented.
GIVEN = ["Arman", "Bolat", "Dilnoza", "Erik", "Farhod", "Galina", "Hamid", "Irina",
         "Jamshid", "Kamila", "Leonid", "Madina", "Nodir", "Oksana", "Pavel", "Rashid",
         "Saule", "Temur", "Ulugbek", "Vera", "Yusuf", "Zarina", "Anton", "Bakyt", "Camille",
         "Daniel", "Eldar", "Frida", "Gregor", "Hanna", "Ilias", "Julia", "Kenji", "Laila",
         "Marat", "Nina", "Oscar", "Petra", "Ruslan", "Sofia"]
SURNAME_STEMS = ["Abdr", "Bekt", "Dzhum", "Ermek", "Gaib", "Ismail", "Kadyr", "Mamyr",
                 "Nazar", "Orazb", "Rakhm", "Sadyk", "Tokt", "Umar", "Zhaksyb", "Aliy",
                 "Berd", "Dauren", "Esen", "Kurman", "Lukash", "Morozh", "Novik", "Pashk",
                 "Romash", "Stepan", "Tarasj", "Vlasj", "Zuev", "Holm", "Lind", "Strand"]
SURNAME_ENDINGS = ["ov", "ova", "ev", "eva", "aliev", "bekov", "enko", "uk", "ich", "berg"]
BODIES = ["Collective Security Treaty Organization", "Shanghai Cooperation Organisation",
          "Commonwealth of Independent States", "Organization for Security and Co-operation"
          " in Europe", "Eurasian Economic Union", "United Nations", "Council of Europe",
          "Organization of Turkic States", "Conference on Interaction and Confidence-Building"
          " Measures in Asia", "Eurasian Economic Commission"]
ROLES = ["Secretary General", "Deputy Secretary General", "Chairman", "Executive Secretary",
         "Special Representative", "Director", "Special Envoy", "Chief of Staff"]
CITIES = ["Moscow", "Astana", "Bishkek", "Dushanbe", "Tashkent", "Minsk", "Yerevan",
          "Almaty", "Baku", "Geneva", "Vienna", "Beijing", "Ashgabat", "Tbilisi", "Samarkand",
          "Sochi", "Kazan", "Osh", "Brussels", "Ankara"]
TOPICS = ["border security", "water sharing", "transport corridors", "customs rules",
          "energy supply", "migration", "drug trafficking", "cyber threats", "food prices",
          "disaster relief", "election observation", "peacekeeping training",
          "trade in grain", "youth exchanges", "health cooperation", "railway tariffs"]
VERBS = ["discussed", "reviewed", "addressed", "examined", "took stock of", "considered"]
OUTCOMES = ["agreed to meet again before the end of the year",
            "signed a memorandum on joint exercises",
            "asked their experts to prepare a draft plan",
            "noted progress since the previous round of talks",
            "called for closer coordination between their secretariats",
            "set up a working group to report within three months"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


class Generator:
    """Articles drawn from pools that grow with N, so the graph grows as a news archive's."""

    def __init__(self, articles: int, seed: int = 10) -> None:
        self.rng = random.Random(seed)
        people: set[str] = set()
        wanted = max(300, articles // 4)
        # with a middle initial or none when the given names and surnames alone are too few
        # for N (smaller corpora are drawn as before)
        plain = len(GIVEN) * len(SURNAME_STEMS) * len(SURNAME_ENDINGS)
        initials = [""] + [f"{letter}. " for letter in "ABDEGKLMNPRSTV"]
        assert wanted <= plain * len(initials) // 2, "add names to the pools"
        while len(people) < wanted:
            middle = self.rng.choice(initials) if wanted > plain // 2 else ""
            people.add(f"{self.rng.choice(GIVEN)} {middle}{self.rng.choice(SURNAME_STEMS)}"
                       f"{self.rng.choice(SURNAME_ENDINGS)}")
        self.people = sorted(people)
        # a person keeps one post, so posts recur across articles as in real news
        self.post = {p: (self.rng.choice(ROLES), self.rng.choice(BODIES)) for p in self.people}

    def article(self, n: int) -> str:
        rng = self.rng
        day = date(2016, 1, 1) + timedelta(days=rng.randrange(3600))
        host, guest, third = rng.sample(self.people, 3)
        city = rng.choice(CITIES)
        role, body = self.post[host]
        guest_role, guest_body = self.post[guest]
        topics = rng.sample(TOPICS, 3)
        when = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
        headline = rng.choice([f"{body} talks in {city} on {topics[0]}",
                               f"{host} receives {guest} in {city}",
                               f"{role} of the {body} meets {guest.split()[1]}"])
        dateline = (f"{day.day:02d}.{day.month:02d}.{day.year}" if n % 2
                    else f"{city.upper()}, {MONTHS[day.month - 1]} {day.day}, {day.year}")
        body_text = [
            f"{role} of the {body} {host} met {guest_role} of the {guest_body} {guest}"
            f" in {city} on {when}.",
            f"The two {rng.choice(VERBS)} {topics[0]} and {topics[1]}, and {rng.choice(OUTCOMES)}.",
            f"{guest} said that {topics[2]} would stay on the agenda of the"
            f" {guest_body} in {day.year + 1}.",
        ]
        extra = rng.randrange(2, 7)
        for _ in range(extra):
            a, b = rng.sample(TOPICS, 2)
            body_text.append(rng.choice([
                f"Delegations from {rng.choice(CITIES)} and {rng.choice(CITIES)} also"
                f" {rng.choice(VERBS)} {a}.",
                f"According to the {rng.choice(BODIES)}, {a} and {b} remain the main concerns"
                f" of its members this {rng.choice(['spring', 'summer', 'autumn', 'winter'])}.",
                f"{third} {rng.choice(['later', 'also', 'separately'])} visited"
                f" {rng.choice(CITIES)}, where {rng.choice(['she', 'he'])}"
                f" {rng.choice(VERBS)} {a} with local officials.",
                f"Experts were asked to compare figures on {a} before the next meeting.",
            ]))
        return f"{headline}\n\n{dateline}\n\n" + " ".join(body_text) + "\n"


def write_corpus(folder: Path, articles: int) -> tuple[int, list[str]]:
    """N article files in ``folder``; the number of words, and people to look up."""
    generator = Generator(articles)
    folder.mkdir(parents=True, exist_ok=True)
    words = 0
    for n in range(articles):
        text = generator.article(n)
        words += len(text.split())
        (folder / f"{n // 1000:03d}").mkdir(exist_ok=True)
        (folder / f"{n // 1000:03d}" / f"article-{n:06d}.txt").write_text(text, encoding="utf-8")
    return words, generator.people[:: max(1, len(generator.people) // 20)][:20]


def run(*command: str) -> tuple[float, float, str]:
    """Run a command to its end: (seconds, peak resident MB of it and its children, stdout)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err)
        # wait4 gives this child's own resource usage (its waited-for workers included)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode not in (0, 1):
            sys.exit(f"{' '.join(command)} failed ({process.returncode}):\n"
                     f"{err.read().decode()[-2000:]}")
        return seconds, usage.ru_maxrss / 1024, out.read().decode("utf-8", errors="replace")


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


LOOKUP = """SELECT ?name ?role ?org WHERE {
  ?p rdfs:label ?name . ?m org:member ?p ; org:role/rdfs:label ?role ;
  org:organization/rdfs:label ?org }"""
TWO_HOP = """SELECT DISTINCT ?name ?other ?role WHERE {
  ?p rdfs:label ?name . ?e schema:attendee ?p , ?o . FILTER(?o != ?p)
  ?o rdfs:label ?other . ?m org:member ?o ; org:role/rdfs:label ?role }"""


def query_ms(store_path: Path, sparql: str, people: list[str]) -> tuple[float, int]:
    """Median milliseconds of ``sparql`` over the people (bound as ?name), and rows found."""
    import pyoxigraph as ox

    from kg.vocab import PREFIXES

    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    times, rows = [], 0
    with KGStore(store_path, read_only=True) as store:
        for name in people:
            query = prologue + sparql  # ?name is projected: substitutions need that
            start = time.perf_counter()
            rows += len(list(store.query(query, substitutions={
                ox.Variable("name"): ox.Literal(name)})))
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), rows


def measure(size: int, work: Path, jobs: int) -> dict[str, float]:
    corpus, store, nq, reference = (work / f"{size}-{part}" for part in
                                    ("articles", "store", "export.nq", "oxigraph"))
    for path in (corpus, store, reference):
        shutil.rmtree(path, ignore_errors=True)
    words, people = write_corpus(corpus, size)
    kg = [sys.executable, "-m", "kg.cli"]
    row: dict[str, float] = {"articles": size, "words": words}
    seconds, peak, _ = run(*kg, "ingest", str(corpus), "--store", str(store), "--jobs", str(jobs))
    row.update(ingest_s=seconds, words_per_s=words / seconds, ingest_peak_mb=peak,
               store_mb=du(store) / 2**20)
    seconds, _, out = run(*kg, "stats", "--store", str(store), "--format", "json")
    row.update(stats_s=seconds, quads=json.loads(out)["quads"])
    row["lookup_ms"], row["lookup_rows"] = query_ms(store, LOOKUP, people)
    row["two_hop_ms"], row["two_hop_rows"] = query_ms(store, TWO_HOP, people)
    seconds, _, _ = run(*kg, "export", "--store", str(store), "--format", "nquads", "-o", str(nq))
    row.update(export_s=seconds, export_mb=nq.stat().st_size / 2**20)
    seconds, peak, _ = run(*kg, "validate", "--store", str(store))
    row.update(validate_s=seconds, validate_peak_mb=peak)
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    run(oxigraph, "load", "--location", str(reference), "--file", str(nq))
    row["oxigraph_mb"] = du(reference) / 2**20
    return row


COLUMNS = [
    ("articles", "articles", "{:,.0f}"), ("words", "words", "{:,.0f}"),
    ("ingest_s", "ingest s", "{:.0f}"), ("words_per_s", "words/s", "{:,.0f}"),
    ("ingest_peak_mb", "ingest peak MB", "{:.0f}"), ("quads", "quads", "{:,.0f}"),
    ("store_mb", "store MB", "{:.0f}"), ("oxigraph_mb", "oxigraph load MB", "{:.0f}"),
    ("store_ratio", "store / oxigraph", "{:.2f}"), ("stats_s", "stats s", "{:.1f}"),
    ("lookup_ms", "lookup ms", "{:.2f}"), ("two_hop_ms", "2-hop ms", "{:.2f}"),
    ("export_s", "export s", "{:.1f}"), ("validate_s", "validate s", "{:.1f}"),
    ("validate_share", "validate / ingest", "{:.3f}"),
    ("validate_peak_mb", "validate peak MB", "{:.0f}"),
]


def table(rows: list[dict[str, float]]) -> str:
    for row in rows:
        row["store_ratio"] = row["store_mb"] / row["oxigraph_mb"]
        row["validate_share"] = row["validate_s"] / row["ingest_s"]
    lines = ["| " + " | ".join(title for _, title, _ in COLUMNS) + " |",
             "|" + " --- |" * len(COLUMNS)]
    for row in rows:
        lines.append("| " + " | ".join(fmt.format(row[key]) for key, _, fmt in COLUMNS) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/newskg-scale"))
    parser.add_argument("--keep", action="store_true", help="keep the articles and stores")
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        print(f"{size} articles ...", file=sys.stderr, flush=True)
        rows.append(measure(size, args.dir, args.jobs))
        print(json.dumps(rows[-1]), file=sys.stderr, flush=True)
        if not args.keep:
            shutil.rmtree(args.dir, ignore_errors=True)
    print(table(rows))


if __name__ == "__main__":
    main()
