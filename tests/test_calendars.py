"""Julian <-> Gregorian conversion against known dates in every century, leap days included."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from searchkit.calendars import calendar_gap, check_calendar, gregorian_to_julian, julian_to_gregorian
from searchkit.errors import DateError

# (Julian y, m, d) = Gregorian date, from standard chronologies.
KNOWN = [
    ((1000, 1, 1), dt.date(1000, 1, 6)),  # 5 days in the 11th century before 1 March 1100
    ((1492, 10, 12), dt.date(1492, 10, 21)),  # Columbus's landfall: 9 days
    ((1582, 10, 4), dt.date(1582, 10, 14)),  # last Julian day in Rome ...
    ((1582, 10, 5), dt.date(1582, 10, 15)),  # ... and the first Gregorian: 10 days
    ((1616, 4, 23), dt.date(1616, 5, 3)),  # Shakespeare's death
    ((1642, 12, 25), dt.date(1643, 1, 4)),  # Newton's birth, across a year
    ((1700, 2, 18), dt.date(1700, 2, 28)),  # still 10 days
    ((1700, 2, 29), dt.date(1700, 3, 11)),  # a Julian-only leap day
    ((1700, 3, 1), dt.date(1700, 3, 12)),  # 11 days from here
    ((1732, 2, 11), dt.date(1732, 2, 22)),  # Washington's birth
    ((1752, 9, 2), dt.date(1752, 9, 13)),  # Britain: Wednesday 2 September ...
    ((1752, 9, 3), dt.date(1752, 9, 14)),  # ... was followed by Thursday 14 September
    ((1799, 5, 26), dt.date(1799, 6, 6)),  # Pushkin's birth
    ((1800, 2, 29), dt.date(1800, 3, 12)),  # a Julian-only leap day
    ((1800, 3, 1), dt.date(1800, 3, 13)),  # 12 days from here
    ((1828, 8, 28), dt.date(1828, 9, 9)),  # Tolstoy's birth
    ((1870, 4, 10), dt.date(1870, 4, 22)),  # Lenin's birth
    ((1900, 2, 28), dt.date(1900, 3, 12)),  # still 12 days
    ((1900, 2, 29), dt.date(1900, 3, 13)),  # a Julian-only leap day
    ((1900, 3, 1), dt.date(1900, 3, 14)),  # 13 days from here
    ((1905, 1, 9), dt.date(1905, 1, 22)),  # Bloody Sunday
    ((1917, 2, 23), dt.date(1917, 3, 8)),  # the February Revolution
    ((1917, 10, 25), dt.date(1917, 11, 7)),  # the October Revolution
    ((1917, 12, 25), dt.date(1918, 1, 7)),  # Orthodox Christmas
    ((1918, 1, 31), dt.date(1918, 2, 13)),  # Russia's last Julian day
    ((2000, 2, 29), dt.date(2000, 3, 13)),  # a leap day in both calendars
    ((2100, 2, 29), dt.date(2100, 3, 14)),  # Julian-only again ...
    ((2100, 3, 1), dt.date(2100, 3, 15)),  # ... and 14 days from here
]


@pytest.mark.parametrize(("julian", "gregorian"), KNOWN)
def test_known_dates_both_ways(julian: tuple[int, int, int], gregorian: dt.date) -> None:
    assert julian_to_gregorian(*julian) == gregorian
    assert gregorian_to_julian(gregorian) == julian


@pytest.mark.parametrize(
    ("day", "gap"),
    [
        (dt.date(1600, 6, 1), 10),
        (dt.date(1700, 3, 12), 11),
        (dt.date(1799, 1, 1), 11),
        (dt.date(1800, 3, 13), 12),
        (dt.date(1899, 12, 31), 12),
        (dt.date(1900, 3, 14), 13),
        (dt.date(1917, 11, 7), 13),
        (dt.date(2024, 1, 1), 13),
    ],
)
def test_the_gap_in_each_century(day: dt.date, gap: int) -> None:
    assert calendar_gap(day) == gap


def test_days_that_do_not_exist() -> None:
    with pytest.raises(DateError, match="'1917-02-29'"):
        julian_to_gregorian(1917, 2, 29)
    with pytest.raises(DateError, match="no such day"):
        julian_to_gregorian(1917, 4, 31)
    assert julian_to_gregorian(1916, 2, 29) == dt.date(1916, 3, 13)


def test_calendar_names() -> None:
    assert check_calendar("Julian") == check_calendar("O.S.") == check_calendar("old style") == "julian"
    assert check_calendar("NS") == "gregorian"
    with pytest.raises(DateError, match="Unknown calendar 'hebrew'"):
        check_calendar("hebrew")


@given(st.dates(min_value=dt.date(2, 1, 1), max_value=dt.date(9998, 12, 31)))
def test_round_trip(day: dt.date) -> None:
    assert julian_to_gregorian(*gregorian_to_julian(day)) == day
