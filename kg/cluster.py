"""Extraction on a Dask cluster (layer 4): ``kg ingest --cluster``.

Dask's ``distributed`` runs the batches; this module only opens the cluster and hands
back a ``concurrent.futures.Executor`` over it, which ``Extractor.pipe`` uses as it uses
its local process pool. So the parse and the rules run on the workers (each loads the
pipeline once, on its first batch), only the small extractions travel back, and this
process, the only one that writes to the store, stores them in the order the articles
were read: the store ends exactly as after a local run. A batch whose worker dies is
run again elsewhere (``retries``).

The articles travel to the workers as text, so the workers need no access to the
files; they need newskg and the spaCy pipeline installed (the same versions).
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any

from kg.errors import UsageError

RETRIES = 2  # a batch whose worker died is tried again this many times
_LOCAL = re.compile(r"local:(\d+)")


@dataclass(frozen=True)
class Cluster:
    """An open cluster: the executor to send batches to, how many workers it has, and
    Dask's client (for what an executor cannot do, e.g. run a function on every worker)."""

    executor: Executor
    workers: int
    client: Any


def parse_spec(spec: str) -> int | str:
    """``local:N`` -> N (a cluster of N worker processes on this machine); a scheduler's
    address (``tcp://host:8786``) -> itself."""
    found = _LOCAL.fullmatch(spec.strip())
    if found:
        workers = int(found.group(1))
        if workers < 1:
            raise UsageError(f"--cluster {spec}: a local cluster needs at least one worker",
                             "use --cluster local:2 for two worker processes")
        return workers
    if "://" in spec:
        return spec.strip()
    raise UsageError(f"--cluster {spec!r} is neither local:N nor a scheduler address",
                     "use --cluster local:2, or --cluster tcp://HOST:8786 for a running "
                     "Dask scheduler")


@contextlib.contextmanager
def open_cluster(spec: str) -> Iterator[Cluster]:
    """Start a local cluster or connect to a scheduler for the time of the block."""
    target = parse_spec(spec)
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("--cluster needs Dask's distributed package",
                         "install it: pip install 'newskg[dask]' (or pip install "
                         "distributed)") from None
    with contextlib.ExitStack() as stack:
        if isinstance(target, int):
            local = stack.enter_context(LocalCluster(
                n_workers=target, threads_per_worker=1, processes=True,
                dashboard_address=None, silence_logs=logging.ERROR))
            client = stack.enter_context(Client(local))
        else:
            try:
                client = stack.enter_context(Client(target, timeout="10s"))
            except OSError as error:
                raise UsageError(f"cannot reach the Dask scheduler at {target}: {error}",
                                 "check the address and that dask-scheduler runs there"
                                 ) from None
        workers = len(client.scheduler_info().get("workers", {})) or 1
        yield Cluster(client.get_executor(retries=RETRIES, pure=False), workers, client)
