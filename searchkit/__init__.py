"""searchkit: full-text search for collections of historical primary sources.

The library API: read documents, build an index, search it::

    from pathlib import Path
    import searchkit

    searchkit.build_index([Path("sources")], Path("index"))
    for hit in searchkit.search(Path("index"), "coalition", limit=3).hits:
        print(hit.id, hit.passage)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from searchkit import whoosh_start  # noqa: F401  (first: see its docstring)

if TYPE_CHECKING:
    from searchkit.dates import DateRange, parse_date
    from searchkit.errors import (
        DateError,
        IndexLockedError,
        IndexNotFoundError,
        IndexSchemaError,
        QueryError,
        SearchkitError,
        SourceError,
    )
    from searchkit.indexer import IndexStats, build_index
    from searchkit.query import Filters, Hit, SearchResult, search
    from searchkit.ranking import Ranking
    from searchkit.searcher import Index
    from searchkit.sources import Document, Paragraph, read_document, read_sources

#: Where each public name lives. They are imported on first use (PEP 562), so that importing one
#: part of the package (the command line imports ``searchkit.cli``) does not import all the rest:
#: a search never loads the indexer, the document formats or YAML.
_HOMES = {
    "DateRange": "dates",
    "parse_date": "dates",
    "DateError": "errors",
    "IndexLockedError": "errors",
    "IndexNotFoundError": "errors",
    "IndexSchemaError": "errors",
    "QueryError": "errors",
    "SearchkitError": "errors",
    "SourceError": "errors",
    "IndexStats": "indexer",
    "build_index": "indexer",
    "Filters": "query",
    "Hit": "query",
    "SearchResult": "query",
    "search": "query",
    "Ranking": "ranking",
    "Index": "searcher",
    "Document": "sources",
    "Paragraph": "sources",
    "read_document": "sources",
    "read_sources": "sources",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'searchkit' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"searchkit.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "DateError",
    "DateRange",
    "Document",
    "Filters",
    "Hit",
    "Index",
    "IndexLockedError",
    "IndexNotFoundError",
    "IndexSchemaError",
    "IndexStats",
    "Paragraph",
    "QueryError",
    "Ranking",
    "SearchResult",
    "SearchkitError",
    "SourceError",
    "build_index",
    "parse_date",
    "read_document",
    "read_sources",
    "search",
]
