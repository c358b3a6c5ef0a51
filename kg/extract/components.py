"""spaCy components newskg adds to any pipeline.

News text breaks lines at headlines, date lines and paragraph ends; the parser
alone would run a headline into the first sentence. ``kg_newlines`` starts a
sentence after every line break, before the parser decides the rest.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

SHORT_LINE = 12  # tokens; a headline, date line or signature, kept whole


@Language.component("kg_newlines")
def newline_sentences(doc: Doc) -> Doc:
    line: list = []
    for token in doc:
        if "\n" in token.text:
            _close_line(line)
            line = []
            if token.i + 1 < len(doc):
                doc[token.i + 1].is_sent_start = True
        else:
            line.append(token)
    _close_line(line)
    return doc


def _close_line(tokens: list) -> None:
    """A short line without a full stop inside is one sentence: "19 Dec 2019"; a dateline
    ("VIENNA, 12 March 2024 – The ...") stays with the sentence it opens."""
    _keep_dateline(tokens)
    if not tokens or len(tokens) > SHORT_LINE:
        return
    if any(t.text in (".", "!", "?") for t in tokens[:-1]):
        return
    for token in tokens[1:]:
        token.is_sent_start = False


DASHES = {"–", "—", "-", "--"}


def _keep_dateline(tokens: list) -> None:
    """No sentence starts inside "VIENNA, 12 March 2024 –" at the head of a line."""
    if len(tokens) < 4 or not (tokens[0].is_upper and tokens[0].is_alpha):
        return
    head = tokens[:12]
    dash = next((i for i, t in enumerate(head) if t.text in DASHES), None)
    if dash is None or not any(t.text == "," for t in head[:dash]):
        return
    if not any(t.like_num for t in head[:dash]):
        return
    for token in tokens[1 : dash + 2]:
        token.is_sent_start = False


def add_to(nlp: Language) -> None:
    """Add our components where they belong; a pipeline without a parser gets a sentencizer."""
    if "kg_newlines" in nlp.pipe_names:
        return
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("kg_newlines", before="parser")
    else:
        nlp.add_pipe("kg_newlines")
        if "senter" not in nlp.pipe_names and "sentencizer" not in nlp.pipe_names:
            nlp.add_pipe("sentencizer")
