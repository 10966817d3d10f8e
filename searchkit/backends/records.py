"""Paragraphs as backends index them: searchkit's analysis applied once, here, for every engine.

The terms come from the same analyzers the Whoosh schema uses (:mod:`searchkit.analysis`:
folding, variant folding, NLTK Snowball stemming, hyphenated words also joined), so an engine does
no analysis of its own: it indexes the terms in order, with their positions.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from searchkit.backends.base import KEYWORD_FIELDS, TEXT_FIELDS, Record
from searchkit.people import People
from searchkit.sources import Document


@lru_cache(maxsize=1)
def _analyzers() -> dict[str, Any]:
    from searchkit.schema import make_schema

    schema = make_schema()
    return {name: schema[name].analyzer for name in TEXT_FIELDS}


@lru_cache(maxsize=1)
def _stored_names() -> frozenset[str]:
    from searchkit.schema import make_schema

    schema = make_schema()
    return frozenset(name for name, f in schema.items() if f.stored)


def analyse(value: str, fieldname: str) -> list[tuple[str, int]]:
    """The terms of ``value`` in field ``fieldname``, with positions, as Whoosh would index them."""
    analyzer = _analyzers()[fieldname]
    return [(t.text, t.pos) for t in analyzer(value, positions=True)]


def record(fields: dict[str, Any]) -> Record:
    """The :class:`Record` of one paragraph's fields (from :func:`searchkit.indexer.paragraph_fields`)."""
    terms = {name: analyse(str(fields[name]), name) for name in TEXT_FIELDS if fields.get(name)}
    keywords = {name: str(fields[name]) for name in KEYWORD_FIELDS if fields.get(name) is not None}
    stored = {
        name: fields.get(f"_stored_{name}", value)
        for name, value in fields.items()
        if not name.startswith("_") and name in _stored_names() and value is not None
    }
    days = None
    if fields.get("date_start") is not None:
        days = (int(fields["date_start"]), int(fields["date_end"]))
    return Record(fields["id"], fields["doc"], terms, keywords, days, stored, fields)


def document_records(
    doc: Document, source: str, people: People | None = None, collection: str = ""
) -> Iterator[Record]:
    """The records of every paragraph of ``doc``."""
    from searchkit.indexer import paragraph_fields

    for fields in paragraph_fields(doc, source, people, collection):
        yield record(fields)
