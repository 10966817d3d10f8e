"""The searchkit error hierarchy.

Every error a user can cause is a :class:`SearchkitError` whose message is one line that names the
file, line or value at fault. The CLI turns them into ``Error: …`` and exit status 2.
"""

from __future__ import annotations


class SearchkitError(Exception):
    """Something searchkit cannot do, explained in one line."""


class SourceError(SearchkitError):
    """A source document cannot be read or parsed."""


class DateError(SearchkitError):
    """A date is not a valid calendar date or date range."""


class IndexNotFoundError(SearchkitError):
    """There is no searchkit index where one is needed."""


class IndexSchemaError(SearchkitError):
    """The index was built by another, incompatible version of searchkit."""


class IndexDamagedError(IndexSchemaError):
    """The index's files are missing, truncated or corrupt."""


class IndexLockedError(SearchkitError):
    """Another process is writing to the index."""


class QueryError(SearchkitError):
    """A query cannot be parsed."""


class NotFoundError(SearchkitError):
    """A citation id or document id is not in the index."""
