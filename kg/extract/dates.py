"""Dates as news writes them, resolved against the date of the article or news item.

``find_dates(text, reference)`` returns every date expression in a sentence with
its character span and its value: a day ("2021-12-05"), a month ("2021-06"), or
a range (start, end). Nothing is invented: an expression the reference date
cannot resolve (a weekday with no reference) yields no value.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from kg.datelines import MONTHS, date_line, dateline, trailing_date, year_for

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a": 1,
    "an": 1,
}

_MONTH_WORDS = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_MONTH = rf"(?P<{{}}>{_MONTH_WORDS}\.?)"
_DAY = r"(?P<{}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{}>(?:19|20)\d\d)"
_DASH = r"\s*(?:-|–|—|to|until|till|through|and)\s*"


def _p(template: str, *names: str) -> str:
    return template.format(*names)


M1, M2, D1, D2, Y1, Y2 = (
    _p(_MONTH, "m1"),
    _p(_MONTH, "m2"),
    _p(_DAY, "d1"),
    _p(_DAY, "d2"),
    _p(_YEAR, "y1"),
    _p(_YEAR, "y2"),
)

# Most specific first: ranges before single dates, full dates before partial ones.
PATTERNS = [
    # "on 3 and 4 May": two days running; "on May 10 and 17": two dates, the first is kept
    ("pair", rf"(?<!between\s)\b{D1}\s+and\s+{D2}\s+{M1}(?:,?\s+{Y1})?\b"),
    ("pair", rf"(?<!between\s)\b{M1}\s+{D1}\s+and\s+{D2}(?:,?\s+{Y1})?\b"),
    ("range", rf"\b(?:from\s+|between\s+)?{D1}\s+{M1}(?:\s+{Y1})?{_DASH}{D2}\s+{M2},?\s+{Y2}\b"),
    ("range", rf"\b(?:from\s+|between\s+)?{M1}\s+{D1}(?:,?\s+{Y1})?{_DASH}{M2}\s+{D2},?\s+{Y2}\b"),
    ("range", rf"\b(?:from\s+|between\s+)?{M1}\s+{D1}{_DASH}{D2},?\s+{Y1}\b"),
    ("range", rf"\b(?:from\s+|between\s+)?{D1}{_DASH}{D2}\s+{M1},?\s+{Y1}\b"),
    ("range", rf"\b(?:from\s+|between\s+)?{D1}\s+{M1}{_DASH}{D2}\s+{M2}\b"),
    ("range", rf"\b(?:from\s+|between\s+)?{M1}\s+{D1}{_DASH}{M2}\s+{D2}\b"),
    ("range", rf"\b(?:from\s+|between\s+){M1}\s+{D1}{_DASH}{D2}\b"),
    ("range", rf"\b(?:from\s+|between\s+){D1}{_DASH}{D2}\s+{M1}\b"),
    ("range", rf"\b{M1}\s+{D1}\s*(?:-|–){D2}\b"),
    ("range", rf"\b{D1}\s*(?:-|–){D2}\s+{M1}\b"),
    ("day", r"\b(?P<d1>[0-3]?\d)\.(?P<m1>[01]?\d)\.(?P<y1>(?:19|20)\d\d)\b"),
    ("day", r"\b(?P<y1>(?:19|20)\d\d)-(?P<m1>[01]\d)-(?P<d1>[0-3]\d)\b"),
    ("day", rf"\b{D1}\s+{M1},?\s+{Y1}\b"),
    ("day", rf"\b{M1}\s+{D1},?\s+{Y1}\b"),
    ("month", rf"\b{M1}\s+(?:of\s+)?{Y1}\b"),
    ("day", rf"\b{M1}\s+{D1}\b(?!\s*(?:,\s*)?(?:19|20)\d\d)"),
    ("day", rf"\b{D1}\s+{M1}\b"),
    ("month_this", rf"\b{M1}\s+(?:of\s+)?this\s+year\b"),
    ("month", rf"\b(?:in|since|until|by|during|early|late|mid-?)\s+{M1}\b"),
    ("month", rf"\b(?:the\s+)?(?:end|beginning|start|middle|first\s+half|second\s+half)\s+of\s+{M1}\b"),
    ("season", rf"\b(?:in\s+)?(?:the\s+)?(?P<season>spring|summer|autumn|fall|winter)\s+(?:of\s+)?{Y1}\b"),
    ("year", rf"\b(?:in|during)\s+{Y1}\b(?!\s*[-–/])"),
    # "in the first quarter of 2025", "in Q3 2024", "in the third quarter": its three months
    ("quarter", rf"\b(?:the\s+)?(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter(?:\s+of\s+{Y1})?\b(?!\s+of\b)"),
    ("quarter", rf"\bQ(?P<q>[1-4])\s+{Y1}\b"),
    ("relative", r"\b(?:today|yesterday|tomorrow|tonight|this morning|this afternoon|this evening)\b"),
    # "on Thursday and Friday": two days running
    (
        "weekday_pair",
        r"\b(?:on\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s+and\s+"
        r"(?P<wd2>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
    ),
    (
        "weekday",
        r"\b(?:(?P<which>last|next|this|on|on the)\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
    ),
    (
        "offset",
        r"\b(?P<n>one|two|three|four|five|six|seven|eight|nine|ten|a|an|\d+)\s+(?P<unit>days?|weeks?|months?)\s+(?P<dir>earlier|later|ago|before|after)\b",
    ),
    # "over the weekend", "at the weekend", "last weekend": a Saturday and its Sunday
    ("weekend", r"\b(?:(?:over|at|during)\s+the|(?P<which>last|this|next))\s+weekend\b"),
    ("part_week", r"\b(?P<which>earlier|later)\s+this\s+week\b"),
    ("week", r"\b(?P<which>last|next|this)\s+week\b"),
    ("month_rel", r"\b(?P<which>last|next|this)\s+month\b"),
    ("same_day", r"\b(?:earlier|later)\s+(?:that|the\s+same)\s+day\b|\bthe\s+same\s+day\b"),
    # "In the morning, talks were held ...": part of the day the story is on
    ("same_day", r"\b(?:in|during)\s+the\s+(?:morning|afternoon|evening)\b"),
    ("later_year", r"\blater\s+this\s+year\b"),
    ("earlier_year", r"\bearlier\s+this\s+year\b"),
    ("following_day", r"\b(?:the\s+)?(?:following|next)\s+day\b|\b(?:the\s+)?day\s+after\b"),
    (
        "previous_day",
        r"\bthe\s+(?:day\s+before|previous\s+day|eve)\b|\ba\s+day\s+(?:earlier|before)\b",
    ),
]
# (kind, pattern, whether it needs a month's name): most sentences name no month, and
# skipping the patterns that need one halves the time dates take
COMPILED = [
    (kind, re.compile(pattern, re.IGNORECASE), _MONTH_WORDS in pattern)
    for kind, pattern in PATTERNS
]
ANY_MONTH = re.compile(rf"\b{_MONTH_WORDS}", re.IGNORECASE)
# "since his last briefing in December": a month in the past
PAST = re.compile(r"\b(?:since|last|previous|earlier)\b", re.IGNORECASE)
# A cheap first look: most sentences hold no date expression at all.
MIGHT_HOLD_A_DATE = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|today|yesterday|tomorrow|tonight|"
    r"this\s+(?:morning|afternoon|evening)|morning|afternoon|evening|mon|tue|wed|thu|fri|sat|sun|"
    r"week|month|year|day|quarter|eve\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateValue:
    start: str  # ISO day or year-month
    end: str | None = None

    @property
    def first_day(self) -> date:
        return date.fromisoformat(self.start if len(self.start) == 10 else self.start + "-01")


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    kind: str
    value: DateValue | None


def _month(text: str) -> int:
    return MONTHS[text.lower().rstrip(".")]  # the patterns match month names only


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _year_for(month: int, day: int, reference: date | None) -> int | None:
    """The year of a date written without one: the reference's, unless that lands far ahead."""
    return year_for(month, day, reference) if reference is not None else None


def _value(kind: str, m: re.Match, reference: date | None, anchor: date | None) -> DateValue | None:
    """The dates an expression of a kind stands for: absolute kinds read alone, relative
    ones against the news item's date (``reference``) or the story's last day (``anchor``)."""
    g = m.groupdict()
    if kind == "pair":
        kind = "range" if int(g["d2"]) == int(g["d1"]) + 1 else "day"
    if kind in ABSOLUTE:
        # an undated page: "On 6 September" takes its year from the last date the story gave
        return ABSOLUTE[kind](kind, m, reference or anchor, anchor)
    if reference is None and anchor is not None and kind in ("offset", "previous_day"):
        reference = anchor  # "three days earlier" than the day the story just gave
    if reference is None or kind not in RELATIVE:
        return None
    return RELATIVE[kind](m, reference, anchor)


def _calendar(kind: str, m: re.Match, reference: date | None, _anchor) -> DateValue | None:
    """ "3 May 2024", "3-4 May", "30 April to 2 May 2024", "04.03.2024"."""
    g = m.groupdict()
    m1 = int(g["m1"]) if g["m1"].isdigit() else _month(g["m1"])
    d1 = int(g["d1"])
    y1 = int(g["y1"]) if g.get("y1") else None
    m2 = (int(g["m2"]) if g["m2"].isdigit() else _month(g["m2"])) if g.get("m2") else m1
    d2 = int(g["d2"]) if g.get("d2") else None
    y2 = int(g["y2"]) if g.get("y2") else None
    year_end = y2 or y1 or _year_for(m2, d2 or d1, reference)
    year_start = y1 or (year_end - 1 if (m1, d1) > (m2, d2 or d1) and year_end else year_end)
    if year_start is None:
        return None
    first = _safe(year_start, m1, d1)
    if first is None:
        return None
    if kind == "day":
        return DateValue(first.isoformat())
    last = _safe(year_end, m2, d2) if d2 else None
    if last is None or last < first:
        return None
    return DateValue(first.isoformat(), last.isoformat())


def _season(_kind, m: re.Match, _reference, _anchor) -> DateValue:
    """ "in spring 2024": March to May; "winter 2024" runs into the next year's February."""
    first_month = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}[
        m.group("season").lower()
    ]
    year = int(m.group("y1"))
    last = date(year + first_month // 12, (first_month + 2) % 12 or 12, 1)
    last = date(last.year, last.month, monthrange(last.year, last.month)[1])
    return DateValue(f"{year}-{first_month:02d}-01", last.isoformat())


def _year(_kind, m: re.Match, _reference, _anchor) -> DateValue:
    return DateValue(f"{m.group('y1')}-01-01", f"{m.group('y1')}-12-31")


def _month_named(_kind, m: re.Match, reference: date | None, _anchor) -> DateValue | None:
    """ "in December": of the news item's year, or the year before after "since his last"."""
    g = m.groupdict()
    month = _month(g["m1"])
    year = int(g["y1"]) if g.get("y1") else (reference.year if reference else None)
    before = m.string[max(0, m.start() - 40) : m.start()]
    if not g.get("y1") and reference and month > reference.month and PAST.search(before):
        year -= 1  # "since his last briefing in December", told in June
    return DateValue(f"{year:04d}-{month:02d}") if year else None


QUARTERS = {"first": 1, "1st": 1, "1": 1, "second": 2, "2nd": 2, "2": 2, "third": 3,
            "3rd": 3, "3": 3, "fourth": 4, "4th": 4, "4": 4}


def _quarter(_kind, m: re.Match, reference: date | None, _anchor) -> DateValue | None:
    """ "the third quarter of 2025": 1 July to 30 September (the news item's year without one)."""
    year = int(m.group("y1")) if m.groupdict().get("y1") else (reference.year if reference else None)
    if year is None:
        return None
    first_month = 3 * QUARTERS[m.group("q").lower()] - 2
    last = date(year, first_month + 2, monthrange(year, first_month + 2)[1])
    return DateValue(f"{year}-{first_month:02d}-01", last.isoformat())


def _same_day(_kind, _m, reference: date | None, anchor: date | None) -> DateValue | None:
    day = anchor or reference
    return DateValue(day.isoformat()) if day else None


def _weekday(m: re.Match, reference: date, _anchor) -> DateValue:
    """ "on Tuesday": the last one up to the news day; "next Tuesday", "last Tuesday"."""
    target = WEEKDAYS.index(m.group("wd").lower())
    which = (m.groupdict().get("which") or "").lower()
    if which == "next":
        ahead = (target - reference.weekday()) % 7 or 7
        return DateValue((reference + timedelta(days=ahead)).isoformat())
    back = (reference.weekday() - target) % 7
    if which == "last" and back == 0:
        back = 7
    return DateValue((reference - timedelta(days=back)).isoformat())


def _weekday_pair(m: re.Match, reference: date, _anchor) -> DateValue:
    first_day, second_day = WEEKDAYS.index(m.group("wd").lower()), WEEKDAYS.index(m.group("wd2").lower())
    first = reference - timedelta(days=(reference.weekday() - first_day) % 7)
    last = first + timedelta(days=(second_day - first_day) % 7)
    return DateValue(first.isoformat(), last.isoformat())


def _offset(m: re.Match, reference: date, anchor: date | None) -> DateValue:
    """ "three days earlier" (than the story's day), "two weeks ago" (than the news day)."""
    g = m.groupdict()
    n = int(g["n"]) if g["n"].isdigit() else NUMBER_WORDS[g["n"].lower()]
    unit = g["unit"].lower().rstrip("s")
    sign = -1 if g["dir"].lower() in ("earlier", "ago", "before") else 1
    base = reference if g["dir"].lower() == "ago" else (anchor or reference)
    if unit == "day":
        return DateValue((base + timedelta(days=sign * n)).isoformat())
    if unit == "week":
        return DateValue((base + timedelta(weeks=sign * n)).isoformat())
    month_index = base.year * 12 + base.month - 1 + sign * n
    return DateValue(f"{month_index // 12:04d}-{month_index % 12 + 1:02d}")


def _part_week(m: re.Match, reference: date, _anchor) -> DateValue:
    """ "earlier this week": from Monday to the day before the news (on a Monday, that
    Monday); "later this week": from the news day to Sunday."""
    monday = reference - timedelta(days=reference.weekday())
    if m.group("which").lower() == "earlier":
        return DateValue(monday.isoformat(), max(monday, reference - timedelta(days=1)).isoformat())
    return DateValue(reference.isoformat(), (monday + timedelta(days=6)).isoformat())


def _week(m: re.Match, reference: date, _anchor) -> DateValue | None:
    """ "last week" and "next week": the seven days before or after the news day."""
    which = m.group("which").lower()
    if which == "last":
        return DateValue(
            (reference - timedelta(days=7)).isoformat(), (reference - timedelta(days=1)).isoformat()
        )
    if which == "next":
        return DateValue(
            (reference + timedelta(days=1)).isoformat(), (reference + timedelta(days=7)).isoformat()
        )
    return None


def _month_relative(m: re.Match, reference: date, _anchor) -> DateValue:
    shift = {"last": -1, "next": 1, "this": 0}[m.group("which").lower()]
    index = reference.year * 12 + reference.month - 1 + shift
    return DateValue(f"{index // 12:04d}-{index % 12 + 1:02d}")


def _weekend(m: re.Match, reference: date, _anchor) -> DateValue:
    """The last Saturday and Sunday up to the news day ("over the weekend"); "next
    weekend" the coming one."""
    which = (m.group("which") or "").lower()
    back = (reference.weekday() - 5) % 7  # days since the last Saturday
    saturday = reference - timedelta(days=back)
    if which == "next" or which == "this" and back > 1:
        saturday += timedelta(days=7)  # "this weekend", said on a weekday: the coming one
    elif which == "last" and back <= 1:
        saturday -= timedelta(days=7)
    return DateValue(saturday.isoformat(), (saturday + timedelta(days=1)).isoformat())


def _following_day(_m, _reference: date, anchor: date | None) -> DateValue | None:
    return DateValue((anchor + timedelta(days=1)).isoformat()) if anchor else None


# the kinds read without the news item's date, and those read against it
ABSOLUTE = {
    "day": _calendar,
    "range": _calendar,
    "season": _season,
    "year": _year,
    "month": _month_named,
    "quarter": _quarter,
    "same_day": _same_day,
}
RELATIVE = {
    "month_this": lambda m, ref, _: DateValue(f"{ref.year:04d}-{_month(m.group('m1')):02d}"),
    "relative": lambda m, ref, _: DateValue(
        (ref + timedelta(days={"yesterday": -1, "tomorrow": 1}.get(m.group(0).lower(), 0)))
        .isoformat()
    ),
    "weekday_pair": _weekday_pair,
    "weekday": _weekday,
    "offset": _offset,
    "part_week": _part_week,
    "week": _week,
    "month_rel": _month_relative,
    "weekend": _weekend,
    # from the day the news is dated: what it announces may still happen that day
    "later_year": lambda _m, ref, _: DateValue(ref.isoformat(), f"{ref.year}-12-31"),
    "earlier_year": lambda _m, ref, _: DateValue(f"{ref.year}-01-01", ref.isoformat()),
    "previous_day": lambda _m, ref, anchor: DateValue(
        ((anchor or ref) - timedelta(days=1)).isoformat()
    ),
    "following_day": _following_day,
}


def find_dates(
    text: str, reference: date | None, anchor: date | None = None, ahead: bool = False
) -> list[DateMention]:
    """Date expressions in ``text``, left to right, none overlapping.

    ``reference`` is the date of the article or news item; ``anchor`` the last
    date the story mentioned, for "two days earlier" and "the following day";
    ``ahead`` says the text tells of what is to come ("on Saturday they are to visit"):
    a bare weekday is then the next one, not the last.
    """
    if not MIGHT_HOLD_A_DATE.search(text):
        return []
    taken: list[tuple[int, int]] = []
    found: list[DateMention] = []
    names_a_month = ANY_MONTH.search(text) is not None
    for kind, pattern, needs_month in COMPILED:
        if needs_month and not names_a_month:
            continue
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            value = _value(kind, m, reference, anchor)
            which = (m.groupdict().get("which") or "").lower()
            if ahead and kind == "weekday" and value and which in ("", "on", "on the"):
                value = _coming(value, reference)
            taken.append((m.start(), m.end()))
            found.append(DateMention(m.start(), m.end(), kind, value))
    return sorted(found, key=lambda d: d.start)


def _coming(value: DateValue, reference: date | None) -> DateValue:
    """The weekday a week on, when the last one is already past."""
    if reference is None or value.start >= reference.isoformat():
        return value
    return DateValue((date.fromisoformat(value.start) + timedelta(days=7)).isoformat())


def line_date(line: str, reference: date | None) -> date | None:
    """The date a line announces when it is a date line ("08.12.2021", "UPDATE, January 13."),
    opens with a dateline ("GENEVA, 2 March 2023 ..."), or is a headline stamped with its
    date at the end ("... in Lebanon 08.12.2021")."""
    return date_line(line, reference) or dateline(line, reference) or trailing_date(line)
