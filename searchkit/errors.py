"""The searchkit error hierarchy.

Every error a user can cause is a :class:`SearchkitError` whose message is one line that names the
file, line or value at fault. The CLI turns them into ``Error: …`` and exit status 2.
"""

from __future__ import annotations

#: Longest message kept whole; a query or file name of megabytes is cut in the middle.
MAX_MESSAGE_CHARS = 2000


class SearchkitError(Exception):
    r"""Something searchkit cannot do, explained in one line.

    The message is kept to one printable line whatever it quotes: line breaks, control characters
    (terminal escapes) and undecodable bytes in a query or a file name are shown escaped.

    >>> print(SearchkitError("Unbalanced '(' in query '(\n'"))
    Unbalanced '(' in query '(\n'
    """

    def __init__(self, message: str = "", *args: object) -> None:
        super().__init__(one_line(str(message)), *args)


def one_line(text: str) -> str:
    """``text`` with every non-printable character escaped, shortened to
    :data:`MAX_MESSAGE_CHARS`."""
    if not text.isprintable():
        text = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
    if len(text) > MAX_MESSAGE_CHARS:
        half = MAX_MESSAGE_CHARS // 2
        text = f"{text[:half]}…{text[-half:]}"
    return text


class SourceError(SearchkitError):
    """A source document cannot be read or parsed. ``reason`` is a word or two for a summary of
    skipped files ("encrypted", "damaged", "time limit"); the message says the rest."""

    def __init__(self, message: str = "", *args: object, reason: str = "unreadable") -> None:
        super().__init__(message, *args)
        self.reason = reason


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


class ClusterError(SearchkitError):
    """A search cluster is misconfigured, or one of its nodes does not answer."""


class RecordError(SearchkitError):
    """A search record (``search --record``) cannot be read or replayed."""
