"""A person an article names alone ("Volkov", "S. Volkov") linked to the one person other
articles name in full in a related context ("Sergey Volkov", with a post in a body the
article names).

Within one article, ``kg.resolve`` already takes a name given alone into the one fuller
name of the article that it is part of. Across articles it needs the store, and so that
ingest order, re-ingesting and removing cannot change the result, the link is a function
of what the articles say, never of earlier links:

- A **known person** is one that some article names in full (``kgo:nameWord`` on the
  person in that article's graph: the full name's first and last words). Their
  **context** is read from those articles only: the bodies they hold posts in, and the
  places and non-person parties of the meetings and visits they attend.
- A name given alone in article A (``kgo:nameAlone`` on A) is linked when A names no
  full person with that word, and exactly one known person whose name begins or ends
  with it (and whose given name begins with its initial, if it has one) has a context
  that A names (a body, a mission or a place A mentions). Two such persons, or none:
  it stays a person of its own.

A link renames the person in the article's own graph (its name becomes an
``skos:altLabel`` of the person linked to; its posts move with it) and records the
article as it was written (``kgo:unlinked``), so the store makes the link again, or
undoes it, when articles naming persons of that word come or go (see ``KGStore``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from kg.resolve import membership_iri, name_key, names_part, short_name
from kg.vocab import KGO, ORG, RDF, RDFS, SCHEMA, SKOS

Triple = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]

NAME_WORD = ox.NamedNode(KGO.nameWord)
NAME_ALONE = ox.NamedNode(KGO.nameAlone)
UNLINKED = ox.NamedNode(KGO.unlinked)
_UNCURATED = ox.NamedNode(KGO.uncurated)
_TYPE = ox.NamedNode(RDF.type)
_LABEL = ox.NamedNode(RDFS.label)
_ALT = ox.NamedNode(SKOS.altLabel)
_PERSON = ox.NamedNode(SCHEMA.Person)
_ARTICLE = ox.NamedNode(SCHEMA.NewsArticle)
_MEMBER = ox.NamedNode(ORG.member)
_ROLE = ox.NamedNode(ORG.role)
_ORGANIZATION = ox.NamedNode(ORG.organization)
# what a person's context and an article's may share: bodies, missions and places
CONTEXT_CLASSES = frozenset(ox.NamedNode(c) for c in (
    ORG.Organization, ORG.OrganizationalUnit, KGO.Mission, KGO.PeacekeepingMission,
    KGO.ObserverMission, KGO.FieldMission, SCHEMA.Place, SCHEMA.Country, SCHEMA.City,
    SCHEMA.AdministrativeArea))

# The known persons of some name words, each with their context, from the articles naming
# them in full (the store adds a VALUES clause of ?word and the graphs to leave out).
KNOWN_QUERY = f"""
SELECT DISTINCT ?word ?person ?label ?context WHERE {{
  %s
  GRAPH ?g {{
    ?person <{KGO.nameWord}> ?word ; <{RDFS.label}> ?label .
    OPTIONAL {{
      {{ ?m <{ORG.member}> ?person ; <{ORG.organization}> ?context }}
      UNION {{ ?e <{SCHEMA.attendee}> ?person ; <{SCHEMA.location}> ?context }}
      UNION {{ ?e <{SCHEMA.attendee}> ?person , ?context .
               FILTER NOT EXISTS {{ ?context a <{SCHEMA.Person}> }} }}
    }}
  }}
  %s
}}"""
# The graphs naming a person alone by some words.
ALONE_QUERY = f"SELECT DISTINCT ?g WHERE {{ %s GRAPH ?g {{ ?a <{KGO.nameAlone}> ?word }} %s }}"

# word -> known person -> (label, context)
Known = dict[str, dict[str, tuple[str, frozenset[str]]]]


def words_query(template: str, words: Iterable[str], leave_out: Iterable[str] = ()) -> str:
    """``template`` for name ``words``, leaving out graphs ``leave_out``."""
    values = "VALUES ?word { " + " ".join(str(ox.Literal(w)) for w in sorted(set(words))) + " }"
    gone = sorted(set(leave_out))
    exclude = f"FILTER(?g NOT IN ({', '.join(f'<{g}>' for g in gone)}))" if gone else ""
    return template % (values, exclude)


def read_known(solutions: Iterable, into: Known) -> None:
    """Add the rows of ``KNOWN_QUERY`` to ``into``."""
    gathered: dict[tuple[str, str], tuple[str, set[str]]] = {}
    for row in solutions:
        key = (row["word"].value, row["person"].value)
        label, context = gathered.setdefault(key, (row["label"].value, set()))
        if row["context"] is not None:
            context.add(row["context"].value)
    for (word, person), (label, context) in gathered.items():
        had = into.setdefault(word, {}).get(person)
        into[word][person] = (label, frozenset(context) | (had[1] if had else frozenset()))


def words_of(triples: Iterable[Triple], predicate: ox.NamedNode) -> set[str]:
    return {o.value for _, p, o in triples if p == predicate}


def as_written(triples: Sequence[Triple]) -> list[Triple]:
    """An article's triples as they were written to the store, before any link."""
    record = next((o.value for _, p, o in triples if p == UNLINKED), None)
    if record is None:
        return list(triples)
    kept = [t for t in triples if t[1] == _UNCURATED]
    return [(q.subject, q.predicate, q.object)
            for q in ox.parse(record.encode("utf-8"), ox.RdfFormat.N_TRIPLES)] + kept


def links(triples: Sequence[Triple], known: Known) -> dict[ox.NamedNode, ox.NamedNode]:
    """The persons of an article (as written) named alone -> the known person each is."""
    labels = {s: o.value for s, p, o in triples if p == _LABEL}
    persons = {s for s, p, o in triples if p == _TYPE and o == _PERSON}
    context = {s.value for s, p, o in triples if p == _TYPE and o in CONTEXT_CLASSES}
    full = words_of(triples, NAME_WORD)
    out = {}
    for person in sorted(persons, key=str):
        alone = short_name(labels.get(person, ""))
        if alone is None:
            continue
        initial, word = alone[0], name_key(alone[1])
        if word in full:
            continue  # the article names a fuller person of that word: not for us to choose
        sharing = [iri for iri, (label, theirs) in known.get(word, {}).items()
                   if theirs & context and names_part(label, word, initial)]
        if len(sharing) == 1:
            out[person] = ox.NamedNode(sharing[0])
    return out


def linked(triples: Sequence[Triple], rename: dict[ox.NamedNode, ox.NamedNode]
           ) -> list[Triple]:
    """An article's triples (as written) with ``rename`` applied (the store adds the
    record of them, ``kgo:unlinked``, in the form it stores them)."""
    moved = dict(rename)
    moved.update(moved_memberships(triples, rename))
    out: list[Triple] = []
    for s, p, o in triples:
        if p == _LABEL and s in rename:
            out.append((rename[s], _ALT, o))  # the name given alone: another name of theirs
        else:
            out.append((moved.get(s, s), p, moved.get(o, o)))
    return list(dict.fromkeys(out))


def record_of(triples: Sequence[Triple]) -> tuple[list[Triple], list[Triple]]:
    """(what the ``kgo:unlinked`` record of an article holds, what stays beside it): the
    record of what curation changed is kept as it is, not recorded twice."""
    return ([t for t in triples if t[1] != _UNCURATED], [t for t in triples if t[1] == _UNCURATED])


def moved_memberships(triples: Iterable[Triple], rename: dict[ox.NamedNode, ox.NamedNode]
                      ) -> dict[ox.NamedNode, ox.NamedNode]:
    """New IRIs of the posts whose holder or body ``rename`` renames (a membership's IRI is
    made of theirs)."""
    parts: dict[ox.NamedNode, dict[ox.NamedNode, ox.NamedNode]] = defaultdict(dict)
    for s, p, o in triples:
        if p in (_MEMBER, _ROLE, _ORGANIZATION) and isinstance(o, ox.NamedNode):
            parts[s][p] = o
    moved = {}
    for node, of in parts.items():
        person, role, body = of.get(_MEMBER), of.get(_ROLE), of.get(_ORGANIZATION)
        if person is None or role is None or body is None:
            continue
        if person in rename or body in rename:
            base = node.value.rsplit("membership/", 1)[0]
            new = membership_iri(base, rename.get(person, person).value, role.value,
                                 rename.get(body, body).value)
            if new != node.value:
                moved[node] = ox.NamedNode(new)
    return moved
