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


class NotAnArticle(InputError):
    """A file in a folder that is no kind of article kg reads (a .docx, a .json): reported
    and left out, which fails nothing."""


class InputWarning(KGError):
    """A source was read, but on a guess the user should check (a weak encoding guess)."""


class StoreError(KGError):
    """The store cannot be opened, is locked, or a write failed."""


class QueryError(KGError):
    """A SPARQL query is invalid, or a named query or parameter is unknown."""


class QueryUsageError(QueryError, UsageError):
    """A query asked for in a way the command cannot take: an unknown named query or
    parameter, a missing or malformed parameter, an update given to a read-only command
    (a usage mistake: exit code 2)."""


class ExtractionError(KGError):
    """The NLP pipeline cannot be loaded or failed on a document."""


class NotFoundError(KGError):
    """The graph or resource asked for is not in the store."""


class QueryTimeout(KGError):
    """A query ran past its time limit and was stopped."""


class RemoteStoreError(StoreError):
    """A remote SPARQL store (``--store URL``) could not be reached, refused kg's
    credentials, failed, or answered something that is not SPARQL: the fault lies
    beyond this process (``kg serve`` answers 502 Bad Gateway)."""


class RemoteTimeout(QueryTimeout):
    """A remote SPARQL store did not answer within the time limit (``kg serve`` answers
    504 Gateway Timeout). The query may still be running there."""


class ResultTooLarge(KGError):
    """A result has more rows than the configured limit allows."""


class NotAcceptable(KGError):
    """No format the client accepts can carry the result."""


class UnsupportedMediaType(KGError):
    """The request body comes in a media type this endpoint does not read."""


class RequestError(KGError):
    """A protocol request is malformed: two queries, a query and an update, a bad IRI."""


class Refused(KGError):
    """The operation is understood but switched off here (writes, SERVICE, LOAD)."""


class Unauthorized(KGError):
    """A write came without credentials."""


class Forbidden(KGError):
    """A write came with credentials that do not match."""


class BodyTooLarge(KGError):
    """A request body is larger than the endpoint accepts."""


class CurationError(KGError):
    """The curation file cannot be read, or a statement in it makes no sense (the message
    names the file and line)."""


class CurationUsageError(CurationError, UsageError):
    """A curation statement given on the command line is malformed (exit code 2)."""
