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

A gathering told of again ("the talks", "Addressing the meeting, X ...", "a plenary
sitting followed") adds its new parties to the one already found rather than
becoming another; "the next session of the Council" is the Council's own gathering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from kg.extract.cues import (
    ADDRESSING,
    AFFILIATION,
    AFTER_THE,
    AROUND,
    ASIDE_SPEAKER,
    AT_ITS,
    AT_ITS_LEAD,
    ATTENDANCE,
    ATTENDED_BODY,
    ATTRIBUTION,
    ATTRIBUTIVE,
    BACK_REFERENCE,
    BARE_SIDELINES,
    BODY_BEFORE,
    BODY_OBJECT,
    BODYS_OWN,
    BRIEFING_TOO,
    CHAIRED,
    CHAIRED_BY,
    COMING,
    COORDINATED,
    COUNCIL_OF_MINISTERS,
    DATELINE_AT_START,
    DATELINE_SLOTS,
    DEFINITE_GATHERING,
    DEFINITE_TITLE,
    DELEGATION_OF,
    DELEGATION_OF_BODY,
    DELEGATION_TO,
    DESTINATION,
    DURING,
    ENDING,
    EXPERIENCE,
    EXPLICIT,
    FUTURE,
    GATHERING,
    HABIT,
    HELD,
    HOLDING,
    HOST_PLACE,
    HOSTING,
    JOINED,
    JOURNALISTS,
    LASTING,
    LIST_ITEM,
    MARGINS,
    MEDIA_WORDS,
    MEDIUM,
    MINISTERIAL,
    MINISTERS_OF,
    NESTED_ACRONYM,
    NEWS_OF_THE_DAY,
    NOT_EVENTS,
    OBJECT_OF,
    OF_BODY,
    ONE_TO_ONE,
    PARENT_OF,
    PLACE_BEFORE,
    PLACE_PREP,
    POSSESSIVE,
    PRONOUN_SUBJECT,
    QUOTED,
    RECEIVED_IN,
    RELATIVE,
    REPORTED_ON,
    REPRESENTED,
    REPRESENTING,
    RESTATING,
    SEQUENCE,
    SIDES_OF,
    SINCE_LAST,
    SPEAKER,
    SPEAKER_LABEL,
    SPEECH_VERBS,
    STARTED,
    STOPS,
    TAKING_UP,
    THE_DELEGATION,
    THE_TWO,
    THEY,
    TIMESTAMPED,
    TITLE_BEFORE,
    TITLE_OF,
    TOGETHER,
    TOLD_A_BRIEFING,
    TOPIC,
    TRIGGER,
    VENUE,
    WITHIN,
)
from kg.extract.dates import NUMBER_WORDS, DateValue, find_dates
from kg.extract.mentions import Mention
from kg.extract.sentences import SLOT, Sentence, clause_head, has_parse, named_most


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
    subject: list[str] = field(default_factory=list)  # the parties before the trigger
    offset: int = -1  # where the trigger word starts in the document


@dataclass
class Context:
    """What the story has established so far, for pronouns and dates."""

    reference: date | None = None  # date of the current news item
    anchor: date | None = None  # last date the story mentioned
    protagonist: str | None = None  # last person acting as a subject
    company: list[str] = field(default_factory=list)  # the people of the last sentence
    last_event: FoundEvent | None = None  # in the current paragraph
    gathering: FoundEvent | None = None  # the last event of the news item
    opening: FoundEvent | None = None  # the first event of the news item
    visit: FoundEvent | None = None  # the last visit in the current news item
    paragraph: int = -1
    seen: set[str] = field(default_factory=set)  # parties of the news item's events so far
    last_dated: FoundEvent | None = None  # the last dated event of the news item
    told: list[FoundEvent] = field(default_factory=list)  # the news item's events so far
    titled: dict[str, str] = field(default_factory=dict)  # title word -> its one holder
    main: str | None = None  # the person the article names most
    headline: bool = False  # the sentence read now is a headline


# the date kinds that move the story's day ("three days earlier" counts from it)
STORY_DAYS = ("day", "range", "pair", "relative", "weekday", "weekday_pair")


def find_events(
    sentences: list[Sentence],
    references: list[date | None],
    role_orgs: dict[int, set[str]],
    entities,
    media: set[str],
    place_rank,
    headlines: set[int] = frozenset(),
    titled: dict[str, str] | None = None,
) -> list[FoundEvent]:
    """Events of a document. ``references`` gives each sentence's news-item date,
    ``role_orgs`` the organizations named in titles per sentence index, ``headlines``
    the indexes of headline lines (which restate the story: their events only count
    when the story gives no date for them elsewhere), ``titled`` the one holder of each
    title word the article's posts use."""
    found: list[FoundEvent] = []
    main = named_most(sentences)
    context = Context(titled={**_named_titles(sentences), **(titled or {})}, main=main)
    for index, sentence in enumerate(sentences):
        reference = references[index]
        if reference != context.reference:
            # a new news item: its own date; the person a page follows may carry over
            context = Context(
                reference=reference, anchor=reference, protagonist=context.protagonist,
                titled=context.titled, main=main,
            )
        if sentence.paragraph != context.paragraph:
            context.last_event = None
            context.paragraph = sentence.paragraph
        ahead = bool(FUTURE.search(sentence.text))
        dates = find_dates(_plain(sentence.text), reference, context.anchor, ahead)
        excluded = role_orgs.get(index, set())
        context.headline = index in headlines
        events = _sentence_events(
            sentence, dates, context, excluded, entities, media, place_rank
        )
        if index in headlines:
            events = [e for e in events if e.start]
        elif not events and context.gathering is not None and ATTENDANCE.search(sentence.text):
            events = _attended(sentence, dates, context, _excluded(sentence, excluded, media),
                               place_rank)
        found.extend(events)
        _remember(context, sentence, events, dates)
    return [e for e in found if e.participants]


def _attended(sentence, dates, context: Context, excluded: set[str], place_rank) -> list:
    """ "Around the table were ...", "Belarus was represented by ...": more parties of the
    gathering just told of (countries count when they are "represented"); "On 8 September,
    X attended the opening of the SCO Youth Forum" is a gathering of its own."""
    parties = _Parties(sentence, excluded, places=bool(REPRESENTED.search(sentence.text)))
    last = context.gathering
    day = _date(dates, 0, sentence.text)
    attended = ATTENDED_BODY.search(sentence.text)
    who = parties(sentence.text)
    if day and day[0] != last.start and attended and who:
        where = _place(sentence, place_rank, attended.start())
        return [_event("Meeting", sentence, attended, who, day, where, "event-attended", who[:1])]
    last.participants = list(dict.fromkeys(last.participants + who))
    return []


def _remember(context: Context, sentence: Sentence, events: list[FoundEvent], dates) -> None:
    """What the sentence adds to the story: its parties, its gathering, its visit, its day,
    who "he" is next."""
    context.told += events
    for event in events:
        context.seen.update(event.participants)
    dated = [e for e in events if e.start and e.rule != "event-meeting-of"]
    background = _past_perfect(sentence, events)  # "they had already met in Tehran in July"
    context.last_dated = dated[-1] if dated and not background else context.last_dated
    if events:
        # a body's meeting told of in passing ("preparations for the summit of ...") is not
        # what "the session" will mean next
        told = [e for e in events if e.rule != "event-meeting-of"]
        context.last_event = context.last_event if background else events[-1]
        context.gathering = told[-1] if told else context.gathering or events[-1]
        context.opening = context.opening or events[0]
        visits = [e for e in events if e.kind == "Visit"]
        context.visit = visits[-1] if visits else context.visit
    background = FUTURE.search(sentence.text) or background
    for d in dates if not background else ():
        # "three days earlier" counts from the last day the story told of, not from a
        # month or a day still to come
        if d.value and d.kind in STORY_DAYS:
            context.anchor = d.value.first_day
    context.protagonist = _protagonist(sentence, events, context.main) or context.protagonist
    context.company = [m.key for m in sentence.slots if m.kind == "person"]


def _past_perfect(sentence: Sentence, events: list[FoundEvent] = ()) -> bool:
    """ "The decision had been taken on 20 May", "...: they had already met in Tehran":
    background (in the main clause or the clause of what it tells), whose day is not the
    one "the same day" or "He then ..." next counts from."""
    span = sentence.span
    if span is None or not has_parse(span.doc):
        return False
    heads = [span.root]
    for event in events:
        token = sentence.token_at_offset(event.offset)
        if token is not None:
            heads.append(clause_head(token))
    return any(
        head.tag_ == "VBN"
        and any(c.dep_ in ("aux", "auxpass") and c.lower_ == "had" for c in head.children)
        for head in heads
    )




def _protagonist(sentence: Sentence, events: list[FoundEvent], main: str | None) -> str | None:
    """Who "he" or "she" will refer to next: the subject of this sentence's event, or the
    person the sentence opens with; but when the story's own person is the one received
    ("President X received Y in Riga. Her programme ..."), that guest."""
    for event in events:
        if main and main in event.participants and main not in event.subject and (
            HOSTING.match(event.trigger)
        ):
            return main
        if event.subject and event.rule != "event-meeting-of":
            return event.subject[0]
    if sentence.subject is not None:
        return sentence.subject.key
    head = SLOT.match(sentence.text.lstrip())
    if head and head.group(1) == "P":
        return sentence.slot(head.group(0)).key
    return None


def _plain(text: str) -> str:
    # slots are replaced by same-length placeholders so date offsets stay valid
    return SLOT.sub(lambda m: "X" * len(m.group(0)), text)


class _Parties:
    """The parties a sentence frames as taking part, left to right (places only when asked,
    or when the sentence names a country's delegation or ministers)."""

    def __init__(self, sentence: Sentence, excluded: set[str], places: bool = False) -> None:
        self.sentence, self.excluded, self.places = sentence, excluded, places
        self.delegations = {
            sentence.slot(next(g for g in m.groups() if g)).key
            for m in DELEGATION_OF.finditer(sentence.text)
        }
        text = sentence.text
        for pattern in (MINISTERS_OF, SIDES_OF, REPRESENTING):
            for m in pattern.finditer(text):
                named = sentence.mentions_in(m.group("places"))
                if pattern is not SIDES_OF or any(k.kind == "organization" for k in named):
                    self.delegations.update(k.key for k in named)

    def __call__(self, segment: str) -> list[str]:
        keys: list[str] = []
        for m in SLOT.finditer(segment):
            mention = self.sentence.slot(m.group(0))
            if mention.kind == "place" and not (self.places or mention.key in self.delegations):
                continue
            if mention.key in self.excluded or mention.key in keys:
                continue
            keys.append(mention.key)
        return keys


def _excluded(sentence: Sentence, role_orgs: set[str], media: set[str]) -> set[str]:
    text = sentence.text
    excluded = set(role_orgs) | media
    for pattern in (
        ATTRIBUTION,
        SPEAKER,
        ASIDE_SPEAKER,
        SPEAKER_LABEL,
        VENUE,
        TITLE_OF,
        TITLE_BEFORE,
        AFFILIATION,
        PARENT_OF,
        JOURNALISTS,
        ATTRIBUTIVE,
        POSSESSIVE,
        WITHIN,
        DELEGATION_TO,
        MARGINS,
    ):
        for m in pattern.finditer(text):
            excluded.add(sentence.slot(m.group("slot")).key)
    for m in NESTED_ACRONYM.finditer(text):
        # "the observation mission of the OSCE Office for ... (ODIHR)": the acronym is the
        # nested office's, which is part of the mission's name
        if sentence.slot(m.group("outer")).key != sentence.slot(m.group("slot")).key:
            excluded.add(sentence.slot(m.group("slot")).key)
    dateline = DATELINE_SLOTS.match(text)
    if dateline:
        # "UNITED NATIONS, New York, 9 June 2023 — ...": where the news comes from
        excluded.update(sentence.slot(m.group(0)).key for m in SLOT.finditer(dateline.group(1)))
    for topic in TOPIC.finditer(text):
        excluded.update(sentence.slot(m.group(0)).key for m in SLOT.finditer(topic.group(0)))
    for quoted in QUOTED.finditer(text):
        # a title in quotes ("the debate on “UN cooperation with the CSTO, the CIS and the SCO”"),
        # not a name in quotes (the mission “UNIFIL”)
        if len(SLOT.sub("", quoted.group(0)).split()) >= 3:
            excluded.update(sentence.slot(m.group(0)).key for m in SLOT.finditer(quoted.group(0)))
    for m in DELEGATION_OF_BODY.finditer(text):
        excluded.discard(sentence.slot(m.group("slot")).key)  # "a delegation of the OSCE PA"
    for m in DESTINATION.finditer(text):
        mention = sentence.slot(m.group("slot"))
        if mention.kind != "place" and re.search(r"visit|trip", text[: m.start()], re.IGNORECASE):
            excluded.discard(mention.key)  # "a working trip to UNIFIL": the host takes part
    return excluded


@dataclass
class Reading:
    """What one sentence says about gatherings, as the event constructions read it: its
    triggers, its parties, its date and place, and who acts."""

    sentence: Sentence
    dates: list
    context: Context
    entities: dict
    place_rank: object
    parties: _Parties
    triggers: list[re.Match]
    free: list  # the dates that may date the first trigger
    when: tuple | None  # the sentence's own date for its first trigger, then an inherited one
    place: str | None
    own_place: str | None  # the place the sentence itself names
    visit: re.Match | None
    meetings: list[re.Match]
    around: list[re.Match]  # gatherings named as a time ("before the meeting")
    first: re.Match  # the first trigger, the one the subject acts on
    subject: list[str] = field(default_factory=list)
    dated: bool = False  # by the sentence itself
    dated_by: FoundEvent | None = None  # the event just reported, whose date it takes
    another: bool = False  # a definite gathering of another body ("the meeting of the CFM")
    told_before: bool = False  # a definite gathering told of before ("chaired the session")

    @property
    def text(self) -> str:
        return self.sentence.text


def _sentence_events(
    sentence: Sentence,
    dates,
    context: Context,
    role_orgs: set[str],
    entities,
    media: set[str],
    place_rank,
) -> list[FoundEvent]:
    """The events of one sentence: a construction that takes the whole sentence, else the
    ``CONSTRUCTIONS`` in turn, each adding events."""
    reading = _read(sentence, dates, context, role_orgs, entities, media, place_rank)
    if reading is None:
        return []
    whole = _its_meeting(reading)
    if whole:
        return whole
    _read_actors(reading)
    events: list[FoundEvent] = []
    for _rule, construction in CONSTRUCTIONS:
        events += construction(reading)
    gathering = context.gathering
    if reading.when is None or (
        not reading.dated and gathering is not None and reading.when[0] == gathering.start
    ):
        events = _spoken_at(events, gathering)
    if reading.dated_by is not None:
        events = _not_part_of(events, reading.dated_by, entities)
    return events


def _read(sentence, dates, context, role_orgs, entities, media, place_rank) -> Reading | None:
    """The triggers of a sentence, its own date and place, and the parties before its first
    trigger; None when it reports no gathering."""
    text = sentence.text
    triggers = _triggers(text)
    if not triggers or NOT_EVENTS.search(text) and len(triggers) == 1:
        return None
    parties = _Parties(sentence, _excluded(sentence, role_orgs, media))
    free = _free_dates(sentence, triggers, dates)
    # a list of meetings ("a meeting with A, ..., a speech at B, which runs from June 22 to 24"):
    # a date late in the list is that item's, not the sentence's
    later = [t for t in triggers[1:] if re.match(r"\s+with\b", text[t.end() : t.end() + 6])]
    limit = later[0].start() if later else len(text)
    when = _date([d for d in free if d.start < limit], triggers[0].start(), text, sentence)
    place = _place(sentence, place_rank, triggers[0].start())
    visit = next(
        (
            t
            for t in triggers
            if t.group("visit")
            and not BACK_REFERENCE.search(text[max(0, t.start() - 25) : t.start()])
            and not _arrival_told(t, text, context)
        ),
        None,
    )
    # "He also met X before the meeting": the meeting is the gathering told of, a time
    around = [t for t in triggers[1:] if AROUND.search(text[max(0, t.start() - 40) : t.start()])]
    if len(triggers) > 1 and AFTER_THE.search(text[: triggers[0].start()]) and not around:
        around = [triggers[0]]  # "After the talks, A and B held a press conference"
    meetings = [t for t in triggers if t.group("meeting") and t not in around]
    told = [t for t in [visit, *meetings] if t]
    if not told:
        return None  # "During the visit, officials signed a protocol": only a visit told before
    first = min(told, key=lambda t: t.start())
    reading = Reading(
        sentence, dates, context, entities, place_rank, parties, triggers, free, when, place,
        place, visit, meetings, around, first,
    )
    reading.subject = parties(text[: first.start()])
    return reading


def _arrival_told(trigger: re.Match, text: str, context: Context) -> bool:
    """ "Soon after arriving, ...", once the item has told of the arrival: that visit again."""
    return (
        context.visit is not None
        and trigger.group(0).lower().endswith("ing")
        and re.search(r"\b(?:after|upon|on|since)\s+$", text[: trigger.start()], re.I) is not None
    )


# "met for the first time since July 2019": where a period begins, not when this happened
# (but "since 17 March, when the Council met": the date of the gathering told after it)
SINCE = re.compile(r"\bsince\s+(?:(?:the\s+)?(?:start|end|beginning|middle)\s+of\s+)?$",
                   re.IGNORECASE)


def _since(text: str, found_date) -> bool:
    start = found_date.start
    return text[start : start + 6].lower().startswith("since") or bool(
        SINCE.search(text[max(0, start - 40) : start]))


def _free_dates(sentence: Sentence, triggers: list[re.Match], dates) -> list:
    """ "the talks ... focused on the upcoming meetings of the CSTO bodies in November": a
    date nearer a later "meetings of <body>" is that gathering's; a date in another clause
    is not the trigger's, nor one a period runs "since"."""
    bodies = [t for t in triggers[1:] if OF_BODY.match(sentence.text[t.end() :])]
    free = [
        d
        for d in dates
        if not any(_distance(d, b) < _distance(d, triggers[0]) for b in bodies)
        and not _in_other_clause(sentence, triggers[0], d)
        and not (d.start > triggers[0].end() and _since(sentence.text, d))
    ]
    # "MINSK, 14 May 2024 – Talks ... took place on Monday": the dateline's day is the
    # news's, the event's only when the sentence gives no other
    dateline = DATELINE_AT_START.match(sentence.text)
    told = [d for d in free if dateline is None or d.start >= dateline.end()]
    return told if told else free


def _its_meeting(reading: Reading) -> list[FoundEvent]:
    """ "appointed by the OSCE Ministerial Council at its meeting in December 2020"; "At its
    meeting on 28 August, the Council, presided over by X, approved ...": the body's own
    gathering, and whoever chaired it (rule event-meeting-of; the sentence says no more)."""
    text, sentence, first = reading.text, reading.sentence, reading.first
    own = AT_ITS.search(text[: first.start()]) or AT_ITS_LEAD.match(text)
    if not own or first is reading.visit:
        return []
    body = sentence.slot(own.group("slot")).key
    chairs = [sentence.slot(m.group("slot")).key for m in CHAIRED_BY.finditer(text)]
    return [
        _event("Meeting", sentence, first, [body, *chairs], reading.when, reading.place,
               "event-meeting-of", [body])
    ]


def _read_actors(reading: Reading) -> None:
    """Who acts when the sentence does not name them, and the date it inherits."""
    _read_subject(reading)
    _inherit_date(reading)
    _read_back_reference(reading)


def _read_subject(reading: Reading) -> None:
    """The subject when the sentence names none before its trigger: the traveller of "During
    a visit to X, Y held meetings with", "the two leaders", "the delegation", "he"."""
    text, parties, context = reading.text, reading.parties, reading.context
    visit, meetings = reading.visit, reading.meetings
    if not reading.subject and visit is reading.first and meetings:
        # "During a visit to Kazakhstan, Secretary General ... Stanislav Zas held meetings with"
        opening = DURING.match(text[: visit.start()])
        comma = text.find(",", visit.end(), meetings[0].start())
        if opening and comma >= 0:
            clause = text[comma : meetings[0].start()]
            reading.subject = parties(clause)
            if not reading.subject and context.protagonist and _refers_to_protagonist(
                clause, parties
            ):
                # "Soon after arriving, the Prime Minister held talks with ..."
                reading.subject = [_titled_person(clause, context) or context.protagonist]
            if reading.subject:
                reading.first = meetings[0]
    before = text[: reading.first.start()]
    if not reading.subject and len(context.company) == 2 and THE_TWO.search(before):
        reading.subject = list(context.company)
    if not reading.subject and context.visit and THE_DELEGATION.search(before):
        # "A delegation of the OSCE PA arrived in Yerevan ... The delegation held talks with"
        reading.subject = list(context.visit.subject)
    if not reading.subject and context.protagonist and _refers_to_protagonist(before, parties):
        reading.subject = [_titled_person(before, context) or context.protagonist]
        if THEY.search(before):
            # "they": the person the story follows and those the last sentence put with them
            reading.subject = list(dict.fromkeys(reading.subject + context.company))


def _inherit_date(reading: Reading) -> None:
    """A sentence without a date of its own takes the date of the gathering it is "before"
    or "during", of the event just told of, or of the news item for "told a briefing"."""
    context = reading.context
    reading.dated = reading.when is not None
    named = _gathering_named(reading)
    if reading.when is None and named is not None and named.start:
        reading.when = (named.start, named.end)
        reading.place = reading.place or named.place
    if reading.when is not None:
        return
    earlier = context.last_event or (
        context.visit if _about(context.visit, reading.subject) else None
    )
    if earlier is not None and earlier.start:
        reading.when, reading.place = (earlier.start, earlier.end), reading.place or earlier.place
        reading.dated_by = earlier
    elif context.reference and BARE_SIDELINES.match(reading.text):
        # "On the sidelines, X held separate meetings with ...": of the day's gathering
        reading.when = (context.reference.isoformat(), None)
    elif context.reference and TOLD_A_BRIEFING.search(reading.text):
        # "X told a press conference that ...": the news of the day it is dated
        reading.when = (context.reference.isoformat(), None)
    elif context.reference and (
        TIMESTAMPED.match(reading.text) or _present_news(reading)
    ):
        # "09:40 — X opens the meeting": a live blog's entry, of the day it is dated
        reading.when = (context.reference.isoformat(), None)
    elif context.reference and reading.sentence.headed:
        # "THURSDAY, 9 OCTOBER / Putin and Rahmon hold talks": the day the item is headed by
        reading.when = (context.reference.isoformat(), None)
    elif (
        context.reference
        and NEWS_OF_THE_DAY.search(reading.text[: reading.first.start()])
        and not EXPERIENCE.search(reading.text)
    ):
        # "X has landed in Dushanbe": the present perfect of news tells of the item's day
        reading.when = (context.reference.isoformat(), None)
    elif context.last_dated is not None and _next_of_a_series(reading):
        # "He then received the Emir", "X also held talks with Y": the next of a series
        earlier = context.last_dated
        reading.when, reading.place = (earlier.start, earlier.end), reading.place or earlier.place
        reading.dated_by = earlier


def _present_news(reading: Reading) -> bool:
    """ "Moscow: X receives the Ambassador of Armenia": a headline's or a ticker's present
    tense tells of the day it is dated (not "X regularly meets", not what someone says)."""
    token = reading.sentence.token_at(reading.first.start())
    return (
        not reading.context.headline  # a headline restates a story dated in its text
        and token is not None
        and token.tag_ == "VBZ"
        and token.dep_ in ("ROOT", "conj")
        and not EXPERIENCE.search(reading.text)
        and not HABIT.search(reading.text)
    )


def _gathering_named(reading: Reading) -> FoundEvent | None:
    """The gathering "After the talks" means: the first the item told of by that word, the
    story's own (not a summit told since, nor one told as background), else the last one told."""
    context = reading.context
    if not reading.around:
        return None
    word = reading.around[0].group(0).lower().rstrip("s")
    same = [e for e in context.told if e.trigger.lower().rstrip("s") == word and e.start]
    return same[0] if same else context.gathering


def _next_of_a_series(reading: Reading) -> bool:
    """ "He then received X", "Y also held talks with Z": a sequence word in the trigger's own
    clause (not "X, who also chairs ...", not "Next year X will meet ...")."""
    text, sentence, first = reading.text, reading.sentence, reading.first
    if FUTURE.search(text):
        return False
    own = sentence.clause(first.start())
    return any(
        own is None or sentence.clause(cue.start()) == own
        for cue in SEQUENCE.finditer(text[: first.start()])
    )


def _read_back_reference(reading: Reading) -> None:
    """A definite trigger ("chaired the session", "after the summit") names a gathering told
    of before: it gives no new event, but may add to that one; "the meeting of the CFM"
    after a bilateral meeting is that body's gathering, not the one."""
    text, first, context = reading.text, reading.first, reading.context
    earlier = context.gathering
    restating = (
        bool(RESTATING.match(first.group(0)))
        and earlier is not None
        and earlier.kind == "Meeting"
        # "A and B exchanged views": a meeting of its own unless A and B are the last one's
        and (
            THE_TWO.search(text[: first.start()]) is not None
            or set(reading.subject) <= set(earlier.participants)
        )
    )
    definite = restating or (
        _refers_back(text, first, reading.free) and not _verb_at(reading.sentence, first)
    )
    reading.another = (
        definite
        and not restating
        and _another_bodys(text, first, reading.sentence, context.gathering)
    )
    # only once the news item has told of a gathering ("took part in the Council's regular
    # meeting" may open an item)
    reading.told_before = definite and not reading.another and context.gathering is not None
    if reading.told_before and context.gathering is not None:
        earlier = context.gathering
        later = next((t for t in reading.triggers if t.start() > first.start()), None)
        told = reading.subject + reading.parties(text[: later.start() if later else len(text)])
        _join(earlier, reading.sentence, told, context.seen)
        if reading.when is None and earlier.start:
            # "On the sidelines of the summit, X met Y": on the summit's days, in its place
            reading.when = (earlier.start, earlier.end)
            reading.place = reading.place or earlier.place
    if reading.told_before:
        reading.visit = None


def _visit(reading: Reading) -> list[FoundEvent]:
    """ "X visited Y", "arrived in Z", "a working trip to W": the travellers, the host, the
    place and the days ("a three-day visit")."""
    visit, text, sentence = reading.visit, reading.text, reading.sentence
    if visit is None or TAKING_UP.search(text[visit.end() : visit.end() + 80]):
        return []  # "arrived on the island today to take up his duties": no visit
    parties = reading.parties
    end = next((t.start() for t in reading.meetings if t.start() > visit.start()), len(text))
    travellers = reading.subject or parties(text[: visit.start()])
    participants = travellers + parties(text[visit.end() : end])
    host = _host(sentence, visit, reading.entities, reading.place_rank)
    if host:
        participants.append(host)
    if not [k for k in participants if k != host]:
        return []  # someone travels, not only a country
    where = _visit_place(sentence, visit, reading.place_rank) or reading.place
    ending = ENDING.search(text[max(0, visit.start() - 40) : visit.start()])
    # "arrived on Sunday for a three-day visit", "wrapped up a three-day visit"
    # "a four-day official visit": the length may stand two words before
    before = re.search(r"(?:\S+\s+){0,2}$", text[max(0, visit.start() - 40) : visit.start()])
    told = text[visit.start() - len(before.group(0)) : end]
    # "completed a four-day visit" ends on its day; "... that began on 12 August" starts on it
    backwards = bool(ending) and not STARTED.search(told)
    when = _lasting(told, reading.when, backwards=backwards)
    stops = _stops(reading, visit, travellers, host)
    if stops:
        return [
            _event("Visit", sentence, visit, travellers + ([country] if country else []), when,
                   place, "event-visit", travellers)
            for place, country in stops
        ]
    return [_event("Visit", sentence, visit, participants, when, where, "event-visit", travellers)]


def _stops(reading: Reading, visit: re.Match, travellers: list[str], host) -> list[tuple]:
    """(place, host country) of each stop of "a visit to Kazakhstan and Uzbekistan"."""
    listed = STOPS.match(reading.text[visit.end() :])
    if not listed or not travellers:
        return []
    out = []
    for mention in reading.sentence.mentions_in(listed.group("places")):
        country = mention.key
        entity = reading.entities.get(mention.key)
        if entity is not None and entity.subtype in ("city", "region"):
            # the host is the city's country, if the article names it; a city is no party
            country = reading.place_rank.country_of(mention.key)
        out.append((mention.key, country))
    return out if len({c or p for p, c in out}) > 1 else []


def _meetings(reading: Reading) -> list[FoundEvent]:
    """Each meeting trigger in turn: a body's own gathering, one meeting per counterpart, or
    one meeting of everyone named."""
    events: list[FoundEvent] = []
    for i, trigger in enumerate(reading.meetings):
        events += _meeting(reading, i, trigger)
    return events


def _meeting(reading: Reading, i: int, trigger: re.Match) -> list[FoundEvent]:
    text, meetings, visit = reading.text, reading.meetings, reading.visit
    end = meetings[i + 1].start() if i + 1 < len(meetings) else len(text)
    if visit is not None and trigger.start() < visit.start() < end:
        end = visit.start()  # "held a meeting with Y and visited Z": Z is the visit's
    segment = text[trigger.end() : end]
    word = trigger.group("meeting").lower()
    if _not_a_gathering(reading, word, segment):
        return []
    own = OF_BODY.match(segment)
    # "preparations for the next session of the Council": the Council's gathering
    coming = own and COMING.search(text[max(0, trigger.start() - 30) : trigger.start()])
    named = BODY_BEFORE.search(text[: trigger.start()])
    if not own and named and COMING.search(text[max(0, named.start() - 40) : named.start()]):
        # "the preparations for the CSTO Collective Security Council session": the same
        own = coming = named
    if reading.told_before and not i:
        return []
    if (
        reading.told_before
        and not own
        and not _counterparts(segment, reading.parties)
        and len(reading.parties(text[meetings[i - 1].end() : trigger.start()])) < 2
    ):
        return []  # new: "Before the session, X held meetings with ...", "X and Y held talks"
    named_gathering = reading.another and trigger is reading.first
    if own and (i or coming or named_gathering):
        return _bodys_meeting(reading, trigger, own, bool(coming), named_gathering)
    return _parties_meeting(reading, i, trigger, end, segment, word)


def _not_a_gathering(reading: Reading, word: str, segment: str) -> bool:
    """ "address the issue" (no body named), "X welcomed him" on arrival (the visit's)."""
    if word.startswith("address") and not any(
        m.kind in ("organization", "mission") for m in reading.sentence.slots
    ):
        return True
    return word.startswith("welcom") and bool(
        re.match(r"\s+(?:him|her|them|the\s+guests?)\b", segment)
    )


def _bodys_meeting(reading, trigger, own, coming: bool, named_gathering: bool) -> list:
    """ "... about the outcome of the meeting of the SCO Council, held on 30 November"; "X
    participated in the meeting of the Council of Foreign Ministers": the body's gathering
    (one to come has only the date told after it, not the sentence's)."""
    text, dates = reading.text, reading.dates
    body = reading.parties(own.group(0))
    if named_gathering and JOINED.search(text[: trigger.start()]):
        body = reading.subject + body
    if not body:
        return []
    if coming:
        after = [d for d in dates if d.start >= trigger.end()]
        when, place = _date(after, trigger.start(), text), reading.own_place
    else:
        when, place = _date(dates, trigger.start(), text) or reading.when, reading.place
    return [
        _event("Meeting", reading.sentence, trigger, body, when, place, "event-meeting-of", body)
    ]


def _parties_meeting(reading: Reading, i, trigger, end, segment, word) -> list[FoundEvent]:
    """A meeting of the subject with those named after the trigger: one per counterpart when
    one party met several in turn ("held meetings with A, B and C")."""
    text, parties, meetings = reading.text, reading.parties, reading.meetings
    one_to_one = bool(ONE_TO_ONE.match(word))
    counterparts = _counterparts(segment, parties) if one_to_one else parties(segment)
    counterparts = [k for k in counterparts if k not in reading.subject]
    protagonist = reading.context.protagonist
    if not counterparts and protagonist not in (None, *reading.subject) and OBJECT_PRONOUN.match(
        segment
    ):
        counterparts = [protagonist]  # "Anna Weiss met him there": the one the story follows
    between = text[meetings[i - 1].end() : trigger.start()] if i else ""
    # "..., a meeting with X, an address to Y"; "held talks with X and met Y": one subject
    listed = bool(i and (LIST_ITEM.search(between) or COORDINATED.search(between)))
    if i and not listed:
        _clause_subject(reading, between)
    subject = reading.subject
    if (
        one_to_one
        and subject
        and len(counterparts) >= 2
        and not TOGETHER.search(_words_before(text, trigger.start()) + trigger.group(0) + segment)
        and not JOINED.search(text[: trigger.start()])  # "took part in the meeting"
        and not BODYS_OWN.search(text[: trigger.start()])  # "the Council's meeting"
    ):
        return _one_each(reading, trigger, end, counterparts)
    own_day = _own_day(reading, trigger, end, word)
    if not (i == 0 or counterparts or listed or len(subject) >= 2 or own_day):
        return []
    if BODY_OBJECT.match(word) and not counterparts:
        return []  # "told TASS": an interview, not a sitting
    participants = _meeting_parties(reading, i, trigger, end, counterparts)
    participants += [k for k in counterparts if k not in participants]
    # "..., and a speech at the Conference, which runs from June 22 to 24"
    own_when = listed and _date(
        [d for d in reading.dates if trigger.end() <= d.start < end], trigger.start(), text
    )
    if trigger.start() != reading.first.start() and not listed:
        # "At her briefing on Wednesday, X said that A and B would meet on 15 February";
        # "X could visit Y next week, but met Z on 2 May"
        own_when = _clause_date(reading, trigger)
    # "A round table ... was held at the CSTO Secretariat on 31 March. Experts from X
    # and Y took part.": a dated gathering whose parties the next sentence names
    awaiting = not participants and not i and reading.dated and GATHERING.match(word)
    if not (participants or awaiting):
        return []
    stops = _places_and_dates(reading, trigger, end)
    if len(stops) >= 2:
        # "they had met in Tehran in July, in Sochi in August and in Samarkand last month"
        return [
            _event("Meeting", reading.sentence, trigger, participants, when, place,
                   "event-meeting-each", subject)
            for place, when in stops
        ]
    return [
        _event("Meeting", reading.sentence, trigger, participants, own_when or reading.when,
               (own_day and _own_place(reading, trigger, end)) or reading.place, "event-meeting",
               subject)
    ]


def _one_each(reading: Reading, trigger, end: int, counterparts: list[str]) -> list[FoundEvent]:
    """ "held separate meetings with A, B and C": one meeting with each."""
    subject = reading.subject
    return [
        _event("Meeting", reading.sentence, trigger, subject + [counterpart], when, place,
               "event-meeting-each", subject)
        for counterpart, (when, place) in zip(
            counterparts, _own_dates_and_places(reading, trigger, end, counterparts), strict=True
        )
    ]


def _own_day(reading: Reading, trigger, end: int, word: str) -> bool:
    """ "elected at the summit in Bissau on 9 July 2023 and re-elected at the Abuja summit of
    7 July 2024": a later gathering with a date of its own."""
    return bool(GATHERING.match(word)) and any(
        d.value and d.kind in EXPLICIT and trigger.end() <= d.start < min(end, trigger.end() + 30)
        for d in reading.dates
    )


def _places_and_dates(reading: Reading, trigger, end: int) -> list[tuple[str, tuple]]:
    """(place, date) of each item of "in Tehran in July, in Sochi in August and in Samarkand
    last month": places and dates in turn after the trigger, two or more of each."""
    text, sentence = reading.text, reading.sentence
    items = [(m.start("slot"), "place", m) for m in PLACE_PREP.finditer(text, trigger.end(), end)]
    items += [(d.start, "date", d) for d in reading.dates if trigger.end() <= d.start < end]
    items.sort(key=lambda item: item[0])
    kinds = [kind for _, kind, _ in items]
    if len(items) < 4 or len(items) % 2 or kinds != ["place", "date"] * (len(items) // 2):
        return []
    out = []
    for (_, _, place), (_, _, found) in zip(items[::2], items[1::2], strict=True):
        if found.value is None:
            return []
        out.append((sentence.slot(place.group("slot")).key, (found.value.start, found.value.end)))
    return out


def _own_place(reading: Reading, trigger: re.Match, end: int) -> str | None:
    """ "the Abuja summit", "a summit in Abuja": the place a later gathering names itself."""
    text = reading.text
    before = PLACE_BEFORE.search(text[: trigger.start()])
    after = PLACE_PREP.search(text, trigger.end(), end)
    found = before or after
    return reading.sentence.slot(found.group("slot")).key if found else None


def _words_before(text: str, position: int, count: int = 2) -> str:
    """The last words before a trigger: "a joint meeting", "trilateral talks"."""
    return " ".join(text[:position].split()[-count:]) + " "


def _own_dates_and_places(reading: Reading, trigger: re.Match, end: int, counterparts):
    """ "meeting Zelensky in Kyiv on 6 October and Putin in St Petersburg on 11 October":
    each counterpart with the date and place told after it (when every one has its own),
    else the sentence's."""
    sentence, text = reading.sentence, reading.text
    starts = []
    for key in counterparts:
        at = next(
            (m.start() for m in SLOT.finditer(text, trigger.end(), end)
             if sentence.slot(m.group(0)).key == key),
            None,
        )
        starts.append(at)
    shared = [(reading.when, reading.place)] * len(counterparts)
    if None in starts or starts != sorted(starts):
        return shared
    own = []
    for i, start in enumerate(starts):
        stop = starts[i + 1] if i + 1 < len(starts) else end
        dates = [d for d in reading.dates if start <= d.start < stop and d.value]
        places = [
            sentence.slot(m.group("slot")).key
            for m in PLACE_PREP.finditer(text, start, stop)
        ]
        own.append((_date(dates, start, text), places[0] if places else None))
    if not all(when for when, _ in own):
        return shared
    return [(when, place or reading.place) for when, place in own]


OBJECT_PRONOUN = re.compile(r"\s+(?:with\s+)?(?:him|her)\b", re.IGNORECASE)


def _clause_date(reading: Reading, trigger: re.Match) -> tuple[str, str | None] | None:
    """A date in the trigger's own clause, by the parse."""
    sentence = reading.sentence
    own = sentence.clause(trigger.start())
    if own is None or own == sentence.clause(reading.first.start()):
        return None
    dates = [d for d in reading.dates if sentence.clause(d.start) == own]
    return _date(dates, trigger.start(), reading.text)


def _clause_subject(reading: Reading, clause: str) -> None:
    """A later clause may have its own subject: "On the sidelines of the session of the UN
    General Assembly, the Deputy Minister met ..."; an item of a programme keeps the first."""
    clause = OF_BODY.sub("", clause, count=1)
    context = reading.context
    reading.subject = reading.parties(clause) or (
        [_titled_person(clause, context) or context.protagonist]
        if context.protagonist and _refers_to_protagonist(clause, reading.parties)
        else reading.subject
    )
    if THEY.search(clause) and context.protagonist in reading.subject:
        # "they had already met ...": the one the story follows and who was named with them
        reading.subject = list(dict.fromkeys(reading.subject + context.company))


def _meeting_parties(reading: Reading, i, trigger, end, counterparts) -> list[str]:
    """Everyone a meeting has: the subject and who is named with it; "the ministerial session"
    is of the one council of ministers the article names; "The next meeting is scheduled for
    26 July" is of the body the news item opened with."""
    text, visit = reading.text, reading.visit
    # a meeting told after a visit in one sentence has its own segment's parties
    after_visit = visit is not None and visit.start() < trigger.start()
    told_from = trigger.end() if after_visit else reading.first.start()
    participants = reading.subject + (counterparts if i else reading.parties(text[told_from:end]))
    owner = BODYS_OWN.search(text[max(0, trigger.start() - 60) : trigger.start()])
    if owner:  # "the Authority's 67th Ordinary Session": the body sat, even if named in a title
        participants.append(reading.sentence.slot(owner.group("slot")).key)
    if MINISTERIAL.search(text[max(0, trigger.start() - 15) : trigger.start()]):
        entities = reading.entities
        councils = [k for k, e in entities.items() if COUNCIL_OF_MINISTERS.search(e.name)]
        participants += councils if len(councils) == 1 else []
    opening = reading.context.opening
    if not participants and opening is not None and COMING.search(
        text[max(0, trigger.start() - 30) : trigger.start()]
    ):
        bodies = [k for k in opening.participants if not k.startswith(("person:", "place:"))]
        participants = bodies if len(bodies) == 1 else []
    return participants


def _reception(reading: Reading) -> list[FoundEvent]:
    """ "Zas was received in Dushanbe by President Rahmon": he came to Tajikistan."""
    reception = RECEIVED_IN.search(reading.text)
    if not reception or reading.visit is not None or not reading.subject or reading.told_before:
        return []
    sentence = reading.sentence
    host = _host(sentence, reception, reading.entities, reading.place_rank)
    if not host:
        return []
    hosts = [k for k in reading.parties(reading.text[reception.end() :]) if k.startswith("person:")]
    return [
        _event("Visit", sentence, reception, reading.subject + hosts[:1] + [host], reading.when,
               reading.place, "event-visit-received", reading.subject)
    ]


# The event constructions, in the order they read a sentence (after ``_its_meeting``, which
# takes a whole sentence), with the rules they record as kgo:extractedBy.
CONSTRUCTIONS = [
    ("event-visit", _visit),
    ("event-meeting, event-meeting-each, event-meeting-of", _meetings),
    ("event-visit-received", _reception),
]


def _lone_speaker(event: FoundEvent) -> bool:
    """ "X also briefed the 15-member organ": one person, no one else named."""
    token = event.sentence.token_at_offset(event.offset)
    return (
        event.rule == "event-meeting"
        and len(event.participants) == 1
        and event.participants[0].startswith("person:")
        and token is not None
        and token.pos_ == "VERB"  # "briefed the organ", not "a speech at the Conference"
    )


def _spoken_at(events: list[FoundEvent], gathering: FoundEvent | None) -> list[FoundEvent]:
    """ "X briefed the Council on ..." or "X briefed the participants", with no date of its
    own (or the day just told), after the Council's debate was told of: X spoke at that
    debate, which gains X instead of a new meeting."""
    if gathering is None or gathering.kind != "Meeting":
        return events
    kept = []
    for e in events:
        others = [k for k in e.participants if k not in e.subject]
        to_those_present = re.search(
            re.escape(e.trigger) + r"\s+(?:the\s+)?(?:participants|attendees|audience|delegates|"
            r"those\s+present)\b",
            e.sentence.text,
        )
        bodies = [k for k in e.participants if not k.startswith("person:")]
        if (
            e.kind == "Meeting"
            and e.subject
            # "X also briefed the 15-member organ": no one else named, X spoke there
            and (others or to_those_present or _lone_speaker(e))
            and all(k in gathering.participants and not k.startswith("person:") for k in others)
        ):
            gathering.participants = list(dict.fromkeys(gathering.participants + e.subject))
        elif (
            e.kind == "Meeting"
            and BRIEFING_TOO.match(e.sentence.text)
            and any(not k.startswith("person:") for k in gathering.participants)
            and all(k in gathering.participants for k in bodies)
        ):
            # "Also briefing the Council was X", "Also briefing was X": X spoke at the
            # body's sitting told of
            gathering.participants = list(dict.fromkeys(gathering.participants + e.participants))
        else:
            kept.append(e)
    return kept


def _not_part_of(events: list[FoundEvent], dated_by: FoundEvent, entities) -> list[FoundEvent]:
    """ "A plenary sitting followed": an event dated only by the one just reported, with no
    one new in it, is part of that one (the CSTO is no one new where its Collective Security
    Council sat)."""
    covered = set(dated_by.participants) | {
        entities[k].parent for k in dated_by.participants if k in entities
    }
    return [
        e
        for e in events
        if not (
            e.kind == dated_by.kind
            and (e.start, e.end) == (dated_by.start, dated_by.end)
            and set(e.participants) <= covered
        )
    ]


def _join(earlier: FoundEvent, sentence: Sentence, told: list[str], seen: set[str]) -> None:
    """A sentence about the gathering just told of ("... chaired the session, and X took
    part"; "Addressing the meeting, X argued ...") adds who took part in it; parties
    already reported ("the talks with A and B focused on ...") and topics add no one."""
    text = sentence.text
    if ATTENDANCE.search(text) or CHAIRED.search(text):
        new = [k for k in told if k not in seen]
    elif ADDRESSING.search(text) and sentence.subject is not None:
        new = [sentence.subject.key]
    else:
        return
    earlier.participants = list(dict.fromkeys(earlier.participants + new))


def _triggers(text: str) -> list[re.Match]:
    """Trigger words, leaving out a medium named after the gathering ("... by video conference")
    and a past gathering named as a point in time ("since his last briefing")."""
    found = [
        t
        for t in TRIGGER.finditer(text)
        if not SINCE_LAST.search(text[max(0, t.start() - 40) : t.start()])
    ]
    joined = JOINED.search(text)
    kept = [
        t
        for i, t in enumerate(found)
        if not (
            (i or joined and MEDIA_WORDS.match(t.group(0)))
            and MEDIUM.search(text[max(0, t.start() - 12) : t.start()])
        )
    ]
    # "a videoconference meeting", "a video conference session": one gathering, one trigger;
    # "addressed the 15th meeting of ...", "presided over the session": the gathering's word
    following = [*kept[1:], None] if kept else []
    kept = [
        t
        for t, after in zip(kept, following, strict=True)
        if after is None or text[t.end() : after.start()].strip(" -")
    ]
    previous = [None, *kept[:-1]] if kept else []
    return [
        t
        for t, before in zip(kept, previous, strict=True)
        if before is None
        or not (
            t.group("meeting")
            and before.group("meeting")
            and OBJECT_OF.fullmatch(text[before.end() : t.start()])
        )
    ]


def _titled_person(before: str, context: Context) -> str | None:
    """ "the envoy", "the Secretary-General": the one person the article gives that title
    ("Prime Minister Narendra Modi" makes him "the Prime Minister"), else the person the
    story is about (named most), rather than whoever acted last."""
    title = DEFINITE_TITLE.search(before)
    if title is None:
        return None
    phrase = "the " + " ".join(title.group(0).lower().split()[1:])
    word = title.group(0).split()[-1].lower()
    return context.titled.get(phrase) or context.titled.get(word, context.main)


NAMED_TITLE = re.compile(
    r"\b((?:(?:Deputy|Acting|First|Special|Personal|Prime|Foreign|Vice)\s+)*(?:Minister|"
    r"Secretary[- ]General|President|Chairman|Chairwoman|Chairperson|Ambassador|Envoy|"
    r"Commander|Representative|Coordinator))\s+(?=⟦P\d+⟧)"
)


def _named_titles(sentences: list[Sentence]) -> dict[str, str]:
    """Titles the article puts before a name ("Prime Minister ⟦Narendra Modi⟧"), each with
    its one holder: whom "the Prime Minister" means later."""
    holders: dict[str, set[str]] = {}
    for sentence in sentences:
        for m in NAMED_TITLE.finditer(sentence.text):
            person = sentence.slot(SLOT.match(sentence.text, m.end()).group(0)).key
            phrase = "the " + " ".join(m.group(1).lower().replace("-", " ").split())
            holders.setdefault(phrase, set()).add(person)
    return {phrase: people.pop() for phrase, people in holders.items() if len(people) == 1}


def _refers_to_protagonist(before: str, parties) -> bool:
    """ "He also met ...", "the Deputy Minister met ...", "During the visit, ...": the person
    the story is about, not named again."""
    return bool(
        PRONOUN_SUBJECT.search(before)
        or DEFINITE_TITLE.search(before)
        or not parties(before)
        and re.match(r"^\s*(?:During|In\s+the\s+course|Also)\b", before)
    )


def _counterparts(segment: str, parties) -> list[str]:
    """Whom a party met: the people named after the trigger, else the names right after
    it or after each "with"."""
    people = [k for k in parties(segment) if k.startswith("person:")]
    if len(people) >= 2:
        return people
    heads = [
        m.end() for m in re.finditer(r"(?:^|\bwith)\s+(?:the\s+)?(?:\w+\s+){0,4}?(?=⟦)", segment)
    ]
    found: list[str] = []
    for start in heads:
        run = re.match(r"(?:⟦[POM]\d+⟧(?:[^⟦.;]{0,80}?(?:,\s*|\band\s+)(?=⟦))?)+", segment[start:])
        found += [k for k in parties(run.group(0) if run else "") if k not in found]
    return found or parties(segment)


def _about(event: FoundEvent | None, subject: list[str]) -> bool:
    return event is not None and bool(subject) and subject[0] in event.participants


def _in_other_clause(sentence: Sentence, trigger, found_date) -> bool:
    """ "The conversation focused on the status, which the Council decided to grant in
    September 2021": the date is the decision's. A relative clause saying when the
    gathering is held ("which will be held tomorrow") still dates it. "At the meeting, X
    said the war had begun on 24 February": a date in what is said is not the meeting's."""
    text = sentence.text
    if _reported(sentence, found_date.start) and not _reported(sentence, trigger.start()):
        return True
    if found_date.start < trigger.end():
        return False
    between = text[trigger.end() : found_date.start]
    return bool(RELATIVE.search(between)) and not HELD.search(between)


def _reported(sentence: Sentence, position: int) -> bool:
    """Whether a position sits in the content of a speech verb ("said the war had begun")."""
    token = sentence.token_at(position)
    if token is None or not has_parse(token.doc):
        return False
    head = token.doc[sentence.clause(position)]
    return head.dep_ == "ccomp" and head.head.lower_ in SPEECH_VERBS


def _lasting(told: str, when, backwards: bool = False):
    """ "arrived on Sunday for a three-day visit": the visit runs from that day for three;
    "concluded a two-day visit today": it began the day before."""
    days = LASTING.search(told)
    if when is None or when[1] is not None or days is None or len(when[0]) != 10:
        return when
    word = days.group(1).lower()
    n = int(word) if word.isdigit() else NUMBER_WORDS[word]
    day = date.fromisoformat(when[0])
    if backwards:
        return (day - timedelta(days=n - 1)).isoformat(), when[0]
    return when[0], (day + timedelta(days=n - 1)).isoformat()


def _another_bodys(text: str, trigger, sentence: Sentence, gathering: FoundEvent | None) -> bool:
    """ "the meeting of the Council of Foreign Ministers" after a bilateral meeting was told of:
    a gathering of a body not in the one just reported is another one."""
    own = OF_BODY.match(text[trigger.end() :])
    if own is None or gathering is None:
        return False
    bodies = [m.key for m in sentence.mentions_in(own.group(0))]
    return not any(k in gathering.participants for k in bodies)


def _distance(found_date, trigger) -> int:
    return min(abs(found_date.start - trigger.end()), abs(trigger.start() - found_date.end))


def _verb_at(sentence: Sentence, trigger: re.Match) -> bool:
    """ "The delegation met X": "the" opens the subject of a verb, not a gathering's name."""
    token = sentence.token_at(trigger.start())
    return token is not None and token.pos_ in ("VERB", "AUX")


def _refers_back(text: str, trigger, dates) -> bool:
    """A definite trigger with no date of its own ("chaired the session") names the
    gathering the previous sentence reported; "the next session" names another."""
    own_date = any(d.value and d.kind in EXPLICIT for d in dates)
    before = text[max(0, trigger.start() - 30) : trigger.start()]
    return (
        not own_date
        and DEFINITE_GATHERING.search(before) is not None
        and not COMING.search(before)
        and not HOLDING.search(before)
    )


def _event(kind, sentence, trigger, participants, when, place, rule, subject) -> FoundEvent:
    start, end = when if when else (None, None)
    confidence = 0.55 + (0.15 if start else 0) + (0.15 if len(participants) >= 2 else 0)
    return FoundEvent(
        kind,
        sentence,
        trigger.group(0),
        list(dict.fromkeys(participants)),
        start,
        end,
        place,
        rule,
        round(confidence, 2),
        list(subject),
        sentence.offset(trigger.start()),
    )


def _date(
    dates, position: int, text: str = "", sentence: Sentence | None = None
) -> tuple[str, str | None] | None:
    """The date closest to the trigger, in the trigger's own clause where the parse gives
    one ("Zakharova said on Wednesday that they would meet on 15 February": the meeting is
    on the 15th); an explicit date beats a weekday next to it, and the day the news was told
    ("..., the press secretary told TASS on Monday") is no event's date."""
    usable = [
        d
        for d in dates
        if d.value is not None and not REPORTED_ON.search(text[max(0, d.start - 40) : d.start])
    ]
    usable = [
        d
        for d in usable
        if not (
            d.kind == "weekday"
            and any(e.kind in EXPLICIT and 0 <= e.start - d.end <= 3 for e in usable)
        )
    ]
    if not usable:
        return None
    own = sentence.clause(position) if sentence is not None else None

    def elsewhere(d) -> bool:
        return own is not None and sentence.clause(d.start) != own

    chosen = min(
        usable,
        key=lambda d: (
            elsewhere(d),
            min(abs(d.start - position), abs(d.end - position)),
            d.kind not in EXPLICIT,
        ),
    )
    value: DateValue = chosen.value
    return value.start, value.end


def _place(sentence: Sentence, place_rank, position: int) -> str | None:
    """The most specific place the sentence puts the event in: "in Yerevan" over "in Lebanon";
    of two as specific, the one nearer the trigger ("said at a briefing in Kyiv")."""
    found = [
        m
        for m in PLACE_PREP.finditer(sentence.text)
        if not re.match(r"\b(?:from|to)\b", m.group(0), re.IGNORECASE)
        and not _in_a_topic(sentence, m.start("slot"), position)
    ] + list(HOST_PLACE.finditer(sentence.text))
    if not found:
        return None
    nearest = min(
        found,
        key=lambda m: (
            place_rank(sentence.slot(m.group("slot")).key),
            abs(m.start("slot") - position),
        ),
    )
    return sentence.slot(nearest.group("slot")).key


def _in_a_topic(sentence: Sentence, position: int, trigger_position: int) -> bool:
    """ "a briefing ... on the organization's work in Central Asia": a place in what was
    discussed (under "on" or "about"), not where; unless the gathering is itself what was
    discussed ("focused on the meetings of the Council in Minsk")."""
    token, trigger = sentence.token_at(position), sentence.token_at(trigger_position)
    for _ in range(10):
        if token is None or token.head.i == token.i or token.pos_ in ("VERB", "AUX"):
            return False
        if token.dep_ == "prep" and token.lower_ in ("on", "about", "regarding", "concerning"):
            words = " ".join(t.text for t in token.subtree)
            return (trigger is None or trigger not in token.subtree) and not TRIGGER.search(words)
        token = token.head
    return False


def _visit_place(sentence: Sentence, trigger, place_rank) -> str | None:
    """Where a visit goes: the places its own words govern ("visit Ukraine ... and go on to
    Moscow" is a visit to Ukraine), else the most specific place the sentence names."""
    governed = _governed_places(sentence, trigger)
    if governed:
        return min(governed, key=lambda m: place_rank(m.key)).key
    after = sentence.text[trigger.start() :]
    places = [sentence.slot(m.group("slot")) for m in PLACE_PREP.finditer(after)]
    places += [
        sentence.slot(m.group("slot"))
        for m in PLACE_PREP.finditer(sentence.text[: trigger.start()])
    ]
    if not places:
        return None
    return min(places, key=lambda m: place_rank(m.key)).key


def _governed_places(sentence: Sentence, trigger) -> list[Mention]:
    """Places that are the trigger's object or the object of its "to"/"in" (and their
    conjuncts), by the parse; none without one."""
    span = sentence.span
    if span is None or not has_parse(span.doc):
        return []
    offset = sentence.offset(trigger.start())
    tokens = span.doc.char_span(offset, offset + len(trigger.group(0)), alignment_mode="expand")
    if not tokens:
        return []
    objects = []
    for word in tokens:
        for child in word.children:
            if child.dep_ == "dobj":
                objects.append(child)
            elif child.dep_ == "prep" and child.lower_ in ("to", "in", "at"):
                objects += [c for c in child.children if c.dep_ == "pobj"]
            elif word.dep_ == "prep" and child.dep_ == "pobj":
                objects.append(child)  # the trigger's own "for": "departed for Baku"
    objects += [c for o in objects for c in o.conjuncts]
    places = [m for m in sentence.slots if m.kind == "place"]
    return [
        m for m in places if any(m.start <= o.idx < m.end for o in objects)
    ]


def _host(sentence: Sentence, trigger, entities, place_rank) -> str | None:
    """The country (or body) a visit goes to: "visit to Kazakhstan", "arrived in Yerevan"."""
    for m in DESTINATION.finditer(sentence.text):
        mention: Mention = sentence.slot(m.group("slot"))
        if mention.kind == "place":
            entity = entities.get(mention.key)
            if entity is not None and entity.subtype in ("city", "region"):
                return place_rank.country_of(mention.key)
            return mention.key
    # "he travelled to the border, inspecting a section in Khatlon Province": its country
    for mention in sentence.mentions_in(sentence.text[trigger.end() :]):
        if mention.kind == "place":
            country = place_rank.country_of(mention.key)
            if country:
                return country
    return None


def merge_events(events: list[FoundEvent]) -> list[FoundEvent]:
    """The same gathering reported twice in one article becomes one event (after the parse
    has had its say: a hypothetical telling must not stand in for the real one)."""
    merged: list[FoundEvent] = []
    for event in events:
        twin = next((e for e in merged if _same(e, event)), None)
        if twin is None:
            merged.append(event)
        else:
            twin.place = twin.place or event.place
    # an undated mention ("The Head of the Mission met ...", a headline) of a dated event,
    # or one dated by its year only ("his first trip to Tajikistan in 2021")
    return [e for e in merged if not any(_vaguer(e, o) for o in merged if o is not e)]


def _vaguer(e: FoundEvent, o: FoundEvent) -> bool:
    """Is e the same gathering as o, told with less of a date?"""
    if o.kind != e.kind or not o.start:
        return False
    if e.start is None:
        return set(e.participants) == set(o.participants) or (
            set(e.participants) < set(o.participants)
            and (e.trigger.lower() == o.trigger.lower() or e.rule == "event-meeting-of")
        )
    year = re.fullmatch(r"(\d{4})-01-01", e.start)
    return (
        year is not None
        and e.end == f"{year.group(1)}-12-31"
        and o.start.startswith(year.group(1))
        and (o.end or o.start) != e.end
        and set(e.participants) <= set(o.participants)
    )


def _same(a: FoundEvent, b: FoundEvent) -> bool:
    """The same gathering told twice; two visits to places known and different are two
    ("visits to Minsk and Astana")."""
    return (
        a.kind == b.kind
        and a.start == b.start
        and a.end == b.end
        and set(a.participants) == set(b.participants)
        and (a.kind != "Visit" or a.place is None or b.place is None or a.place == b.place)
    )
