"""Give every fact a deterministic IRI, so re-ingesting reproduces the same triples.

Entities that are the same real-world thing get the same IRI in every article:
gazetteer entries by their gazetteer id, others by their kind and canonical
name. A membership (a person holding a post in a body) is one thing too: its IRI
is made of the person's, the role's and the body's, so every article reporting the
post asserts the same node (the reports' dates and evidence accumulate on it in the
merged graph). Events and evidence belong to their article, so their IRIs include
the article's URL.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from kg.extract.names import split_name
from kg.facts import Entity, Event, Extraction, Membership
from kg.vocab import GRAPH_BASE


def slug(text: str) -> str:
    """A readable IRI segment: lower case, accents dropped, runs of other characters as '-'."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return re.sub(r"[^\w]+", "-", folded).strip("-_") or "x"


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def _article_id(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:24]


def article_graph(url: str) -> str:
    """The named graph of the article at ``url``: stable, so re-ingesting replaces it."""
    return GRAPH_BASE + "article/" + _article_id(url)


@dataclass
class Resolved:
    """An extraction with the IRIs that ``mapping`` writes."""

    extraction: Extraction
    base: str
    graph: str
    article: str
    entities: dict[str, str]  # entity key -> IRI

    def role(self, label: str) -> str:
        return f"{self.base}role/{slug(label)}"

    def membership(self, membership: Membership) -> str:
        """The same post of the same person in the same body, whichever article says so."""
        person = self.entities[membership.person]
        organization = self.entities[membership.organization]
        return membership_iri(self.base, person, self.role(membership.role), organization)

    def event(self, event: Event, index: int) -> str:
        parts = sorted(self.entities[p] for p in event.participants)
        return (
            self.base
            + "event/"
            + _hash(
                self.extraction.document.url,
                event.kind,
                event.start or "",
                str(event.evidence.sentence.start),
                str(index),
                *parts,
            )
        )

    def sentence(self, start: int, end: int) -> str:
        """An RFC 5147 fragment of the article text (on the article IRI if the URL has one)."""
        url = self.extraction.document.url
        return f"{self.article if '#' in url else url}#char={start},{end}"


def membership_iri(base: str, person: str, role: str, organization: str) -> str:
    """A membership's IRI from the IRIs of its person, role and body (no article in it)."""
    return f"{base}membership/{_hash(person, role, organization)}"


def person_label(entity: Entity) -> str:
    """One label per person across articles: given name and surname, in that order.

    "Zas Stanislav Vasilyevich", "Stanislav Zas" and "Helga Maria Schmid" / "Helga
    Schmid" each name one person; the fuller forms stay as ``skos:altLabel``.
    """
    surname, given = split_name(entity.name)
    return f"{given} {surname}" if given else entity.name


def canonical_label(entity: Entity) -> str:
    return person_label(entity) if entity.kind == "person" else entity.name


def entity_iri(entity: Entity, base: str) -> str:
    if entity.kind in ("organization", "mission") and entity.key.startswith("gaz:"):
        return f"{base}organization/{entity.key[4:]}"
    return f"{base}{entity.kind}/{slug(canonical_label(entity))}"


def resolve(extraction: Extraction, base: str) -> Resolved:
    url = extraction.document.url
    return Resolved(
        extraction=extraction,
        base=base,
        graph=article_graph(url),
        article=base + "article/" + _article_id(url),
        entities={key: entity_iri(e, base) for key, e in extraction.entities.items()},
    )
