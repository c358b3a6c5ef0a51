"""Shared fixtures: small articles of our own, a predictable extractor, store helpers.

``KeywordExtractor`` stands in for spaCy where a test needs to know exactly which
facts an article yields (shared entities across articles, a changed fact after
an edit). Tests of the real pipeline use ``Extractor("blank:en")`` (fast) or the
installed model (``@pytest.mark.slow``).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from kg.cli import main
from kg.extract.unnamed import post_references
from kg.facts import Document, Entity, Event, Evidence, Extraction, Membership, Span
from kg.resolve import slug

# Fictional people and bodies, so no test depends on a real gazetteer entry.
NAMES = {
    "Anna Berg": "person",
    "Tomas Reyes": "person",
    "Lina Okafor": "person",
    "Council of Lakes": "organization",
    "Harbour Union": "organization",
    "Lakeside": "place",
    "Port Amber": "place",
}
_PEOPLE = "Anna Berg|Tomas Reyes|Lina Okafor"
POST = re.compile(rf"(?P<person>{_PEOPLE}), (?P<role>Secretary General|Chair)"
                  r" of the (?P<org>Council of Lakes|Harbour Union)")
MEETING = re.compile(rf"(?P<a>{_PEOPLE}) met (?P<b>{_PEOPLE}) in (?P<place>Lakeside|Port Amber)"
                     r" on (?P<date>\d{4}-\d{2}-\d{2})")

TEXT_ARTICLE = """Lake council meets in Lakeside

2024-03-14

Anna Berg, Secretary General of the Council of Lakes, opened the spring session.
Anna Berg met Tomas Reyes in Lakeside on 2024-03-14 to discuss water quotas.
"""

MARKDOWN_ARTICLE = """# Harbour Union elects a chair

Published: 2024-04-02

Lina Okafor, Chair of the Harbour Union, thanked the delegates in Port Amber.
"""

HTML_ARTICLE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Talks on river traffic | Harbour Union</title>
<link rel="canonical" href="https://news.example.org/harbour/river-talks">
<meta property="og:title" content="Talks on river traffic">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article>
<h1>Talks on river traffic</h1>
<p>Tomas Reyes met Lina Okafor in Port Amber on 2024-05-20 to settle the river traffic rules
that the Harbour Union and the Council of Lakes have argued about for two seasons.</p>
<p>Both sides said the talks were frank and that a further round would follow in the summer,
once the technical experts had compared their measurements of the spring floods.</p>
</article>
<footer>Harbour Union press office</footer>
</body></html>
"""

JSONL_ARTICLES = [
    {"url": "https://news.example.org/lakes/budget", "title": "Lakes budget agreed",
     "date": "2024-06-01",
     "text": "Anna Berg, Secretary General of the Council of Lakes, presented the budget."},
    {"url": "https://news.example.org/lakes/visit", "title": "A visit to Port Amber",
     "text": "Anna Berg met Lina Okafor in Port Amber on 2024-06-11 during a short visit."},
]


def write_articles(folder: Path) -> Path:
    """One article of each kind: .txt, .md, .html and a .jsonl file of two."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lakes.txt").write_text(TEXT_ARTICLE, encoding="utf-8")
    (folder / "harbour.md").write_text(MARKDOWN_ARTICLE, encoding="utf-8")
    (folder / "river.html").write_text(HTML_ARTICLE, encoding="utf-8")
    (folder / "wire.jsonl").write_text(
        "".join(json.dumps(record) + "\n" for record in JSONL_ARTICLES), encoding="utf-8"
    )
    return folder


def write_articles_and_notes(folder: Path, note: Callable[[int], str], count: int = 12
                             ) -> Path:
    """``write_articles``, plus ``count`` text notes, note ``i`` being ``note(i)``."""
    write_articles(folder)
    for i in range(count):
        (folder / f"note-{i:02d}.txt").write_text(note(i), encoding="utf-8")
    return folder


ARTICLE_COUNT = 5


class KeywordExtractor:
    """Finds the names in ``NAMES`` and two fixed sentence patterns, then (as the rules
    do) the posts named without a holder; nothing else.

    ``parsed`` lists the sources it was given, so tests can check what was
    (not) parsed; ``fail_on`` makes it raise on an article containing that text.
    """

    version = "keywords-1"

    def __init__(self, fail_on: str | None = None) -> None:
        self.fail_on = fail_on
        self.parsed: list[str] = []

    def extract(self, document: Document) -> Extraction:
        return next(self.pipe([document]))

    def pipe(self, documents: Iterable[Document], *, batch_size: int = 16,
             n_process: int = 1) -> Iterator[Extraction]:
        for document in documents:
            self.parsed.append(document.source)
            if self.fail_on and self.fail_on in document.text:
                raise RuntimeError(f"cannot read {self.fail_on!r}")
            yield self._extract(document)

    def _extract(self, document: Document) -> Extraction:
        text = document.text
        extraction = Extraction(document=document, fingerprint=document.fingerprint(self.version))
        for name, kind in NAMES.items():
            spans = [Span(m.start(), m.end()) for m in re.finditer(re.escape(name), text)]
            if spans:
                extraction.entities[slug(name)] = Entity(slug(name), kind, name, mentions=spans)
        for match in POST.finditer(text):
            extraction.memberships.append(Membership(
                slug(match["person"]), match["role"], slug(match["org"]),
                Evidence(_sentence(text, match.start()), "test-post", 0.9)))
        for match in MEETING.finditer(text):
            extraction.events.append(Event(
                "Meeting", Evidence(_sentence(text, match.start()), "test-meeting", 0.8),
                participants=[slug(match["a"]), slug(match["b"])], start=match["date"],
                place=slug(match["place"]), label="met"))
        extraction.post_references = post_references(extraction)  # last, as the rules do
        return extraction


def _sentence(text: str, at: int) -> Span:
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return Span(start, len(text) if end < 0 else end)


# ---------------------------------------------------------------- store helpers


def news_record(url: str, date: str | None, text: str) -> dict[str, str]:
    """One JSON-lines article (``date`` left out when None)."""
    record = {"url": f"https://news.example.org/{url}", "title": url, "text": text}
    if date:
        record["date"] = date
    return record


def write_jsonl(folder: Path, records: dict[str, dict], names: tuple[str, ...]) -> list[Path]:
    """One .jsonl file per named record, so each can be ingested and removed on its own."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        path = folder / f"{name}.jsonl"
        path.write_text(json.dumps(records[name]) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def random_history(paths: list[Path], store: Path, rng, ingest) -> list[Path]:
    """Thirty random ingests (``ingest([path], store)``) and removals of ``paths``; the
    articles the store holds at the end, sorted, to compare with a fresh ingest of them."""
    from kg import pipeline

    held: set[Path] = set()
    for _ in range(30):
        path = rng.choice(paths)
        if path in held and rng.random() < 0.5:
            pipeline.remove([str(path)], store)
            held.discard(path)
        else:
            ingest([path], store)
            held.add(path)
    return sorted(held)


def rows(store: Path, sparql: str) -> list[tuple[str, ...]]:
    """A SELECT's rows over the store's merged graph (unbound: ""), prefixes predeclared."""
    from kg.queries import prepare
    from kg.store import KGStore

    with KGStore(store, read_only=True) as kg:
        return [tuple("" if t is None else t.value for t in solution)
                for solution in kg.query(prepare(sparql))]


def read_quads(store_path: Path) -> set[str]:
    """Every quad of the store as an N-Quads line (order-free, for before/after checks)."""
    if not (store_path / "CURRENT").exists():
        return set()
    store = ox.Store.read_only(str(store_path))
    data = store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8")
    return set(data.splitlines())


def graph_lines(store_path: Path, graph: str | None) -> set[str]:
    """The triples of one graph (None: the default graph) as N-Triples lines."""
    store = ox.Store.read_only(str(store_path))
    source = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=source).decode("utf-8")
    return set(data.splitlines())


def count_lines(store_path: Path, graph: str | None) -> int:
    """Triples of a graph counted as dumped (a duplicate would show up twice)."""
    store = ox.Store.read_only(str(store_path))
    source = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=source).decode("utf-8")
    return len(data.splitlines())


# ---------------------------------------------------------------- running kg


def run_kg(*args: str, input: str | bytes | None = None, env: dict[str, str] | None = None
           ) -> Result:
    """``kg ARGS`` in this process (click's runner): stdout and stderr kept apart."""
    return CliRunner().invoke(main, list(args), input=input, env=env, catch_exceptions=False)


def kg_process(*args: str, input: bytes | None = None, env: dict[str, str] | None = None,
               cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """``kg ARGS`` as a real process, for exit codes, stdin and import checks."""
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], input=input,
                          capture_output=True, env=env, cwd=cwd, timeout=300, check=False)


# ---------------------------------------------------------------- fixtures


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    return write_articles(tmp_path / "articles")


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def keywords(monkeypatch: pytest.MonkeyPatch) -> KeywordExtractor:
    """Make ``kg.pipeline`` (and so the CLI) extract with a KeywordExtractor."""
    extractor = KeywordExtractor()
    monkeypatch.setattr("kg.pipeline.Extractor", lambda model=None: extractor)
    return extractor


def pytest_configure(config: pytest.Config) -> None:
    # rdflib (used here to read exports back) warns about its own internals.
    config.addinivalue_line("filterwarnings", "ignore::DeprecationWarning:rdflib.*")


# ---------------------------------------------------------------- a live kg serve


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _ServerProcess:
    """A server in a real process on a free port, its output in a log file beside the
    store (a file, not a pipe: a full pipe would block it)."""

    def _start(self, command: list[str], log: Path, probe: str, what: str,
               env: dict[str, str] | None = None) -> None:
        """Start ``command`` and wait (30 s at most) until GET ``probe`` answers 200."""
        import time
        import urllib.request

        self.log = log
        with open(self.log, "wb") as out:
            self.process = subprocess.Popen(command, env=env, stdout=out, stderr=out)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{what} exited: {self.log.read_text()}")
            try:
                with urllib.request.urlopen(probe, timeout=2) as answer:
                    answer.read()
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"{what} did not start within 30 s")

    def stop(self) -> str:
        """Stop the server; returns what it wrote (kg serve's access log)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        return self.log.read_text(encoding="utf-8", errors="replace")


class LiveServer(_ServerProcess):
    """``kg serve`` in a real process on a free port; ``url`` is its root. ``store`` is a
    store directory (the log goes beside it) or a SPARQL endpoint's URL (the log goes in
    ``log_dir``)."""

    def __init__(self, store: Path | str, *args: str, env: dict[str, str] | None = None,
                 log_dir: Path | None = None) -> None:
        import os

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        folder = log_dir if log_dir is not None else Path(store).parent
        self._start([sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port",
                     str(self.port), *args],
                    folder / f"serve-{self.port}.log", self.url + "/",
                    "kg serve", env={**os.environ, **(env or {})})


class OxigraphServer(_ServerProcess):
    """``oxigraph serve`` (the PyPI package ``oxigraph``, in the test extra) in a real
    process on a free port, over a store directory of its own; ``url`` is its query
    endpoint (``/query``; updates go to ``/update``, the Graph Store to ``/store``)."""

    def __init__(self, location: Path, *, read_only: bool = False) -> None:
        import shutil
        from urllib.parse import urlencode

        binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
        self.port = free_port()
        self.root = f"http://127.0.0.1:{self.port}"
        self.url = self.root + "/query"
        command = "serve-read-only" if read_only else "serve"
        self._start([binary, command, "--location", str(location), "--bind",
                     f"127.0.0.1:{self.port}"],
                    Path(location).with_name(f"oxigraph-{self.port}.log"),
                    self.url + "?" + urlencode({"query": "ASK {}"}), f"oxigraph {command}")
