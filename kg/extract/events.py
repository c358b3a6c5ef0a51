"""Meetings and visits: trigger words, participants, date and place, per sentence.

A sentence with a trigger ("met", "talks", "session", "visit", "working trip"...)
gives an event. Participants are the people and bodies the sentence frames as
taking part: organizations named only in someone's title, as a venue ("at the
CSTO Secretariat") or as the source of the news ("told TASS") are left out. A
party meeting several counterparts one after another gives one meeting per
counterpart ("held meetings with A, B and C"), unless the sentence says they
sat together (a session, summit, debate, "trilateral"). A visit's host country
takes part in it. Dates come from the sentence, resolved against the date of
the news item; a sentence without a date inherits one only from an event
earlier in the same paragraph ("During the visit he also met ...").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from kg.extract.dates import DateValue, find_dates
from kg.extract.mentions import Mention
from kg.extract.roles import ROLE
from kg.extract.sentences import SLOT, Sentence

MEETING_WORDS = (
    r"met|meet|meets|meeting|meetings|talks|conversation|(?:tele)?phone\s+(?:call|conversation)|"
    r"call|videoconference|video\s+conference|video\s+link|session|summit|debate|conference|"
    r"briefing|briefed|consultations|forum|round\s+table|roundtable|negotiations|presided\s+over|"
    r"received|receives|hosted|discussion|exchange\s+of\s+views|sitting|held\s+a\s+meeting"
)
VISIT_WORDS = r"visit|visits|visited|visiting|working\s+trip|trip|arrived|arrives|arriving|toured"
TRIGGER = re.compile(rf"\b(?:(?P<visit>{VISIT_WORDS})|(?P<meeting>{MEETING_WORDS}))\b",
                     re.IGNORECASE)
# Triggers that report one party meeting others in turn.
ONE_TO_ONE = re.compile(r"^(?:met|meet|meets|meeting|meetings|talks|received|receives|"
                        r"consultations|conversation|discussion)$", re.IGNORECASE)
TOGETHER = re.compile(r"\b(?:trilateral|tripartite|joint|together|session|summit|debate|forum|"
                      r"round\s*table|conference|meeting\s+of|sitting)\b", re.IGNORECASE)
ATTRIBUTION = re.compile(
    r"(?:\b(?:told|according\s+to|the\s+press\s+service\s+of|reported\s+by|quoted\s+by|"
    r"cited\s+by|said|reports|reported)\s+(?:the\s+)?)(?P<slot>⟦[OP]\d+⟧)", re.IGNORECASE)
VENUE = re.compile(r"\b(?:at|in|inside|outside)\s+(?:the\s+)?(?P<slot>⟦[OM]\d+⟧)", re.IGNORECASE)
PLACE_PREP = re.compile(r"\b(?:in|at|to|near|from)\s+(?:the\s+)?(?:\w+\s+){0,3}?(?P<slot>⟦L\d+⟧)",
                        re.IGNORECASE)
DESTINATION = re.compile(r"\b(?:to|in|arrived\s+in|arrives\s+in)\s+(?:the\s+)?(?P<slot>⟦[LOM]\d+⟧)",
                         re.IGNORECASE)
PRONOUN_SUBJECT = re.compile(r"\b(?:he|she|they)\b", re.IGNORECASE)
NOT_EVENTS = re.compile(r"\b(?:interview|statement|regular\s+meetings|meetings\s+of\s+the\s+top)\b",
                        re.IGNORECASE)
EXPLICIT = ("range", "day", "month", "month_this")
# "During the visit ...", "in the course of his trip": a visit already reported
BACK_REFERENCE = re.compile(r"\b(?:during|in\s+the\s+course\s+of|after|on\s+the\s+sidelines\s+of)"
                            r"\s+(?:the|his|her|their|this)\s+$", re.IGNORECASE)
# organizations named in someone's title are not parties: "as Head of the CSTO Mission"
TITLE_OF = re.compile(rf"(?:{ROLE})\s+(?:of|to|at)\s+(?:the\s+)?(?P<slot>⟦[OM]\d+⟧)")
TITLE_BEFORE = re.compile(rf"(?P<slot>⟦[OM]\d+⟧)(?:['’]s)?\s+(?:{ROLE})")


@dataclass
class FoundEvent:
    kind: str
    sentence: Sentence
    trigger: str
    participants: list[str] = field(default_factory=list)  # entity keys, in order
    start: str | None = None
    end: str | None = None
    place: str | None = None
    rule: str = ""
    confidence: float = 0.6


@dataclass
class Context:
    """What the story has established so far, for pronouns and dates."""

    reference: date | None = None  # date of the current news item
    anchor: date | None = None  # last date the story mentioned
    protagonist: str | None = None  # last person acting as a subject
    last_event: FoundEvent | None = None
    paragraph: int = -1


def find_events(sentences: list[Sentence], references: list[date | None],
                role_orgs: dict[int, set[str]], entities, media: set[str],
                place_rank) -> list[FoundEvent]:
    """Events of a document. ``references`` gives each sentence's news-item date;
    ``role_orgs`` the organizations named only in titles, per sentence index."""
    found: list[FoundEvent] = []
    context = Context()
    for index, sentence in enumerate(sentences):
        reference = references[index]
        if reference != context.reference:
            context = Context(reference=reference, anchor=reference)
        if sentence.paragraph != context.paragraph:
            context.last_event = None
            context.paragraph = sentence.paragraph
        dates = find_dates(_plain(sentence.text), reference, context.anchor)
        events = _sentence_events(sentence, dates, context, role_orgs.get(index, set()),
                                  entities, media, place_rank)
        found.extend(events)
        if events:
            context.last_event = events[-1]
        for d in dates:
            if d.value and d.kind in EXPLICIT + ("relative", "weekday"):
                context.anchor = d.value.first_day
        people = [m for m in sentence.slots if m.kind == "person"]
        if people:
            context.protagonist = people[0].key
    return _merge(found)


def _plain(text: str) -> str:
    # slots are replaced by same-length placeholders so date offsets stay valid
    return SLOT.sub(lambda m: "X" * len(m.group(0)), text)


def _sentence_events(sentence: Sentence, dates, context: Context, role_orgs: set[str],
                     entities, media: set[str], place_rank) -> list[FoundEvent]:
    text = sentence.text
    triggers = list(TRIGGER.finditer(text))
    if not triggers or NOT_EVENTS.search(text) and len(triggers) == 1:
        return []
    excluded = set(role_orgs) | media
    for pattern in (ATTRIBUTION, VENUE, TITLE_OF, TITLE_BEFORE):
        for m in pattern.finditer(text):
            excluded.add(sentence.slot(m.group("slot")).key)
    for m in DESTINATION.finditer(text):
        mention = sentence.slot(m.group("slot"))
        if mention.kind != "place" and re.search(r"visit|trip", text[:m.start()], re.IGNORECASE):
            excluded.discard(mention.key)

    def parties(segment: str) -> list[str]:
        keys = []
        for m in SLOT.finditer(segment):
            mention = sentence.slot(m.group(0))
            if mention.kind == "place" or mention.key in excluded or mention.key in keys:
                continue
            keys.append(mention.key)
        return keys

    when = _date(dates, triggers[0].start())
    place = _place(sentence, place_rank)
    visit = next((t for t in triggers if t.group("visit")
                  and not BACK_REFERENCE.search(text[max(0, t.start() - 25):t.start()])), None)
    meeting = next((t for t in triggers if t.group("meeting")), None)
    first = min((t for t in (visit, meeting) if t), key=lambda t: t.start())
    subject = parties(text[:first.start()])
    if not subject and PRONOUN_SUBJECT.search(text[:first.start()]) and context.protagonist:
        subject = [context.protagonist]
    if not subject and not parties(text) and context.protagonist and re.match(
            r"^\s*(?:During|In\s+the\s+course|Also)\b", text):
        subject = [context.protagonist]
    inherited = context.last_event
    if when is None and inherited is not None:
        when = (inherited.start, inherited.end) if inherited.start else None
        place = place or inherited.place
    events: list[FoundEvent] = []
    if visit is not None:
        travellers = subject or parties(text[:visit.start()])
        host = _host(sentence, visit, entities, place_rank)
        participants = [k for k in travellers + parties(text[visit.end():]) if k]
        if meeting is not None and meeting.start() > visit.end():
            participants = travellers + [k for k in parties(text[visit.end():meeting.start()])]
        if host:
            participants.append(host)
        if participants:
            events.append(_event("Visit", sentence, visit, participants, when,
                                 _visit_place(sentence, visit, place_rank) or place, "event-visit"))
    if meeting is not None and (visit is None or meeting.start() > visit.start()):
        before = subject if visit is None or meeting.start() < visit.start() else (
            subject or parties(text[:meeting.start()]))
        after = parties(text[meeting.end():])
        word = meeting.group("meeting").lower()
        if ONE_TO_ONE.match(word) and len(after) >= 2 and before and not TOGETHER.search(text):
            for counterpart in after:
                events.append(_event("Meeting", sentence, meeting, before + [counterpart], when,
                                     place, "event-meeting-each"))
        else:
            participants = list(dict.fromkeys(before + parties(text[first.start():])))
            if participants:
                events.append(_event("Meeting", sentence, meeting, participants, when, place,
                                     "event-meeting"))
    return events


def _event(kind, sentence, trigger, participants, when, place, rule) -> FoundEvent:
    start, end = when if when else (None, None)
    confidence = 0.55 + (0.15 if start else 0) + (0.15 if len(participants) >= 2 else 0)
    return FoundEvent(kind, sentence, trigger.group(0), list(dict.fromkeys(participants)),
                      start, end, place, rule, round(confidence, 2))


def _date(dates, position: int) -> tuple[str, str | None] | None:
    """The date closest to the trigger; an explicit date beats a weekday next to it."""
    usable = [d for d in dates if d.value is not None]
    usable = [d for d in usable if not (d.kind == "weekday" and any(
        e.kind in EXPLICIT and 0 <= e.start - d.end <= 3 for e in usable))]
    if not usable:
        return None
    chosen = min(usable, key=lambda d: (min(abs(d.start - position), abs(d.end - position)),
                                        d.kind not in EXPLICIT))
    value: DateValue = chosen.value
    return value.start, value.end


def _place(sentence: Sentence, place_rank) -> str | None:
    """The most specific place the sentence puts the event in ("in Yerevan", "at ... in Naqoura")."""
    candidates = [sentence.slot(m.group("slot")) for m in PLACE_PREP.finditer(sentence.text)
                  if not re.match(r"\b(?:from|to)\b", m.group(0), re.IGNORECASE)]
    if not candidates:
        return None
    return min(candidates, key=lambda m: place_rank(m.key)).key


def _visit_place(sentence: Sentence, trigger, place_rank) -> str | None:
    after = sentence.text[trigger.start():]
    places = [sentence.slot(m.group("slot")) for m in PLACE_PREP.finditer(after)]
    places += [sentence.slot(m.group("slot")) for m in PLACE_PREP.finditer(sentence.text[:trigger.start()])]
    if not places:
        return None
    return min(places, key=lambda m: place_rank(m.key)).key


def _host(sentence: Sentence, trigger, entities, place_rank) -> str | None:
    """The country (or body) a visit goes to: "visit to Kazakhstan", "arrived in Yerevan"."""
    for m in DESTINATION.finditer(sentence.text):
        mention: Mention = sentence.slot(m.group("slot"))
        if mention.kind == "place":
            entity = entities.get(mention.key)
            if entity is not None and entity.subtype == "city":
                country = place_rank.country_of(mention.key)
                return country
            return mention.key
    return None


def _merge(events: list[FoundEvent]) -> list[FoundEvent]:
    """The same gathering reported twice in one article becomes one event."""
    merged: list[FoundEvent] = []
    for event in events:
        twin = next((e for e in merged if _same(e, event)), None)
        if twin is None:
            merged.append(event)
        else:
            twin.place = twin.place or event.place
    # an undated mention ("The Head of the Mission met ...", a headline) of a dated event
    return [e for e in merged if e.start or not any(
        o is not e and o.start and o.kind == e.kind and set(e.participants) <= set(o.participants)
        for o in merged)]


def _same(a: FoundEvent, b: FoundEvent) -> bool:
    return (a.kind == b.kind and a.start is not None and a.start == b.start and a.end == b.end
            and set(a.participants) == set(b.participants))
