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
from dataclasses import dataclass, replace

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
        return role_iri(self.base, label)

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


def role_iri(base: str, label: str) -> str:
    """A post's IRI from its name alone ("Secretary General"), the same in every body."""
    return f"{base}role/{slug(label)}"


def membership_iri(base: str, person: str, role: str, organization: str) -> str:
    """A membership's IRI from the IRIs of its person, role and body (no article in it)."""
    return f"{base}membership/{_hash(person, role, organization)}"


# Spellings of one transliterated given name, folded to one readable form, applied in
# order to the lower-case word: Sergei/Sergej -> Sergey, Nikolai -> Nikolay, Dmitriy/
# Dmitrii -> Dmitry, Aleksandr/Alexandr -> Alexander, Aleksei -> Alexey, Maksim -> Maxim.
_GIVEN_FOLDS = [
    (re.compile(r"ks"), "x"),
    (re.compile(r"xandr$"), "xander"),
    (re.compile(r"(?<=.{3}[ae])[ij]$"), "y"),
    (re.compile(r"(?<=.{2}[^aeiouy])(?:ii|iy|ij)$"), "y"),
]


def given_name(word: str) -> str:
    """One spelling of a transliterated given name ("Sergei" -> "Sergey"); others as they are.

    A function of the word alone, so every article's spelling gives the same IRI and
    label whatever order the articles come in; the article's own spelling stays an
    ``skos:altLabel``.
    """
    folded = word.lower()
    for pattern, replacement in _GIVEN_FOLDS:
        folded = pattern.sub(replacement, folded)
    return word if folded == word.lower() else word[:1] + folded[1:]


def person_label(entity: Entity) -> str:
    """One label per person across articles: given name and surname, in that order.

    "Zas Stanislav Vasilyevich", "Stanislav Zas" and "Helga Maria Schmid" / "Helga
    Schmid" each name one person; the fuller forms stay as ``skos:altLabel``. The
    given name's transliteration is folded: "Sergei Lebedev" is "Sergey Lebedev".
    """
    surname, given = split_name(entity.name)
    return f"{given_name(given)} {surname}" if given else entity.name


def canonical_label(entity: Entity) -> str:
    return person_label(entity) if entity.kind == "person" else entity.name


def entity_iri(entity: Entity, base: str) -> str:
    if entity.kind in ("organization", "mission") and entity.key.startswith("gaz:"):
        return f"{base}organization/{entity.key[4:]}"
    return f"{base}{entity.kind}/{slug(canonical_label(entity))}"


# "M. Ryzhenkov", "S.V. Lavrov", "M.Ryzhenkov": initials, then a surname
_INITIALED = re.compile(r"((?:[A-Z]\.\s?-?){1,3})\s*([A-Z][\w'’-]+)")


def short_name(name: str) -> tuple[str, str] | None:
    """(initial of the given name, or "" for none; the word) of a one-word or initialed
    name, None for a fuller one."""
    initialed = _INITIALED.fullmatch(name)
    if initialed:
        return initialed.group(1)[0], initialed.group(2)
    return ("", name) if len(name.split()) == 1 else None


def name_key(word: str) -> str:
    """A name word as persons are linked by it across articles: lower case, no accents
    ("Tokáyev" and "Tokayev" are one key)."""
    return slug(word)


def name_words(label: str) -> set[str]:
    """The keys of a full name's first and last words (the surname is one of them:
    "Sergey Volkov", "Xi Jinping"); none for a one-word or initialed name."""
    if short_name(label) is not None:
        return set()
    words = label.split()
    return {name_key(words[0]), name_key(words[-1])}


def names_part(form: str, word: str, initial: str) -> bool:
    """Whether a fuller name's form begins or ends with ``word`` (a key, see
    ``name_key``), its other end (the given name) beginning with ``initial`` when one
    is given."""
    words = form.split()
    if len(words) < 2:
        return False
    first, last = name_key(words[0]), name_key(words[-1])
    if not initial:
        return word in (first, last)
    return ((last == word and words[0].startswith(initial))
            or (first == word and words[1].startswith(initial)))


def _one_word_persons(extraction: Extraction) -> dict[str, str]:
    """key of a one-word or initialed person -> key of the one fuller person of the article
    it is part of.

    "Xi" beside "Xi Jinping" (family name first), "Tasmagambetov" beside "Imangali
    Tasmagambetov" or "M. Ryzhenkov" beside "Maxim Ryzhenkov" left unlinked by
    extraction; a word that two fuller names of the article share ("Aliyev" beside "Ilham
    Aliyev" and "Heydar Aliyev") stays a person of its own, as does "H. Aliyev" beside
    "Ilham Aliyev" (the initial differs).
    """
    people = [e for e in extraction.entities.values() if e.kind == "person"]
    out = {}
    for short in people:
        found = short_name(short.name)
        if found is None:
            continue
        initial, word = found[0], name_key(found[1])
        fuller = [e.key for e in people if short_name(e.name) is None
                  and any(names_part(f, word, initial) for f in e.forms() if f.strip())]
        if len(fuller) == 1:
            out[short.key] = fuller[0]
    return out


def merge_name_parts(extraction: Extraction) -> Extraction:
    """The extraction with each one-word person taken into the fuller person it is part of
    in the same article (see ``_one_word_persons``): its name an alias, its facts theirs.

    Within one article only, so ingest order cannot change the result.
    """
    into = _one_word_persons(extraction)
    if not into:
        return extraction
    entities = {}
    for key, entity in extraction.entities.items():
        if key in into:
            continue
        merged = [extraction.entities[k] for k, v in into.items() if v == key]
        if merged:
            entity = replace(entity, aliases=entity.aliases | {e.name for e in merged}
                             | {a for e in merged for a in e.aliases},
                             mentions=sorted([*entity.mentions,
                                              *(m for e in merged for m in e.mentions)],
                                             key=lambda m: (m.start, m.end)))
        entities[key] = entity

    def key(k: str) -> str:
        return into.get(k, k)

    def keys(ks: list[str]) -> list[str]:
        return list(dict.fromkeys(key(k) for k in ks))

    return replace(
        extraction,
        entities=entities,
        memberships=[replace(m, person=key(m.person), organization=key(m.organization))
                     for m in extraction.memberships],
        events=[replace(e, participants=keys(e.participants),
                        place=e.place and key(e.place), organizer=e.organizer and key(e.organizer))
                for e in extraction.events],
    )


def resolve(extraction: Extraction, base: str) -> Resolved:
    """IRIs for an article's facts (one-word persons taken into the fuller one first)."""
    extraction = merge_name_parts(extraction)
    url = extraction.document.url
    return Resolved(
        extraction=extraction,
        base=base,
        graph=article_graph(url),
        article=base + "article/" + _article_id(url),
        entities={key: entity_iri(e, base) for key, e in extraction.entities.items()},
    )
