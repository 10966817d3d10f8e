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
