"""The ``kg`` command: output, exit codes, one clear line per bad input, no tracebacks."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from conftest import (
    ARTICLE_COUNT,
    TEXT_ARTICLE,
    count_lines,
    graph_lines,
    kg_process,
    read_quads,
    run_kg,
)

from kg import cli
from kg.resolve import article_graph

SELECT_PEOPLE = "SELECT ?name WHERE { ?p a schema:Person ; rdfs:label ?name } ORDER BY ?name"


def errors(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


def assert_clean_failure(result, code: int, *names: str) -> None:
    """Exit ``code``, exactly one error line naming every one of ``names``, no traceback."""
    assert result.exit_code == code, (result.stdout, result.stderr)
    [line] = errors(result)
    for name in names:
        assert name in line, line
    assert "Traceback" not in result.stdout + result.stderr


@pytest.fixture
def filled(articles: Path, store_path: Path, keywords) -> Path:
    result = run_kg("ingest", str(articles), "--store", str(store_path))
    assert result.exit_code == 0, result.stderr
    return store_path


# ---------------------------------------------------------------- ingest


def test_ingest_prints_a_summary_and_stats_count(articles: Path, store_path: Path, keywords
                                                 ) -> None:
    result = run_kg("ingest", str(articles), "--store", str(store_path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("read 5, stored 5, skipped 0 unchanged, failed 0; facts: ")
    assert "8 persons" in result.stdout and "3 events" in result.stdout
    assert result.stderr == ""  # no progress line when stderr is not a terminal

    stats = json.loads(run_kg("stats", "--store", str(store_path), "-f", "json").stdout)
    assert stats["articles"] == ARTICLE_COUNT
    assert stats["graphs"] == ARTICLE_COUNT + 2  # the ontology and the derived graph
    assert stats["entities_by_class"]["http://schema.org/Person"] == 3

    table = run_kg("stats", "--store", str(store_path), "--graphs").stdout
    assert "articles               5" in table and "schema:Person" in table
    assert "https://news.example.org/harbour/river-talks" in table


def test_ingest_again_skips_unchanged(filled: Path, articles: Path) -> None:
    before = read_quads(filled)
    result = run_kg("ingest", str(articles), "--store", str(filled))
    assert result.exit_code == 0
    assert result.stdout.strip() == "read 5, stored 0, skipped 5 unchanged, failed 0; facts: none"
    assert read_quads(filled) == before


def test_ingest_store_from_the_environment(articles: Path, store_path: Path, keywords) -> None:
    result = run_kg("ingest", str(articles / "lakes.txt"), env={"KG_STORE": str(store_path)})
    assert result.exit_code == 0, result.stderr
    assert (store_path / "CURRENT").exists()


def test_reingest_after_an_edit_replaces_the_old_facts(tmp_path: Path, store_path: Path,
                                                       keywords) -> None:
    article = tmp_path / "lakes.txt"
    article.write_text(TEXT_ARTICLE, encoding="utf-8")
    assert run_kg("ingest", str(article), "--store", str(store_path)).exit_code == 0
    article.write_text(TEXT_ARTICLE.replace("Tomas Reyes", "Lina Okafor"), encoding="utf-8")
    assert run_kg("ingest", str(article), "--store", str(store_path)).exit_code == 0
    graph = article_graph(article.resolve().as_uri())
    for lines in (graph_lines(store_path, graph), graph_lines(store_path, None)):
        assert not any("Tomas Reyes" in line or "tomas-reyes" in line for line in lines)
        assert any("Lina Okafor" in line for line in lines)
    assert count_lines(store_path, None) == len(graph_lines(store_path, None))


BAD_INPUTS = {
    "binary": ("blob.txt", b"\x00\x01\x02\x03 not text \x00", "looks like a binary file"),
    "empty": ("empty.txt", b"", "empty file"),
    "broken json line": ("feed.jsonl", b'{"text": "Anna Berg spoke."}\n{"text": oops}\n',
                         "feed.jsonl:2"),
    "unknown extension": ("report.pdf", b"%PDF-1.7", "unknown file type"),
}


@pytest.mark.parametrize("kind", list(BAD_INPUTS))
def test_a_bad_input_is_one_line_and_exit_1(kind: str, filled: Path, tmp_path: Path) -> None:
    name, content, message = BAD_INPUTS[kind]
    path = tmp_path / name
    path.write_bytes(content)
    before = read_quads(filled)
    result = run_kg("ingest", str(path), "--store", str(filled))
    assert_clean_failure(result, 1, name, message)
    assert "failed 1" in result.stdout
    if kind == "broken json line":
        assert "stored 1" in result.stdout  # the good line went in
        assert len(read_quads(filled)) > len(before)
    else:
        assert read_quads(filled) == before
    assert result.stderr.count("hint:") == 1


def test_a_missing_path_is_one_line_and_exit_1(filled: Path, tmp_path: Path) -> None:
    before = read_quads(filled)
    result = run_kg("ingest", str(tmp_path / "nope.html"), "--store", str(filled))
    assert_clean_failure(result, 1, "nope.html", "no such file")
    assert read_quads(filled) == before


def test_several_bad_inputs_each_get_their_line(articles: Path, tmp_path: Path,
                                                store_path: Path, keywords) -> None:
    (articles / "blob.txt").write_bytes(b"\x00\x00")
    (articles / "empty.md").write_text("")
    result = run_kg("ingest", str(articles), str(tmp_path / "gone.txt"), "--store",
                    str(store_path))
    assert result.exit_code == 1
    lines = errors(result)
    assert len(lines) == 3
    assert {"blob.txt", "empty.md", "gone.txt"} == {
        name for name in ("blob.txt", "empty.md", "gone.txt") for line in lines if name in line}
    assert result.stdout.startswith("read 8, stored 5, skipped 0 unchanged, failed 3")


def test_a_store_locked_by_another_process(filled: Path, articles: Path) -> None:
    before = read_quads(filled)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, pyoxigraph; s = pyoxigraph.Store(sys.argv[1]);"
         " print('ready', flush=True); sys.stdin.read()", str(filled)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"ready"
        result = run_kg("ingest", str(articles), "--store", str(filled))
        assert_clean_failure(result, 1, str(filled), "in use by another process")
        assert "hint:" in result.stderr
        # Reading works meanwhile: queries open a read-only snapshot.
        query = run_kg("query", SELECT_PEOPLE, "--store", str(filled), "-f", "csv")
        assert query.exit_code == 0, query.stderr
        assert "Anna Berg" in query.stdout
    finally:
        holder.communicate(b"", timeout=30)
    assert read_quads(filled) == before


def test_a_store_locked_in_this_process(filled: Path, articles: Path) -> None:
    holder = ox.Store(str(filled))
    try:
        result = run_kg("remove", str(articles / "lakes.txt"), "--store", str(filled))
        assert_clean_failure(result, 1, "in use")
    finally:
        del holder


def test_ingest_from_stdin_in_a_real_process(tmp_path: Path) -> None:
    store = tmp_path / "store"
    text = TEXT_ARTICLE.encode("utf-8")
    first = kg_process("ingest", "-", "--store", str(store), "--model", "blank:en", input=text)
    assert first.returncode == 0, first.stderr
    assert first.stdout.decode().startswith("read 1, stored 1")
    again = kg_process("ingest", "-", "--store", str(store), "--model", "blank:en", input=text)
    assert b"skipped 1 unchanged" in again.stdout
    empty = kg_process("ingest", "-", "--store", str(store), "--model", "blank:en", input=b"")
    assert empty.returncode == 1
    assert empty.stderr.decode().splitlines()[0] == "error: empty file: <stdin>"
    assert b"Traceback" not in empty.stderr


def test_exit_codes_in_a_real_process(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"\x00binary")
    bad = kg_process("ingest", str(tmp_path / "a.txt"), "--store", str(tmp_path / "s"))
    assert bad.returncode == 1 and b"binary" in bad.stderr and b"Traceback" not in bad.stderr
    usage = kg_process("ingest", "--jobs", "0", "x.txt")
    assert usage.returncode == 2
    assert usage.stderr.decode().startswith("error: Invalid value for '--jobs'")
    assert "hint: see 'kg ingest --help'" in usage.stderr.decode()
    unknown = kg_process("frobnicate")
    assert unknown.returncode == 2 and b"error: No such command" in unknown.stderr


def test_a_failed_write_mid_ingest_stores_the_others_whole(
    articles: Path, store_path: Path, keywords, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.errors import StoreError
    from kg.store import KGStore

    original = KGStore.replace_article
    seen: list[str] = []

    def flaky(self, graph, triples):
        seen.append(graph)
        if len(seen) == 2:
            raise StoreError("writing to the store failed: No space left on device",
                             "check free disk space; the store was left as it was")
        return original(self, graph, triples)

    monkeypatch.setattr(KGStore, "replace_article", flaky)
    result = run_kg("ingest", str(articles), "--store", str(store_path))
    assert result.exit_code == 1
    [line] = errors(result)
    assert "No space left" in line and str(articles) in line
    assert "stored 4" in result.stdout and "failed 1" in result.stdout
    assert not any(seen[1] in quad for quad in read_quads(store_path))
    assert count_lines(store_path, seen[0]) > 0


def test_usage_errors_exit_2(store_path: Path) -> None:
    for args in (["ingest"], ["ingest", "x.txt", "--bogus"], ["query"],
                 ["query", "SELECT * {}", "--name", "timeline"],
                 ["query", "--param", "a=b", "SELECT * {}"],
                 ["query", "--name", "timeline", "--param", "nokey"],
                 ["stats", "--format", "yaml"]):
        result = run_kg(*args, "--store", str(store_path))
        assert result.exit_code == 2, (args, result.stderr)
        assert errors(result), args
        assert "Traceback" not in result.stderr
    assert not store_path.exists()


def test_an_internal_error_is_one_line_without_traceback(
    filled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args, **kwargs):
        raise ZeroDivisionError("oops")

    monkeypatch.setattr("kg.pipeline.stats", broken)
    result = run_kg("stats", "--store", str(filled))
    assert result.exit_code == 1
    assert errors(result) == ["error: internal error: ZeroDivisionError: oops"]
    assert "KG_DEBUG=1" in result.stderr and "Traceback" not in result.stderr


# ---------------------------------------------------------------- extract


def test_extract_prints_rdf_and_touches_no_store(articles: Path, tmp_path: Path, keywords
                                                 ) -> None:
    store = tmp_path / "untouched"
    result = run_kg("extract", str(articles / "river.html"), env={"KG_STORE": str(store)})
    assert result.exit_code == 0, result.stderr
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    names = {str(o) for o in graph.objects(None, rdflib.RDFS.label)}
    assert {"Tomas Reyes", "Lina Okafor", "Port Amber"} <= names
    assert not store.exists()

    trig = run_kg("extract", str(articles / "river.html"), "--format", "trig").stdout
    dataset = rdflib.Dataset()
    dataset.parse(data=trig, format="trig")
    graphs = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert graphs == {article_graph("https://news.example.org/harbour/river-talks")}


def test_extract_explain_shows_facts_beside_sentence_rule_and_confidence(keywords) -> None:
    result = run_kg("extract", "-", "--explain", input=TEXT_ARTICLE)
    assert result.exit_code == 0, result.stderr
    facts = [line for line in result.stdout.splitlines() if line.startswith(("post:", "meeting"))]
    assert facts, result.stdout
    assert "rule test-" in result.stdout and "confidence 0." in result.stdout
    assert "“" in result.stdout  # the sentence itself, quoted
    assert not result.stdout.lstrip().startswith("@prefix")  # an account, not RDF


def test_why_a_triple_exists_is_answerable_in_sparql(filled: Path) -> None:
    why = ("SELECT ?rule ?confidence ?sentence WHERE { ?fact a org:Membership ; "
           "kgo:extractedBy ?rule ; kgo:confidence ?confidence ; "
           "prov:wasDerivedFrom/nif:anchorOf ?sentence } ")
    rows = json.loads(run_kg("query", why, "--store", str(filled), "-f", "json").stdout)
    bindings = rows["results"]["bindings"]
    assert bindings and all(b["rule"]["value"] == "test-post" for b in bindings)
    assert all(0 <= float(b["confidence"]["value"]) <= 1 for b in bindings)


def test_extract_bad_file_and_bad_format(tmp_path: Path, keywords) -> None:
    (tmp_path / "e.txt").write_text("")
    assert_clean_failure(run_kg("extract", str(tmp_path / "e.txt")), 1, "e.txt", "empty")
    result = run_kg("extract", str(tmp_path / "e.txt"), "--format", "yaml")
    assert_clean_failure(result, 2, "yaml")
    assert "nquads" in result.stderr and "turtle" in result.stderr
    assert keywords.parsed == []


def test_extract_from_stdin(keywords) -> None:
    result = run_kg("extract", "-", "-f", "ntriples", input=TEXT_ARTICLE)
    assert result.exit_code == 0, result.stderr
    triples = list(ox.parse(result.stdout_bytes, format=ox.RdfFormat.N_TRIPLES))
    assert any(t.object == ox.Literal("Anna Berg") for t in triples)


# ---------------------------------------------------------------- query


def test_query_formats(filled: Path) -> None:
    base = ["query", SELECT_PEOPLE, "--store", str(filled)]
    names = ["Anna Berg", "Lina Okafor", "Tomas Reyes"]

    table = run_kg(*base).stdout.splitlines()
    assert table[0].strip() == "name" and table[1].startswith("---")
    assert [line.strip() for line in table[2:5]] == names and table[-1] == "(3 rows)"

    result = json.loads(run_kg(*base, "-f", "json").stdout)
    assert [b["name"]["value"] for b in result["results"]["bindings"]] == names

    rows = list(csv.reader(io.StringIO(run_kg(*base, "-f", "csv").stdout)))
    assert rows == [["name"], *([n] for n in names)]

    tsv = run_kg(*base, "-f", "tsv").stdout.splitlines()
    assert tsv == ["?name", *(f'"{n}"' for n in names)]

    root = ET.fromstring(run_kg(*base, "-f", "xml").stdout_bytes)
    ns = "{http://www.w3.org/2005/sparql-results#}"
    assert [e.text for e in root.iter(f"{ns}literal")] == names


def test_query_ask_construct_and_files(filled: Path, tmp_path: Path) -> None:
    store = ["--store", str(filled)]
    assert run_kg("query", "ASK { ?x a schema:Person }", *store).stdout == "true\n"
    construct = run_kg("query", "CONSTRUCT WHERE { ?p a schema:Person }", *store)
    assert len(rdflib.Graph().parse(data=construct.stdout, format="turtle")) == 3
    query_file = tmp_path / "people.rq"
    query_file.write_text(SELECT_PEOPLE, encoding="utf-8")
    from_file = run_kg("query", "--file", str(query_file), *store, "-f", "csv")
    assert from_file.stdout.splitlines()[1] == "Anna Berg"
    from_stdin = run_kg("query", "-", *store, "-f", "csv", input=SELECT_PEOPLE)
    assert from_stdin.stdout == from_file.stdout
    wrong = run_kg("query", "ASK { ?x ?y ?z }", *store, "-f", "turtle")
    assert_clean_failure(wrong, 2, "turtle")


def test_query_errors(filled: Path) -> None:
    store = ["--store", str(filled)]
    bad = run_kg("query", "SELECT ?x WHERE { ?x schema:name }", *store)
    assert_clean_failure(bad, 1, "invalid SPARQL", "line 1")
    assert len(bad.stderr.splitlines()) == 2  # error and hint, however long the parser's list

    # asking for what does not exist is a usage mistake: exit 2, as everywhere
    unknown = run_kg("query", "--name", "no-such-query", *store)
    assert_clean_failure(unknown, 2, "no-such-query")
    assert "posts-of-person" in unknown.stderr  # the hint lists what exists

    param = run_kg("query", "--name", "posts-of-person", "--param", "nmae=Berg", *store)
    assert_clean_failure(param, 2, "nmae")
    missing = run_kg("query", "--name", "posts-of-person", *store)
    assert_clean_failure(missing, 2, "name")

    update = run_kg("query", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", *store)
    assert_clean_failure(update, 2, "read-only")
    assert "kg ingest" in update.stderr
    prefix = run_kg("query", "SELECT * WHERE { ?s foo:bar ?o }", *store)
    assert_clean_failure(prefix, 2, "unknown prefix 'foo:'")
    assert len(prefix.stderr.splitlines()) == 2

    by_name = run_kg("query", "posts-of-person", *store)  # a name where SPARQL goes
    assert_clean_failure(by_name, 2, "is the name of a named query")
    assert "kg query --name posts-of-person" in by_name.stderr

    no_store = run_kg("query", SELECT_PEOPLE, "--store", str(filled.parent / "none"))
    assert_clean_failure(no_store, 1, "no store at")
    assert not (filled.parent / "none").exists()


def test_named_query(filled: Path) -> None:
    result = run_kg("query", "--name", "posts-of-person", "--param", "name=berg", "-f", "json",
                    "--store", str(filled))
    assert result.exit_code == 0, result.stderr
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert {(b["personLabel"]["value"], b["post"]["value"]) for b in bindings} == {
        ("Anna Berg", "Secretary General")}
    table = run_kg("query", "-n", "posts-of-person", "-p", "name=berg", "--store", str(filled))
    assert "Secretary General" in table.stdout
    assert "berg" not in table.stdout.splitlines()[0]  # the parameter's echo column is hidden


def test_queries_lists_named_queries() -> None:
    result = run_kg("queries")
    assert result.exit_code == 0
    assert "posts-of-person" in result.stdout and "--param name=" in result.stdout
    listed = json.loads(run_kg("queries", "-f", "json").stdout)
    names = {q["name"] for q in listed}
    assert {"posts-of-person", "timeline"} <= names
    assert all(q["title"] for q in listed)


# ---------------------------------------------------------------- export


def _parse_back(path: Path, fmt: str) -> int:
    """Statements in an exported file, read back with rdflib (an independent parser)."""
    data = path.read_bytes()
    if fmt in ("nquads", "trig", "jsonld"):
        dataset = rdflib.Dataset()
        dataset.parse(data=data, format={"nquads": "nquads", "trig": "trig",
                                         "jsonld": "json-ld"}[fmt])
        return sum(len(g) for g in dataset.graphs())
    graph = rdflib.Graph().parse(data=data, format={"ntriples": "nt", "turtle": "turtle",
                                                    "rdfxml": "xml"}[fmt])
    return len(graph)


@pytest.mark.parametrize("fmt", cli.RDF_FORMATS)
def test_export_round_trips_in_every_format(fmt: str, filled: Path, tmp_path: Path) -> None:
    total = len(read_quads(filled))
    default = count_lines(filled, None)
    river = article_graph("https://news.example.org/harbour/river-talks")
    dataset = fmt in ("nquads", "trig", "jsonld")

    out = tmp_path / f"all.{fmt}"
    result = run_kg("export", "--format", fmt, "-o", str(out), "--store", str(filled))
    assert result.exit_code == 0, result.stderr
    assert _parse_back(out, fmt) == (total if dataset else default)
    assert ("note:" in result.stderr) is (not dataset)
    reparsed = list(ox.parse(path=str(out), format=cli_format(fmt)))
    assert len(reparsed) == (total if dataset else default)

    one = tmp_path / f"one.{fmt}"
    result = run_kg("export", "--graph", river, "-f", fmt, "-o", str(one), "--store", str(filled))
    assert result.exit_code == 0, result.stderr
    assert _parse_back(one, fmt) == count_lines(filled, river)
    if dataset:
        names = {q.graph_name for q in ox.parse(path=str(one), format=cli_format(fmt))}
        assert names == {ox.NamedNode(river)}


def cli_format(fmt: str) -> ox.RdfFormat:
    from kg.export import FORMATS

    return FORMATS[fmt]


def test_export_format_from_extension_and_stdout(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "merged.ttl"
    result = run_kg("export", "-o", str(out), "--store", str(filled))
    assert result.exit_code == 0 and "(turtle)" in result.stderr
    assert len(rdflib.Graph().parse(out, format="turtle")) == count_lines(filled, None)

    stdout = run_kg("export", "--store", str(filled))
    assert len(stdout.stdout_bytes.splitlines()) == len(read_quads(filled))  # N-Quads
    graph = run_kg("export", "--graph", "https://news.example.org/harbour/river-talks",
                   "-f", "nt", "--store", str(filled))
    assert graph.exit_code == 0 and b"Port Amber" in graph.stdout_bytes
    assert list(tmp_path.glob(".*.tmp")) == []


def test_export_errors(filled: Path, tmp_path: Path) -> None:
    store = ["--store", str(filled)]
    fmt = run_kg("export", "-f", "yaml", *store)
    assert_clean_failure(fmt, 2, "yaml")
    assert all(name in fmt.stderr for name in cli.RDF_FORMATS)
    assert_clean_failure(run_kg("export", "-o", str(tmp_path / "x.docx"), *store), 2, "x.docx")
    assert_clean_failure(run_kg("export", "--graph", "https://nowhere.example/g", *store), 1,
                         "https://nowhere.example/g")
    cannot = run_kg("export", "-o", str(tmp_path / "no" / "dir" / "x.nq"), *store)
    assert_clean_failure(cannot, 1, "x.nq")
    assert not (tmp_path / "no").exists()


def test_format_lists_match_the_library() -> None:
    from kg import export, queries

    assert cli.RDF_FORMATS == export.FORMAT_NAMES
    assert set(cli.TRIPLE_FORMATS) == set(export.FORMAT_NAMES) - set(export.DATASET_FORMATS)
    assert ("table", *cli.QUERY_FORMATS[1:]) == queries.SOLUTION_FORMAT_NAMES
    assert set(cli.GRAPH_QUERY_FORMATS) == set(queries.GRAPH_FORMAT_NAMES) - {
        "table", "json", "xml"}


# ---------------------------------------------------------------- encodings


def test_a_weak_encoding_guess_warns_and_still_ingests(tmp_path: Path, store_path: Path,
                                                       keywords) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    geneva = folder / "geneva.txt"
    geneva.write_bytes("Réunion à Genève\n\nAnna Berg met Tomas Reyes in Lakeside on "
                       "2024-03-14 à Genève.\n".encode("latin-1"))
    (folder / "wide.txt").write_bytes("Talks\n\nLina Okafor, Chair of the Harbour Union, "
                                      "spoke.\n".encode("utf-16-le"))
    result = run_kg("ingest", str(folder), "--store", str(store_path))
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    [at] = [i for i, line in enumerate(lines) if line.startswith("warning: ")]
    assert str(geneva) in lines[at] and "read as cp1252" in lines[at]
    assert lines[at + 1].startswith("hint: ") and "--encoding" in lines[at + 1]
    assert result.stdout.startswith("read 2, stored 2, skipped 0 unchanged, failed 0, "
                                    "1 input read on a weak encoding guess;")
    # Named, the encoding is used as told: no guess, no warning, the article re-read.
    told = run_kg("ingest", str(geneva), "--store", str(store_path), "--encoding", "cp1250")
    assert told.exit_code == 0 and "warning" not in told.stderr
    assert told.stdout.startswith("read 1, stored 1,")
    extracted = run_kg("extract", str(geneva), "--encoding", "cp1250", "--explain")
    assert "Réunion ŕ Genčve" in extracted.stdout and "warning" not in extracted.stderr
    guessed = run_kg("extract", str(geneva), "--explain")
    assert "Réunion à Genève" in guessed.stdout and "warning: " in guessed.stderr


def test_an_unknown_encoding_is_a_usage_error(tmp_path: Path, store_path: Path, keywords,
                                              articles: Path) -> None:
    bad = run_kg("ingest", str(articles), "--store", str(store_path), "--encoding", "latin-99")
    assert_clean_failure(bad, 2, "unknown encoding 'latin-99'")
    assert not store_path.exists()
    assert_clean_failure(run_kg("extract", str(articles / "lakes.txt"), "--encoding", "x-9"),
                         2, "x-9")


# ---------------------------------------------------------------- validate


def test_validate_exit_codes(filled: Path, tmp_path: Path) -> None:
    ok = run_kg("validate", "--store", str(filled))
    assert ok.exit_code == 0, ok.stdout + ok.stderr
    assert "conforms" in ok.stdout

    broken = tmp_path / "broken"
    store = ox.Store(str(broken))
    membership = ox.NamedNode("https://w3id.org/newskg/id/membership/incomplete")
    store.add(ox.Quad(membership, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                      ox.NamedNode("http://www.w3.org/ns/org#Membership")))
    store.flush()
    del store
    bad = run_kg("validate", "--store", str(broken))
    assert bad.exit_code == 1, bad.stdout + bad.stderr
    assert "does not conform" in bad.stdout and str(membership.value) in bad.stdout
    assert "Traceback" not in bad.stdout + bad.stderr
    # pyshacl (--full) prints the very same report as the shapes compiled to SPARQL.
    for store_dir, code, report in ((filled, 0, ok.stdout), (broken, 1, bad.stdout)):
        full = run_kg("validate", "--full", "--store", str(store_dir))
        assert (full.exit_code, full.stdout) == (code, report), full.stdout + full.stderr

    missing = run_kg("validate", "--store", str(tmp_path / "none"))
    assert_clean_failure(missing, 2, "no store")
    no_shapes = run_kg("validate", "--store", str(filled), env={"KG_ONTOLOGY_DIR": str(tmp_path)})
    assert_clean_failure(no_shapes, 2, "KG_ONTOLOGY_DIR")


# ---------------------------------------------------------------- remove


def test_remove_drops_the_graph_and_what_only_it_said(filled: Path, articles: Path) -> None:
    lakes = articles / "lakes.txt"
    graph = article_graph(lakes.resolve().as_uri())
    result = run_kg("remove", str(lakes), "--store", str(filled))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [f"removed {lakes.resolve().as_uri()}  ({graph})",
                                          "removed 1 article"]
    default = graph_lines(filled, None)
    assert not any(graph in quad for quad in read_quads(filled))
    assert not any("/place/lakeside>" in line for line in default)  # only lakes.txt said it
    assert any('"Anna Berg"' in line for line in default)  # the wire articles say it too
    stats = json.loads(run_kg("stats", "-f", "json", "--store", str(filled)).stdout)
    assert stats["articles"] == ARTICLE_COUNT - 1


def test_remove_unknown_source(filled: Path) -> None:
    before = read_quads(filled)
    result = run_kg("remove", "https://news.example.org/harbour/river-talks",
                    "https://news.example.org/missing", "--store", str(filled))
    assert_clean_failure(result, 1, "https://news.example.org/missing")
    assert "hint:" in result.stderr and "nothing was removed" in result.stderr
    assert read_quads(filled) == before


# ---------------------------------------------------------------- the real model


@pytest.mark.slow
def test_ingest_and_extract_with_the_installed_model(tmp_path: Path) -> None:
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "summit.txt").write_text(
        "Ministers meet in Geneva\n\n12 March 2024\n\n"
        "GENEVA, 12 March 2024. United Nations Secretary-General Antonio Guterres met "
        "Foreign Minister Sergei Lavrov in Geneva on Tuesday to discuss grain exports.\n",
        encoding="utf-8")
    store = tmp_path / "store"
    env = {**os.environ, "KG_STORE": str(store)}
    ingest = kg_process("ingest", str(folder), "--jobs", "2", env=env)
    assert ingest.returncode == 0, ingest.stderr
    assert ingest.stdout.decode().startswith("read 1, stored 1")
    people = kg_process("query", SELECT_PEOPLE, "-f", "csv", env=env)
    assert people.returncode == 0, people.stderr
    assert b"Lavrov" in people.stdout
    dry = kg_process("extract", str(folder / "summit.txt"), "-f", "nquads", env=env)
    assert dry.returncode == 0, dry.stderr
    quads = list(ox.parse(dry.stdout, format=ox.RdfFormat.N_QUADS))
    assert any(q.object == ox.NamedNode("http://schema.org/Person") for q in quads)
    assert kg_process("validate", env=env).returncode in (0, 1)


# ---------------------------------------------------------------- progress, interrupts


def test_the_status_line_is_drawn_only_on_a_terminal(capsys: pytest.CaptureFixture[str],
                                                     tmp_path: Path) -> None:
    from kg.pipeline import Failure, IngestReport, Progress

    report = IngestReport(store=tmp_path)
    live = cli._StatusLine(live=True)
    report.read, report.stored = 1, 1
    live(Progress("a.txt", "stored", report))
    report.read += 1
    failure = Failure("b.txt looks like a binary file", "convert it")
    report.failed.append(failure)
    live(Progress("b.txt", "failed", report, failure))
    err = capsys.readouterr().err  # click drops the erase-line code off a terminal
    assert err.startswith("\ringesting: read 1, stored 1, skipped 0, failed 0  a.txt\r")
    assert err.endswith("error: b.txt looks like a binary file\nhint: convert it\n")

    # each error with its hint under it; a hint already given is not repeated
    quiet = cli._StatusLine(live=False)
    quiet(Progress("a.txt", "stored", report))
    quiet(Progress("b.txt", "failed", report, failure))
    other = Failure("c.txt looks like a binary file", "convert it")
    quiet(Progress("c.txt", "failed", report, other))
    assert capsys.readouterr().err == (
        "error: b.txt looks like a binary file\nhint: convert it\n"
        "error: c.txt looks like a binary file\n"
    )


def test_the_status_line_is_a_bar_when_the_total_is_known(capsys: pytest.CaptureFixture[str],
                                                          tmp_path: Path) -> None:
    from kg.pipeline import IngestReport, Progress

    report = IngestReport(store=tmp_path)
    report.read, report.stored = 1, 1
    cli._StatusLine(live=True, total=4)(Progress("a.txt", "stored", report))
    assert capsys.readouterr().err.startswith(
        "\r[######------------------] 1/4  stored 1, skipped 0, failed 0  a.txt")


def test_an_interrupted_ingest_says_what_was_kept(articles: Path, store_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.pipeline import IngestReport, Progress

    def interrupted(paths, store, *, progress, **options):
        report = IngestReport(store=store, read=3, stored=2)
        progress(Progress("a.txt", "stored", report))
        raise KeyboardInterrupt

    monkeypatch.setattr("kg.pipeline.ingest", interrupted)
    result = run_kg("ingest", str(articles), "--store", str(store_path))
    assert result.exit_code == 130
    assert result.stdout.startswith("read 3, stored 2")
    assert errors(result) == ["error: interrupted"]
    assert "run the same command again" in result.stderr
