"""Work-arounds for Whoosh-Reloaded 2.7.5, which is frozen: its bugs are ours to work around.

Imported for its effect by :mod:`searchkit.schema`, so it is in force wherever an index is read or
written.
"""

from __future__ import annotations

from typing import Any

from whoosh import scoring
from whoosh.codec import whoosh3
from whoosh.filedb import structfile
from whoosh.matching import combo


def _cached_reader(self: Any, fieldname: str, column: Any) -> Any:
    # The original caches the column readers it finds but not the fields that have none, so every
    # posting of an unscored field (ids, numbers) asked the file system again whether the column
    # file exists: at commit, that was half of all indexing time.
    try:
        return self._readers[fieldname]
    except KeyError:
        reader = self.column_reader(fieldname, column) if self.has_column(fieldname) else None
        self._readers[fieldname] = reader
        return reader


whoosh3.W3PerDocReader._cached_reader = _cached_reader


def _doc_field_length(self: Any, docnum: int, fieldname: str, default: int = 0) -> Any:
    # The original reads one byte from the lengths column file (a seek and a read) for every
    # posting at commit and for every scored document at search time. Read each field's column
    # once — one byte per document — and look lengths up in memory.
    if docnum > self._doccount:
        raise IndexError(f"Asked for docnum {docnum!r} of {self._doccount}")
    tables = self.__dict__.setdefault("_searchkit_lengths", {})
    table = tables.get(fieldname)
    if table is None:
        reader = self._cached_reader(whoosh3._lenfield(fieldname), whoosh3.LENGTHS_COLUMN)
        table = False if reader is None else reader._dbfile.get(reader._basepos, reader._count)
        tables[fieldname] = table
    if table is False:
        return default
    lbyte = table[docnum] if docnum < len(table) else 0
    if lbyte:
        return whoosh3.byte_to_length(lbyte)
    return None


whoosh3.W3PerDocReader.doc_field_length = _doc_field_length

_original_setup = scoring.WeightLengthScorer.setup


def _scorer_setup(self: Any, searcher: Any, fieldname: str, text: Any) -> Any:
    # BM25 asks every matching document's field length through four layers of calls (searcher,
    # reader, per-document reader, the table above): a fifth of a common word's search time.
    # Look it up in the segment's length table directly, with the same answers.
    result = _original_setup(self, searcher, fieldname, text)
    if result is None and hasattr(self, "dfl"):
        fast = _length_lookup(searcher, fieldname)
        if fast is not None:
            self.dfl = fast
    return result


def _length_lookup(searcher: Any, fieldname: str) -> Any:
    reader = searcher.reader()
    perdoc = getattr(reader, "_perdoc", None)
    if not isinstance(perdoc, whoosh3.W3PerDocReader) or not reader.doc_count_all():
        return None
    perdoc.doc_field_length(0, fieldname, 1)  # loads the field's table
    table = perdoc.__dict__["_searchkit_lengths"][fieldname]
    if table is False:
        return None
    size = len(table)
    to_length = whoosh3.byte_to_length

    def dfl(docnum: int) -> Any:
        lbyte = table[docnum] if docnum < size else 0
        return to_length(lbyte) if lbyte else None

    return dfl


scoring.WeightLengthScorer.setup = _scorer_setup


class _ViewFile:
    """A read-only file over a memory view, without copying it."""

    __slots__ = ("_buf", "_pos", "_len")

    def __init__(self, buf: Any) -> None:
        self._buf = buf
        self._pos = 0
        self._len = len(buf)

    def read(self, n: int | None = -1) -> bytes:
        pos = self._pos
        end = self._len if n is None or n < 0 else min(pos + n, self._len)
        self._pos = end
        return bytes(self._buf[pos:end])

    def readline(self, limit: int = -1) -> bytes:
        end = self._len if limit is None or limit < 0 else min(self._pos + limit, self._len)
        start = stop = self._pos
        while stop < end:  # in pieces: a line is short, the buffer may be large
            piece = bytes(self._buf[stop : min(stop + 256, end)])
            nl = piece.find(b"\n")
            if nl >= 0:
                stop += nl + 1
                break
            stop += len(piece)
        self._pos = stop
        return bytes(self._buf[start:stop])

    def seek(self, pos: int, whence: int = 0) -> int:
        if whence == 1:
            pos += self._pos
        elif whence == 2:
            pos += self._len
        self._pos = pos
        return pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        pass


def _buffer_file_init(self: Any, buf: Any, name: str | None = None, onclose: Any = None) -> None:
    # The original wraps the buffer in BytesIO, which copies it: a compound segment is memory-
    # mapped, so every searcher opened copied the whole terms and postings files (50 ms at 50,000
    # paragraphs, growing with the index). Read straight from the mapped memory instead.
    self._buf = buf
    self._name = name
    self.file = _ViewFile(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


structfile.BufferFile.__init__ = _buffer_file_init


def _array_union_max_quality(self: Any) -> float:
    # The original returns the *largest* of its sub-matchers' maximum scores, but a document's
    # score here is the *sum* of its sub-matchers' scores, so that bound is too low. Whoosh uses this
    # matcher for an OR of three or more words on an index of up to 5,000 documents, and while it
    # collects the top hits it trusts the bound: an AND MAYBE whose required part "cannot" reach the
    # lowest score of the top list becomes an AND of both parts (AndMaybeMatcher.replace), and
    # every paragraph without the optional part (a title word, a feedback word) is dropped from
    # the list, however well it scores. The true bound: the best score still to come in the part
    # already read (scores summed there), or the sum of the sub-matchers' maxima after it.
    later = sum(m.max_quality() for m in self._submatchers if m.is_active()) * self._boost
    start = self._docnum - self._offset
    read = max(self._a[start:], default=0.0) if 0 <= start < len(self._a) else 0.0
    return float(max(read, later))


combo.ArrayUnionMatcher.max_quality = _array_union_max_quality
