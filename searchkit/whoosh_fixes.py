"""Work-arounds for Whoosh-Reloaded 2.7.5, which is frozen: its bugs are ours to work around.

Imported for its effect by :mod:`searchkit.schema`, so it is in force wherever an index is read or
written.
"""

from __future__ import annotations

from typing import Any

from whoosh.codec import whoosh3


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
