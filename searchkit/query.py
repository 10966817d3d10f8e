"""Parse queries, apply filters, rank paragraphs and turn Whoosh results into :class:`Hit` data."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from searchkit.analysis import name_words, word_spans
from searchkit.calendars import GREGORIAN
from searchkit.dates import DateRange, display_date, parse_date, parse_period
from searchkit.errors import QueryError
from searchkit.facets import Facets
from searchkit.highlight import PASSAGE_CHARS, MatchSpec, highlight, make_passage
from searchkit.offices import Tenure, role_query
from searchkit.qparse import add_plugins, rewrite
from searchkit.ranking import DEFAULT, Ranking
from searchkit.schema import QUERY_FIELDS
from searchkit.sentences import Splitter

#: Scores closer than this are treated as equal, so that ties are broken by date and id and not
#: by floating-point noise.
SCORE_DIGITS = 6


@dataclass(frozen=True)
class Filters:
    """Restrictions on which paragraphs may match. Names match case-insensitively by any part."""

    author: str | None = None
    speaker: str | None = None
    type: str | None = None
    date_from: DateRange | None = None
    date_to: DateRange | None = None
    collection: str | None = None  #: only this collection (its exact name, any case)
    #: only paragraphs describing a period that overlaps this range (their ``about`` date)
    about_from: DateRange | None = None
    about_to: DateRange | None = None
    #: only paragraphs by or spoken by whoever held this office on the paragraph's date
    role: str | None = None

    @classmethod
    def build(
        cls,
        *,
        author: str | None = None,
        speaker: str | None = None,
        type: str | None = None,
        date_from: str | None = None,
        date_to: str | None = None,
        calendar: str = GREGORIAN,
        about: str | None = None,
        role: str | None = None,
        collection: str | None = None,
    ) -> Filters:
        """Filters from plain strings, parsing the dates (raises ``DateError``); ``calendar``
        is the calendar the dates are written in, unless they say ``OS`` or ``NS``; ``about`` is
        a period as ``--about`` takes it (``1917-10..1917-11``)."""
        about_from, about_to = parse_period(about, calendar) if about else (None, None)
        return cls(
            author=author,
            speaker=speaker,
            type=type,
            date_from=parse_date(date_from, calendar) if date_from else None,
            date_to=parse_date(date_to, calendar) if date_to else None,
            collection=collection,
            about_from=about_from,
            about_to=about_to,
            role=role,
        )


@dataclass(frozen=True)
class Hit:
    """One matching paragraph, with everything needed to show and cite it."""

    rank: int
    id: str  #: citation id, "<document>:<paragraph>"
    doc: str
    source: str
    paragraph: int
    line: int
    title: str
    author: str
    speaker: str
    date: str | None
    type: str
    score: float
    text: str  #: the whole paragraph
    highlights: tuple[tuple[int, int], ...]  #: character ranges into ``text``
    passage: str  #: the part of the paragraph to show
    passage_highlights: tuple[tuple[int, int], ...]  #: character ranges into ``passage``
    extra: dict[str, Any] = field(default_factory=dict)
    section: str = ""  #: the chapter or heading the paragraph falls under, if any
    collection: str = ""
    #: the date as shown: both styles for an Old Style day ("26 Oct / 8 Nov 1917"), else as written
    date_shown: str | None = None
    calendar: str | None = None  #: the calendar the date was written in, "gregorian" or "julian"
    date_start: dt.date | None = None  #: first day of the date (Gregorian)
    date_end: dt.date | None = None  #: last day of the date (Gregorian)
    page: str | None = None  #: the page the paragraph starts on, as printed; None without pages
    about: str | None = None  #: the period the paragraph describes, as written (or None)
    about_shown: str | None = None  #: that period as shown ("about October 1917")
    about_start: dt.date | None = None  #: first day of that period (Gregorian)
    about_end: dt.date | None = None  #: last day of that period (Gregorian)

    @property
    def locator(self) -> str:
        """Where the paragraph is, as a citation gives it: ``p. 214 ¶3``, or ``¶3`` without pages."""
        return f"p. {self.page} ¶{self.paragraph}" if self.page else f"¶{self.paragraph}"


@dataclass(frozen=True)
class SearchResult:
    """The hits of one page of results, and how many paragraphs matched in all."""

    hits: list[Hit]
    total: int
    query: str  #: how the query was understood, for ``--explain``
    facets: Facets | None = None  #: counts over the whole result set, when asked for
    #: False when ``total`` is only a lower bound ("1,000+"): counting stopped once the top hits
    #: were certain. Exact counts are asked for with ``count=True`` or facets.
    total_is_exact: bool = True


#: Bounds on a query: Whoosh's parser takes time growing with the square of a word's length.
MAX_QUERY_CHARS = 100_000
MAX_WORD_CHARS = 1_000


def check_size(text: str) -> None:
    """Refuse queries too long to parse in a bounded time (a second or so at the limits)."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"Query of {len(text):,} characters is longer than the limit of {MAX_QUERY_CHARS:,}")
    longest = max(re.finditer(r"\S+", text), key=lambda m: len(m.group()), default=None)
    if longest is not None and len(longest.group()) > MAX_WORD_CHARS:
        raise QueryError(
            f"Word '{longest.group()[:20]}…' at column {longest.start() + 1} of the query has"
            f" {len(longest.group()):,} characters; the limit is {MAX_WORD_CHARS:,}"
        )


def _check_syntax(text: str, masked: str | None = None) -> None:
    """Raise for unbalanced quotes or parentheses and unknown fields; ``masked`` is ``text`` with
    the parts already understood (date ranges) blanked out."""
    scan = text if masked is None else masked
    quotes = [m.start() for m in re.finditer('"', scan)]
    if len(quotes) % 2:
        col = quotes[-1] + 1
        raise QueryError(f"Unbalanced quote at column {col} in query '{text}'; close the phrase with '\"'")
    depth = 0
    outside = re.sub(r'"[^"]*"', lambda m: " " * len(m.group()), scan)
    for i, ch in enumerate(outside, start=1):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                raise QueryError(f"Unbalanced ')' at column {i} in query '{text}'; remove it or add '('")
    if depth > 0:
        col = outside.rfind("(") + 1
        raise QueryError(f"Unbalanced '(' at column {col} in query '{text}'; close it with ')'")
    for m in re.finditer(r"(?<![\w:])([A-Za-z_]\w*):(?=\S)", outside):
        if m.group(1) not in QUERY_FIELDS:
            raise QueryError(
                f"Unknown field '{m.group(1)}' at column {m.start() + 1} in query '{text}';"
                f" fields are {', '.join(QUERY_FIELDS)}, date"
            )


def parse_query(schema: Any, text: str) -> Any:
    """Parse ``text`` in Whoosh's query language (all words must match by default).

    :raises QueryError: for unbalanced quotes or parentheses, unknown fields, or a query with
        nothing searchable in it.
    """
    from whoosh import query as q
    from whoosh.qparser import QueryParser

    if not text.strip():
        raise QueryError("Empty query; give at least one word to search for")
    check_size(text)
    masked, rewritten = rewrite(text)
    _check_syntax(text, masked)
    parser = QueryParser("body", schema)
    add_plugins(parser)
    try:
        parsed = parser.parse(rewritten)
    except Exception as e:  # noqa: BLE001  (Whoosh raises bare Exceptions on odd input)
        raise QueryError(f"Cannot parse query '{text}': {e}") from None
    if parsed is q.NullQuery or isinstance(parsed, type(q.NullQuery)):
        raise QueryError(f"Query '{text}' has no words to search for")
    return parsed


def check_filters(filters: Filters, offices: list[Tenure] | None = None) -> None:
    """Raise :class:`QueryError` where :func:`filter_query` would, analysing no word of a name (so
    before the index, whose stem table knows the names' terms, is open)."""
    for fieldname in ("author", "speaker", "type"):
        value = getattr(filters, fieldname)
        if value is not None and next(word_spans(value), None) is None:
            raise QueryError(f"--{fieldname} '{value}' has no words to match")
    if filters.role is not None:
        role_query(filters.role, offices or [])


def filter_query(filters: Filters, offices: list[Tenure] | None = None) -> Any:
    """The Whoosh query that a paragraph must match to pass ``filters``, or None; ``offices`` are
    the index's tenures, needed for ``filters.role`` (:func:`searchkit.offices.load_tenures`)."""
    from whoosh import query as q

    parts: list[Any] = []
    for fieldname in ("author", "speaker", "type"):
        value = getattr(filters, fieldname)
        if value is None:
            continue
        words = name_words(value)
        if not words:
            raise QueryError(f"--{fieldname} '{value}' has no words to match")
        parts.append(q.And([q.Term(fieldname, w) for w in words]))
    if filters.collection is not None:
        parts.append(q.Term("collection", filters.collection.strip().lower()))
    if filters.role is not None:
        parts.append(role_query(filters.role, offices or []))
    if filters.about_from is not None:
        parts.append(q.NumericRange("about_end", filters.about_from.start.toordinal(), None))
    if filters.about_to is not None:
        parts.append(q.NumericRange("about_start", None, filters.about_to.end.toordinal()))
    if filters.date_from is not None:
        parts.append(q.NumericRange("date_end", filters.date_from.start.toordinal(), None))
    if filters.date_to is not None:
        parts.append(q.NumericRange("date_start", None, filters.date_to.end.toordinal()))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else q.And(parts)


def positive_leaves(parsed: Any) -> Iterator[Any]:
    """The word, phrase and pattern queries of a parsed query, leaving out what is under NOT."""
    from whoosh import query as q

    if isinstance(parsed, q.Not):
        return
    if isinstance(parsed, q.AndNot):
        yield from positive_leaves(parsed.a)
        return
    if isinstance(parsed, (q.Phrase, q.Term, q.MultiTerm)):
        yield parsed
        return
    for child in parsed.children():
        yield from positive_leaves(child)


def match_spec(parsed: Any, reader: Any) -> MatchSpec:
    """The words and phrases of a query that should light up in a paragraph (NOT parts excluded;
    prefixes and wildcards expanded against the index vocabulary)."""
    from whoosh import query as q

    terms: set[tuple[str, str]] = set()
    phrases: list[tuple[str, tuple[str, ...], int]] = []
    for node in positive_leaves(parsed):
        if isinstance(node, q.Phrase):
            phrases.append((node.fieldname, tuple(node.words), node.slop))
        elif isinstance(node, q.Term):
            terms.add((node.fieldname, node.text))
        else:
            terms.update(node.existing_terms(reader, expand=True))
    decoded = {(f, t.decode("utf-8") if isinstance(t, bytes) else t) for f, t in terms}
    return MatchSpec(frozenset(decoded), tuple(phrases))


#: How results may be ordered: best first, oldest first, newest first.
SORTS = ("relevance", "date", "date-desc")


def check_page(limit: int, offset: int, sort: str) -> None:
    """Raise :class:`QueryError` for a page no search can give: a limit below 1, a negative
    offset, an unknown sort (every backend checks the same way)."""
    if limit < 1:
        raise QueryError(f"Limit {limit} is not a positive number")
    if offset < 0:
        raise QueryError(f"Offset {offset} is negative; give 0 or more")
    if sort not in SORTS:
        raise QueryError(f"Unknown sort '{sort}'; use one of {', '.join(SORTS)}")


def search(
    index_dir: Path,
    text: str,
    *,
    filters: Filters | None = None,
    limit: int = 10,
    offset: int = 0,
    sort: str = "relevance",
    facets: bool = False,
    any_words: bool = False,
    ranking: Ranking = DEFAULT,
    count: bool = False,
) -> SearchResult:
    """Rank the paragraphs of the index in ``index_dir`` against the query ``text`` (BM25).

    :param any_words: take ``text`` as a natural-language question: plain words, of which a
        paragraph needs any one (the default is the query language, with all words required).
    :param ranking: how matches are ordered (:mod:`searchkit.ranking`); never what matches.

    Equal scores are ordered by date, then citation id, so results are the same on every run.
    ``sort="date"`` (or ``"date-desc"``) orders by date instead (undated last, then by citation
    id). ``offset`` skips that many hits (paging). With ``facets``, the result also counts the
    whole result set by speaker, author, type and year.

    Matches that cannot reach the top of the list are skipped, not scored, so ``total`` may be
    only a lower bound (``total_is_exact`` False). It is exact for a one-word query, with
    ``facets``, and with ``count`` (which costs a pass over every match).

    For many searches, keep a :class:`searchkit.Index` open and call its ``search`` instead.
    """
    from searchkit.searcher import Index

    with Index(index_dir) as index:
        return index.search(
            text,
            filters=filters,
            limit=limit,
            offset=offset,
            sort=sort,
            facets=facets,
            any_words=any_words,
            ranking=ranking,
            count=count,
        )


def date_key(stored: dict[str, Any], descending: bool) -> tuple[bool, int, str, int]:
    """Date order, undated paragraphs last either way, then by citation id."""
    start = stored.get("date_start")
    day = 0 if start is None else (-start if descending else start)
    return (start is None, day, *id_key(stored["id"]))


def tie_key(stored: dict[str, Any]) -> tuple[int, str, int]:
    """Equal scores: earlier dates first (undated last), then by citation id."""
    return (stored.get("date_start") or dt.date.max.toordinal(), *id_key(stored["id"]))


def id_key(citation: str) -> tuple[str, int]:
    """Citation order: by document id, then by paragraph number ("doc:2" before "doc:10")."""
    doc, _, para = citation.rpartition(":")
    return doc, int(para) if para.isdigit() else 0


def hit_from_stored(
    stored: dict[str, Any],
    *,
    rank: int = 0,
    score: float = 0.0,
    spec: MatchSpec | None = None,
    split: Splitter | None = None,
) -> Hit:
    """A :class:`Hit` from a paragraph's stored fields; without ``spec`` nothing is highlighted and
    the passage is the whole paragraph."""
    text = stored["body"]
    date_range = _stored_date(stored)
    about = _stored_date(stored, "about")
    if spec is None:
        ranges: tuple[tuple[int, int], ...] = ()
        passage, passage_ranges = text, ranges
    else:
        ranges = highlight(text, spec)
        # Only a long paragraph is cut, so only a long one is split into sentences.
        sentences = split(text) if split and len(text) > PASSAGE_CHARS else None
        passage, passage_ranges = make_passage(text, ranges, sentences)
    return Hit(
        rank=rank,
        id=stored["id"],
        doc=stored["doc"],
        source=stored["source"],
        paragraph=stored["para"],
        line=stored.get("line", 0),
        title=stored["title"],
        author=stored["author"],
        speaker=stored["speaker"],
        date=stored.get("date"),
        type=stored["type"],
        score=score,
        text=text,
        highlights=ranges,
        passage=passage,
        passage_highlights=passage_ranges,
        extra=json.loads(stored["extra"]) if stored.get("extra") else {},
        section=stored.get("section", ""),
        collection=stored.get("collection", ""),
        date_shown=display_date(date_range) if date_range else None,
        calendar=date_range.calendar if date_range else None,
        date_start=date_range.start if date_range else None,
        date_end=date_range.end if date_range else None,
        page=stored.get("page"),
        about=about.text if about else None,
        about_shown=display_date(about) if about else None,
        about_start=about.start if about else None,
        about_end=about.end if about else None,
    )


def _stored_date(stored: dict[str, Any], name: str = "date") -> DateRange | None:
    """The date (or ``about`` period) of a paragraph as the index stores it: Gregorian days, text,
    calendar."""
    if stored.get(name) is None or stored.get(f"{name}_start") is None:
        return None
    calendar = stored.get("calendar" if name == "date" else f"{name}_calendar")
    return DateRange(
        dt.date.fromordinal(stored[f"{name}_start"]),
        dt.date.fromordinal(stored[f"{name}_end"]),
        stored[name],
        calendar or GREGORIAN,
    )
