"""Events read again on the parse: did they happen, and who took part, clause by clause.

The event rules find triggers and parties on words; this module checks each event on
the dependency parse of its sentence: a gathering cancelled, denied, negated or only
hypothetical is no event (``modality``); a teller and whom they tell take no part in
what they report; a relative clause about a person has its own parties; those who "did
not attend" or "stayed away" take no part in what their clause tells. What a sentence's
parse says is read once per sentence, so the cost stays linear in its length.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from kg.extract.modality import Modality
from kg.extract.sentences import clause_head, has_parse
from kg.extract.syntax import MentionIndex

PRONOUN_SUBJECTS = {"he", "she", "they", "we", "i"}


@dataclass
class SentenceParse:
    """What one sentence's parse says about parties, read once."""

    mentions: list[tuple[int, str, str]] = field(default_factory=list)  # (token, key, kind)
    reported: list[tuple[Token, frozenset[int]]] = field(default_factory=list)  # verb, what
    about_persons: list[tuple[Token, frozenset[int]]] = field(default_factory=list)  # relcl
    absent: list[tuple[int, set[str]]] = field(default_factory=list)  # clause head, keys


class ClauseReader:
    """Checks a document's events against the parse of their sentences."""

    def __init__(self, doc, modality: Modality, names: MentionIndex) -> None:
        self.doc, self.modality, self.names = doc, modality, names
        self._parses: dict[int, SentenceParse] = {}

    def real(self, events: list) -> list:
        """The events that happened or are scheduled, each with the parties of its clause."""
        if not has_parse(self.doc):
            return events
        kept = []
        for event in events:
            trigger = event.sentence.token_at_offset(event.offset)
            if trigger is None:
                kept.append(event)
                continue
            if self.modality.unreal_reason(trigger) is not None:
                continue
            before = len(event.participants)
            parse = self._parse(trigger.sent)
            _reported_parties(event, trigger, parse)
            _clause_parties(event, trigger, parse, self.names)
            _absentees(event, trigger, parse)
            # one of several meetings in turn whose counterpart was another clause's
            lost = event.rule == "event-meeting-each" and len(event.participants) < before
            if event.participants and not lost:
                kept.append(event)
        return kept

    def _parse(self, sent: Span) -> SentenceParse:
        if sent.start not in self._parses:
            self._parses[sent.start] = self._read(sent)
        return self._parses[sent.start]

    def _read(self, sent: Span) -> SentenceParse:
        parse = SentenceParse()
        for token in sent:
            mention = self.names.at(token)
            if mention is not None:
                parse.mentions.append((token.i, mention.key, mention.kind))
            if (
                token.dep_ == "relcl"
                and self.names.at(token.head, "person") is not None
                and token.lower_ not in REPRESENTING_VERBS  # "Li Keqiang, who represented China"
            ):
                parse.about_persons.append((token, frozenset(t.i for t in token.subtree)))
        for verb, content in self.modality.reported(sent):
            parse.reported.append((verb, frozenset(t.i for t in content.subtree)))
        for subject in self.modality.absentees(sent):
            mention = self.names.at(subject)
            if mention is not None:
                parse.absent.append((clause_head(subject.head).i, {mention.key}))
        return parse


def _keep_sides(event, parse: SentenceParse, side: frozenset[int] | set[int], kinds) -> None:
    """Drop the participants named in the sentence only outside ``side`` (a key named on
    the trigger's side too stays: "Rau met Kuleba, who said Rau ...")."""
    where: dict[str, set[bool]] = {}
    for index, key, kind in parse.mentions:
        if kind in kinds:
            where.setdefault(key, set()).add(index in side)
    event.participants = [k for k in event.participants if where.get(k, {True}) != {False}]


ALL_KINDS = ("person", "organization", "mission", "place")
# a relative clause that says whom a person stands for belongs to the gathering
REPRESENTING_VERBS = {"represented", "represents", "representing", "represent"}


def _innermost(event, trigger: Token, parse: SentenceParse, parts):
    """The smallest of the (head, tokens) parts that holds the trigger; when none does, the
    event keeps only the parties named outside them all, and None is returned."""
    holding = [part for part in parts if trigger.i in part[1]]
    if holding:
        return min(holding, key=lambda part: len(part[1]))
    side = set(range(trigger.sent.start, trigger.sent.end))
    for _head, tokens in parts:
        side -= tokens
    _keep_sides(event, parse, side, ALL_KINDS)
    return None


def _reported_parties(event, trigger: Token, parse: SentenceParse) -> None:
    """Reported speech is not attendance: "X said that A and B would meet" is A and B's
    meeting; "X informed Y about the meeting of Z" is Z's; and a gathering outside what is
    reported ("At her briefing, X said that A and B would meet") does not take A and B."""
    if not parse.reported:
        return
    frame = _innermost(event, trigger, parse, parse.reported)
    if frame is None:
        return
    _verb, content = frame
    doc = trigger.doc
    if any(
        doc[i].dep_ in ("nsubj", "nsubjpass") and doc[i].lower_ in PRONOUN_SUBJECTS
        for i in content
    ):
        return  # "X said he had met Y": X is "he"
    _keep_sides(event, parse, content, ALL_KINDS)


def _clause_parties(event, trigger: Token, parse: SentenceParse, names: MentionIndex) -> None:
    """A relative clause about a person has its own parties: "received by Tokayev, who asked
    her to greet President Stubb" does not take Stubb; in "A met B, who is in Minsk on a
    working visit" the visit is B's, not A's. (A clause about the gathering itself, "the
    meeting, at which X was represented", is the gathering's.)"""
    if not parse.about_persons:
        return
    own = _innermost(event, trigger, parse, parse.about_persons)
    if own is None:
        return
    clause, tokens = own
    side = set(tokens) | {t.i for t in clause.head.subtree if t.i < clause.i}
    antecedent = names.at(clause.head, "person")
    if antecedent is not None and antecedent.key not in event.participants:
        event.participants.insert(0, antecedent.key)  # "B, who is in Minsk on a visit"
    _keep_sides(event, parse, side, ("person",))


def _absentees(event, trigger: Token, parse: SentenceParse) -> None:
    """ "Anna Weiss did not attend the summit": not of the summit; "... but met Karl Brandt"
    is another clause, which she is of."""
    head = clause_head(trigger).i if parse.absent else None
    for clause, keys in parse.absent:
        if clause == head:
            event.participants = [k for k in event.participants if k not in keys]
