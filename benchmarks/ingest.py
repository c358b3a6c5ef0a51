"""Ingest throughput as a ratio to bare spaCy on the same texts, in the same run.

    python benchmarks/ingest.py [FOLDER] [--words 40000] [--model NAME] [--rounds 3]
    python benchmarks/ingest.py --cluster --jobs 1 2     # kg ingest --cluster local:N

The reference is ``nlp.pipe`` of the same spaCy pipeline, loaded as spaCy ships it,
over the same texts with the same number of processes. The measured path is the
whole of ``kg ingest``: reading files, parsing, rules, resolution, mapping and one
store transaction per article into a fresh on-disk Oxigraph store. A ratio of 1.0
means newskg costs nothing beside spaCy's parse. The two alternate for ``--rounds``
rounds and the best time of each counts (these machines are noisy: a single round's
ratio moved by ±0.15 between runs); the rounds' own ratios are printed too. With
``--cluster`` the measured path parses on a Dask ``LocalCluster`` of N workers
(``kg ingest --cluster local:N``), started and its workers' pipelines loaded before the
clock starts, as the reference loads its own. FOLDER defaults to
``../shared/eval/dev`` when present, else ``examples/``. Not a test: it prints.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.cluster import open_cluster  # noqa: E402
from kg.config import DEFAULT_MODEL  # noqa: E402
from kg.pipeline import ingest  # noqa: E402
from kg.sources import read_sources  # noqa: E402


def corpus(folder: Path, words: int, into: Path) -> list[str]:
    """Copies of the folder's articles, each under its own name, up to ``words`` words."""
    texts = [d.text for d in read_sources([str(folder)]) if not isinstance(d, Exception)]
    if not texts:
        sys.exit(f"no articles in {folder}")
    written, total, i = [], 0, 0
    while total < words:
        text = texts[i % len(texts)]
        path = into / f"article-{i:05d}.txt"
        path.write_text(text, encoding="utf-8")
        written.append(text)
        total += len(text.split())
        i += 1
    return written


def bare_spacy(model: str, texts: list[str], jobs: int) -> float:
    import spacy

    nlp = spacy.load(model)
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16, n_process=jobs):
        pass
    return time.perf_counter() - start


def _load_worker(model: str) -> None:
    from kg.extract import _WORKERS, Extractor

    _WORKERS.setdefault(model, Extractor(model))
    _ = _WORKERS[model].nlp, _WORKERS[model].rules


def newskg(model: str, folder: Path, jobs: int, cluster: object = None) -> float:
    from kg.extract import Extractor

    extractor = Extractor(model)
    if cluster is None:
        _ = extractor.nlp, extractor.rules  # load before timing, as the reference does
    else:
        cluster.client.run(_load_worker, model)  # type: ignore[attr-defined]
    store = Path(tempfile.mkdtemp(prefix="kg-bench-store-"))
    try:
        start = time.perf_counter()
        report = ingest([str(folder)], store, extractor=extractor,
                        jobs=1 if cluster else jobs, cluster=cluster)
        elapsed = time.perf_counter() - start
        if report.failed:
            sys.exit(f"ingest failed: {report.failed[:3]}")
        return elapsed
    finally:
        shutil.rmtree(store, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = ROOT.parent / "shared" / "eval" / "dev"
    parser.add_argument("folder", nargs="?", type=Path,
                        default=default if default.exists() else ROOT / "examples")
    parser.add_argument("--words", type=int, default=40_000)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--jobs", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cluster", action="store_true",
                        help="parse on a Dask LocalCluster of N workers for each --jobs N")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="kg-bench-corpus-"))
    try:
        texts = corpus(args.folder, args.words, work)
        words = sum(len(t.split()) for t in texts)
        print(f"{len(texts)} articles, {words} words, model {args.model}")
        where = "Dask workers" if args.cluster else "processes"
        print(f"{where:>9}  {'spaCy w/s':>10}  {'newskg w/s':>10}  {'ratio':>6}  rounds")
        for jobs in args.jobs:
            with contextlib.ExitStack() as stack:
                cluster = (stack.enter_context(open_cluster(f"local:{jobs}"))
                           if args.cluster else None)
                pairs = [
                    (bare_spacy(args.model, texts, jobs),
                     newskg(args.model, work, jobs, cluster))
                    for _ in range(args.rounds)
                ]
            reference, ours = min(p[0] for p in pairs), min(p[1] for p in pairs)
            each = " ".join(f"{r / o:.2f}" for r, o in pairs)
            print(f"{jobs:>9}  {words / reference:>10.0f}  {words / ours:>10.0f}"
                  f"  {reference / ours:>6.2f}  {each}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
