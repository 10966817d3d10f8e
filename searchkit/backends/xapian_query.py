"""searchkit's paragraphs and queries in Xapian's terms: prefixes, value slots, documents, queries.

Terms are searchkit's own (:mod:`searchkit.backends.records`), indexed with their positions and no
Xapian stemming. Only body terms count towards a paragraph's length and carry a within-document
frequency, so BM25 ranks on the body as Whoosh's plain BM25 does; the other text fields are
positional terms of frequency 0 (they match, and phrases work on them, but they add no score).
A padding term makes the length Whoosh's and each body term is scaled so that the score of every
hit is Whoosh's (:mod:`searchkit.backends.xapian_weight`). Filter values and sort keys are value
slots. Imported only when a Xapian index is in use.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import xapian

from searchkit.analysis import name_words
from searchkit.backends.base import Record
from searchkit.backends.plan import All, AnyOf, DayRange, Node, Pattern, Phrase, Without, Word
from searchkit.backends.xapian_weight import PAD_TERM, padding
from searchkit.errors import QueryError
from searchkit.facets import UNDATED, year_span
from searchkit.query import Filters

#: Term prefix of each field (Xapian's convention: upper-case letters, never in a searchkit term).
PREFIXES = {
    "body": "",
    "exact": "XE",
    "title": "XT",
    "author": "XA",
    "speaker": "XS",
    "type": "XK",
    "section": "XH",
    "id": "Q",
    "doc": "XD",
    "source": "XF",
    "collection": "XC",
}

#: Value slots: the date's days (filters), sort keys, and the facets' values.
SLOTS = {
    "date_start": 0,
    "date_end": 1,
    "tie": 2,
    "date": 3,
    "date-desc": 4,
    "about_start": 9,
    "about_end": 10,
}
FACET_SLOTS = {"speaker": 5, "author": 6, "type": 7, "year": 8, "about": 11}
_NO_DAY = dt.date.max.toordinal()


def _id_key(citation: str) -> bytes:
    """A byte string in the order of :func:`searchkit.query` 's citation order (document, then
    paragraph number)."""
    doc, _, para = citation.rpartition(":")
    return doc.encode("utf-8") + b"\0" + f"{int(para) if para.isdigit() else 0:010d}".encode()


def document(rec: Record) -> Any:
    """The Xapian document of a paragraph."""
    doc = xapian.Document()
    for fieldname, terms in rec.terms.items():
        prefix, wdf = PREFIXES[fieldname], 1 if fieldname == "body" else 0
        for term, pos in terms:
            doc.add_posting(prefix + term, pos + 1, wdf)
    pad = padding(len(rec.terms.get("body", ())))
    if pad:
        doc.add_term(PAD_TERM, pad)
    for fieldname, value in rec.keywords.items():
        doc.add_boolean_term(PREFIXES[fieldname] + value)
    key = _id_key(rec.id)
    tie_day = _NO_DAY if rec.days is None else rec.days[0]
    if rec.days is not None:
        start, end = rec.days
        doc.add_value(SLOTS["date_start"], xapian.sortable_serialise(start))
        doc.add_value(SLOTS["date_end"], xapian.sortable_serialise(end))
        doc.add_value(SLOTS["date"], b"0" + f"{start:08d}".encode() + key)
        doc.add_value(SLOTS["date-desc"], b"0" + f"{_NO_DAY - start:08d}".encode() + key)
    else:
        doc.add_value(SLOTS["date"], b"1" + key)
        doc.add_value(SLOTS["date-desc"], b"1" + key)
    doc.add_value(SLOTS["tie"], f"{tie_day:08d}".encode() + key)
    for name in ("about_start", "about_end"):  # the period the paragraph describes
        if rec.stored.get(name) is not None:
            doc.add_value(SLOTS[name], xapian.sortable_serialise(int(rec.stored[name])))
    # The years of the date and of the period, space-separated (a paragraph counts in each).
    for facet, prefix in (("year", "date"), ("about", "about")):
        first, last = rec.stored.get(f"{prefix}_start"), rec.stored.get(f"{prefix}_end")
        years = (
            UNDATED
            if first is None
            else " ".join(map(str, year_span(first, last if last is not None else first)))
        )
        doc.add_value(FACET_SLOTS[facet], years)
    for name in ("speaker", "author", "type"):
        doc.add_value(FACET_SLOTS[name], str(rec.stored.get(name) or "unknown"))
    doc.set_data(json.dumps(rec.stored, ensure_ascii=False))
    return doc


def translate(node: Node, expand: Callable[[Pattern], list[str]], scale: Callable[[str], float]) -> Any:
    """The Xapian query of a plan; ``expand`` lists the terms a pattern matches, ``scale`` gives
    the weight factor of a body term (:meth:`searchkit.backends.xapian_weight.Bm25.scale`)."""
    Q = xapian.Query

    def term(fieldname: str, text: str) -> Any:
        # Only body terms have a wdf, hence a weight: the others need no scale.
        return _scaled(Q(text), scale(text)) if fieldname == "body" else Q(PREFIXES[fieldname] + text)

    if isinstance(node, Word):
        return _scaled(term(node.field, node.text), node.boost)
    if isinstance(node, Phrase):
        terms = [PREFIXES[node.field] + w for w in node.words]
        # Whoosh's slop bounds each gap; Xapian's window bounds the whole run of words. For two
        # words they are the same; for more, the window allows what every gap at most slop allows.
        window = len(terms) if node.slop <= 1 else (len(terms) - 1) * node.slop + 1
        # Whoosh scores a phrase as the sum of its words' BM25 (all their occurrences), as Xapian
        # does; but OP_PHRASE takes bare terms only, so the scaled words are filtered by it.
        words = Q(Q.OP_AND, [term(node.field, w) for w in node.words])
        return _scaled(Q(Q.OP_FILTER, words, Q(Q.OP_PHRASE, terms, window)), node.boost)
    if isinstance(node, Pattern):
        found = [term(node.field, t) for t in expand(node)]
        # As in searchkit's Whoosh index: any of the expanded terms, each scored by BM25.
        return Q(Q.OP_OR, found) if found else Q.MatchNothing
    if isinstance(node, DayRange):
        return day_range(node.field, node.low, node.high)
    if isinstance(node, All):
        return Q(Q.OP_AND, [translate(c, expand, scale) for c in node.children])
    if isinstance(node, AnyOf):
        return Q(Q.OP_OR, [translate(c, expand, scale) for c in node.children])
    if isinstance(node, Without):
        positive = Q.MatchAll if node.positive is None else translate(node.positive, expand, scale)
        return Q(Q.OP_AND_NOT, positive, translate(node.negative, expand, scale))
    raise QueryError(f"Cannot translate {node!r} for Xapian")


def _scaled(query: Any, factor: float) -> Any:
    return query if factor == 1.0 else xapian.Query(xapian.Query.OP_SCALE_WEIGHT, query, factor)


def day_range(fieldname: str, low: int | None, high: int | None) -> Any:
    """Paragraphs whose ``date_start``/``date_end`` day lies in [low, high] (undated never)."""
    Q, slot = xapian.Query, SLOTS[fieldname]
    if low is not None and high is not None:
        return Q(Q.OP_VALUE_RANGE, slot, xapian.sortable_serialise(low), xapian.sortable_serialise(high))
    if low is not None:
        return Q(Q.OP_VALUE_GE, slot, xapian.sortable_serialise(low))
    if high is not None:
        return Q(Q.OP_VALUE_LE, slot, xapian.sortable_serialise(high))
    return Q(Q.OP_VALUE_GE, slot, "")


def filter_query(filters: Filters) -> Any:
    """The boolean Xapian query of ``filters``, or None (as :func:`searchkit.query.filter_query`)."""
    if filters.role is not None:
        raise QueryError("--role is not available on a cluster index yet; use --author or --speaker")
    Q = xapian.Query
    parts: list[Any] = []
    for fieldname in ("author", "speaker", "type"):
        value = getattr(filters, fieldname)
        if value is None:
            continue
        words = name_words(value)
        if not words:
            raise QueryError(f"--{fieldname} '{value}' has no words to match")
        parts.append(Q(Q.OP_AND, [Q(PREFIXES[fieldname] + w) for w in words]))
    if filters.collection is not None:
        parts.append(Q(PREFIXES["collection"] + filters.collection.strip().lower()))
    if filters.date_from is not None:
        parts.append(day_range("date_end", filters.date_from.start.toordinal(), None))
    if filters.date_to is not None:
        parts.append(day_range("date_start", None, filters.date_to.end.toordinal()))
    if filters.about_from is not None:
        parts.append(day_range("about_end", filters.about_from.start.toordinal(), None))
    if filters.about_to is not None:
        parts.append(day_range("about_start", None, filters.about_to.end.toordinal()))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else Q(Q.OP_AND, parts)
