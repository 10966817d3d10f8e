"""Dates as historians write them: a day, a month or a year, in either calendar, maybe uncertain.

Every date is a range of days in the Gregorian calendar (New Style), with the text it was written
as and the calendar it was written in. ``"1917-11-15"`` is one day; ``"1917-11"`` and
``"November 1917"`` are the thirty days of November 1917; ``"1917"`` the whole year; ``"c. 1917"``
1916 to 1918 (a month or a day marked "c." is widened by a month or a week on each side).
Filters match by overlap, so a paragraph dated "1917-11" is found by ``--from 1917-11-10``.

Dates in EDTF (ISO 8601-2: ``1917-10~``, ``1917?``, ``191X``, ``1917-03/1917-10``, open intervals)
are read by :mod:`searchkit.extdates` and shown in words.

Old Style (Julian) dates are written with a calendar (``calendar: julian`` in a source, or
``--calendar julian``), with an ``OS`` suffix, or in the double form historians use, Old Style
first: ``"25 October (7 November) 1917"``, ``"1 (14) November 1917"``.

>>> parse_date("1917-11").end
datetime.date(1917, 11, 30)
>>> parse_date("25 October (7 November) 1917").start
datetime.date(1917, 11, 7)
>>> parse_date("1917-10-25 OS").start
datetime.date(1917, 11, 7)
>>> display_date(parse_date("26 October (8 November) 1917"))
'26 Oct / 8 Nov 1917'
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
from dataclasses import dataclass

from searchkit.calendars import GREGORIAN, JULIAN, gregorian_to_julian, julian_month_days, julian_to_gregorian
from searchkit.errors import DateError
from searchkit.extdates import describe_edtf, edtf_range, is_edtf

_DATE_RE = re.compile(r"^(\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_MONTHS = {
    name: i
    for i, names in enumerate(
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
_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_M = r"[A-Za-z]+\.?"
_DAY_MONTH_YEAR = re.compile(rf"^(\d{{1,2}})\s+({_M})\s*,?\s+(\d{{1,4}})$")
_MONTH_DAY_YEAR = re.compile(rf"^({_M})\s+(\d{{1,2}})\s*,\s*(\d{{1,4}})$")
_MONTH_YEAR = re.compile(rf"^({_M})\s*,?\s+(\d{{1,4}})$")
_DOUBLE = re.compile(
    rf"^(\d{{1,2}})(?:\s+({_M}))?(?:\s+(\d{{4}}))?\s*\(\s*(\d{{1,2}})(?:\s+({_M}))?(?:\s+(\d{{4}}))?\s*\)"
    rf"\s*(?:({_M})\s*)?,?\s*(\d{{4}})?$"
)
_STYLE_SUFFIX = re.compile(r"\s*\(?(O\.?\s?S|N\.?\s?S)\.?\)?$", re.IGNORECASE)
_APPROX_PREFIX = re.compile(r"^(?:c\.|ca\.|circa|about|approx\.?)\s*", re.IGNORECASE)
#: How far "c." widens a date on each side, by how precise the date is.
_APPROX_DAYS = {"year": 365, "month": 31, "day": 7}


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of days (Gregorian), with the text and calendar it was written in."""

    start: dt.date
    end: dt.date
    text: str
    calendar: str = GREGORIAN
    approximate: bool = False

    def overlaps(self, other: DateRange) -> bool:
        return self.start <= other.end and other.start <= self.end


def parse_date(text: str | dt.date, calendar: str = GREGORIAN) -> DateRange:
    """Parse a date as written into a :class:`DateRange` of Gregorian days.

    Accepted: ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``7 November 1917``, ``November 7, 1917``,
    ``November 1917``; the double form ``25 October (7 November) 1917``; a ``c.`` prefix or ``?``
    suffix for uncertain dates; an ``OS`` or ``NS`` suffix, which overrides ``calendar``.

    :raises DateError: naming the value when it is not a real date.
    """
    if isinstance(text, dt.date):  # YAML may turn 1917-11-15 into a date already
        text = text.isoformat()
    raw = " ".join(str(text).split())
    edtf = _edtf_core(raw, calendar)
    if edtf is not None:
        core, calendar = edtf
        start, end, approximate = edtf_range(core, calendar)
        return DateRange(start, end, raw, calendar, approximate)
    core, approximate = raw, False
    m = _APPROX_PREFIX.match(core)
    if m or core.endswith("?"):
        approximate = True
        core = core[m.end() :] if m else core
        core = core.rstrip("?").strip()
    style = _STYLE_SUFFIX.search(core)
    if style and re.search(r"\d", core[: style.start()]):
        calendar = JULIAN if style.group(1).upper().startswith("O") else GREGORIAN
        core = core[: style.start()].strip()
    double = _DOUBLE.match(core)
    if double:
        start = end = _double(double, raw)
        calendar, precision = JULIAN, "day"
    else:
        year, month, day = _parts(core, raw)
        start, end, precision = _range(year, month, day, calendar, raw)
    if approximate and precision == "year" and 1 < start.year and end.year < 9999:
        start, end = start.replace(year=start.year - 1), end.replace(year=end.year + 1)
    elif approximate:
        widen = dt.timedelta(days=_APPROX_DAYS[precision])
        start, end = max(dt.date.min, start - widen), min(dt.date.max, end + widen)
    return DateRange(start, end, raw, calendar, approximate)


def _edtf_core(raw: str, calendar: str) -> tuple[str, str] | None:
    """The EDTF date in ``raw`` and its calendar (an ``OS``/``NS`` suffix wins), or None when
    ``raw`` is not EDTF."""
    style = _STYLE_SUFFIX.search(raw)
    core = raw
    if style and re.search(r"\d", raw[: style.start()]):
        core = raw[: style.start()].strip()
        calendar = JULIAN if style.group(1).upper().startswith("O") else GREGORIAN
    return (core, calendar) if is_edtf(core) else None


def _parts(core: str, raw: str) -> tuple[int, int | None, int | None]:
    m = _DATE_RE.match(core)
    if m:
        return int(m.group(1)), _int(m.group(2)), _int(m.group(3))
    m = _DAY_MONTH_YEAR.match(core)
    if m:
        return int(m.group(3)), _month(m.group(2), raw), int(m.group(1))
    m = _MONTH_DAY_YEAR.match(core)
    if m:
        return int(m.group(3)), _month(m.group(1), raw), int(m.group(2))
    m = _MONTH_YEAR.match(core)
    if m:
        return int(m.group(2)), _month(m.group(1), raw), None
    raise DateError(
        f"Invalid date '{raw}': write YYYY, YYYY-MM, YYYY-MM-DD, '7 November 1917' or"
        " '25 October (7 November) 1917', with 'OS' for Old Style"
    )


def _int(value: str | None) -> int | None:
    return int(value) if value else None


def _month(name: str, raw: str) -> int:
    month = _MONTHS.get(name.lower().rstrip("."))
    if month is None:
        raise DateError(f"Invalid date '{raw}': unknown month '{name}'")
    return month


def _range(
    year: int, month: int | None, day: int | None, calendar: str, raw: str
) -> tuple[dt.date, dt.date, str]:
    """First and last Gregorian day of a year, month or day written in ``calendar``."""
    if year < 1:
        raise DateError(f"Invalid date '{raw}': year 0 does not exist")
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"Invalid date '{raw}': month must be in 1..12")
    precision = "year" if month is None else "month" if day is None else "day"
    first_month, last_month = (month, month) if month else (1, 12)
    if calendar == JULIAN:
        last = julian_month_days(year, last_month)
        try:
            return (
                julian_to_gregorian(year, first_month, day or 1),
                julian_to_gregorian(year, last_month, day or last),
                precision,
            )
        except DateError as e:
            raise DateError(f"Invalid date '{raw}': {e}") from None
    try:
        last = _calendar.monthrange(year, last_month)[1]
        return (
            dt.date(year, first_month, day or 1),
            dt.date(year, last_month, day or last),
            precision,
        )
    except ValueError as e:
        raise DateError(f"Invalid date '{raw}': {e}") from None


def _double(m: re.Match[str], raw: str) -> dt.date:
    """The day of ``25 October (7 November) 1917``: one date in each calendar, either first."""
    d1, m1, y1, d2, m2, y2, month, year = m.groups()
    if not (year or y2):
        raise DateError(f"Invalid date '{raw}': give the year, as in '25 October (7 November) 1917'")
    y2 = y2 or year
    m2 = m2 or month or m1
    m1 = m1 or m2
    if not m1 or not m2:
        raise DateError(f"Invalid date '{raw}': give the month, as in '1 (14) November 1917'")
    first_month, second_month = _month(m1, raw), _month(m2, raw)
    second_year = int(y2)
    years = [int(y1)] if y1 else [second_year, second_year - 1, second_year + 1]
    for first_year in years:
        first = (first_year, first_month, int(d1))
        second = (second_year, second_month, int(d2))
        for julian, gregorian in ((first, second), (second, first)):
            try:
                if julian_to_gregorian(*julian) == dt.date(*gregorian):
                    return dt.date(*gregorian)
            except (DateError, ValueError):
                continue
    raise DateError(
        f"Invalid date '{raw}': the two dates are not the same day in Old and New Style"
        " (Old Style is 13 days behind in 1900-1918)"
    )


def parse_period(text: str, calendar: str = GREGORIAN) -> tuple[DateRange | None, DateRange | None]:
    """A period as ``--about`` takes it: ``FROM..TO`` (either end may be left out) or one date
    (an EDTF interval too), as the first and last date a paragraph's period must overlap.

    >>> [d.text if d else None for d in parse_period("1917-10..1917-11")]
    ['1917-10', '1917-11']
    >>> parse_period("1917-03/..")[0].start
    datetime.date(1917, 3, 1)
    """
    text = " ".join(text.split())
    if ".." in text and "/" not in text:
        left, _, right = text.partition("..")
        if not left.strip() and not right.strip():
            raise DateError(f"Invalid period '{text}': give FROM..TO, FROM.. or ..TO")
        first = parse_date(left.strip(), calendar) if left.strip() else None
        last = parse_date(right.strip(), calendar) if right.strip() else None
        if first and last and first.start > last.end:
            raise DateError(f"Invalid period '{text}': '{left.strip()}' is after '{right.strip()}'")
        return first, last
    if not text:
        raise DateError("Invalid period '': give FROM..TO, FROM.. or ..TO")
    whole = parse_date(text, calendar)
    return whole, whole


def display_date(date: DateRange) -> str:
    """How a date is shown: an EDTF date in words ("about October 1917", "the 1910s"); a single
    day written in Old Style as both dates, Old Style first ("26 Oct / 8 Nov 1917"); anything
    else as written."""
    edtf = _edtf_core(date.text, date.calendar)
    if edtf is not None:
        try:
            return describe_edtf(*edtf)
        except DateError:  # written by another version of searchkit: show it as written
            return date.text
    if date.calendar != JULIAN or date.start != date.end:
        return date.text
    return both_styles(date.start)


def both_styles(day: dt.date) -> str:
    """ "26 Oct / 8 Nov 1917" for the Gregorian day 8 November 1917."""
    y, m, d = gregorian_to_julian(day)
    new = f"{day.day} {_ABBR[day.month - 1]}"
    old = f"{d} {_ABBR[m - 1]}"
    if y != day.year:
        return f"{old} {y} / {new} {day.year}"
    return f"{old} / {new} {day.year}"
