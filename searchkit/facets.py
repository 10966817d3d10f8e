"""Counts of a whole result set by speaker, author, type and year, for narrowing a search.

Works on the stored fields of the matching paragraphs (:func:`count_facets`) or on counts made
from the index's columns (:mod:`searchkit.columns`); no whoosh here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

#: The facets, in the order they are shown.
FACETS = ("speaker", "author", "type", "year")
#: The year of paragraphs without a date.
UNDATED = "undated"

Facets = dict[str, list[tuple[str, int]]]


def count_facets(rows: Iterable[Mapping[str, Any]]) -> Facets:
    """Counts by facet: names and types most frequent first (then A-Z), years in date order
    (undated last). A paragraph dated over several years counts once in each."""
    counters: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for row in rows:
        for name in ("speaker", "author", "type"):
            counters[name][str(row.get(name) or "unknown")] += 1
        start, end = row.get("date_start"), row.get("date_end")
        if start is None:
            counters["year"][UNDATED] += 1
            continue
        first = dt.date.fromordinal(start).year
        last = dt.date.fromordinal(end).year if end is not None else first
        for year in range(first, last + 1):
            counters["year"][str(year)] += 1
    return order_facets(counters)


def order_facets(counters: Mapping[str, Counter[str]]) -> Facets:
    """The counts in the order they are shown: names and types most frequent first (then A-Z),
    years in date order (undated last)."""
    facets: Facets = {}
    for name in ("speaker", "author", "type"):
        facets[name] = sorted(counters[name].items(), key=lambda kv: (-kv[1], kv[0].casefold()))
    facets["year"] = sorted(counters["year"].items(), key=lambda kv: (kv[0] == UNDATED, kv[0]))
    return facets
