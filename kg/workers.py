"""Queries in worker processes, so that one can be stopped (layer 4).

pyoxigraph cannot cancel a query and has no timeout, but a process can be killed. A
``QueryPool`` keeps a few processes, each with the store opened read-only; ``run`` hands
one a job and waits for its answer, and past the time limit (or on Ctrl-C) kills that
process and starts a fresh one. The other workers keep answering meanwhile.

A read-only store is a snapshot taken when it opens, so a worker reopens it before a job
whenever the store's files have changed since (a write by the server or by ``kg
ingest``): every job sees everything committed before it started.

A job is a module-level function ``func(store, *args)`` returning something picklable
(bytes, usually); a ``KGError`` it raises reaches the caller as the same class.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kg import errors
from kg.errors import KGError, QueryTimeout, StoreError
from kg.store import KGStore

_POLL = 0.05  # seconds between checks for an answer, a deadline or Ctrl-C


def store_signature(path: Path) -> tuple:
    """What changes whenever a write lands in the store: its file names, and the sizes and
    times of RocksDB's write-ahead logs (``*.log``, which every commit appends to) and
    manifest (``MANIFEST-*``, which every flush, compaction or bulk load rewrites). The
    other files are written once under new names, so the names tell of them.

    A request pays for a few ``stat`` calls however large the store: the names are
    listed again only when the folder's own time says a file came or went (or changed so
    lately that another change could share its time stamp, whose clock ticks coarsely).
    """
    key = os.fspath(path)
    try:
        folder_time = os.stat(key).st_mtime_ns
    except OSError:
        return ()
    listing = _listings.get(key)
    fresh = (listing is None or listing[0] != folder_time
             or time.time_ns() - folder_time < _RACY_NS)
    while True:
        if fresh:
            try:
                names = sorted(os.listdir(key))
            except OSError:
                return ()
            # RocksDB's own LOG is left out: opening a store writes to it
            watched = tuple(n for n in names if n.endswith(".log") or n.startswith("MANIFEST"))
            plain = tuple((n,) for n in names if n not in watched and not n.startswith("LOG"))
            listing = (folder_time, plain, watched)
            _listings[key] = listing
        assert listing is not None
        states = _file_states(key, listing[2], strict=not fresh)
        if states is not None:
            return listing[1] + states
        fresh = True  # a file listed before is gone: list again


def _file_states(folder: str, names: tuple[str, ...], strict: bool) -> tuple | None:
    """Each file's name, size and time; None if one is gone and ``strict`` (else it is
    left out: the names differ from before anyway)."""
    found: list[tuple] = []
    for name in names:
        try:
            status = os.stat(os.path.join(folder, name))
        except OSError:
            if strict:
                return None
            continue
        found.append((name, status.st_size, status.st_mtime_ns))
    return tuple(found)


# folder -> (its modification time, its other files' names, the logs and manifests)
# when last listed
_listings: dict[str, tuple[int, tuple[tuple[str], ...], tuple[str, ...]]] = {}
_RACY_NS = 2_000_000_000


def folder_signature(path: Path) -> tuple:
    """Names, sizes and times of every file in a folder (the named queries)."""
    try:
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except OSError:
        return ()
    return tuple((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in entries)


# RocksDB read-only opens beside a writer: compaction may delete a file the snapshot
# still lists. Reopening (a newer file list) and trying again is the cure.
_TRANSIENT = ("No such file or directory", "Corruption")
_ATTEMPTS = 5


def _transient(error: Exception) -> bool:
    text = error.message if isinstance(error, KGError) else str(error)
    return any(marker in text for marker in _TRANSIENT)


class _Snapshot:
    """A read-only store, reopened when the files changed or a read failed; the threads of
    a process may share one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.store: KGStore | None = None
        self.seen: tuple = ()
        self._lock = threading.Lock()

    def get(self, fresh: bool = False) -> KGStore:
        signature = store_signature(self.path)
        store = self.store
        if fresh or store is None or signature != self.seen:
            with self._lock:
                if fresh or self.store is None or signature != self.seen:
                    self.store = KGStore(self.path, read_only=True)
                    self.seen = signature
                store = self.store
        return store

    def run(self, func: Callable[..., Any], args: tuple) -> Any:
        attempt = 0
        while True:
            try:
                return func(self.get(fresh=attempt > 0), *args)
            except Exception as error:
                attempt += 1
                if attempt == _ATTEMPTS or not _transient(error):
                    raise
                time.sleep(0.01 * attempt)


def _worker_main(conn: Connection, store_path: str) -> None:
    snapshot = _Snapshot(Path(store_path))
    while True:
        try:
            job = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if job is None:
            return
        func, args = job
        try:
            conn.send(("ok", snapshot.run(func, args)))
        except KGError as error:
            conn.send(("error", (type(error).__name__, error.message, error.hint)))
        except Exception as error:  # a bug: report it, keep the worker
            conn.send(("crash", f"{type(error).__name__}: {error}"))


class _Worker:
    def __init__(self, context: Any, store_path: Path) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, str(store_path)),
                                       daemon=True, name="kg-query-worker")
        self.process.start()
        child.close()

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self.conn.send(None)
            self.process.join(2)
        self.kill()


def reporting_bugs(job: Callable[[], Any]) -> Any:
    """``job()``, its ``KGError`` passed on as it is, any other exception (a bug) as a
    ``KGError`` saying so, never a traceback at the caller's edge."""
    try:
        return job()
    except KGError:
        raise
    except Exception as error:
        raise KGError(f"internal error in a query: {type(error).__name__}: {error}",
                      "this is a bug in newskg; please report it") from None


class InlineRunner:
    """Jobs run in the calling thread, on one read-only store that the threads of this
    process share (pyoxigraph releases the GIL while a query runs, so threads use every
    core). It saves the hand-over to a worker process, about 0.4 ms, which is most of a
    cheap query's cost; but it cannot stop a job, so its caller must enforce the time
    limit (``kg serve`` answers 503 and replaces the process, see ``kg.server``).
    The same ``run`` as ``QueryPool``.
    """

    def __init__(self, store_path: Path | str) -> None:
        self._snapshot = _Snapshot(Path(store_path))

    def run(self, func: Callable[..., Any], *args: Any, timeout: float | None = None) -> Any:
        """``func(store, *args)`` here and now; ``timeout`` is the caller's to enforce."""
        return reporting_bugs(lambda: self._snapshot.run(func, args))

    def close(self) -> None:
        self._snapshot.store = None


class QueryPool:
    """``size`` worker processes over the store at ``store_path``.

    ``start_method`` is multiprocessing's: "spawn" (the default) is safe beside threads
    (the server); "fork" starts in milliseconds (a one-shot command).
    """

    def __init__(self, store_path: Path | str, size: int = 2, *,
                 start_method: str | None = None) -> None:
        self.store_path = Path(store_path)
        self.size = max(1, size)
        self._context = multiprocessing.get_context(start_method or "spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(self.size):
            self._idle.put(_Worker(self._context, self.store_path))

    def run(self, func: Callable[..., Any], *args: Any, timeout: float | None = None) -> Any:
        """``func(store, *args)`` in a worker; QueryTimeout after ``timeout`` seconds
        (waiting for a free worker included). Ctrl-C stops the job too."""
        deadline = None if timeout is None else time.monotonic() + timeout
        worker = self._take(deadline, timeout)
        try:
            worker.conn.send((func, args))
            status, value = self._wait(worker, deadline, timeout)
        except BaseException:
            self._replace(worker)
            raise
        self._idle.put(worker)
        if status == "ok":
            return value
        if status == "error":
            name, message, hint = value
            raise getattr(errors, name, KGError)(message, hint)
        raise KGError(f"internal error in a query worker: {value}",
                      "this is a bug in newskg; please report it")

    def _take(self, deadline: float | None, timeout: float | None) -> _Worker:
        try:
            wait = None if deadline is None else max(deadline - time.monotonic(), 0)
            return self._idle.get(timeout=wait)
        except queue.Empty:
            raise timeout_error(timeout, busy=True) from None

    def _wait(self, worker: _Worker, deadline: float | None, timeout: float | None
              ) -> tuple[str, Any]:
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise timeout_error(timeout)
            if worker.conn.poll(_POLL if left is None else min(_POLL, left)):
                try:
                    return worker.conn.recv()
                except EOFError:
                    raise StoreError("a query worker died while answering",
                                     "try again; if it happens again, the query may need "
                                     "more memory than the machine has") from None

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            if not self._closed:
                self._idle.put(_Worker(self._context, self.store_path))

    def close(self) -> None:
        with self._lock:
            self._closed = True
        for _ in range(self.size):
            try:
                self._idle.get(timeout=1).stop()
            except queue.Empty:
                break

    def __enter__(self) -> QueryPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def timeout_error(timeout: float | None, busy: bool = False) -> QueryTimeout:
    """The error of a job stopped after ``timeout`` seconds (``busy``: it never started)."""
    if busy:
        return QueryTimeout(f"no query worker became free within {timeout:g} s",
                            "the server is busy; try again later")
    return QueryTimeout(
        f"the query was stopped after {timeout:g} s",
        "simplify it or add LIMIT; the limit is kg query --timeout, or kg serve --timeout "
        "for the endpoint's operator",
    )
