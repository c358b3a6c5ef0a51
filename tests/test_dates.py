"""Date expressions as news writes them, resolved against the item's date."""

from datetime import date

import pytest

from kg.datelines import dateline_by_weekday, year_for
from kg.extract.dates import find_dates, line_date

REFERENCE = date(2023, 3, 15)  # a Wednesday


def values(text, reference=REFERENCE, anchor=None):
    return [(d.kind, d.value.start if d.value else None, d.value.end if d.value else None)
            for d in find_dates(text, reference, anchor)]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("The talks took place on 04.03.2023 in Minsk.", "2023-03-04", None),
        ("Signed 2022-11-30 in Astana.", "2022-11-30", None),
        ("On 7 February 2023 the council sat.", "2023-02-07", None),
        ("On February 7, 2023, the council sat.", "2023-02-07", None),
        ("The envoy arrived on March 2.", "2023-03-02", None),
        ("The forum met on 2 March.", "2023-03-02", None),
        ("From April 3 to 6, 2023, observers toured the region.", "2023-04-03", "2023-04-06"),
        ("Observers stayed from 3 to 6 April 2023.", "2023-04-03", "2023-04-06"),
        ("The exercise ran 10–12 March.", "2023-03-10", "2023-03-12"),
        ("from 30 January to 2 February 2023", "2023-01-30", "2023-02-02"),
        ("The delegation visited in June 2021.", "2021-06", None),
        ("The summit is planned for the first quarter of 2025.", "2025-01-01", "2025-03-31"),
        ("Talks resume in Q3 2024.", "2024-07-01", "2024-09-30"),
        ("A review follows in the fourth quarter.", "2023-10-01", "2023-12-31"),
        ("She paid a visit on 3 and 4 May.", "2023-05-03", "2023-05-04"),
        ("It has worsened since her last briefing in December.", "2022-12", None),
        ("The next summit is planned in December.", "2023-12", None),
        ("The council will meet again in 2024.", "2024-01-01", "2024-12-31"),
        ("Earlier that day, the envoys met.", "2023-03-15", None),
        ("Earlier this week, the envoy briefed the Council.", "2023-03-13", "2023-03-14"),
        ("The council meets later this week.", "2023-03-15", "2023-03-19"),
        ("The council met on Monday and Tuesday.", "2023-03-13", "2023-03-14"),
        ("The next session is set for spring 2024.", "2024-03-01", "2024-05-31"),
        ("They met in the winter of 2023.", "2023-12-01", "2024-02-29"),
        ("The talks were held on May 10 and 17, 2022.", "2022-05-10", None),
        ("They agreed in January of this year.", "2023-01", None),
        ("The minister spoke to reporters today.", "2023-03-15", None),
        ("The minister spoke to reporters yesterday.", "2023-03-14", None),
        ("The envoys met last week.", "2023-03-08", "2023-03-14"),
        ("The secretary general arrived last Thursday.", "2023-03-09", None),
        ("A summit is planned later this year.", "2023-03-15", "2023-12-31"),
        ("The council sat twice earlier this year.", "2023-01-01", "2023-03-15"),
        ("Over the weekend the envoys met the premier.", "2023-03-11", "2023-03-12"),
        ("At the end of January the envoy toured the region.", "2023-01", None),
        ("The leaders will talk again this weekend.", "2023-03-18", "2023-03-19"),
        ("The monitors arrive next weekend.", "2023-03-18", "2023-03-19"),
        ("On the eve of the summit, the envoys met.", "2023-03-14", None),
    ],
)
def test_resolves_against_reference(text, start, end):
    found = [v for v in values(text) if v[1]]
    assert found[0][1:] == (start, end)


def test_an_offset_counts_from_the_story_without_a_news_date():
    assert values("Three days earlier they met.", reference=None, anchor=date(2023, 6, 9)) == [
        ("offset", "2023-06-06", None)
    ]


def test_a_date_without_year_late_in_the_year_belongs_to_the_previous_year():
    assert values("They met on December 28.")[0][1] == "2022-12-28"


def test_offsets_count_from_the_last_date_the_story_gave():
    assert values("two days earlier", anchor=date(2023, 3, 10))[0][1] == "2023-03-08"


def test_relative_dates_need_a_reference():
    assert values("The ministers met yesterday.", reference=None) == [("relative", None, None)]
    assert values("on Sunday", reference=None)[0][1] is None


def test_no_date_is_invented():
    assert values("The organization was founded to keep the peace.") == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("04.03.2023", date(2023, 3, 4)),
        ("7 Feb 2023", date(2023, 2, 7)),
        ("ASTANA, March 2, 2023", date(2023, 3, 2)),
        ("GENEVA, 2 March 2023", date(2023, 3, 2)),
        ("UPDATE, March 16. The observers left.", date(2023, 3, 16)),
        ("The observers left on March 16.", None),
        ("Minsk, 3 October 2022. The ministers met.", date(2022, 10, 3)),
        ("Moscow, May 9 parade rehearsals began.", None),
        ("UNITED NATIONS, New York, 9 June 2023 — The Council", date(2023, 6, 9)),
        ("29.04.2019, Moscow", date(2019, 4, 29)),
        ("Delegation arrives in Lebanon 08.12.2021", date(2021, 12, 8)),
        ("Transcript of a briefing on the visit to Minsk (May 3, 2024)", date(2024, 5, 3)),
        ("Mon, 09/25/2023 - 17:43", date(2023, 9, 25)),
        ("Newsletter – 23 June 2025", date(2025, 6, 23)),
        ("Press release — 3 May 2024", date(2024, 5, 3)),
        ("Fri, 03/08/2024 - 11:42", date(2024, 3, 8)),
        ("Sat, 03/08/2024", date(2024, 8, 3)),
        ("25/09/2023", date(2023, 9, 25)),
        ("Talks in Minsk (3 May 2024)", date(2024, 5, 3)),
        ("Statement on the talks (May 3)", None),
        ("The Council's work (2024)", None),
        ("On Monday, 14 August 2023, he was received in Ashgabat.", None),
        ("In Astana, 3 May 2024, the leaders met.", None),
        # a weekday line with a note in brackets; labels of a page that is kept up to date
        ("Tuesday, 7 May 2024 (transcript)", date(2024, 5, 7)),
        ("Fact file, last updated 12 January 2024", date(2024, 1, 12)),
        ("Revised on 2 February 2024", date(2024, 2, 2)),
        ("Released: 9 April 2024", date(2024, 4, 9)),
        ("Fact file, compiled by our desk", None),
        # the posts of a numbered thread
        ("4/12 · 9 May 2023, 10:15", date(2023, 5, 9)),
        ("5/12 · 9 May, 11:02", date(2023, 5, 9)),
        # two places joined by a slash
        ("Geneva/Bern, 14 March 2023 - The two delegations", date(2023, 3, 14)),
        # a section of a timeline: a place, a dash, days (the first day counts)
        ("LINZ - March 5-6", date(2023, 3, 5)),
        ("11–12 May 2023", date(2023, 5, 11)),
    ],
)
def test_date_lines(line, expected):
    assert line_date(line, REFERENCE) == expected


def test_a_weekday_to_come_is_the_next_one() -> None:
    friday = date(2018, 9, 28)
    text = "on Saturday he and Rahmon are to visit the plant"
    [ahead] = find_dates(text, friday, None, ahead=True)
    [told] = find_dates("on Saturday he visited the plant", friday)
    assert (ahead.value.start, told.value.start) == ("2018-09-29", "2018-09-22")
    [today] = find_dates("on Friday they will meet", friday, None, ahead=True)
    assert today.value.start == "2018-09-28"


def test_a_quarter_of_something_else_is_no_date() -> None:
    assert find_dates("in the first quarter of the session", date(2023, 5, 1)) == []


def test_an_undated_page_takes_the_year_from_the_story():
    assert values("On 6 September he briefed the Council.", None, date(2022, 9, 1)) == [
        ("day", "2022-09-06", None)
    ]
    assert values("In October he went to Kyiv.", None, date(2022, 9, 1)) == [
        ("month", "2022-10", None)
    ]
    assert values("In October he went to Kyiv.", None, None) == [("month", None, None)]


@pytest.mark.parametrize(
    ("line", "text", "expected"),
    [
        # 4 July was a Thursday in 2024; the story names 2025 for the next summit
        ("ASTANA, July 4 (Kazinform) - The leaders met on Thursday.",
         "The next summit is planned in 2025.", date(2024, 7, 4)),
        ("ADDIS ABABA, Feb 17 (ENA) - The Assembly opened on Saturday.", "in 2024 and 2025",
         date(2024, 2, 17)),
        ("ASTANA, July 4 (Kazinform) - The leaders met.", "in 2025", None),  # no weekday
        ("ASTANA, July 4 (Kazinform) - The leaders met on Thursday.", "no year", None),
        ("ASTANA, July 4 (Kazinform) - The leaders met on Friday.", "in 2024", None),  # no fit
        # 12 September fell on a Tuesday in 2023 and in 2017; the story's years run to 2024
        ("BEIJING, Sept. 12 (Xinhua) -- The foreign ministers, who had come from the "
         "capitals of all the member states for two days of talks about trade, transport and "
         "the common fight against terrorism, met on Tuesday in the Great Hall.",
         "The body was founded in 2001 and will meet again in 2024.", date(2023, 9, 12)),
    ],
)
def test_a_wire_dateline_without_a_year_takes_the_year_its_weekday_fits(line, text, expected):
    assert dateline_by_weekday(line, line + " " + text) == expected


def test_a_day_without_a_year_is_the_nearest_one() -> None:
    """Told on 30 December, "January 9" is the coming one; "February 15" told on 20 December
    is the one that year (a look back), and "December 3" told in June the last one."""
    assert year_for(1, 9, date(2021, 12, 30)) == 2022
    assert year_for(2, 15, date(2024, 12, 20)) == 2024
    assert year_for(12, 3, date(2024, 3, 1)) == 2023
    assert year_for(7, 1, date(2024, 6, 25)) == 2024
