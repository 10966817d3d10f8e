from __future__ import annotations

import datetime as dt

import pytest

from searchkit import DateError, parse_date


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("1917-11-07", dt.date(1917, 11, 7), dt.date(1917, 11, 7)),
        ("1917-11", dt.date(1917, 11, 1), dt.date(1917, 11, 30)),
        ("1917-02", dt.date(1917, 2, 1), dt.date(1917, 2, 28)),
        ("1916-02", dt.date(1916, 2, 1), dt.date(1916, 2, 29)),
        ("1917", dt.date(1917, 1, 1), dt.date(1917, 12, 31)),
    ],
)
def test_dates_are_ranges(text: str, start: dt.date, end: dt.date) -> None:
    r = parse_date(text)
    assert (r.start, r.end, r.text) == (start, end, text)


def test_overlap() -> None:
    assert parse_date("1917-11").overlaps(parse_date("1917-11-15"))
    assert not parse_date("1917-10").overlaps(parse_date("1917-11-15"))


@pytest.mark.parametrize("text", ["1917-02-30", "1917-13", "yesterday", "17/11/1917", ""])
def test_invalid_dates_name_the_value(text: str) -> None:
    with pytest.raises(DateError, match=f"Invalid date '{text}'"):
        parse_date(text)


@pytest.mark.parametrize(
    ("text", "calendar", "start", "end", "style"),
    [
        ("1917-10-25", "julian", dt.date(1917, 11, 7), dt.date(1917, 11, 7), "julian"),
        ("1917-10-25os", "gregorian", dt.date(1917, 11, 7), dt.date(1917, 11, 7), "julian"),
        ("1917-10-25 OS", "gregorian", dt.date(1917, 11, 7), dt.date(1917, 11, 7), "julian"),
        ("1917-11-07 NS", "julian", dt.date(1917, 11, 7), dt.date(1917, 11, 7), "gregorian"),
        ("1917-10", "julian", dt.date(1917, 10, 14), dt.date(1917, 11, 13), "julian"),
        ("1917", "julian", dt.date(1917, 1, 14), dt.date(1918, 1, 13), "julian"),
        ("25 October (7 November) 1917", "gregorian", dt.date(1917, 11, 7), dt.date(1917, 11, 7), "julian"),
        ("7 November (25 October) 1917", "gregorian", dt.date(1917, 11, 7), dt.date(1917, 11, 7), "julian"),
        ("1 (14) November 1917", "gregorian", dt.date(1917, 11, 14), dt.date(1917, 11, 14), "julian"),
        (
            "19 December 1917 (1 January 1918)",
            "gregorian",
            dt.date(1918, 1, 1),
            dt.date(1918, 1, 1),
            "julian",
        ),
        ("7 November 1917", "gregorian", dt.date(1917, 11, 7), dt.date(1917, 11, 7), "gregorian"),
        ("November 7, 1917", "gregorian", dt.date(1917, 11, 7), dt.date(1917, 11, 7), "gregorian"),
        ("November 1917", "gregorian", dt.date(1917, 11, 1), dt.date(1917, 11, 30), "gregorian"),
        ("Nov. 1917", "julian", dt.date(1917, 11, 14), dt.date(1917, 12, 13), "julian"),
        ("c. 1917", "gregorian", dt.date(1916, 1, 1), dt.date(1918, 12, 31), "gregorian"),
        ("1917?", "gregorian", dt.date(1916, 1, 1), dt.date(1918, 12, 31), "gregorian"),
        ("c. 7 November 1917", "gregorian", dt.date(1917, 10, 31), dt.date(1917, 11, 14), "gregorian"),
    ],
)
def test_written_forms_and_calendars(
    text: str, calendar: str, start: dt.date, end: dt.date, style: str
) -> None:
    r = parse_date(text, calendar)
    assert (r.start, r.end, r.text, r.calendar) == (start, end, text, style)


def test_display_shows_both_styles_for_an_old_style_day_and_partial_dates_as_written() -> None:
    from searchkit.dates import display_date

    assert display_date(parse_date("26 October (8 November) 1917")) == "26 Oct / 8 Nov 1917"
    assert display_date(parse_date("1917-12-19", "julian")) == "19 Dec 1917 / 1 Jan 1918"
    assert display_date(parse_date("November 1917", "julian")) == "November 1917"
    assert display_date(parse_date("c. 1917")) == "c. 1917"
    assert display_date(parse_date("1917-11-14")) == "1917-11-14"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("25 October (8 November) 1917", "not the same day in Old and New Style"),
        ("1917-02-29 OS", "no such day"),
        ("7 Brumaire 1917", "unknown month 'Brumaire'"),
    ],
)
def test_bad_written_dates(text: str, message: str) -> None:
    with pytest.raises(DateError, match=message):
        parse_date(text)
