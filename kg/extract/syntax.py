"""Constructions over the dependency parse, kept as data and run with spaCy's DependencyMatcher.

Each line of a pattern file (``data/posts.jsonl``) is one
construction: an ``id`` (what ``--explain`` and ``kgo:extractedBy`` name), an
``example`` sentence, a ``confidence`` and a DependencyMatcher ``pattern`` whose
nodes are named after their part ("person", "title", "predecessor"...). A value
"@kind" stands for the words of that kind in the TSV vocabularies, so one list of
appointment verbs serves every pattern. Pipelines without a parser get no matches:
the rules over slotted text still run (the plain fallback).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy
from spacy.attrs import DEP, HEAD, POS, TAG
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Span, Token

from kg.extract import lexicon
from kg.extract.sentences import has_parse

if TYPE_CHECKING:
    from kg.extract.mentions import Mention

VOCABULARIES = ("appointments.tsv", "modality.tsv", "triggers.tsv")


def _expand(value):
    """The pattern with every "@kind" replaced by its word list."""
    if isinstance(value, str) and value.startswith("@"):
        kind = value[1:]
        found = [w for name in VOCABULARIES for w in _words(name, kind)]
        if not found:
            raise lexicon.ExtractionError(
                f"a pattern names the vocabulary {value!r}, which no rule file defines",
                f"add rows of kind {kind!r} to one of {', '.join(VOCABULARIES)}",
            )
        return found
    if isinstance(value, dict):
        return {k: _expand(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v) for v in value]
    return value


def _words(name: str, kind: str) -> list[str]:
    rows = lexicon.table(name)
    if not rows:
        return []
    column = "kind" if "kind" in rows[0] else "flags"
    return [w.lower() for w in lexicon.words(name, kind, column)]


def _first_words(pattern: list[dict]) -> set[str]:
    """The words the first word-constrained node of a pattern may be (every match has one)."""
    for node in pattern:
        lower = node.get("RIGHT_ATTRS", {}).get("LOWER")
        if isinstance(lower, str):
            return {lower}
        if isinstance(lower, dict) and "IN" in lower:
            return set(lower["IN"])
    raise lexicon.ExtractionError(
        "a pattern constrains no node's word (LOWER)",
        "give at least one node a LOWER value or list, so sentences can be skipped quickly",
    )


@dataclass
class Match:
    entry: dict  # the pattern file's line
    tokens: dict[str, Token]  # its nodes by name

    @property
    def id(self) -> str:
        return self.entry["id"]

    @property
    def confidence(self) -> float:
        return float(self.entry.get("confidence", 0.7))


class Constructions:
    """The constructions of one pattern file, matched against parsed documents."""

    def __init__(self, vocab, name: str) -> None:
        self.entries = {e["id"]: e for e in lexicon.patterns(name)}
        # constructions whose verb implies the post ("led the mission": Head)
        self.implying_posts = {key for key, e in self.entries.items() if "post" in e}
        # one matcher per set of cue words (the verbs the patterns start from), run only on
        # documents holding one of them: the matcher is the costly part
        groups: dict[frozenset[str], DependencyMatcher] = {}
        for key, entry in self.entries.items():
            pattern = _expand(entry["pattern"])
            matcher = groups.setdefault(frozenset(_first_words(pattern)), DependencyMatcher(vocab))
            try:
                matcher.add(key, [pattern])
            except (ValueError, KeyError) as error:
                raise lexicon.ExtractionError(
                    f"{lexicon.path_of(name)}: pattern {key!r} is not a valid"
                    f" DependencyMatcher pattern: {str(error).splitlines()[0]}",
                    "see https://spacy.io/usage/rule-based-matching#dependencymatcher",
                ) from None
        # cue words as the vocabulary's hashes, to compare with a document's LOWER array
        self.matchers = [
            ({vocab.strings.add(w) for w in words}, matcher) for words, matcher in groups.items()
        ]
        self.cue_words = set().union(*(words for words, _ in self.matchers))

    def __call__(self, doc: Doc) -> list[Match]:
        if not has_parse(doc):
            return []
        lower = doc.to_array("LOWER").tolist()
        # a matcher runs over the sentences holding one of its cue words only (it costs in
        # proportion to the tokens it scans); on a sentence it gives positions within it
        sentences = [
            (sent, words)
            for sent in doc.sents
            if not (words := set(lower[sent.start : sent.end])).isdisjoint(self.cue_words)
        ]
        # a matcher given a Span copies it into a Doc by way of the whole document's
        # arrays and entities, so its cost grew with the square of an article's length;
        # these copies come from one array and cost what their sentence is long
        array = doc.to_array(_COPIED)
        copies: dict[int, Doc] = {}
        out = []
        for cue_words, matcher in self.matchers:
            for sent, words in sentences:
                if words.isdisjoint(cue_words):
                    continue
                if sent.start not in copies:
                    copies[sent.start] = _sentence_doc(sent, array)
                for key, token_ids in matcher(copies[sent.start]):
                    entry = self.entries[doc.vocab.strings[key]]
                    names = [node["RIGHT_ID"] for node in entry["pattern"]]
                    tokens = {n: doc[sent.start + i] for n, i in zip(names, token_ids, strict=True)}
                    out.append(Match(entry, tokens))
        return sorted(out, key=lambda m: min(t.i for t in m.tokens.values()))


_COPIED = [TAG, POS, DEP, HEAD]  # what the constructions' patterns read, with the heads


def _sentence_doc(sent: Span, array: numpy.ndarray) -> Doc:
    """A sentence as a Doc of its own, from the document's array of ``_COPIED``; a head
    outside the sentence makes its token a root there."""
    part = array[sent.start : sent.end].copy()
    heads = part[:, 3].view(numpy.int64)
    positions = numpy.arange(len(part))
    outside = (positions + heads < 0) | (positions + heads >= len(part))
    heads[outside] = 0
    part[outside, 2] = sent.doc.vocab.strings.add("ROOT")
    copy = Doc(sent.doc.vocab, words=[t.text for t in sent],
               spaces=[bool(t.whitespace_) for t in sent])
    copy.from_array(_COPIED, part)
    return copy


class MentionIndex:
    """The mention each token falls in (the outermost, so "CSTO Joint Staff", not "CSTO")."""

    def __init__(self, doc: Doc, mentions: list[Mention]) -> None:
        self._by_sex: dict[str, set[str]] | None = None
        self.by_token: dict[int, Mention] = {}
        for mention in sorted(mentions, key=lambda m: m.end - m.start):
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            for token in span or ():
                self.by_token[token.i] = mention

    def subject_before(self, token: Token, reach: int = 1000) -> Mention | None:
        """The person last named as the subject of a clause before ``token``: whom "he"
        or "she" most likely means (within ``reach`` characters). A person the article
        calls "Mr." is no "she", one it calls "Ms." or "Mrs." no "he"."""
        sexes = self._sexes(token.doc)
        other = sexes.get({"he": "she", "she": "he"}.get(token.lower_, ""), set())
        same = sexes.get(token.lower_, set())
        # "Guterres announced the appointment of Anna Weiss ... She succeeds ...": the one
        # the article calls "Ms." is "she", though named after the subject
        named_since: Mention | None = None
        # "The Council elected X Director. He replaces Y": with no person as a subject
        # before, the last person named in the sentence before
        last_named: Mention | None = None
        for earlier in reversed(token.doc[: token.i]):
            if earlier.idx < token.idx - reach:
                break
            mention = self.at(earlier, "person")
            if mention is None or mention.key in other:
                continue
            if earlier.dep_ in ("nsubj", "nsubjpass"):
                return named_since if named_since and mention.key not in same else mention
            if mention.key in same and named_since is None:
                named_since = mention
            if last_named is None and earlier.sent.start < token.sent.start:
                last_named = mention
        return named_since or last_named

    def _sexes(self, doc: Doc) -> dict[str, set[str]]:
        """Persons by the pronoun their honorific calls for ("Ms. Weiss": "she")."""
        if self._by_sex is None:
            self._by_sex = {"he": set(), "she": set()}
            for token in doc:
                word = token.text.rstrip(".").lower()
                pronoun = "he" if word == "mr" else "she" if word in ("ms", "mrs") else None
                if pronoun and token.i + 1 < len(doc):
                    mention = self.at(doc[token.i + 1], "person")
                    if mention is not None:
                        self._by_sex[pronoun].add(mention.key)
        return self._by_sex

    def at(self, token: Token, kind: str | None = None) -> Mention | None:
        mention = self.by_token.get(token.i)
        return mention if mention is not None and (kind is None or mention.kind == kind) else None
