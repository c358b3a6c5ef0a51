"""What the store derives across articles: each post's interval, one event for the
reports of one gathering, and the holder of a post an article names without a name.

All are functions of the article graphs present, never of the order they came in, so
ingesting in any order, re-ingesting and removing give the same derived graph. The store
(``KGStore``) decides which events and post references a write touches, reads them, and
puts what this module computes into the write's own transaction.

**A post's interval.** A membership's ``org:memberDuring`` interval runs from the earliest
to the latest date an article reports the post as held (``kgo:attestedOn``);
``kgo:endedBefore`` on it is the earliest date after that on which an article calls it
former. Undated reports add no attestation, so they leave the dates alone; a membership
with neither gets no interval. Computed here in Python from the attestations the store
reads (by index, or one query on a remote store), for a single write, a whole store and
a bulk load alike.

**One gathering, many reports.** Each article keeps its own event node (its report).
Two reports are of the same gathering when they come from different articles, are of the
same kind (a meeting, a visit), their days overlap or lie at most a day apart (each
lasting at most ``MAX_DAYS``), they share most of the smaller party list (more than
half of it), and they name the same place when both name one (and both must name it when
they share a single party). Reports are joined best
pair first (most parties in common, nearest days), never two of one article into one
gathering and never two places: so a summit and a bilateral meeting on its sidelines,
told in one article, stay two events even if a third article could be read as either.
A report naming no place that fits reports in two different places joins neither.
Each gathering of two or more reports becomes an event of its own in the derived graph,
``kgo:gathering`` from every report to it.

**Unnamed posts.** A ``kgo:PostReference`` ("the CSTO Secretary General said") is read
as the one person whose attested time (the ``org:memberDuring`` interval, computed here
from the same attestations) covers the article's date for that post and body (rule
``holder-attested-on-date``, confidence 0.6), else the one last known holder before it,
as the ``post-holder`` query answers (``holder-last-known``, 0.4). Two candidates, or
none, give no link. Read in Python from the attestations, not in SPARQL from the derived
intervals: the same answer, without a query per candidate (30-80 ms a write).
"""

from __future__ import annotations

import operator
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

import pyoxigraph as ox

from kg.vocab import DERIVED_GRAPH, KGO, NIF, ORG, PROV, RDF, RDFS, SCHEMA, TIME, XSD

GATHERING_RULE = "event-same-gathering"
MAX_DAYS = 7  # a report lasting longer (a tour, a season of talks) is no single gathering

Triple = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]


# ---------------------------------------------------------------- one gathering, many reports


@dataclass
class Report:
    """One article's event node, as gathering reads it."""

    iri: str
    graph: str
    kind: str  # the class IRI
    start: date
    end: date  # the start when the report gives no end
    place: str | None = None
    attendees: set[str] = field(default_factory=set)
    organizers: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)
    sentences: set[str] = field(default_factory=set)
    confidence: float = 0.0

    @property
    def parties(self) -> set[str]:
        return self.attendees | self.organizers

    def window(self) -> list[date]:
        """The start days a report of the same gathering may have."""
        first = self.start - timedelta(days=1 + MAX_DAYS)
        return [first + timedelta(days=n) for n in range((self.end - first).days + 2)]


_START = ox.NamedNode(SCHEMA.startDate)
_END = ox.NamedNode(SCHEMA.endDate)
_PLACE = ox.NamedNode(SCHEMA.location)
_LABEL = ox.NamedNode(RDFS.label)
_SOURCE = ox.NamedNode(PROV.wasDerivedFrom)
_CONFIDENCE = ox.NamedNode(KGO.confidence)
_ATTENDEE = ox.NamedNode(SCHEMA.attendee)
_ORGANIZER = ox.NamedNode(SCHEMA.organizer)
_TYPE = ox.NamedNode(RDF.type)
_DATE = ox.NamedNode(XSD.date)
EVENT_CLASSES = (ox.NamedNode(KGO.Meeting), ox.NamedNode(KGO.Visit))


# The events starting on some days with one of some parties, and their article graphs.
_CANDIDATES = f"""
SELECT DISTINCT ?e ?g WHERE {{
  VALUES ?start {{ %s }}
  VALUES ?who {{ %s }}
  GRAPH ?g {{ ?e <{SCHEMA.startDate}> ?start ; <{SCHEMA.attendee}>|<{SCHEMA.organizer}> ?who }}
}}"""
# Named events with a start, and their article graphs.
_NAMED = (f"SELECT DISTINCT ?e ?g WHERE {{ VALUES ?e {{ %s }}"
          f" GRAPH ?g {{ ?e <{SCHEMA.startDate}> ?start }} }}")
# Every triple of some events in some graphs, or of every meeting and visit.
_TRIPLES = "SELECT ?e ?g ?p ?o WHERE { VALUES (?e ?g) { %s } GRAPH ?g { ?e ?p ?o } }"
_EVERY = f"""
SELECT ?e ?g ?p ?o WHERE {{
  VALUES ?class {{ {" ".join(str(c) for c in EVENT_CLASSES)} }}
  GRAPH ?g {{ ?e a ?class ; ?p ?o }}
}}"""


# Days times parties past which reading every report is faster than the candidates query
# (its two VALUES are joined as a product: 2,500 reports of a bulk load asked 1.0 s for
# 1,500 days and 1,500 parties, against 0.6 s reading all 5,000 of the store)
WIDE = 20_000


def read_reports(store: ox.Store, *, dates: Iterable[date] = (), parties: Iterable[str] = (),
                 iris: Iterable[str] = (), every: bool = False, leave_out: Iterable[str] = ()
                 ) -> dict[str, Report]:
    """The reports of the article graphs starting on ``dates`` with one of ``parties``
    among theirs (those that may be of one gathering with reports of these parties), or
    those of ``iris``, or ``every`` report, leaving out the graphs ``leave_out`` (those a
    write replaces).

    A few queries whatever the number of reports (one request each on a remote store),
    each answered through the store's indexes (the days and parties, then each report's
    triples in its graph): a write pays for the few reports that could share a gathering
    with its own, not for every report of those days or of the store.
    """
    skip = {DERIVED_GRAPH, *leave_out}
    days, who = sorted(set(dates)), sorted(set(parties))
    wide = not every and len(days) * len(who) > WIDE
    if every or wide:
        rows = store.query(_EVERY)
    else:
        pairs = []
        if iris:
            pairs += [(r["e"], r["g"]) for r in store.query(
                _NAMED % " ".join(f"<{i}>" for i in sorted(set(iris))))]
        if days and who:
            pairs += [(r["e"], r["g"]) for r in store.query(_CANDIDATES % (
                " ".join(f'"{d.isoformat()}"^^<{XSD.date}>' for d in days),
                " ".join(f"<{w}>" for w in who)))]
        wanted = sorted({(e.value, g.value) for e, g in pairs if isinstance(e, ox.NamedNode)
                         and isinstance(g, ox.NamedNode) and g.value not in skip})
        if not wanted:
            return {}
        rows = store.query(_TRIPLES % " ".join(f"(<{e}> <{g}>)" for e, g in wanted))
    triples: dict[tuple[str, str], list[tuple[ox.NamedNode, object]]] = defaultdict(list)
    for event, graph, predicate, value in _values(rows, "e", "g", "p", "o"):
        if isinstance(event, ox.NamedNode) and graph.value not in skip:
            triples[(event.value, graph.value)].append((predicate, value))
    if wide:  # what the candidates query would have found, picked out of every report
        named = set(iris)
        triples = defaultdict(list, {key: pairs for key, pairs in triples.items()
                                     if key[0] in named or _starts(pairs, days, who)})
    reports = (_report(event, graph, triples[(event, graph)]) for event, graph in sorted(triples))
    return {r.iri: r for r in reports
            if r is not None and (r.end - r.start).days <= MAX_DAYS}


def _values(solutions: ox.QuerySolutions, *names: str) -> Iterator[tuple]:
    """Each solution's values of the variables ``names``, in that order, whatever order the
    answer lists its variables in (a solution read whole, then picked from, took a third
    of the time of reading it by name: 45,000 rows, 0.10 s against 0.27 s)."""
    pick = operator.itemgetter(*(solutions.variables.index(ox.Variable(n)) for n in names))
    for solution in solutions:
        yield pick(tuple(solution))


def _starts(pairs: list[tuple[ox.NamedNode, object]], days: list[date], who: list[str]
            ) -> bool:
    """Whether an event's (predicate, value) pairs start it on one of ``days`` with one of
    ``who`` among its parties (``_CANDIDATES``, in Python)."""
    return (any(p == _START and _day(v) in days for p, v in pairs)
            and any(p in (_ATTENDEE, _ORGANIZER) and isinstance(v, ox.NamedNode)
                    and v.value in who for p, v in pairs))


def _report(event: str, graph: str, triples: list[tuple[ox.NamedNode, object]]
            ) -> Report | None:
    """One event's report from its triples (predicate, object) in one article graph; None
    when it is not a meeting or visit with a day for its start, or names its place or its
    parties only by something other than IRIs (a Graph Store write may hold anything)."""
    values: dict[ox.NamedNode, set] = defaultdict(set)
    for predicate, value in triples:
        values[predicate].add(value)
    kinds = sorted(c.value for c in values[_TYPE] if c in EVENT_CLASSES)
    starts = sorted(d for d in map(_day, values[_START]) if d is not None)
    places = sorted(p.value for p in values[_PLACE] if isinstance(p, ox.NamedNode))
    parties = {role: {w.value for w in values[predicate] if isinstance(w, ox.NamedNode)}
               for role, predicate in (("attendee", _ATTENDEE), ("organizer", _ORGANIZER))}
    named_parties = sum(len(v) for v in parties.values())
    if (not kinds or not starts or (values[_PLACE] and not places)
            or ((values[_ATTENDEE] or values[_ORGANIZER]) and not named_parties)):
        return None
    start = starts[0]
    ends = sorted(d for d in map(_day, values[_END]) if d is not None)
    end = max(ends[0] if ends else start, start)
    report = Report(event, graph, kinds[0], start, end, places[0] if places else None,
                    parties["attendee"], parties["organizer"])
    report.labels = {v.value for v in values[_LABEL]}
    report.sentences = {v.value for v in values[_SOURCE]}
    report.confidence = max((c for c in map(_number, values[_CONFIDENCE]) if c is not None),
                            default=0.0)
    return report


def _day(term: object) -> date | None:
    if not isinstance(term, ox.Literal) or term.datatype != _DATE:
        return None
    try:
        return date.fromisoformat(term.value)
    except ValueError:
        return None


def _number(term: object) -> float | None:
    try:
        return float(term.value) if isinstance(term, ox.Literal) else None
    except ValueError:
        return None


def same_gathering(a: Report, b: Report) -> bool:
    """Whether two reports may tell of one gathering (see the module's docstring)."""
    if a.graph == b.graph or a.kind != b.kind:
        return False
    if (a.end - a.start).days > MAX_DAYS or (b.end - b.start).days > MAX_DAYS:
        return False
    if a.start > b.end + timedelta(days=1) or b.start > a.end + timedelta(days=1):
        return False
    if a.place and b.place and a.place != b.place:
        return False
    shared = len(a.parties & b.parties)
    if shared < 2 and not (a.place and a.place == b.place):
        return False  # one party in common ("the Security Council met") needs the place too
    return shared * 2 > min(len(a.parties), len(b.parties))


def _pairs(reports: list[Report]) -> Iterator[tuple[Report, Report]]:
    """Every pair of reports of one gathering, each once, found by day, not by trying all."""
    by_start: dict[date, list[Report]] = defaultdict(list)
    for report in reports:
        by_start[report.start].append(report)
    for a in reports:
        for day in a.window():
            for b in by_start.get(day, ()):
                if a.iri < b.iri and same_gathering(a, b):
                    yield a, b


def joining(candidates: Iterable[Report], reports: Iterable[Report]) -> list[Report]:
    """The ``candidates`` that may be of one gathering with one of ``reports``, found by
    day, not by trying every pair."""
    by_day: dict[date, list[Report]] = defaultdict(list)
    for report in reports:
        for day in report.window():
            by_day[day].append(report)
    return [c for c in candidates if any(same_gathering(c, r) for r in by_day.get(c.start, ()))]


def _closeness(pair: tuple[Report, Report]) -> tuple:
    a, b = pair
    jaccard = len(a.parties & b.parties) / len(a.parties | b.parties)
    return (-jaccard, abs((a.start - b.start).days), a.iri, b.iri)


def gather(reports: Iterable[Report]) -> list[list[Report]]:
    """The gatherings of two or more reports among ``reports``, best pairs joined first.

    A function of the set of reports alone (pairs sorted by closeness, then by IRI), so
    the same reports give the same gatherings whatever order they were stored in.
    """
    reports = sorted(reports, key=lambda r: r.iri)
    root = {r.iri: r.iri for r in reports}
    members = {r.iri: [r] for r in reports}

    def find(iri: str) -> str:
        while root[iri] != iri:
            root[iri] = root[root[iri]]
            iri = root[iri]
        return iri

    pairs = list(_pairs(reports))
    # a report naming no place that may be of gatherings in two places is of neither
    places: dict[str, set[str]] = defaultdict(set)
    for a, b in pairs:
        places[a.iri].add(b.place or "")
        places[b.iri].add(a.place or "")
    torn = {i for i, found in places.items() if len(found - {""}) > 1}
    pairs = [(a, b) for a, b in pairs if a.iri not in torn and b.iri not in torn]
    for a, b in sorted(pairs, key=_closeness):
        ra, rb = find(a.iri), find(b.iri)
        if ra == rb:
            continue
        joined = members[ra] + members[rb]
        graphs = [r.graph for r in joined]
        places = {r.place for r in joined if r.place}
        if len(set(graphs)) < len(graphs) or len(places) > 1:
            continue  # two reports of one article, or two places: not one gathering
        root[rb] = ra
        members[ra] = joined
        del members[rb]
    return sorted((sorted(g, key=lambda r: r.iri) for g in members.values() if len(g) > 1),
                  key=lambda g: g[0].iri)


def gathering_iri(group: list[Report]) -> str:
    """Named after its first report's IRI, so it stays while that report does."""
    return min(r.iri for r in group) + "/gathering"


def gathering_triples(group: list[Report]) -> Iterator[Triple]:
    """The derived event of one gathering and the link from each report to it."""
    n = ox.NamedNode
    node = n(gathering_iri(group))
    yield node, n(RDF.type), n(group[0].kind)
    labels = Counter(label for r in group for label in r.labels)
    if labels:
        yield node, n(RDFS.label), ox.Literal(min(labels, key=lambda k: (-labels[k], k)))
    start, end = min(r.start for r in group), max(r.end for r in group)
    yield node, n(SCHEMA.startDate), ox.Literal(start.isoformat(), datatype=n(XSD.date))
    if end > start:
        yield node, n(SCHEMA.endDate), ox.Literal(end.isoformat(), datatype=n(XSD.date))
    place = next((r.place for r in group if r.place), None)
    if place:
        yield node, n(SCHEMA.location), n(place)
    organizers = {o for r in group for o in r.organizers}
    # one organizer at most: reports naming different ones list them all as attendees
    attendees = {a for r in group for a in r.attendees} | (
        organizers if len(organizers) > 1 else set())
    for attendee in sorted(attendees):
        yield node, n(SCHEMA.attendee), n(attendee)
    if len(organizers) == 1:
        yield node, n(SCHEMA.organizer), n(organizers.pop())
    for sentence in sorted({s for r in group for s in r.sentences}):
        yield node, n(PROV.wasDerivedFrom), n(sentence)
    confidence = max(r.confidence for r in group)
    yield node, n(KGO.confidence), ox.Literal(f"{confidence:.2f}", datatype=n(XSD.decimal))
    yield node, n(KGO.extractedBy), ox.Literal(GATHERING_RULE)
    for report in group:
        yield n(report.iri), n(KGO.gathering), node


# ---------------------------------------------------------------- unnamed posts

HOLDER_ATTESTED = ("holder-attested-on-date", "0.60")
HOLDER_LAST_KNOWN = ("holder-last-known", "0.40")


@dataclass(kw_only=True)
class Attested:
    """The dates articles report one membership on: what its interval is computed from."""

    first: date | None = None  # the earliest kgo:attestedOn
    last: date | None = None  # the latest
    former: set[date] = field(default_factory=set)  # kgo:endedBefore

    def attest(self, first: date, last: date) -> None:
        self.first = min(first, self.first or first)
        self.last = max(last, self.last or last)

    @property
    def ended(self) -> date | None:
        """The earliest date calling it former after its last attestation."""
        after = [d for d in self.former if self.last is None or d > self.last]
        return min(after) if after else None


@dataclass
class Holding(Attested):
    """One membership of a post, with the dates articles report it on."""

    membership: str
    person: str


_MEMBERSHIP = ox.NamedNode(ORG.Membership)
_ATTESTED_ON = ox.NamedNode(KGO.attestedOn)
_ENDED_BEFORE = ox.NamedNode(KGO.endedBefore)

# The memberships (of some, given by a VALUES clause, or all) and their attestations in the
# article graphs, leaving some graphs out; DISTINCT: a post a thousand articles report on
# a few days is a few rows.
INTERVALS_QUERY = f"""
SELECT DISTINCT ?m ?p ?o WHERE {{
  {{ %(values)s GRAPH ?g {{ ?m a <{ORG.Membership}> }}
     BIND(<{RDF.type}> AS ?p) BIND(<{ORG.Membership}> AS ?o) %(filter)s }}
  UNION
  {{ %(values)s VALUES ?p {{ <{KGO.attestedOn}> <{KGO.endedBefore}> }} GRAPH ?g {{ ?m ?p ?o }}
     %(filter)s }}
}}"""


def intervals_query(memberships: Iterable[str] | None, leave_out: Iterable[str] = ()) -> str:
    """``INTERVALS_QUERY`` for ``memberships`` (``None``: every one), leaving out the graphs
    ``leave_out`` (those a write replaces)."""
    values = "" if memberships is None else "VALUES ?m { " + " ".join(
        f"<{m}>" for m in sorted(set(memberships))) + " }"
    gone = "".join(f" && ?g != <{g}>" for g in sorted(set(leave_out)))
    return INTERVALS_QUERY % {"values": values,
                              "filter": f"FILTER(?g != <{DERIVED_GRAPH}>{gone})"}


class Intervals:
    """Memberships and their attestations, read from (membership, predicate, value) rows
    of ``INTERVALS_QUERY`` or from an article's own triples alike."""

    def __init__(self) -> None:
        self.memberships: set[str] = set()  # those typed org:Membership
        self.dates: dict[str, Attested] = defaultdict(Attested)

    def read(self, rows: Iterable[tuple]) -> Intervals:
        """Add ``rows`` (any others than types and attestations are passed over)."""
        for subject, predicate, value in rows:
            if not isinstance(subject, ox.NamedNode):
                continue
            if predicate == _TYPE and value == _MEMBERSHIP:
                self.memberships.add(subject.value)
            elif predicate in (_ATTESTED_ON, _ENDED_BEFORE):
                day = _day(value)
                if day is None:
                    continue  # a Graph Store write may hold anything; dates count
                if predicate == _ATTESTED_ON:
                    self.dates[subject.value].attest(day, day)
                else:
                    self.dates[subject.value].former.add(day)
        return self

    def triples(self, only: Iterable[str] | None = None) -> Iterator[Triple]:
        """The intervals of the memberships read (of ``only`` those, if given)."""
        chosen = self.memberships if only is None else self.memberships & set(only)
        for membership in sorted(chosen):
            yield from interval_triples(membership, self.dates.get(membership, Attested()))


def interval_subjects(memberships: Iterable[str]) -> set[str]:
    """The subjects of the derived triples of ``memberships``' intervals."""
    return {m + suffix for m in memberships
            for suffix in ("", "/during", "/during/beginning", "/during/end")}


def interval_triples(membership: str, attested: Attested) -> Iterator[Triple]:
    """A membership's ``org:memberDuring`` interval: none without attestations or a later
    former date; the instants only with attestations."""
    ended = attested.ended
    if attested.first is None and ended is None:
        return
    n = ox.NamedNode
    interval = n(f"{membership}/during")
    yield n(membership), n(ORG.memberDuring), interval
    yield interval, _TYPE, n(TIME.Interval)
    if attested.first is not None and attested.last is not None:
        for name, link, day in (("beginning", TIME.hasBeginning, attested.first),
                                ("end", TIME.hasEnd, attested.last)):
            instant = n(f"{membership}/during/{name}")
            yield interval, n(link), instant
            yield instant, _TYPE, n(TIME.Instant)
            yield instant, n(TIME.inXSDDate), ox.Literal(day.isoformat(), datatype=_DATE)
    if ended is not None:
        yield interval, _ENDED_BEFORE, ox.Literal(ended.isoformat(), datatype=_DATE)


# ---------------------------------------------------------------- what a bulk load keeps

_REFERENCE = ox.NamedNode(KGO.PostReference)
_READ_NODES = (*EVENT_CLASSES, _MEMBERSHIP, _REFERENCE)
_DATING = (ox.NamedNode(NIF.referenceContext), ox.NamedNode(SCHEMA.datePublished))


def inputs(triples: Iterable[Triple]) -> list[Triple]:
    """What the derivations read of an article's triples: every triple of its meetings,
    visits, memberships and post references and, when it has post references, its
    sentences' article and that article's date (how a reference is dated). A bulk load
    keeps these in memory to derive from, not the whole article."""
    triples = list(triples)
    typed = [(s, o) for s, p, o in triples if p == _TYPE and o in _READ_NODES]
    read = {s for s, _ in typed}
    dating = _DATING if any(o == _REFERENCE for _, o in typed) else ()
    return [t for t in triples if t[0] in read or t[1] in dating]


# The memberships of posts with their earliest and latest attestation in the article
# graphs (the store adds a VALUES clause of (?role ?org) and exclusions); the engine
# aggregates, so a post reported by a thousand articles is a row per holder.
HOLDINGS_QUERY = f"""
SELECT ?m ?person ?role ?org (MIN(?on) AS ?first) (MAX(?on) AS ?last) WHERE {{
  %s
  GRAPH ?g {{ ?m <{ORG.organization}> ?org ; <{ORG.role}> ?role ; <{ORG.member}> ?person ;
       <{KGO.attestedOn}> ?on }}
  FILTER(isIRI(?m) && isIRI(?person) && ?g != <{DERIVED_GRAPH}> %s)
}} GROUP BY ?m ?person ?role ?org"""
# The dates articles call them former on.
FORMER_QUERY = f"""
SELECT ?m ?person ?role ?org ?before WHERE {{
  %s
  GRAPH ?g {{ ?m <{ORG.organization}> ?org ; <{ORG.role}> ?role ; <{ORG.member}> ?person ;
       <{KGO.endedBefore}> ?before }}
  FILTER(isIRI(?m) && isIRI(?person) && ?g != <{DERIVED_GRAPH}> %s)
}}"""
# The post references of posts, with their article's date.
REFERENCES_QUERY = f"""
SELECT ?h ?role ?org ?date WHERE {{
  %s
  GRAPH ?g {{ ?h a <{KGO.PostReference}> ; <{KGO.referencedRole}> ?role ;
       <{KGO.referencedOrganization}> ?org ; <{PROV.wasDerivedFrom}> ?s .
    ?s <{NIF.referenceContext}> ?a . ?a <{SCHEMA.datePublished}> ?date }}
  FILTER(isIRI(?h) && ?g != <{DERIVED_GRAPH}> %s)
}}"""

Post = tuple[str, str]  # (role IRI, body IRI)
Holdings = dict[Post, dict[str, Holding]]


def posts_query(template: str, posts: Iterable[Post] | None, leave_out: Iterable[str]) -> str:
    """``template`` for ``posts`` (``None``: every post), leaving out graphs ``leave_out``."""
    values = "" if posts is None else "VALUES (?role ?org) { " + " ".join(
        f"(<{role}> <{body}>)" for role, body in sorted(set(posts))) + " }"
    gone = "".join(f" && ?g != <{g}>" for g in sorted(set(leave_out)))
    return template % (values, gone)


def read_holdings(attested: Iterable, former: Iterable, into: Holdings) -> None:
    """Add the rows of ``HOLDINGS_QUERY`` and ``FORMER_QUERY`` to ``into``."""
    def holding(row) -> Holding:
        post = (row["role"].value, row["org"].value)
        return into.setdefault(post, {}).setdefault(
            row["m"].value, Holding(membership=row["m"].value, person=row["person"].value))

    for row in attested:
        first, last = _day(row["first"]), _day(row["last"])
        if first and last:
            holding(row).attest(first, last)
    for row in former:
        day = _day(row["before"])
        if day:
            holding(row).former.add(day)


def read_references(solutions: Iterable) -> dict[str, tuple[Post, date]]:
    """Post reference -> (its post, its article's date), from ``REFERENCES_QUERY`` rows."""
    found = {}
    for row in solutions:
        day = _day(row["date"])
        if day is not None:
            found[row["h"].value] = ((row["role"].value, row["org"].value), day)
    return found


def holder(day: date, holdings: Iterable[Holding]) -> tuple[Holding, tuple[str, str]] | None:
    """Who held the post on ``day``, as the ``post-holder`` query answers: the one holding
    attested then, else the one last known (attested before, not called former by then, no
    other holder attested since); two or none: nobody."""
    dated = [h for h in holdings if h.first and h.last]
    attested = [h for h in dated if h.first <= day <= h.last]
    if attested:
        return (attested[0], HOLDER_ATTESTED) if len(attested) == 1 else None
    known = [h for h in dated if h.last < day
             and (h.ended is None or h.ended > day)
             and not any(h.last < o.first <= day for o in dated if o is not h)]
    return (known[0], HOLDER_LAST_KNOWN) if len(known) == 1 else None


def holder_triples(reference: str, held: Holding, rule: tuple[str, str]) -> Iterator[Triple]:
    """The derived link of a post reference to the person holding its post."""
    n = ox.NamedNode
    node = n(f"{reference}/holder")
    yield node, n(RDF.type), n(KGO.HolderResolution)
    yield node, n(KGO.holder), n(held.person)
    yield node, n(PROV.wasDerivedFrom), n(reference)
    yield node, n(PROV.wasDerivedFrom), n(held.membership)
    yield node, n(KGO.confidence), ox.Literal(rule[1], datatype=n(XSD.decimal))
    yield node, n(KGO.extractedBy), ox.Literal(rule[0])


def resolve_holders(references: dict[str, tuple[Post, date]],
                    holdings: Holdings) -> Iterator[Triple]:
    """The holder links of ``references``, read off the holdings of their posts."""
    for reference, (post, day) in sorted(references.items()):
        found = holder(day, holdings.get(post, {}).values())
        if found:
            yield from holder_triples(reference, *found)
