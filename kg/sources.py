"""Read news sources (files, folders, standard input) into Documents.

``read_sources`` yields a Document per article and an InputError per input it
cannot read, and never raises for bad input: one broken file must not stop an
ingest of thousands. What happens with each kind of bad input:

- missing path: an error naming it.
- unknown extension: an error when the file is named explicitly; skipped
  silently inside a folder (as are hidden files and folders). A folder with
  no readable articles at all is an error.
- unreadable file (permissions, I/O): an error with the system's reason.
- larger than MAX_BYTES: an error with a hint to split it. For .jsonl the limit
  applies to each line, and the file is streamed, so only that line fails.
- empty or whitespace-only: "empty file".
- binary (a NUL byte, or many control characters, and no UTF-16/32 byte-order
  mark): "looks like a binary file".
- encoding: UTF-8 (with or without BOM) is read as is, UTF-16/32 with a BOM is
  decoded, and so is UTF-16 without one when its NUL bytes (the high bytes of
  ASCII characters) all fall on one side of each pair and the result reads as
  text. A file that is UTF-8 apart from a few bad bytes (it has valid
  multi-byte characters and at most one bad sequence per 100 characters) is
  read with U+FFFD in place of the bad bytes: it is UTF-8 with damage, and a
  legacy decoding would garble every other non-ASCII character. Otherwise the
  encoding the caller names (``kg ingest --encoding``) is used, else an HTML
  page's declared charset is tried, then charset-normalizer; when that is not
  confident (mixed encodings, say): "cannot decode ... as text" with an iconv
  hint. A weak guess (other encodings read the bytes as well but as other text,
  or no language is recognized) is read, and an InputWarning naming the file,
  the encoding guessed, a word as each reads it and how to fix it goes to the
  caller's ``warn``. JSON lines must be UTF-8 (with the same tolerance for damage).
- HTML with no article text (nothing extracted, or only link texts):
  "no article text found".
- a bad .jsonl line (bad JSON, not an object, no text/html, a field of the
  wrong type, a bad date): an error naming "path:LINE"; the other lines are
  still read. Blank lines are ignored.

Standard input ("-") is sniffed: JSON lines if its first non-blank character is
"{", HTML if it starts with an HTML tag, plain text otherwise. Its articles have
no file to point at, so without a URL of their own their url is an RFC 6920
``ni:`` content-hash URI: deterministic, so piping the same text twice gives
the same article.
"""

from __future__ import annotations

import base64
import codecs
import hashlib
import io
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO, cast

import charset_normalizer

from kg.datelines import date_line, dateline, dateline_by_weekday, trailing_date
from kg.errors import InputError, InputWarning, NotAnArticle
from kg.facts import Document

if TYPE_CHECKING:
    from lxml.html import HtmlElement

MAX_BYTES = 20 * 1024 * 1024
STDIN = "-"
STDIN_SOURCE = "<stdin>"
KINDS = {
    ".txt": "text",
    ".md": "text",
    ".markdown": "text",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
DATE_WINDOW = 5  # non-empty lines at the top where a date line or dateline counts
SNIFF_BYTES = 64 * 1024
MAX_BAD_UTF8 = 0.01  # bad sequences per character still read as damaged UTF-8
MAX_CONTROL = 0.05  # share of control bytes above which a file is binary
MAX_LINK_SHARE = 0.5  # share of extracted HTML text that is link texts: a page of links

_SIZE_HINT = "split it into smaller files, or put one article per line in a .jsonl file"
_ICONV_HINT = "convert it to UTF-8, e.g. iconv -f cp1251 -t utf-8 FILE > FILE.utf8"
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL_BYTES = bytes(set(range(32)) - {9, 10, 11, 12, 13, 27}) + b"\x7f"
_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    bool: "a boolean",
    int: "a number",
    float: "a number",
    type(None): "null",
}


@dataclass(frozen=True)
class Decoding:
    """How to read text that is not UTF-8: ``encoding`` names it instead of a guess;
    ``warn`` hears of every weak guess (before the Document read with it)."""

    encoding: str | None = None
    warn: Callable[[InputWarning], None] | None = None


def read_sources(
    paths: Sequence[str], stdin: TextIO | BinaryIO | None = None, *,
    decoding: Decoding | None = None,
) -> Iterator[Document | InputError]:
    """Yield a Document per article, or an InputError per unreadable input.

    Never raises for bad input, so one broken file cannot stop a long ingest.
    """
    how = decoding or Decoding()
    for given in paths:
        if given == STDIN:
            yield from _read_stdin(stdin if stdin is not None else sys.stdin, how)
        else:
            yield from _read_path(given, how)


def check_encoding(name: str) -> str:
    """The codec's canonical name, or a UsageError for a name Python does not know."""
    from kg.errors import UsageError

    try:
        return codecs.lookup(name).name
    except LookupError:
        raise UsageError(f"unknown encoding {name!r}",
                         "name a Python codec, e.g. cp1252, cp1250, cp1251, koi8-r,"
                         " iso-8859-15, utf-16") from None


def count_articles(paths: Sequence[str]) -> int | None:
    """How many articles ``read_sources`` will yield at most, for a progress bar; None
    when standard input is among the paths. Cheap: names and, for .jsonl, line counts."""
    total = 0
    for given in paths:
        if given == STDIN:
            return None
        path = Path(given)
        files = (p for p in _walk(path) if isinstance(p, Path)) if path.is_dir() else [path]
        for file in files:
            total += _count_lines(file) if _kind(file) == "jsonl" else 1
    return total


def _count_lines(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    except OSError:
        return 1


# --- paths, folders, streams ---------------------------------------------------------------


def _read_path(given: str, how: Decoding) -> Iterator[Document | InputError]:
    path = Path(given)
    try:
        is_dir, exists = path.is_dir(), path.exists()
    except OSError as err:
        yield _os_error(given, err)
        return
    if is_dir:
        yield from _read_folder(given, path, how)
    elif not exists:
        yield InputError(
            f"no such file or directory: {given}", "check the path; use - to read standard input"
        )
    elif _kind(path) is None:
        yield InputError(f"unknown file type: {given}", f"supported: {' '.join(KINDS)}")
    else:
        yield from _read_file(given, path, how)


def _read_folder(given: str, folder: Path, how: Decoding) -> Iterator[Document | InputError]:
    found = False
    for item in _walk(folder):
        if isinstance(item, InputError):
            yield item
        else:
            found = True
            yield from _read_file(str(item), item, how)
    if not found:
        yield InputError(
            f"no articles found in folder {given}", f"files must end in one of {' '.join(KINDS)}"
        )


def _walk(folder: Path) -> Iterator[Path | InputError]:
    """Known files depth-first by name, so the order (and so the store) is reproducible.

    Hidden entries are skipped, and symlinked folders are not followed (no cycles).
    """
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as err:
        yield _os_error(str(folder), err)
        return
    for entry in entries:
        path = folder / entry.name
        if entry.name.startswith("."):
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(path)
        elif entry.is_symlink() and not path.exists():
            yield InputError(f"{path} is a link to nothing (its target is gone)",
                             "remove the link or restore what it points to")
        elif _kind(path) is None:
            yield NotAnArticle(f"{path}: {path.suffix or 'a name without an extension'} is no"
                               " kind of article kg reads",
                               f"articles end in one of {' '.join(KINDS)}; convert the file"
                               " if it is one")
        elif entry.is_file():
            yield path


def _kind(path: Path) -> str | None:
    return KINDS.get(path.suffix.lower())


def _read_file(source: str, path: Path, how: Decoding) -> Iterator[Document | InputError]:
    try:
        with path.open("rb") as stream:
            yield from _read_stream(source, stream, _kind(path) or "text",
                                    path.resolve().as_uri(), how)
    except OSError as err:
        yield _os_error(source, err)


def _read_stdin(stream: TextIO | BinaryIO, how: Decoding) -> Iterator[Document | InputError]:
    try:
        binary = _binary(stream)
        head = binary.read(SNIFF_BYTES)
        replayed = io.BufferedReader(_Replayed(head, binary))
        yield from _read_stream(STDIN_SOURCE, replayed, _sniff(head), None, how)
    except OSError as err:
        yield _os_error(STDIN_SOURCE, err)


def _binary(stream: TextIO | BinaryIO) -> BinaryIO:
    """The byte stream under a text stream: decoding is ours to do (and to get right)."""
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        return buffer
    if isinstance(stream, io.TextIOBase):
        return io.BytesIO(stream.read().encode("utf-8"))
    return cast(BinaryIO, stream)


class _Replayed(io.RawIOBase):
    """A stream that first gives back the bytes already read to sniff it, then the rest."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _sniff(head: bytes) -> str:
    start = head.removeprefix(codecs.BOM_UTF8).lstrip()[:1024]
    if start.startswith(b"{"):
        return "jsonl"
    if re.match(rb"<(!doctype\s+html|html|head|body|article|main|div|p|meta|title)\b", start, re.I):
        return "html"
    return "text"


def _read_stream(
    source: str, stream: BinaryIO, kind: str, url: str | None, how: Decoding
) -> Iterator[Document | InputError]:
    """Articles from one stream; ``url`` None means "name it by its content" (stdin)."""
    if kind == "jsonl":
        yield from _read_jsonl(source, stream, url)
        return
    try:
        data = stream.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise _too_big(source)
        declared = _declared_charset(data) if kind == "html" else None
        text = _decode(source, data, how, declared)
        if kind == "html":
            yield _html_document(source, text, url)
        else:
            yield _text_document(source, text, url)
    except InputError as err:
        yield err


# --- decoding ------------------------------------------------------------------------------


def _decode(source: str, data: bytes, how: Decoding, declared: str | None = None) -> str:
    """Bytes to text with newlines as \\n; the policy is in the module docstring."""
    if not data.strip():
        raise _empty(source)
    text = _decode_bom(source, data)
    if text is None:
        text = _utf16_without_bom(data)
    if text is None:
        if _looks_binary(data):
            raise InputError(
                f"{source} looks like a binary file",
                "pass text, HTML or JSON lines; a PDF or Word file must be converted first",
            )
        text = _decode_utf8(data)
    if text is None and how.encoding:
        text = _decode_as(data, how.encoding)
        if text is None:
            raise InputError(f"cannot decode {source} as {how.encoding} (--encoding)",
                             "check the encoding named; kg reads UTF-8 files whatever it says")
    if text is None:
        text = _decode_as(data, declared) or _detect(source, data, how)
    if text is None:
        raise InputError(f"cannot decode {source} as text", _ICONV_HINT)
    text = _normalize_newlines(text.removeprefix("\ufeff"))
    if not text.strip():
        raise _empty(source)
    return text


def _decode_bom(source: str, data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise InputError(f"cannot decode {source} as {encoding}", _ICONV_HINT) from None
    return None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark, or None.

    Its ASCII characters (spaces and punctuation even in Cyrillic or Greek text) have a
    NUL high byte, so NULs fall on one side of the byte pairs and (almost) never on the
    other; the decoded text must then read as text, not as control characters.
    """
    if len(data) % 2 or b"\x00" not in data:
        return None
    sample = data[: SNIFF_BYTES]
    pairs = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    for zeros, others, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros * 20 < pairs or others * 100 > pairs:
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        head = text[: SNIFF_BYTES // 2]
        unreadable = sum(1 for c in head if not c.isprintable() and c not in "\t\n\r\x0b\x0c")
        if unreadable <= len(head) * MAX_CONTROL:
            return text
    return None


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data:
        return True
    sample = data[:SNIFF_BYTES]
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > len(sample) * MAX_CONTROL


def _decode_utf8(data: bytes) -> str | None:
    """UTF-8, or UTF-8 with a few bad bytes replaced; None if it is not UTF-8 at all."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8-sig", errors="replace")
    bad = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    if non_ascii > bad and bad <= max(1, len(text) * MAX_BAD_UTF8):
        return text
    return None


def _decode_as(data: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return None


# Of encodings that read a text equally well, the one a news archive most likely holds: a
# Latin-1 "à Genève" reads as cp1250 ("ŕ Genčve") just as cleanly by charset_normalizer's
# measures, and Western European pages far outnumber Central European ones.
_PREFERRED = ("cp1252", "latin_1", "utf_16", "cp1251", "cp1250")


def _detect(source: str, data: bytes, how: Decoding) -> str | None:
    """charset-normalizer's best reading; a weak one is used but reported to ``how.warn``."""
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        return None
    best = min((m.chaos, -m.coherence) for m in matches)
    tied = [m for m in matches if (m.chaos, -m.coherence) == best]
    tied.sort(key=lambda m: _PREFERRED.index(m.encoding) if m.encoding in _PREFERRED else 99)
    chosen, text = tied[0].encoding, str(tied[0])
    rivals = [(m.encoding, str(m)) for m in tied[1:]]
    rivals = [(encoding, other) for encoding, other in rivals if other != text]
    unknown_language = tied[0].coherence == 0
    if how.warn is not None and (rivals or unknown_language):
        how.warn(_weak_guess(source, chosen, text, rivals[:1], unknown_language))
    return text


def _weak_guess(source: str, chosen: str, text: str, rivals: list[tuple[str, str]],
                unknown_language: bool) -> InputWarning:
    """The warning for a guessed encoding: which, what else it could be, how to settle it."""
    reasons = ["too little text to tell its language"] if unknown_language else []
    if rivals:
        other, alternative = rivals[0]
        ours, theirs = _first_difference(text, alternative)
        reasons.append(f"{other} reads it as well, as other text: {ours!r} or {theirs!r}")
    why = "; ".join(reasons)
    return InputWarning(
        f"{source}: not UTF-8, read as {chosen} by a weak guess ({why})",
        "if the stored text looks wrong, name the file's encoding (kg ingest --encoding NAME,"
        " e.g. cp1252, cp1250, cp1251) or re-save it as UTF-8 (iconv -f NAME -t utf-8)",
    )


def _first_difference(one: str, two: str) -> tuple[str, str]:
    """The first word on which two readings of the same bytes differ, as each reads it."""
    pairs = enumerate(zip(one, two, strict=False))
    at = next((i for i, (a, b) in pairs if a != b), min(len(one), len(two)))

    def word(text: str) -> str:
        start = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1
        ends = [i for i in (text.find(" ", at), text.find("\n", at)) if i >= 0]
        return text[start : min(ends, default=len(text))][:40]

    return word(one), word(two)


def _declared_charset(data: bytes) -> str | None:
    found = re.search(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", data[:4096], re.I)
    return found.group(1).decode("ascii") if found else None


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# --- plain text and markdown ---------------------------------------------------------------

_HEADING = re.compile(r"#{1,6}(?:\s+(.*?))?(?:\s+#+)?")
def _text_document(source: str, text: str, url: str | None) -> Document:
    top = _top_lines(text)
    return Document(
        source=source,
        url=url or _content_uri(text),
        text=text,
        title=_headline(top),
        published=_date_near_top(top) or _yearless_dateline(top, text),
    )


def _top_lines(text: str) -> list[str]:
    """The first non-empty lines, stripped, read lazily: a 20 MB text is not split whole."""
    top: list[str] = []
    for line in io.StringIO(text):
        if line.strip():
            top.append(line.strip())
        if len(top) == DATE_WINDOW:
            break
    return top


def _headline(top: list[str]) -> str | None:
    """The first markdown heading near the top, else the first line that is not a date."""
    for line in top:
        heading = _HEADING.fullmatch(line)
        if heading and heading.group(1):
            return heading.group(1)
    for line in top:
        if date_line(line) is None and line.lstrip("#").strip():
            return line.lstrip("#").strip()
    return None


def _yearless_dateline(top: list[str], text: str) -> date | None:
    """ "ASTANA, July 4 (Kazinform) - ... on Thursday": the year the weekday settles."""
    head = text[:20000]  # the years a story names are near its top
    for line in top:
        found = dateline_by_weekday(line, head)
        if found:
            return found
    return None


def _date_near_top(top: list[str]) -> date | None:
    for line in top:
        found = date_line(line) or dateline(line) or trailing_date(line)
        if found:
            return found
    return None


def _content_uri(text: str) -> str:
    """An RFC 6920 name for text that has no URL or file of its own (stdin)."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "ni:///sha-256;" + base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


# --- HTML ----------------------------------------------------------------------------------

_DATE_PARAMS = {"extensive_search": False, "original_date": True, "outputformat": "%Y-%m-%d"}


def _html_document(source: str, html: str, url: str | None) -> Document:
    """Main text and metadata via trafilatura, which gets a parsed tree and so never fetches."""
    tree, extracted = _extract(source, html)
    text = _paragraphs(extracted.body) if extracted is not None else ""
    if not text or _mostly_links(text, tree):
        raise InputError(
            f"no article text found in {source}",
            "is this a page of links only? pass the article page",
        )
    return Document(
        source=source,
        url=_canonical_url(tree) or url or _content_uri(text),
        text=text,
        title=extracted.title or None,
        published=_date_or_none(extracted.date),
    )


def _extract(source: str, html: str) -> tuple[HtmlElement, Any]:
    import trafilatura  # imported here: it takes 0.4 s and only HTML needs it

    # Failures become our InputError; trafilatura's own warnings would only repeat them.
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    try:
        tree = trafilatura.load_html(html)
        extracted = None
        if tree is not None:
            extracted = trafilatura.bare_extraction(
                tree,
                with_metadata=True,
                include_comments=False,
                date_extraction_params=_DATE_PARAMS,
            )
    except Exception as err:  # a parser crash on odd markup is bad input, not our bug
        raise InputError(f"cannot parse {source} as HTML: {err}", "check the file") from None
    if tree is None:
        raise InputError(f"no article text found in {source}", "is it an HTML page?")
    return tree, extracted


def _paragraphs(body: Any) -> str:
    """Block elements joined by blank lines, so sentence splitting sees paragraph ends."""
    from trafilatura.xml import xmltotxt

    blocks = [body.text or ""] + [xmltotxt(child, False) for child in body]
    return "\n\n".join(block.strip() for block in blocks if block.strip())


def _mostly_links(text: str, tree: HtmlElement) -> bool:
    """True when most of the extracted text is link texts: a menu or index page (the links
    may share a line: "Home News Contact")."""
    links = {" ".join(a.text_content().split()) for a in tree.iter("a")} - {""}
    words = "".join(text.split())
    linked = sum(
        len("".join(link.split())) * len(re.findall(rf"(?<!\w){re.escape(link)}(?!\w)", text))
        for link in links
    )
    return linked > MAX_LINK_SHARE * len(words)


def _canonical_url(tree: HtmlElement) -> str | None:
    """``<link rel=canonical>``, else og:url; only absolute http(s) URLs count."""
    canonical = [
        link.get("href", "")
        for link in tree.iter("link")
        if "canonical" in (link.get("rel") or "").lower().split()
    ]
    og_url = [
        meta.get("content", "")
        for meta in tree.iter("meta")
        if (meta.get("property") or "").lower() == "og:url"
    ]
    for candidate in canonical + og_url:
        if re.match(r"https?://[^\s/]+", candidate.strip()) and is_iri(candidate.strip()):
            return candidate.strip()
    return None


def is_iri(text: str) -> bool:
    """Can ``text`` be an article's schema:url (an absolute IRI, no spaces)?"""
    import pyoxigraph

    try:
        pyoxigraph.NamedNode(text)
    except ValueError:
        return False
    return ":" in text


def _date_or_none(value: str | None) -> date | None:
    try:
        return _iso_date(value) if value else None
    except ValueError:
        return None


def _iso_date(value: str) -> date:
    """An ISO date or datetime (as written: the date in its own time zone)."""
    value = value.strip()
    try:
        return date.fromisoformat(value)
    except ValueError:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()


# --- JSON lines ----------------------------------------------------------------------------


def _read_jsonl(source: str, stream: BinaryIO, url: str | None) -> Iterator[Document | InputError]:
    blank = True
    for number, line in _lines(stream):
        where = f"{source}:{number}"
        if line is None:
            yield _too_big(where)
        elif line.strip():
            yield _jsonl_document(where, line, f"{url}#line={number}" if url else None)
        blank = blank and line is not None and not line.strip()
    if blank:
        yield _empty(source)


def _lines(stream: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines, holding at most MAX_BYTES at a time; None for a longer line."""
    number = 0
    while line := stream.readline(MAX_BYTES + 1):
        number += 1
        if len(line) > MAX_BYTES and not line.endswith(b"\n"):
            while (rest := stream.readline(1024 * 1024)) and not rest.endswith(b"\n"):
                pass
            yield number, None
        else:
            yield number, line


def _jsonl_document(source: str, line: bytes, url: str | None) -> Document | InputError:
    try:
        return _record_document(source, _json_object(source, line), url)
    except InputError as err:
        return err


def _json_object(source: str, line: bytes) -> dict[str, Any]:
    text = _decode_utf8(line)
    if text is None:
        raise InputError(f"{source}: not UTF-8 (JSON lines must be UTF-8)", _ICONV_HINT)
    try:
        record = json.loads(text.rstrip("\r\n"))
    except json.JSONDecodeError as err:
        raise InputError(
            # "Unterminated string starting at" already ends in "at"
            f"{source}: bad JSON: {err.msg.removesuffix(' at')} at column {err.colno}",
            "each line must be one JSON object",
        ) from None
    except RecursionError:  # "[[[[...": Python's parser gives up on deep nesting
        raise InputError(
            f"{source}: bad JSON: nested too deeply", "each line must be one JSON object"
        ) from None
    if not isinstance(record, dict):
        raise InputError(
            f"{source}: expected a JSON object, got {_json_type(record)}",
            "each line must be one JSON object",
        )
    return record


def _record_document(source: str, record: dict[str, Any], url: str | None) -> Document:
    """A Document from one line; given fields win over what the text or page says."""
    given_url = _string_field(source, record, "url")
    if given_url and not is_iri(given_url):
        raise InputError(
            f'{source}: "url" is not an absolute URL: {given_url[:80]!r}',
            "give a URL such as https://example.org/news/1 (spaces percent-encoded), "
            "or leave the field out",
        )
    title = _string_field(source, record, "title")
    published = _date_field(source, record)
    text = _string_field(source, record, "text")
    html = _string_field(source, record, "html")
    if text and text.strip():
        document = _text_document(source, _normalize_newlines(text), url)
    elif html and html.strip():
        document = _html_document(source, html, url)
    else:
        raise InputError(
            f'{source}: no "text" or "html"',
            'give each line a "text" or an "html" field with the article',
        )
    return replace(
        document,
        url=given_url or document.url,
        title=title or document.title,
        published=published or document.published,
    )


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _string_field(source: str, record: dict[str, Any], name: str) -> str | None:
    value = record.get(name)
    if isinstance(value, str):
        # JSON may escape lone surrogates ("\\ud800"), which are no text: U+FFFD, as for
        # bad bytes in UTF-8
        return _LONE_SURROGATE.sub("\ufffd", value) or None
    if value is None:
        return None
    raise InputError(
        f'{source}: "{name}" must be a string, not {_json_type(value)}', "fix the line"
    )


def _date_field(source: str, record: dict[str, Any]) -> date | None:
    value = _string_field(source, record, "date")
    try:
        return _iso_date(value) if value else None
    except ValueError:
        raise InputError(
            f'{source}: bad date "{value}"',
            'use an ISO date or datetime: "2022-05-18", "2022-05-18T10:30:00Z"',
        ) from None


def _json_type(value: object) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


# --- errors --------------------------------------------------------------------------------


def _empty(source: str) -> InputError:
    return InputError(f"empty file: {source}", "nothing to read; add the article text or drop it")


def _too_big(source: str) -> InputError:
    return InputError(f"{source} is larger than {MAX_BYTES // (1024 * 1024)} MB", _SIZE_HINT)


def _os_error(source: str, err: OSError) -> InputError:
    hint = "check its permissions" if isinstance(err, PermissionError) else "check the path"
    return InputError(f"cannot read {source}: {err.strerror or err}", hint)
