"""A corpus of bad and hostile inputs, generated at test time (nothing big is committed).

``write_corpus(folder)`` writes every file and returns what each input should do:
``EXPECT[name]`` is "stored" (an article, maybe with odd text), "error" (an ``error:``
line naming it) or "left out" (a ``left out:`` line naming it). Inputs whose outcome
depends on heuristics (a page of links, a whitespace-heavy file) are "reported":
stored, or an error or left-out line naming them, but never silence.
"""

from __future__ import annotations

import codecs
import json
import zipfile
from pathlib import Path

ARTICLE = ("Anna Berg, Secretary General of the Council of Lakes, met Tomas Reyes in "
           "Lakeside on 14 March 2024. They discussed water quotas and the spring floods.\n")
LATIN1 = "Réunion à Genève\n\nLe Señor Muñoz a rencontré la délégation à Genève. Ça va.\n"
CYRILLIC = ("Встреча в Москве\n\nГенеральный секретарь ОДКБ провёл встречу с министрами "
            "иностранных дел государств-членов организации в Москве.\n")
ARABIC = "اجتماع في القاهرة\n\nالتقى الأمين العام لجامعة الدول العربية بوزير الخارجية في القاهرة.\n"
HEBREW = "פגישה בירושלים\n\nמזכיר האו\"ם נפגש עם שר החוץ בירושלים ביום שני.\n"

# file name -> what must happen to it
EXPECT: dict[str, str] = {}


def _put(folder: Path, name: str, data: bytes | str, expect: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    EXPECT[name] = expect


def _html(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head>{head}<title>T</title></head><body>{body}</body></html>"


def write_corpus(folder: Path, *, tiny_files: int = 10_000) -> dict[str, str]:
    """Write the corpus into ``folder``; returns {relative name: expected outcome}."""
    EXPECT.clear()
    folder.mkdir(parents=True, exist_ok=True)
    # binary
    _put(folder, "binary/random.txt", bytes(range(256)) * 64, "error")
    _put(folder, "binary/png.html", b"\x89PNG\r\n\x1a\n" + bytes(4000), "error")
    _put(folder, "binary/elf.md", b"\x7fELF\x02\x01\x01" + bytes(range(256)) * 8, "error")
    # encodings
    _put(folder, "enc/utf16-bom.txt", codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"),
         "stored")
    _put(folder, "enc/utf16be-bom.txt", codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"),
         "stored")
    _put(folder, "enc/utf16-nobom.txt", ARTICLE.encode("utf-16-le"), "stored")
    _put(folder, "enc/utf16be-nobom.txt", CYRILLIC.encode("utf-16-be"), "reported")
    # 16-bit numbers look like UTF-16 by their NULs, but read as control characters
    _put(folder, "enc/int16.txt", b"".join(bytes((i % 31, 0)) for i in range(2000)), "error")
    _put(folder, "enc/utf32-bom.txt", ARTICLE.encode("utf-32"), "stored")
    _put(folder, "enc/bad-bom-utf16.txt", codecs.BOM_UTF16_LE + b"\x00\xd8", "error")
    _put(folder, "enc/latin1.txt", LATIN1.encode("latin-1"), "stored")
    _put(folder, "enc/cp1251.txt", CYRILLIC.encode("cp1251"), "reported")
    _put(folder, "enc/utf8-damaged.txt",
         ("Café Genève München " * 30 + "\n").encode() + b"\xff\xfe bad\n" + ARTICLE.encode(),
         "stored")
    _put(folder, "enc/mixed.txt", LATIN1.encode("latin-1") + CYRILLIC.encode("utf-8")
         + CYRILLIC.encode("cp1251") + "ő ű".encode("cp1250"), "reported")
    _put(folder, "enc/invalid-utf8.txt", b"\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc" * 50,
         "reported")
    _put(folder, "enc/nul.txt", ARTICLE.encode() + b"\x00\x00" + ARTICLE.encode(), "error")
    _put(folder, "enc/lone-bom.txt", codecs.BOM_UTF8, "error")
    _put(folder, "enc/lone-bom16.txt", codecs.BOM_UTF16_LE, "error")
    _put(folder, "enc/overlong.txt", b"\xc0\xaf\xe0\x80\xaf" * 20 + ARTICLE.encode(), "reported")
    _put(folder, "enc/surrogates.txt", b"\xed\xa0\x80\xed\xbf\xbf" + ARTICLE.encode(), "reported")
    # empty
    _put(folder, "empty/empty.txt", b"", "error")
    _put(folder, "empty/blank.md", " \n\t\r\n   \n" * 100, "error")
    _put(folder, "empty/nbsp.txt", "\u00a0\u2003\u3000\n" * 10, "reported")
    _put(folder, "empty/empty.jsonl", b"", "error")
    _put(folder, "empty/blank-lines.jsonl", b"\n\n  \n", "error")
    _put(folder, "empty/empty.html", b"", "error")
    # huge texts: 150 KB of varied sentences, 3 MB of words on one line
    # (rules on many sentences grow faster than the text: 2,000 lines take 9 s, 4,000 take 34 s
    # with blank:en; kept small here, see the report of issue 10)
    lines = [f"Delegate {i} of the Council of Lakes met official {i * 7 % 1000} in Lakeside "
             f"on {1 + i % 28} March 2024 to discuss item {i}.\n" for i in range(1_500)]
    _put(folder, "huge/huge.txt", "A very long report\n\n" + "".join(lines), "stored")
    _put(folder, "huge/one-line.txt", "word " * 600_000, "stored")  # 3 MB, no newline
    # hostile HTML
    nested = "<div>" * 10_000 + "<p>" + ARTICLE + "</p>" + "</div>" * 10_000
    _put(folder, "html/nested.html", _html(nested), "reported")
    _put(folder, "html/script-only.html",
         _html("<script>var a = 'Anna Berg met Tomas Reyes';</script>",
               "<style>body { color: red }</style>"), "error")
    _put(folder, "html/unclosed.html",
         "<html><body><div><p>" + ARTICLE + "<p>" + ARTICLE + "<b><i><table><tr><td>", "reported")
    links = "".join(f'<li><a href="/n/{i}">News item number {i}</a></li>' for i in range(300))
    _put(folder, "html/links-only.html", _html(f"<nav><ul>{links}</ul></nav>"), "error")
    _put(folder, "html/meta-refresh.html",
         _html("", '<meta http-equiv="refresh" content="0; url=https://example.org/">'), "error")
    _put(folder, "html/huge-attr.html",
         _html(f'<article><p title="{"x" * 2_000_000}">{ARTICLE * 3}</p></article>'), "reported")
    _put(folder, "html/entities.html",
         _html("<article><p>" + "&#0;&#xD800;&#x110000;&bogus; &amp;" * 200 + ARTICLE
               + "</p></article>"), "reported")
    _put(folder, "html/cp1251.html",
         _html(f"<article><p>{CYRILLIC * 5}</p></article>", '<meta charset="windows-1251">')
         .encode("cp1251"), "reported")
    _put(folder, "html/bad-charset.html",
         _html(f"<article><p>{ARTICLE * 3}</p></article>", '<meta charset="no-such-enc">'),
         "reported")
    _put(folder, "html/not-html.html", "just { some } text that is no markup at all\n",
         "reported")
    # JSON lines
    good = {"url": "https://news.example.org/ok", "title": "Fine", "text": ARTICLE}
    _put(folder, "jsonl/broken.jsonl",
         json.dumps(good) + "\n"
         + '{"url": "https://news.example.org/trunc", "text": "cut off\n'
         + json.dumps({"text": 42}) + "\n"
         + json.dumps({"text": ARTICLE, "date": 20240101}) + "\n"
         + json.dumps({"text": ARTICLE, "url": "not a url"}) + "\n"
         + json.dumps({"text": ARTICLE, "date": "yesterday"}) + "\n"
         + json.dumps({"title": "no text"}) + "\n"
         + "[1, 2, 3]\n\"a string\"\nnull\n42\ntrue\n"
         + json.dumps({"html": "<p>only <a href='/'>a link</a></p>"}) + "\n"
         + json.dumps({"text": "\u202eevil rtl override\u202c " + ARTICLE,
                       "url": "https://news.example.org/rtl"}) + "\n",
         "reported")
    big = {"url": "https://news.example.org/big", "title": "Big", "text": ARTICLE,
           "padding": "x" * 5_000_000}
    _put(folder, "jsonl/enormous-line.jsonl", json.dumps(big) + "\n", "stored")
    _put(folder, "jsonl/bom.jsonl", codecs.BOM_UTF8 + json.dumps(
        {"url": "https://news.example.org/bom", "text": ARTICLE}).encode() + b"\n", "stored")
    _put(folder, "jsonl/latin1.jsonl", json.dumps({"text": LATIN1}, ensure_ascii=False)
         .encode("latin-1") + b"\n", "error")
    _put(folder, "jsonl/deep.jsonl", "[" * 100_000 + "]" * 100_000 + "\n", "error")
    _put(folder, "jsonl/nul.jsonl", json.dumps({"text": "a\u0000b " + ARTICLE,
                                                 "url": "https://news.example.org/nul"}) + "\n",
         "stored")
    _put(folder, "jsonl/lone-surrogate.jsonl",
         '{"text": "bad \\ud800 surrogate ' + ARTICLE.strip() + '",'
          ' "url": "https://news.example.org/surrogate"}\n', "stored")
    _put(folder, "jsonl/no-newline.jsonl", json.dumps({"text": ARTICLE,
         "url": "https://news.example.org/nonl"}), "stored")
    _put(folder, "jsonl/crlf.jsonl", json.dumps({"text": ARTICLE,
         "url": "https://news.example.org/crlf"}) + "\r\n", "stored")
    # zip files, under a readable name and not
    zipped = folder / "archive.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("inner.txt", ARTICLE)
    EXPECT["archive.zip"] = "left out"
    _put(folder, "zipped.txt", zipped.read_bytes(), "error")  # binary under a text name
    _put(folder, "zipped.jsonl", zipped.read_bytes(), "error")
    # control characters and right-to-left text
    controls = "".join(chr(c) for c in range(1, 32) if c not in (10, 13))
    _put(folder, "text/controls-few.txt", ARTICLE + controls + "\n" + ARTICLE * 20, "reported")
    _put(folder, "text/controls-many.txt", controls * 200, "error")
    _put(folder, "text/c1-controls.txt", "".join(chr(c) for c in range(0x80, 0xA0)) * 10
         + ARTICLE, "reported")
    _put(folder, "text/arabic.txt", ARABIC * 5, "stored")
    _put(folder, "text/hebrew.md", "# " + HEBREW * 5, "stored")
    _put(folder, "text/bidi-override.txt", "\u202e" + ARTICLE + "\u2066\u2069\u200f" * 50,
         "stored")
    _put(folder, "text/emoji.txt", "🙂👍🏽 " * 100 + "\n" + ARTICLE, "stored")
    _put(folder, "text/combining.txt", "e\u0301\u0302\u0303\u0304" * 2000 + "\n" + ARTICLE,
         "stored")
    _put(folder, "text/zalgo-name.txt", "Anna\u0336 Berg\u200d, Secretary\u00adGeneral of the "
         "Council of Lakes, met Tomas\ufeffReyes.\n", "stored")
    _put(folder, "text/only-punctuation.txt", "!?.,;:-()[]{}" * 500 + "\n", "stored")
    _put(folder, "text/long-word.txt", "x" * 200_000 + "\n", "stored")
    _put(folder, "text/heading-only.md", "# \n#\n###### \n", "reported")
    _put(folder, "text/cr-only.txt", ARTICLE.replace("\n", "\r") * 3, "stored")
    _put(folder, "text/line-separators.txt", ARTICLE.replace("\n", "\u2028") * 3
         + "\u2029\x85\x0b\x0c" + ARTICLE, "stored")
    # odd names and kinds
    _put(folder, "odd/notes.docx", b"PK\x03\x04" + bytes(100), "left out")
    _put(folder, "odd/data.json", "{}", "left out")
    _put(folder, "odd/UPPER.TXT", ARTICLE, "stored")
    _put(folder, "odd/space name é.txt", ARTICLE, "stored")
    _put(folder, "odd/no-extension", ARTICLE, "left out")
    (folder / "odd/dangling.txt").symlink_to(folder / "odd/nowhere.txt")
    EXPECT["odd/dangling.txt"] = "error"
    # many tiny files
    tiny = folder / "tiny"
    tiny.mkdir(exist_ok=True)
    for i in range(tiny_files):
        (tiny / f"{i:05d}.txt").write_text(f"Note {i}\n\nItem {i} of the Council of Lakes.\n",
                                            encoding="utf-8")
        EXPECT[f"tiny/{i:05d}.txt"] = "stored"
    return dict(EXPECT)
