"""One search through any backend, ending in searchkit's own hits.

The query is parsed by searchkit (:func:`searchkit.query.parse_query`), turned into a plan
(:mod:`searchkit.backends.plan`) and run by the backend; the passages, highlights and citations of
the rows it returns are made here from their stored text by the code the embedded index uses
(:func:`searchkit.query.hit_from_stored`), so every backend shows a hit the same way.

What a backend ranks is the query itself, with plain BM25 (the Xapian backend gives each hit
the score the embedded index gives it with the title weight off). The default ranking's optional
clauses (:mod:`searchkit.ranking`: the title weight, and for ``--any`` questions sequential
dependence and RM3 feedback) are not carried over to the Xapian and OpenSearch backends.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from searchkit.backends.base import Backend, Request, Row
from searchkit.backends.plan import Pattern, match_spec, pattern_matcher, plan
from searchkit.backends.records import analyse
from searchkit.query import (
    SCORE_DIGITS,
    Filters,
    SearchResult,
    check_page,
    filter_query,
    hit_from_stored,
    parse_query,
)
from searchkit.ranking import DEFAULT, Ranking, parse_question
from searchkit.sentences import load_splitter


@dataclass(frozen=True)
class BackendResult(SearchResult):
    """A :class:`~searchkit.query.SearchResult`, and the shards it lacks (empty: none)."""

    missing: tuple[str, ...] = ()


def run(
    backend: Backend,
    text: str,
    *,
    filters: Filters | None = None,
    limit: int = 10,
    offset: int = 0,
    sort: str = "relevance",
    facets: bool = False,
    any_words: bool = False,
    ranking: Ranking = DEFAULT,
    exact_total: bool = True,
    index_dir: Path | None = None,
) -> BackendResult:
    """Search ``backend`` as :func:`searchkit.search` searches the embedded index.

    :param exact_total: count every match; False lets an engine estimate the total (Xapian
        then stops early, and ``total_is_exact`` says whether the count is exact).
    :param index_dir: the index folder, for its sentence model (passages of long paragraphs).
    """
    check_page(limit, offset, sort)
    filters = filters or Filters()
    filter_query(filters)  # raises for a name filter with no words
    if any_words:
        parsed = parse_question(text, ranking)
    else:
        from searchkit.schema import make_schema

        parsed = parse_query(make_schema(), text)
    node = plan(parsed)
    request = Request(text, node, filters, offset, limit, sort, facets, exact_total, any_words, ranking)
    page = backend.search(request)
    spec = match_spec(node, lambda pattern: _found(pattern, page.rows))
    split = load_splitter(index_dir)
    hits = [
        hit_from_stored(row.stored, rank=rank, score=round(row.score, SCORE_DIGITS), spec=spec, split=split)
        for rank, row in enumerate(page.rows, start=offset + 1)
    ]
    return BackendResult(hits, page.total, str(parsed), page.facets, page.total_is_exact, page.missing)


def _found(pattern: Pattern, rows: list[Row]) -> list[str]:
    """The terms of the shown paragraphs that ``pattern`` matches: all a highlight needs (a
    pattern is highlighted in the body text, as the embedded index does)."""
    fieldname = pattern.field if pattern.field in ("body", "exact") else "body"
    matches = pattern_matcher(pattern)
    terms = {t for row in rows for t, _ in analyse(str(row.stored.get("body", "")), fieldname)}
    return sorted(t for t in terms if matches(t))
