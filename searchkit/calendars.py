"""Julian (Old Style) and Gregorian (New Style) calendars, converted exactly through day numbers.

Russia kept the Julian calendar until 31 January 1918; the next day was 14 February. The gap
between the calendars is 10 days from 1582 to 28 February 1700 (Julian), then 11, 12 from 1 March
1800 and 13 from 1 March 1900 (Julian), because 1700, 1800 and 1900 are leap years in the Julian
calendar only.

>>> julian_to_gregorian(1917, 10, 25)
datetime.date(1917, 11, 7)
>>> gregorian_to_julian(dt.date(1918, 2, 14))
(1918, 2, 1)
>>> julian_to_gregorian(1900, 2, 29)
datetime.date(1900, 3, 13)

Julian dates are ``(year, month, day)`` tuples, because some of them (29 February 1900) are not
valid Python dates; Gregorian dates are :class:`datetime.date` (proleptic, years 1 to 9999).
"""

from __future__ import annotations

import datetime as dt

from searchkit.errors import DateError

JULIAN = "julian"
GREGORIAN = "gregorian"
CALENDARS = (GREGORIAN, JULIAN)

#: The first New Style day in Russia (1 February 1918 Old Style never happened).
RUSSIA_SWITCH = dt.date(1918, 2, 14)

# Python's ordinal 1 (1 January of year 1, Gregorian) is Julian Day Number 1721426.
_ORDINAL_TO_JDN = 1721425
_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def julian_month_days(year: int, month: int) -> int:
    """The number of days in a month of the Julian calendar (every fourth year is a leap year)."""
    if month == 2 and year % 4 == 0:
        return 29
    return _MONTH_DAYS[month - 1]


def julian_to_gregorian(year: int, month: int, day: int) -> dt.date:
    """The Gregorian date of a Julian (Old Style) date.

    :raises DateError: when the Julian date does not exist or is outside years 1–9999.
    """
    if not 1 <= month <= 12 or not 1 <= day <= julian_month_days(year, month):
        raise DateError(f"Invalid Old Style date '{year:04d}-{month:02d}-{day:02d}': no such day")
    a = (14 - month) // 12
    y = year + 4800 - a
    m = month + 12 * a - 3
    jdn = day + (153 * m + 2) // 5 + 365 * y + y // 4 - 32083
    try:
        return dt.date.fromordinal(jdn - _ORDINAL_TO_JDN)
    except (ValueError, OverflowError):
        raise DateError(f"Old Style date '{year}-{month}-{day}' is outside years 1-9999") from None


def gregorian_to_julian(date: dt.date) -> tuple[int, int, int]:
    """The Julian (Old Style) ``(year, month, day)`` of a Gregorian date."""
    c = date.toordinal() + _ORDINAL_TO_JDN + 32082
    d = (4 * c + 3) // 1461
    e = c - 1461 * d // 4
    m = (5 * e + 2) // 153
    day = e - (153 * m + 2) // 5 + 1
    month = m + 3 - 12 * (m // 10)
    year = d - 4800 + m // 10
    return year, month, day


def calendar_gap(date: dt.date) -> int:
    """How many days the Julian calendar is behind the Gregorian on this (Gregorian) date."""
    y, m, d = gregorian_to_julian(date)
    julian_as_if_gregorian = dt.date(y, m, min(d, 28)).toordinal() + max(d - 28, 0)
    return date.toordinal() - julian_as_if_gregorian


def check_calendar(name: str) -> str:
    """The calendar called ``name`` ("julian", "os", "old style", "gregorian", "ns", …)."""
    key = " ".join(name.lower().replace(".", " ").replace("-", " ").split())
    if key in ("julian", "os", "o s", "old style", "old"):
        return JULIAN
    if key in ("gregorian", "ns", "n s", "new style", "new"):
        return GREGORIAN
    raise DateError(f"Unknown calendar '{name}': write 'julian' (Old Style) or 'gregorian' (New Style)")
