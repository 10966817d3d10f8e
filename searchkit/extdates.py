"""EDTF: the Library of Congress's Extended Date/Time Format (ISO 8601-2), as historians use it.

What is read (levels 0 and 1 of the specification, and the unspecified digits of level 2):

- a qualifier at the end: ``1917-10~`` (approximate: "about October 1917"), ``1917?`` (uncertain:
  "possibly 1917"), ``1917%`` (both);
- unspecified digits: ``191X`` (the 1910s), ``19XX``, ``1917-XX``, ``1917-1X`` (October to
  December 1917), ``1917-10-XX``, ``1917-10-1X``;
- seasons: ``1917-21`` .. ``1917-24`` (spring, summer, autumn, winter);
- intervals ``1917-03/1917-10``, open ones ``1917-03/..`` and ``../1917-10``, and ones with an
  unknown end (``1917-03/``) or start (``/1917-10``).

Each is a range of Gregorian days for filtering. A qualified date is widened as searchkit widens
"c. 1917": a year, a month or a week on each side, by its precision; an open or unknown end
reaches the first or last day Python can hold. Dates may be written in the Julian calendar (Old
Style): the digits are then Julian and are converted day by day.

Why not the ``edtf`` package (MIT, maintained): version 5.0.2 raises ``AttributeError`` on
``1917-1X``, an example of this very use, fails on open intervals (``1917-03/..``) in
``lower_strict``, and pads ``1917-10-25~`` to 1916-09-24 .. 1918-11-26; the subset above is a few
regular expressions, and Old Style digits need converting before any range is made anyway.

>>> edtf_range("1917-1X")[:2]
(datetime.date(1917, 10, 1), datetime.date(1917, 12, 31))
>>> describe_edtf("1917-10~")
'about October 1917'
>>> describe_edtf("1917-03/1917-10")
'March to October 1917'
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import re
from dataclasses import dataclass

from searchkit.calendars import GREGORIAN, JULIAN, julian_month_days, julian_to_gregorian
from searchkit.errors import DateError

_ONE = re.compile(r"^(?P<y>\d[\dX]{3})(?:-(?P<m>[\dX]{2})(?:-(?P<d>[\dX]{2}))?)?(?P<q>[?~%])?$")
#: What makes a date EDTF rather than searchkit's older forms: a qualifier, an X, a slash, "..",
#: or a season.
_MARKS = re.compile(r"^[\dX?~%/.\-]+$")
_SEASONS = {21: ("spring", 3, 5), 22: ("summer", 6, 8), 23: ("autumn", 9, 11), 24: ("winter", 12, 2)}
_MONTH_NAMES = tuple(_calendar.month_name)[1:]
#: How far a qualifier widens a date on each side, by its precision (as "c." does).
_WIDEN = {"year": 365, "month": 31, "day": 7}
_QUALIFIER_WORDS = {"~": "about", "?": "possibly", "%": "possibly about"}


def is_edtf(text: str) -> bool:
    """True when ``text`` uses EDTF's own syntax (beyond plain ``YYYY[-MM[-DD]]``)."""
    if not _MARKS.match(text) or not re.search(r"\d|\.\.", text):
        return False
    if "/" in text or "X" in text or re.search(r"[?~%]", text):
        return True
    m = _ONE.match(text)
    return bool(m and m.group("m") and not m.group("d") and m.group("m").isdigit() and int(m.group("m")) > 12)


@dataclass(frozen=True)
class _Part:
    """One date of EDTF: its first and last Gregorian day and how to say it."""

    start: dt.date
    end: dt.date
    words: str
    qualifier: str
    year_words: str  #: the year it ends with in words ("1917"), to join "March to October 1917"
    day: tuple[int, int, int] | None = None  #: (year, month, day) as written, for a plain day


def edtf_range(text: str, calendar: str = GREGORIAN) -> tuple[dt.date, dt.date, bool]:
    """The first and last Gregorian day of an EDTF date or interval, and whether it is qualified
    (uncertain or approximate).

    :raises DateError: naming the value and what is wrong with it.
    """
    if "/" in text:
        first, last = _interval(text, calendar)
        start = first.start if first else dt.date.min
        end = last.end if last else dt.date.max
        if start > end:
            raise DateError(f"Invalid date '{text}': the interval ends before it starts")
        return start, end, bool((first and first.qualifier) or (last and last.qualifier))
    part = _one(text, text, calendar)
    return part.start, part.end, bool(part.qualifier)


def describe_edtf(text: str, calendar: str = GREGORIAN) -> str:
    """An EDTF date in words: "about October 1917", "the 1910s", "March to October 1917"."""
    if "/" not in text:
        return _one(text, text, calendar).words
    first, last = _interval(text, calendar)
    left, right = text.split("/", 1)
    if first is None:
        assert last is not None
        return f"until {last.words}" + (" (start unknown)" if left == "" else "")
    if last is None:
        return f"from {first.words}" + (" (end unknown)" if right == "" else "")
    days = _day_span(first, last, calendar)
    if days:
        return days
    head = first.words
    suffix = f" {last.year_words}"
    if (
        first.year_words == last.year_words
        and head.endswith(suffix)
        and not last.qualifier
        and not first.qualifier
        and head != first.year_words
    ):
        head = head[: -len(suffix)]
    return f"{head} to {last.words}"


def _day_span(first: _Part, last: _Part, calendar: str) -> str:
    """Two plain days of one year in few words: "12–15 August 1917", and for Old Style days both
    styles, "12–15 Aug / 25–28 Aug 1917"; "" when they are not such days."""
    if first.day is None or last.day is None or first.day[0] != last.day[0]:
        return ""
    if calendar == JULIAN:
        if first.start.year != last.end.year or first.start.year != first.day[0]:
            return ""
        old = _span_words((first.day[1], first.day[2]), (last.day[1], last.day[2]), short=True)
        new = _span_words((first.start.month, first.start.day), (last.end.month, last.end.day), short=True)
        return f"{old} / {new} {first.start.year}"
    return f"{_span_words(first.day[1:], last.day[1:], short=False)} {first.day[0]}"


def _span_words(a: tuple[int, ...], b: tuple[int, ...], short: bool) -> str:
    """ "12–15 August" or "30 August to 2 September" (``short``: "30 Aug–2 Sep")."""

    def name(month: int) -> str:
        return _MONTH_NAMES[month - 1][:3] if short else _MONTH_NAMES[month - 1]

    if a[0] == b[0]:
        return f"{a[1]}–{b[1]} {name(a[0])}"
    joint = "–" if short else " to "
    return f"{a[1]} {name(a[0])}{joint}{b[1]} {name(b[0])}"


def _interval(text: str, calendar: str) -> tuple[_Part | None, _Part | None]:
    left, sep, right = text.partition("/")
    if "/" in right:
        raise DateError(f"Invalid date '{text}': an interval has one '/'")
    if left in ("", "..") and right in ("", ".."):
        raise DateError(f"Invalid date '{text}': give at least one end of the interval")
    first = None if left in ("", "..") else _one(left, text, calendar)
    last = None if right in ("", "..") else _one(right, text, calendar)
    return first, last


def _one(part: str, raw: str, calendar: str) -> _Part:
    m = _ONE.match(part)
    if not m:
        raise DateError(
            f"Invalid date '{raw}': '{part}' is not an EDTF date; write e.g. 1917-10-25, 1917-10~,"
            " 1917?, 191X, 1917-1X or 1917-03/1917-10 (qualifiers go at the end)"
        )
    y, mo, d, q = m.group("y"), m.group("m"), m.group("d"), m.group("q") or ""
    if "X" in y.rstrip("X"):
        raise DateError(f"Invalid date '{raw}': unspecified digits of a year come last (191X, 19XX)")
    if ("X" in y and mo and "X" not in mo) or (mo and "X" in mo and d and "X" not in d):
        raise DateError(f"Invalid date '{raw}': a known month needs a known year, a known day a known month")
    season = int(mo) if mo and mo.isdigit() and int(mo) > 12 else None
    if season is not None:
        if d or season not in _SEASONS:
            raise DateError(f"Invalid date '{raw}': month must be 01-12 (or a season, 21-24)")
        start, end, words = _season(int(y), season, calendar, raw)
        precision = "month"
    else:
        years = (max(int(y.replace("X", "0")), 1), int(y.replace("X", "9")))
        months = _span(mo, 1, 12, raw, "month")
        first_day = _span(d, 1, 31, raw, "day")[0]
        last_day = _span(d, 1, 31, raw, "day")[1]
        last_len = _month_len(years[1], months[1], calendar)
        if d and d.isdigit() and int(d) > _month_len(years[0], months[0], calendar):
            raise DateError(f"Invalid date '{raw}': {_MONTH_NAMES[months[0] - 1]} {years[0]} has no day {d}")
        start = _day(years[0], months[0], first_day, calendar, raw)
        end = _day(years[1], months[1], min(last_day, last_len), calendar, raw)
        words = _words(y, mo, d, calendar, start)
        precision = "day" if d else "month" if mo else "year"
    if q and precision == "year" and 1 < start.year and end.year < 9999:
        start, end = start.replace(year=start.year - 1), end.replace(year=end.year + 1)
    elif q:
        widen = _WIDEN[precision]
        start = dt.date.fromordinal(max(1, start.toordinal() - widen))
        end = dt.date.fromordinal(min(dt.date.max.toordinal(), end.toordinal() + widen))
    if q:
        words = f"{_QUALIFIER_WORDS[q]} {words}"
    year_words = y if "X" not in y else ""
    plain_day = (int(y), int(mo), int(d)) if d and d.isdigit() and mo and mo.isdigit() and not q else None
    return _Part(start, end, words, q, year_words, plain_day)


def _span(digits: str | None, low: int, high: int, raw: str, what: str) -> tuple[int, int]:
    """The lowest and highest value two digits with X's in them can stand for."""
    if digits is None:
        return low, high
    first, last = max(int(digits.replace("X", "0")), low), min(int(digits.replace("X", "9")), high)
    if first > last or (digits.isdigit() and not low <= int(digits) <= high):
        raise DateError(f"Invalid date '{raw}': {what} '{digits}' is not in {low:02d}-{high:02d}")
    return first, last


def _month_len(year: int, month: int, calendar: str) -> int:
    if calendar == JULIAN:
        return julian_month_days(year, month)
    return _calendar.monthrange(year, month)[1]


def _day(year: int, month: int, day: int, calendar: str, raw: str) -> dt.date:
    try:
        if calendar == JULIAN:
            return julian_to_gregorian(year, month, day)
        return dt.date(year, month, day)
    except (DateError, ValueError) as e:
        raise DateError(f"Invalid date '{raw}': {e}") from None


def _season(year: int, code: int, calendar: str, raw: str) -> tuple[dt.date, dt.date, str]:
    name, first, last = _SEASONS[code]
    last_year = year + 1 if last < first else year
    start = _day(year, first, 1, calendar, raw)
    end = _day(last_year, last, _month_len(last_year, last, calendar), calendar, raw)
    return start, end, f"{name} {year}"


def _words(y: str, mo: str | None, d: str | None, calendar: str, start: dt.date) -> str:
    """A date with unspecified digits in words."""
    if "X" in y:
        if y == "XXXX":
            return "an unknown year"
        known = y.rstrip("X")
        return f"the {known.ljust(4, '0')}s"
    if mo is None:
        return y
    if "X" in mo:
        low, high = _span(mo, 1, 12, y, "month")
        if (low, high) == (1, 12):
            return f"an unknown month of {y}"
        return f"{_MONTH_NAMES[low - 1]}–{_MONTH_NAMES[high - 1]} {y}"
    month = _MONTH_NAMES[int(mo) - 1]
    if d is None:
        return f"{month} {y}"
    if "X" in d:
        low, high = _span(d, 1, 31, y, "day")
        high = min(high, _month_len(int(y), int(mo), calendar))
        if low == 1 and high >= 28:
            return f"a day in {month} {y}"
        return f"{low}–{high} {month} {y}"
    if calendar == JULIAN:
        from searchkit.dates import both_styles

        return both_styles(start)
    return f"{int(d)} {month} {y}"
