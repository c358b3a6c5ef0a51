"""Whether a gathering really happened: read along the parse from its trigger word.

"The summit was postponed", "no meeting took place", "the two did not meet", "the
minister could visit Baku if invited", "denied reports of talks": no event. "Xi did
not attend the summit", "Turkmenistan stayed away": the summit happened, without
them. The cue words are data (``data/modality.tsv``); this module knows only how far
a cue reaches: from the trigger up its chain of heads to the verb of its clause
(through "to"-infinitives: "decided to postpone the visit"), but not out of a
prepositional phrase ("they may meet at the summit" says nothing of the summit).
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract import lexicon

# "informed Y about the meeting", "briefed Y on the talks": what was told of
REPORTED_VIA = {"about", "on"}
# where a clause ends: a cue above it belongs to another clause ("could visit X, but met Y":
# "met" is a conjunct of its own)
CLAUSE = {"ROOT", "ccomp", "advcl", "relcl", "acl", "parataxis", "csubj"}


def _cues(kind: str) -> set[str]:
    return {w.lower() for w in lexicon.words("modality.tsv", kind)}


class Modality:
    """The cue lists, read once."""

    def __init__(self) -> None:
        self.unreal = {k: _cues(k) for k in ("cancelled", "denied", "hypothetical")}
        self.modal, self.condition = _cues("modal"), _cues("condition")
        self.occurs, self.attends = _cues("occurs"), _cues("attends")
        self.absent, self.negation = _cues("absent"), _cues("negation")
        self.speech = _cues("speech")
        # the verbs of the two-word cues ("called" of "called off"), to look no further
        # at a word that begins none
        phrases = set().union(self.absent, *self.unreal.values())
        self.phrase_heads = {phrase.split()[0] for phrase in phrases if " " in phrase}
        self.absence_words = self.attends | self.absent | self.phrase_heads

    def reported(self, sentence_tokens) -> list[tuple[Token, Token]]:
        """(verb of speech, root of what it reports) in a sentence: "said that ...",
        "informed Y about ...", "told reporters the talks ..."."""
        out = []
        for token in sentence_tokens:
            if token.lower_ not in self.speech:
                continue
            for child in token.children:
                if child.dep_ == "ccomp" or (
                    child.dep_ == "prep" and child.lower_ in REPORTED_VIA and not _a_date(child)
                ):
                    out.append((token, child))
        return out

    def unreal_reason(self, trigger: Token) -> str | None:
        """Why the gathering named by ``trigger`` is no event (None: it is one)."""
        if self._nothing_set_for(trigger):
            return "hypothetical"
        for node in _clause_chain(trigger):
            for kind, words in self.unreal.items():
                if self._says(node, words):
                    return kind
            negated = self._negated(node)
            if negated and (node.i == trigger.i or node.lower_ in self.occurs):
                return "negated"
            if any(c.dep_ == "aux" and c.text in self.modal for c in node.children):
                return "hypothetical"  # "could meet"; "On 3 May the envoy held" is no modal
            if any(c.dep_ == "mark" and c.lower_ in self.condition for c in node.children):
                return "hypothetical"
        return None

    def absentees(self, sentence_tokens) -> list[Token]:
        """Subjects who did not take part: "did not attend", "stayed away from"."""
        out = []
        for token in sentence_tokens:
            if token.lower_ not in self.absence_words:
                continue
            staying_away = self._says(token, self.absent)
            not_attending = token.lower_ in self.attends and self._negated(token)
            if staying_away or not_attending:
                out += [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
        return out

    def _says(self, node: Token, words: set[str]) -> bool:
        """The node is one of the words, alone or with its particle ("called off")."""
        word = node.lower_
        if word in words:
            return True
        if word not in self.phrase_heads:
            return False
        return any(
            c.dep_ in ("prt", "advmod") and f"{word} {c.lower_}" in words for c in node.children
        )

    def _nothing_set_for(self, trigger: Token) -> bool:
        """ "no date was set for the next summit", "no time has been fixed for the talks"."""
        if trigger.dep_ != "pobj" or trigger.head.lower_ != "for":
            return False
        verb = trigger.head.head
        return any(c.dep_ in ("nsubj", "nsubjpass") and self._negated(c) for c in verb.children)

    def _negated(self, node: Token) -> bool:
        return any(
            c.dep_ in ("neg", "det") and c.lower_ in self.negation for c in node.children
        )


def _a_date(preposition: Token) -> bool:
    """ "briefed ... on 5 March": when, not what about."""
    return any(c.dep_ == "pobj" and c.ent_type_ in ("DATE", "TIME") for c in preposition.children)


def _clause_chain(token: Token):
    """The token and its heads up to the verb of its clause."""
    node = token
    for _ in range(8):
        yield node
        if node.head.i == node.i:  # the root (tokens are new objects on each access)
            return
        if node.dep_ in CLAUSE and node.i != token.i:
            return
        if node.dep_ == "conj" and node.pos_ in ("VERB", "AUX"):
            return
        if node.dep_ == "pobj" and node.head.lower_ != "of":
            return  # "may meet at the summit": the summit is real either way
        node = node.head
