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
from collections.abc import Callable, Iterable, Sequence

import pyoxigraph as ox

from kg.resolve import membership_iri, name_key, names_part, short_name
from kg.vocab import KGO, ORG, RDF, RDFS, SCHEMA, SKOS

Triple = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]

NAME_WORD = ox.NamedNode(KGO.nameWord)
NAME_ALONE = ox.NamedNode(KGO.nameAlone)
UNLINKED = ox.NamedNode(KGO.unlinked)
# what the record of an article as written leaves beside it: the record of what curation
# changed (not recorded twice), and the content digest (a bulk load adds it last)
_BESIDE = frozenset({ox.NamedNode(KGO.uncurated), ox.NamedNode(KGO.contentDigest)})
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

# What ties a person to bodies and places in an article: the posts they hold there, the
# meetings and visits they attend (their place, their parties not persons). Written from
# the context's side, which the engine then starts from.
_TIES = (
    f"{{ ?m <{ORG.organization}> ?context ; <{ORG.member}> ?person }}"
    f" UNION {{ ?e <{SCHEMA.location}> ?context ; <{SCHEMA.attendee}> ?person }}"
    f" UNION {{ ?e <{SCHEMA.attendee}> ?context , ?person ."
    f" FILTER NOT EXISTS {{ ?context a <{SCHEMA.Person}> }} }}")
# (name word, person, context) of the persons some graphs name in full (the store adds a
# VALUES clause of ?g).
PAIRS_QUERY = (f"SELECT DISTINCT ?word ?person ?context WHERE {{ %s"
               f" GRAPH ?g {{ ?person <{KGO.nameWord}> ?word . {_TIES} }} }}")
# Whether an article naming a person in full ties them to one of some contexts (the store
# binds ?person, ?word and ?context and adds the graphs to leave out); the engine stops at
# the first (0.2 ms with a person named in full by 900 articles, 2 ms written the other way
# round).
SHARES_QUERY = (f"ASK {{ %s GRAPH ?g {{ {_TIES}"
                f" FILTER EXISTS {{ ?person <{KGO.nameWord}> ?word }} }} %s }}")
# The persons some articles name in full by some words, and their labels, from the merged
# graph (a person once per word however many articles name them; one only an article a
# write replaces names is still there, but shares no context outside it).
CANDIDATES_QUERY = (f"SELECT DISTINCT ?word ?person ?label WHERE {{ %s"
                    f" ?person <{KGO.nameWord}> ?word ; <{RDFS.label}> ?label }}")
# The articles naming someone alone by some words and mentioning some contexts, and which
# (word, context) pairs have any. Written from the word's side: a body or place is named
# by thousands of articles, a word alone by few (by none, most words).
_ALONE = (f"%s GRAPH ?g {{ ?a <{KGO.nameAlone}> ?word ; <{SCHEMA.mentions}> ?context }} %s")
ALONE_QUERY = f"SELECT DISTINCT ?g WHERE {{ {_ALONE} }}"
ALONE_PAIRS_QUERY = f"SELECT DISTINCT ?word ?context WHERE {{ {_ALONE} }}"
ALL_ALONE_QUERY = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?a <{KGO.nameAlone}> ?word }} }}"

Pair = tuple[str, str, str]  # (name word, person, context)
Candidates = dict[str, dict[str, str]]  # name word -> person -> label


def values(variables: str, rows: Iterable[tuple]) -> str:
    """A VALUES clause of ``rows`` (str: an IRI; ``ox.Literal``: a literal)."""
    def term(value: object) -> str:
        return str(value) if isinstance(value, ox.Literal) else f"<{value}>"

    body = " ".join("(" + " ".join(term(v) for v in row) + ")"
                    for row in sorted(set(rows), key=str))
    return f"VALUES ({variables}) {{ {body} }}"


def leaving_out(graphs: Iterable[str]) -> str:
    gone = sorted(set(graphs))
    return f"FILTER(?g NOT IN ({', '.join(f'<{g}>' for g in gone)}))" if gone else ""


def read_pairs(solutions: Iterable) -> set[Pair]:
    return {(row["word"].value, row["person"].value, row["context"].value) for row in solutions}


def read_candidates(solutions: Iterable, into: Candidates) -> None:
    for row in solutions:
        into.setdefault(row["word"].value, {})[row["person"].value] = row["label"].value


def context_of(triples: Iterable[Triple]) -> set[str]:
    """The bodies, missions and places an article names."""
    return {s.value for s, p, o in triples if p == _TYPE and o in CONTEXT_CLASSES}


def words_of(triples: Iterable[Triple], predicate: ox.NamedNode) -> set[str]:
    return {o.value for _, p, o in triples if p == predicate}


def as_written(triples: Sequence[Triple]) -> list[Triple]:
    """An article's triples as they were written to the store, before any link."""
    record = next((o.value for _, p, o in triples if p == UNLINKED), None)
    if record is None:
        return list(triples)
    kept = [t for t in triples if t[1] in _BESIDE]
    return [(q.subject, q.predicate, q.object)
            for q in ox.parse(record.encode("utf-8"), ox.RdfFormat.N_TRIPLES)] + kept


def links(triples: Sequence[Triple], candidates: Candidates,
          shares: Callable[[str, str, set[str]], bool]) -> dict[ox.NamedNode, ox.NamedNode]:
    """The persons of an article (as written) named alone -> the known person each is.

    ``candidates`` are the persons other articles name in full by the article's words
    alone; ``shares(person, word, context)`` says whether one of those articles ties the
    person to one of the bodies and places ``context`` (the article's own).
    """
    labels = {s: o.value for s, p, o in triples if p == _LABEL}
    persons = {s for s, p, o in triples if p == _TYPE and o == _PERSON}
    context = context_of(triples)
    full = words_of(triples, NAME_WORD)
    out = {}
    for person in sorted(persons, key=str):
        alone = short_name(labels.get(person, ""))
        if alone is None or not context:
            continue
        initial, word = alone[0], name_key(alone[1])
        if word in full:
            continue  # the article names a fuller person of that word: not for us to choose
        sharing = [iri for iri, label in sorted(candidates.get(word, {}).items())
                   if names_part(label, word, initial) and shares(iri, word, context)]
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
    """(what the ``kgo:unlinked`` record of an article holds, what stays beside it as it
    is: the record of what curation changed, the content digest)."""
    return ([t for t in triples if t[1] not in _BESIDE], [t for t in triples if t[1] in _BESIDE])


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
