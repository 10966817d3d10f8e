"""Dates as historians write them: a day, a month or a year, each a range of days.

``"1917-11-15"`` is one day; ``"1917-11"`` is the thirty days of November 1917; ``"1917"`` the
whole year. Filters match by overlap, so a paragraph dated "1917-11" is found by
``--from 1917-11-10``. Dates are proleptic Gregorian (New Style).

>>> parse_date("1917-11").end
datetime.date(1917, 11, 30)
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from searchkit.errors import DateError

_DATE_RE = re.compile(r"^\s*(\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of days, with the text it was written as."""

    start: dt.date
    end: dt.date
    text: str

    def overlaps(self, other: DateRange) -> bool:
        return self.start <= other.end and other.start <= self.end


def parse_date(text: str) -> DateRange:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` into a :class:`DateRange`.

    :raises DateError: naming the value when it is not a real date.
    """
    if isinstance(text, dt.date):  # YAML turns 1917-11-15 into a date already
        return DateRange(text, text, text.isoformat())
    raw = str(text).strip()
    m = _DATE_RE.match(raw)
    if not m:
        raise DateError(f"Invalid date '{raw}': write YYYY, YYYY-MM or YYYY-MM-DD")
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    try:
        if month is None:
            return DateRange(dt.date(year, 1, 1), dt.date(year, 12, 31), raw)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return DateRange(dt.date(year, month, 1), dt.date(year, month, last), raw)
        d = dt.date(year, month, day)
        return DateRange(d, d, raw)
    except ValueError as e:
        raise DateError(f"Invalid date '{raw}': {e}") from None
