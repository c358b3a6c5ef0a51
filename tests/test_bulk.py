"""``kg ingest --bulk``: new articles through the store's bulk loader give the store an
article-by-article ingest gives; later ingests keep replacing articles one by one."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import kg_process, read_quads, write_articles, write_articles_and_notes

from kg import pipeline
from kg.errors import UsageError
from kg.pipeline import ingest

MODEL = "blank:en"  # the rules without spaCy's parser: real extraction, fast


def news(folder: Path) -> Path:
    """The shared fixture articles and a dozen notes of our own, two of them one meeting."""
    return write_articles_and_notes(folder, lambda i: (
        f"Notes from the Union{i % 4}\n\nGENEVA, {i % 5 + 1} March 2024 - Secretary "
        f"General Amira Volkova{i % 4} of the Union{i % 4} met Foreign Minister Tomas "
        f"Berg{i % 3} in Geneva on {i % 5 + 1} March 2024.\n"))


def test_a_bulk_load_gives_the_store_an_ingest_gives(tmp_path: Path) -> None:
    folder = news(tmp_path / "news")
    one_by_one = ingest([str(folder)], tmp_path / "a.kg", model=MODEL)
    bulk = ingest([str(folder)], tmp_path / "b.kg", model=MODEL, bulk=True)
    assert bulk.stored == one_by_one.stored == 17 and not bulk.failed
    assert read_quads(tmp_path / "b.kg") == read_quads(tmp_path / "a.kg")
    assert not list(tmp_path.glob(".kg-bulk-*"))  # the staged files are gone


def test_after_a_bulk_load_articles_are_skipped_replaced_and_added_as_usual(
        tmp_path: Path) -> None:
    folder = news(tmp_path / "news")
    ingest([str(folder)], tmp_path / "b.kg", model=MODEL, bulk=True)
    (folder / "note-03.txt").write_text(
        "Notes\n\nBERN, 9 April 2024 - Secretary General Amira Volkova3 met Karl Weber in "
        "Bern.\n", encoding="utf-8")
    (folder / "note-99.txt").write_text(
        "Notes\n\nOSLO, 2 May 2024 - Tomas Berg1 met Lina Okafor in Oslo.\n", encoding="utf-8")
    again = ingest([str(folder)], tmp_path / "b.kg", model=MODEL, bulk=True)
    assert (again.stored, again.skipped) == (2, 16)
    fresh = ingest([str(folder)], tmp_path / "fresh.kg", model=MODEL)
    assert fresh.stored == 18
    assert read_quads(tmp_path / "b.kg") == read_quads(tmp_path / "fresh.kg")


def test_an_article_a_failed_load_cut_short_is_loaded_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The content digests are loaded last: without them an article is not taken for
    stored, and the next ingest completes the store."""
    folder = news(tmp_path / "news")

    def load_articles_only(self: pipeline._Staged, store) -> None:
        self.close()
        store.raw.bulk_load(path=str(self.files[0]))
        raise KeyboardInterrupt  # the load stops before the digests

    monkeypatch.setattr(pipeline._Staged, "load_into", load_articles_only)
    with pytest.raises(KeyboardInterrupt):
        ingest([str(folder)], tmp_path / "b.kg", model=MODEL, bulk=True)
    monkeypatch.undo()
    completed = ingest([str(folder)], tmp_path / "b.kg", model=MODEL)
    assert completed.stored == 17 and completed.skipped == 0
    ingest([str(folder)], tmp_path / "a.kg", model=MODEL)
    assert read_quads(tmp_path / "b.kg") == read_quads(tmp_path / "a.kg")


def test_bulk_needs_a_store_directory(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "news")
    with pytest.raises(UsageError):
        ingest([str(folder)], "http://127.0.0.1:9/query", model=MODEL, bulk=True)
    result = kg_process("ingest", str(folder), "--store", "http://127.0.0.1:9/query",
                        "--bulk", "--model", MODEL)
    assert result.returncode == 2 and b"--bulk" in result.stderr
