"""Per-paragraph values read from Whoosh's column files, for facets and date filters.

Counting a result set by speaker or year, or checking a paragraph's date, must not unpickle the
stored fields of every match (the whole paragraph text comes with them). The schema keeps those
values in columns as well (``sortable``); here each column of each segment is read once into an
array, and a set of matches is counted with C-level loops.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from whoosh.idsets import DocIdSet

from searchkit.facets import year_span

#: The name fields counted by :func:`searchkit.facets.count_facets`, held as reference columns.
NAME_COLUMNS = ("speaker", "author", "type")


class _Segment:
    """One segment's first global document number and its column arrays."""

    def __init__(self, reader: Any, offset: int) -> None:
        self.reader = reader
        self.offset = offset
        self.count = reader.doc_count_all()
        self.refs: dict[str, tuple[Sequence[int], list[str]]] = {}
        self.numbers: dict[str, Sequence[int]] = {}


def _raw_column(seg: _Segment, fieldname: str) -> Any:
    """The untranslated column reader of a field in one segment, or None."""
    if not seg.reader.has_column(fieldname):
        return None
    return seg.reader.column_reader(fieldname, translate=False)


class Columns:
    """The column values of every paragraph of one open searcher, loaded on first use."""

    def __init__(self, searcher: Any) -> None:
        self.schema = searcher.schema
        reader = searcher.reader()
        leaves = reader.leaf_readers() if not reader.is_atomic() else [(reader, 0)]
        self.segments = [_Segment(r, off) for r, off in leaves]
        self._starts = [s.offset for s in self.segments]

    def _refs(self, seg: _Segment, fieldname: str) -> tuple[Sequence[int], list[str]]:
        """(reference per document, value per reference) of a name column in one segment."""
        if fieldname not in seg.refs:
            col = _raw_column(seg, fieldname)
            try:
                refs: Sequence[int] = col._dbfile.get_array(col._basepos, col._typecode, seg.count)
                uniques = [u.decode("utf-8") for u in col._uniques]
            except AttributeError:  # no column (or not a reference column): one value per document
                values = [v.decode("utf-8") for v in col] if col is not None else [""] * seg.count
                uniques = sorted(set(values))
                code = {v: i for i, v in enumerate(uniques)}
                refs = array("I", (code[v] for v in values))
            seg.refs[fieldname] = (refs, uniques)
        return seg.refs[fieldname]

    def _numbers(self, seg: _Segment, fieldname: str) -> Sequence[int]:
        """The raw (sortable) numbers of a numeric column in one segment; missing ones are the
        column's default."""
        if fieldname not in seg.numbers:
            field = self.schema[fieldname]
            default = field.default
            col = _raw_column(seg, fieldname)
            try:
                count = min(col._count, seg.count)
                numbers: Sequence[int] = col._dbfile.get_array(col._basepos, col._typecode, count)
                if count < seg.count:
                    padded = array(col._typecode, numbers)
                    padded.extend([default] * (seg.count - count))
                    numbers = padded
            except AttributeError:
                numbers = list(col) if col is not None else [default] * seg.count
            seg.numbers[fieldname] = numbers
        return seg.numbers[fieldname]

    def _by_segment(self, docs: Sequence[int]) -> Iterable[tuple[_Segment, list[int]]]:
        """Sorted global document numbers split into each segment's local numbers."""
        for seg in self.segments:
            lo = bisect_right(docs, seg.offset - 1)
            hi = bisect_right(docs, seg.offset + seg.count - 1)
            if hi > lo:
                part = docs[lo:hi]
                yield seg, list(map(seg.offset.__rsub__, part)) if seg.offset else list(part)

    def count_names(self, fieldname: str, docs: Sequence[int]) -> Counter[str]:
        """How many of ``docs`` (sorted) have each value of a name column."""
        counts: Counter[str] = Counter()
        for seg, local in self._by_segment(docs):
            refs, uniques = self._refs(seg, fieldname)
            for ref, n in Counter(map(refs.__getitem__, local)).items():
                counts[uniques[ref] or "unknown"] += n
        return counts

    def count_years(self, docs: Sequence[int], undated: str, prefix: str = "date") -> Counter[str]:
        """How many of ``docs`` (sorted) fall in each year of their date (``prefix="about"``: of
        the period they describe); a paragraph dated over several years counts once in each, one
        with an open end only in the year of its known end."""
        start_name, end_name = f"{prefix}_start", f"{prefix}_end"
        pairs: Counter[tuple[int, int]] = Counter()
        for seg, local in self._by_segment(docs):
            starts = self._numbers(seg, start_name)
            ends = self._numbers(seg, end_name)
            pairs.update(zip(map(starts.__getitem__, local), map(ends.__getitem__, local), strict=True))
        counts: Counter[str] = Counter()
        start_field, end_field = self.schema[start_name], self.schema[end_name]
        for (start, end), n in pairs.items():
            if start == start_field.default:
                counts[undated] += n
                continue
            first = start_field.from_column_value(start)
            last = first if end == end_field.default else end_field.from_column_value(end)
            for year in year_span(first, last):
                counts[str(year)] += n
        return counts

    def segment_of(self, docnum: int) -> _Segment:
        return self.segments[bisect_right(self._starts, docnum) - 1]


class DateFilter(DocIdSet):
    """The paragraphs whose dates overlap ``[first, last]`` (proleptic ordinals; None: open),
    checked per candidate in the date columns instead of collecting every paragraph in the range."""

    def __init__(self, columns: Columns, first: int | None, last: int | None, within: Any = None) -> None:
        self.columns = columns
        start_field, end_field = columns.schema["date_start"], columns.schema["date_end"]
        self._no_start, self._no_end = start_field.default, end_field.default
        # Raw column values keep the order of the numbers, so bounds can be compared raw.
        self._first = end_field.to_column_value(first) if first is not None else None
        self._last = start_field.to_column_value(last) if last is not None else None
        self.within = within  #: another set the paragraph must also be in, if any

    def __contains__(self, docnum: object) -> bool:
        if not isinstance(docnum, int):
            return False
        if self.within is not None and docnum not in self.within:
            return False
        seg = self.columns.segment_of(docnum)
        local = docnum - seg.offset
        if self._first is not None:
            end = self.columns._numbers(seg, "date_end")[local]
            if end == self._no_end or end < self._first:
                return False
        if self._last is not None:
            start = self.columns._numbers(seg, "date_start")[local]
            if start == self._no_start or start > self._last:
                return False
        return True

    def __bool__(self) -> bool:
        return True  # Whoosh applies a filter only if it is true

    def __iter__(self) -> Any:
        raise NotImplementedError("a DateFilter is only asked whether it holds a paragraph")

    def __len__(self) -> int:
        raise NotImplementedError("a DateFilter is only asked whether it holds a paragraph")


class DocSet(set[int]):
    """A set of document numbers that Whoosh applies as a filter even when it is empty."""

    def __bool__(self) -> bool:
        return True
