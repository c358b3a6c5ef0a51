"""Queries in worker processes (kg.workers): a time limit and Ctrl-C stop a query that
pyoxigraph itself cannot cancel, for ``kg query`` as for ``kg serve``."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from conftest import kg_process

from kg.errors import QueryError, QueryTimeout, StoreError
from kg.store import KGStore
from kg.workers import InlineRunner, QueryPool, store_signature

CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "store"
    with KGStore(path) as kg:
        for i in range(60):  # 60^5 rows for CROSS: minutes of work
            kg.replace_article(f"http://example.org/graph/{i}", [
                (ox.NamedNode(f"http://example.org/s{i}"), ox.NamedNode("http://example.org/p"),
                 ox.Literal(f"value {i}"))])
    return path


def count(store: KGStore, sparql: str) -> int:
    return int(next(iter(store.query(sparql)))[0].value)


def test_a_pool_answers_stops_a_runaway_job_and_keeps_answering(store: Path) -> None:
    with QueryPool(store, size=2) as pool:
        assert pool.run(count, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", timeout=30) == 60
        start = time.monotonic()
        with pytest.raises(QueryTimeout, match="stopped after 1 s"):
            pool.run(count, CROSS, timeout=1)
        assert time.monotonic() - start < 2
        assert pool.run(count, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", timeout=30) == 60


def test_a_job_s_kg_error_comes_back_as_itself(store: Path) -> None:
    with QueryPool(store, size=1) as pool:
        with pytest.raises(QueryError, match="SERVICE"):
            pool.run(count, "SELECT * { SERVICE <http://192.0.2.1/> { ?s ?p ?o } }")
        with pytest.raises(StoreError, match="no store"):
            QueryPool(store.parent / "missing", size=1).run(count, "ASK {}", timeout=30)


@pytest.mark.slow
def test_kg_query_timeout(store: Path) -> None:
    start = time.monotonic()
    done = kg_process("query", CROSS, "--store", str(store), "--timeout", "1")
    assert time.monotonic() - start < 1 + 5  # the process's own start included
    assert done.returncode == 1
    assert b"error: the query was stopped after 1 s" in done.stderr
    assert b"Traceback" not in done.stderr


@pytest.mark.slow
def test_ctrl_c_stops_kg_query_within_a_second(store: Path) -> None:
    process = subprocess.Popen([sys.executable, "-m", "kg.cli", "query", CROSS, "--store",
                                str(store)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(2)  # started and busy in its worker
    assert process.poll() is None
    sent = time.monotonic()
    os.kill(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=10)
    assert time.monotonic() - sent < 1
    assert process.returncode == 130
    assert b"error: interrupted" in err and b"Traceback" not in err


def test_the_store_signature_changes_with_every_write_and_only_then(tmp_path: Path) -> None:
    """What readers reopen on and the server's cache empties on (kg.workers.store_signature):
    a commit that only appends to the write-ahead log must change it too, and a reader
    opening the store must not."""
    path = tmp_path / "store"
    triple = (ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"))
    with KGStore(path) as kg:
        kg.replace_article("http://example.org/graph/0", [(*triple, ox.Literal("a"))])
    before = store_signature(path)  # the writer closed: nothing is flushed behind our back
    with contextlib.closing(KGStore(path, read_only=True)):
        assert store_signature(path) == before
    assert store_signature(path) == before
    with KGStore(path) as kg:
        seen = [store_signature(path)]
        for value in ("b", "c", "d"):
            kg.replace_article("http://example.org/graph/0", [(*triple, ox.Literal(value))])
            assert store_signature(path) not in seen
            seen.append(store_signature(path))



def test_the_store_signature_lists_the_folder_only_when_it_changed(tmp_path: Path) -> None:
    """The signature keeps the folder's listing while the folder's own time stays put
    (and is old enough not to share a clock tick with a later change): a write appending to
    a log, a new file and a file gone are each still seen."""
    folder = tmp_path / "files"
    folder.mkdir()
    for name in ("000004.log", "MANIFEST-000005", "000007.sst", "LOG"):
        (folder / name).write_text("x")
    old = time.time() - 60

    def aged() -> None:
        os.utime(folder, (old, old))

    aged()
    first = store_signature(folder)
    assert [entry[0] for entry in first] == ["000007.sst", "000004.log", "MANIFEST-000005"]
    assert store_signature(folder) == first
    with (folder / "000004.log").open("a") as log:  # a commit: the folder's time stays
        log.write("more")
    appended = store_signature(folder)
    assert appended != first
    (folder / "000009.sst").write_text("x")  # a flush: the folder's time moves
    flushed = store_signature(folder)
    assert ("000009.sst",) in flushed
    aged()
    assert store_signature(folder) == flushed  # listed again, with the folder's time put back
    (folder / "000004.log").unlink()  # gone, and the folder's time put back as it was
    aged()
    assert "000004.log" not in [entry[0] for entry in store_signature(folder)]
    (folder / "LOG").write_text("opened again")  # RocksDB's own log never counts
    aged()
    assert store_signature(folder) == store_signature(folder)


def test_inline_runner_sees_each_write_and_passes_errors_on(store: Path) -> None:
    runner = InlineRunner(store)
    sparql = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert runner.run(count, sparql) == 60
    with KGStore(store) as kg:
        kg.replace_article("http://example.org/graph/new", [
            (ox.NamedNode("http://example.org/x"), ox.NamedNode("http://example.org/p"),
             ox.Literal("new"))])
    assert runner.run(count, sparql) == 61  # reopened: the write is seen
    with pytest.raises(QueryError):
        runner.run(count, "SELECT nonsense")
