"""What a linked-data page says about one IRI (layer 4), gathered by SPARQL.

The queries live in ``kg/page_queries/*.rq`` with the named queries' header and are bound
the same way (``kg.queries.bind``: the IRI is a substitution, never text). ``page`` runs
them on one store snapshot (in a query worker) and returns plain picklable data; the
server only renders it. ``describe`` gives the triples a machine asks for, ``search``
finds resources by any of their names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from kg.queries import NamedQuery, list_queries, run
from kg.store import KGStore
from kg.vocab import KGO, ORG, OWL, RDF, RDFS, SCHEMA, SKOS, WIKIDATA_ENTITY

PAGE_QUERIES = Path(__file__).resolve().parent / "page_queries"
SEARCH_LIMIT = 200  # the search query's own LIMIT: more is never returned
GRAPH_NODES = 60  # a neighbourhood picture stays readable up to about this many nodes

# rdf:type -> the kind of page; the first match in this order wins (a mission is an
# organization too, a country a place).
_KINDS = (
    ({KGO.Meeting, KGO.Visit}, "event"),
    ({SCHEMA.NewsArticle}, "article"),
    ({ORG.Membership}, "membership"),
    ({ORG.Role}, "role"),
    ({SCHEMA.Person}, "person"),
    ({KGO.Mission, KGO.PeacekeepingMission, KGO.ObserverMission, KGO.FieldMission}, "mission"),
    ({ORG.Organization, ORG.OrganizationalUnit}, "organization"),
    ({SCHEMA.Place, SCHEMA.Country, SCHEMA.City, SCHEMA.AdministrativeArea}, "place"),
)
# the path segment resolve.entity_iri puts before an entity's name -> its kind
_SEGMENTS = {"person": "person", "organization": "organization", "mission": "mission",
             "place": "place", "event": "event", "article": "article",
             "membership": "membership", "role": "role"}


@cache
def _queries() -> dict[str, NamedQuery]:
    return {q.name: q for q in list_queries(PAGE_QUERIES)}


def _select(store: KGStore, name: str, values: dict[str, str]) -> list[dict[str, ox.Term]]:
    results = run(store.raw, _queries()[name], values)
    names = [v.value for v in results.variables]
    return [{n: row[n] for n in names if row[n] is not None} for row in results]


# ---------------------------------------------------------------- page data


@dataclass(frozen=True)
class Link:
    """An IRI and what to call it."""

    iri: str
    label: str
    kind: str = "resource"


@dataclass(frozen=True)
class Source:
    """The sentence a fact was read from, and its article."""

    sentence: str
    text: str
    article: str | None = None
    headline: str | None = None
    published: str | None = None
    url: str | None = None
    confidence: str | None = None


@dataclass
class Post:
    """A membership: a person holding a role in a body, with its sources."""

    iri: str
    person: Link
    role: Link
    organization: Link
    former: bool = False
    sources: list[Source] = field(default_factory=list)

    @property
    def reported(self) -> list[str]:
        return sorted({s.published for s in self.sources if s.published})


@dataclass
class EventFact:
    """A meeting or a visit: when, where, who, and the sentences that tell it."""

    iri: str
    kind: str
    label: str | None = None
    start: str | None = None
    end: str | None = None
    place: Link | None = None
    participants: list[Link] = field(default_factory=list)
    organizers: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


@dataclass(frozen=True)
class Article:
    iri: str
    headline: str | None
    published: str | None
    url: str | None


@dataclass(frozen=True)
class Statement:
    """One property and value of the resource; ``link`` is set for an IRI value."""

    property: str
    value: str
    link: Link | None = None
    datatype: str | None = None
    language: str | None = None


@dataclass
class Page:
    """Everything a page about ``iri`` shows."""

    iri: str
    label: str
    kind: str
    types: list[str]
    alt_labels: list[str]
    same_as: list[str]
    statements: list[Statement]
    posts: list[Post]
    events: list[EventFact]
    articles: list[Article]
    linked_from: list[tuple[str, Link]]

    def graph(self) -> dict[str, list[dict[str, str]]]:
        """The neighbourhood as nodes and edges: who met whom, who holds which post in
        which body, and the bodies, places and units the resource is tied to."""
        return _neighbourhood(self)

    def timeline(self) -> list[dict[str, str]]:
        """Dated items, oldest first: events by their dates, posts by when reported."""
        items = []
        for event in self.events:
            if event.start:
                others = [p.label for p in event.participants if p.iri != self.iri]
                where = f" in {event.place.label}" if event.place else ""
                parties = ": " + ", ".join(others[:6]) if others else ""
                items.append({"start": event.start, "end": event.end or event.start,
                              "kind": event.kind.lower(), "iri": event.iri,
                              "label": f"{event.kind}{where}{parties}"})
        for post in self.posts:
            dates = post.reported
            if dates:
                who = post.person.label if post.person.iri != self.iri else ""
                text = f"{post.role.label}, {post.organization.label}"
                items.append({"start": dates[0], "end": dates[-1], "kind": "post",
                              "iri": post.iri,
                              "label": f"{who}: {text}" if who else text})
        return sorted(items, key=lambda i: (i["start"], i["label"]))


def fallback_label(iri: str) -> str:
    """A readable name for an IRI without rdfs:label: a Wikidata ID, else its last segment."""
    if iri.startswith(WIKIDATA_ENTITY):
        return "wd:" + iri[len(WIKIDATA_ENTITY):]
    tail = iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return tail or iri


def kind_of_iri(iri: str) -> str:
    """The kind an entity IRI was minted for (``{base}{kind}/{name}``, kg.resolve)."""
    parts = iri.rstrip("/").rsplit("/", 2)
    return _SEGMENTS.get(parts[-2], "resource") if len(parts) == 3 else "resource"


def _kind(types: Iterable[str]) -> str:
    found = set(types)
    return next((kind for classes, kind in _KINDS if classes & found), "resource")


def _text(row: dict[str, ox.Term], name: str) -> str | None:
    term = row.get(name)
    return None if term is None else term.value


def _link(row: dict[str, ox.Term], name: str, label: str, kind: str | None = None) -> Link:
    iri = row[name].value
    return Link(iri, _text(row, label) or fallback_label(iri), kind or kind_of_iri(iri))


def _source(row: dict[str, ox.Term]) -> Source | None:
    if "sentence" not in row:
        return None
    return Source(row["sentence"].value, _text(row, "text") or "", _text(row, "article"),
                  _text(row, "headline"), _text(row, "published"), _text(row, "url"),
                  _text(row, "confidence"))


def page(store: KGStore, iri: str) -> Page | None:
    """The page about ``iri`` from the merged knowledge, or None when the store says
    nothing about it (neither as subject nor as value)."""
    values = {"this": iri}
    rows = _select(store, "statements", values)
    linked = _select(store, "linked-from", values)
    posts = _posts(_select(store, "posts", values))
    events = _events(_select(store, "events", values))
    articles = [Article(r["article"].value, _text(r, "headline"), _text(r, "published"),
                        _text(r, "url")) for r in _select(store, "mentioned-in", values)]
    if not (rows or linked or posts or events or articles):
        return None
    types = [r["value"].value for r in rows if r["property"].value == RDF.type]
    labels = [r["value"].value for r in rows if r["property"].value == RDFS.label]
    kind = _kind(types)
    # an event's rdfs:label is the word that named it ("talks"): the title says more
    label = (min(labels, key=len) if labels and kind != "event"
             else _title(kind, iri, rows, events))
    return Page(
        iri=iri, label=label, kind=kind, types=types,
        alt_labels=sorted(r["value"].value for r in rows
                          if r["property"].value == SKOS.altLabel),
        same_as=[r["value"].value for r in rows if r["property"].value == OWL.sameAs],
        statements=[_statement(r) for r in rows],
        posts=posts, events=events, articles=articles,
        linked_from=[(r["property"].value, _link(r, "subject", "subjectLabel"))
                     for r in linked],
    )


def _title(kind: str, iri: str, rows: list[dict], events: list[EventFact]) -> str:
    if kind == "article":
        headline = next((r["value"].value for r in rows
                         if r["property"].value == SCHEMA.headline), None)
        return headline or fallback_label(iri)
    if kind == "event" and events:
        event = events[0]
        names = ", ".join(p.label for p in event.participants[:4])
        when = f", {event.start}" if event.start else ""
        return (f"{event.kind} of {names}" if names else event.kind) + when
    return fallback_label(iri)


def _statement(row: dict[str, ox.Term]) -> Statement:
    value = row["value"]
    if isinstance(value, ox.Literal):
        datatype = value.datatype.value if value.datatype else None
        return Statement(row["property"].value, value.value, None, datatype,
                         value.language or None)
    link = _link(row, "value", "valueLabel")
    return Statement(row["property"].value, value.value, link)


def _posts(rows: list[dict[str, ox.Term]]) -> list[Post]:
    found: dict[str, Post] = {}
    for row in rows:
        iri = row["membership"].value
        post = found.get(iri)
        if post is None:
            post = found[iri] = Post(
                iri, _link(row, "person", "personLabel", "person"),
                _link(row, "role", "roleLabel", "role"),
                _link(row, "organization", "organizationLabel"),
                former=_text(row, "former") == "true")
        source = _source(row)
        if source is not None and source not in post.sources:
            post.sources.append(source)
    return sorted(found.values(), key=lambda p: (p.reported[:1] or [""], p.role.label,
                                                 p.organization.label, p.person.label))


def _events(rows: list[dict[str, ox.Term]]) -> list[EventFact]:
    found: dict[str, EventFact] = {}
    for row in rows:
        iri = row["event"].value
        event = found.get(iri)
        if event is None:
            kind = "Visit" if row["class"].value == KGO.Visit else "Meeting"
            place = _link(row, "place", "placeLabel", "place") if "place" in row else None
            event = found[iri] = EventFact(iri, kind, _text(row, "label"), _text(row, "start"),
                                           _text(row, "end"), place)
        if "participant" in row:
            person = _link(row, "participant", "participantLabel")
            if person not in event.participants:
                event.participants.append(person)
            if "organizer" in row and person.iri not in event.organizers:
                event.organizers.append(person.iri)
        source = _source(row)
        if source is not None and source not in event.sources:
            event.sources.append(source)
    for event in found.values():
        event.participants.sort(key=lambda p: p.label)
    return sorted(found.values(), key=lambda e: (e.start or "9999", e.iri))


# ---------------------------------------------------------------- the picture


def _neighbourhood(page: Page) -> dict[str, list[dict[str, str]]]:
    nodes: dict[str, dict[str, str]] = {}
    edges: dict[tuple[str, str, str], dict[str, str]] = {}

    def node(link: Link) -> str:
        if link.iri not in nodes and len(nodes) < GRAPH_NODES:
            nodes[link.iri] = {"id": link.iri, "label": link.label, "kind": link.kind}
        return link.iri

    def edge(a: str, b: str, label: str) -> None:
        if a in nodes and b in nodes and a != b:
            key = (a, b, label)
            edges.setdefault(key, {"id": f"e{len(edges)}", "source": a, "target": b,
                                   "label": label})

    center = node(Link(page.iri, page.label, page.kind))
    nodes[center]["center"] = "yes"
    for post in page.posts:
        edge(node(post.person), node(post.organization), post.role.label)
    for event in page.events:
        if page.kind == "event":
            for party in event.participants:
                edge(center, node(party), "attendee")
            if event.place:
                edge(center, node(event.place), "in")
            continue
        verb = "visited" if event.kind == "Visit" else "met"
        when = f" {event.start}" if event.start else ""
        parties = [p for p in event.participants if p.iri != page.iri]
        if page.iri in {p.iri for p in event.participants}:
            for party in parties:
                edge(center, node(party), verb + when)
        if event.place and event.place.iri != page.iri:
            edge(center, node(event.place), f"{verb} in" if not parties else "at")
    for statement in page.statements:
        if statement.link and statement.property in (ORG.subOrganizationOf, SCHEMA.location,
                                                     SCHEMA.mentions):
            edge(center, node(statement.link), _short(statement.property))
    for prop, link in page.linked_from:
        edge(node(link), center, _short(prop))
    return {"nodes": list(nodes.values()), "edges": list(edges.values())}


def _short(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


# ---------------------------------------------------------------- search and describe


@dataclass(frozen=True)
class Hit:
    """A search result: the resource, its label, its kind, and the name that matched."""

    iri: str
    label: str
    kind: str
    matched: str


def search(store: KGStore, text: str, limit: int = 50) -> list[Hit]:
    """Resources with a label or other name containing ``text`` (case-insensitive)."""
    if not text.strip():
        return []
    rows = _select(store, "search", {"text": text.strip()})
    return [Hit(r["entity"].value, r["label"].value,
                _kind(_text(r, "types").split()) if _text(r, "types") else "resource",
                _text(r, "matched") or "")
            for r in rows[:limit]]


def replacement(store: KGStore, iri: str) -> str | None:
    """The IRI a curation merged ``iri`` into, if it was (its page moved there)."""
    rows = _select(store, "replaced-by", {"this": iri})
    return rows[0]["new"].value if rows else None


def describe(store: KGStore, iri: str) -> list[ox.Triple]:
    """The triples a machine gets for ``iri`` (empty when the store knows nothing of it)."""
    return list(run(store.raw, _queries()["describe"], {"this": iri}))
