"""spaCy components newskg adds to any pipeline.

News text breaks lines at headlines, date lines and paragraph ends; the parser
alone would run a headline into the first sentence. ``kg_newlines`` starts a
sentence after every line break, before the parser decides the rest.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("kg_newlines")
def newline_sentences(doc: Doc) -> Doc:
    for token in doc[:-1]:
        if "\n" in token.text or "\n" in token.whitespace_:
            doc[token.i + 1].is_sent_start = True
    return doc


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
