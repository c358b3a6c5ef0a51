"""From a parsed document to an Extraction: mentions, entities, posts, events.

The stages, each in its own module: ``mentions`` (names → entities),
``sentences`` (slotted text), ``roles`` (posts held), ``events`` (meetings and
visits), ``dates`` (date expressions). This module wires them and assigns each
fact its evidence: the sentence, the rule, a confidence.
"""

from __future__ import annotations

import re
from datetime import date
from itertools import chain

from kg.datelines import NUMBERED_ITEM
from kg.extract import cues
from kg.extract import gazetteer as gazetteers
from kg.extract.appointments import (
    find_posts,
    fullest_titles,
    handed_over,
    people,
    stated_first,
)
from kg.extract.clauses import ClauseReader
from kg.extract.dates import line_date
from kg.extract.events import find_events, merge_events
from kg.extract.mentions import Mention, MentionFinder, SpanIndex, group, is_venue
from kg.extract.modality import Modality
from kg.extract.names import BODY_HEADS
from kg.extract.roles import (
    CONFIDENCE,
    find_bosses,
    find_implied,
    find_ministers,
    find_possessed,
    find_roles,
    title_references,
    unnamed_bodies,
)
from kg.extract.sentences import Sentence, has_parse, slotted
from kg.extract.syntax import Constructions, MentionIndex
from kg.extract.unnamed import post_references
from kg.facts import Document, Entity, Event, Evidence, Extraction, Membership, Span

DATELINE_CITY = re.compile(rf"^\s*(?:{NUMBERED_ITEM})?(⟦L\d+⟧)\s*(?:,|—|–|-)")
PLACE_RANK = {"city": 0, "region": 1, None: 1, "country": 2}
MEDIA_WORDS = re.compile(
    r"\b(?:news|agency|telegraph|press|media|broadcast|television|radio|daily|times|herald|"
    r"gazette|journal|post|tribune|presse|agence|agencia|novosti)\b",
    re.IGNORECASE,
)


class Rules:
    """The rule set, built once per pipeline (the gazetteer matcher is the costly part)."""

    def __init__(self, nlp, gazetteer: gazetteers.Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or gazetteers.default()
        self.finder = MentionFinder(self.gazetteer, nlp)
        self.post_constructions = Constructions(nlp.vocab, "posts.jsonl")
        self.modality = Modality()

    def extract(self, document: Document, doc) -> Extraction:
        matches = self.post_constructions(doc)
        mentions = self.finder.find(doc, people(matches))
        entities = group(mentions, self.gazetteer)
        slots = mentions + _back_references(document.text, mentions, entities)
        sentences, references, datelines = self._sentences(document, doc, slots)
        extraction = Extraction(document=document, entities=entities)
        named = MentionIndex(doc, slots)
        posts = self._posts(sentences, named, entities, matches)
        # parties left out of each sentence's events: bodies named in titles
        excluded: dict[int, set[str]] = {}
        index_of = {id(s): i for i, s in enumerate(sentences)}
        for found in posts:
            excluded.setdefault(index_of[id(found.sentence)], set()).add(found.organization)
            _board_post(found, entities)  # once its title's own body is left out above
        extraction.memberships = _memberships(posts)

        # "the head of the CIS Executive Committee" names its holder for the event rules
        holders = _post_holders(document.text, sentences, posts)
        if holders:
            every = SpanIndex(slots + holders)
            sentences = [_reslotted(s, document.text, every, holders) for s in sentences]
        rank = PlaceRank(entities, self.gazetteer)
        _mission_places(sentences, references, entities, rank)
        media = {
            k
            for k, e in entities.items()
            if e.kind == "organization" and MEDIA_WORDS.search(e.name) and not e.parent
        }
        headlines = {i for i, s in enumerate(sentences) if _is_headline(document.text, s)}
        for i in headlines:
            sentences[i].headed = False  # a headline restates its item; it is dated by it
        titled = _title_holders(extraction.memberships)
        found = find_events(
            sentences, references, excluded, entities, media, rank, headlines, titled
        )
        index_of = {id(s): i for i, s in enumerate(sentences)}
        told = MentionIndex(doc, [m for sentence in sentences for m in sentence.slots])
        for event in merge_events(ClauseReader(doc, self.modality, told).real(found)):
            index = index_of[id(event.sentence)]
            day = references[index].isoformat() if references[index] else None
            if (
                event.place is None
                and event.start == day
                and event.end is None
                and not cues.MEDIA_WORDS.search(event.trigger)
            ):
                # "YEREVAN, June 21 – ...": the dateline city, for what happened there that
                # day (a phone call or a video conference happened nowhere in particular)
                event.place = datelines[index]
            extraction.events.append(_event_fact(event))
        _drop_boards_named_only_in_titles(extraction)
        extraction.post_references = post_references(extraction)
        return extraction

    def _posts(self, sentences: list[Sentence], index: MentionIndex, entities, matches) -> list:
        """Posts from every construction: titles around names, then verbs of appointment and
        succession over the parse, then titles whose body the article implies."""
        found = list(
            chain(find_roles(sentences), find_ministers(sentences, entities, self.gazetteer))
        )
        told, successions = find_posts(sentences, index, matches)
        found = stated_first(found + told, self.post_constructions.implying_posts)
        found += find_implied(sentences, found, entities)
        found += list(handed_over(successions, found))
        found += find_bosses(sentences)
        found += list(find_possessed(sentences, found))
        found = unnamed_bodies(found, entities)
        return [
            f
            for f in fullest_titles(stated_first(found, self.post_constructions.implying_posts))
            if f.person and f.organization in entities and f.person != f.organization
        ]

    def _sentences(
        self, document: Document, doc, mentions
    ) -> tuple[list[Sentence], list[date | None], list[str | None]]:
        """Slotted sentences, each with the date of the news item it sits in and the
        item's dateline city, if it has one."""
        text = document.text
        paragraph_starts = [0] + [m.end() for m in re.finditer(r"\n\s*\n", text)]
        sentences, references = [], []
        datelines: list[str | None] = []
        dateline = None
        reference = document.published
        date_lines, headed = 0, False
        by_start = SpanIndex(mentions)
        for sent in _joined(doc, mentions):
            line = sent.text.strip()
            if not line:
                continue
            announced = line_date(line.split("\n")[0], reference or document.published)
            sentence = slotted(sent.start_char, sent.end_char, text, by_start)
            sentence.subject = _main_subject(sent, sentence)
            sentence.span = sent
            if announced is not None:
                city = DATELINE_CITY.match(sentence.text)
                dateline = sentence.slot(city.group(1)).key if city else None
                # a page of several dated items (a digest, a diary, a live blog): a date
                # line after the page's first date heads an item, and so does a dateline
                # of another day (a dateline of the page's own day only opens its story)
                headed = date_lines > 0 and (not city or announced != reference)
                date_lines += 1
                reference = announced
            sentence.headed = headed
            sentence.paragraph = sum(1 for p in paragraph_starts if p <= sent.start_char)
            sentences.append(sentence)
            references.append(reference)
            datelines.append(dateline)
        return sentences, references, datelines


TITLE_FILLER = {"of", "the", "for", "to", "on", "in", "and", "deputy", "acting", "first"}


def _title_holders(memberships: list[Membership]) -> dict[str, str]:
    """Each title word ("envoy", "minister") of the current posts held by one person only."""
    holders: dict[str, set[str]] = {}
    for m in memberships:
        if m.former:
            continue
        for word in m.role.lower().split():
            if word not in TITLE_FILLER:
                holders.setdefault(word, set()).add(m.person)
    return {word: people.pop() for word, people in holders.items() if len(people) == 1}


def _memberships(posts) -> list[Membership]:
    """One membership per (person, post, body), with the evidence of its first telling."""
    out, seen = [], {}
    for found in posts:
        identity = (found.person, found.role, found.organization)
        if identity in seen:
            same_sentence = seen[identity].evidence.sentence == _span(found.sentence)
            if found.former and (found.rule.startswith("succession") or same_sentence):
                # "X replaced Y as ...", "X served as ...": the post is past
                seen[identity].former = True
            continue
        confidence = found.confidence or CONFIDENCE[found.rule]
        seen[identity] = Membership(
            person=found.person,
            role=found.role,
            organization=found.organization,
            former=found.former,
            evidence=Evidence(_span(found.sentence), found.rule, confidence),
        )
        out.append(seen[identity])
    return out


def _event_fact(found) -> Event:
    return Event(
        kind=found.kind,
        participants=found.participants,
        start=found.start,
        end=found.end,
        place=found.place,
        label=found.trigger.lower(),
        evidence=Evidence(_span(found.sentence), found.rule, found.confidence),
    )


def _post_holders(text: str, sentences: list[Sentence], posts) -> list[Mention]:
    """Mentions of the people that posts named without a name stand for."""
    out = []
    for sentence, start, end, person in title_references(sentences, posts):
        first, last = sentence.offset(start), sentence.offset(end)
        out.append(Mention(first, last, "person", text[first:last], "title-reference", key=person))
    return out


def _reslotted(sentence: Sentence, text: str, mentions: SpanIndex, added) -> Sentence:
    """The sentence slotted again if any of the ``added`` mentions falls inside it."""
    if not any(sentence.start <= m.start < sentence.end for m in added):
        return sentence
    again = slotted(sentence.start, sentence.end, text, mentions)
    again.paragraph, again.item, again.subject = sentence.paragraph, sentence.item, sentence.subject
    again.span = sentence.span
    return again


def _main_subject(sent, sentence: Sentence) -> Mention | None:
    """The person named as the subject of the sentence's main verb ("Talking to reporters,
    Semerikov said ..."), when the parser gives one."""
    if not has_parse(sent.doc):
        return None  # no parse, no root (spaCy may even crash looking for one)
    subjects = [t for t in sent.root.children if t.dep_ in ("nsubj", "nsubjpass")]
    for token in subjects:
        for mention in sentence.slots:
            if mention.kind == "person" and mention.start <= token.idx < mention.end:
                return mention
    return None


BOARD = re.compile(r"^(?:Management\s+|Executive\s+)?(?:Board|Presidium|Collegium)\b")


def _board_post(found, entities: dict[str, Entity]) -> None:
    """ "Chairman of the Board of the Eurasian Economic Commission" is a post in the
    Commission: the board names the post, not another body."""
    body = entities.get(found.organization)
    if body is not None and body.parent in entities and BOARD.match(body.name):
        found.role = f"{found.role} of the {body.name.split(' of ')[0]}"
        found.organization = body.parent


ELECTION_IN = re.compile(
    r"\b(?:elections?|referendum|vote|polls)\b[^.;⟦]{0,60}?\b(?:in|of|to)\s+(?:the\s+)?(?:[\w-]+\s+)?"
    r"(?P<slot>⟦L\d+⟧)|(?P<slot2>⟦L\d+⟧)(?:['’]s)?\s+(?:[\w-]+\s+){0,3}?"
    r"(?:elections?|referendum|vote)\b"
)


# "Zas, who is in the Republic of Armenia as Head of the CSTO Mission"
SERVING_IN = re.compile(
    r"\bin\s+(?:the\s+)?(?P<slot>⟦L\d+⟧)\s+as\s+[^⟦;.]{0,40}?(?P<mission>⟦M\d+⟧)"
)


def _mission_places(
    sentences: list[Sentence], references: list, entities, rank: PlaceRank
) -> None:
    """Where a mission named without its place works: where its head serves ("who is in
    Armenia as Head of the CSTO Mission"), or where the election it observes is held: told
    in its sentence ("the SCO Observer Mission at Kazakhstan's early presidential election"),
    else the one election country of its news item."""
    voting: dict[object, set[str]] = {}  # news item (its date) -> countries holding a vote
    for sentence, item in zip(sentences, references, strict=True):
        for m in SERVING_IN.finditer(sentence.text):
            mission = entities[sentence.slot(m.group("mission")).key]
            mission.location = mission.location or sentence.slot(m.group("slot")).key
        for vote in ELECTION_IN.finditer(sentence.text):
            place = sentence.slot(vote.group("slot") or vote.group("slot2")).key
            voting.setdefault(item, set()).add(
                place if rank(place) == 2 else rank.country_of(place) or place
            )
    for sentence, item in zip(sentences, references, strict=True):
        countries = voting.get(item, set())
        for m in sentence.slots:
            if m.kind == "mission" and not entities[m.key].location and len(countries) == 1:
                entities[m.key].location = next(iter(countries))


def _drop_boards_named_only_in_titles(extraction: Extraction) -> None:
    """ "Chairman of the Board of the Eurasian Economic Commission" is a post in the
    Commission; a board named nowhere else is no organization of its own."""
    used = {k for e in extraction.events for k in e.participants} | {
        m.organization for m in extraction.memberships
    }
    for key, entity in list(extraction.entities.items()):
        if (
            entity.kind == "organization"
            and BOARD.match(entity.name)
            and entity.parent in extraction.entities
            and len(entity.mentions) == 1
            and key not in used
        ):
            del extraction.entities[key]


def _joined(doc, mentions):
    """spaCy's sentences, joined where a name runs across a boundary."""
    # characters within a name, not at its start (doc.text would build the text again)
    inside = bytearray(doc[-1].idx + len(doc[-1].text_with_ws) + 1 if len(doc) else 1)
    for m in mentions:
        if not m.nested:
            inside[m.start + 1 : m.end] = b"\x01" * (m.end - m.start - 1)
    out = []
    for sent in doc.sents:
        if out and (inside[sent.start_char] or _cut_mid_line(out[-1])):
            out[-1] = doc[out[-1].start : sent.end]
        else:
            out.append(sent)
    return out


def _cut_mid_line(sent) -> bool:
    """spaCy ended a sentence with no stop and no line break ("... with the EEAS | Managing
    Director X and Y"): the sentence goes on."""
    last = sent[-1]
    return (
        last.text not in (".", "!", "?", ":", ";", '"', "”", "’", ")")
        and "\n" not in last.whitespace_ + last.text
        and last.i + 1 < len(sent.doc)
        and sent.doc[last.i + 1].text[:1].isupper()
    )


# body heads that name one body again ("the Council", "the Authority"); plurals and the
# words of "United Nations" or "Council of Ministers" do not
_HEADS_AGAIN = sorted(
    h.capitalize()
    for h in BODY_HEADS
    if " " not in h and not h.endswith("s") or h in ("headquarters",)
)
BACK_REFERENCE = re.compile(
    # "the Organization", "the 46-member organisation", "the Council"
    rf"\b[Tt]he\s+(?:\d+-member\s+)?(?P<word>[Mm]ission|[Oo]rgani[sz]ation|{'|'.join(_HEADS_AGAIN)})\b"
    r"(?!\s+(?:of|for|on)\s+(?:the\s+)?[A-Z])(?!\s+[A-Z])(?!-)"
)


def _back_references(text: str, mentions: list[Mention], entities) -> list[Mention]:
    """ "the mission", "the Council": the one body of that kind the article names.

    Not aliases (the guidelines keep generic back-references out of names), but they
    let posts and events point at the body ("the head of the mission, X").
    """
    out = []
    for match in BACK_REFERENCE.finditer(text):
        start, end = match.start("word"), match.end("word")
        if any(m.start < end and start < m.end for m in mentions):
            continue
        word = match.group("word").lower()
        if word == "mission":
            bodies = [k for k, e in entities.items() if e.kind == "mission"]
        elif word in ("organization", "organisation"):
            # "the Organization": the international organization the article is about
            top = [k for k, e in entities.items() if e.kind == "organization" and not e.parent]
            bodies = _salient(top, entities) if top else []
        else:
            bodies = [
                k
                for k, e in entities.items()
                if e.kind == "organization"
                and any(re.search(rf"\b{word}\b", form, re.IGNORECASE) for form in e.forms())
            ]
        if len(bodies) > 1:
            # a news page of one council ("News of the Council of ...") names others too;
            # "the Council" is the one it opens with when that one is named most, else the
            # one of them named last before
            bodies = _salient(bodies, entities)
            bodies = _named_last(bodies, entities, start) if len(bodies) > 1 else bodies
        if len(bodies) == 1:
            entity = entities[bodies[0]]
            out.append(
                Mention(
                    start, end, entity.kind, match.group("word"), "back-reference", key=entity.key
                )
            )
    return out


def _named_last(keys: list[str], entities, position: int) -> list[str]:
    """The one of the bodies whose last mention before ``position`` is the latest."""
    before = {
        k: max((m.end for m in entities[k].mentions if m.end <= position), default=-1)
        for k in keys
    }
    latest = max(before.values())
    return [k for k, end in before.items() if end == latest] if latest >= 0 else []


def _salient(keys: list[str], entities) -> list[str]:
    """The body named first, when no other is named as often."""
    first = min(keys, key=lambda k: min(span.start for span in entities[k].mentions))
    count = len(entities[first].mentions)
    if all(len(entities[k].mentions) < count for k in keys if k != first):
        return [first]
    return keys


def _is_headline(text: str, sentence: Sentence) -> bool:
    """A whole line with no closing full stop: a headline (or a signature)."""
    body = text[sentence.start : sentence.end].strip()
    starts_line = sentence.start == 0 or text[: sentence.start].rstrip(" \t").endswith("\n")
    return starts_line and "\n" not in body and not body.endswith((".", "!", "?", '"', "”"))


def _span(sentence: Sentence) -> Span:
    return Span(sentence.start, sentence.end)


class PlaceRank:
    """Orders places by how specific they are; finds the country of a city."""

    def __init__(self, entities: dict[str, Entity], gazetteer: gazetteers.Gazetteer) -> None:
        self.entities = entities
        self.gazetteer = gazetteer

    def __call__(self, key: str) -> int:
        entity = self.entities.get(key)
        if entity is not None and entity.subtype is None and is_venue(entity.name.split()):
            return -1  # "the State House Conference Centre in Abuja": the venue is the place
        return PLACE_RANK.get(entity.subtype if entity else None, 1)

    def country_of(self, key: str) -> str | None:
        entity = self.entities.get(key)
        entry = self.gazetteer.place(entity.name) if entity else None
        if entry is None or not entry.country:
            return None
        country = self.gazetteer.place(entry.country)
        target = "place:" + gazetteers.norm(country.name) if country else None
        return target if target in self.entities else None
