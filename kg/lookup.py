"""Find an entity by any of its names and gather its profile (layer 4; ``kg lookup``).

Names are matched on a *key*: lower case, accents dropped, and the usual spelling
variants of transliterated names folded together (Sergei/Sergey/Sergej, Dmitriy/Dmitry,
Khalid/Halid, Wladimir/Vladimir, doubled letters), so the variants meet without a
table of names. Small typos are left to rapidfuzz over those keys.

The index (every form of every person, organization, mission and place, read from the
store by ``lookup_queries/names.rq``) is cached in a file keyed by the store's files
(``kg.workers.store_signature``): any write to the store changes them, so the next
lookup rebuilds it, and an unchanged store loads it without a query.

Profiles are SPARQL too (``lookup_queries/*.rq``). What the user types never reaches
SPARQL: it is matched here, in Python; the queries get the matched entity's IRI, from
the store's own index, as a VALUES clause (see ``_with_this`` for why not a substitution).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.errors import KGError, UsageError
from kg.queries import NamedQuery, list_queries, prepare, run
from kg.store import KGStore, sparql_code
from kg.workers import store_signature

LOOKUP_QUERIES = Path(__file__).resolve().parent / "lookup_queries"
KINDS = ("person", "organization", "mission", "place")
CACHE_ENV = "KG_CACHE_DIR"
_CACHE_VERSION = 1

EXACT = 100.0
TOKEN = 95.0  # the query is one whole word of a longer name ("Tasmagambetov")
CUTOFF = 82.0  # below this a fuzzy match is no match, only a suggestion
CLEAR_LEAD = 4.0  # the best candidate wins outright when this far ahead of the next
SUGGEST_CUTOFF = 55.0

# Spelling variants of names transliterated from Russian, Kazakh, Arabic and others,
# applied in order to a lower-case, accent-free word.
_FOLDS = [
    (re.compile(r"shch"), "sch"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"w"), "v"),
    (re.compile(r"ou"), "u"),
    (re.compile(r"(?<=[aeiou])j|^j(?=[aeiou])"), "y"),  # Sergej, Jurij
    (re.compile(r"(?<=[aeiou])y(?=[aeiou])"), ""),  # Nazarbayev/Nazarbaev, Sergeyev
    (re.compile(r"(?:iy|ii|yi|ij|y)$"), "i"),  # Dmitriy, Dmitrii, Dmitry -> dmitri
    (re.compile(r"ey$"), "ei"),  # Sergey -> sergei
    (re.compile(r"y"), "i"),  # Yuri/Iuri, Nursultan Nazarbayev/Nazarbaev
    (re.compile(r"([a-z])\1+"), r"\1"),  # Nikolay/Nikolai already; Mikhaill, Kasymzhomart
]


def fold_word(word: str) -> str:
    for pattern, replacement in _FOLDS:
        word = pattern.sub(replacement, word)
    return word


def key(name: str) -> str:
    """The form names are compared in: case, accents, punctuation and spelling variants
    of transliteration folded away."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    words = re.findall(r"[^\W_]+", text)
    return " ".join(fold_word(w) for w in words)


# ---------------------------------------------------------------- the index


@dataclass(frozen=True)
class Entry:
    iri: str
    kind: str
    label: str


@dataclass
class Index:
    """Names of entities by key, and the keys as a list for fuzzy matching."""

    entries: dict[str, Entry] = field(default_factory=dict)  # iri -> entry
    by_key: dict[str, set[str]] = field(default_factory=dict)  # key -> iris
    by_word: dict[str, set[str]] = field(default_factory=dict)  # one word of a key -> iris
    keys: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, rows: list[tuple[str, str, str, str]]) -> Index:
        index = cls()
        by_key: dict[str, set[str]] = defaultdict(set)
        by_word: dict[str, set[str]] = defaultdict(set)
        for iri, kind, label, form in rows:
            index.entries.setdefault(iri, Entry(iri, kind, label))
            form_key = key(form)
            if not form_key:
                continue
            by_key[form_key].add(iri)
            words = form_key.split()
            if len(words) > 1:
                for word in words:
                    if len(word) >= 4:
                        by_word[word].add(iri)
        index.by_key, index.by_word = dict(by_key), dict(by_word)
        index.keys = sorted(by_key)
        return index


def _names_query() -> NamedQuery:
    return _query("names")


def _query(name: str) -> NamedQuery:
    queries = _queries()
    if name not in queries:
        raise KGError(f"lookup query {name!r} is missing from {LOOKUP_QUERIES}",
                      "reinstall newskg")
    return queries[name]


_QUERIES: dict[str, NamedQuery] = {}


def _queries() -> dict[str, NamedQuery]:
    if not _QUERIES:
        _QUERIES.update({q.name: q for q in list_queries(LOOKUP_QUERIES)})
    return _QUERIES


def read_index(store: KGStore) -> Index:
    """The index straight from the store (one SPARQL query)."""
    rows = [(s["entity"].value, s["kind"].value, s["label"].value, s["form"].value)
            for s in run(store, _names_query(), {})]
    return Index.build(rows)


def cache_dir() -> Path:
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(home) / "newskg" / "lookup"


def _cache_file(store_path: Path) -> Path:
    name = hashlib.sha256(str(store_path.resolve()).encode()).hexdigest()[:24]
    return cache_dir() / f"{name}.pickle"


def load_index(store: KGStore) -> Index:
    """The index of an on-disk store from its cache file, rebuilt when the store changed
    since (or the cache is unreadable); an in-memory store is always read afresh."""
    if store.path is None:
        return read_index(store)
    signature = (_CACHE_VERSION, store_signature(store.path))
    cache = _cache_file(store.path)
    try:
        with cache.open("rb") as handle:
            cached_signature, index = pickle.load(handle)
        if cached_signature == signature and isinstance(index, Index):
            return index
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        pass
    index = read_index(store)
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.tmp")
        with partial.open("wb") as handle:
            pickle.dump((signature, index), handle, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(cache)
    except OSError:
        pass  # a read-only cache folder only costs the next lookup a rebuild
    return index


# ---------------------------------------------------------------- matching


@dataclass
class Candidate:
    entry: Entry
    score: float
    matched: str  # the key of the form that matched


def match(index: Index, name: str, kind: str | None = None, limit: int = 8) -> list[Candidate]:
    """Entities whose names match ``name``, best first: exact keys, then a whole word of
    a longer name, then rapidfuzz scores at or above ``CUTOFF``."""
    from rapidfuzz import fuzz, process

    wanted = key(name)
    if not wanted:
        raise UsageError("the name to look up is empty", "e.g. kg lookup 'Zhang Ming'")
    best: dict[str, Candidate] = {}

    def offer(iri: str, score: float, matched: str) -> None:
        entry = index.entries[iri]
        if kind is not None and entry.kind != kind:
            return
        if iri not in best or best[iri].score < score:
            best[iri] = Candidate(entry, score, matched)

    for iri in index.by_key.get(wanted, ()):
        offer(iri, EXACT, wanted)
    if " " not in wanted:
        for iri in index.by_word.get(wanted, ()):
            offer(iri, TOKEN, wanted)
    if not best:
        for found, score, _ in process.extract(wanted, index.keys, scorer=fuzz.ratio,
                                               score_cutoff=CUTOFF, limit=limit * 4):
            for iri in index.by_key[found]:
                offer(iri, float(score), found)
        if " " in wanted:  # a name given in another order: "Tasmagambetov Imangali"
            for found, score, _ in process.extract(wanted, index.keys,
                                                   scorer=fuzz.token_sort_ratio,
                                                   score_cutoff=max(CUTOFF, 90), limit=limit):
                for iri in index.by_key[found]:
                    offer(iri, float(score) - 1, found)
    ranked = sorted(best.values(), key=lambda c: (-c.score, c.entry.kind, c.entry.label))
    return ranked[:limit]


def suggest(index: Index, name: str, kind: str | None = None, limit: int = 5) -> list[Candidate]:
    """The nearest names when nothing matches: partial and looser scores."""
    from rapidfuzz import fuzz, process

    wanted = key(name)
    out: dict[str, Candidate] = {}
    for found, score, _ in process.extract(wanted, index.keys, scorer=fuzz.WRatio,
                                           score_cutoff=SUGGEST_CUTOFF, limit=limit * 3):
        for iri in index.by_key[found]:
            entry = index.entries[iri]
            if (kind is None or entry.kind == kind) and iri not in out:
                out[iri] = Candidate(entry, float(score), found)
    return sorted(out.values(), key=lambda c: -c.score)[:limit]


def chosen(candidates: list[Candidate]) -> Candidate | None:
    """The one candidate a lookup can answer with, or None when several are as good."""
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    first, second = candidates[0], candidates[1]
    return first if first.score - second.score >= CLEAR_LEAD else None


# ---------------------------------------------------------------- profiles

_SECTIONS = {
    "person": [("posts", "posts-held"), ("sources", "articles")],
    "organization": [("officials", "officials"), ("bodies", "bodies"), ("sources", "articles")],
    "mission": [("mission", "mission"), ("heads", "officials"), ("sources", "articles")],
    "place": [("missions", "missions-at"), ("sources", "articles")],
}
# kind -> (the query listing every event with its date, the query describing those shown)
_EVENTS = {"person": ("events-of", "events"), "organization": ("events-of", "events"),
           "mission": ("events-of", "events"), "place": ("events-in", "events-at")}
SHOWN_EVENTS = 50  # a profile, not a list of thousands


def _value(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.Literal) and term.datatype.value.endswith("#boolean"):
        return term.value == "true"
    if isinstance(term, ox.Literal) and term.datatype.value.endswith("#integer"):
        return int(term.value)
    return term.value


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def _with_this(named: NamedQuery, iri: str, events: list[str] | None = None) -> str:
    """The query with ``?this`` (and ``?event``, to ``events``) bound by a VALUES clause at
    the top of each WHERE (a subquery's too: its variables are its own until it projects
    them).

    Not a substitution: pyoxigraph plans a substituted variable as unbound and binds it
    late, which measured 13 times slower for a person's events (25 ms against 1.9 ms on a
    1,000-article store, and growing with the store). The IRI is an ``ox.NamedNode`` (it
    comes from the store's index, never from what the user typed) written in its
    N-Triples form, which cannot close the brackets around it.
    """
    sparql = prepare(named.sparql)
    ends = [m.end() for m in _WHERE.finditer(sparql_code(sparql, keep_offsets=True))]
    if not ends:
        raise KGError(f"lookup query {named.name} has no WHERE clause", "reinstall newskg")
    values = f" VALUES ?this {{ {ox.NamedNode(iri)} }}"
    if events is not None:
        values += " VALUES ?event { " + " ".join(str(ox.NamedNode(e)) for e in events) + " }"
    parts = [sparql[start:end]
             for start, end in zip([0, *ends], [*ends, len(sparql)], strict=True)]
    return values.join(parts)


def _rows(store: KGStore, query: str, iri: str, events: list[str] | None = None
          ) -> list[dict[str, Any]]:
    results = store.query(_with_this(_query(query), iri, events))
    names = [v.value for v in results.variables if v.value != "this"]
    return [{name: _value(solution[name]) for name in names} for solution in results]


def summary(store: KGStore, entry: Entry) -> dict[str, Any]:
    [row] = _rows(store, "summary", entry.iri) or [{"label": entry.label}]
    return {
        "iri": entry.iri,
        "kind": entry.kind,
        "label": row.get("label") or entry.label,
        "other_names": sorted(filter(None, (row.get("otherNames") or "").split("|"))),
        "types": sorted(filter(None, (row.get("types") or "").split("|"))),
        "articles": row.get("articles", 0),
    }


def profile(store: KGStore, entry: Entry) -> dict[str, Any]:
    """Everything the profile of ``entry`` shows, as plain data (the --json output). The
    events and the sources are the latest 50; ``events_total`` and ``articles`` say how
    many there are."""
    out = summary(store, entry)
    out["events"], out["events_total"] = _latest_events(store, entry)
    for section, query in _SECTIONS[entry.kind]:
        out[section] = _rows(store, query, entry.iri)
    return out


def _latest_events(store: KGStore, entry: Entry) -> tuple[list[dict[str, Any]], int]:
    """The latest ``SHOWN_EVENTS`` events of ``entry`` (held in it, for a place), oldest
    first, and how many there are. Every event is read once, with its date only (one query
    both counts them and picks the latest), then the few shown are described."""
    every, describe = _EVENTS[entry.kind]
    dated = _rows(store, every, entry.iri)
    latest = sorted(dated, key=lambda e: (e["date"] or "", e["event"]), reverse=True)
    shown = [e["event"] for e in latest[:SHOWN_EVENTS]]
    return (_rows(store, describe, entry.iri, shown) if shown else []), len(dated)


def distinguish(store: KGStore, candidate: Candidate) -> dict[str, Any]:
    """What tells a candidate apart from the others: kind, names, a post or a body."""
    out = summary(store, candidate.entry)
    out["score"] = round(candidate.score, 1)
    if candidate.entry.kind == "person":
        posts = _rows(store, "posts-held", candidate.entry.iri)
        out["posts"] = [f"{p['post']}, {p.get('organizationLabel') or ''}".rstrip(", ")
                        for p in posts[:3]]
    return out


@dataclass
class LookupResult:
    """What ``kg lookup`` prints: one profile, or the candidates, or suggestions."""

    query: str
    status: str  # "found", "ambiguous" or "not found"
    profile: dict[str, Any] | None = None
    candidates: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"query": self.query, "status": self.status, "profile": self.profile,
                "candidates": self.candidates}


def lookup(store: KGStore, name: str, kind: str | None = None,
           index: Index | None = None) -> LookupResult:
    """Find ``name`` (of ``kind``) and return its profile or what to choose from."""
    if kind is not None and kind not in KINDS:
        raise UsageError(f"unknown type {kind!r}", "use one of: " + ", ".join(KINDS))
    index = index if index is not None else load_index(store)
    candidates = match(index, name, kind)
    one = chosen(candidates)
    if one is not None:
        return LookupResult(name, "found", profile=profile(store, one.entry))
    if candidates:
        return LookupResult(name, "ambiguous",
                            candidates=[distinguish(store, c) for c in candidates])
    nearest = suggest(index, name, kind)
    return LookupResult(name, "not found",
                        candidates=[dict(summary(store, c.entry), score=round(c.score, 1))
                                    for c in nearest])
