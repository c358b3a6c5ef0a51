"""The plain data that flows between the stages: documents in, facts out.

Nothing here knows about spaCy or RDF. Offsets are character offsets into
``Document.text``; they become RFC 5147 ``#char=b,e`` evidence IRIs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

ENTITY_KINDS = ("person", "organization", "mission", "place")
EVENT_KINDS = ("Meeting", "Visit")


@dataclass
class Document:
    """One article as read from a source, before extraction."""

    source: str  # how messages name it: a path, "path:line", "<stdin>"
    url: str  # schema:url: the page's URL or the file: URI of a local file
    text: str
    title: str | None = None
    published: date | None = None

    @property
    def digest(self) -> str:
        """Fingerprint of everything extraction reads, to skip unchanged articles."""
        parts = [self.url, self.title or "", str(self.published or ""), self.text]
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()

    def fingerprint(self, extractor_version: str) -> str:
        """What ``kgo:contentDigest`` records: the text and the extractor that read it."""
        return hashlib.sha256(f"{self.digest}/{extractor_version}".encode()).hexdigest()


@dataclass(frozen=True)
class Span:
    """A stretch of the document text: a mention or a sentence."""

    start: int
    end: int


@dataclass
class Entity:
    """A person, organization, mission or place named in one document.

    ``key`` identifies the entity within its document; ``resolve`` turns it
    into an IRI. ``name`` is the fullest form seen, ``aliases`` every other.
    """

    key: str
    kind: str  # one of ENTITY_KINDS
    name: str
    aliases: set[str] = field(default_factory=set)
    mentions: list[Span] = field(default_factory=list)
    subtype: str | None = None  # Country, City, Region; PeacekeepingMission...; Unit
    parent: str | None = None  # key of the organization it belongs to / that runs it
    location: str | None = None  # key of the place a mission operates in
    wikidata: str | None = None  # a Q-identifier from the gazetteer

    def forms(self) -> set[str]:
        return {self.name} | self.aliases


@dataclass
class Evidence:
    """Why a fact exists: its sentence, the rule that produced it, how sure it is."""

    sentence: Span
    rule: str
    confidence: float


@dataclass
class Membership:
    """A person holding a post in an organization (org:Membership)."""

    person: str  # entity key
    role: str  # normalized role label, e.g. "Secretary General"
    organization: str  # entity key
    evidence: Evidence
    former: bool = False


@dataclass
class PostReference:
    """A post named in place of its holder ("the CSTO Secretary General said"), in an
    article that names no holder of it: the store finds who held it on the article's date."""

    role: str  # normalized role label
    organization: str  # entity key
    evidence: Evidence  # the first sentence naming it
    more: list[Span] = field(default_factory=list)  # further sentences naming it


@dataclass
class Event:
    """A meeting or a visit with its date, place and participants."""

    kind: str  # one of EVENT_KINDS
    evidence: Evidence
    participants: list[str] = field(default_factory=list)  # entity keys
    start: str | None = None  # ISO date "2024-07-19" or year-month "2024-07"
    end: str | None = None
    place: str | None = None  # entity key
    organizer: str | None = None  # entity key
    label: str | None = None  # the word that named it: "talks", "visit"


@dataclass
class Extraction:
    """Everything read out of one document."""

    document: Document
    fingerprint: str = ""  # Document.fingerprint(extractor version), set by the extractor
    entities: dict[str, Entity] = field(default_factory=dict)
    memberships: list[Membership] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # posts named without their holder ("the CSTO Secretary General said")
    post_references: list[PostReference] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = {kind: 0 for kind in ENTITY_KINDS}
        for entity in self.entities.values():
            out[entity.kind] += 1
        out["membership"] = len(self.memberships)
        out["event"] = len(self.events)
        return out
