"""Robust at size (issue 10): a corpus of bad inputs through the real CLI, and a kill -9
loop mid-ingest; the store stays whole and consistent, and every bad input is named."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.badinputs import write_corpus
from tests.consistency import article_urls, check

KG = [sys.executable, "-m", "kg.cli"]


def _kg(*args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KG, *args], capture_output=True, text=True, timeout=timeout,
                          check=False)


def _named(lines: list[str], label: str, path: Path) -> bool:
    """Does an ``error:``/``left out:`` line name ``path`` (as a file, or file:LINE)?"""
    return any(line.startswith(f"{label}: ") and str(path) in line for line in lines)


@pytest.mark.slow
def test_the_bad_input_corpus_goes_in_without_a_traceback(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    expect = write_corpus(corpus)
    store = tmp_path / "store"
    started = time.monotonic()
    result = _kg("ingest", str(corpus), "--store", str(store), "--model", "blank:en")
    took = time.monotonic() - started
    lines = result.stderr.splitlines()

    assert "Traceback" not in result.stderr and "this is a bug" not in result.stderr, (
        result.stderr[-3000:])
    assert result.returncode == 1  # some inputs failed, the rest went in
    labels = ("error: ", "hint: ", "left out: ", "warning: ")
    assert all(line.startswith(labels) for line in lines), (
        [line for line in lines if not line.startswith(labels)])

    stored = article_urls(store)
    assert all(n == 1 for n in stored.values())
    assert check(store) == {"partial": [], "extra": [], "missing": []}
    for name, outcome in expect.items():
        path = corpus / name
        uri = path.absolute().as_uri()
        is_stored = uri in stored or any(u.startswith(uri + "#") for u in stored)
        if name.endswith(".jsonl") and outcome != "error":
            continue  # their lines carry URLs of their own: checked below
        errors, left_out = _named(lines, "error", path), _named(lines, "left out", path)
        if _named(lines, "warning", path):  # read on a weak encoding guess: still stored
            assert is_stored and not errors, name
        if name == "enc/latin1.txt":
            assert _named(lines, "warning", path), "the cp1252/cp1250 tie is a weak guess"
        if outcome == "stored":
            assert not errors and not left_out, name
            assert is_stored, name
        elif outcome == "error":
            assert errors and not is_stored, name
        elif outcome == "left out":
            assert left_out and not errors and not is_stored, name
        else:
            assert is_stored or errors or left_out, f"{name} vanished without a word"
    # the .jsonl articles that should be in are in, under their own URLs
    for url in ("ok", "rtl", "big", "bom", "nul", "surrogate", "nonl", "crlf"):
        assert f"https://news.example.org/{url}" in stored, url
    summary = result.stdout.strip().splitlines()[-1]
    read = int(summary.split("read ")[1].split(",")[0])
    assert read > 10_000
    print(f"\ncorpus: {len(expect)} inputs, {read} read, {len(stored)} stored, "
          f"{sum(line.startswith('error: ') for line in lines)} errors in {took:.0f} s")


KILL_ROUNDS = int(os.environ.get("KG_KILL_ROUNDS", "20"))
# enough articles that their writes outlast the timing noise of a process start on a
# shared machine: at 3.7 ms a write, 40 took 0.1 s of a 1.8 s ingest, and in some runs
# nearly every kill landed after the ingest had finished
KILL_ARTICLES = int(os.environ.get("KG_KILL_ARTICLES", "100"))


def _write_wire(path: Path, n: int) -> set[str]:
    """``n`` small, different articles in one .jsonl file; returns their URLs."""
    people = ["Anna Berg", "Tomas Reyes", "Lina Okafor", "Omar Haddad", "Mei Lin"]
    urls = set()
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            url = f"https://news.example.org/wire/{i}"
            urls.add(url)
            a, b = people[i % 5], people[(i + 2) % 5]
            text = (f"{a}, Secretary General of the Council of Lakes, met {b} in Lakeside on "
                    f"{1 + i % 28} March 2024. Talks number {i} covered water quotas.\n")
            out.write(json.dumps({"url": url, "title": f"Talks {i}", "text": text}) + "\n")
    return urls


def _wait_for_writes(store: Path, deadline: float) -> None:
    """Until one of the store's write-ahead logs grows (an ingest started beside has begun
    to write; opening the store only adds an empty one and may fold old ones away), or
    ``deadline``: a kill timed from then lands in the writes whatever the start-up's
    jitter on a busy machine."""
    def sizes() -> dict[str, int]:
        found = {}
        for log in store.glob("*.log") if store.exists() else ():
            with contextlib.suppress(OSError):
                found[log.name] = log.stat().st_size
        return found

    seen = sizes()
    while time.monotonic() < deadline:
        now = sizes()
        if any(size > seen.get(name, 0) for name, size in now.items()):
            return
        seen.update(now)
        time.sleep(0.005)


@pytest.mark.slow
def test_kill_9_at_random_points_never_leaves_a_broken_store(tmp_path: Path) -> None:
    wire = tmp_path / "wire.jsonl"
    urls = _write_wire(wire, KILL_ARTICLES)
    store = tmp_path / "store"
    rng = random.Random(10)
    def timed_ingest(target: Path) -> float:
        started = time.monotonic()
        assert _kg("ingest", str(wire), "--store", str(target), "--model", "blank:en",
                   "--batch-size", "1").returncode == 0
        return time.monotonic() - started

    # full ingests elsewhere, then the same again (every article skipped): what writing
    # all of them takes, and what an ingest costs before and around its writes (the
    # quicker of two each: the first run of a process also pays for cold caches)
    window = min(timed_ingest(tmp_path / "timing-1"), timed_ingest(tmp_path / "timing-2"))
    fixed = min(timed_ingest(tmp_path / "timing-1"), timed_ingest(tmp_path / "timing-2"),
                window)
    validate_codes: list[int] = []
    stored_at_kill: list[int] = []
    stored = 0
    for _ in range(KILL_ROUNDS):
        process = subprocess.Popen([*KG, "ingest", str(wire), "--store", str(store), "--model",
                                    "blank:en", "--batch-size", "1"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # once it has begun writing, at a random point of the writes of what is missing
        _wait_for_writes(store, time.monotonic() + 10 * window)
        writing = (window - fixed) * (len(urls) - stored) / len(urls)
        time.sleep(rng.uniform(0.0, 1.0) * writing)
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stderr.close()
        if not (store / "CURRENT").exists():
            stored_at_kill.append(0)
            continue
        assert check(store) == {"partial": [], "extra": [], "missing": []}
        counts = article_urls(store)
        assert set(counts) <= urls and all(n == 1 for n in counts.values())
        stored_at_kill.append(len(counts))
        validated = _kg("validate", "--store", str(store))
        assert "Traceback" not in validated.stderr
        validate_codes.append(validated.returncode)
        # remove about half of what is stored, so the next round writes again
        gone = [url for url in sorted(counts) if rng.random() < 0.5]
        if gone:
            removed = _kg("remove", *gone, "--store", str(store))
            assert removed.returncode == 0, removed.stderr
        stored = len(counts) - len(gone)
    final = _kg("ingest", str(wire), "--store", str(store), "--model", "blank:en")
    assert final.returncode == 0, final.stderr
    counts = article_urls(store)
    assert counts == dict.fromkeys(urls, 1)  # nothing lost, nothing duplicated
    assert check(store) == {"partial": [], "extra": [], "missing": []}
    assert _kg("validate", "--store", str(store)).returncode == 0
    # killed mid-write, not after the ingest had finished: most rounds stored part of the
    # articles
    cut_short = sum(0 < n < len(urls) for n in stored_at_kill)
    assert cut_short * 2 >= len(stored_at_kill), stored_at_kill
    assert set(validate_codes) <= {0}, validate_codes
    print(f"\nkill -9: {KILL_ROUNDS} rounds ({cut_short} cut short) in a window of "
          f"{fixed:.1f} s + {window - fixed:.1f} s of writes, "
          f"articles stored at each kill {stored_at_kill}, "
          f"validate exits {validate_codes}")
