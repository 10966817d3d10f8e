"""The one Whoosh schema: one index document per paragraph.

Field names here are the names used everywhere else (``Hit`` attributes, JSON keys, query fields).
"""

from __future__ import annotations

from whoosh.columns import RefBytesColumn
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from searchkit import whoosh_fixes  # noqa: F401  (applied on import)
from searchkit.analysis import body_analyzer, exact_analyzer, name_analyzer

#: Bump whenever the schema or an analyzer changes: older indexes must then be rebuilt.
SCHEMA_VERSION = 9

#: Fields a query may name, as ``field:value``.
QUERY_FIELDS = ("body", "exact", "title", "author", "speaker", "type", "doc", "id", "section", "collection")


def make_schema() -> Schema:
    """Build the searchkit schema.

    Names, types and dates are also kept in columns (``sortable``), so that facets and date
    filters read them without loading each paragraph's stored fields (:mod:`searchkit.columns`).
    """
    return Schema(
        id=ID(stored=True, unique=True),  # citation id: "<doc>:<paragraph>"
        doc=ID(stored=True),
        source=ID(stored=True),
        para=STORED,
        page=STORED,  # the page the paragraph starts on, as printed (paginated sources only)
        line=STORED,
        title=TEXT(analyzer=body_analyzer(), stored=True, phrase=True),
        author=TEXT(analyzer=name_analyzer(), stored=True, phrase=True, sortable=RefBytesColumn()),
        speaker=TEXT(analyzer=name_analyzer(), stored=True, phrase=True, sortable=RefBytesColumn()),
        type=TEXT(analyzer=name_analyzer(), stored=True, phrase=True, sortable=RefBytesColumn()),
        date=STORED,  # as written in the source
        calendar=STORED,  # the calendar the date was written in: "gregorian" or "julian"
        # Proleptic ordinal days; shift_step=8 indexes 4 terms per value instead of Whoosh's 8.
        date_start=NUMERIC(int, bits=32, shift_step=8, stored=True, sortable=True),
        date_end=NUMERIC(int, bits=32, shift_step=8, stored=True, sortable=True),
        # The period the paragraph describes ("about"), when given: as written, and its days.
        about=STORED,
        about_calendar=STORED,
        about_start=NUMERIC(int, bits=32, shift_step=8, stored=True, sortable=True),
        about_end=NUMERIC(int, bits=32, shift_step=8, stored=True, sortable=True),
        body=TEXT(analyzer=body_analyzer(), stored=True, phrase=True),
        exact=TEXT(analyzer=exact_analyzer(), phrase=True),
        extra=STORED,  # JSON of any other front-matter keys
        section=TEXT(analyzer=body_analyzer(), stored=True),  # chapter or heading, if any
        collection=ID(stored=True),  # the collection's name, lower case
    )
