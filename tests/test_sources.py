"""Reading sources into Documents: every format, and every kind of bad input as one error."""

from __future__ import annotations

import io
import json
import os
import socket
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kg import sources
from kg.errors import InputError, InputWarning, NotAnArticle, UsageError
from kg.facts import Document
from kg.sources import Decoding, check_encoding, read_sources

FIXTURES = Path(__file__).parent / "fixtures" / "sources"

RUSSIAN = (
    "Встреча министров в Москве\n\n"
    "10.10.2022\n\n"
    "Генеральный секретарь Совета провёл встречу с министром иностранных дел. "
    "The Secretary General of the Council met the Minister of Foreign Affairs in Moscow.\n"
    "Стороны обсудили вопросы сотрудничества и подготовку к саммиту.\n"
)


def read(*paths: str | Path, stdin: Any = None) -> list[Document | InputError]:
    return list(read_sources([str(path) for path in paths], stdin=stdin))


def one_document(*paths: str | Path, stdin: Any = None) -> Document:
    [result] = read(*paths, stdin=stdin)
    assert isinstance(result, Document), result
    return result


def one_error(*paths: str | Path, stdin: Any = None) -> InputError:
    [result] = read(*paths, stdin=stdin)
    assert isinstance(result, InputError), result
    return result


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


# --- text and markdown ---------------------------------------------------------------------


def test_markdown_heading_date_line_and_exact_text() -> None:
    path = FIXTURES / "council_meeting.md"
    doc = one_document(path)
    assert doc.title == "Foreign ministers of the Council meet in Minsk"
    assert doc.published == date(2022, 5, 18)
    assert doc.text == path.read_text(encoding="utf-8")
    assert doc.url == path.resolve().as_uri()
    assert doc.source == str(path)


def test_text_dateline_with_year() -> None:
    doc = one_document(FIXTURES / "agency_report.txt")
    assert doc.title == "Secretary General visits the peacekeeping contingent"
    assert doc.published == date(2022, 10, 10)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("18.05.2022", date(2022, 5, 18)),
        ("2022-05-18", date(2022, 5, 18)),
        ("21 Dec 2019", date(2019, 12, 21)),
        ("May 18, 2022", date(2022, 5, 18)),
        ("18 May 2022", date(2022, 5, 18)),
        ("Wednesday, 18 May 2022", date(2022, 5, 18)),
        ("Published: 2022-05-18 10:30", date(2022, 5, 18)),
        ("Sept. 3, 2021", date(2021, 9, 3)),
        ("MOSCOW, October 10, 2022. The Council said", date(2022, 10, 10)),
        ("NEW YORK, 16 February 2022 - The United Nations", date(2022, 2, 16)),
        ("UNITED NATIONS, New York, 9 June 2023 — The Council", date(2023, 6, 9)),
        ("MOSCOW, January 9. /Agency/. The Council said", None),
        ("31.02.2022", None),
        ("May 9 parade rehearsal in the capital", None),
    ],
)
def test_date_near_the_top(tmp_path: Path, line: str, expected: date | None) -> None:
    path = write(tmp_path, "story.txt", f"A headline\n\n{line}\n\nBody text of the story.\n")
    doc = one_document(path)
    assert doc.published == expected
    assert doc.title == "A headline"


def test_date_further_down_is_not_a_publication_date(tmp_path: Path) -> None:
    lines = ["Headline", "one.", "two.", "three.", "four.", "18.05.2022"]
    assert one_document(write(tmp_path, "late.txt", "\n".join(lines))).published is None


def test_first_line_is_headline_unless_it_is_a_date(tmp_path: Path) -> None:
    path = write(tmp_path, "dated.txt", "21 Dec 2019\nCouncil meets in Almaty\n\nText.\n")
    doc = one_document(path)
    assert (doc.title, doc.published) == ("Council meets in Almaty", date(2019, 12, 21))


def test_newlines_normalized_and_bom_stripped(tmp_path: Path) -> None:
    path = write(tmp_path, "crlf.txt", b"\xef\xbb\xbfTitle line\r\n\r\nBody.\rMore.\r\n")
    doc = one_document(path)
    assert doc.text == "Title line\n\nBody.\nMore.\n"
    assert doc.title == "Title line"


# --- HTML ----------------------------------------------------------------------------------


def test_html_main_text_without_navigation_or_footer(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*_args: object) -> None:
        raise AssertionError("reading a page must never open a connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    doc = one_document(FIXTURES / "news_page.html")
    assert doc.title == "Observer mission begins work in Dushanbe"
    assert doc.published == date(2022, 9, 14)
    assert doc.url == "https://example.org/en/news/2022/observer-mission-dushanbe"
    assert "Anna Petrova met the Minister of Foreign Affairs" in doc.text
    for boilerplate in ("News archive", "Privacy policy", "All rights reserved", "Related news"):
        assert boilerplate not in doc.text
    assert "reported. The mission" in doc.text  # wrapped lines joined within a paragraph
    assert "until the end of October.\n\nHead of the mission" in doc.text


def test_html_without_canonical_url_uses_file_uri(tmp_path: Path) -> None:
    page = (FIXTURES / "news_page.html").read_text(encoding="utf-8")
    page = "\n".join(line for line in page.splitlines() if "canonical" not in line)
    page = page.replace('property="og:url"', 'name="robots"')
    path = write(tmp_path, "local.htm", page)
    assert one_document(path).url == path.resolve().as_uri()


def test_html_og_url_when_no_canonical_link(tmp_path: Path) -> None:
    page = (FIXTURES / "news_page.html").read_text(encoding="utf-8")
    page = "\n".join(line for line in page.splitlines() if "canonical" not in line)
    doc = one_document(write(tmp_path, "og.html", page))
    assert doc.url == "https://example.org/en/news/2022/observer-mission-dushanbe?ref=og"


def test_html_page_of_links_only() -> None:
    error = one_error(FIXTURES / "links_page.html")
    assert error.message == f"no article text found in {FIXTURES / 'links_page.html'}"
    assert "links only" in error.hint


def test_html_with_no_body_text(tmp_path: Path) -> None:
    path = write(tmp_path, "blank.html", "<html><head><title>x</title></head><body></body></html>")
    assert "no article text found in" in one_error(path).message


# --- JSON lines ----------------------------------------------------------------------------


def test_jsonl_text_and_html_records() -> None:
    path = FIXTURES / "articles.jsonl"
    first, second, third = read(path)
    assert isinstance(first, Document) and isinstance(second, Document)
    assert isinstance(third, Document)
    assert first.source == f"{path}:1"
    assert first.title == "Council adopts statement on elections"
    assert first.published == date(2021, 3, 4)
    assert first.text == (
        "The Council adopted a statement on the elections.\n\nIt was signed by all members."
    )
    assert second.url == "https://example.org/en/news/102"
    assert second.published == date(2021, 3, 5)  # the date as written, in its own time zone
    assert second.title == "Summit ends in Yerevan"
    assert "joint declaration.\n\nThe next summit" in second.text
    assert "Home" not in second.text and "All rights reserved" not in second.text
    assert third.url == path.resolve().as_uri() + "#line=3"
    assert third.published is None


def test_jsonl_bad_lines_are_errors_and_good_lines_still_read(tmp_path: Path) -> None:
    good = json.dumps({"url": "https://example.org/a", "text": "Ministers met in Baku."})
    lines = [
        good,
        '{"url": "https://example.org/b", "text": ',
        "",
        '["not", "an", "object"]',
        json.dumps({"url": "https://example.org/c", "title": "No body"}),
        json.dumps({"text": "Dated badly.", "date": "18.05.2022"}),
        json.dumps({"text": "Typed badly.", "title": 42}),
        good.replace("/a", "/d"),
    ]
    path = write(tmp_path, "feed.jsonl", "\n".join(lines) + "\n")
    results = read(path)
    assert [r.url for r in results if isinstance(r, Document)] == [
        "https://example.org/a",
        "https://example.org/d",
    ]
    assert results[-1].source == f"{path}:8"
    errors = [r.message for r in results if isinstance(r, InputError)]
    assert errors == [
        f"{path}:2: bad JSON: Expecting value at column 42",
        f"{path}:4: expected a JSON object, got an array",
        f'{path}:5: no "text" or "html"',
        f'{path}:6: bad date "18.05.2022"',
        f'{path}:7: "title" must be a string, not a number',
    ]


def test_jsonl_line_limit_applies_per_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_BYTES", 200)
    short = json.dumps({"url": "https://example.org/short", "text": "Short article."})
    long = json.dumps({"url": "https://example.org/long", "text": "word " * 100})
    path = write(tmp_path, "big.jsonl", "\n".join([short, long, short, long]))
    results = read(path)
    assert [type(r) for r in results] == [Document, InputError, Document, InputError]
    assert results[1].message == f"{path}:2 is larger than 0 MB"
    assert results[2].source == f"{path}:3"
    assert "split" in results[1].hint


# --- bad input -----------------------------------------------------------------------------


def test_binary_file(tmp_path: Path) -> None:
    path = write(tmp_path, "scan.txt", b"%PDF-1.7\n\x00\x01\x02\xff\xfe binary stream")
    error = one_error(path)
    assert error.message == f"{path} looks like a binary file"


def test_control_characters_look_binary(tmp_path: Path) -> None:
    path = write(tmp_path, "noise.txt", bytes(range(1, 9)) * 50 + b"some text")
    assert one_error(path).message == f"{path} looks like a binary file"


def test_cp1251_russian_and_english_text(tmp_path: Path) -> None:
    path = write(tmp_path, "ru.txt", RUSSIAN.encode("cp1251"))
    doc = one_document(path)
    assert doc.text == RUSSIAN
    assert doc.title == "Встреча министров в Москве"
    assert doc.published == date(2022, 10, 10)


def test_cp1251_html_page_with_declared_charset(tmp_path: Path) -> None:
    page = (
        '<html><head><meta charset="windows-1251"><title>Саммит в Ереване</title></head>'
        "<body><article><h1>Саммит в Ереване</h1>"
        "<p>Главы государств подписали совместную декларацию по итогам саммита.</p>"
        "<p>Следующий саммит пройдёт в Астане осенью, сообщил председатель.</p>"
        "</article></body></html>"
    )
    doc = one_document(write(tmp_path, "RU.HTML", page.encode("cp1251")))
    assert doc.title == "Саммит в Ереване"
    assert "совместную декларацию" in doc.text


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = write(tmp_path, "wide.txt", RUSSIAN.encode("utf-16"))
    assert one_document(path).text == RUSSIAN


def test_mostly_utf8_with_a_few_bad_bytes_is_read_with_replacement(tmp_path: Path) -> None:
    data = RUSSIAN.encode("utf-8") * 3
    data = data[:50] + b"\xff" + data[50:]
    doc = one_document(write(tmp_path, "damaged.txt", data))
    assert doc.text.count("\ufffd") == 1
    assert doc.title == "Встреча министров в Москве"


def test_mixed_encodings_cannot_be_decoded(tmp_path: Path) -> None:
    path = write(tmp_path, "mixed.txt", RUSSIAN.encode("utf-8") + RUSSIAN.encode("cp1251"))
    error = one_error(path)
    assert error.message == f"cannot decode {path} as text"
    assert "iconv -f cp1251 -t utf-8" in error.hint


@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n  ", b"\xef\xbb\xbf\n"])
def test_empty_file(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path, "empty.md", content)
    assert one_error(path).message == f"empty file: {path}"


def test_empty_jsonl_file(tmp_path: Path) -> None:
    path = write(tmp_path, "none.jsonl", "\n\n")
    assert one_error(path).message == f"empty file: {path}"


def test_missing_path(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "article.txt"
    error = one_error(path)
    assert error.message == f"no such file or directory: {path}"
    assert error.hint


def test_unknown_extension_named_explicitly(tmp_path: Path) -> None:
    path = write(tmp_path, "report.docx", "Some text")
    error = one_error(path)
    assert error.message == f"unknown file type: {path}"
    assert ".jsonl" in error.hint


def test_file_over_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_BYTES", 100)
    path = write(tmp_path, "huge.txt", "word " * 30)
    error = one_error(path)
    assert error.message.startswith(f"{path} is larger than")
    assert "split" in error.hint


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "secret.txt", "Classified.")
    real_open = Path.open

    def deny(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", deny)
    error = one_error(path)
    assert error.message == f"cannot read {path}: Permission denied"
    assert "permissions" in error.hint


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_for_real(tmp_path: Path) -> None:
    path = write(tmp_path, "locked.txt", "Classified.")
    path.chmod(0)
    assert one_error(path).message == f"cannot read {path}: Permission denied"


# --- folders -------------------------------------------------------------------------------


def test_folder_recursion_order_and_skipping(tmp_path: Path) -> None:
    write(tmp_path, "b.txt", "B story")
    write(tmp_path, "a/z.md", "# A Z story")
    write(tmp_path, "a/inner/c.html", (FIXTURES / "news_page.html").read_bytes())
    write(tmp_path, "a/notes.docx", "skipped: unknown extension")
    write(tmp_path, ".hidden/x.txt", "skipped: hidden folder")
    write(tmp_path, ".draft.txt", "skipped: hidden file")
    write(tmp_path, "c.jsonl", json.dumps({"text": "C story"}) + "\n")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    everything = read(tmp_path)
    left_out = [r for r in everything if isinstance(r, NotAnArticle)]
    assert [str(tmp_path / "a" / "notes.docx") in r.message for r in left_out] == [True]
    broken = [r for r in everything if isinstance(r, InputError) and r not in left_out]
    assert len(broken) == 1 and "gone.txt" in broken[0].message, broken
    results = [r for r in everything if isinstance(r, Document)]
    assert [r.source for r in results] == [
        str(tmp_path / "a" / "inner" / "c.html"),
        str(tmp_path / "a" / "z.md"),
        str(tmp_path / "b.txt"),
        str(tmp_path / "c.jsonl") + ":1",
    ]
    assert [r.title for r in results][1:] == ["A Z story", "B story", "C story"]


def test_folder_bad_file_does_not_stop_the_others(tmp_path: Path) -> None:
    write(tmp_path, "1.txt", "")
    write(tmp_path, "2.txt", "Second story")
    first, second = read(tmp_path)
    assert isinstance(first, InputError) and "1.txt" in first.message
    assert isinstance(second, Document) and second.title == "Second story"


def test_folder_without_articles(tmp_path: Path) -> None:
    write(tmp_path, "notes.docx", "Not an article")
    left_out, nothing = read(tmp_path)
    assert isinstance(left_out, NotAnArticle) and "notes.docx" in left_out.message
    assert nothing.message == f"no articles found in folder {tmp_path}"


# --- standard input ------------------------------------------------------------------------


def test_stdin_text() -> None:
    stdin = io.BytesIO(b"Ministers meet in Tashkent\n\nMay 18, 2022\n\nThey met.\n")
    doc = one_document("-", stdin=stdin)
    assert doc.source == "<stdin>"
    assert (doc.title, doc.published) == ("Ministers meet in Tashkent", date(2022, 5, 18))
    assert doc.url.startswith("ni:///sha-256;")
    assert doc.url == one_document("-", stdin=io.BytesIO(stdin.getvalue())).url


def test_stdin_jsonl_from_a_text_stream() -> None:
    lines = [
        json.dumps({"url": "https://example.org/1", "title": "One", "text": "First."}),
        "{broken",
        json.dumps({"title": "Two", "date": "2023-01-31", "text": "Second."}),
    ]
    first, broken, second = read("-", stdin=io.StringIO("\n".join(lines)))
    assert isinstance(first, Document) and isinstance(second, Document)
    assert (first.source, first.url, first.title) == ("<stdin>:1", "https://example.org/1", "One")
    assert isinstance(broken, InputError) and broken.message.startswith("<stdin>:2: bad JSON")
    assert (second.source, second.published) == ("<stdin>:3", date(2023, 1, 31))
    assert second.url.startswith("ni:///sha-256;")


def test_stdin_jsonl_longer_than_the_sniffed_head() -> None:
    record = json.dumps({"text": "x" * 1000}) + "\n"
    count = sources.SNIFF_BYTES // len(record) + 5
    results = read("-", stdin=io.BytesIO(record.encode() * count))
    assert len(results) == count
    assert all(isinstance(r, Document) and len(r.text) == 1000 for r in results)


def test_stdin_html() -> None:
    stdin = io.BytesIO((FIXTURES / "news_page.html").read_bytes())
    doc = one_document("-", stdin=stdin)
    assert doc.title == "Observer mission begins work in Dushanbe"
    assert doc.url == "https://example.org/en/news/2022/observer-mission-dushanbe"


def test_stdin_empty() -> None:
    assert one_error("-", stdin=io.BytesIO(b"")).message == "empty file: <stdin>"


def test_count_articles_counts_files_and_jsonl_lines(tmp_path: Path) -> None:
    from kg.sources import count_articles

    (tmp_path / "a.txt").write_text("A headline\n\nText.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.jsonl").write_text('{"text": "x"}\n\n{"text": "y"}\n', encoding="utf-8")
    (tmp_path / "notes.csv").write_text("skipped", encoding="utf-8")
    assert count_articles([str(tmp_path)]) == 3
    assert count_articles([str(tmp_path / "a.txt"), "-"]) is None


def test_a_jsonl_line_with_a_bad_url_is_an_error_of_that_line(tmp_path: Path) -> None:
    path = tmp_path / "urls.jsonl"
    path.write_text('{"url": "not a url", "text": "The council met."}\n'
                    '{"url": "https://example.org/a", "text": "The council met."}\n',
                    encoding="utf-8")
    first, second = list(read_sources([str(path)]))
    assert isinstance(first, InputError) and "urls.jsonl:1" in first.message
    assert "url" in first.message
    assert isinstance(second, Document) and second.url == "https://example.org/a"


def test_a_latin1_file_is_read_as_western_european_text(tmp_path: Path) -> None:
    write(tmp_path, "geneva.txt", "Talks in Geneva\n\nLe ministre est arrivé à Genève. Señor "
                                  "García met the envoy.\n".encode("latin-1"))
    [document] = read(tmp_path / "geneva.txt")
    assert "à Genève" in document.text and "Señor García" in document.text


# ---------------------------------------------------------------- encodings: UTF-16, guesses

ENGLISH = "Talks in Geneva\n\nThe Secretary General of the OSCE met the envoy in Geneva.\n"


@pytest.mark.parametrize("text", [ENGLISH, RUSSIAN], ids=["english", "russian"])
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark(tmp_path: Path, text: str, encoding: str) -> None:
    """Its NUL bytes made it "binary"; they sit on one side of every pair, so it is text."""
    assert one_document(write(tmp_path, "wide.txt", text.encode(encoding))).text == text


def test_numbers_that_look_like_utf16_are_still_binary(tmp_path: Path) -> None:
    data = b"".join(bytes((i % 31, 0)) for i in range(2000))  # 16-bit counters
    path = write(tmp_path, "counts.txt", data)
    assert one_error(path).message == f"{path} looks like a binary file"


def read_warned(path: Path, encoding: str | None = None) -> tuple[list, list[InputWarning]]:
    warnings: list[InputWarning] = []
    items = list(read_sources([str(path)], decoding=Decoding(encoding, warnings.append)))
    return items, warnings


def test_a_weak_encoding_guess_warns_naming_file_encoding_and_fix(tmp_path: Path) -> None:
    path = write(tmp_path, "geneva.txt", "Réunion à Genève\n\nLe Señor Muñoz a rencontré la "
                                         "délégation à Genève.\n".encode("latin-1"))
    [document], [warning] = read_warned(path)
    assert "à Genève" in document.text  # still read, as the likelier encoding
    assert str(path) in warning.message
    assert "read as cp1252" in warning.message and "cp1250" in warning.message
    assert "'à' or 'ŕ'" in warning.message  # a word as each encoding reads it
    assert "--encoding" in warning.hint and "UTF-8" in warning.hint


@pytest.mark.parametrize(("text", "encoding"), [
    ("Spotkanie w Łodzi: sekretarz generalny przyjął delegację z Gdańska i Świnoujścia.\n" * 3,
     "cp1250"),
    (RUSSIAN, "cp1251"),
    (ENGLISH, "utf-8"),
])
def test_a_confident_reading_does_not_warn(tmp_path: Path, text: str, encoding: str) -> None:
    [document], warnings = read_warned(write(tmp_path, "a.txt", text.encode(encoding)))
    assert document.text == text and warnings == []


def test_too_little_text_to_tell_warns(tmp_path: Path) -> None:
    _, [warning] = read_warned(write(tmp_path, "city.txt", "Москва\n".encode("cp1251")))
    assert "too little text" in warning.message and "--encoding" in warning.hint


def test_a_named_encoding_replaces_the_guess(tmp_path: Path) -> None:
    latin = write(tmp_path, "geneva.txt", "Réunion à Genève\n".encode("latin-1"))
    [document], warnings = read_warned(latin, "cp1250")
    assert document.text == "Réunion ŕ Genčve\n"  # as told, with no guess and no warning
    assert warnings == []
    utf8 = write(tmp_path, "utf8.txt", "Réunion à Genève\n".encode())
    [document], _ = read_warned(utf8, "cp1251")
    assert document.text == "Réunion à Genève\n"  # UTF-8 stays UTF-8 whatever is named


def test_bytes_the_named_encoding_cannot_read_are_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "geneva.txt", "Réunion à Genève\n".encode("latin-1"))
    [error], _ = read_warned(path, "ascii")
    assert isinstance(error, InputError)
    assert error.message == f"cannot decode {path} as ascii (--encoding)"


def test_an_unknown_encoding_name_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as caught:
        check_encoding("latin-99")
    assert "latin-99" in caught.value.message and "cp1251" in caught.value.hint
    assert check_encoding("Windows-1251") == "cp1251"


def test_a_page_of_links_sharing_a_line_is_no_article(tmp_path: Path) -> None:
    write(tmp_path, "menu.html", '<html><body><nav><a href="/">Home</a> <a href="/news">News'
                                 '</a> <a href="/about">About us</a></nav></body></html>')
    [result] = read(tmp_path / "menu.html")
    assert isinstance(result, InputError) and "no article text" in result.message
    write(tmp_path, "story.html", "<html><body><article><h1>Talks</h1><p>Karl Brandt met Anna "
                                  "Weiss in Minsk on Monday to discuss the <a href='/x'>border"
                                  "</a> and trade.</p></article></body></html>")
    [story] = read(tmp_path / "story.html")
    assert isinstance(story, Document), story
