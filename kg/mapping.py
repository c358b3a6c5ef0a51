"""Facts become RDF here and nowhere else (DESIGN.md's public contract).

``to_triples`` turns a resolved extraction into the triples of the article's
named graph; the store copies them into the default graph.

A membership node is shared by every article reporting the post; each article adds
its attestation: ``kgo:attestedOn`` its date when it reports the post as held,
``kgo:endedBefore`` its date when it reports it as former. An undated article adds
neither, so it cannot blank a post's dates. The store derives the post's
``org:memberDuring`` interval from these (``KGStore`` keeps it in step).

A post named without its holder ("the CSTO Secretary General said") is a
``kgo:PostReference`` of the article; the store links it to the holder on the article's
date, which only the whole graph knows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from kg.facts import Entity, Evidence, PostReference, Span
from kg.resolve import Resolved, canonical_label, name_key, name_words, short_name, slug
from kg.vocab import (
    DCTERMS,
    KGO,
    NIF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    WIKIDATA_ENTITY,
    XSD,
)

Triple = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]

# Part of each article's fingerprint: raise it when the triples an extraction maps to
# change, so that stored articles are mapped again instead of skipped as unchanged.
MAPPING_VERSION = "2"  # 2: post references

_CLASSES = {
    ("person", None): [SCHEMA.Person],
    ("organization", None): [ORG.Organization],
    ("organization", "unit"): [ORG.Organization, ORG.OrganizationalUnit],
    ("mission", None): [KGO.Mission],
    ("mission", "peacekeeping"): [KGO.PeacekeepingMission],
    ("mission", "observer"): [KGO.ObserverMission],
    ("mission", "field"): [KGO.FieldMission],
    ("place", None): [SCHEMA.Place],
    ("place", "country"): [SCHEMA.Country],
    ("place", "city"): [SCHEMA.City],
    ("place", "region"): [SCHEMA.AdministrativeArea],
}
_EVENT_CLASSES = {"Meeting": KGO.Meeting, "Visit": KGO.Visit}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _date(value: str) -> ox.Literal:
    datatype = XSD.date if len(value) == 10 else XSD.gYearMonth
    return ox.Literal(value, datatype=_n(datatype))


def entity_classes(entity: Entity) -> list[str]:
    return _CLASSES.get((entity.kind, entity.subtype)) or _CLASSES[(entity.kind, None)]


def _name_keys(article: ox.NamedNode, person: ox.NamedNode, label: str) -> Iterator[Triple]:
    """What the store links persons across articles by: a full name's first and last
    words on the person, a name given alone (a surname, initials and a surname) on the
    article (see ``KGStore``)."""
    for word in sorted(name_words(label)):
        yield person, _n(KGO.nameWord), ox.Literal(word)
    alone = short_name(label)
    if alone is not None:
        yield article, _n(KGO.nameAlone), ox.Literal(name_key(alone[1]))


def to_triples(resolved: Resolved) -> Iterator[Triple]:
    """Every triple the article's graph holds."""
    ex = resolved.extraction
    doc = ex.document
    article = _n(resolved.article)
    a = _n(RDF.type)
    yield article, a, _n(SCHEMA.NewsArticle)
    yield article, _n(SCHEMA.url), _n(doc.url)
    yield article, _n(KGO.contentDigest), ox.Literal(ex.fingerprint or doc.digest)
    if doc.title:
        yield article, _n(SCHEMA.headline), ox.Literal(doc.title)
    if doc.published:
        yield article, _n(SCHEMA.datePublished), _date(doc.published.isoformat())

    iris = resolved.entities
    for key, entity in ex.entities.items():
        node = _n(iris[key])
        yield article, _n(SCHEMA.mentions), node
        for cls in entity_classes(entity):
            yield node, a, _n(cls)
        label = canonical_label(entity)
        yield node, _n(RDFS.label), ox.Literal(label)
        for alias in sorted(entity.forms() - {label}):
            yield node, _n(SKOS.altLabel), ox.Literal(alias)
        if entity.wikidata:
            yield node, _n(OWL.sameAs), _n(WIKIDATA_ENTITY + entity.wikidata)
        if entity.parent and entity.parent in iris:
            yield node, _n(ORG.subOrganizationOf), _n(iris[entity.parent])
        if entity.location and entity.location in iris:
            yield node, _n(SCHEMA.location), _n(iris[entity.location])
        if entity.kind == "person":
            yield from _name_keys(article, node, label)

    for membership in ex.memberships:
        node = _n(resolved.membership(membership))
        role = _n(resolved.role(membership.role))
        yield role, a, _n(ORG.Role)
        yield role, _n(RDFS.label), ox.Literal(membership.role)
        yield node, a, _n(ORG.Membership)
        yield node, _n(ORG.member), _n(iris[membership.person])
        yield node, _n(ORG.organization), _n(iris[membership.organization])
        yield node, _n(ORG.role), role
        if membership.former:
            yield node, _n(KGO.former), ox.Literal(True)
        if doc.published:
            when = KGO.endedBefore if membership.former else KGO.attestedOn
            yield node, _n(when), _date(doc.published.isoformat())
        yield from _evidence(resolved, node, membership.evidence)

    for reference in ex.post_references:
        yield from _post_reference(resolved, reference)

    for index, event in enumerate(ex.events):
        node = _n(resolved.event(event, index))
        yield node, a, _n(_EVENT_CLASSES[event.kind])
        if event.label:
            yield node, _n(RDFS.label), ox.Literal(event.label)
        if event.start:
            yield node, _n(SCHEMA.startDate), _date(event.start)
        if event.end:
            yield node, _n(SCHEMA.endDate), _date(event.end)
        if event.place and event.place in iris:
            yield node, _n(SCHEMA.location), _n(iris[event.place])
        for participant in event.participants:
            yield node, _n(SCHEMA.attendee), _n(iris[participant])
        if event.organizer and event.organizer in iris:
            yield node, _n(SCHEMA.organizer), _n(iris[event.organizer])
        yield from _evidence(resolved, node, event.evidence)


def post_reference_iri(resolved: Resolved, reference: PostReference) -> str:
    """One node per article and post: the article's IRI, the post's name, the body's IRI."""
    body = hashlib.sha256(resolved.entities[reference.organization].encode()).hexdigest()[:12]
    return f"{resolved.article}/unnamed/{slug(reference.role)}-{body}"


def _post_reference(resolved: Resolved, reference: PostReference) -> Iterator[Triple]:
    node = _n(post_reference_iri(resolved, reference))
    role = _n(resolved.role(reference.role))
    yield role, _n(RDF.type), _n(ORG.Role)
    yield role, _n(RDFS.label), ox.Literal(reference.role)
    yield node, _n(RDF.type), _n(KGO.PostReference)
    yield node, _n(KGO.referencedRole), role
    yield node, _n(KGO.referencedOrganization), _n(resolved.entities[reference.organization])
    yield from _evidence(resolved, node, reference.evidence)
    for span in reference.more:
        yield from _sentence(resolved, node, span)


def _evidence(resolved: Resolved, node: ox.NamedNode, evidence: Evidence) -> Iterator[Triple]:
    yield from _sentence(resolved, node, evidence.sentence)
    yield (
        node,
        _n(KGO.confidence),
        ox.Literal(f"{evidence.confidence:.2f}", datatype=_n(XSD.decimal)),
    )
    yield node, _n(KGO.extractedBy), ox.Literal(evidence.rule)


def _sentence(resolved: Resolved, node: ox.NamedNode, span: Span) -> Iterator[Triple]:
    """``node`` read from the sentence ``span``, and that sentence as a NIF string."""
    sentence = _n(resolved.sentence(span.start, span.end))
    text = resolved.extraction.document.text[span.start : span.end]
    yield node, _n(PROV.wasDerivedFrom), sentence
    yield sentence, _n(RDF.type), _n(NIF.String)
    yield sentence, _n(NIF.anchorOf), ox.Literal(text)
    yield (
        sentence,
        _n(NIF.beginIndex),
        ox.Literal(str(span.start), datatype=_n(XSD.nonNegativeInteger)),
    )
    yield sentence, _n(NIF.endIndex), ox.Literal(str(span.end), datatype=_n(XSD.nonNegativeInteger))
    yield sentence, _n(NIF.referenceContext), _n(resolved.article)


def curation_triples(graph: str, replaced: Iterable[tuple[str, str]],
                     ended: Iterable[tuple[str, str]], digest: str) -> Iterator[Triple]:
    """What a curation file asserts itself, for its graph: each merged IRI's
    ``dcterms:isReplacedBy`` (so saved links keep resolving), each post's ``kgo:endedOn``
    day, and the digest of the file as applied (to tell when it changed)."""
    for old, new in replaced:
        yield _n(old), _n(DCTERMS.isReplacedBy), _n(new)
    for membership, day in ended:
        yield _n(membership), _n(KGO.endedOn), _date(day)
    yield _n(graph), _n(KGO.contentDigest), ox.Literal(digest)
