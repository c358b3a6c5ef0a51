"""Sentences with their names replaced by slots, the form the role and event rules read.

"CSTO Secretary General Stanislav Zas met Zhang Ming" becomes
"⟦O0⟧ Secretary General ⟦P1⟧ met ⟦P2⟧": the rules are regular expressions
over words and slots, short enough to read, and each slot points back to its
mention and entity.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from kg.extract.mentions import Mention, SpanIndex

SLOT_LETTER = {"person": "P", "organization": "O", "mission": "M", "place": "L"}
SLOT = re.compile(r"⟦([POML])(\d+)⟧")
# dependency labels that start a clause of their own
CLAUSE_LINKS = {"ROOT", "ccomp", "advcl", "relcl", "acl", "parataxis", "csubj", "xcomp", "conj"}


def has_parse(doc) -> bool:
    """Whether the pipeline parsed ``doc``, asked once per Doc: spaCy's
    ``has_annotation("DEP")`` scans every token of a Doc without a parse, and asked for
    each sentence it made the rules quadratic in the length of a text read with
    ``blank:en`` (4,000 one-line items: 75 s)."""
    found = doc.user_data.get("kg_has_parse")
    if found is None:
        found = doc.user_data["kg_has_parse"] = doc.has_annotation("DEP")
    return found


@dataclass
class Sentence:
    start: int
    end: int
    text: str  # with slots
    slots: list[Mention] = field(default_factory=list)
    item: int = 0  # index of the news item it belongs to
    paragraph: int = 0
    subject: Mention | None = None  # the person the parser takes for the main clause's subject
    span: object = None  # the spaCy Span it was read from, for its parse
    headed: bool = False  # in a news item headed by the day it tells of (a diary, a digest)

    _clauses: dict = field(default_factory=dict, repr=False, compare=False)
    _slot_runs: list | None = field(default=None, repr=False, compare=False)

    def clause(self, position: int) -> int | None:
        """The clause a position of the slotted text sits in (the index of the clause's
        head token), None without a parse."""
        if position not in self._clauses:
            self._clauses[position] = self._clause(position)
        return self._clauses[position]

    def _clause(self, position: int) -> int | None:
        token = self.token_at(position)
        if token is None or not has_parse(token.doc):
            return None
        return clause_head(token).i

    def token_at(self, position: int):
        """The parsed token at a position of the slotted text, None without a span."""
        return self.token_at_offset(self.offset(position))

    def token_at_offset(self, offset: int):
        """The parsed token at a character offset of the document, None without a span."""
        if self.span is None:
            return None
        tokens = self.span.doc.char_span(offset, offset + 1, alignment_mode="expand")
        return tokens[0] if tokens else None

    def slot(self, token: str) -> Mention:
        m = SLOT.fullmatch(token)
        if m is None:
            raise ValueError(token)
        return self.slots[int(m.group(2))]

    def plain(self, text: str) -> str:
        """Slotted text with each slot as the words it stands for."""
        return SLOT.sub(lambda m: self.slots[int(m.group(2))].text, text)

    def mentions_in(self, text: str) -> list[Mention]:
        return [self.slots[int(m.group(2))] for m in SLOT.finditer(text)]

    def offset(self, position: int) -> int:
        """Slot text position → the character offset in the document (a position inside
        a slot gives the start of its mention)."""
        if self._slot_runs is None:
            # (slot start, slot end, its mention's start, the shift after it), once
            self._slot_runs = []
            for m in SLOT.finditer(self.text):
                mention = self.slots[int(m.group(2))]
                self._slot_runs.append((m.start(), m.end(), mention.start, mention.end - m.end()))
        index = bisect_left(self._slot_runs, (position,)) - 1
        if index < 0:
            return position + self.start
        start, end, mention_start, shift = self._slot_runs[index]
        return mention_start if position < end else position + shift

    def position(self, offset: int) -> int | None:
        """A character offset in the document → its position in the slotted text (None
        when it falls inside a slot)."""
        shift = self.start
        for m in SLOT.finditer(self.text):
            mention = self.slots[int(m.group(2))]
            if offset < mention.start:
                break
            if offset < mention.end:
                return None
            shift = mention.end - m.end()
        return offset - shift


def clause_head(token):
    """The head of the clause a token sits in (a conjoined verb heads its own)."""
    node = token
    for _ in range(len(token.sent)):
        if node.head.i == node.i:
            return node
        if node.dep_ in CLAUSE_LINKS and (node.dep_ != "conj" or node.pos_ in ("VERB", "AUX")):
            return node
        node = node.head
    return node


def slotted(
    start: int, end: int, text: str, mentions: list[Mention] | SpanIndex
) -> Sentence:
    """The sentence text[start:end] with each top-level mention inside it as a slot."""
    if not isinstance(mentions, SpanIndex):
        mentions = SpanIndex(mentions)
    inside = sorted(
        (m for m in mentions.starting_in(start, end) if m.end <= end and not m.nested),
        key=lambda m: (m.start, -m.end),  # the longer of two mentions starting together
    )
    parts, slots, cursor = [], [], start
    for m in inside:
        if m.start < cursor:
            continue
        parts.append(_unslotted(text[cursor : m.start]))
        parts.append(f"⟦{SLOT_LETTER[m.kind]}{len(slots)}⟧")
        slots.append(m)
        cursor = m.end
    parts.append(_unslotted(text[cursor:end]))
    return Sentence(start, end, "".join(parts), slots)


def _unslotted(text: str) -> str:
    """Text between slots, with any slot brackets the article itself holds made plain
    (same length, so positions stay), so "⟦L0⟧" in an article is no slot."""
    return text.replace("⟦", "[").replace("⟧", "]")


def named_most(sentences: list[Sentence]) -> str | None:
    """The person an article names most often (of two as often, the one named first): whom
    the story is about, for "his", "the envoy" and the like."""
    counts: dict[str, int] = {}
    for sentence in sentences:
        for mention in sentence.slots:
            if mention.kind == "person":
                counts[mention.key] = counts.get(mention.key, 0) + 1
    return max(counts, key=lambda key: counts[key]) if counts else None
