"""Curation: corrections in a file that survive re-ingesting (issue 9).

Four small articles of our own, read by an extractor that finds exactly the names and
sentence patterns below, so each test knows which facts come out: "A. Berg" beside "Anna
Berg" (one person in two nodes), "Lake Council" beside "Council of Lakes" (one body),
"Amber Bay" taken for a person (it is a bay), and a meeting that did not happen.
"""

from __future__ import annotations

import re
import shutil
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import LiveServer, _sentence, read_quads, run_kg

from kg import pipeline
from kg.curation import CurationFile
from kg.errors import CurationError
from kg.facts import Document, Entity, Event, Evidence, Extraction, Membership, Span
from kg.queries import prepare
from kg.resolve import slug
from kg.store import KGStore
from kg.vocab import CURATION_GRAPH

ID = "https://w3id.org/newskg/id/"
NAMES = {"Anna Berg": "person", "A. Berg": "person", "Tomas Reyes": "person",
         "Lina Okafor": "person", "Amber Bay": "person",
         "Council of Lakes": "organization", "Lake Council": "organization",
         "Harbour Union": "organization", "Lakeside": "place", "Port Amber": "place"}
_PERSON = "Anna Berg|A\\. Berg|Tomas Reyes|Lina Okafor|Amber Bay"
POST = re.compile(rf"(?P<person>{_PERSON}), (?P<role>Secretary General|Chair) of the "
                  r"(?P<org>Council of Lakes|Lake Council|Harbour Union)")
MEETING = re.compile(rf"(?P<a>{_PERSON}) met (?P<b>{_PERSON}) in (?P<place>Lakeside|Port Amber)"
                     r" on (?P<date>\d{4}-\d{2}-\d{2})")

ARTICLES = {
    "spring.txt": """Spring session of the lakes

2024-03-14

Anna Berg, Secretary General of the Council of Lakes, opened the spring session.
Anna Berg met Tomas Reyes in Lakeside on 2024-03-14 to talk about fishing quotas.
""",
    "harbour.txt": """Lake Council chief in Port Amber

2024-04-02

A. Berg, Secretary General of the Lake Council, toured the harbour of Port Amber.
A. Berg met Lina Okafor in Port Amber on 2024-04-02 about the new ferry line.
""",
    "bay.txt": """Union chair at the bay

2024-05-20

Lina Okafor, Chair of the Harbour Union, opened a jetty on Amber Bay.
Tomas Reyes met Amber Bay in Port Amber on 2024-05-20, a local paper wrote.
""",
    "rumour.txt": """Talks in Lakeside

2024-06-01

Tomas Reyes met Lina Okafor in Lakeside on 2024-06-01, according to one blog.
""",
}


class LakesExtractor:
    """The names of ``NAMES`` and the two patterns, nothing else."""

    version = "curation-test-1"

    def extract(self, document: Document) -> Extraction:
        return next(self.pipe([document]))

    def pipe(self, documents: Iterable[Document], *, batch_size: int = 16,
             n_process: int = 1) -> Iterator[Extraction]:
        for document in documents:
            yield self._extract(document)

    def _extract(self, document: Document) -> Extraction:
        text = document.text
        found = Extraction(document=document, fingerprint=document.fingerprint(self.version))
        for name, kind in NAMES.items():
            spans = [Span(m.start(), m.end()) for m in re.finditer(re.escape(name), text)]
            if spans:
                found.entities[slug(name)] = Entity(slug(name), kind, name, mentions=spans)
        for m in POST.finditer(text):
            found.memberships.append(Membership(
                slug(m["person"]), m["role"], slug(m["org"]),
                Evidence(_sentence(text, m.start()), "test-post", 0.9)))
        for m in MEETING.finditer(text):
            found.events.append(Event(
                "Meeting", Evidence(_sentence(text, m.start()), "test-meeting", 0.8),
                participants=[slug(m["a"]), slug(m["b"])], start=m["date"],
                place=slug(m["place"]), label="met"))
        return found


@pytest.fixture
def news(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def ingest(paths: Iterable[Path], store: Path, curation: Path) -> pipeline.IngestReport:
    report = None
    for path in paths:
        report = pipeline.ingest([str(path)], store, extractor=LakesExtractor(),
                                 curation_file=curation)
        assert report.ok, report.failed
    assert report is not None
    return report


def select(store: Path, sparql: str) -> set[tuple[str, ...]]:
    with KGStore(store, read_only=True) as kg:
        results = kg.query(prepare(sparql))
        names = [v.value for v in results.variables]
        return {tuple(row[n].value if row[n] is not None else "" for n in names)
                for row in results}


def persons(store: Path) -> set[str]:
    return {r[0] for r in select(store, "SELECT ?l WHERE { ?p a schema:Person ; rdfs:label ?l }")}


def posts(store: Path) -> set[tuple[str, ...]]:
    return select(store, """SELECT ?who ?role ?body ?first ?last WHERE {
        ?m org:member/rdfs:label ?who ; org:role/rdfs:label ?role ;
           org:organization ?b .
        OPTIONAL { ?b rdfs:label ?body }
        OPTIONAL { ?m org:memberDuring ?i . ?i time:hasBeginning/time:inXSDDate ?first ;
                   time:hasEnd/time:inXSDDate ?last } }""")


def meetings(store: Path) -> set[tuple[str, ...]]:
    return select(store, """SELECT ?date (GROUP_CONCAT(?who; separator="+") AS ?whom) WHERE {
        { SELECT ?e ?date ?who WHERE { ?e a kgo:Meeting ; schema:startDate ?date ;
          schema:attendee/rdfs:label ?who } ORDER BY ?who } } GROUP BY ?e ?date""")


CURATION = """# Corrections to the lakes news, reviewed in git.

# the Secretary General, once with her initial only
merge <person/a-berg> <person/anna-berg>
alias "lake council" <organization/council-of-lakes>
reject "Amber Bay" person   # a bay, not a person
"""


def event_of(store: Path, date: str) -> str:
    rows = select(store, f"""SELECT ?e WHERE {{ ?e a kgo:Meeting ;
        schema:startDate "{date}"^^xsd:date }}""")
    assert len(rows) == 1, rows
    return next(iter(rows))[0]


# ---------------------------------------------------------------- what each statement does


def test_merge_alias_reject_and_no_event_change_the_answers(news: Path, tmp_path: Path
                                                             ) -> None:
    store, curation = tmp_path / "store", tmp_path / "lakes.curation"
    ingest([news], store, curation)
    assert "A. Berg" in persons(store) and "Amber Bay" in persons(store)
    assert ("A. Berg", "Secretary General", "Lake Council", "2024-04-02", "2024-04-02"
            ) in posts(store)

    done = pipeline.curate("merge", ["person/a-berg", "person/anna-berg"], store,
                           curation_file=curation)
    assert done.added and done.applied and done.articles == 1
    assert "A. Berg" not in persons(store)
    assert ("Anna Berg", "A. Berg") in select(
        store, "SELECT ?l ?a WHERE { ?p rdfs:label ?l ; skos:altLabel ?a }")
    assert ("2024-04-02", "Anna Berg+Lina Okafor") in meetings(store)
    assert {p[:3] for p in posts(store) if p[0] == "Anna Berg"} == {
        ("Anna Berg", "Secretary General", "Council of Lakes"),
        ("Anna Berg", "Secretary General", "Lake Council")}
    assert (ID + "person/a-berg", ID + "person/anna-berg") in select(
        store, "SELECT ?old ?new WHERE { ?old dcterms:isReplacedBy ?new }")

    pipeline.curate("alias", ["Lake Council", "organization/council-of-lakes"], store,
                    curation_file=curation)
    # one post now, attested by both articles: its interval spans their dates
    assert {p for p in posts(store) if p[0] == "Anna Berg"} == {
        ("Anna Berg", "Secretary General", "Council of Lakes", "2024-03-14", "2024-04-02")}

    pipeline.curate("reject", ["Amber Bay", "person"], store, curation_file=curation)
    assert "Amber Bay" not in persons(store)
    assert ("2024-05-20", "Tomas Reyes") in meetings(store)  # the event only lost her

    rumour = event_of(store, "2024-06-01")
    pipeline.curate("no-event", [rumour], store, curation_file=curation)
    assert not select(store, "SELECT ?e WHERE { ?e schema:startDate '2024-06-01'^^xsd:date }")
    assert not select(store, f"SELECT ?p WHERE {{ <{rumour}> ?p ?o }}")
    assert len(meetings(store)) == 3


def test_a_rejected_name_of_another_kind_stays(news: Path, tmp_path: Path) -> None:
    store, curation = tmp_path / "store", tmp_path / "lakes.curation"
    curation.write_text('reject "Lakeside" person\n', encoding="utf-8")
    ingest([news], store, curation)
    assert ("Lakeside",) in select(store, "SELECT ?l WHERE { ?p a schema:Place ; rdfs:label ?l }")
    curation.write_text('reject "lakeside"\n', encoding="utf-8")
    assert pipeline.curate_apply(store, curation_file=curation).articles == 2
    assert not select(store, "SELECT ?p WHERE { ?p rdfs:label 'Lakeside' }")
    assert not select(store, "SELECT ?e WHERE { ?e schema:location ?p . ?p rdfs:label 'Lakeside' }")


def test_an_event_whose_every_attendee_is_rejected_goes(news: Path, tmp_path: Path) -> None:
    store, curation = tmp_path / "store", tmp_path / "lakes.curation"
    curation.write_text('reject "Amber Bay"\nreject <person/tomas-reyes>\n', encoding="utf-8")
    ingest([news], store, curation)
    assert meetings(store) == {("2024-04-02", "A. Berg+Lina Okafor"),
                               ("2024-03-14", "Anna Berg"), ("2024-06-01", "Lina Okafor")}
    assert pipeline.validate(store).conforms


def test_ended_on_a_day_ends_the_answers_of_post_holder(news: Path, tmp_path: Path) -> None:
    store, curation = tmp_path / "store", tmp_path / "lakes.curation"
    ingest([news], store, curation)

    def holders(day: str) -> str:
        result = run_kg("query", "--store", str(store), "--name", "post-holder", "--param",
                        "role=Chair", "--param", "org=Harbour", "--param", f"date={day}",
                        "--format", "csv")
        assert result.exit_code == 0, result.stderr
        return result.stdout

    assert "Lina Okafor" in holders("2024-06-30")  # last known
    result = run_kg("curate", "ended", "--store", str(store), "--curation", str(curation),
                    "person/lina-okafor", "Chair", "organization/harbour-union", "2024-06-15")
    assert result.exit_code == 0, result.stderr
    assert "Lina Okafor" in holders("2024-06-15")
    assert "Lina Okafor" not in holders("2024-06-30")
    assert "ended <person/lina-okafor> \"Chair\" <organization/harbour-union> 2024-06-15" in \
        curation.read_text(encoding="utf-8")


def test_lookup_finds_a_merged_entity_by_its_old_name(news: Path, tmp_path: Path) -> None:
    store, curation = tmp_path / "store", tmp_path / "lakes.curation"
    curation.write_text(CURATION, encoding="utf-8")
    ingest([news], store, curation)
    found = pipeline.lookup(store, "A. Berg", "person")
    assert found.status == "found"
    assert found.profile["iri"] == ID + "person/anna-berg"
    assert "A. Berg" in found.profile["other_names"]


# ---------------------------------------------------------------- surviving re-ingests


def test_curation_survives_a_full_reingest(news: Path, tmp_path: Path) -> None:
    store, curation = tmp_path / "store", tmp_path / "lakes.curation"
    ingest([news], store, curation)
    for verb, *args in (("merge", "person/a-berg", "person/anna-berg"),
                        ("alias", "Lake Council", "organization/council-of-lakes"),
                        ("reject", "Amber Bay", "person")):
        pipeline.curate(verb, args, store, curation_file=curation)
    pipeline.curate("no-event", [event_of(store, "2024-06-01")], store, curation_file=curation)
    curated = read_quads(store)

    shutil.rmtree(store)
    ingest([news], store, curation)
    assert read_quads(store) == curated
    assert "A. Berg" not in persons(store)
    assert pipeline.validate(store).conforms


def test_order_independence_idempotence_and_remove_with_curation(news: Path, tmp_path: Path
                                                                 ) -> None:
    curation = tmp_path / "lakes.curation"
    curation.write_text(CURATION, encoding="utf-8")
    files = sorted(news.iterdir())
    forward, backward = tmp_path / "forward", tmp_path / "backward"
    ingest(files, forward, curation)
    ingest(files[::-1], backward, curation)
    assert read_quads(forward) == read_quads(backward)

    before = read_quads(forward)
    report = ingest(files, forward, curation)
    assert report.skipped == 1 and report.curated == 0
    assert pipeline.curate_apply(forward, curation_file=curation).articles == 0
    assert read_quads(forward) == before

    # removing the article that named "A. Berg" and "Lake Council" takes its part away
    pipeline.remove([str(news / "harbour.txt")], forward)
    without = tmp_path / "without"
    ingest([f for f in files if f.name != "harbour.txt"], without, curation)
    assert read_quads(forward) == read_quads(without)
    assert ("Anna Berg", "Secretary General", "Council of Lakes", "2024-03-14", "2024-03-14"
            ) in posts(forward)


def test_a_statement_taken_out_of_the_file_is_undone_on_the_next_ingest(news: Path,
                                                                        tmp_path: Path) -> None:
    curation = tmp_path / "lakes.curation"
    curation.write_text(CURATION, encoding="utf-8")
    store, plain = tmp_path / "store", tmp_path / "plain"
    ingest([news], store, curation)
    assert "Amber Bay" not in persons(store)

    curation.write_text(CURATION.replace('reject "Amber Bay" person   # a bay, not a person\n',
                                         ""), encoding="utf-8")
    report = ingest([news], store, curation)  # every article unchanged: skipped, yet curated
    assert report.skipped == 4 and report.curated == 1
    assert "Amber Bay" in persons(store)
    plain_curation = tmp_path / "plain.curation"
    plain_curation.write_text(curation.read_text(encoding="utf-8"), encoding="utf-8")
    ingest([news], plain, plain_curation)
    assert read_quads(store) == read_quads(plain)

    curation.write_text("", encoding="utf-8")
    ingest([news], store, curation)
    uncurated = tmp_path / "uncurated"
    ingest([news], uncurated, tmp_path / "none.curation")
    own = f"<{CURATION_GRAPH}>"  # the empty file's digest is all its graph holds
    assert {q for q in read_quads(store) if not q.startswith(own)
            and not q.endswith(own + " .")} == read_quads(uncurated)


# ---------------------------------------------------------------- the file and the commands


def test_the_commands_write_a_sorted_file_keeping_comments(news: Path, tmp_path: Path) -> None:
    store, curation = tmp_path / "store", tmp_path / "lakes.curation"
    curation.write_text(CURATION, encoding="utf-8")
    ingest([news], store, curation)
    common = ["--store", str(store), "--curation", str(curation)]
    result = run_kg("reject", "Lakeside", "--type", "person", *common)
    assert result.exit_code == 0, result.stderr
    assert "added to" in result.stdout and "0 articles changed" in result.stdout
    result = run_kg("alias", "Harbor Union", "organization/harbour-union", *common)
    assert result.exit_code == 0, result.stderr
    assert run_kg("alias", "Harbor Union", "organization/harbour-union", *common
                  ).stdout.startswith("already in")
    assert curation.read_text(encoding="utf-8") == """\
# Corrections to the lakes news, reviewed in git.

# the Secretary General, once with her initial only
merge <person/a-berg> <person/anna-berg>
alias "Harbor Union" <organization/harbour-union>
alias "lake council" <organization/council-of-lakes>
reject "Amber Bay" person   # a bay, not a person
reject "Lakeside" person
"""
    listed = run_kg("curate", "list", *common[2:])
    assert listed.exit_code == 0
    assert listed.stdout.splitlines()[0] == "merge <person/a-berg> <person/anna-berg>"
    assert "5 statements" in listed.stderr


def test_the_file_written_is_the_same_whatever_the_order_of_commands(tmp_path: Path) -> None:
    statements = [("merge", "person/a", "person/b"), ("reject", "X", "place"),
                  ("alias", "Y", "person/b"), ("no-event", "event/1")]
    texts = []
    for order in (statements, statements[::-1]):
        path = tmp_path / f"{len(texts)}.curation"
        for verb, *args in order:
            pipeline.curate(verb, args, tmp_path / "no-store", curation_file=path)
        texts.append(path.read_text(encoding="utf-8"))
    assert texts[0] == texts[1]


@pytest.mark.parametrize(("text", "message"), [
    ("merge <person/a>\n", "lakes.curation:1: merge takes 2 arguments, not 1"),
    ("# fine\nalias Lake <organization/x>\n",
     "lakes.curation:2: argument 1 of alias must be a name in \"...\""),
    ("\n\nmerge <a> <b>\nfuse <a> <b>\n", "lakes.curation:4:1: unknown statement 'fuse'"),
    ('reject "X" planet\n', "lakes.curation:1: argument 2 of reject must be one of person"),
    ("ended <p> \"Chair\" <o> 2024-02-30\n", "argument 4 of ended must be a day as YYYY-MM-DD"),
    ("merge <a> <b>\nmerge <b> <a>\n", "the merges on lines 1, 2 go round in a circle"),
    ("merge <a> <b>\nmerge <a> <c>\n", "lakes.curation:2: https://example.invalid/a is merged"),
    ("reject <a>\nreject <a>\n", "lakes.curation:2: the same statement as line 1"),
    ('alias "A\\q" <b>\n', "lakes.curation:1:7: a bad escape in the name"),
])
def test_a_malformed_file_names_the_file_and_line_and_leaves_the_store(
        news: Path, tmp_path: Path, text: str, message: str) -> None:
    store, curation = tmp_path / "store", tmp_path / "lakes.curation"
    ingest([news], store, tmp_path / "none.curation")
    before = read_quads(store)
    curation.write_text(text, encoding="utf-8")
    (news / "later.txt").write_text("Later\n\n2024-07-01\n\nAnna Berg met Lina Okafor in "
                                    "Lakeside on 2024-07-01.\n", encoding="utf-8")
    result = run_kg("ingest", str(news), "--store", str(store), "--curation", str(curation),
                    "--model", "blank:en")
    assert result.exit_code == 1
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and "hint: " in result.stderr
    assert read_quads(store) == before


def test_a_missing_file_does_not_silently_undo_a_curated_store(news: Path, tmp_path: Path
                                                               ) -> None:
    store, curation = tmp_path / "store", tmp_path / "lakes.curation"
    curation.write_text(CURATION, encoding="utf-8")
    ingest([news], store, curation)
    before = read_quads(store)
    with pytest.raises(CurationError, match="does not exist"):
        pipeline.ingest([str(news)], store, extractor=LakesExtractor(),
                        curation_file=tmp_path / "elsewhere.curation")
    assert read_quads(store) == before


def test_the_default_file_sits_beside_the_store(news: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KG_CURATION", raising=False)
    store = tmp_path / "news.kg"
    (tmp_path / "news.kg.curation").write_text(CURATION, encoding="utf-8")
    assert pipeline.ingest([str(news)], store, extractor=LakesExtractor()).ok
    assert "A. Berg" not in persons(store)
    assert len(CurationFile.load(tmp_path / "news.kg.curation").statements) == 3


def test_kg_curation_names_the_file(news: Path, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "review" / "lakes.curation"
    elsewhere.parent.mkdir()
    elsewhere.write_text(CURATION, encoding="utf-8")
    (tmp_path / "store.curation").write_text("", encoding="utf-8")  # beside: not used
    monkeypatch.setenv("KG_CURATION", str(elsewhere))
    assert pipeline.ingest([str(news)], tmp_path / "store", extractor=LakesExtractor()).ok
    assert "A. Berg" not in persons(tmp_path / "store")
    result = run_kg("curate", "list")
    assert result.exit_code == 0 and str(elsewhere) in result.stderr


def test_a_merged_iri_page_redirects_to_the_new_one(news: Path, tmp_path: Path) -> None:
    store, curation = tmp_path / "store", tmp_path / "lakes.curation"
    curation.write_text(CURATION, encoding="utf-8")
    ingest([news], store, curation)
    server = LiveServer(store)
    try:
        class NoFollow(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
                return None

        opener = urllib.request.build_opener(NoFollow)
        for path, location in (("/id/person/a-berg", "/id/person/anna-berg"),
                               ("/id/person/a-berg.ttl", "/id/person/anna-berg.ttl")):
            with pytest.raises(urllib.error.HTTPError) as moved:
                opener.open(server.url + path, timeout=30)
            assert moved.value.code == 301
            assert moved.value.headers["Location"] == location
        with urllib.request.urlopen(server.url + "/id/person/a-berg", timeout=30) as page:
            assert page.url.endswith("/id/person/anna-berg")
            assert "Anna Berg" in page.read().decode("utf-8")
        # a curated article's graph keeps its record of what was extracted to itself: not
        # in the merged graph, nor on the article's page
        article = next(iter(select(store, "SELECT ?a WHERE { GRAPH ?g { ?a kgo:uncurated ?x ;"
                                          " schema:headline 'Lake Council chief in Port Amber' "
                                          "} }")))[0]
        assert not select(store, "SELECT ?a WHERE { ?a kgo:uncurated ?x }")
        with urllib.request.urlopen(server.url + "/id/" + article[len(ID):], timeout=30) as page:
            html = page.read().decode("utf-8")
        assert "Lake Council chief in Port Amber" in html
        assert "uncurated" not in html and "rdf-syntax-ns#type&gt;" not in html
    finally:
        server.stop()
    with KGStore(store, read_only=True) as kg:
        assert ox.Quad(ox.NamedNode(ID + "person/a-berg"),
                       ox.NamedNode("http://purl.org/dc/terms/isReplacedBy"),
                       ox.NamedNode(ID + "person/anna-berg"),
                       ox.NamedNode(CURATION_GRAPH)) in kg.raw


@pytest.mark.parametrize(("args", "message"), [
    (["merge", "Anna Berg", "person/anna-berg"], "argument 1 of merge is no IRI: <Anna Berg>"),
    (["curate", "ended", "person/a", "Chair", "organization/b", "31.05.2024"],
     "argument 4 of ended must be a day as YYYY-MM-DD"),
    (["reject", "X", "--type", "planet"], "Invalid value for '--type'"),
])
def test_a_malformed_command_is_a_usage_error_and_writes_nothing(
        tmp_path: Path, args: list[str], message: str) -> None:
    curation = tmp_path / "lakes.curation"
    result = run_kg(*args, "--store", str(tmp_path / "store"), "--curation", str(curation))
    assert result.exit_code == 2
    assert message in result.stderr, result.stderr
    assert not curation.exists() and not (tmp_path / "store").exists()


def test_a_merge_that_would_go_round_in_a_circle_is_refused(tmp_path: Path) -> None:
    curation = tmp_path / "lakes.curation"
    common = ["--store", str(tmp_path / "store"), "--curation", str(curation)]
    assert run_kg("merge", "person/a", "person/b", *common).exit_code == 0
    result = run_kg("merge", "person/b", "person/a", *common)
    assert result.exit_code == 1
    assert "go round in a circle" in result.stderr
    assert curation.read_text(encoding="utf-8") == "merge <person/a> <person/b>\n"


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def test_the_real_extractor_through_the_cli_survives_a_full_reingest(tmp_path: Path) -> None:
    """The shipped examples through `kg` with spaCy's blank English pipeline (rules alone)."""
    store, curation = tmp_path / "store", tmp_path / "examples.curation"
    common = ["--store", str(store), "--curation", str(curation)]
    ingest_ = ["ingest", str(EXAMPLES), "--model", "blank:en", *common]
    assert run_kg(*ingest_).exit_code == 0

    def holders() -> set[tuple[str, ...]]:
        return select(store, """SELECT ?who ?role ?body WHERE { ?m org:member/rdfs:label ?who ;
            org:role/rdfs:label ?role ; org:organization/rdfs:label ?body }""")

    assert ("Lucia Ferrante", "Head", "OSCE Programme Office in Bishkek") in holders()
    assert run_kg("merge", "organization/osce-po-bishkek", "organization/osce",
                  *common).exit_code == 0
    assert run_kg("reject", "Tomas Lindqvist", "--type", "person", *common).exit_code == 0
    assert run_kg("reject", "Tomas Lindqvist", "--type", "place", *common).exit_code == 0
    answered = holders()
    assert ("Lucia Ferrante", "Head", "Organization for Security and Co-operation in Europe"
            ) in answered
    assert not [h for h in answered if h[0] == "Tomas Lindqvist"]
    assert not [h for h in answered if h[2] == "OSCE Programme Office in Bishkek"]
    curated = read_quads(store)
    assert run_kg("validate", "--store", str(store)).exit_code == 0

    shutil.rmtree(store)
    result = run_kg(*ingest_)
    assert result.exit_code == 0, result.stderr
    assert read_quads(store) == curated
    assert run_kg(*ingest_).stdout.startswith("read 3, stored 0, skipped 3")
    assert read_quads(store) == curated
