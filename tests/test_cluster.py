"""Extraction on a Dask cluster (kg.cluster, ``kg ingest --cluster``): the same store as a
local run, on a LocalCluster started by the command or by a scheduler already running."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import kg_process, run_kg, write_articles, write_articles_and_notes

from kg.cluster import parse_spec
from kg.errors import UsageError
from kg.pipeline import ingest

pytest.importorskip("distributed", reason="the dask extra (distributed) is not installed")

MODEL = "blank:en"  # the rules on a blank pipeline: real extraction, no model to load


def more_articles(folder: Path) -> Path:
    """The shared fixture articles plus a dozen of our own, enough for several batches."""
    return write_articles_and_notes(folder, lambda i: (
        f"Delegates of the Union{i} met in City{i}\n\n"
        f"Secretary General Amira Volkova{i} of the Union{i} met Foreign Minister "
        f"Tomas Berg{i} in City{i} on {i + 1} March 2024. The Union{i} Council "
        f"will meet again in April.\n"))


def dump(store: Path, tmp_path: Path, name: str) -> list[str]:
    """The store's N-Quads, sorted (the order of the lines is the store's business)."""
    out = tmp_path / f"{name}.nq"
    result = run_kg("export", "--store", str(store), "--format", "nquads", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    return sorted(out.read_text(encoding="utf-8").splitlines())


@pytest.mark.slow
def test_a_local_cluster_gives_the_store_a_local_run_gives(tmp_path: Path) -> None:
    folder = more_articles(tmp_path / "news")
    here = ingest([str(folder)], tmp_path / "here.kg", model=MODEL, batch_size=3)
    there = ingest([str(folder)], tmp_path / "there.kg", model=MODEL, batch_size=3,
                   cluster="local:2")
    assert not here.failed and not there.failed
    assert there.stored == here.stored == 17
    assert there.facts == here.facts and sum(here.facts.values()) >= 24
    assert dump(tmp_path / "there.kg", tmp_path, "there") == \
        dump(tmp_path / "here.kg", tmp_path, "here")
    again = ingest([str(folder)], tmp_path / "there.kg", model=MODEL, cluster="local:1")
    assert again.stored == 0 and again.skipped == 17  # unchanged articles stay unparsed


@pytest.mark.slow
def test_a_running_scheduler_is_used_by_its_address(tmp_path: Path) -> None:
    from distributed import LocalCluster

    folder = more_articles(tmp_path / "news")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        report = ingest([str(folder)], tmp_path / "store.kg", model=MODEL,
                        cluster=cluster.scheduler_address)
    local = ingest([str(folder)], tmp_path / "local.kg", model=MODEL)
    assert report.stored == local.stored > 10
    assert dump(tmp_path / "store.kg", tmp_path, "a") == dump(tmp_path / "local.kg",
                                                               tmp_path, "b")


@pytest.mark.parametrize("spec", ["local:0", "local", "localhost:8786", "two"])
def test_a_malformed_cluster_is_a_usage_error(spec: str) -> None:
    with pytest.raises(UsageError):
        parse_spec(spec)


def test_cluster_specs() -> None:
    assert parse_spec("local:3") == 3
    assert parse_spec(" tcp://10.0.0.5:8786 ") == "tcp://10.0.0.5:8786"


def test_the_command_refuses_a_bad_cluster_before_reading(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "news")
    bad = kg_process("ingest", str(folder), "--store", str(tmp_path / "s.kg"),
                     "--cluster", "nowhere")
    assert bad.returncode == 2
    assert b"local:N" in bad.stderr and b"Traceback" not in bad.stderr
    both = kg_process("ingest", str(folder), "--store", str(tmp_path / "s.kg"),
                      "--cluster", "local:2", "--jobs", "2")
    assert both.returncode == 2 and b"--jobs and --cluster" in both.stderr
    assert not (tmp_path / "s.kg").exists()


@pytest.mark.slow
def test_an_unreachable_scheduler_is_a_clear_error(tmp_path: Path) -> None:
    folder = write_articles(tmp_path / "news")
    result = kg_process("ingest", str(folder), "--store", str(tmp_path / "s.kg"),
                        "--model", MODEL, "--cluster", "tcp://127.0.0.1:9")
    assert result.returncode == 2, result.stderr
    assert b"cannot reach the Dask scheduler" in result.stderr
    assert b"Traceback" not in result.stderr
    assert not (tmp_path / "s.kg").exists()  # nothing written
