"""EDTF dates (ISO 8601-2): ranges for filtering, words for people, in either calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from searchkit.dates import display_date, parse_date, parse_period
from searchkit.errors import DateError

D = dt.date


@pytest.mark.parametrize(
    ("text", "calendar", "start", "end", "words"),
    [
        # qualifiers widen by the date's precision, as "c." does
        ("1917-10~", "gregorian", D(1917, 8, 31), D(1917, 12, 1), "about October 1917"),
        ("1917?", "gregorian", D(1916, 1, 1), D(1918, 12, 31), "possibly 1917"),
        ("1917-10-25%", "gregorian", D(1917, 10, 18), D(1917, 11, 1), "possibly about 25 October 1917"),
        # unspecified digits
        ("191X", "gregorian", D(1910, 1, 1), D(1919, 12, 31), "the 1910s"),
        ("19XX", "gregorian", D(1900, 1, 1), D(1999, 12, 31), "the 1900s"),
        ("1917-1X", "gregorian", D(1917, 10, 1), D(1917, 12, 31), "October–December 1917"),
        ("1917-XX", "gregorian", D(1917, 1, 1), D(1917, 12, 31), "an unknown month of 1917"),
        ("1917-10-XX", "gregorian", D(1917, 10, 1), D(1917, 10, 31), "a day in October 1917"),
        ("1917-10-1X", "gregorian", D(1917, 10, 10), D(1917, 10, 19), "10–19 October 1917"),
        ("1917-02-2X", "gregorian", D(1917, 2, 20), D(1917, 2, 28), "20–28 February 1917"),
        # seasons
        ("1917-21", "gregorian", D(1917, 3, 1), D(1917, 5, 31), "spring 1917"),
        ("1917-24", "gregorian", D(1917, 12, 1), D(1918, 2, 28), "winter 1917"),
        # intervals, open and unknown ends
        ("1917-03/1917-10", "gregorian", D(1917, 3, 1), D(1917, 10, 31), "March to October 1917"),
        ("1917-03/1918-01", "gregorian", D(1917, 3, 1), D(1918, 1, 31), "March 1917 to January 1918"),
        ("1917-03/..", "gregorian", D(1917, 3, 1), D.max, "from March 1917"),
        ("../1917-10", "gregorian", D.min, D(1917, 10, 31), "until October 1917"),
        ("1917-03/", "gregorian", D(1917, 3, 1), D.max, "from March 1917 (end unknown)"),
        ("1918/1919", "gregorian", D(1918, 1, 1), D(1919, 12, 31), "1918 to 1919"),
        ("1917-08-12/1917-08-15", "gregorian", D(1917, 8, 12), D(1917, 8, 15), "12–15 August 1917"),
        # Old Style digits are converted day by day; an Old Style day is shown in both styles
        ("1917-10-25", "julian", D(1917, 11, 7), D(1917, 11, 7), "25 Oct / 7 Nov 1917"),
        ("1917-10-25~", "julian", D(1917, 10, 31), D(1917, 11, 14), "about 25 Oct / 7 Nov 1917"),
        ("1917-10-25~ OS", "gregorian", D(1917, 10, 31), D(1917, 11, 14), "about 25 Oct / 7 Nov 1917"),
        ("1917-08-12/1917-08-15", "julian", D(1917, 8, 25), D(1917, 8, 28), "12–15 Aug / 25–28 Aug 1917"),
        ("1900-02-XX", "julian", D(1900, 2, 13), D(1900, 3, 13), "a day in February 1900"),
        ("1917-10", "julian", D(1917, 10, 14), D(1917, 11, 13), "1917-10"),  # plain ISO: as written
    ],
)
def test_edtf_dates_are_ranges_shown_in_words(
    text: str, calendar: str, start: dt.date, end: dt.date, words: str
) -> None:
    date = parse_date(text, calendar)
    assert (date.start, date.end) == (start, end)
    assert display_date(date) == words
    assert date.text == text


def test_plain_dates_keep_their_old_meaning() -> None:
    assert display_date(parse_date("1917-11-14")) == "1917-11-14"
    assert display_date(parse_date("c. 1917")) == "c. 1917"
    legacy, edtf = parse_date("1917?"), parse_date("1917?")
    assert (legacy.start, legacy.end, legacy.approximate) == (D(1916, 1, 1), D(1918, 12, 31), True)
    assert edtf == legacy


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1917-13", "month must be 01-12"),
        ("1917-02-30", "out of range"),
        ("1917-02-29~", "has no day 29"),
        ("1X17", "unspecified digits of a year come last"),
        ("19XX-10", "a known month needs a known year"),
        ("1917-10?-25", "qualifiers go at the end"),
        ("../..", "give at least one end"),
        ("1917-10/1917-03", "ends before it starts"),
        ("1917/1918/1919", "one '/'"),
    ],
)
def test_bad_edtf_dates_name_the_value(text: str, message: str) -> None:
    with pytest.raises(DateError, match=message) as info:
        parse_date(text)
    assert f"'{text}'" in str(info.value)


def test_periods_for_about() -> None:
    first, last = parse_period("1917-10..1917-11")
    assert first is not None and last is not None
    assert (first.start, last.end) == (D(1917, 10, 1), D(1917, 11, 30))
    assert parse_period("..1917")[0] is None
    assert parse_period("1917..")[1] is None
    whole, same = parse_period("1917-10~")
    assert whole is same and whole is not None and whole.start == D(1917, 8, 31)
    first, _ = parse_period("1917-10-25..", "julian")
    assert first is not None and first.start == D(1917, 11, 7)
    for bad, message in (("..", "give FROM..TO"), ("1918..1917", "is after"), ("", "give FROM..TO")):
        with pytest.raises(DateError, match=message):
            parse_period(bad)
