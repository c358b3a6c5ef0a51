"""Posts told by a verb: appointments, elections, confirmations, successions, over the parse.

The constructions are data (``data/posts.jsonl``, run by ``syntax.Constructions``);
this module turns a match into posts. The person and the title come from the match;
the title's body from its own words ("Head of the EU Delegation", "SCO Deputy
Secretary-General") or, for "its new Chairperson", from the body that named them.
A successor's post that the clause does not name is the one the article gives the
successor elsewhere; the predecessor held it before (``former``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace

from kg.extract import lexicon
from kg.extract.mentions import Mention
from kg.extract.names import ROLE_HEADS, ROLE_MODIFIERS, role_label
from kg.extract.roles import ORG, ROLE, UNNAMED, FoundRole, posts_of
from kg.extract.sentences import Sentence
from kg.extract.syntax import Match, MentionIndex

# the words a title may open with: "High Commissioner", "Representative on ..."
TITLE_FIRST_WORDS = {h.split()[0] for h in ROLE_HEADS} | {m.split()[0] for m in ROLE_MODIFIERS}
TITLE = re.compile(rf"(?P<roles>{ROLE}(?:\s*(?:\s+and\s+|\s*[–/]\s*){ROLE})*)")
TITLE_ANY_CASE = re.compile(TITLE.pattern, re.IGNORECASE)
OF = r"\s+(?:of|to|at|in)\s+(?:the\s+)?"
WORDS_AFTER_BODY = re.compile(rf"(?P<org>{ORG})\s+(?P<words>(?:[A-Z][a-z]+\s+){{1,2}})$")
NAMING = ("post-appoints", "post-appointment")  # constructions where one names another
COUNTRYS = re.compile(r"⟦L\d+⟧['’]s\s+$")
BODY_AFTER = re.compile(rf"^{OF}(?:⟦L\d+⟧{OF})?(?:\d+-member\s+)?(?P<org>{ORG})")
BODY_BEFORE = re.compile(rf"(?P<org>{ORG})(?:['’]s)?\s+(?:new\s+|next\s+)?$")
# "the UN Secretary-General's Special Representative": a post under the body's own head
BOSS_BEFORE = re.compile(rf"(?P<org>{ORG})\s+(?:{ROLE})['’]s\s+$")
ITS = re.compile(r"\bits\s+(?:new\s+|next\s+)?$")


@dataclass
class Succession:
    """A successor and a predecessor whose post the clause leaves unnamed."""

    successor: str
    predecessor: str
    sentence: Sentence
    rule: str
    confidence: float


def people(matches: list[Match]) -> list:
    """The tokens the matches put in a person's place."""
    return [m.tokens[k] for m in matches for k in ("person", "predecessor") if k in m.tokens]


def find_posts(
    sentences: list[Sentence], index: MentionIndex, matches: list[Match]
) -> tuple[list[FoundRole], list[Succession]]:
    """Posts from the post constructions' matches, and successions still to be given a post."""
    starts = [s.start for s in sentences]
    posts: list[FoundRole] = []
    successions: list[Succession] = []
    handed: set[tuple[str, int]] = set()  # (predecessor, sentence) given a named post
    pairs: list[Succession] = []
    for match in matches:
        person = _person(match.tokens["person"], index)
        anchor = match.tokens.get("verb", match.tokens["person"])
        position = bisect_right(starts, anchor.idx) - 1
        if person is None or position < 0:
            continue
        sentence = sentences[position]
        predecessor = _predecessor(match, index)
        found = list(_titled(sentence, match, index, person)) + list(
            _led(sentence, match, index, person)
        )
        if match.entry.get("past_is_former") and _past(anchor) and not _appointed_title(match):
            found = [replace(p, former=True) for p in found]  # "Before that she was Head of X"
        posts += found
        if predecessor is not None and predecessor.key != person.key:
            pairs.append(Succession(person.key, predecessor.key, sentence, match.id, 0.65))
            posts += [replace(p, person=predecessor.key, former=True) for p in found]
            if found:
                handed.add((predecessor.key, id(sentence)))
            else:
                successions.append(
                    Succession(person.key, predecessor.key, sentence, match.id, match.confidence)
                )
    # "X succeeds Y as Z": the post named, not every post X holds, is what Y held
    posts += list(_new_and_outgoing(sentences, pairs))
    return posts, [s for s in successions if (s.predecessor, id(s.sentence)) not in handed]


# "the outgoing Head of Mission and Force Commander said", "The new Force Commander": a title
# with no name after it, in a story of one handover
NEW_OR_OUTGOING = re.compile(
    rf"\b(?:(?P<new>new|newly\s+appointed|incoming)|(?P<old>outgoing|departing|previous))\s+"
    rf"(?P<roles>{ROLE}(?:\s*(?:\s+and\s+|\s*[–/]\s*){ROLE})*)(?!\s*,?\s*(?:[A-Z]|⟦P))"
)
HOLDER_BEFORE = re.compile(r"⟦P\d+⟧\s*,\s*(?:the\s+)?$")  # "X, the new head of ...": X's own


def _new_and_outgoing(sentences: list[Sentence], pairs: list[Succession]) -> Iterator[FoundRole]:
    """In a story of a handover, "the new X" is the successor and "the outgoing X" the
    predecessor of the first one told; the post is in the body the title names, else the
    mission (or body) the handover sentence names."""
    if not pairs:
        return
    pair = pairs[0]  # the story's handover is the first one told
    bodies = [m for m in pair.sentence.slots if m.kind == "mission"] or [
        m for m in pair.sentence.slots if m.kind == "organization"
    ]
    for sentence in sentences:
        for m in NEW_OR_OUTGOING.finditer(sentence.text):
            if HOLDER_BEFORE.search(sentence.text[: m.start()]):
                continue
            after = BODY_AFTER.match(sentence.text[m.end() :])
            before = BODY_BEFORE.search(sentence.text[: m.start()])
            found = after or before
            body = sentence.slot(found.group("org")).key if found else (
                bodies[0].key if bodies else UNNAMED
            )
            person = pair.successor if m.group("new") else pair.predecessor
            rule = "post-new-or-outgoing"
            for post in posts_of(person, m.group("roles"), body, rule, sentence, pair.confidence):
                yield replace(post, former=bool(m.group("old")))


def handed_over(successions: list[Succession], posts: list[FoundRole]) -> Iterator[FoundRole]:
    """The post handed over: the one post the article gives the successor, which the
    predecessor held before; or, when only the predecessor's is told ("CSTO Secretary
    General Y was replaced by X"), that one, which the successor now holds."""
    handed: list[FoundRole] = []
    for s in successions:
        # a successor who was a predecessor in turn ("Y, who led it after taking over
        # from Z") hands on the post they held
        passed_on = [p for p in posts if p.rule.startswith(HANDOVERS)] + handed
        held = _appointed_here(posts, s) or _current(posts, s.successor) or _held(
            passed_on, s.successor
        )
        if held:
            for role, body in sorted(held):
                found = FoundRole(s.predecessor, role, body, True, s.rule, s.sentence, s.confidence)
                handed.append(found)
                yield found
            continue
        before = _current(posts, s.predecessor)
        if not held and len(before) == 1:
            role, body = before.pop()
            yield FoundRole(s.successor, role, body, False, s.rule, s.sentence, s.confidence)
            yield FoundRole(s.predecessor, role, body, True, s.rule, s.sentence, s.confidence)


HANDOVERS = ("succession", "post-new-or-outgoing")  # rules that tell a post changing hands


def _appointed_here(posts: list[FoundRole], s: Succession) -> set[tuple[str, str]]:
    """The post an appointment in the succession's own sentence gives the successor ("X, who
    was appointed Deputy Head, taking over from Y"): that one, not every post X holds."""
    return {
        (p.role, p.organization)
        for p in posts
        if p.person == s.successor
        and not p.former
        and p.sentence is s.sentence
        and p.rule.startswith("post-")
    }


def _current(posts: list[FoundRole], person: str) -> set[tuple[str, str]]:
    return {(p.role, p.organization) for p in posts if p.person == person and not p.former}


APPOINTING = set(lexicon.words("appointments.tsv", "appointed"))


def _appointed_title(match: Match) -> bool:
    """ "X was re-elected Chairperson" parsed as "was" + a title the verb qualifies: an
    appointment, not a former post."""
    title = match.tokens.get("title")
    return title is not None and any(c.lower_ in APPOINTING for c in title.children)


def _past(verb) -> bool:
    return verb.tag_ == "VBD" or any(c.dep_ == "aux" and c.lower_ == "had" for c in verb.children)


def _held(posts: list[FoundRole], person: str) -> set[tuple[str, str]]:
    return {(p.role, p.organization) for p in posts if p.person == person}


PRONOUNS = {"he", "she"}


def _person(token, index: MentionIndex) -> Mention | None:
    """The person a token names; "he" or "she" is the last person named as a subject;
    "who" is the relative clause's person ("X of Chad, a former minister, who led ...")."""
    if token.lower_ in PRONOUNS:
        return index.subject_before(token)
    if token.lower_ == "who" and token.head.dep_ == "relcl":
        named = token.head.head
        named = named.head if named.dep_ == "appos" else named
        return index.at(named, "person")
    return _named(token, index)


def _led(sentence: Sentence, match: Match, index: MentionIndex, person: Mention):
    """A post the verb itself names ("who led the mission": its Head), in the body it governs."""
    post, body_token = match.entry.get("post"), match.tokens.get("body")
    if post is None or body_token is None:
        return
    body = index.at(body_token)
    if body is not None and body.kind in ("organization", "mission") and body.key != person.key:
        yield FoundRole(person.key, post, body.key, False, match.id, sentence, match.confidence)


def _predecessor(match: Match, index: MentionIndex) -> Mention | None:
    token = match.tokens.get("predecessor")
    return _named(token, index) if token is not None else None


def _named(token, index: MentionIndex) -> Mention | None:
    """The person a noun names, or its apposition does ("Senegal's president, Ousmane Diallo")."""
    found = index.at(token, "person")
    if found is None:
        for child in token.children:
            if child.dep_ == "appos" and (found := index.at(child, "person")) is not None:
                break
    return found


def _titled(
    sentence: Sentence, match: Match, index: MentionIndex, person: Mention
) -> Iterator[FoundRole]:
    """The posts the match's title names, in the body its words (or "its") point to."""
    token = match.tokens.get("title")
    if token is None:
        return
    position = sentence.position(token.idx)
    if position is None:  # inside a name
        yield from _institution_post(sentence, match, index, person, token)
        return
    pattern = TITLE if token.text[:1].isupper() else TITLE_ANY_CASE
    title = next(
        (m for m in pattern.finditer(sentence.text) if m.start() <= position < m.end()), None
    )
    if title is None:
        return
    roles = title.group("roles")
    words_before = WORDS_AFTER_BODY.search(sentence.text[: title.start()])
    if words_before:  # "was UNIFIL Sector West Commander": the words are the title's
        roles = words_before.group("words") + roles
    body = _body(sentence, title, match, index, words_before)
    if body == person.key:
        return
    if body is None:
        if COUNTRYS.search(sentence.text[: title.start()]):
            return  # "served as Germany's special representative": a country's post
        # "X becomes High Commissioner on National Minorities": the body the article implies
        # (see roles.unnamed_bodies)
        body = UNNAMED
    # "appointed X as his Special Representative for Sudan and Head of UNMIS": the first
    # title, with a complement of its own, is in the body of whoever appointed X
    namer = _namer_body(match, index) if match.id.startswith(NAMING) else None
    yield from posts_of(
        person.key, roles, body, match.id, sentence, match.confidence, own_body=namer
    )


def _institution_post(sentence, match: Match, index: MentionIndex, person: Mention, token):
    """ "becomes High Commissioner on National Minorities": a post the gazetteer knows as an
    institution of a body (the OSCE's); the post is its name, in that body."""
    mention = index.at(token, "organization")
    entry = mention.entry if mention is not None else None
    if entry is None or not entry.parent:
        return
    words = mention.text.split()
    while words and words[0].isupper():
        words.pop(0)  # "OSCE High Commissioner ...": the body's acronym is not the title
    if words and words[0] in TITLE_FIRST_WORDS:
        label = role_label(" ".join(words))
        body = f"gaz:{entry.parent}"
        yield FoundRole(person.key, label, body, False, match.id, sentence, match.confidence)


def _body(
    sentence: Sentence, title: re.Match, match: Match, index: MentionIndex, words_before=None
) -> str | None:
    text = sentence.text
    if words_before is not None:
        return sentence.slot(words_before.group("org")).key
    after = BODY_AFTER.match(text[title.end() :])
    if after:
        return sentence.slot(after.group("org")).key
    before = BODY_BEFORE.search(text[: title.start()]) or BOSS_BEFORE.search(
        text[: title.start()]
    )
    if before:
        return sentence.slot(before.group("org")).key
    if ITS.search(text[: title.start()]):
        # "UNAMA is led by X, who was appointed its Deputy Head": the last body named
        bodies = re.findall(rf"{ORG}", text[: title.start()])
        if bodies:
            return sentence.slot(bodies[-1]).key
    return _namer_body(match, index)


def _namer_body(match: Match, index: MentionIndex) -> str | None:
    """The body of whoever gave the post: "The Council named X its Chairperson"."""
    verb = match.tokens.get("verb")
    if verb is not None and verb.dep_ != "relcl" and not match.id.startswith("succession"):
        # "The Council named Petra Novak its new Chairperson", "The CSTO appointed X as
        # Press Secretary": the body that named her
        if verb.dep_ == "acl":
            body = index.at(verb.head)
            if body is not None and body.kind in ("organization", "mission"):
                return body.key
        # "X announced the appointment of Y as ...": the subject of the verb the noun serves
        namer = verb.head if verb.pos_ == "NOUN" and verb.dep_ in ("dobj", "pobj") else verb
        for child in namer.children:
            if child.dep_ == "nsubj":
                body = index.at(child)
                if body is not None and body.kind in ("organization", "mission"):
                    return body.key
                if body is not None and body.kind == "person" and match.id.startswith(NAMING):
                    # "Guterres appointed Y as his Special Envoy": Guterres's own body
                    return UNNAMED + body.key
    return None


def stated_first(posts: list[FoundRole], implied_by: set[str]) -> list[FoundRole]:
    """A post a verb implies ("who has headed the Commission": Head) yields to the title
    the article gives the same person in the same body ("Chairperson of the Commission")."""
    stated = {(p.person, p.organization) for p in posts if p.rule not in implied_by}
    return [
        p for p in posts if p.rule not in implied_by or (p.person, p.organization) not in stated
    ]


def fullest_titles(posts: list[FoundRole]) -> list[FoundRole]:
    """ "the newly appointed Special Representative" when the same person holds "Special
    Representative of the Secretary General" there: the fuller title is the post."""
    return [
        p
        for p in posts
        if not any(
            q.person == p.person
            and q.organization == p.organization
            and q.role.startswith(p.role + " ")
            for q in posts
        )
    ]
