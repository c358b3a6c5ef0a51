"""The vocabularies and patterns the rules read, kept as data in ``kg/extract/data/``.

A new title word, trigger, appointment verb or modality cue is a line in a TSV file;
a new construction over the dependency parse is a line in a JSONL file (see the
README there). ``rules_digest`` fingerprints these files and the extractor's code,
so that changing either re-extracts articles on the next ingest.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from functools import lru_cache
from pathlib import Path

from kg.errors import ExtractionError

DATA = Path(__file__).resolve().parent / "data"
# a folder of the user's own copies of rule files (each file missing there is read from DATA)
OVERRIDE = "KG_RULES_DIR"
# the rule data; the gazetteers (organizations.tsv, places.tsv) have their own digest
RULE_FILES = (
    "names.tsv",
    "triggers.tsv",
    "appointments.tsv",
    "modality.tsv",
    "posts.jsonl",
)


def path_of(name: str) -> Path:
    """The rule file in use: the user's copy in ``$KG_RULES_DIR`` if there is one."""
    folder = os.environ.get(OVERRIDE)
    if folder and (Path(folder) / name).is_file():
        return Path(folder) / name
    return DATA / name


def _lines(path: Path):
    """(line number, text) of a data file, without comments and blank lines."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            yield number, line


def _version(name: str) -> tuple[str, int]:
    """The file in use and when it last changed: what the caches below are keyed on, so
    another KG_RULES_DIR or an edited file is read afresh."""
    path = path_of(name)
    return str(path), path.stat().st_mtime_ns if path.exists() else 0


def table(name: str) -> tuple[dict[str, str], ...]:
    """The rows of a TSV file under its header line, as dicts."""
    return _table(*_version(name))


@lru_cache(maxsize=64)
def _table(where: str, _changed: int) -> tuple[dict[str, str], ...]:
    path = Path(where)
    lines = list(_lines(path))
    if not lines:
        return ()
    header = lines[0][1].split("\t")
    rows = []
    for number, line in lines[1:]:
        cells = next(csv.reader([line], delimiter="\t", quoting=csv.QUOTE_NONE))
        if len(cells) > len(header):
            raise ExtractionError(
                f"{path}:{number}: {len(cells)} columns, the header has {len(header)}",
                "separate columns with one tab each",
            )
        rows.append(dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True)))
    return tuple(rows)


def words(name: str, kind: str, column: str = "kind") -> list[str]:
    """The first column of the rows of one kind, in file order."""
    rows = table(name)
    first = next(iter(rows[0])) if rows else ""
    return [row[first] for row in rows if kind in row[column].split(",")]


def patterns(name: str) -> tuple[dict, ...]:
    """The entries of a JSONL file; each needs a unique ``id``."""
    return _patterns(*_version(name))


@lru_cache(maxsize=16)
def _patterns(where: str, _changed: int) -> tuple[dict, ...]:
    path = Path(where)
    out, ids = [], set()
    for number, line in _lines(path):
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as error:
            raise ExtractionError(
                f"{path}:{number}: not JSON ({error.msg} at column {error.colno})",
                "each line is one JSON object",
            ) from None
        if entry.get("id") in ids or not entry.get("id"):
            raise ExtractionError(
                f"{path}:{number}: missing or repeated id {entry.get('id')!r}",
                "give every pattern its own id: --explain and kgo:extractedBy name it",
            )
        ids.add(entry["id"])
        out.append(entry)
    return tuple(out)


def phrase_regex(phrases: list[str]) -> str:
    """An alternation of phrases, longest first; words may be split by any space, and
    ``*`` stands for one optional word ("paid a * visit")."""
    parts = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        pieces = [r"(?:[\w-]+\s+)?" if w == "*" else re.escape(w) + r"\s+" for w in phrase.split()]
        parts.append("".join(pieces).removesuffix(r"\s+"))
    return "|".join(parts)


def rules_digest() -> str:
    """A fingerprint of the rule data and the extractor's code."""
    code = sorted(Path(__file__).resolve().parent.glob("*.py"))
    return _digest(
        tuple(_version(name) for name in RULE_FILES)
        + tuple((str(p), p.stat().st_mtime_ns) for p in code)
    )


@lru_cache(maxsize=8)
def _digest(files: tuple[tuple[str, int], ...]) -> str:
    digest = hashlib.sha256()
    for where, _changed in files:
        path = Path(where)
        if path.exists():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]
