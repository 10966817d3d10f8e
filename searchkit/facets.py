"""Counts of a whole result set by speaker, author, type and year, for narrowing a search.

Works on the stored fields of the matching paragraphs (:func:`count_facets`) or on counts made
from the index's columns (:mod:`searchkit.columns`); no whoosh here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

#: The facets, in the order they are shown; "about" (the years of the period described) only when
#: some matching paragraph has an ``about`` date.
FACETS = ("speaker", "author", "type", "year", "about")
#: The year of paragraphs without a date.
UNDATED = "undated"

Facets = dict[str, list[tuple[str, int]]]


def year_span(first: int, last: int) -> range:
    """The years a date from ordinal day ``first`` to ``last`` is counted in: every year it
    covers, or only the known end's year when the other end is open (``1917-03/..``)."""
    low, high = dt.date.fromordinal(first).year, dt.date.fromordinal(last).year
    if first == 1 and last != first:
        low = high
    elif last == dt.date.max.toordinal() and last != first:
        high = low
    return range(low, high + 1)


def count_facets(rows: Iterable[Mapping[str, Any]]) -> Facets:
    """Counts by facet: names and types most frequent first (then A-Z), years in date order
    (undated last). A paragraph dated over several years counts once in each."""
    counters: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for row in rows:
        for name in ("speaker", "author", "type"):
            counters[name][str(row.get(name) or "unknown")] += 1
        for facet, prefix in (("year", "date"), ("about", "about")):
            start, end = row.get(f"{prefix}_start"), row.get(f"{prefix}_end")
            if start is None:
                counters[facet][UNDATED] += 1
                continue
            for year in year_span(start, end if end is not None else start):
                counters[facet][str(year)] += 1
    return order_facets(counters)


def order_facets(counters: Mapping[str, Counter[str]]) -> Facets:
    """The counts in the order they are shown: names and types most frequent first (then A-Z),
    years in date order (undated last)."""
    facets: Facets = {}
    for name in ("speaker", "author", "type"):
        facets[name] = sorted(counters[name].items(), key=lambda kv: (-kv[1], kv[0].casefold()))
    for name in ("year", "about"):
        pairs = sorted(counters.get(name, Counter()).items(), key=lambda kv: (kv[0] == UNDATED, kv[0]))
        if name == "year" or any(value != UNDATED for value, _ in pairs):
            facets[name] = pairs
    return facets
