"""Finding named things in a parsed document and grouping them into entities.

Sources of mentions, most trusted first: the gazetteer; acronyms the text
defines ("... Organization (CSTO)"); names built by rules around known names
("CSTO Joint Staff", "Security Council of Armenia", "CSTO Mission"); spaCy's
named entities; and later mentions of a known person's surname. Mentions
nested inside another name (the "CSTO" of "CSTO Joint Staff") are kept: they
name entities too.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from kg.datelines import MONTHS
from kg.extract import lexicon
from kg.extract.dates import WEEKDAYS
from kg.extract.gazetteer import Entry, Gazetteer, norm
from kg.extract.names import (
    BODY_HEADS,
    HONORIFICS,
    PATRONYMIC,
    ROLE_HEADS,
    ROLE_MODIFIERS,
    is_initial,
    split_name,
)
from kg.facts import Entity, Span

NER_KINDS = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": None,
}
# Bare words that only refer back to an organization already named, or name nothing alone.
GENERIC = set(lexicon.words("names.tsv", "generic"))
VENUE_HEADS = set(lexicon.words("names.tsv", "venue-head"))
VENUE_CENTRES = set(lexicon.words("names.tsv", "venue-centre"))
CALENDAR_WORDS = set(MONTHS) | set(WEEKDAYS) | {"today", "yesterday", "tomorrow"}
# Words that refer back to any body; never an alias (GUIDELINES: "the Organization").
BACK_REFERENCES = {
    "organization",
    "organisation",
    "council",
    "mission",
    "committee",
    "commission",
    "assembly",
    "forum",
    "office",
    "parties",
    "sides",
}
ROLE_WORDS = {w.lower() for head in ROLE_HEADS for w in re.split(r"[\s-]+", head)} - {
    "of",
    "the",
    "for",
    "in",
    "to",
    "d'affaires",
    "d’affaires",
}
ROLE_TITLES = {head.lower() for head in ROLE_HEADS}
# title words that also name a kind of body: "Executive Committee", "Permanent Council"
BODY_MODIFIERS = {"executive", "permanent", "special", "high", "press", "general"}
MODIFIER_WORDS = {m.lower() for m in ROLE_MODIFIERS}
_CAP = re.compile(r"^[A-Z\u00c0-\u024f\u0400-\u04ff][\w'’.-]*$")


def _text(doc: Doc) -> str:
    """The document text; spaCy rebuilds ``Doc.text`` on every access, so keep it once."""
    text = doc.user_data.get("kg_text")
    if text is None:
        text = doc.user_data["kg_text"] = doc.text
    return text


@dataclass
class Mention:
    start: int  # character offsets into the document text
    end: int
    kind: str  # person, organization, mission, place
    text: str
    source: str  # gazetteer, acronym, pattern, ner, surname
    entry: Entry | None = None
    nested: bool = False  # inside another mention
    key: str = ""  # the entity it names, set by group()
    parent_text: str | None = None  # an organization this one is a body of
    location_text: str | None = None  # where a mission operates
    subtype: str | None = None

    def again(self, start: int, end: int, text: str, source: str, parent_text: str) -> Mention:
        """Another mention of what this one names, elsewhere or in another form."""
        return Mention(
            start,
            end,
            self.kind,
            text,
            source,
            entry=self.entry,
            subtype=self.subtype,
            parent_text=parent_text,
        )

    def overlaps(self, other: Mention) -> bool:
        return self.start < other.end and other.start < self.end

    def inside(self, other: Mention) -> bool:
        return other.start <= self.start and self.end <= other.end and self != other


@dataclass
class MentionFinder:
    gazetteer: Gazetteer
    nlp: object
    _matchers: tuple = field(init=False)

    def __post_init__(self) -> None:
        exact = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        folded = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        tokenizer = self.nlp.make_doc
        for entry in self.gazetteer.entries.values():
            for form in entry.forms():
                pattern = tokenizer(form)
                # one-word forms must match case ("Chad", "CIS"); longer ones need not
                (exact if len(pattern) == 1 else folded).add(entry.id, [pattern])
                if len(pattern) == 1 and form.isupper() is False and form[:1].isupper():
                    exact.add(entry.id, [tokenizer(form.upper())])
        self._matchers = (exact, folded)

    def find(self, doc: Doc, people: list = ()) -> list[Mention]:
        """The document's mentions; ``people`` are tokens the parse says name a person
        (the subject of "was appointed Head of X"), for names the tagger got wrong."""
        mentions = self._gazetteer(doc)
        mentions += _acronym_definitions(doc, mentions)
        mentions += _built_names(doc, mentions, self.gazetteer)
        mentions += _initialed_names(doc, mentions)
        mentions += _quoted_names(doc, mentions)
        mentions += _ner(doc, mentions, self.gazetteer)
        mentions = _people_of_constructions(doc, mentions, people, self.gazetteer)
        mentions += _titled_names(doc, mentions)
        mentions += _names_after_titles(doc, mentions, self.gazetteer)
        _extend_given_names(doc, mentions, self.gazetteer)
        _extend_family_names(doc, mentions, self.gazetteer)
        _extend_particle_names(mentions, _text(doc))
        mentions += _full_names_of_surnames(doc, mentions, self.gazetteer)
        mentions += _surnames(doc, mentions)
        mentions += _short_forms(doc, mentions)
        mentions += _named_again(doc, mentions)
        _extend_missions(doc, mentions)
        _extend_topics(doc, mentions)
        _extend_representatives(doc, mentions)
        _units_named_short(mentions, self.gazetteer)
        return _mark_nested(mentions)

    def _gazetteer(self, doc: Doc) -> list[Mention]:
        found = []
        for matcher in self._matchers:
            for match_id, start, end in matcher(doc):
                entry = self.gazetteer.entries[doc.vocab.strings[match_id]]
                span = doc[start:end]
                if span.text[:1].islower() and entry.name[:1].isupper():
                    continue  # "heads of government of Armenia": words, not the Government
                if _text(doc).startswith("-in-", span.end_char):
                    continue  # "OSCE Chair-in-Office": a title, not the Chairpersonship
                found.append(
                    Mention(
                        span.start_char,
                        span.end_char,
                        entry.kind,
                        span.text,
                        "gazetteer",
                        entry=entry,
                        subtype=entry.subtype,
                    )
                )
        # of overlapping matches keep the longest; equal spans keep the first entry
        found.sort(key=lambda m: (-(m.end - m.start), m.start))
        kept = SpanIndex()
        for m in found:
            near = kept.overlapping(m.start, m.end)
            if any(m.start == k.start and m.end == k.end for k in near):
                continue
            if any(not m.inside(k) for k in near):
                continue
            kept.add(m)
        return kept.mentions


def _units_named_short(mentions: list[Mention], gazetteer: Gazetteer) -> None:
    """A body named without its organization ("the Security Council", "the General
    Assembly") is the gazetteer's body of that name whose organization the article names
    (the UN, or another of its bodies); two such bodies, or none, and it stays as found."""
    named = {e.id for m in mentions if m.entry is not None
             for e in (m.entry, *(gazetteer.entries[a] for a in gazetteer.ancestors(m.entry)))}
    for m in mentions:
        if m.entry is not None or m.kind not in ("organization", "mission"):
            continue
        fitting = [u for u in gazetteer.units_named_short(m.text) if u.parent in named]
        if len(fitting) == 1:
            m.entry, m.kind, m.subtype = fitting[0], fitting[0].kind, fitting[0].subtype


class SpanIndex:
    """Mentions by where they start, to find those overlapping a span without reading
    them all (a long article has thousands)."""

    def __init__(self, mentions: Iterable[Mention] = ()) -> None:
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self._starts = [m.start for m in self.mentions]
        self._longest = max((m.end - m.start for m in self.mentions), default=0)

    def add(self, m: Mention) -> None:
        at = bisect_right(self._starts, m.start)
        self._starts.insert(at, m.start)
        self.mentions.insert(at, m)
        self._longest = max(self._longest, m.end - m.start)

    def starting_in(self, start: int, end: int) -> list[Mention]:
        return self.mentions[bisect_left(self._starts, start) : bisect_left(self._starts, end)]

    def overlapping(self, start: int, end: int) -> list[Mention]:
        first = bisect_left(self._starts, start - self._longest)
        last = bisect_left(self._starts, end)
        return [m for m in self.mentions[first:last] if m.end > start]

    def covers(self, start: int, end: int) -> bool:
        return bool(self.overlapping(start, end))

    def remove(self, m: Mention) -> None:
        at = next(i for i in range(bisect_left(self._starts, m.start), len(self.mentions))
                  if self.mentions[i] is m)
        del self.mentions[at], self._starts[at]


def _covered(start: int, end: int, mentions: list[Mention]) -> bool:
    return any(m.start < end and start < m.end for m in mentions)


def _acronym_definitions(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """ "Long Name (ACR)": the acronym names what the long name names."""
    out: list[Mention] = []
    text = _text(doc)
    for m in re.finditer(r"\(\s*([A-Z][A-Za-z]{1,9})\s*\)", text):
        if any(x.start <= m.start(1) < x.end for x in mentions):
            continue
        before = [x for x in mentions if 0 <= m.start() - x.end <= 1 and not x.nested]
        spelled = _spelled_out(text, m.start(), m.group(1))
        if spelled is not None and not any(
            x.start <= spelled[0] and x.end >= m.start() - 1 for x in before
        ):
            # spaCy missed or cut the long form: the words whose initials spell the acronym
            long = Mention(
                spelled[0], spelled[1], "organization", text[spelled[0] : spelled[1]], "acronym"
            )
            out.append(long)
        elif before:
            long = max(before, key=lambda x: x.end - x.start)
        else:
            continue
        if long.kind == "person":
            continue
        out.append(
            Mention(
                m.start(1),
                m.end(1),
                long.kind,
                m.group(1),
                "acronym",
                entry=long.entry,
                subtype=long.subtype,
                parent_text=long.text,
            )
        )
    # later uses of a defined acronym
    defined = {m.text: m for m in out}
    known = SpanIndex(mentions + out)
    for acronym, definition in defined.items():
        for m in re.finditer(rf"\b{re.escape(acronym)}\b", _text(doc)):
            if not known.covers(m.start(), m.end()):
                again = definition.again(
                    m.start(), m.end(), acronym, "acronym", definition.parent_text
                )
                out.append(again)
                known.add(again)
    return out


def _spelled_out(text: str, end: int, acronym: str) -> tuple[int, int] | None:
    """The span of the capitalized words before ``end`` whose initials spell ``acronym``
    ("Eurasian Institute for Strategic Dialogue" before "(EISD)")."""
    words = list(re.finditer(r"[\w'’-]+", text[max(0, end - 160) : end]))
    offset = max(0, end - 160)
    letters = acronym.upper()
    initials = ""
    for i in range(len(words) - 1, -1, -1):
        word = words[i].group(0)
        if word.lower() in {"of", "for", "and", "the", "on", "in", "de"}:
            continue
        if not word[0].isupper():
            return None
        initials = word[0] + initials
        if initials == letters:
            return offset + words[i].start(), offset + words[-1].end()
        if not letters.endswith(initials):
            return None
    return None


def _is_cap(token) -> bool:
    return bool(_CAP.match(token.text)) and token.text.lower() not in {"the", "a", "an"}


def _built_names(doc: Doc, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """Bodies named around a known name: "CSTO Joint Staff", "Permanent Council of the CSTO",
    "Security Council of Armenia", "CSTO Mission", "Peacekeeping Forces in Kazakhstan"."""
    by_start: dict[int, Mention] = {}
    for m in sorted(mentions, key=lambda m: m.end - m.start):
        by_start[m.start] = m  # the longest name starting there
    out = _bodies_after_names(doc, mentions, by_start, gazetteer)
    out += _bodies_of_names(doc, mentions, by_start, gazetteer)
    out += _missions_of_names(doc, by_start, gazetteer)
    out += _ministries(doc, mentions + out, gazetteer)
    out += _embassies(doc, mentions + out)
    out += _delegations(doc, mentions + out)
    return [m for m in out if not any(m.start == x.start and m.end == x.end for x in mentions)]


def _bodies_after_names(doc: Doc, mentions, by_start, gazetteer: Gazetteer) -> list[Mention]:
    """NAME + capitalized words ending in a body head: "CSTO Joint Staff"."""
    out: list[Mention] = []
    for m in sorted(mentions, key=lambda x: x.start):
        if m.kind not in ("organization", "mission", "place"):
            continue  # a place only begins a venue's name: "Samarkand Congress Centre"
        tokens = doc.char_span(m.start, m.end, alignment_mode="expand")
        if tokens is None:
            continue
        i = tokens.end
        words = []
        while i < len(doc) and (
            _is_cap(doc[i])
            or (
                doc[i].lower_ in ("of", "for", "and")
                and words
                and i + 1 < len(doc)
                and _is_cap(doc[i + 1])
            )
        ):
            if doc[i].idx in by_start and by_start[doc[i].idx].kind == "person":
                break
            words.append(doc[i])
            i += 1
        while words and (words[-1].lower_ not in BODY_HEADS):
            words.pop()
        after = doc[words[-1].i + 1] if words and words[-1].i + 1 < len(doc) else None
        if after is not None and _is_cap(after) and after.lower_ in ROLE_WORDS - BODY_HEADS:
            continue  # "UNIFIL Force Commander": the words are a title
        if words and not any(w.lower_ in ROLE_WORDS - BODY_HEADS for w in words[:1]):
            start, end = m.start, words[-1].idx + len(words[-1].text)
            if any(k.start <= start and end <= k.end for k in mentions):
                continue  # part of a longer known name
            text = _text(doc)[start:end]
            if m.kind != "place" or is_venue(text.split()):
                _add_built(out, doc, start, end, text, m, gazetteer)
    return out


def _bodies_of_names(doc: Doc, mentions, by_start, gazetteer: Gazetteer) -> list[Mention]:
    """BODY of (the) NAME / PLACE: "Permanent Council of the OSCE", "Security Council of
    Armenia"."""
    out: list[Mention] = []
    for match in re.finditer(
        r"\b((?:[A-Z][\w'’-]*\s+)*?(?:[A-Z][\w'’-]*\s+(?:of|for|on)\s+(?:(?:and\s+)?[A-Z][\w'’-]*\s+)*?)?"
        r"(?:(?<=\s)and\s+)?[A-Z][\w'’-]*)\s+of\s+(?:the\s+)?",
        _text(doc),
    ):
        target = by_start.get(match.end())
        if target is None or target.kind not in ("organization", "mission", "place"):
            continue
        head_words = match.group(1).split()
        # trim leading words until the phrase is a body ("the Permanent Council")
        while head_words and head_words[0].lower() == "the":
            head_words.pop(0)
        if not head_words or not _headed_body(head_words):
            continue
        if head_words[0].lower() in ROLE_WORDS - BODY_MODIFIERS:
            continue  # a title word first: the words name a post, not a body
        if target.kind != "place" and len(head_words) == 1 and re.search(
            r"\b(?:of|for)\s+(?:the\s+)?$", _text(doc)[max(0, match.start(1) - 40) : match.start(1)]
        ):
            continue  # "Chairman of the Board of X": a bare "Board" belongs to the title (but
            # "Chairperson of the Central Commission of the Kyrgyz Republic" is a country's body,
            # and "Director of the Executive Committee of RATS" names the Committee)
        start = match.start(1) + match.group(1).index(head_words[0])
        end = target.end
        if any(
            k.start <= start and end <= k.end and (k.start, k.end) != (start, end) for k in mentions
        ):
            continue
        _add_built(out, doc, start, end, _text(doc)[start:end], target, gazetteer)
    return out


def _headed_body(words: list[str]) -> bool:
    """ "Permanent Council", "Commission for Elections and Holding Referendums": a body, its
    head word last or before what it is for."""
    if words[-1].lower() in BODY_HEADS:
        return True
    inner = [i for i, w in enumerate(words) if w in ("for", "on")]
    return bool(inner) and inner[0] > 0 and words[inner[0] - 1].lower() in BODY_HEADS


def _missions_of_names(doc: Doc, by_start, gazetteer: Gazetteer) -> list[Mention]:
    """ "the observer mission of the CSTO Parliamentary Assembly", written in lower case."""
    out: list[Mention] = []
    for match in re.finditer(
        r"\b(?:election\s+)?(?:observer|observation|monitoring|peacekeeping)"
        r"\s+(?:mission|force|contingent)\s+of\s+(?:the\s+)?",
        _text(doc),
    ):
        target = by_start.get(match.end())
        if target is not None and target.kind == "organization":
            _add_built(
                out,
                doc,
                match.start(),
                target.end,
                _text(doc)[match.start() : target.end],
                target,
                gazetteer,
            )
    return out


OF_THE = re.compile(r"\s+of\s+(?:the\s+)?")
MINISTRY = re.compile(
    r"\b(?:(?P<adj>[A-Z][\w'’-]+)\s+)?(?:(?:Foreign|Defen[cs]e|Interior|Justice|Finance|Economy|"
    r"Emergencies|Health|Education|Energy|Transport|Agriculture)\s+Ministry|"
    r"Ministry\s+of\s+(?:the\s+)?[A-Z][\w-]+(?:\s+(?:and\s+)?[A-Z][\w-]+){0,3})"
)


def _ministries(doc: Doc, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """Government ministries, with their country when the name gives it: "the Tajik Ministry
    of Foreign Affairs", "Russian Foreign Ministry", "Ministry of Defence of Armenia"."""
    text = _text(doc)
    places = {m.start: m for m in mentions if m.kind == "place"}
    out = []
    for match in MINISTRY.finditer(text):
        start, end = match.start(), match.end()
        adjective = match.group("adj")
        if adjective and not gazetteer.country_named_in(adjective):
            start = match.start() + len(adjective) + 1  # "The Ministry", "Armenia's Ministry"
            if not text[start:end].startswith(("Ministry", "Foreign", "Defen")):
                continue
        tail = OF_THE.match(text, end)
        place = places.get(tail.end()) if tail else None
        if place is not None:
            end = place.end
        if any(m.start <= start and end <= m.end for m in mentions):
            continue  # part of a longer known name (or the same gazetteer entry)
        name = text[start:end]
        entry = gazetteer.lookup(name)
        out.append(
            Mention(
                start,
                end,
                "organization",
                name,
                "pattern",
                entry=entry,
                subtype=entry.subtype if entry else None,
            )
        )
    return out


EMBASSY = re.compile(
    r"\b(?:Embassy|Consulate(?:[- ]General)?|Permanent\s+Mission|Trade\s+Mission)"
    r"\s+of\s+(?:the\s+)?"
)


def _embassies(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A country's diplomatic missions: "the Embassy of the Republic of Uzbekistan"."""
    text = _text(doc)
    places = {m.start: m for m in mentions if m.kind == "place"}
    out = []
    for match in EMBASSY.finditer(text):
        place = places.get(match.end())
        if place is None or _covered(match.start(), place.start, mentions):
            continue
        name = text[match.start() : place.end]
        out.append(Mention(match.start(), place.end, "organization", name, "pattern"))
    return out


DELEGATION_AFTER = re.compile(r"\s+Delegation\s+to\s+(?:the\s+)?")
DELEGATION_BEFORE = re.compile(r"\bDelegation\s+of\s+(?:the\s+)?$")
TO_THE = re.compile(r"\s+to\s+(?:the\s+)?")


def _delegations(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A body's diplomatic missions, units of that body: "the EU Delegation to Georgia",
    "the Delegation of the European Union to Moldova"."""
    text = _text(doc)
    places = {m.start: m for m in mentions if m.kind == "place"}
    out = []
    for body in (m for m in mentions if m.kind == "organization"):
        after = DELEGATION_AFTER.match(text, body.end)
        before = DELEGATION_BEFORE.search(text[max(0, body.start - 30) : body.start])
        if after:
            start, place = body.start, places.get(after.end())
        elif before and (to := TO_THE.match(text, body.end)):
            start, place = body.start - len(before.group(0)), places.get(to.end())
        else:
            continue
        if place is None or any(m.start <= start and place.end <= m.end for m in mentions):
            continue
        name = text[start : place.end]
        out.append(Mention(start, place.end, "organization", name, "pattern",
                           parent_text=body.text, subtype="unit"))
    return out


def _add_built(
    out: list[Mention],
    doc: Doc,
    start: int,
    end: int,
    text: str,
    inner: Mention,
    gazetteer: Gazetteer,
) -> None:
    """A body named around a known name; missions get where they serve in _extend_missions."""
    entry = gazetteer.lookup(text)
    if entry and entry.kind != "place":
        out.append(
            Mention(start, end, entry.kind, text, "gazetteer", entry=entry, subtype=entry.subtype)
        )
        return
    last = text.split()[-1].lower()
    head = text.split(" of ")[0].split()[-1].lower()  # "observation mission of the ODIHR"
    is_mission = bool({last, head} & {"mission", "contingent", "operation"}) or (
        last in {"forces", "force"} and "peacekeeping" in text.lower()
    )
    kind = "mission" if is_mission else "organization"
    if is_venue(text.split()):
        out.append(Mention(start, end, "place", text, "pattern"))  # "Astana Congress Centre"
        return
    parent = inner.text if inner.kind in ("organization", "mission") else None
    location = inner.text if inner.kind == "place" else None
    subtype = "unit" if kind == "organization" and parent else None
    if kind == "mission":
        subtype = (
            "observer"
            if "observer" in text.lower()
            else ("peacekeeping" if "peacekeep" in text.lower() else None)
        )
    out.append(
        Mention(
            start,
            end,
            kind,
            text,
            "pattern",
            parent_text=parent,
            location_text=location,
            subtype=subtype,
        )
    )


def _clean_span(text: str, start: int) -> tuple[str, int]:
    """Strip a leading article, a trailing possessive or punctuation, and what follows
    "(" or a line break."""
    text = re.split(r"\s*[(\n]", text, maxsplit=1)[0]
    m = re.match(r"^(?:the|The|THE)\s+", text)
    if m:
        text, start = text[m.end() :], start + m.end()
    text = re.sub(r"(?:['’]s|[,.;:]|\s+(?:and|or|of|the))+$", "", text)
    title = TITLE_OF.match(text)
    if title and _is_title(title.group(1).split()) and title.end() < len(text):
        # "Chair of the Military Technical Committee": the body, not its chair
        text, start = text[title.end() :], start + title.end()
    return text, start


TITLE_OF = re.compile(r"^((?:[A-Z][\w-]*\s+){1,3})(?:of|for)\s+(?:the\s+)?")


def _is_title(words: list[str]) -> bool:
    lower = [w.lower() for w in words]
    return lower[-1] in ROLE_WORDS - BODY_HEADS and all(
        w in ROLE_WORDS | MODIFIER_WORDS for w in lower
    )


DESIGNATORS = {
    "republic",
    "kingdom",
    "state",
    "states",
    "federation",
    "of",
    "the",
    "islamic",
    "people's",
    "democratic",
    "socialist",
    "united",
    "federal",
    "principality",
    "sultanate",
    "emirate",
    "grand",
    "duchy",
    "commonwealth",
}
NOT_ORGS = re.compile(
    r"\b(?:Treaty|Agreement|Charter|Convention|Declaration|Protocol|Resolution|"
    r"News|COVID-19|Day|Year|Strategy|Concept|Programme of Action)$"
)
ORG_WORDS = BODY_HEADS | {
    "news",
    "press",
    "times",
    "post",
    "media",
    "ria",
    "tv",
    "airlines",
    "inc",
    "ltd",
    "llc",
    "jsc",
    "pjsc",
    "gazprom",
    "rosatom",
}
PORTFOLIO_QUALIFIERS = {"external", "foreign", "internal", "home", "public", "european", "regional"}
# what a ministry or a commissioner is for, never a word of a person's name
PORTFOLIO_WORDS = {"affairs", "relations", "cooperation", "enlargement", "integration", "diplomacy"}
_NAME_WORD = re.compile(
    r"^[A-Z\u00c0-\u024f][a-z\u00df-\u024f'’]+(?:-[A-Z]?[a-z\u00df-\u024f'’]+)?$"
)


# words inside names that are not capitalized name words: "Staffan de Mistura", "Mohamed
# Ould Cheikh", "Ursula von der Leyen"
NAME_PARTICLES = {
    "de", "da", "di", "du", "dos", "das", "van", "von", "der", "den", "bin", "ibn", "ould",
    "el", "al", "la", "le", "ben", "abu", "bint",
}


def _looks_like_person(text: str, gazetteer: Gazetteer) -> bool:
    """Two or three name-shaped words that name no known body or place ("Batyr Tursunov"),
    besides particles inside ("Staffan de Mistura")."""
    words = text.split()
    words = words[:1] + [w for w in words[1:-1] if w.lower() not in NAME_PARTICLES] + words[-1:]
    return (
        2 <= len(words) <= 3
        and all(_NAME_WORD.match(w) for w in words)
        and not any(
            w.lower() in ORG_WORDS | ROLE_WORDS | HONORIFICS | DESIGNATORS | PORTFOLIO_WORDS
            or norm(w) in gazetteer.demonyms
            or gazetteer.lookup(w)
            for w in words
        )
    )


BODY_THEN_NAME = re.compile(
    r"^(?P<body>.*\b(?:" + "|".join(h.capitalize() for h in BODY_HEADS) + r"))\s+"
    r"(?P<name>[A-Z][a-z\u00e0-\u024f'’-]+(?:\s+[A-Z][a-z\u00e0-\u024f'’-]+){1,2})$"
)


TITLE_OF_PORTFOLIO = re.compile(
    r"^(?:(?:First\s+)?Deputy\s+)?(?:Prime\s+)?(?:Minister|Secretary|Chairman|President|Director|"
    r"Ambassador|Head)\s+(?:of|for)\s"
)
PORTFOLIO_THEN_NAME = re.compile(
    r"^.*\s(?P<name>[A-Z][a-z\u00e0-\u024f'’-]+\s+[A-Z][a-z\u00e0-\u024f'’-]+)$"
)
MINISTER_OF = re.compile(r"\bMinister\s+(?:of|for)\s+(?:the\s+)?$")
THE_BEFORE = re.compile(r"\b[Tt]he\s+$")
VENUE_AFTER = re.compile(
    r"\s+(?:checkpoint|crossing|airport|airbase|base|port|station|square|palace|hall|stadium|"
    r"bridge|border\s+post|outpost|section|district|settlement|village)\b"
)


def _ner(doc: Doc, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """spaCy's entities where they add to what the gazetteer and rules found."""
    out: list[Mention] = []
    known = SpanIndex(mentions)
    for ent in doc.ents:
        kind = NER_KINDS.get(ent.label_)
        if kind is None:
            continue
        text, start = _clean_span(ent.text, ent.start_char)
        kind = _ner_kind(doc, text, start, kind, gazetteer)
        if kind is not None:
            found = _ner_mentions(doc, text, start, kind, mentions, gazetteer, known)
            out += found
            for m in found:
                known.add(m)
    # "Commissioner for Neighbourhood and Enlargement X": the portfolio is nobody
    return [
        m
        for m in out
        if m.kind != "person" or not TITLE_FOR.search(_text(doc)[max(0, m.start - 40) : m.start])
    ]


def _people_in_a_body(
    doc: Doc, text: str, start: int, mentions, gazetteer: Gazetteer, known: SpanIndex
) -> list[Mention] | None:
    """A body's or a portfolio's name run into a person's by spaCy; None when it is not."""
    head = BODY_THEN_NAME.match(text)
    portfolio = PORTFOLIO_THEN_NAME.match(text)
    if head and _looks_like_person(head.group("name"), gazetteer):
        # "the National Assembly Ararat Mirzoyan", "to the Russian Federation Momcilo
        # Babic": a body or country, then a person's name
        offset, name = start + head.start("name"), head.group("name")
        person = Mention(offset, offset + len(name), "person", name, "ner")
        body = _ner_mentions(
            doc, head.group("body"), start, "organization", mentions, gazetteer, known
        )
        if known.covers(person.start, person.end) or any(person.overlaps(m) for m in body):
            return body
        return [*body, person]
    if (
        portfolio
        and MINISTER_OF.search(_text(doc)[max(0, start - 20) : start])
        and _looks_like_person(portfolio.group("name"), gazetteer)
    ):
        # "Minister of International Relations and Cooperation Naledi Pandor": the
        # portfolio is no organization, the name after it is a person
        offset = start + portfolio.start("name")
        name = portfolio.group("name")
        return [Mention(offset, offset + len(name), "person", name, "ner")]
    return None


def _ner_kind(doc: Doc, text: str, start: int, kind: str, gazetteer: Gazetteer) -> str | None:
    """What spaCy's entity is by our lights, None for titles, demonyms and generic words."""
    end = start + len(text)
    if not text or not text[0].isupper() or norm(text) in GENERIC:
        return None
    if " " not in text and text.lower() in BODY_HEADS:
        return None  # "the Authority", "the Community": a body named again, not a name
    if kind == "person" and any(c.isdigit() for c in text) or (
        re.fullmatch(r"\w+\s+\d+", text) and norm(text.split()[0]) in GENERIC
    ):
        return None  # "Photo 2"
    if all(w.lower() in PORTFOLIO_WORDS | PORTFOLIO_QUALIFIERS for w in text.split()):
        return None  # "External Affairs Minister X": a portfolio, not a body
    words = text.split()
    if kind == "person" and all(
        part in ROLE_WORDS | HONORIFICS | MODIFIER_WORDS
        for w in words
        for part in w.lower().rstrip(".").split("-")
    ):
        return None  # "Chairwoman", "Deputy Speaker": a title the tagger took for a name
    if kind != "person" and (
        words[-1].lower() in ROLE_WORDS | HONORIFICS
        or text.lower() in ROLE_TITLES
        or TITLE_OF_PORTFOLIO.match(text)
    ):
        return None  # "Major General", "Chargé d'Affaires", "Minister of Foreign Affairs": titles
    parts = re.split(r"[-\s]", text)
    if any(norm(p) in gazetteer.demonyms for p in parts) and not any(
        p.lower() in BODY_HEADS for p in parts
    ):
        return None  # "Kazakh", "Tajik-Afghan"; but "Belarusian State University" is a name
    if kind == "place" and words[-1].lower() in BODY_HEADS:
        kind = "organization"
    if kind == "organization" and is_venue(words):
        kind = "place"  # "Palace of Nations", "Samarkand Congress Centre": where, not who
    if kind == "organization" and words[0].lower().rstrip(".") in HONORIFICS - BODY_HEADS:
        name = " ".join(words[1:])
        while name.split() and name.split()[0].lower().rstrip(".") in HONORIFICS:
            name = " ".join(name.split()[1:])
        if _looks_like_person(name, gazetteer):
            return "person"  # "H.E. Jasem Mohamed Albudaiwi": a person behind an honorific
    if kind == "person" and len(words) == 1 and _demonym_plural(text, gazetteer):
        return None  # "Cypriots", "Nigeriens": people of a country, not a person
    if kind == "organization" and (NOT_ORGS.search(text) or text.lower() in MODIFIER_WORDS):
        return None
    if kind in ("person", "organization") and " " not in text and THE_BEFORE.search(
        _text(doc)[max(0, start - 12) : start]
    ):
        # "the Novotroitske checkpoint", "the Shuroobod section": a place; no person goes
        # by "the" and one word
        if VENUE_AFTER.match(_text(doc), end):
            return "place"
        if kind == "person":
            return None
    return kind


TITLE_FOR = re.compile(
    r"\b(?:Commissioner|Minister|Secretary|Representative|Envoy|Adviser|Advisor|Coordinator|"
    r"Director|Rapporteur|Ombudsman)\s+(?:for|on)\s+(?:the\s+)?$"
)
PORTFOLIO_BEFORE = re.compile(
    TITLE_FOR.pattern[:-1] + r"(?:[A-Z][\w-]*\s+(?:(?:and|&)\s+)?){0,3}[A-Z][\w-]*\s+$"
)
GERUND_BEFORE_NAME = re.compile(r"^[A-Z][a-z]{3,}ing\s+(?=[A-Z])")
GERUND_BEFORE_THE = re.compile(r"^[A-Z][a-z]{3,}ing\s+the\s+(?=[A-Z])")


def is_venue(words: list[str]) -> bool:
    """ "Palace of Nations", "Palais des Nations", "Kuala Lumpur Convention Centre"."""
    head = " ".join(words).split(" of ")[0].split()
    lower = [w.lower() for w in head]
    if any(w in VENUE_HEADS for w in lower[:1] + lower[-1:]):
        return True
    return len(lower) >= 2 and lower[-1] in ("centre", "center") and lower[-2] in VENUE_CENTRES


def _demonym_plural(word: str, gazetteer: Gazetteer) -> bool:
    lower = word.lower()
    return lower.endswith("s") and (
        norm(lower[:-1]) in gazetteer.demonyms or norm(lower[:-1] + "n") in gazetteer.demonyms
    )


def _ner_mentions(
    doc: Doc, text: str, start: int, kind: str, mentions, gazetteer: Gazetteer, known: SpanIndex
) -> list[Mention]:
    """The mentions one entity of spaCy's gives, beside those already found (``known``
    indexes them all; ``mentions`` are those found before spaCy's)."""
    verb = GERUND_BEFORE_THE.match(text) if kind == "organization" else None
    if verb:  # "Briefing the Security Council": a participle opening the sentence
        text, start = text[verb.end() :], start + verb.end()
    end = start + len(text)
    if kind == "organization" and gazetteer.lookup(text) is None:
        people = _people_in_a_body(doc, text, start, mentions, gazetteer, known)
        if people is not None:
            return people
    entry = gazetteer.lookup(text)
    if entry is not None:
        kind = entry.kind
    elif kind == "organization" and _looks_like_person(text, gazetteer):
        kind = "person"
    overlapping = known.overlapping(start, end)
    if overlapping and kind == "person" and _surname_is_a_place(text, overlapping, start, end):
        # "Aleksandr Borisov" is a person although Borisov is also a town
        for m in overlapping:
            mentions.remove(m)
            known.remove(m)
        overlapping = []
    if overlapping:
        if kind == "person" or any(not (start <= m.start and m.end <= end) for m in overlapping):
            return []  # a known name wins over spaCy's guess
        return _split_run_on(doc, start, end, overlapping, kind, gazetteer)
    if kind == "person":
        return [m for part, at in _listed_names(text, start)
                for m in _ner_person(part, at, gazetteer)]
    subtype = entry.subtype if entry else None
    return [Mention(start, end, kind, text, "ner", entry=entry, subtype=subtype)]


def _ner_person(text: str, start: int, gazetteer: Gazetteer) -> list[Mention]:
    text, start = _strip_honorifics(text, start)
    gerund = GERUND_BEFORE_NAME.match(text)
    if gerund:  # "Welcoming Volodin": a headline's verb glued to the name
        text, start = text[gerund.end() :], start + gerund.end()
    # "Amara Diallo criss-crossed": spaCy ran on into the lower-case word after the name
    # (not a particle, which a later step finishes: "Anna von der" -> "Anna von der Weide")
    tail = LOWER_TAIL.search(text)
    if tail and not any(w.lower() in NAME_PARTICLES for w in tail.group().split()):
        text = text[: tail.start()]
    if not text or " " not in text and text.lower() in HONORIFICS:
        return []
    if gazetteer.lookup(text) is not None or text.isupper():
        return []
    return [Mention(start, start + len(text), "person", text, "ner")]


# words without a capital (not "al-Assad") closing a name
LOWER_TAIL = re.compile(r"(?:\s+[a-z][a-z’'-]*)+$")
# the capitalized names of a list spaCy took for one ("Lula, Xi"; "Modi, Lavrov")
LISTED = re.compile(r"[A-Z][^,;]*")
NAME_SUFFIX = re.compile(r"(?:Jr|Sr|[IVX]+)\.?")


def _listed_names(text: str, start: int) -> list[tuple[str, int]]:
    """The names of a person entity that is a list of names ("Lula, Xi"), or the entity."""
    if "," not in text:
        return [(text, start)]
    parts = [(m.group().strip(), start + m.start()) for m in LISTED.finditer(text)]
    if len(parts) < 2 or any(NAME_SUFFIX.fullmatch(part) for part, _ in parts):
        return [(text, start)]  # "Martin Luther King, Jr." is one name
    return parts


# "the Autonomous Nonprofit Organization ‘National Research Institute for ...’": a legal
# form, then the name in quotes, is one name
QUOTED_NAME = re.compile(
    r"\b(?P<form>(?:[A-Z][\w-]*\s+){0,4}(?:Organi[sz]ation|Company|Foundation|Fund|Association|"
    r"Society|Union|Institute|Centre|Center|Corporation|Enterprise))\s+"
    r"(?P<open>[‘“\"«])(?P<name>[A-Z][^‘’“”\"«».;\n]{2,100})(?P<close>[’”\"»])"
)


def _quoted_names(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    out = []
    for m in QUOTED_NAME.finditer(_text(doc)):
        name = Mention(m.start(), m.end(), "organization", m.group(0), "pattern")
        # what spaCy or the gazetteer found inside stays nested; a name running across does not
        if not any(name.overlaps(k) and not k.inside(name) for k in mentions + out):
            out.append(name)
    return out


INITIALED = re.compile(
    r"(?<![\w.])(?!H\.\s?E\.)(?:(?!(?:Mr|Ms|Dr|St|Mt|Jr|Sr|No|Gen|Col|Lt)\.)[A-Z][a-z]?\.\s?){1,2}"
    r"(?P<surname>[A-Z][a-z\u00e0-\u024f'’-]{2,})(?![\w-])"
)


def _initialed_names(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Initials and a surname, as Russian news writes them: "S.V. Lavrov", "A.Yu. Rudenko"
    (spaCy cuts them into pieces, or folds them into a title)."""
    out = []
    for m in INITIALED.finditer(_text(doc)):
        if m.group("surname").lower() in ROLE_WORDS | HONORIFICS or _covered(
            m.start(), m.end(), mentions + out
        ):
            continue
        out.append(Mention(m.start(), m.end(), "person", m.group(0), "pattern"))
    return out


def _surname_is_a_place(text: str, known: list[Mention], start: int, end: int) -> bool:
    """A two- or three-word name whose last word alone matched the gazetteer as a place."""
    words = text.split()
    return (
        len(words) in (2, 3)
        and all(_NAME_WORD.match(w) for w in words)
        and all(
            m.source == "gazetteer"
            and m.kind == "place"
            and " " not in m.text
            and start < m.start
            and m.end == end
            for m in known
        )
    )


BODY_OF = re.compile(r"\b(?:" + "|".join(BODY_HEADS) + r")\s+of\s+(?:the\s+)?$", re.IGNORECASE)


def _institute_for(words: str) -> bool:
    """ "Centre for Security Policy", "Institute for International Dialogue": a body named for
    what it is for (a "Conference on ..." is a gathering, not a body)."""
    split = words.split()
    return bool(split) and split[0].lower() not in GATHERING_HEADS and _headed_body(split)


GATHERING_HEADS = {"conference", "forum", "summit", "session", "meeting", "congress"}


def _split_run_on(
    doc: Doc, start: int, end: int, known: list[Mention], kind: str, gazetteer: Gazetteer
) -> list[Mention]:
    """A spaCy entity that runs over a known name: keep what it adds, if it is a name.

    "Republic of Lebanon" around "Lebanon" is another form of Lebanon; "Kyrgyz
    Republic Mukhammedkaly Abylgaziev" is a place then a person; "CSTO News" and
    "The CSTO Press" add nothing.
    """
    inner = max(known, key=lambda m: m.end - m.start)
    before, after = _text(doc)[start : inner.start].strip(), _text(doc)[inner.end : end].strip()
    if (
        inner.kind == "place"
        and not after
        and before
        and all(w.lower() in DESIGNATORS for w in before.split())
    ):
        if inner.entry is None:
            return []
        return [
            Mention(
                start,
                end,
                "place",
                _text(doc)[start:end],
                "ner",
                entry=inner.entry,
                subtype=inner.subtype,
            )
        ]
    if after and _looks_like_person(after, gazetteer) and before.lower() in ("", "the"):
        offset = _text(doc).index(after, inner.end)
        return [Mention(offset, offset + len(after), "person", after, "ner")]
    text = _text(doc)[start:end]
    of_place = (
        inner.kind == "place"
        and inner.end == end
        and BODY_OF.search(before + " ") is not None
    )
    if (
        kind == "organization"
        # "Geneva Centre for Security Policy": a body named for what it is for
        and (text.split()[-1].lower() in BODY_HEADS or of_place or _institute_for(after))
        and len(known) == 1
        and not _covered(start, end, [m for m in known if m.start == start and m.end == end])
    ):
        return [
            Mention(
                start,
                end,
                "organization",
                text,
                "ner",
                parent_text=inner.text if inner.kind == "organization" else None,
                subtype="unit" if inner.kind == "organization" else None,
            )
        ]
    return []


def _strip_honorifics(text: str, start: int) -> tuple[str, int]:
    """Ranks, honorifics and title words before a name: "Chief Monitor Ivo Lindgren"."""
    words = text.split(" ")
    while len(words) > 1 and all(
        part in HONORIFICS | ROLE_WORDS for part in words[0].lower().rstrip(".").split("-")
    ):  # "Secretary-General Yermekbayev" too
        start += len(words[0]) + 1
        words.pop(0)
    return " ".join(words), start


_TITLED = re.compile(
    r"\b(?:(?:Major|Lieutenant|Colonel|Brigadier|Army|Air|Vice|Rear)\s+)?"
    r"(?:General|Admiral|Colonel|Ambassador|Minister|Secretary|Commander|President|Chairman|"
    r"Chief|Director|Representative|Envoy|Spokesperson|Head|Mr\.?|Mrs\.?|Ms\.?|Dr\.?)\s+"
    r"((?:[A-Z]\.\s*)?[A-Z][a-z\u00e0-\u024f'’-]+(?:\s+(?:[A-Z][a-z\u00e0-\u024f'’-]+|al-\w+|bin|de|del|van|von))*)"
)


def _titled_names(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Names right after a title or rank that spaCy missed ("Colonel General Anatoly Sidorov")."""
    out = []
    known = SpanIndex(mentions)
    for m in _TITLED.finditer(_text(doc)):
        start, end = m.start(1), m.end(1)
        words = m.group(1).split()
        if len(words) < 2 or known.covers(start, end):
            continue
        if any(w.lower() in ROLE_WORDS | HONORIFICS | BODY_HEADS for w in words):
            continue
        out.append(Mention(start, end, "person", m.group(1), "pattern"))
        known.add(out[-1])
    return out


def _names_after_titles(doc: Doc, mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """Name-shaped words right after a title or a body's name that spaCy did not tag:
    "President of the Republic of Kazakhstan Kassym-Jomart Tokayev",
    "Secretary General of the CSTO Valery Semerikov"."""
    out: list[Mention] = []
    ends = {m.end: m for m in mentions if m.kind in ("organization", "mission", "place")}
    # where a title ends: "Special Co-ordinator Ana Costa", whatever spaCy's tokens
    title_ends = {m.end() for m in TITLE_WORDS.finditer(_text(doc))}
    taken = _coverage(len(_text(doc)), mentions)  # one look-up per token, not a scan of all
    tokens = list(doc)  # indexing a Doc makes a new Token each time
    for i, token in enumerate(tokens):
        if not _NAME_WORD.match(token.text) or taken[token.idx]:
            continue
        previous = tokens[i - 1] if i else None
        if previous is None or not _after_title(doc, token, previous, ends, title_ends):
            continue
        j, words = i, 0
        while (
            j < len(tokens)
            and words < 3
            and _NAME_WORD.match(tokens[j].text)
            and not taken[tokens[j].idx]
        ):
            j += 1
            if _hyphen_joins(doc, j):
                j += 2  # spaCy splits "Kassym-Jomart" into three tokens
            words += 1
        span = doc[i:j]
        if (
            words >= 2
            and _looks_like_person(span.text, gazetteer)
            and (
                not doc.has_annotation("TAG")
                or all(t.tag_ == "NNP" for t in span if t.text != "-")
            )
        ):
            out.append(Mention(span.start_char, span.end_char, "person", span.text, "pattern"))
            taken[span.start_char : span.end_char] = b"\x01" * (span.end_char - span.start_char)
    return out


TITLE_WORDS = re.compile(r"\b(?:" + "|".join(re.escape(h) for h in ROLE_HEADS) + r")\b")
# "represented by its chargé d'affaires in Belarus, Aiymkan Kulukeyeva": in any case
TITLE_WORDS_ANY_CASE = re.compile(TITLE_WORDS.pattern, re.IGNORECASE)


def _after_title(doc: Doc, token, previous, ends, title_ends) -> bool:
    """Whether a word follows a title: "Special Co-ordinator", "Secretary General of the
    CSTO", "Armenia's Minister of Foreign Affairs," or a title's portfolio."""
    text = _text(doc)
    body = ends.get(previous.idx + len(previous.text))
    return bool(
        previous.text in ROLE_HEADS
        or previous.text.rstrip(".").lower() in HONORIFICS - {"his", "her"}
        and previous.text[0].isupper()
        or previous.idx + len(previous.text) in title_ends
        or body is not None
        and TITLE_WORDS.search(text[max(0, body.start - 50) : body.start])
        # "Armenia's Minister of Foreign Affairs, Tigran Vardanyan": a title, then a comma
        or previous.text == ","
        and TITLE_WORDS_ANY_CASE.search(text[max(0, previous.idx - 45) : previous.idx])
        # "Commissioner for Trade and Industry Ilya Moroz": a title, its portfolio, the name
        or PORTFOLIO_BEFORE.search(text[max(0, token.idx - 80) : token.idx])
    )


def _people_of_constructions(
    doc: Doc, mentions: list[Mention], people: list, gazetteer: Gazetteer
) -> list[Mention]:
    """A name in a person's place in a post construction is a person ("Ana Kovac was
    confirmed as ..."), even where the tagger took it for a place or nothing."""
    out = list(mentions)
    for token in people:
        span = _name_around(doc, token)
        if span is None or len(span) < 2 or not _looks_like_person(span.text, gazetteer):
            continue
        start, end = span.start_char, span.end_char
        overlapping = [m for m in out if m.start < end and start < m.end]
        if any(m.kind == "person" or m.source != "ner" for m in overlapping):
            continue
        out = [m for m in out if m not in overlapping]
        out.append(Mention(start, end, "person", span.text, "construction"))
    return out


def _name_around(doc: Doc, token):
    """The run of capitalized proper nouns around a token, short of titles and honorifics
    ("Karl Brandt" in "named Karl Brandt Secretary General")."""

    def name_word(t) -> bool:
        lower = t.lower_.rstrip(".")
        return (
            t.pos_ == "PROPN"
            and t.text[:1].isupper()
            and lower not in ROLE_WORDS | HONORIFICS | MODIFIER_WORDS
        )

    if not name_word(token):
        return None
    first = last = token.i
    while first > 0 and name_word(doc[first - 1]):
        first -= 1
    while last + 1 < len(doc) and name_word(doc[last + 1]):
        last += 1
    return doc[first : last + 1]


def _coverage(length: int, mentions: list[Mention]) -> bytearray:
    """Which characters of the text the mentions cover."""
    taken = bytearray(length + 1)
    for m in mentions:
        taken[m.start : m.end] = b"\x01" * (m.end - m.start)
    return taken


def _hyphen_joins(doc: Doc, j: int) -> bool:
    """Token j is a hyphen written tight between two name words."""
    return (
        j + 1 < len(doc)
        and doc[j].text == "-"
        and not doc[j - 1].whitespace_
        and not doc[j].whitespace_
        and _NAME_WORD.match(doc[j + 1].text) is not None
    )


def _extend_given_names(doc: Doc, mentions: list[Mention], gazetteer: Gazetteer) -> None:
    """A given name spaCy left off a name: "Jean-Pierre Lacroix", "Dmitry Volkov" at the
    start of a sentence, and the surname of a Russian-order name ("Petrov Sergei Ivanovich")."""
    text = _text(doc)
    for m in mentions:
        if m.kind != "person" or m.source not in ("ner", "pattern"):
            continue
        words = m.text.split()
        # "Petrov Sergei Ivanovich" (surname first) or "Ivanovna Matviyenko" (given name lost)
        patronymic = len(words) == 2 and any(PATRONYMIC.search(w.lower()) for w in words)
        if len(words) > 1 and not patronymic:
            continue
        before = re.search(
            r"([A-Z][a-z\u00e0-\u024f'’]+(?:-[A-Z][a-z]+)?)\s+$",
            text[max(0, m.start - 30) : m.start],
        )
        if not before or _covered(m.start - len(before.group(0)), m.start, mentions):
            continue
        word = before.group(1)
        if word.lower() in CALENDAR_WORDS:
            continue  # "On Friday Vershinin ..."
        tokens = doc.char_span(
            m.start - len(before.group(0)), m.start - len(before.group(0)) + len(word)
        )
        proper = tokens is not None and (
            not doc.has_annotation("TAG") or all(t.tag_ == "NNP" for t in tokens)
        )
        if all(p in ROLE_WORDS | HONORIFICS for p in word.lower().split("-")):
            continue  # "Secretary-General Yermekbayev": a title, not a given name
        if "-" in word or proper and _looks_like_person(f"{word} {words[-1]}", gazetteer):
            m.start -= len(before.group(0))
            m.text = text[m.start : m.end]


def _full_names_of_surnames(
    doc: Doc, mentions: list[Mention], gazetteer: Gazetteer
) -> list[Mention]:
    """The full name of a person the tagger knew only by surname ("Ms. Keita" twice): where
    that surname follows a given-name-shaped proper noun no mention covers ("Bintou Keita,
    Head of ..."), the two words are the person."""
    text = _text(doc)
    alone: dict[str, int] = {}
    for m in mentions:
        if m.kind == "person" and m.source == "ner" and " " not in m.text:
            alone[m.text] = alone.get(m.text, 0) + 1
    full = {m.text.split()[-1] for m in mentions if m.kind == "person" and " " in m.text}
    out: list[Mention] = []
    for surname, count in alone.items():
        if count < 2 or surname in full or len(surname) < 3:
            continue
        for m in re.finditer(
            rf"\b([A-Z][a-z\u00e0-\u024f'’]+)\s+{re.escape(surname)}(?![\w-])", text
        ):
            start, end = m.start(), m.end()
            tokens = doc.char_span(start, m.end(1))
            if (
                tokens is None
                or any(t.tag_ != "NNP" for t in tokens)
                or m.group(1).lower() in CALENDAR_WORDS
                or not _looks_like_person(m.group(0), gazetteer)
                or _covered(start, end, mentions + out)
            ):
                continue
            out.append(Mention(start, end, "person", m.group(0), "surname"))
    return out


def _tagger_guess(m: Mention) -> bool:
    """A one-word name only spaCy gave, which a fuller reading may overrule."""
    return m.source == "ner" and m.entry is None and " " not in m.text


FAMILY_NAME_AFTER = re.compile(r" ([A-Z][a-z\u00e0-\u024f'’]+)(?![\w-])(?!\s+[A-Z])")


def _extend_family_names(doc: Doc, mentions: list[Mention], gazetteer: Gazetteer) -> None:
    """A name's last word spaCy left off: "Lee Hsien Loong", "Pham Minh Chinh" (the tagger
    stopped at two words)."""
    text = _text(doc)
    for m in mentions:
        words = m.text.split()
        particle_last = bool(words) and words[-1].lower() in NAME_PARTICLES
        if m.kind != "person" or m.source != "ner" or (len(words) != 2 and not particle_last):
            continue
        after = FAMILY_NAME_AFTER.match(text, m.end)
        if after is None:
            continue
        clash = [x for x in mentions if x.start < after.end() and m.end < x.end]
        if clash and not (particle_last and all(_tagger_guess(x) for x in clash)):
            continue
        for x in clash:  # "Ursula von der | Leyen": spaCy took the surname for a place
            mentions.remove(x)
        word = after.group(1)
        tokens = doc.char_span(m.end + 1, m.end + 1 + len(word))
        if (
            tokens is not None
            and all(t.tag_ == "NNP" for t in tokens)
            and word.lower() not in CALENDAR_WORDS
            and (particle_last or _looks_like_person(f"{m.text} {word}", gazetteer))
        ):
            m.end = after.end()
            m.text = text[m.start : m.end]


ARABIC_PARTICLE_NAME = re.compile(
    r" ((?:El|Al|Ould|Ben|Bin|Bint|Ibn|Abu)(?:[ -][A-Z][a-z\u00e0-\u024f'’]+)+)(?![\w-])"
)


def _extend_particle_names(mentions: list[Mention], text: str) -> None:
    """ "Mohamed Ould Cheikh | El Ghazouani": a name the tagger cut before a particle, the
    rest taken for another name or a body; one person."""
    for m in [m for m in mentions if m.kind == "person" and m.source == "ner"]:
        after = ARABIC_PARTICLE_NAME.match(text, m.end)
        if after is None or m not in mentions:
            continue
        end = after.end()
        clash = [x for x in mentions if x is not m and x.start < end and m.end <= x.start]
        if any(x.end > end or x.source == "gazetteer" for x in clash):
            continue
        for x in clash:
            mentions.remove(x)
        m.end, m.text = end, text[m.start : end]


def _surnames(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Later mentions of a person by surname alone, wherever spaCy did not tag them."""
    out: list[Mention] = []
    known: dict[str, set[str]] = {}
    for m in mentions:
        if m.kind == "person" and " " in m.text:
            surname, given = split_name(m.text)
            if len(surname) >= 3:
                known.setdefault(surname, set()).add(given or "")
    text = _text(doc)
    for start, end in _surname_spans(text, known):
        found = text[start:end]
        clash = [x for x in mentions + out if x.start < end and start < x.end]
        if clash and all(
            _tagger_guess(x) and start <= x.start and x.end <= end and x.text != found
            for x in clash
        ):
            for x in clash:  # "von der Leyen" read as "von der" and a place "Leyen"
                (mentions if x in mentions else out).remove(x)
            clash = []
        if not clash:
            out.append(Mention(start, end, "person", found, "surname"))
        elif all(
            x.kind != "person" and x.source == "ner" and x.start == start and x.end == end
            for x in clash
        ):
            for x in clash:
                x.kind = "person"
    return out


def _surname_spans(text: str, known: dict[str, set[str]]) -> list[tuple[int, int]]:
    """Where each surname stands, with a given name of its own or an initial before it, in
    the order the surnames were named. One pattern finds every surname (compiling one per
    surname took 0.18 s of 3.1 s of rules under the profiler, on dev, dev2 and unseen; one
    pattern takes 0.03 s); the given name is checked afterwards."""
    if not known:
        return []
    names = "|".join(re.escape(n) for n in sorted(known, key=len, reverse=True))
    before = r"(?:(?P<given>[^\W\d_][\w'’.-]*)\s+)?"
    spans: dict[str, list[tuple[int, int]]] = {}
    for surname in known:
        spans[surname] = []
    for m in re.finditer(rf"(?<![\w.-]){before}(?P<surname>{names})(?![\w-])", text):
        surname, given = m.group("surname"), m.group("given")
        fits = given is not None and (given in known[surname] or re.fullmatch(r"[A-Z]\.", given))
        spans[surname].append((m.start() if fits else m.start("surname"), m.end()))
    return [span for surname in known for span in spans[surname]]


def _named_again(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A body's name told again where spaCy did not tag it ("Security Council" as a page's
    header, then "The Security Council this afternoon heard ...")."""
    text = _text(doc)
    out: list[Mention] = []
    names = {
        m.text: m
        for m in mentions
        if m.kind in ("organization", "mission")
        and " " in m.text
        and m.text.split()[-1].lower() in BODY_HEADS
    }
    if not names:
        return out
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    known = SpanIndex(mentions)
    for found in re.finditer(rf"(?<![\w-])(?:{alternatives})(?![\w-])", text):
        name, first = found.group(0), names[found.group(0)]
        if not known.covers(found.start(), found.end()):
            out.append(first.again(found.start(), found.end(), name, "again", first.text))
            known.add(out[-1])
    return out


def _short_forms(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """Short forms of bodies named in full: "the Joint Staff" after "CSTO Joint Staff"."""
    out: list[Mention] = []
    known = SpanIndex(mentions)
    sought: set[str] = set()
    starts = {m.start: m for m in mentions}
    bodies_at: dict[int, list[Mention]] = {}
    for x in mentions:
        if x.kind == "organization":
            bodies_at.setdefault(x.start, []).append(x)
    for m in mentions:
        if m.kind not in ("organization", "mission"):
            continue
        head = starts.get(m.start)
        inner = [x for x in bodies_at.get(m.start, []) if x.end < m.end]
        if head is None or not inner:
            continue
        tail = _text(doc)[inner[0].end : m.end].strip()
        if not tail or not tail[0].isupper() or tail.lower() in BACK_REFERENCES:
            continue
        if tail in sought:
            continue  # a body named in full again: its short form was looked for already
        sought.add(tail)
        for found in re.finditer(rf"\b(?:the\s+){re.escape(tail)}\b", _text(doc)):
            start = found.end() - len(tail)
            if not known.covers(start, found.end()):
                out.append(m.again(start, found.end(), tail, "short", m.text))
                known.add(out[-1])
    return out


_CALENDAR = "|".join([m.capitalize() for m in MONTHS] + [w.capitalize() for w in WEEKDAYS])
TOPIC_AFTER = re.compile(
    rf"\s+(?:on|for)\s+(?!(?:the\s+)?(?:{_CALENDAR})\b)"
    r"((?:[A-Z][\w'’-]*)(?:\s+(?:and\s+)?[A-Z][\w'’-]*)*)"
)


PLACE_IN_NAME = re.compile(r"\s+for\s+(?:the\s+)?([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)\s+\(")


def _extend_topics(doc: Doc, mentions: list[Mention]) -> None:
    """A committee named with what it is for: "State Duma Committee on Defence", "Advisory
    Board on Mediation" (not a known body's topic of the day: "the Security Council on
    Ukraine" names a place, which stops it)."""
    text = _text(doc)
    for m in mentions:
        if m.kind != "organization" or m.source == "gazetteer" or not m.text.split():
            continue
        if m.text.split()[-1].lower() not in BODY_HEADS:
            continue
        tail = TOPIC_AFTER.match(text, m.end)
        if tail and "\n" not in tail.group(0) and not _covered(tail.start(1), tail.end(), mentions):
            m.end, m.text = tail.end(), text[m.start : tail.end()]
            continue
        # "Military Technical Committee for Lebanon (MTC4L)": a place in a name its acronym
        # closes
        place = PLACE_IN_NAME.match(text, m.end)
        if place and any(p.start == place.start(1) and p.kind == "place" for p in mentions):
            m.end, m.text = place.end(1), text[m.start : place.end(1)]


FIELD_HEADS = {"group", "office", "centre", "center", "presence"}


def _extend_missions(doc: Doc, mentions: list[Mention]) -> None:
    """A mission named with where it serves: "... Peacekeeping Forces in Kazakhstan"."""
    places = {m.start: m for m in mentions if m.kind == "place"}
    for m in mentions:
        # "the OSCE Assistance Group to Chechnya": a body's unit in a place is a field mission
        field = (
            m.kind == "organization"
            and m.source == "pattern"
            and m.parent_text is not None
            and m.text.split()[-1].lower() in FIELD_HEADS
        )
        if m.kind != "mission" and not field:
            continue
        tail = re.match(r"\s+(?:in|to)\s+(?:the\s+)?", _text(doc)[m.end : m.end + 12])
        place = places.get(m.end + tail.end()) if tail else None
        if place is not None and "\n" not in _text(doc)[m.start : place.end]:
            m.end, m.text = place.end, _text(doc)[m.start : place.end]
            m.location_text = place.text
            if field:
                m.kind, m.subtype = "mission", None


REPRESENTATIVES_TO = re.compile(
    r"\s+to\s+the\s+(?:(?:[A-Z][\w'’-]*|and|of|the)\s+){0,8}[A-Z][\w'’-]*(?=[\s.,;:)]|$)"
)


def _extend_representatives(doc: Doc, mentions: list[Mention]) -> None:
    """A council of permanent representatives is named with what they are accredited to:
    "... Representatives of the CIS Member States to the Statutory and Other Bodies of the
    Commonwealth" is one name, not a council and a destination."""
    text = _text(doc)
    for m in mentions:
        if m.kind != "organization" or "Permanent" not in m.text or "Representative" not in m.text:
            continue
        tail = REPRESENTATIVES_TO.match(text, m.end)
        if tail and "\n" not in tail.group(0):
            m.end, m.text = tail.end(), text[m.start : tail.end()]


def _mark_nested(mentions: list[Mention]) -> list[Mention]:
    mentions = sorted(mentions, key=lambda m: (m.start, -(m.end - m.start)))
    # sorted so, a mention is nested when one before it (another span) reaches as far
    reach, i = -1, 0
    while i < len(mentions):
        j = i
        while j < len(mentions) and (mentions[j].start, mentions[j].end) == (
            mentions[i].start,
            mentions[i].end,
        ):
            mentions[j].nested = reach >= mentions[j].end
            j += 1
        reach = max(reach, mentions[i].end)
        i = j
    # "Africa" in "North Africa", "Donetsk" in "Donetsk region": part of a place's name
    places = SpanIndex(m for m in mentions if m.kind == "place")
    mentions = [
        m
        for m in mentions
        if not (
            m.kind == "place"
            and m.nested
            and any(
                m.inside(o) and o.entry is not m.entry for o in places.overlapping(m.start, m.end)
            )
        )
    ]
    # drop partial overlaps that are not nesting: keep the earlier, longer one (only kept
    # mentions reaching past this one's start can overlap it: the others leave the window)
    kept: list[Mention] = []
    window: list[Mention] = []
    for m in mentions:
        window = [k for k in window if k.end > m.start]
        if any(m.overlaps(k) and not (m.inside(k) or k.inside(m)) for k in window):
            continue
        kept.append(m)
        window.append(m)
    return kept


# ---------------------------------------------------------------- grouping


def _person_key(text: str) -> str:
    surname, _ = split_name(text)
    return "person:" + norm(surname)


def group(mentions: list[Mention], gazetteer: Gazetteer) -> dict[str, Entity]:
    """Group mentions into entities, setting each mention's ``key``."""
    entities: dict[str, Entity] = {}
    _group_people([m for m in mentions if m.kind == "person"], entities)
    _name_officials(entities, gazetteer)
    by_text: dict[str, str] = {}
    for m in sorted((m for m in mentions if m.kind != "person"), key=lambda m: m.start):
        if m.entry is None and m.source in ("acronym", "short") and m.parent_text:
            m.key = by_text.get(norm(m.parent_text), "")
        if not m.key:
            m.key = _thing_key(m, by_text, gazetteer)
        entity = entities.get(m.key)
        if entity is None:
            name = m.entry.name if m.entry else _display(m.text)
            entity = Entity(
                key=m.key,
                kind=m.kind,
                name=name,
                subtype=m.subtype,
                wikidata=m.entry.wikidata if m.entry else None,
            )
            entities[m.key] = entity
        if m.text != entity.name:
            entity.aliases.add(m.text)
        entity.mentions.append(Span(m.start, m.end))
        by_text.setdefault(norm(m.text), m.key)
    _merge_short_forms(mentions, entities)
    _link_structure(mentions, entities, by_text, gazetteer)
    return entities


def _short_form_of(short: str, long: str) -> bool:
    """Is ``short`` a short form of ``long``: "Joint Staff" of "CSTO Joint Staff",
    "Permanent Council" of "Permanent Council of the CSTO", "Commonwealth" of
    "Commonwealth of Independent States"?"""
    s, whole = short.split(), long.split()
    if len(s) >= 2 and whole[0] == s[-1] and s[-1] in BODY_HEADS and " ".join(whole) in (
        f"{s[-1]} of the {' '.join(s[:-1])}",
        f"{s[-1]} of {' '.join(s[:-1])}",
    ):
        return True  # "CSTO Parliamentary Assembly Council" of "Council of the CSTO ..."
    if not s or len(s) >= len(whole):
        return False
    if whole[: len(s)] == s and whole[len(s)] in ("of", "for", "on"):
        return True
    if len(s) == 2 and len(whole) <= 5 and s[0] == whole[0] and s[-1] == whole[-1]:
        return s[-1] in BODY_HEADS  # "Supreme Council" of "Supreme Eurasian Economic Council"
    return len(s) <= 3 and whole[-len(s) :] == s and len(whole) - len(s) == 1


def _merge_short_forms(mentions: list[Mention], entities: dict[str, Entity]) -> None:
    """A body named in full once and by a short form elsewhere is one entity."""
    bodies = [e for e in entities.values() if e.kind in ("organization", "mission")]
    for short in bodies:
        forms = {norm(f) for f in short.forms()}
        if any(len(f.split()) > 6 for f in forms):
            continue
        longer = [
            e
            for e in bodies
            if e is not short and any(_short_form_of(f, norm(g)) for f in forms for g in e.forms())
        ]
        if len(longer) != 1:
            continue
        target = longer[0]
        target.aliases |= short.forms() - {target.name}
        target.mentions += short.mentions
        for m in mentions:
            if m.key == short.key:
                m.key = target.key
        del entities[short.key]


def _display(text: str) -> str:
    """A canonical name: a shouted dateline word ("MOSCOW") in normal case; acronyms kept."""
    if text.isupper() and (len(text) > 5 or " " in text):
        return " ".join(
            w.capitalize()
            if len(w) > 3 or w.lower() not in {"of", "in", "the", "and", "for"}
            else w.lower()
            for w in text.split()
        )
    return text


def _thing_key(m: Mention, by_text: dict[str, str], gazetteer: Gazetteer) -> str:
    if m.entry is not None:
        return ("gaz:" if m.entry.kind != "place" else "place:") + (
            m.entry.id if m.entry.kind != "place" else norm(m.entry.name)
        )
    if norm(m.text) in by_text:
        return by_text[norm(m.text)]
    return f"{m.kind}:{norm(m.text)}"


def _group_people(people: list[Mention], entities: dict[str, Entity]) -> None:
    """All forms of one person become one entity: "Stanislav Zas", "S. Zas", "Zas"."""
    full: dict[str, list[tuple[str, str | None]]] = {}
    for m in people:
        surname, given = split_name(m.text)
        if given and not is_initial(given):
            full.setdefault(norm(surname), [])
            if (m.text, given) not in full[norm(surname)]:
                full[norm(surname)].append((m.text, given))
    # "Lázaro" for "Aroldo Lázaro Sáenz": the first of two surnames, used alone
    inner: dict[str, set[str]] = {}
    for m in people:
        words = m.text.split()
        for word in words[1:-1] if len(words) >= 3 else ():
            if word[:1].isupper():
                inner.setdefault(norm(word), set()).add(m.text)
    for m in sorted(people, key=lambda m: m.start):
        surname, given = split_name(m.text)
        candidates = full.get(norm(surname), [])
        if not candidates and not given:
            # "Ghazouani" for "Mohamed Ould Cheikh El Ghazouani": the article dropped
            candidates = full.get("el " + norm(surname), []) + full.get("al " + norm(surname), [])
        if not candidates and not given and len(inner.get(norm(surname), ())) == 1:
            whole = next(iter(inner[norm(surname)]))
            candidates = [(whole, split_name(whole)[1])]
        if given and not is_initial(given):
            match = next(t for t, g in candidates if t == m.text)
            key = _person_key(match) + ":" + norm(given)
        else:
            fitting = [t for t, g in candidates if not given or g[0] == given[0]]
            key = (
                _person_key(fitting[0]) + ":" + norm(split_name(fitting[0])[1] or "")
                if len(fitting) >= 1
                else _person_key(m.text)
            )
        entity = entities.get(key)
        if entity is None:
            entity = entities[key] = Entity(key=key, kind="person", name=m.text)
        m.key = key
        if _fuller(m.text, entity.name):
            entity.aliases.add(entity.name)
            entity.name = m.text
        elif m.text != entity.name:
            entity.aliases.add(m.text)
        entity.mentions.append(Span(m.start, m.end))


def _name_officials(entities: dict[str, Entity], gazetteer: Gazetteer) -> None:
    """A well-known official takes the gazetteer's spelling of their name (every article's
    "Antonio Guterres" or "António Guterres" is one label) and their Wikidata item; the
    article's spelling stays another form."""
    for entity in entities.values():
        official = gazetteer.official(entity.name)
        if official is None:
            continue
        if official.name != entity.name:
            entity.aliases.add(entity.name)
            entity.name = official.name
        entity.wikidata = official.wikidata


def _fuller(a: str, b: str) -> bool:
    """Is ``a`` a fuller form of a name than ``b`` (more words, no initials)?"""

    def score(text: str) -> tuple[int, int]:
        words = text.split()
        return (sum(not is_initial(w) for w in words), len(text))

    return score(a) > score(b)


def _link_structure(
    mentions: list[Mention],
    entities: dict[str, Entity],
    by_text: dict[str, str],
    gazetteer: Gazetteer,
) -> None:
    """Bodies to their parents and missions to their places, where the article names both."""
    gaz_keys = {e.key[4:]: e.key for e in entities.values() if e.key.startswith("gaz:")}
    places = {norm(e.name): e.key for e in entities.values() if e.kind == "place"}
    for alias_key, entity in ((k, e) for k, e in entities.items() if e.kind == "place"):
        for alias in entity.aliases:
            places.setdefault(norm(alias), alias_key)
    for m in mentions:
        entity = entities.get(m.key)
        if entity is None or entity.kind not in ("organization", "mission"):
            continue
        if m.entry is not None:
            if m.entry.parent and m.entry.parent in gaz_keys:
                entity.parent = entity.parent or gaz_keys[m.entry.parent]
            if m.entry.location:
                entity.location = entity.location or places.get(norm(m.entry.location))
        if m.parent_text and not entity.parent:
            parent = by_text.get(norm(m.parent_text))
            if parent and parent != m.key:
                entity.parent = parent
        if m.location_text and not entity.location:
            entity.location = places.get(norm(m.location_text))
        if entity.kind == "mission" and not entity.location:
            for p in mentions:
                # "... Mission in Lebanon", not "Shanghai" in "... of the Shanghai Cooperation
                # Organisation": a place in another body's name is not where the mission works
                if p.kind == "place" and p.inside(m) and not any(
                    p.inside(o) and o.inside(m) and o.kind == "organization" for o in mentions
                ):
                    entity.location = p.key or None
                    break
