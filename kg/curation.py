"""Users' corrections to what the extractor got wrong, kept in a file and applied on every write.

The curation file is plain text, one statement a line, so people edit it and review it
in git (``#`` starts a comment; IRIs are written ``<...>``, absolute or relative to the
base, names as JSON strings)::

    merge <person/s-volkov> <person/sergey-volkov>      # these two are one
    alias "World Organization" <organization/un>        # another name of that
    reject "Lakeside" person                            # not a person (any kind without one)
    reject <place/the-council>
    ended <person/anna-berg> "Chair" <organization/harbour-union> 2024-05-31
    no-event <event/0123456789abcdef>                   # this event did not happen

Curation is a pure function applied to each article's triples as extracted (see
``Rules.curate``), so its result does not depend on ingest order, re-ingesting changes
nothing and removing an article takes its part away. An article the curation changed
keeps what was extracted (``kgo:uncurated``), so a changed file is applied again to the
stored articles without parsing them; what the file asserts itself (merged IRIs, posts'
ended-on days) sits in a graph of its own (``CURATION_GRAPH``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from kg.errors import CurationError, CurationUsageError
from kg.facts import ENTITY_KINDS
from kg.mapping import curation_triples
from kg.resolve import membership_iri, role_iri
from kg.store import KGStore, Triple
from kg.surnames import as_written, moved_memberships
from kg.vocab import (
    CURATION_GRAPH,
    DCTERMS,
    DERIVED_GRAPH,
    KGO,
    NIF,
    ONTOLOGY_GRAPH,
    ORG,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
)

# verb -> what its arguments are; "kind?" may be left out
VERBS: dict[str, tuple[str, ...]] = {
    "merge": ("iri", "iri"),
    "alias": ("name", "iri"),
    "reject": ("name|iri", "kind?"),
    "ended": ("iri", "name", "iri", "date"),
    "no-event": ("iri",),
}
SYNTAX = {
    "merge": "merge <OLD-IRI> <NEW-IRI>",
    "alias": 'alias "NAME" <IRI>',
    "reject": 'reject "NAME" [person|organization|mission|place]  or  reject <IRI> [KIND]',
    "ended": 'ended <PERSON-IRI> "POST" <BODY-IRI> YYYY-MM-DD',
    "no-event": "no-event <EVENT-IRI>",
}
_ORDER = list(VERBS)
_TOKEN = re.compile(
    r'\s*(?:<(?P<iri>[^<>"{}|^`\\\s]*)>|"(?P<name>(?:[^"\\]|\\.)*)"|(?P<word>[^\s"<>#]+)'
    r"|(?P<comment>#.*)|(?P<bad>\S))"
)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_ENTITY_SEGMENTS = ("person/", "organization/", "mission/", "place/", "event/", "membership/",
                    "role/")


@dataclass(frozen=True)
class Term:
    """One argument of a statement: an IRI (as written), a name, a kind or a date."""

    kind: str  # "iri", "name", "word"
    value: str

    def text(self) -> str:
        if self.kind == "iri":
            return f"<{self.value}>"
        if self.kind == "name":
            return json.dumps(self.value, ensure_ascii=False)
        return self.value


@dataclass(frozen=True)
class Statement:
    """One line of the curation file, e.g. ``merge <A> <B>``."""

    verb: str
    terms: tuple[Term, ...]

    def text(self) -> str:
        return " ".join([self.verb, *(t.text() for t in self.terms)])

    def sort_key(self) -> tuple:
        return (_ORDER.index(self.verb), [(t.value.casefold(), t.value) for t in self.terms])


@dataclass
class Entry:
    """A statement with the comment lines above it and its line as written."""

    statement: Statement
    line: int
    raw: str
    comments: list[str] = field(default_factory=list)


def looks_like_iri(text: str) -> bool:
    """What a command-line argument names: an IRI (absolute, or relative to the base such as
    ``person/anna-berg``), or else a name."""
    return bool(_SCHEME.match(text)) or text.startswith(_ENTITY_SEGMENTS)


def term_of(text: str, expected: str) -> Term:
    """A command-line argument as a term of the kind ``expected``."""
    if expected == "name":
        return Term("name", text)
    if expected == "iri" or (expected == "name|iri" and looks_like_iri(text)):
        return Term("iri", text.strip("<>"))
    return Term("name" if expected == "name|iri" else "word", text)


def statement(verb: str, *args: str) -> Statement:
    """A statement from command-line arguments, checked as a line of the file would be."""
    shapes = VERBS[verb]
    terms = tuple(term_of(a, s.rstrip("?")) for a, s in zip(args, shapes, strict=False))
    made = Statement(verb, terms)
    try:
        _check(made, "the command line", 0)
    except CurationError as error:
        raise CurationUsageError(error.message, error.hint) from None
    return made


# ---------------------------------------------------------------- the file


class CurationFile:
    """The curation file: its statements in order, with the comments people wrote."""

    def __init__(self, path: Path, entries: list[Entry], header: list[str],
                 trailer: list[str], exists: bool) -> None:
        self.path = path
        self.entries = entries
        self.header = header  # comment lines at the top, before a blank line
        self.trailer = trailer  # comment lines after the last statement
        self.exists = exists

    @property
    def statements(self) -> list[Statement]:
        return [e.statement for e in self.entries]

    @classmethod
    def load(cls, path: Path) -> CurationFile:
        """Read and check the file (a missing file holds no statements)."""
        if not path.exists():
            return cls(path, [], [], [], exists=False)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CurationError(f"cannot read the curation file {path}: {error}",
                                "it must be a UTF-8 text file; see kg curate --help") from None
        entries: list[Entry] = []
        header: list[str] = []
        pending: list[str] = []
        seen: dict[Statement, int] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            if not stripped:
                if not entries and pending:  # a block above the first blank line: the header
                    header.extend([*pending, ""])
                    pending = []
                continue
            if stripped.startswith("#"):
                pending.append(line.rstrip())
                continue
            parsed = _parse_line(line, path, number)
            if parsed in seen:
                raise CurationError(
                    f"{path}:{number}: the same statement as line {seen[parsed]}",
                    "delete one of the two lines")
            seen[parsed] = number
            entries.append(Entry(parsed, number, line.rstrip(), pending))
            pending = []
        made = cls(path, entries, header, pending, exists=True)
        made.rules("https://example.invalid/")  # merge cycles and conflicts fail at load
        return made

    def add(self, new: Statement) -> bool:
        """Add a statement (False when the file holds it already)."""
        if new in self.statements:
            return False
        self.entries.append(Entry(new, 0, new.text()))
        return True

    def text(self) -> str:
        """The file as it is written back: header, statements sorted (each with the comments
        above it, its own spelling kept), trailing comments. Stable: the same statements in
        any order give the same text."""
        lines = list(self.header)
        for entry in sorted(self.entries, key=lambda e: e.statement.sort_key()):
            lines.extend(entry.comments)
            lines.append(entry.raw)
        lines.extend(self.trailer)
        return "\n".join(lines) + "\n" if lines else ""

    def save(self) -> None:
        """Write the file whole or not at all (a temporary file renamed over it)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd, name = tempfile.mkstemp(prefix=".curation-", dir=self.path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(self.text())
            os.replace(name, self.path)
        except OSError as error:
            raise CurationError(f"cannot write the curation file {self.path}: {error}",
                                "check the path and its permissions") from None

    def rules(self, base: str) -> Rules:
        return Rules.compile(self.entries, base, self.path)


def _parse_line(line: str, path: Path, number: int) -> Statement:
    where = f"{path}:{number}"
    terms: list[Term] = []
    verb = None
    for match in _TOKEN.finditer(line):
        if match["comment"] is not None:
            break
        column = match.start() + len(match.group()) - len(match.group().lstrip()) + 1
        if match["bad"] is not None:
            raise CurationError(f"{where}:{column}: unexpected {match['bad']!r}",
                                "IRIs go in <...>, names in \"...\"; see kg curate --help")
        if verb is None:
            verb = match["word"]
            if verb not in VERBS:
                raise CurationError(
                    f"{where}:{column}: unknown statement {match.group().strip()!r}",
                    "a line is one of: " + "; ".join(SYNTAX.values()))
            continue
        if match["iri"] is not None:
            terms.append(Term("iri", match["iri"]))
        elif match["name"] is not None:
            try:
                terms.append(Term("name", json.loads(f'"{match["name"]}"')))
            except json.JSONDecodeError:
                raise CurationError(f"{where}:{column}: a bad escape in the name "
                                    f"{match.group().strip()}",
                                    'write names as JSON strings: "Sergei \\"Serge\\" Volkov"'
                                    ) from None
        else:
            terms.append(Term("word", match["word"]))
    if verb is None:
        raise CurationError(f"{where}: no statement on the line", "see kg curate --help")
    made = Statement(verb, tuple(terms))
    _check(made, where, number)
    return made


def _check(made: Statement, where: str, number: int) -> None:
    """Each argument of the kind its verb takes, or a CurationError naming the line."""
    shapes = VERBS[made.verb]
    required = [s for s in shapes if not s.endswith("?")]
    hint = f"write it as: {SYNTAX[made.verb]}"
    if not len(required) <= len(made.terms) <= len(shapes):
        raise CurationError(f"{where}: {made.verb} takes {_count(required, shapes)}, "
                            f"not {len(made.terms)}", hint)
    for position, (term, shape) in enumerate(zip(made.terms, shapes, strict=False), start=1):
        shape = shape.rstrip("?")
        ok = {"iri": term.kind == "iri", "name": term.kind == "name",
              "name|iri": term.kind in ("name", "iri"),
              "kind": term.kind == "word" and term.value in ENTITY_KINDS,
              "date": term.kind == "word" and _is_date(term.value)}[shape]
        if not ok:
            wanted = {"iri": "an IRI in <...>", "name": 'a name in "..."',
                      "name|iri": 'a name in "..." or an IRI in <...>',
                      "kind": "one of " + ", ".join(ENTITY_KINDS),
                      "date": "a day as YYYY-MM-DD"}[shape]
            raise CurationError(f"{where}: argument {position} of {made.verb} must be "
                                f"{wanted}, not {term.text()}", hint)
        if term.kind == "iri" and not _is_iri(term.value):
            raise CurationError(f"{where}: argument {position} of {made.verb} is no IRI: "
                                f"{term.text()}", hint + " (IRIs have no spaces, quotes or "
                                "brackets; person/anna-berg is relative to the base)")
        if term.kind == "name" and not _norm(term.value):
            raise CurationError(f"{where}: argument {position} of {made.verb} is an empty name",
                                hint)


def _count(required: list[str], shapes: tuple[str, ...]) -> str:
    if len(required) == len(shapes):
        return f"{len(shapes)} argument{'s' if len(shapes) > 1 else ''}"
    return f"{len(required)} or {len(shapes)} arguments"


def _is_iri(text: str) -> bool:
    if not text or re.search(r'[<>"{}|^`\\\s]', text):
        return False
    try:
        ox.NamedNode(text if _SCHEME.match(text) else "https://example.invalid/" + text)
    except ValueError:
        return False
    return True


def _is_date(text: str) -> bool:
    try:
        return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)) and bool(date.fromisoformat(text))
    except ValueError:
        return False


def _norm(name: str) -> str:
    """A name as compared: Unicode-normalized, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


# ---------------------------------------------------------------- applying it


_TYPE = ox.NamedNode(RDF.type)
_LABEL = ox.NamedNode(RDFS.label)
_ALT = ox.NamedNode(SKOS.altLabel)
_DERIVED = ox.NamedNode(PROV.wasDerivedFrom)
_MEMBER = ox.NamedNode(ORG.member)
_ORGANIZATION = ox.NamedNode(ORG.organization)
_REPLACED = ox.NamedNode(DCTERMS.isReplacedBy)
_UNCURATED = ox.NamedNode(KGO.uncurated)
_ATTENDEE = ox.NamedNode(SCHEMA.attendee)
_STRING = ox.NamedNode(NIF.String)
_ARTICLE = ox.NamedNode(SCHEMA.NewsArticle)
_EVENT_CLASSES = {KGO.Meeting, KGO.Visit}
# a class an article gives an entity -> the entity's kind (as ``reject ... KIND`` names it)
KIND_OF_CLASS = {
    SCHEMA.Person: "person",
    ORG.Organization: "organization", ORG.OrganizationalUnit: "organization",
    KGO.Mission: "mission", KGO.PeacekeepingMission: "mission",
    KGO.ObserverMission: "mission", KGO.FieldMission: "mission",
    SCHEMA.Place: "place", SCHEMA.Country: "place", SCHEMA.City: "place",
    SCHEMA.AdministrativeArea: "place",
}
# graphs that are no article's
_NOT_ARTICLES = {CURATION_GRAPH, DERIVED_GRAPH, ONTOLOGY_GRAPH}


@dataclass
class Rules:
    """The curation file compiled for one IRI base: lookups ``curate`` applies."""

    base: str
    replaced: dict[str, str] = field(default_factory=dict)  # old IRI -> final IRI
    aliases: dict[str, str] = field(default_factory=dict)  # normalized name -> IRI
    rejected_iris: dict[str, frozenset[str] | None] = field(default_factory=dict)
    rejected_names: dict[str, frozenset[str] | None] = field(default_factory=dict)
    ended: dict[str, str] = field(default_factory=dict)  # membership IRI -> last day
    no_events: set[str] = field(default_factory=set)
    digest: str = ""

    @classmethod
    def compile(cls, entries: Sequence[Entry], base: str, path: Path | str = "") -> Rules:
        rules = cls(base)
        merged_at: dict[str, int] = {}
        aliased_at: dict[str, int] = {}
        where = str(path)
        for entry in entries:
            made, terms = entry.statement, entry.statement.terms
            if made.verb == "merge":
                old, new = rules.iri(terms[0]), rules.iri(terms[1])
                if old == new:
                    raise CurationError(f"{_at(where, entry.line)}: merges {old} into itself",
                                        "name two different IRIs")
                if old in rules.replaced and rules.replaced[old] != new:
                    raise CurationError(
                        f"{_at(where, entry.line)}: {old} is merged into {new} here and into "
                        f"{rules.replaced[old]} on line {merged_at[old]}",
                        "keep one of the two lines")
                rules.replaced[old], merged_at[old] = new, entry.line
            elif made.verb == "alias":
                name, iri = _norm(terms[0].value), rules.iri(terms[1])
                if name in rules.aliases and rules.aliases[name] != iri:
                    raise CurationError(
                        f"{_at(where, entry.line)}: {terms[0].text()} is another name of {iri} "
                        f"here and of {rules.aliases[name]} on line {aliased_at[name]}",
                        "keep one of the two lines")
                rules.aliases[name], aliased_at[name] = iri, entry.line
            elif made.verb == "reject":
                kinds = frozenset({terms[1].value}) if len(terms) > 1 else None
                if terms[0].kind == "iri":
                    _reject(rules.rejected_iris, rules.iri(terms[0]), kinds)
                else:
                    _reject(rules.rejected_names, _norm(terms[0].value), kinds)
            elif made.verb == "no-event":
                rules.no_events.add(rules.iri(terms[0]))
        for old in rules.replaced:
            rules.replaced[old] = rules._final(old, where, merged_at)
        rules.aliases = {name: rules.final(iri) for name, iri in rules.aliases.items()}
        for entry in entries:
            if entry.statement.verb == "ended":
                person, post, body, day = entry.statement.terms
                membership = membership_iri(base, rules.final(rules.iri(person)),
                                            role_iri(base, post.value),
                                            rules.final(rules.iri(body)))
                if membership in rules.ended and rules.ended[membership] != day.value:
                    raise CurationError(f"{_at(where, entry.line)}: a second day this post ended",
                                        "keep one of the two lines")
                rules.ended[membership] = day.value
        canonical = sorted(e.statement.text() for e in entries)
        rules.digest = hashlib.sha256("\n".join([base, *canonical]).encode("utf-8")).hexdigest()
        return rules

    def iri(self, term: Term) -> str:
        """An IRI as written, made absolute against the base."""
        return term.value if _SCHEME.match(term.value) else self.base + term.value

    def final(self, iri: str) -> str:
        return self.replaced.get(iri, iri)

    def _final(self, iri: str, where: str, merged_at: dict[str, int]) -> str:
        seen = [iri]
        while iri in self.replaced:
            iri = self.replaced[iri]
            if iri in seen:
                lines = ", ".join(str(merged_at[i]) if merged_at[i] else "the new one"
                                  for i in seen)
                raise CurationError(f"{where}: the merges on lines {lines} go round in a circle",
                                    "merge each IRI into the one that stays, once")
            seen.append(iri)
        return iri

    @property
    def empty(self) -> bool:
        return not (self.replaced or self.aliases or self.rejected_iris or self.rejected_names
                    or self.ended or self.no_events)

    def iris(self) -> set[str]:
        """The IRIs whose presence in an article graph means curation may change it."""
        return set(self.replaced) | set(self.rejected_iris) | self.no_events

    def names(self) -> set[str]:
        """The names (normalized) whose presence as a label means the same."""
        return set(self.aliases) | set(self.rejected_names)

    # ------------------------------------------------------------ one article

    def curate(self, triples: Sequence[Triple]) -> list[Triple]:
        """An article's triples with the curation applied (the same list when it changes
        nothing). A function of the triples and the rules alone."""
        kinds: dict[ox.NamedNode, set[str]] = defaultdict(set)
        types: dict[ox.NamedNode, set[str]] = defaultdict(set)
        labels: dict[ox.NamedNode, list[str]] = defaultdict(list)
        for s, p, o in triples:
            if p == _TYPE and isinstance(s, ox.NamedNode):
                types[s].add(o.value)
                if o.value in KIND_OF_CLASS:
                    kinds[s].add(KIND_OF_CLASS[o.value])
            elif p == _LABEL and isinstance(s, ox.NamedNode):
                labels[s].append(o.value)
        rename: dict[ox.NamedNode, ox.NamedNode] = {}
        dropped: set[ox.NamedNode] = set()
        for node, node_kinds in kinds.items():
            target = self._target(node.value, labels[node])
            if self._rejected(node.value, target, labels[node], node_kinds):
                dropped.add(node)
            elif target != node.value:
                rename[node] = ox.NamedNode(target)
        entities = set(kinds)
        attendees: dict[ox.NamedNode, set] = defaultdict(set)
        for s, p, o in triples:
            if p == _ATTENDEE:
                attendees[s].add(o)
        # an event goes when the file says it did not happen, or nobody is left to attend it
        dropped |= {node for node, classes in types.items() if classes & _EVENT_CLASSES and (
            node.value in self.no_events or (attendees[node] and attendees[node] <= dropped))}
        if not rename and not dropped:
            return list(triples)
        # a post goes with its holder or body; it moves with them (its IRI is made of theirs)
        dropped |= {s for s, p, o in triples if p in (_MEMBER, _ORGANIZATION) and o in dropped}
        rename.update(moved_memberships(triples, rename))
        out: list[Triple] = []
        for s, p, o in triples:
            if s in dropped or o in dropped:
                continue
            if p == _LABEL and s in rename and s in entities:
                out.append((rename[s], _ALT, o))  # the curated node keeps its own label
            else:
                out.append((rename.get(s, s), p, rename.get(o, o)))
        cited = {o for _, p, o in out if p == _DERIVED}
        sentences = {s for s, classes in types.items() if _STRING.value in classes}
        out = [t for t in out if not (t[0] in sentences and t[0] not in cited)]
        out += [(old, _REPLACED, new) for old, new in sorted(rename.items(), key=str)]
        return list(dict.fromkeys(out))

    def curate_article(self, triples: Sequence[Triple]) -> list[Triple]:
        """``curate``, plus what was extracted on the article (``kgo:uncurated``) when the
        curation changed anything, so that a later file can be applied to it again."""
        triples = list(triples)
        if self.empty:
            return triples
        curated = self.curate(triples)
        if set(curated) == set(triples):
            return triples
        article = next((s for s, p, o in triples if p == _TYPE and o == _ARTICLE), None)
        if article is not None:
            curated.append((article, _UNCURATED, KGStore.record(triples)))
        return curated

    def _target(self, iri: str, labels: list[str]) -> str:
        if iri in self.replaced:
            return self.replaced[iri]
        named = sorted(self.aliases[n] for n in map(_norm, labels) if n in self.aliases)
        return named[0] if named else iri

    def _rejected(self, iri: str, target: str, labels: list[str], kinds: set[str]) -> bool:
        return (any(_of_kind(self.rejected_iris, key, kinds) for key in (iri, target))
                or any(_of_kind(self.rejected_names, n, kinds) for n in map(_norm, labels)))


def _at(path: str, line: int) -> str:
    """Where a statement is: ``FILE:LINE``, or the one a command is adding."""
    return f"{path}:{line}" if line else f"{path}, the statement added"


def _reject(table: dict[str, frozenset[str] | None], key: str,
            kinds: frozenset[str] | None) -> None:
    """Record a rejection of ``key`` as ``kinds`` (None: as anything), widening an earlier one."""
    if kinds is None or (key in table and table[key] is None):
        table[key] = None
    else:
        table[key] = (table.get(key) or frozenset()) | kinds


def _of_kind(table: dict[str, frozenset[str] | None], key: str, kinds: set[str]) -> bool:
    """Whether ``table`` rejects ``key`` as one of ``kinds``."""
    if key not in table:
        return False
    rejected = table[key]
    return rejected is None or bool(rejected & kinds)


def uncurated(triples: Iterable[Triple]) -> list[Triple]:
    """What was extracted from an article, from its stored graph."""
    triples = list(triples)
    for _, p, o in triples:
        if p == _UNCURATED:
            return [(q.subject, q.predicate, q.object)
                    for q in ox.parse(o.value.encode("utf-8"), ox.RdfFormat.N_TRIPLES)]
    return triples


# ---------------------------------------------------------------- the store


@dataclass
class Applied:
    """What applying a curation file to a store did."""

    changed: bool  # False: the store held this curation already
    articles: int = 0  # article graphs whose triples changed


def apply(store: KGStore, rules: Rules, *, exists: bool = True, path: Path | str = "",
          force: bool = False) -> Applied:
    """Bring the stored articles and the curation graph in step with ``rules``, in one
    transaction. A store that holds this curation already is left alone (unless ``force``).

    Only the articles the change may concern are read again: those curated before (they
    keep what was extracted) and those naming an IRI or a name the rules speak of.
    """
    held = store.graph_value(CURATION_GRAPH, KGO.contentDigest)
    if not force and (held == rules.digest or (held is None and rules.empty)):
        return Applied(changed=False)
    if not exists and held is not None:
        raise CurationError(
            f"the store {store.path} was curated, but the curation file {path} does not exist",
            "pass the file with --curation PATH or KG_CURATION; to drop every correction, "
            "create the file empty")
    # (an article with a name given alone linked holds what was written in a record too)
    graphs = (store.graphs_with(predicate=KGO.uncurated) | store.graphs_with(iris=rules.iris())
              | store.graphs_labelled(rules.names()) | store.graphs_with(predicate=KGO.unlinked)
              ) - _NOT_ARTICLES
    changes: dict[str, list[Triple]] = {}
    for graph in sorted(graphs):
        written = as_written(store.graph_triples(graph))
        curated = rules.curate_article(uncurated(written))
        if KGStore.canonical(curated) != KGStore.canonical(written):
            changes[graph] = curated
    articles = len(changes)
    changes[CURATION_GRAPH] = list(curation_triples(
        CURATION_GRAPH, sorted(rules.replaced.items()), sorted(rules.ended.items()),
        rules.digest))
    store.replace_graphs(changes)
    return Applied(changed=True, articles=articles)
