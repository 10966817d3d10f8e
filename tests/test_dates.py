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
