"""An index kept open for many searches: the fast path for batch users and long-running programs.

:func:`searchkit.search` opens the index, answers one query and closes it again. An
:class:`Index` keeps the Whoosh searcher, the column arrays of facets and date filters, and the
document sets of recent name filters between searches; it reopens by itself when the index has
been updated since::

    from searchkit import Index

    with Index(Path("index")) as index:
        for text in ("coalition", '"Soviet power"'):
            print(index.search(text, limit=3).total)
"""

from __future__ import annotations

import dataclasses
import os
from collections import OrderedDict
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import Any

from searchkit.facets import UNDATED, Facets, order_facets
from searchkit.offices import Tenure, load_tenures
from searchkit.phrases import with_adjacent_phrases
from searchkit.query import (
    SCORE_DIGITS,
    Filters,
    SearchResult,
    check_filters,
    check_page,
    date_key,
    filter_query,
    hit_from_stored,
    match_spec,
    parse_query,
    tie_key,
)
from searchkit.ranking import DEFAULT, Ranking
from searchkit.sentences import load_splitter
from searchkit.storage import MANIFEST, open_searcher

#: How many name filters (``--speaker`` and the like) keep their set of paragraphs between searches.
_FILTER_CACHE = 32


class Index:
    """An open index in ``index_dir``; ``search`` takes the arguments of :func:`searchkit.search`.

    Close it (or use it as a context manager) to release the index files.
    """

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self._stack: ExitStack | None = None
        self._searcher: Any = None
        self._stamp: tuple[int, int] | None = None
        self._columns: Any = None
        self._filter_sets: OrderedDict[str, Any] = OrderedDict()
        self._weightings: dict[Ranking, Any] = {}

    def __enter__(self) -> Index:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the index files (a later search opens them again)."""
        if self._stack is not None:
            self._stack.close()
        self._stack = self._searcher = self._columns = None
        self._filter_sets.clear()

    def _current(self) -> Any:
        """The searcher, reopened if an index run has rewritten the manifest since it was opened."""
        try:
            st = os.stat(self.index_dir / MANIFEST)
            stamp: tuple[int, int] | None = (st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None
        if self._searcher is None or stamp != self._stamp:
            self.close()
            stack = ExitStack()
            self._searcher = stack.enter_context(open_searcher(self.index_dir))
            self._stack, self._stamp = stack, stamp
        return self._searcher

    def _column_values(self) -> Any:
        if self._columns is None:
            from searchkit.columns import Columns

            self._columns = Columns(self._searcher)
        return self._columns

    def _weighting(self, ranking: Ranking) -> Any:
        if ranking not in self._weightings:
            from searchkit import ranking as rk

            self._weightings[ranking] = rk.weighting(ranking)
        return self._weightings[ranking]

    def _allow(self, filters: Filters, offices: list[Tenure] | None) -> Any:
        """The paragraphs ``filters`` let through, as something Whoosh can test membership in:
        names (and periods, roles) by their (cached) document sets, dates by the date columns.
        None: all."""
        names = filter_query(dataclasses.replace(filters, date_from=None, date_to=None), offices)
        allowed = None
        if names is not None:
            key = repr(names)
            allowed = self._filter_sets.get(key)
            if allowed is None:
                from searchkit.columns import DocSet

                allowed = self._filter_sets[key] = DocSet(self._searcher.docs_for_query(names))
                if len(self._filter_sets) > _FILTER_CACHE:
                    self._filter_sets.popitem(last=False)
            else:
                self._filter_sets.move_to_end(key)
        if filters.date_from is None and filters.date_to is None:
            return allowed
        from searchkit.columns import DateFilter

        first = filters.date_from.start.toordinal() if filters.date_from else None
        last = filters.date_to.end.toordinal() if filters.date_to else None
        return DateFilter(self._column_values(), first, last, within=allowed)

    def search(
        self,
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
        """Search this index; see :func:`searchkit.search` for the arguments."""
        from searchkit import ranking as rk

        check_page(limit, offset, sort)
        filters = filters or Filters()
        offices = load_tenures(self.index_dir) if filters.role is not None else None
        check_filters(filters, offices)  # raises for a name filter with no words, before the index is opened
        searcher = self._current()
        split = load_splitter(self.index_dir)
        allow = self._allow(filters, offices)
        searcher.weighting = self._weighting(ranking)
        parsed = rk.parse_question(text, ranking) if any_words else parse_query(searcher.schema, text)
        final = rk.final_query(
            searcher,
            parsed if any_words else with_adjacent_phrases(parsed),
            ranking,
            allow,
            feedback=any_words,
        )
        # Sorting by date needs every match; ranking needs only the top of the list.
        wanted = offset + limit if sort == "relevance" else None
        top = _top(searcher, final, wanted, allow, listed=facets, exhaustive=count or facets)
        results, matched, total, exact = top
        if not exact and allow is None:
            known = word_count(searcher, parsed)
            exact, total = (True, known) if known is not None else (False, total)
        # The pass that ranked the matches also listed them all: facets need no second search.
        counts = self._facets(matched) if facets else None
        spec = match_spec(parsed, searcher.reader())
        rows = [(round(r.score, SCORE_DIGITS), r.fields()) for r in results]
        if sort == "relevance":
            rows.sort(key=lambda row: (-row[0], *tie_key(row[1])))
        else:
            rows.sort(key=lambda row: date_key(row[1], descending=sort == "date-desc"))
        hits = [
            hit_from_stored(stored, rank=rank, score=score, spec=spec, split=split)
            for rank, (score, stored) in enumerate(rows[offset : offset + limit], start=offset + 1)
        ]
        return SearchResult(hits, total, str(parsed), counts, total_is_exact=exact)

    def _facets(self, docs: list[int]) -> Facets:
        columns = self._column_values()
        counters = {name: columns.count_names(name, docs) for name in ("speaker", "author", "type")}
        counters["year"] = columns.count_years(docs, UNDATED)
        counters["about"] = columns.count_years(docs, UNDATED, "about")
        return order_facets(counters)


def _top(
    searcher: Any, query: Any, limit: int | None, allow: Any, listed: bool, exhaustive: bool
) -> tuple[Any, list[int], int, bool]:
    """The Whoosh results of the best ``limit`` matches (all if None); with ``listed``, every
    match's document number in ascending order; the number of matches, and whether it is exact.

    Unless ``exhaustive`` (an exact count or facets are wanted), matches that cannot reach the
    top are skipped: Whoosh's top-k collector skips posting blocks whose best score cannot beat
    the lowest of the list so far, and simplifies the query's matchers as that score rises (an OR
    whose rarer word alone cannot make the list becomes an AND MAYBE, and so on; see
    :mod:`searchkit.whoosh_fixes` for the bug that made this drop paragraphs). The count is then
    only a lower bound, unless the list never filled up. An exhaustive search scores every match
    and counts them all in the same pass.
    """
    from whoosh import collectors

    if limit is None:
        results = searcher.search(query, limit=None, filter=allow)
        return results, sorted(results.docs()) if listed else [], len(results), True
    if exhaustive:

        class Top(collectors.TopCollector):
            def _collect(self, global_docnum: int, score: float) -> Any:
                matched.append(global_docnum)
                return super()._collect(global_docnum, score)

        matched: list[int] = []
        top: Any = (Top if listed else collectors.TopCollector)(limit, usequality=False, replace=0)
    else:
        matched = []
        top = collectors.TopCollector(limit, usequality=True, replace=10)
    collector = top if allow is None else collectors.FilterCollector(top, allow=allow)
    searcher.search_with_collector(query, collector)
    exact = exhaustive or len(top.items) < limit
    return collector.results(), matched, top.total, exact


def word_count(searcher: Any, parsed: Any) -> int | None:
    """The number of paragraphs a one-word query matches, read from the index without searching
    (its document frequency), or None for other queries and for an index with deleted paragraphs
    (the frequency still counts those)."""
    from whoosh import query as q

    if type(parsed) is not q.Term:
        return None
    reader = searcher.reader()
    if reader.has_deletions():
        return None
    return int(reader.doc_frequency(parsed.fieldname, parsed.text))
