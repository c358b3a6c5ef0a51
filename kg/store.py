"""The knowledge graph on disk: the only module that opens pyoxigraph stores.

Graph layout (DESIGN.md): each article's facts sit in a named graph of their
own; the default graph holds every triple of every article graph once (the
merged knowledge that queries read); the ontology sits in a graph of its own,
its subclass axioms also in the default graph. Every write below is a single
SPARQL update request, which Oxigraph applies in one transaction: an article
goes in whole or not at all, and a failure leaves the store as it was.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from kg import derive, surnames
from kg.errors import QueryError, StoreError
from kg.facts import Document
from kg.resolve import article_graph
from kg.sources import read_sources
from kg.vocab import (
    DERIVED_GRAPH,
    KGO,
    ONTOLOGY,
    ONTOLOGY_GRAPH,
    ORG,
    OWL,
    RDF,
    RDFS,
    SCHEMA,
)

Triple = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]

_DIGEST = ox.NamedNode(KGO.contentDigest)
_TYPE = ox.NamedNode(RDF.type)
_ARTICLE = ox.NamedNode(SCHEMA.NewsArticle)
_URL = ox.NamedNode(SCHEMA.url)
_ONTOLOGY_GRAPH = ox.NamedNode(ONTOLOGY_GRAPH)
_MEMBERSHIP = ox.NamedNode(ORG.Membership)
_POST_REFERENCE = ox.NamedNode(KGO.PostReference)
_GATHERING = ox.NamedNode(KGO.gathering)
_DERIVED = ox.NamedNode(DERIVED_GRAPH)
# What an article graph keeps to itself, out of the merged default graph: the records of
# what was extracted before a curation changed it and of what was written before a name
# given alone was linked (large literals, not knowledge), and the words it names someone
# alone by
_OWN_ONLY = frozenset(ox.NamedNode(p) for p in (KGO.uncurated, KGO.unlinked, KGO.nameAlone))
# what names a post: a membership's role and body, a post reference's
# what a membership's interval is computed from
_ATTESTATION_PATTERNS = ((_TYPE, _MEMBERSHIP), (ox.NamedNode(KGO.attestedOn), None),
                         (ox.NamedNode(KGO.endedBefore), None))
_POST_ROLE = {ox.NamedNode(ORG.role), ox.NamedNode(KGO.referencedRole)}
_POST_BODY = {ox.NamedNode(ORG.organization), ox.NamedNode(KGO.referencedOrganization)}


# Strings, IRIs and comments of a SPARQL text: what to blank out before looking at keywords.
_NOT_CODE = re.compile(
    r"'''.*?'''|\"\"\".*?\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\""
    r"|<[^<>\"{}|^`\\\s]*>|(?<!\\)#[^\n]*",  # a "\#" in a prefixed name is no comment
    re.DOTALL,
)
# the keyword, not ?service, $service, ex:service or service:x
_SERVICE = re.compile(r"(?<![?$:\w\\-])SERVICE(?![\w:-])", re.IGNORECASE)


@functools.lru_cache(maxsize=256)
def sparql_code(sparql: str, *, keep_offsets: bool = False) -> str:
    """The query with its strings, IRIs and comments blanked: keywords only.

    ``keep_offsets`` blanks each with as many spaces (an IRI keeps its brackets), so a
    position in the result is the same position in ``sparql`` (for rewriting the text).
    Kept for the last few texts: a request looks at its query several times (its form,
    SERVICE, functions whose value changes).
    """
    if keep_offsets:
        return _NOT_CODE.sub(lambda m: _blank(m.group()), sparql)
    return _NOT_CODE.sub(" ", sparql)


def _blank(text: str) -> str:
    if text.startswith("<"):
        return "<" + " " * (len(text) - 2) + ">"
    return " " * len(text)


def sparql_iris(sparql: str) -> list[str]:
    """The ``<IRI>`` tokens of a SPARQL text (not those inside strings or comments)."""
    return [m.group()[1:-1] for m in _NOT_CODE.finditer(sparql) if m.group().startswith("<")]


def _looks_like_path(source: str) -> bool:
    return "://" not in source and not source.startswith(("ni:", "urn:", "file:"))


def _file_uris(source: str) -> set[str]:
    path = Path(source)
    uris = {path.absolute().as_uri()}
    with contextlib.suppress(OSError, RuntimeError):
        uris.add(path.resolve().as_uri())
    return uris


def _ntriples(triples: Iterable[Triple]) -> str:
    # pyoxigraph's str() of a term is its N-Triples form, escaping included.
    return "\n".join(f"{s} {p} {o} ." for s, p, o in triples)


def _insert(graph: str, triples: list[Triple]) -> str:
    """The update putting ``triples`` into ``graph`` and into the default graph (but for
    what an article graph keeps to itself)."""
    merged = [t for t in triples if t[1] not in _OWN_ONLY]
    return f"INSERT DATA {{ GRAPH <{graph}> {{ {_ntriples(triples)} }}\n{_ntriples(merged)} }}"


def article_quads(graph: str, triples: Iterable[Triple]) -> Iterator[ox.Quad]:
    """The quads storing ``triples`` as ``graph``'s: each in the graph and, but for what
    the graph keeps to itself, in the default graph (the bulk loader's form of
    ``_insert``)."""
    node, default = ox.NamedNode(graph), ox.DefaultGraph()
    for s, p, o in triples:
        yield ox.Quad(s, p, o, node)
        if p not in _OWN_ONLY:
            yield ox.Quad(s, p, o, default)


def _near(reports: list[derive.Report]) -> dict[str, set]:
    """Which reports to read as maybe of one gathering with ``reports``: those starting on
    the days of their windows with one of their parties (a gathering needs one shared)."""
    return {"dates": {day for r in reports for day in r.window()},
            "parties": {who for r in reports for who in r.parties}}


def _retract(graph: str) -> str:
    """Update operations dropping ``graph`` and what only it said from the default graph."""
    return (
        f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }}"
        f" FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != <{graph}>) }} }} ;\n"
        f"DROP SILENT GRAPH <{graph}>"
    )


# A triple ?s ?p ?o that some named graph puts into the default graph: any article graph
# (but for what it keeps to itself, _OWN_ONLY), and of the ontology graph only its
# subclass axioms (as ensure_ontology merges them).
_MERGED = (
    f"{{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{ONTOLOGY_GRAPH}>"
    f" && ?p NOT IN ({', '.join(str(p) for p in sorted(_OWN_ONLY, key=str))})) }}"
    " UNION "
    f"{{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?s ?p ?o }} FILTER(?p = <{RDFS.subClassOf}> && isIRI(?o)) }}"
)
# The default graph's own triples (those no named graph puts there) go; the merge stays.
_DROP_OWN = f"DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o FILTER NOT EXISTS {{ {_MERGED} }} }}"
# Every merged triple missing from the default graph comes back.
_REMERGE = f"INSERT {{ ?s ?p ?o }} WHERE {{ {_MERGED} FILTER NOT EXISTS {{ ?s ?p ?o }} }}"
_SUBCLASS = ox.NamedNode(RDFS.subClassOf)


# Flush the store's write buffers after about this many characters of updates. Unflushed,
# RocksDB kept every write of a session in memory: an ingest of 10,000 articles peaked at
# 1.2 GB, growing with each article; flushed every 32 MB of updates, memory stays flat.
FLUSH_EVERY = 32 * 1024 * 1024


def _fold_write_ahead_log(path: Path) -> None:
    """Open the store once more, so its write-ahead log stops taking disk.

    RocksDB keeps the log of a write session (several times the size of what was
    written) until the store is next opened, which folds it into the tables and deletes
    it: 1,000 articles took 150 MB on disk before, 32 MB after. The cost is a replay of
    this session's log, so it grows with the work done, not with the store. If another
    process has opened the store meanwhile, its own opening does the same.
    """
    with contextlib.suppress(OSError):
        ox.Store(str(path))


class KGStore:
    """An Oxigraph store holding the newskg graph layout.

    ``path=None`` gives an in-memory store (tests, ``kg extract``). ``kg.remote.RemoteStore``
    runs these same methods over a SPARQL endpoint: its ``_store`` is an HTTP client that
    answers ``update``, ``query``, ``quads_for_pattern``, ``contains_named_graph``,
    ``named_graphs``, ``in``, ``len``, ``dump``, ``remove`` and ``flush`` as pyoxigraph
    does, so a write built from those works on both (tests/test_remote.py checks).
    """

    def __init__(
        self, path: Path | str | None = None, *, read_only: bool = False, create: bool = True
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self._written = 0  # characters of updates since the last flush
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only or not create:
                if not (self.path / "CURRENT").exists():
                    raise StoreError(
                        f"no store at {self.path}",
                        "ingest some articles first (kg ingest FILE) or pass --store PATH",
                    )
                self._store = (ox.Store.read_only(str(self.path)) if read_only
                               else ox.Store(str(self.path)))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as error:
            if "lock" in str(error).lower():
                raise StoreError(
                    f"the store {self.path} is in use by another process",
                    "wait for the other kg command to finish, or use another --store",
                ) from None
            raise StoreError(
                f"cannot open the store {self.path}: {error}", "check the path and its permissions"
            ) from None

    @property
    def raw(self) -> ox.Store:
        """The underlying pyoxigraph store, for layers that query or dump it."""
        return self._store

    def close(self) -> None:
        if self.path is not None and not self.read_only:
            self._store.flush()
            del self._store
            _fold_write_ahead_log(self.path)
            return
        del self._store

    def __enter__(self) -> KGStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- writes

    def _update(self, request: str) -> None:
        try:
            self._store.update(request)
            self._written += len(request)
            if self._written > FLUSH_EVERY:
                self._store.flush()
                self._written = 0
        except OSError as error:
            raise StoreError(
                f"writing to the store {self.path} failed: {error}",
                "check free disk space; the store was left as it was",
            ) from None

    def ensure_ontology(self, ontology_file: Path) -> bool:
        """Load the ontology into its graph (and its subclass axioms into the default
        graph) unless the same version is already there. Returns True when it loaded."""
        data = ontology_file.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        marker = (ox.NamedNode(ONTOLOGY), _DIGEST, ox.Literal(digest), _ONTOLOGY_GRAPH)
        if ox.Quad(*marker) in self._store:
            return False
        graph = ox.Store()
        graph.load(data, format=ox.RdfFormat.TURTLE, base_iri=ONTOLOGY)
        triples = [(q.subject, q.predicate, q.object) for q in graph]
        axioms = [
            t
            for t in triples
            if str(t[1].value) == RDFS.subClassOf and isinstance(t[2], ox.NamedNode)
        ]
        self._update(
            f"{_retract(ONTOLOGY_GRAPH)} ;\n"
            f"INSERT DATA {{ GRAPH <{ONTOLOGY_GRAPH}> {{ {_ntriples(triples)}\n"
            f"{_ntriples([marker[:3]])} }}\n"
            f"{_ntriples(axioms)} }}"
        )
        return True

    def article_digest(self, graph: str) -> str | None:
        """The content digest recorded for an article graph, if the store has it."""
        for quad in self._store.quads_for_pattern(None, _DIGEST, None, ox.NamedNode(graph)):
            return str(quad.object.value)
        return None

    def replace_article(self, graph: str, triples: Iterable[Triple]) -> None:
        """Put an article's triples into its graph, replacing what it said before,
        and keep the default graph in step. One transaction."""
        self.replace_graphs({graph: list(triples)})

    def _memberships(self, graphs: Iterable[str], triples: Iterable[Triple] = ()) -> set[str]:
        """The memberships ``graphs`` hold now and ``triples`` hold: those whose interval a
        write replacing those graphs with those triples may change."""
        found = {str(t[0].value) for t in triples
                 if t[1] == _TYPE and t[2] == _MEMBERSHIP and isinstance(t[0], ox.NamedNode)}
        for graph in graphs:
            found.update(q.subject.value for q in self._store.quads_for_pattern(
                None, _TYPE, _MEMBERSHIP, ox.NamedNode(graph)))
        return found

    def _then_derive(self, leave_out: list[str],
                     written: dict[str, list[Triple]] | None = None) -> str:
        """Update operations recomputing the posts' intervals, the gatherings and the post
        holders a write may change: one replacing the graphs ``leave_out`` by the graphs
        ``written`` holding their triples (or removing them, given none). Read before the
        write, run inside it: the store as it will be is the store without ``leave_out``,
        and what is written (read from a scratch store in memory, with the same queries)."""
        written = written or {}
        scratch = ox.Store()
        for name, graph_triples in written.items():
            scratch.extend(ox.Quad(s, p, o, ox.NamedNode(name)) for s, p, o in graph_triples)
        every = [t for graph_triples in written.values() for t in graph_triples]
        return "".join(f" ;\n{op}" for op in self._derive_ops(leave_out, every, scratch))

    def _derive_ops(self, leave_out: list[str], triples: list[Triple],
                    scratch: ox.Store) -> list[str]:
        """``_then_derive``'s operations, given ``triples`` written and held by ``scratch``."""
        operations = [self._intervals_touched(leave_out, triples),
                      self._holders_touched(leave_out, triples, scratch),
                      self._gatherings_touched(leave_out, scratch)]
        return [op for op in operations if op]

    def _intervals_touched(self, leave_out: list[str], triples: list[Triple]) -> str:
        """Recompute the intervals of the memberships the graphs ``leave_out`` hold and
        ``triples`` hold, from the store without ``leave_out`` and ``triples``."""
        memberships = self._memberships(leave_out, triples)
        if not memberships:
            return ""
        intervals = derive.Intervals().read(self._attestations(memberships, leave_out))
        intervals.read(triples)
        return self._rewrite_derived(derive.interval_subjects(memberships),
                                     intervals.triples(memberships))

    def _attestations(self, memberships: set[str] | None, leave_out: Iterable[str]
                      ) -> Iterator[tuple]:
        """(membership, predicate, value) of the memberships' types and attestations in the
        article graphs but ``leave_out`` (``memberships`` None: every one's). By index, a
        few patterns a membership: a query naming more than one (VALUES) took 15 ms for 10
        memberships, 1.6 s for 2,500; the patterns 0.9 ms and 0.13 s."""
        skip = {_DERIVED, *(ox.NamedNode(g) for g in leave_out)}
        subjects = [None] if memberships is None else [ox.NamedNode(m) for m in memberships]
        for subject in subjects:
            for predicate, value in _ATTESTATION_PATTERNS:
                for quad in self._store.quads_for_pattern(subject, predicate, value, None):
                    if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name not in skip:
                        yield quad.subject, quad.predicate, quad.object

    def _holders_touched(self, leave_out: list[str], triples: list[Triple],
                         scratch: ox.Store) -> str:
        """Relink the post references of every post the write touches (a membership or a
        reference of it in the graphs written or removed): its holders may have changed."""
        roles: dict[object, str] = {}
        bodies: dict[object, str] = {}
        references = set()
        quads = [(q.subject, q.predicate, q.object) for g in leave_out
                 for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(g))]
        for s, p, o in [*quads, *triples]:
            if not isinstance(s, ox.NamedNode) or not isinstance(o, ox.NamedNode):
                continue  # a Graph Store write may hold anything; posts are named by IRIs
            if p in _POST_ROLE:
                roles[s] = o.value
            elif p in _POST_BODY:
                bodies[s] = o.value
            elif p == _TYPE and o == _POST_REFERENCE:
                references.add(s.value)
        posts = {(roles[s], bodies[s]) for s in roles if s in bodies}
        if not posts:
            return ""
        sources = ((self._store, leave_out), (scratch, ()))
        found: dict[str, tuple[derive.Post, date]] = {}
        for store, gone in sources:
            found.update(self._references(store, posts, gone))
        holdings: derive.Holdings = {}
        if found:  # who holds the posts matters only to their references
            for store, gone in sources:
                self._holdings(store, posts, gone, holdings)
        return self._rewrite_derived({f"{h}/holder" for h in references | set(found)},
                                     derive.resolve_holders(found, holdings))

    @staticmethod
    def _references(store: ox.Store, posts: set[derive.Post] | None, leave_out: Iterable[str]
                    ) -> dict[str, tuple[derive.Post, date]]:
        """The post references of ``posts``, with their post and date."""
        return derive.read_references(store.query(
            derive.posts_query(derive.REFERENCES_QUERY, posts, leave_out)))

    @staticmethod
    def _holdings(store: ox.Store, posts: set[derive.Post] | None, leave_out: Iterable[str],
                  into: derive.Holdings) -> None:
        """Read the holdings of ``posts`` into ``into``."""
        def ask(template: str):
            return store.query(derive.posts_query(template, posts, leave_out))

        derive.read_holdings(ask(derive.HOLDINGS_QUERY), ask(derive.FORMER_QUERY), into)

    def _rewrite_derived(self, subjects: set[str] | None, triples: Iterable[Triple]) -> str:
        """Update operations making the derived triples of ``subjects`` (``None``: every
        derived triple) be ``triples`` (in the derived graph and the default graph),
        writing only what differs."""
        new = set(triples)
        patterns = [None] if subjects is None else [ox.NamedNode(s) for s in subjects]
        old = {(q.subject, q.predicate, q.object) for s in patterns
               for q in self._store.quads_for_pattern(s, None, None, _DERIVED)}
        gone, added = _ntriples(old - new), _ntriples(new - old)
        operations = []
        if gone:
            operations.append(f"DELETE DATA {{ GRAPH <{DERIVED_GRAPH}> {{ {gone} }}\n{gone} }}")
        if added:
            operations.append(f"INSERT DATA {{ GRAPH <{DERIVED_GRAPH}> {{ {added} }}\n{added} }}")
        return " ;\n".join(operations)

    def _reports(self, leave_out: Iterable[str] = (), **which) -> dict[str, derive.Report]:
        """Event reports of the article graphs (``derive.read_reports`` picks which)."""
        return derive.read_reports(self._store, leave_out=leave_out, **which)

    def _gatherings_touched(self, leave_out: list[str], scratch: ox.Store) -> str:
        """Recompute the gatherings of every report the write touches: those of the graphs
        it replaces and writes, the other reports of their gatherings, those that may have
        been of one gathering with a report going away, and every report that may be of one
        gathering with any of these, and so on (whole connected sets, so the result is what
        gathering every report of the store would give)."""
        new = derive.read_reports(scratch, every=True)
        gone = {q.subject.value for g in leave_out for cls in derive.EVENT_CLASSES
                for q in self._store.quads_for_pattern(None, _TYPE, cls, ox.NamedNode(g))
                if isinstance(q.subject, ox.NamedNode)}
        touched = gone | set(new)
        if not touched:
            return ""
        linked = self._gathered_with(touched)
        known = dict(new)
        missing = linked - set(known) - gone
        if missing:
            known.update(self._reports(leave_out, iris=missing))
        if gone:  # the reports that the ones going away may have held apart or together
            was = list(self._reports(iris=gone).values())
            known.update((r.iri, r) for r in derive.joining(
                self._reports(leave_out, **_near(was)).values(), was))
        frontier = list(known.values())
        while frontier:
            near = self._reports(leave_out, **_near(frontier))
            days = {day for report in frontier for day in report.window()}
            near.update({i: r for i, r in new.items() if r.start in days})
            frontier = derive.joining((r for i, r in near.items() if i not in known), frontier)
            known.update((r.iri, r) for r in frontier)
        events = touched | set(known)
        old = {q.object.value for e in events
               for q in self._store.quads_for_pattern(ox.NamedNode(e), _GATHERING, None, _DERIVED)}
        groups = derive.gather(known.values())
        subjects = old | events | {derive.gathering_iri(g) for g in groups}
        return self._rewrite_derived(
            subjects, (t for g in groups for t in derive.gathering_triples(g)))

    def _gathered_with(self, events: set[str]) -> set[str]:
        """Every report of the gatherings ``events`` belong to now."""
        gatherings = {q.object for e in events
                      for q in self._store.quads_for_pattern(ox.NamedNode(e), _GATHERING, None,
                                                             _DERIVED)}
        return {q.subject.value for g in gatherings
                for q in self._store.quads_for_pattern(None, _GATHERING, g, _DERIVED)}

    def remove_articles(self, graphs: Iterable[str]) -> list[str]:
        """Retract several articles in one transaction: all of them or, on failure, none.
        Returns the graphs the store held (the others are ignored)."""
        held = [
            g for g in dict.fromkeys(graphs) if self._store.contains_named_graph(ox.NamedNode(g))
        ]
        self.replace_graphs({g: [] for g in held})
        return held

    def replace_graphs(self, graphs: dict[str, list[Triple]]) -> None:
        """Replace several named graphs' triples at once (an empty list: remove the graph),
        keeping the default graph, the links of names given alone, the posts' intervals,
        the gatherings and the post holders in step. One transaction."""
        if not graphs:
            return
        graphs = self._with_links(graphs)
        derived = self._then_derive(list(graphs), {g: ts for g, ts in graphs.items() if ts})
        # one request, run in order: a triple two of them assert leaves with the last
        self._update(" ;\n".join(f"{_retract(g)} ;\n{_insert(g, ts)}"
                                 if ts else _retract(g) for g, ts in graphs.items()) + derived)

    def _with_links(self, graphs: dict[str, list[Triple]]) -> dict[str, list[Triple]]:
        """``graphs`` (replacing the stored ones; empty: removed) with their names given
        alone linked to known persons (``kg/surnames.py``), plus every stored article
        whose links the write may change: one naming someone alone by a word of a person
        the write ties to, or unties from, a body or place that article mentions.

        Each check stops at the first article it needs, so a person named in full by
        thousands of articles costs a write no more than one named by a few."""
        leave_out = list(graphs)
        given = {g: surnames.as_written(ts) for g, ts in graphs.items() if ts}
        scratch = ox.Store()
        for name, triples in given.items():
            scratch.extend(ox.Quad(s, p, o, ox.NamedNode(name)) for s, p, o in triples)
        out: dict[str, list[Triple]] = {g: [] for g in graphs}
        out.update(self._link(given, leave_out, scratch))
        stored = {g: self.graph_triples(g) for g in sorted(self._relinked(leave_out, scratch))}
        return out | self._changed_links(stored, leave_out, scratch)

    def _changed_links(self, stored: dict[str, list[Triple]], leave_out: Iterable[str] = (),
                       scratch: ox.Store | None = None) -> dict[str, list[Triple]]:
        """Those of the ``stored`` articles whose links differ from what they should be."""
        linked = self._link({g: surnames.as_written(ts) for g, ts in stored.items()},
                            leave_out, scratch or ox.Store())
        return {g: ts for g, ts in linked.items()
                if self.canonical(ts) != self.canonical(stored[g])}

    def _link(self, written: dict[str, list[Triple]], leave_out: Iterable[str],
              scratch: ox.Store) -> dict[str, list[Triple]]:
        """Articles (as written) with their names given alone linked: as the store will be
        without ``leave_out`` and with what ``scratch`` holds."""
        words = {w for ts in written.values() for w in surnames.words_of(ts, surnames.NAME_ALONE)}
        if not words:
            return dict(written)
        chosen = surnames.values("?word", [(ox.Literal(w),) for w in words])
        candidates: surnames.Candidates = {}
        surnames.read_candidates(self._store.query(surnames.CANDIDATES_QUERY % chosen),
                                 candidates)
        # (a scratch store's default graph is the union of its graphs)
        surnames.read_candidates(scratch.query(surnames.CANDIDATES_QUERY % chosen,
                                               use_default_graph_as_union=True), candidates)
        rest = surnames.leaving_out(leave_out)

        def shares(person: str, word: str, context: set[str]) -> bool:
            asked = surnames.values("?person ?word ?context",
                                    [(person, ox.Literal(word), c) for c in context])
            return bool(scratch.query(surnames.SHARES_QUERY % (asked, ""))) or bool(
                self._store.query(surnames.SHARES_QUERY % (asked, rest)))

        return {g: self._linked(ts, surnames.links(ts, candidates, shares))
                for g, ts in written.items()}

    def link_stored(self) -> None:
        """Link the names given alone of every stored article, in one write of those whose
        links change (after a bulk load, which stores articles as they were written)."""
        found = self._store.query(surnames.ALL_ALONE_QUERY)
        stored = {g: self.graph_triples(g) for g in sorted({row["g"].value for row in found})}
        self.replace_graphs(self._changed_links(stored))

    def _relinked(self, leave_out: list[str], scratch: ox.Store) -> set[str]:
        """The stored articles, but ``leave_out``, whose links a write replacing
        ``leave_out`` by what ``scratch`` holds may change: those naming someone alone by
        a word of a (person, body or place) tie the write adds or takes away, and
        mentioning that body or place."""
        added = surnames.read_pairs(scratch.query(surnames.PAIRS_QUERY % ""))
        old = surnames.values("?g", [(g,) for g in leave_out])
        removed = surnames.read_pairs(self._store.query(surnames.PAIRS_QUERY % old)) - added
        ties = added | removed
        if not ties:
            return set()
        rest = surnames.leaving_out(leave_out)
        # a quick look first: most words no article names anyone alone by
        words = surnames.values("?word ?context", [(ox.Literal(w), c) for w, _, c in ties])
        named = {(row["word"].value, row["context"].value) for row in self._store.query(
            surnames.ALONE_PAIRS_QUERY % (words, rest))}
        changed = []
        for word, person, context in sorted(t for t in ties if (t[0], t[2]) in named):
            asked = surnames.values("?person ?word ?context",
                                    [(person, ox.Literal(word), context)])
            if not self._store.query(surnames.SHARES_QUERY % (asked, rest)):
                changed.append((ox.Literal(word), context))
        if not changed:
            return set()
        found = self._store.query(surnames.ALONE_QUERY % (
            surnames.values("?word ?context", changed), rest))
        return {row["g"].value for row in found}

    def _linked(self, triples: list[Triple], rename: dict[ox.NamedNode, ox.NamedNode]
                ) -> list[Triple]:
        """An article's triples (as written) with ``rename`` applied, and the record of
        them as the store holds them (the same record whatever history made it)."""
        if not rename:
            return triples
        recorded, kept = surnames.record_of(triples)
        article = next(s for s, p, o in triples if p == _TYPE and o == _ARTICLE)
        return [*surnames.linked(recorded, rename), *kept,
                (article, surnames.UNLINKED, self.record(recorded))]

    # ---------------------------------------------------------------- graph store writes

    def has_graph(self, graph: str) -> bool:
        return self._store.contains_named_graph(ox.NamedNode(graph))

    def put_graph(self, graph: str | None, triples: Iterable[Triple]) -> bool:
        """Replace a named graph's triples (``None``: the default graph's own triples, those
        no named graph asserts) keeping the merge in step. True when the graph is new."""
        triples = list(triples)
        if graph is None:
            self._update(f"{_DROP_OWN} ;\nINSERT DATA {{ {_ntriples(triples)} }}")
            return False
        created = not self.has_graph(graph)
        derived = self._then_derive([graph], {graph: triples})
        self._update(f"{_retract(graph)} ;\nCREATE SILENT GRAPH <{graph}> ;\n"
                     f"{_insert(graph, triples)}{derived}")
        return created

    def add_to_graph(self, graph: str | None, triples: Iterable[Triple]) -> bool:
        """Merge triples into a graph (``None``: the default graph) and into the default
        graph. True when the graph is new."""
        triples = list(triples)
        if graph is None:
            self._update(f"INSERT DATA {{ {_ntriples(triples)} }}")
            return False
        created = not self.has_graph(graph)
        held = [(q.subject, q.predicate, q.object)
                for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))]
        derived = self._then_derive([graph], {graph: held + triples})
        self._update(f"CREATE SILENT GRAPH <{graph}> ;\n{_insert(graph, triples)}{derived}")
        return created

    def drop_graph(self, graph: str | None) -> bool:
        """Drop a named graph and what only it said (``None``: the default graph's own
        triples). False when there was no such graph."""
        if graph is None:
            self._update(_DROP_OWN)
            return True
        return bool(self.remove_articles([graph]))

    def update(self, sparql: str, *, base_iri: str | None = None,
               graphs: Iterable[str] | None = None) -> None:
        """Run a SPARQL update, then bring the default graph back in step with the named
        graphs: a triple the update took out of a named graph leaves the default graph
        unless another graph asserts it, and every asserted triple is in the default graph.

        ``graphs`` are the named graphs the update may change (``kg.sparql.graphs_named``);
        ``None`` means any, which reads every named graph before and after.
        """
        watched = None if graphs is None else {ox.NamedNode(g) for g in graphs}
        before = self._snapshot(watched)
        try:
            self._store.update(sparql, base_iri=base_iri)
        except SyntaxError as error:
            raise QueryError(f"invalid SPARQL update: {error}".splitlines()[0],
                             "check the update syntax") from None
        except OSError as error:
            raise QueryError(f"the update failed: {error}", "the store was left as it was"
                             ) from None
        after = self._snapshot(watched if watched is not None else set(before))
        removed = set().union(*(quads - after.get(g, set()) for g, quads in before.items()))
        self._remerge(removed)

    def _snapshot(self, graphs: set[ox.NamedNode] | None) -> dict[ox.NamedNode, set[tuple]]:
        names = set(self._store.named_graphs()) if graphs is None else graphs
        return {g: {(q.subject, q.predicate, q.object)
                    for q in self._store.quads_for_pattern(None, None, None, g)}
                for g in names}

    def _asserted(self, triple: tuple) -> bool:
        if triple[1] in _OWN_ONLY:
            return False
        for quad in self._store.quads_for_pattern(*triple, None):
            graph = quad.graph_name
            if isinstance(graph, ox.DefaultGraph):
                continue
            if graph != _ONTOLOGY_GRAPH or (
                    triple[1] == _SUBCLASS and isinstance(triple[2], ox.NamedNode)):
                return True
        return False

    def _remerge(self, removed: set[tuple]) -> None:
        for triple in removed:
            if not self._asserted(triple):
                self._store.remove(ox.Quad(*triple, ox.DefaultGraph()))
        # an update may change any attestation, event or post reference: everything derived
        # is recomputed (one request)
        derived = self._rewrite_derived(None, self._all_derived())
        self._update(f"{_REMERGE} ;\n{derived}" if derived else _REMERGE)

    def _all_derived(self) -> Iterator[Triple]:
        """Every derived triple, computed from the article graphs: the posts' intervals,
        the gatherings, the holders of unnamed posts."""
        yield from derive.Intervals().read(self._attestations(None, ())).triples()
        for group in derive.gather(self._reports(every=True).values()):
            yield from derive.gathering_triples(group)
        found = self._references(self._store, None, ())
        holdings: derive.Holdings = {}
        if found:
            self._holdings(self._store, None, (), holdings)
        yield from derive.resolve_holders(found, holdings)

    # ---------------------------------------------------------------- bulk loads

    def holds_articles(self) -> bool:
        """Whether any graph but the ontology's holds anything (derived triples included)."""
        if next(iter(self._store.quads_for_pattern(None, None, None, _DERIVED)), None):
            return True
        return any(g not in (_ONTOLOGY_GRAPH, _DERIVED) for g in self._store.named_graphs())

    def keep_inputs(self, graph: str, triples: Iterable[Triple]) -> None:
        """Keep what the derivations read of an article's triples in its graph: an
        in-memory store of articles staged for a bulk load, to derive from."""
        node = ox.NamedNode(graph)
        self._store.extend(ox.Quad(s, p, o, node) for s, p, o in derive.inputs(triples))

    def derived_quads(self) -> Iterator[ox.Quad]:
        """Every derived triple of the article graphs, in the derived graph and in the
        default graph (as ``_rewrite_derived`` writes them): a bulk loader's input."""
        default = ox.DefaultGraph()
        for s, p, o in self._all_derived():
            yield ox.Quad(s, p, o, _DERIVED)
            yield ox.Quad(s, p, o, default)

    def bulk_add_articles(self, shards: Iterable[Path], digests: Path, new: KGStore, *,
                          derived_staged: bool = False) -> None:
        """Add articles the store does not hold yet with RocksDB's bulk loader, in steps:

        1. ``shards``: their quads, each triple in its article's graph and in the default
           graph (``article_quads``, as ``replace_article`` writes them);
        2. what they derive. Into a store that holds no article, that is a function of the
           new articles alone, computed from ``new`` (``derived_quads``): while staging,
           into the shards (``derived_staged``), else here, loaded after them. Into a store
           holding articles, the intervals, gatherings and holders the new articles touch
           are recomputed from the store in one transaction, as an article write does;
        3. the names given alone linked (``link_stored``): the articles whose links
           change are written again, as one write;
        4. ``digests``, their content digests, last.

        ``new`` holds what the derivations read of the new articles (``keep_inputs``).
        Several times faster than one transaction per article, but not atomic: a load
        that fails midway leaves part of a file in the store; with the digests loaded last
        an article cut short is not taken for stored and the next ingest loads it again.
        """
        first = not self.holds_articles()
        if derived_staged and not first:
            raise StoreError(f"the articles were staged for an empty store, and {self.path} "
                             "holds articles", "run the same ingest again")
        self._bulk_load(shards)
        if not first:
            self._derive_touched_by(new)
        elif not derived_staged:
            self._store.bulk_extend(new.derived_quads())
        self.link_stored()
        self._bulk_load([digests])

    def _derive_touched_by(self, new: KGStore) -> None:
        """Recompute, in one transaction, the intervals, gatherings and holders that the
        articles of ``new`` (loaded already) touch."""
        triples = [(q.subject, q.predicate, q.object) for q in new.raw]
        operations = self._derive_ops([], triples, new.raw)
        if operations:
            self._update(" ;\n".join(operations))

    def _bulk_load(self, shards: Iterable[Path]) -> None:
        for shard in shards:
            try:
                self._store.bulk_load(path=str(shard), format=ox.RdfFormat.N_QUADS)
            except (OSError, SyntaxError, ValueError) as error:
                raise StoreError(f"bulk loading {shard} into {self.path} failed: {error}",
                                 "check free disk space, then run the same ingest again "
                                 "(articles stored whole are skipped)") from None

    # ---------------------------------------------------------------- reads

    def query(self, sparql: str, substitutions: dict | None = None):
        """Run a SPARQL query over the default graph (merged knowledge)."""
        from kg.errors import QueryError

        if _SERVICE.search(sparql_code(sparql)):
            # pyoxigraph would fetch the remote endpoint; newskg never goes to the network
            raise QueryError(
                "federated queries (SERVICE) are not allowed",
                "query the local store only; export the data with kg export to combine it",
            )
        try:
            return self._store.query(sparql, substitutions=substitutions)
        except SyntaxError as error:
            raise QueryError(
                f"invalid SPARQL: {error}",
                "check the query syntax; prefixes kgo:, schema:, org:... are predeclared",
            ) from None
        except OSError as error:
            raise QueryError(f"the query failed: {error}", "") from None

    @staticmethod
    def canonical(triples: Iterable[Triple]) -> set[str]:
        """Triples as N-Triples lines in the form the store gives them back (Oxigraph keeps
        values, not spellings: "0.90"^^xsd:decimal comes back "0.9", xsd:nonNegativeInteger
        as xsd:integer), to compare what is stored with what would be."""
        memory = ox.Store()
        memory.extend(ox.Quad(s, p, o) for s, p, o in triples)
        return {f"{q.subject} {q.predicate} {q.object} ." for q in memory}

    @classmethod
    def record(cls, triples: Iterable[Triple]) -> ox.Literal:
        """Triples kept as one N-Triples literal (``kgo:uncurated``, ``kgo:unlinked``), in
        the form and order the store gives them back: the same record whether the triples
        came from extraction or from the store."""
        return ox.Literal("\n".join(sorted(cls.canonical(triples))))

    def graph_triples(self, graph: str) -> list[Triple]:
        """Every triple of a named graph."""
        return [(q.subject, q.predicate, q.object)
                for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph))]

    def graph_value(self, graph: str, predicate: str) -> str | None:
        """The value of ``predicate`` on the graph's own IRI, inside that graph."""
        node = ox.NamedNode(graph)
        for quad in self._store.quads_for_pattern(node, ox.NamedNode(predicate), None, node):
            return str(quad.object.value)
        return None

    def graphs_with(self, *, iris: Iterable[str] = (), predicate: str | None = None) -> set[str]:
        """The named graphs naming any of ``iris`` (as subject or value), or using
        ``predicate``."""
        patterns = [(ox.NamedNode(i), None, None) for i in iris]
        patterns += [(None, None, ox.NamedNode(i)) for i in iris]
        if predicate is not None:
            patterns.append((None, ox.NamedNode(predicate), None))
        return {q.graph_name.value for s, p, o in patterns
                for q in self._store.quads_for_pattern(s, p, o, None)
                if isinstance(q.graph_name, ox.NamedNode)}

    def graphs_labelled(self, names: Iterable[str]) -> set[str]:
        """The named graphs giving some node an ``rdfs:label`` that is one of ``names``
        (lower case; compared with the label in lower case)."""
        found: set[str] = set()
        sparql = (f"SELECT DISTINCT ?g ?name WHERE {{ GRAPH ?g {{ ?x <{RDFS.label}> ?label }}"
                  f" FILTER(LCASE(STR(?label)) = ?name) }}")
        for name in sorted(set(names)):
            for row in self._store.query(sparql, substitutions={
                    ox.Variable("name"): ox.Literal(name)}):
                found.add(row["g"].value)
        return found

    def article_graphs(self) -> Iterator[tuple[str, str]]:
        """(graph IRI, schema:url) of every article in the store."""
        for quad in self._store.quads_for_pattern(None, _TYPE, _ARTICLE, None):
            if isinstance(quad.graph_name, ox.NamedNode):
                for url in self._store.quads_for_pattern(quad.subject, _URL, None, quad.graph_name):
                    yield quad.graph_name.value, url.object.value

    def articles_named_by(
        self, source: str, articles: list[tuple[str, str]] | None = None
    ) -> list[tuple[str, str]]:
        """(graph, url) of the articles ``source`` names: a graph IRI, a URL, or a path
        (a file, a .jsonl file's lines, a folder's files, or what a file now reads as)."""
        if articles is None:
            articles = list(self.article_graphs())
        found = {(graph, url) for graph, url in articles if source in (graph, url)}
        if _looks_like_path(source):
            uris = _file_uris(source)
            for graph, url in articles:
                for uri in uris:
                    if url == uri or url.startswith((uri + "#", uri.rstrip("/") + "/")):
                        found.add((graph, url))
            if Path(source).exists():
                by_graph = dict(articles)
                for item in read_sources([source]):
                    if isinstance(item, Document) and article_graph(item.url) in by_graph:
                        graph = article_graph(item.url)
                        found.add((graph, by_graph[graph]))
        return sorted(found)

    def stats(self) -> dict[str, object]:
        """Counts a user checks after an ingest: articles, graphs, quads, entities by class."""
        query = self._store.query
        quads = len(self._store)
        graphs = sum(1 for _ in self._store.named_graphs())
        articles = next(
            iter(
                query(
                    "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?g { ?a a "
                    f"<{SCHEMA.NewsArticle}> }} }}"
                )
            )
        )["n"].value
        default = next(iter(query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))["n"].value
        classes = {
            row["class"].value: int(row["n"].value)
            for row in query(
                "SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a ?class "
                f"FILTER(?class != <{OWL.Class}>) }} GROUP BY ?class ORDER BY DESC(?n)"
            )
        }
        return {
            "articles": int(articles),
            "graphs": graphs,
            "quads": quads,
            "default_graph_triples": int(default),
            "entities_by_class": classes,
        }


def graph_results(data: bytes, rdf_format: ox.RdfFormat) -> ox.QueryTriples:
    """CONSTRUCT or DESCRIBE results read back from a serialization (a remote endpoint's
    answer) as the ``QueryTriples`` an embedded store gives, so one renderer serves both:
    the triples go into an in-memory store that hands them back."""
    scratch = ox.Store()
    try:
        scratch.load(data, format=rdf_format)
    except SyntaxError as error:
        raise StoreError(f"the endpoint's RDF answer does not parse: {error}",
                         "check that --store names a SPARQL endpoint") from None
    return scratch.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
