"""searchkit: full-text search for collections of historical primary sources.

The library API: read documents, build an index, search it::

    from pathlib import Path
    import searchkit

    searchkit.build_index([Path("sources")], Path("index"))
    for hit in searchkit.search(Path("index"), "coalition", limit=3).hits:
        print(hit.id, hit.passage)
"""

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
