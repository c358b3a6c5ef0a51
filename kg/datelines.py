"""Date lines: a line that is only a date, and the dateline that opens a story (layer 1).

Two readers need them. ``sources`` takes an article's publication date from the lines
near its top; the extractor dates each news item of a page by the date line it opens
with. One parser serves both, so a form taught to one ("UNITED NATIONS, New York,
9 June 2023 — ...") is known to the other.

A line without a year has one only when the caller gives a ``reference`` date (the
page's): the reference's year, or the year before when that would put the date more
than eight months after the reference.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date, timedelta

_ORDINAL = r"(?:st|nd|rd|th)?"
_TO_DAY = r"(?:\s*[-–]\s*\d{1,2}(?:st|nd|rd|th)?(?!\d))?"
_DATE_FORMS = (
    r"(?P<day>\d{1,2})\.(?P<num>\d{1,2})\.(?P<year>\d{4})",
    r"(?P<year>\d{4})-(?P<num>\d{1,2})-(?P<day>\d{1,2})",
    # "09/25/2023" as US sites write it; "25/09/2023" read the other way round (and the
    # weekday before it, if any, settles "03/08/2024")
    r"(?P<num>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{4})",
    # "9 May", "9-10 May", "May 9", "May 9-10" (a range is dated by its first day)
    rf"(?P<day>\d{{1,2}}){_ORDINAL}{_TO_DAY}\s+(?P<month>[a-z]{{3,9}})\.?,?"
    rf"(?:\s+(?P<year>\d{{4}}))?",
    rf"(?P<month>[a-z]{{3,9}})\.?\s+(?P<day>\d{{1,2}}){_ORDINAL}{_TO_DAY}"
    rf"(?:,?\s+(?P<year>\d{{4}}))?",
)
# "Published: ", "Last updated on ", "Issued "
_LABEL = (
    r"(?:(?:(?:last\s+)?(?:updated|revised|modified)|published|posted|issued|released|date)"
    r"(?:\s+on)?\s*:?\s*)?"
)
_WEEKDAY = r"(?:(?P<wd>mon|tue|tues|wed|thu|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?\.?,?\s+)?"
_TIME = (
    r"(?:(?:,?\s+|\s+[-–|]\s+|T)\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?\s*(?:[ap]\.?m\.?)?"
    r"\s*(?:Z|[+-]\d{2}:?\d{2}|\(?[a-z]{2,5}\)?)?)?"
)
# "MOSCOW, " or "UPDATE, " before a date alone on its line; ", Moscow" after it
_LEAD = (
    # "3/9 · ": a post of a numbered thread
    r"(?:\d{1,3}\s*/\s*\d{1,3}\s*[·•|:-]\s*)?"
    # "Reference sheet, last updated ...": words before a comma and a label that follows
    r"(?:(?-i:[A-Z][a-z]+)(?:\s+[a-z]+){0,3},\s+"
    r"(?=(?:last\s+)?(?:updated|revised|modified|published|posted|issued|released)\b))?"
    r"(?:(?!(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,)(?-i:[A-Z][A-Z .'-]+),\s*)?"
    r"(?:(?:UPDATE|UPDATED)\s*,\s*)?"
    # "Newsletter – 23 June 2025", "Press release — 3 May 2024": a label, a dash, the date
    r"(?:[A-Z][a-z]+(?:\s+[a-z]+){0,2}\s+[–—-]\s+)?"
)
# ", Moscow" after the date, or a note in brackets: "(summary)", "(updated)"
_TRAIL = r"(?:\s*,\s*(?-i:[A-Z])[\w .'-]{1,30})?(?:\s*\([\w .'-]{1,30}\))?\s*[.:]?"
# a place, perhaps a second one, before the date: "MOSCOW, ", "UNITED NATIONS, New York, ",
# "Vienna/Tehran, "
_PLACE = (
    r"(?P<place>[^\W\d_]+(?:[ .'’/-]+[^\W\d_]+){0,4}\.?)\s*(?:\([^)]{1,40}\))?\s*,\s*"
    r"(?:[^\W\d_]+(?:[ .'’-]+[^\W\d_]+){0,3}\s*,\s*)?"
)
_DATE_LINES = tuple(
    re.compile(_LEAD + _LABEL + _WEEKDAY + f + _TIME + _TRAIL, re.I) for f in _DATE_FORMS
)
_DATELINES = tuple(re.compile(_PLACE + f + r"(?!\w)", re.I) for f in _DATE_FORMS)
# "Photo 2. Qingdao, 26 June 2025. ...", "3) MINSK, ...": a numbered item's dateline
NUMBERED_ITEM = r"(?:(?:Photo|Picture|Image|Slide|Item)\s+)?\d{1,3}[.)]\s+"
_NUMBERED = re.compile(rf"^\s*{NUMBERED_ITEM}")
_TRAILING = (
    re.compile(r"\s(?P<day>[0-3]?\d)\.(?P<num>[01]?\d)\.(?P<year>(?:19|20)\d\d)\s*$"),
    # "... visit to Kazan (October 23, 2024)": a full date in brackets closing the headline
    *(re.compile(rf"\s\(\s*{f}\s*\)\s*$", re.I) for f in _DATE_FORMS),
)
# every way news writes a month, to its number
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}


def date_line(line: str, reference: date | None = None) -> date | None:
    """A line that is only a date: "18.05.2022", "Published: May 18, 2022 10:30",
    "UPDATE, January 13.", "29.04.2019, Moscow"."""
    bare = line.strip("*_ ")
    for pattern in _DATE_LINES:
        found = pattern.fullmatch(bare)
        if found:
            return _to_date(found.groupdict(), reference)
    return None


# "On Monday, 14 August 2023, he was received ...": a sentence opening with a date, no dateline
_NOT_A_PLACE = re.compile(
    r"(?:on|in|by|since|from|until|till|at|as\s+of|before|after)\b"
    r"|.*\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b",
    re.I,
)


def dateline(line: str, reference: date | None = None) -> date | None:
    """The dateline opening a story: "MOSCOW, October 10, 2022. ...". A place not written
    in capitals ("Minsk, 3 October 2022.") needs the year, so that "Moscow, May 9 parade"
    is no date; a capitalized one takes the reference's year."""
    head = _NUMBERED.sub("", line[:200], count=1)
    for pattern in _DATELINES:
        found = pattern.match(head)
        if found and found.group("place")[0].isupper() and not _NOT_A_PLACE.match(
            found.group("place")
        ):
            parts = found.groupdict()
            shouted = found.group("place").upper() == found.group("place")
            return _to_date(parts, reference if shouted else None)
    return None


# a year the text names, to settle a dateline written without one
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_DAY_NAMED = re.compile(r"\b(?:on\s+)?((?:mon|tues|wednes|thurs|fri|satur|sun)day)\b", re.I)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # by their first three letters


def dateline_by_weekday(line: str, text: str) -> date | None:
    """A wire dateline without a year ("ASTANA, July 4 (Kazinform) - ... on Thursday"): the
    year near those the text names in which that day falls on the weekday the line tells
    of; none when the line names no weekday or no year fits."""
    head = _NUMBERED.sub("", line[:600], count=1)  # the weekday may come a sentence on
    for pattern in _DATELINES:
        found = pattern.match(head)
        if found and not found.group("year") and found.group("place").isupper():
            weekday = _DAY_NAMED.search(head[found.end() :])
            break
    else:
        return None
    month = month_number(found.group("month") or "") if found.group("month") else None
    years = {int(y) for y in _YEAR.findall(text)}
    if weekday is None or month is None or not years:
        return None
    wanted = _WEEKDAYS.index(weekday.group(1).lower()[:3])
    fitting = []
    for year in range(min(years) - 2, max(years) + 1):
        with contextlib.suppress(ValueError):
            if date(year, month, int(found.group("day"))).weekday() == wanted:
                fitting.append(date(year, month, int(found.group("day"))))
    # a story names years to come and years long past; the day it tells of is near the
    # latest it names
    near = [day for day in fitting if day.year >= max(years) - 1]
    if len(near) == 1:
        return near[0]
    return fitting[-1] if len(fitting) == 1 else None


def trailing_date(line: str) -> date | None:
    """A headline stamped with its date at the end: "... in Lebanon 08.12.2021", "...
    (October 23, 2024)" (the year is needed)."""
    for pattern in _TRAILING:
        found = pattern.search(line)
        if found:
            return _to_date(found.groupdict(), None)
    return None


def year_for(month: int, day: int, reference: date) -> int:
    """The year of a day written without one, told on ``reference``: the reference's, or
    the year before for a day more than eight months ahead, or the year after for one
    more than eleven months back ("January 9" told on 30 December is the coming one)."""
    try:
        candidate = date(reference.year, month, day)
    except ValueError:
        return reference.year
    if candidate - reference > timedelta(days=240):
        return reference.year - 1
    if reference - candidate > timedelta(days=335):
        return reference.year + 1
    return reference.year


def _to_date(parts: dict[str, str | None], reference: date | None) -> date | None:
    day = parts.get("day")
    month = month_number(parts.get("month") or "") if parts.get("month") else parts.get("num")
    if not (month and day):
        return None
    year = parts.get("year")
    if not year and reference is None:
        return None
    month, day = int(month), int(day)
    if month > 12 >= day or _weekday_says(parts.get("wd"), year, month, day):
        month, day = day, month  # "25/09/2023"; "Fri, 03/08/2024" is 8 March
    try:
        number = int(year) if year else year_for(month, day, reference)
        return date(number, month, day)
    except ValueError:
        return None


def _weekday_says(weekday: str | None, year: str | None, month: int, day: int) -> bool:
    """Whether the weekday written before a date fits it read the other way round only."""
    if not weekday or not year:
        return False
    index = _WEEKDAYS.index(weekday.lower()[:3])
    try:
        as_written = date(int(year), month, day).weekday() == index
        swapped = date(int(year), day, month).weekday() == index
    except ValueError:
        return False
    return swapped and not as_written


def month_number(word: str) -> int | None:
    """ "March", "Mar.", "sept" → its number; None for a word that names no month."""
    return MONTHS.get(word.lower().rstrip("."))
