"""The pipeline as a library: ingest, replace, skip, remove, failures, dry run, resources."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import (
    ARTICLE_COUNT,
    HTML_ARTICLE,
    TEXT_ARTICLE,
    KeywordExtractor,
    count_lines,
    graph_lines,
    read_quads,
    write_articles,
)

from kg import pipeline, resources
from kg.errors import KGError, StoreError, UsageError
from kg.extract import Extractor
from kg.resolve import article_graph
from kg.store import KGStore
from kg.vocab import DERIVED_GRAPH, KGO, ONTOLOGY_GRAPH


def ingest(paths: list[Path | str], store: Path, extractor=None, **options
           ) -> pipeline.IngestReport:
    return pipeline.ingest([str(p) for p in paths], store,
                           extractor=extractor or KeywordExtractor(), **options)


def graph_of(path: Path) -> str:
    return article_graph(path.resolve().as_uri())


def article_graphs(store: Path) -> set[str]:
    with KGStore(store, read_only=True) as kg:
        return {graph for graph, _ in kg.article_graphs()}


# ---------------------------------------------------------------- ingest


def test_ingest_folder_of_every_kind_then_stats(articles: Path, store_path: Path) -> None:
    report = ingest([articles], store_path)

    assert (report.read, report.stored, report.skipped, report.failed) == (5, 5, 0, [])
    assert report.ontology_loaded
    assert report.facts["person"] == 8 and report.facts["membership"] == 3
    assert report.facts["event"] == 3
    assert report.summary().startswith("read 5, stored 5, skipped 0 unchanged, failed 0; facts: ")
    assert "8 persons" in report.summary() and "3 memberships" in report.summary()

    stats = pipeline.stats(store_path)
    assert stats["articles"] == ARTICLE_COUNT
    assert stats["graphs"] == ARTICLE_COUNT + 2  # and the ontology's and the derived graph
    by_class = stats["entities_by_class"]
    assert by_class["http://schema.org/Person"] == 3  # merged across articles
    assert by_class["http://www.w3.org/ns/org#Organization"] == 2
    assert by_class["http://schema.org/NewsArticle"] == ARTICLE_COUNT
    assert by_class["https://w3id.org/newskg/ontology#Meeting"] == 3


def test_default_graph_is_the_union_of_article_graphs_once(articles: Path, store_path: Path
                                                           ) -> None:
    ingest([articles], store_path)
    union: set[str] = set()
    for graph in [*article_graphs(store_path), DERIVED_GRAPH]:  # and what the store derives
        union |= graph_lines(store_path, graph)
    own = [f"<{p}>" for p in (KGO.uncurated, KGO.unlinked, KGO.nameAlone)]
    union = {line for line in union if not any(f" {p} " in line for p in own)}
    default = graph_lines(store_path, None)
    axioms = {line for line in default if "rdf-schema#subClassOf" in line}
    assert default - axioms == union - axioms
    assert count_lines(store_path, None) == len(default)  # no triple twice


def test_an_ingest_leaves_no_write_ahead_log_behind(articles: Path, store_path: Path) -> None:
    """RocksDB's log of the session (several times the data) is folded in on closing."""
    ingest([articles], store_path)
    logs = list(store_path.glob("*.log"))
    assert logs and all(log.stat().st_size == 0 for log in logs)
    assert len(read_quads(store_path)) > 100  # the data is in the tables, not lost with it


@pytest.mark.parametrize("every", [2_000, 10**12])
def test_a_long_write_session_is_flushed_as_it_goes(articles: Path, store_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   every: int) -> None:
    """Written tables appear while the store is open once FLUSH_EVERY characters went in:
    RocksDB would otherwise hold the whole session in memory (and in its log)."""
    monkeypatch.setattr("kg.store.FLUSH_EVERY", every)
    with KGStore(store_path) as store:
        store.ensure_ontology(resources.ontology_file())
        flushes = []
        real = store.raw

        class Counting:  # the store as KGStore sees it, counting its flushes
            def __getattr__(self, name: str) -> object:
                return getattr(real, name)

            def flush(self) -> None:
                flushes.append(set(store_path.glob("*.sst")))
                real.flush()
                flushes[-1] = set(store_path.glob("*.sst")) - flushes[-1]

        store._store = Counting()  # type: ignore[assignment]
        for n in range(5):
            store.add_to_graph(f"https://w3id.org/newskg/graph/test-{n}", [(
                ox.NamedNode(f"https://e.org/s{n}"), ox.NamedNode("https://e.org/p"),
                ox.Literal("x" * 1000))])
        store._store = real
    # (RocksDB may also flush or compact on its own in the background: only what our
    # flushes wrote counts)
    assert bool(flushes) == (every < 10**6)
    assert all(flushes)  # each flush wrote a table


def test_reingesting_an_edited_article_leaves_nothing_of_the_old_version(
    tmp_path: Path, store_path: Path
) -> None:
    article = tmp_path / "in" / "lakes.txt"
    article.parent.mkdir()
    article.write_text(TEXT_ARTICLE, encoding="utf-8")
    other = tmp_path / "in" / "other.txt"
    other.write_text("Harbour news\n\nTomas Reyes spoke in Port Amber.\n", encoding="utf-8")
    ingest([article, other], store_path)
    graph = graph_of(article)
    before = graph_lines(store_path, graph)
    assert any("Anna Berg" in line for line in before)

    edited = TEXT_ARTICLE.replace("Anna Berg", "Lina Okafor").replace(
        "Lake council meets", "Lake council convenes")
    article.write_text(edited, encoding="utf-8")
    report = ingest([article], store_path)
    assert (report.stored, report.skipped) == (1, 0)

    after_graph = graph_lines(store_path, graph)
    default = graph_lines(store_path, None)
    for lines in (after_graph, default):
        assert not any('"Anna Berg"' in line for line in lines)
        assert not any("Lake council meets" in line for line in lines)
        assert not any("/person/anna-berg>" in line for line in lines)
    assert any('"Lina Okafor"' in line for line in after_graph)
    assert any("Lake council convenes" in line for line in default)
    assert count_lines(store_path, graph) == len(after_graph)
    assert count_lines(store_path, None) == len(default)

    # The store is what ingesting the edited version from scratch gives.
    fresh = tmp_path / "fresh"
    ingest([article, other], fresh)
    assert read_quads(store_path) == read_quads(fresh)


def test_unchanged_articles_are_skipped_before_parsing(articles: Path, store_path: Path) -> None:
    ingest([articles], store_path)
    before = read_quads(store_path)
    extractor = KeywordExtractor()
    report = ingest([articles], store_path, extractor=extractor)
    assert (report.read, report.stored, report.skipped, report.failed) == (5, 0, 5, [])
    assert extractor.parsed == []
    assert not report.facts
    assert report.summary() == "read 5, stored 0, skipped 5 unchanged, failed 0; facts: none"
    assert read_quads(store_path) == before


def test_only_changed_articles_are_parsed_again(articles: Path, store_path: Path) -> None:
    ingest([articles], store_path)
    (articles / "harbour.md").write_text("# Harbour news\n\nLina Okafor left.\n", encoding="utf-8")
    extractor = KeywordExtractor()
    report = ingest([articles], store_path, extractor=extractor)
    assert (report.stored, report.skipped) == (1, 4)
    assert extractor.parsed == [str(articles / "harbour.md")]


def test_a_new_extractor_version_reextracts(articles: Path, store_path: Path) -> None:
    ingest([articles], store_path)
    newer = KeywordExtractor()
    newer.version = "keywords-2"
    report = ingest([articles], store_path, extractor=newer)
    assert (report.stored, report.skipped) == (5, 0)


def test_the_same_article_twice_in_one_run_is_stored_once(tmp_path: Path, store_path: Path
                                                          ) -> None:
    line = json.dumps({"url": "https://news.example.org/dup", "text": "Anna Berg spoke."})
    feed = tmp_path / "dup.jsonl"
    feed.write_text(f"{line}\n{line}\n", encoding="utf-8")
    report = ingest([feed], store_path)
    assert (report.read, report.stored, report.skipped) == (2, 1, 1)


def test_ingest_with_the_blank_pipeline(articles: Path, store_path: Path) -> None:
    report = pipeline.ingest([str(articles)], store_path, extractor=Extractor("blank:en"))
    assert (report.stored, report.failed) == (ARTICLE_COUNT, [])
    assert pipeline.stats(store_path)["articles"] == ARTICLE_COUNT
    again = pipeline.ingest([str(articles)], store_path, model="blank:en")
    assert again.skipped == ARTICLE_COUNT


def test_two_processes_give_the_same_store_as_one(articles: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    pipeline.ingest([str(articles)], one, model="blank:en", jobs=1, batch_size=2)
    report = pipeline.ingest([str(articles)], two, model="blank:en", jobs=2, batch_size=2)
    assert report.stored == ARTICLE_COUNT
    assert read_quads(one) == read_quads(two)


def test_progress_reports_every_article(articles: Path, store_path: Path) -> None:
    (articles / "empty.txt").write_text("", encoding="utf-8")
    events: list[pipeline.Progress] = []
    report = ingest([articles], store_path, progress=events.append)
    assert sorted(e.outcome for e in events) == ["failed"] + ["stored"] * 5
    assert all(e.report is report for e in events)
    [failed] = [e for e in events if e.outcome == "failed"]
    assert failed.failure is not None and "empty.txt" in failed.failure.message


def test_bad_options_are_usage_errors(articles: Path, store_path: Path) -> None:
    with pytest.raises(UsageError, match="--jobs"):
        ingest([articles], store_path, jobs=0)
    with pytest.raises(UsageError, match="--batch-size"):
        ingest([articles], store_path, batch_size=0)
    with pytest.raises(UsageError, match="nothing to ingest"):
        pipeline.ingest([], store_path)
    assert not store_path.exists()


# ---------------------------------------------------------------- failures


def test_bad_inputs_are_recorded_and_the_rest_stored(articles: Path, tmp_path: Path,
                                                      store_path: Path) -> None:
    (articles / "blob.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (articles / "empty.md").write_text("   \n", encoding="utf-8")
    (articles / "wire.jsonl").write_text(
        '{"url": "https://news.example.org/ok", "text": "Anna Berg spoke."}\n{"text": "cut\n',
        encoding="utf-8")
    report = ingest([articles, tmp_path / "missing.txt"], store_path)
    messages = [f.message for f in report.failed]
    assert len(messages) == 4, messages
    assert any("blob.txt" in m and "binary" in m for m in messages)
    assert any("empty.md" in m for m in messages)
    assert any("wire.jsonl:2" in m for m in messages)
    assert any("missing.txt" in m for m in messages)
    assert all(f.hint for f in report.failed)
    assert report.stored == 4 and report.read == 8


def test_only_bad_inputs_create_no_store(tmp_path: Path, store_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4")
    report = ingest([tmp_path / "x.pdf", tmp_path / "nope.txt"], store_path)
    assert report.stored == 0 and len(report.failed) == 2
    assert not store_path.exists()


def test_a_failed_write_leaves_no_part_of_the_article(
    articles: Path, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = KGStore.replace_article
    calls: list[str] = []

    def flaky(self: KGStore, graph: str, triples) -> None:
        calls.append(graph)
        if len(calls) == 2:
            list(triples)
            raise StoreError("writing to the store failed: disk full", "free some space")
        original(self, graph, triples)

    monkeypatch.setattr(KGStore, "replace_article", flaky)
    report = ingest([articles], store_path)
    monkeypatch.undo()
    assert report.stored == ARTICLE_COUNT - 1
    [failure] = report.failed
    assert "disk full" in failure.message and failure.source in failure.message

    failed_graph, first_graph = calls[1], calls[0]
    assert failed_graph not in article_graphs(store_path)
    assert not any(failed_graph in line for line in read_quads(store_path))
    failed_source = failure.source
    assert failed_source is not None
    # No triple about the failed article is left in the default graph either.
    article_iri = failed_graph.replace("/graph/article/", "/id/article/")
    assert not any(article_iri in line for line in graph_lines(store_path, None))

    # The first article is stored whole: as a clean ingest of it alone stores it.
    clean = store_path.parent / "clean"
    ingest([articles], clean)
    assert graph_lines(store_path, first_graph) == graph_lines(clean, first_graph)


def test_a_mapping_failure_mid_article_writes_nothing_of_it(
    articles: Path, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg import mapping

    def broken(resolved):
        yield from list(mapping.to_triples(resolved))[:3]
        if "river" in resolved.extraction.document.source:
            raise ValueError("no IRI for this entity")
        yield from list(mapping.to_triples(resolved))[3:]

    monkeypatch.setattr(pipeline, "to_triples", broken)
    report = ingest([articles], store_path)
    [failure] = report.failed
    assert "river.html" in failure.message and "ValueError" in failure.message
    assert "bug" in failure.hint
    river = article_graph("https://news.example.org/harbour/river-talks")
    assert river not in article_graphs(store_path)
    assert not any("river-talks" in line for line in read_quads(store_path))
    assert report.stored == ARTICLE_COUNT - 1


def test_an_extractor_crash_on_one_article_spares_the_others(articles: Path, store_path: Path
                                                              ) -> None:
    extractor = KeywordExtractor(fail_on="water quotas")
    report = ingest([articles], store_path, extractor=extractor, batch_size=8)
    [failure] = report.failed
    assert failure.source is not None and failure.source.endswith("lakes.txt")
    assert "cannot read 'water quotas'" in failure.message
    assert report.stored == ARTICLE_COUNT - 1
    assert len(article_graphs(store_path)) == ARTICLE_COUNT - 1


def test_an_extractor_failing_before_any_article_fails_the_run(articles: Path, store_path: Path
                                                               ) -> None:
    class Broken(KeywordExtractor):
        def pipe(self, documents, *, batch_size=16, n_process=1):
            raise KGError("the pipeline cannot start", "reinstall it")
            yield  # pragma: no cover

    with pytest.raises(KGError, match="cannot start"):
        ingest([articles], store_path, extractor=Broken())


def test_a_locked_store_is_a_clear_error_and_stays_unchanged(articles: Path, store_path: Path
                                                              ) -> None:
    ingest([articles / "lakes.txt"], store_path)
    before = read_quads(store_path)
    holder = ox.Store(str(store_path))
    try:
        with pytest.raises(StoreError, match="in use by another process"):
            ingest([articles], store_path)
    finally:
        del holder
    assert read_quads(store_path) == before


# ---------------------------------------------------------------- remove


def test_remove_keeps_what_another_article_also_says(tmp_path: Path, store_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    one = folder / "one.txt"
    two = folder / "two.txt"
    one.write_text("Lakes\n\nAnna Berg, Secretary General of the Council of Lakes, spoke in "
                   "Lakeside.\n", encoding="utf-8")
    two.write_text("Harbour\n\nAnna Berg visited the Harbour Union.\n", encoding="utf-8")
    ingest([one, two], store_path)
    anna = ('<https://w3id.org/newskg/id/person/anna-berg> '
            '<http://www.w3.org/2000/01/rdf-schema#label> "Anna Berg" .')
    assert anna in graph_lines(store_path, None)

    removed = pipeline.remove([str(one)], store_path)
    assert [r.graph for r in removed] == [graph_of(one)]
    assert graph_of(one) not in article_graphs(store_path)
    default = graph_lines(store_path, None)
    assert anna in default  # two.txt says it too
    assert not any("/place/lakeside>" in line for line in default)  # only one.txt said it
    assert not any("/organization/council-of-lakes>" in line for line in default)
    assert not any("membership/" in line for line in default)

    only_two = tmp_path / "only-two"
    ingest([two], only_two)
    assert read_quads(store_path) == read_quads(only_two)


def test_removing_two_articles_at_once_drops_what_both_said(tmp_path: Path, store_path: Path
                                                             ) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    one, two, three = folder / "one.txt", folder / "two.txt", folder / "three.txt"
    one.write_text("Lakes\n\nAnna Berg spoke in Lakeside.\n", encoding="utf-8")
    two.write_text("Harbour\n\nAnna Berg visited the Harbour Union.\n", encoding="utf-8")
    three.write_text("Hills\n\nOla Dahl walked in the hills.\n", encoding="utf-8")
    ingest([one, two, three], store_path)

    removed = pipeline.remove([str(one), str(two)], store_path)  # one transaction for both
    assert {r.graph for r in removed} == {graph_of(one), graph_of(two)}
    assert not any("/person/anna-berg>" in line for line in graph_lines(store_path, None))
    only_three = tmp_path / "only-three"
    ingest([three], only_three)
    assert read_quads(store_path) == read_quads(only_three)


def test_remove_by_url_graph_iri_and_jsonl_file(articles: Path, store_path: Path) -> None:
    ingest([articles], store_path)
    river = article_graph("https://news.example.org/harbour/river-talks")
    assert [r.graph for r in pipeline.remove(["https://news.example.org/harbour/river-talks"],
                                             store_path)] == [river]
    lakes = graph_of(articles / "lakes.txt")
    assert [r.graph for r in pipeline.remove([lakes], store_path)] == [lakes]
    removed = pipeline.remove([str(articles / "wire.jsonl")], store_path)
    assert {r.url for r in removed} == {r["url"] for r in
                                        [json.loads(x) for x in (articles / "wire.jsonl")
                                         .read_text().splitlines()]}
    assert pipeline.stats(store_path)["articles"] == 1


def test_remove_a_deleted_file_and_a_folder(articles: Path, store_path: Path) -> None:
    ingest([articles], store_path)
    (articles / "lakes.txt").unlink()
    assert len(pipeline.remove([str(articles / "lakes.txt")], store_path)) == 1
    assert len(pipeline.remove([str(articles)], store_path)) == ARTICLE_COUNT - 1
    assert pipeline.stats(store_path)["articles"] == 0


def test_remove_an_unknown_source_removes_nothing(articles: Path, store_path: Path) -> None:
    ingest([articles], store_path)
    before = read_quads(store_path)
    with pytest.raises(KGError, match="no article in the store") as caught:
        pipeline.remove([str(articles / "lakes.txt"), "https://news.example.org/never"],
                        store_path)
    assert "kg stats --graphs" in caught.value.hint
    assert read_quads(store_path) == before


# ---------------------------------------------------------------- dry run, reads


def test_extract_is_a_dry_run(tmp_path: Path) -> None:
    page = tmp_path / "river.html"
    page.write_text(HTML_ARTICLE, encoding="utf-8")
    result = pipeline.extract(page, extractor=KeywordExtractor())
    [article] = result.articles
    assert article.graph == article_graph("https://news.example.org/harbour/river-talks")
    quads = list(result.quads())
    assert quads and all(q.graph_name == ox.NamedNode(article.graph) for q in quads)
    assert any(q.object == ox.Literal("Tomas Reyes") for q in quads)
    assert result.failed == []
    assert list(tmp_path.iterdir()) == [page]


def test_extract_reports_bad_lines_and_keeps_good_ones(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    feed.write_text('{"text": "Anna Berg spoke."}\n[1, 2]\n', encoding="utf-8")
    result = pipeline.extract(str(feed), extractor=KeywordExtractor())
    assert len(result.articles) == 1
    [failure] = result.failed
    assert "feed.jsonl:2" in failure.message


def test_read_commands_open_the_store_read_only(articles: Path, store_path: Path) -> None:
    ingest([articles], store_path)
    with KGStore(store_path):  # another process writing
        stats = pipeline.stats(store_path, graphs=True)
        assert len(stats["article_graphs"]) == ARTICLE_COUNT
        assert pipeline.validate(store_path).conforms


def test_reading_a_missing_store_says_so(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        pipeline.stats(tmp_path / "none")
    assert not (tmp_path / "none").exists()


def test_ontology_graph_is_loaded_once(articles: Path, store_path: Path) -> None:
    ingest([articles / "lakes.txt"], store_path)
    size = count_lines(store_path, ONTOLOGY_GRAPH)
    assert size > 50
    report = ingest([articles / "harbour.md"], store_path)
    assert not report.ontology_loaded
    assert count_lines(store_path, ONTOLOGY_GRAPH) == size


# ---------------------------------------------------------------- resources


def test_resources_are_found_next_to_the_package() -> None:
    assert resources.ontology_file().name == "newskg.ttl"
    assert (resources.ontology_dir() / "shapes.ttl").is_file()
    assert any(resources.queries_dir().glob("*.rq"))


def test_resource_overrides_must_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(resources.ONTOLOGY_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(KGError, match="KG_ONTOLOGY_DIR") as caught:
        resources.ontology_dir()
    assert "unset it" in caught.value.hint
    monkeypatch.setenv(resources.QUERIES_ENV, str(tmp_path))
    assert resources.queries_dir() == tmp_path


def test_a_missing_ontology_fails_ingest_before_writing(
    articles: Path, store_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(resources.ONTOLOGY_ENV, str(tmp_path))
    with pytest.raises(KGError, match="newskg.ttl"):
        ingest([articles], store_path)
    assert read_quads(store_path) == set()


def test_write_articles_fixture_matches_the_count(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "a")
    from kg.sources import read_sources

    assert sum(1 for _ in read_sources([str(folder)])) == ARTICLE_COUNT
    assert TEXT_ARTICLE in (folder / "lakes.txt").read_text(encoding="utf-8")


def test_a_rule_crash_with_two_processes_spares_the_others(
    articles: Path, store_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kg.extract.rules import Rules

    original = Rules.extract

    def fragile(self, document, doc):
        if "water quotas" in document.text:
            raise IndexError("rule fell off the end of the sentence")
        return original(self, document, doc)

    monkeypatch.setattr(Rules, "extract", fragile)
    report = pipeline.ingest([str(articles)], store_path, model="blank:en", jobs=2,
                             batch_size=2)
    [failure] = report.failed
    assert failure.source is not None and failure.source.endswith("lakes.txt")
    assert "IndexError" in failure.message and "bug" in failure.hint
    assert report.stored == ARTICLE_COUNT - 1
    assert graph_of(articles / "lakes.txt") not in article_graphs(store_path)


@pytest.mark.slow
def test_the_installed_model_reads_the_fixture_articles(articles: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    report = pipeline.ingest([str(articles)], one)
    assert (report.stored, report.failed) == (ARTICLE_COUNT, [])
    assert report.facts["person"] > 0 and report.facts["event"] > 0
    assert pipeline.ingest([str(articles)], two, jobs=2, batch_size=2).stored == ARTICLE_COUNT
    assert read_quads(one) == read_quads(two)
    assert pipeline.ingest([str(articles)], one).skipped == ARTICLE_COUNT
    validation = pipeline.validate(one)
    assert validation.conforms, validation.render()


def test_a_missing_model_fails_before_any_store_is_made(articles: Path, store_path: Path) -> None:
    with pytest.raises(KGError, match="not installed"):
        pipeline.ingest([str(articles)], store_path, model="no_such_pipeline_xyz")
    assert not store_path.exists()


def test_remove_on_a_mistyped_store_path_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "store"
    with pytest.raises(StoreError, match="no store"):
        pipeline.remove(["anything.txt"], missing)
    assert not missing.exists()


def test_editing_the_gazetteer_re_extracts(articles: Path, store_path: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    first = pipeline.ingest([str(articles)], store_path, model="blank:en")
    assert first.stored == ARTICLE_COUNT
    extra = tmp_path / "mine.tsv"
    extra.write_text("id\tname\taliases\tkind\tparent\tlocation\twikidata\n"
                     "zlc\tZorvan Lakes Council\tZLC\torganization\t\t\t\n", encoding="utf-8")
    monkeypatch.setenv("KG_GAZETTEER", str(extra))
    again = pipeline.ingest([str(articles)], store_path, model="blank:en")
    assert again.skipped == 0 and again.stored == ARTICLE_COUNT


def test_a_new_base_re_extracts(articles: Path, store_path: Path) -> None:
    pipeline.ingest([str(articles)], store_path, model="blank:en")
    again = pipeline.ingest([str(articles)], store_path, model="blank:en",
                            base="https://example.org/id/")
    assert again.skipped == 0
