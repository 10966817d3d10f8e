"""The one Whoosh schema: one index document per paragraph.

Field names here are the names used everywhere else (``Hit`` attributes, JSON keys, query fields).
"""

from __future__ import annotations

from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from searchkit.analysis import body_analyzer, exact_analyzer, name_analyzer

#: Bump whenever the schema or an analyzer changes: older indexes must then be rebuilt.
SCHEMA_VERSION = 2

#: Fields a query may name, as ``field:value``.
QUERY_FIELDS = ("body", "exact", "title", "author", "speaker", "type", "doc", "id")


def make_schema() -> Schema:
    """Build the searchkit schema."""
    return Schema(
        id=ID(stored=True, unique=True),  # citation id: "<doc>:<paragraph>"
        doc=ID(stored=True),
        source=ID(stored=True),
        para=NUMERIC(int, stored=True, sortable=True),
        line=STORED,
        title=TEXT(analyzer=body_analyzer(), stored=True, phrase=True),
        author=TEXT(analyzer=name_analyzer(), stored=True, phrase=True),
        speaker=TEXT(analyzer=name_analyzer(), stored=True, phrase=True),
        type=TEXT(analyzer=name_analyzer(), stored=True, phrase=True),
        date=STORED,  # as written in the source
        calendar=STORED,  # the calendar the date was written in: "gregorian" or "julian"
        date_start=NUMERIC(int, bits=32, stored=True, sortable=True),  # proleptic ordinal day
        date_end=NUMERIC(int, bits=32, stored=True),
        body=TEXT(analyzer=body_analyzer(), stored=True, phrase=True),
        exact=TEXT(analyzer=exact_analyzer(), phrase=True),
        extra=STORED,  # JSON of any other front-matter keys
    )
