"""Posts named in place of their holder: "the CSTO Secretary General said ...".

The rules link such a phrase to a person only when the same article names the holder.
When it does not, the phrase still says who spoke: whoever held the post on the
article's date. This module finds those phrases, last, in an extraction (its text and
the organizations' mentions): ``Extraction.post_references``. The store then links each
to the holder the graph knows (``kgo:HolderResolution``), a function of all articles, so
that part is derived there.

Only posts a single person holds at a time are read (the leading posts of the rule data:
Secretary General, Chair, Head of Mission...): "the UN Special Envoy" may be any of many.
"""

from __future__ import annotations

import re

from kg.extract import lexicon
from kg.extract.names import role_label
from kg.facts import Evidence, Extraction, PostReference, Span

RULE = "post-unnamed"
CONFIDENCE = 0.8

_SINGLE_HOLDER = sorted(lexicon.words("names.tsv", "leader"), key=len, reverse=True)
# a title as written: hyphens and spaces alike ("Secretary-General")
_TITLE = "|".join("[- ]".join(map(re.escape, re.split(r"[- ]", t))) for t in _SINGLE_HOLDER)
# "the Secretary General of the " right before the body's name
_TITLE_OF = re.compile(rf"\b[Tt]he\s+(?P<title>{_TITLE})\s+of\s+(?:the\s+)?$")
# "the " right before the body's name, and " Secretary General" right after it, not
# followed by a name or another title word ("the CSTO Secretary General Stanislav Zas")
_THE = re.compile(r"\b[Tt]he\s+$")
_TITLE_AFTER = re.compile(rf"(?:['’]s)?\s+(?P<title>{_TITLE})(?![\w-])(?!\s*,?\s+[A-Z])")
# what may stand between a post and its holder's name: ", Secretary General Stanislav Zas",
# " – Executive Secretary of the CIS Sergey Lebedev", " (SMM), Yasar Cevik" (titles and
# acronyms, no verb, no stop)
_APPOSITION = re.compile(
    r"[\s,–—-]*(?:(?:[A-Z][\w'’-]*|\([A-Z]{2,12}\)|of|the|and|for|to)[\s,–—-]*){0,10}")
# where a sentence ends: a stop and a space, or a line break
_STOP = re.compile(r"[.!?][\"”’)]?\s+|\n")


def _sentence(text: str, start: int, end: int) -> Span:
    """The sentence around ``start``-``end`` (a plain split on stops and line breaks)."""
    before = [m.end() for m in _STOP.finditer(text, 0, start)]
    after = _STOP.search(text, end)
    stop = after.start() + 1 if after and after.group()[0] in ".!?" else (
        after.start() if after else len(text))
    return Span(before[-1] if before else 0, stop)


def post_references(extraction: Extraction) -> list[PostReference]:
    """Each post of a body named without its holder, once per article and post (its
    sentences as evidence), when the article itself names no holder of that post."""
    text = extraction.document.text
    named = {(m.role, m.organization) for m in extraction.memberships}
    people = sorted(m.start for e in extraction.entities.values() if e.kind == "person"
                    for m in e.mentions)
    found: dict[tuple[str, str], PostReference] = {}
    for key, entity in extraction.entities.items():
        if entity.kind not in ("organization", "mission"):
            continue
        for mention in entity.mentions:
            head = text[max(0, mention.start - 80):mention.start]
            m = _TITLE_OF.search(head)
            title = m["title"] if m else None
            start = mention.start - len(head) + m.start() if m else mention.start
            if title is None and _THE.search(head):
                after = _TITLE_AFTER.match(text, mention.end)
                if after:
                    title = after["title"]
                    start = mention.start - len(_THE.search(head).group())
            if title is None:
                continue
            role = role_label(title)
            if (role, key) in named or _holder_follows(text, mention.end, people):
                continue  # the article names the holder: extraction linked it, or should
            sentence = _sentence(text, start, mention.end)
            reference = found.setdefault(
                (role, key), PostReference(role, key, Evidence(sentence, RULE, CONFIDENCE)))
            if sentence != reference.evidence.sentence:
                reference.more.append(sentence)
    return list(found.values())


def _holder_follows(text: str, end: int, people: list[int]) -> bool:
    """Whether a person's name follows the post with only titles between ("the Head of the
    CSTO Mission, Secretary General Stanislav Zas"): the holder is named, not unnamed."""
    following = [start for start in people if end <= start <= end + 120]
    return bool(following) and _APPOSITION.fullmatch(text, end, following[0]) is not None
