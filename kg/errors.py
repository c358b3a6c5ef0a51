"""One exception family for everything a user can get wrong or the world can break.

Every error carries a message (what went wrong, naming the input) and a hint
(what to do about it). Only the edges (``kg.cli``, the server) translate these
into exit codes or HTTP statuses; the library raises and never prints.
"""

from __future__ import annotations


class KGError(Exception):
    """Base of every error newskg raises on purpose."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UsageError(KGError):
    """The command was asked for something it cannot do as asked (exit code 2)."""


class InputError(KGError):
    """A source (file, line, page) cannot be read as an article."""


class StoreError(KGError):
    """The store cannot be opened, is locked, or a write failed."""


class QueryError(KGError):
    """A SPARQL query is invalid, or a named query or parameter is unknown."""


class ExtractionError(KGError):
    """The NLP pipeline cannot be loaded or failed on a document."""
