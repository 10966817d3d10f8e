"""The backend interface: what an engine must do for searchkit, and the data it is given and returns.

An engine stores paragraphs and finds them; searchkit does everything around that (analysis,
the query language, passages, highlighting, citations, rendering) the same way for every engine.
A paragraph reaches an engine as a :class:`Record`: its analysed terms in order, with positions,
per field; whole-value keyword fields; the date as day numbers; and the stored fields, from which
searchkit later builds the hit. A search reaches it as a :class:`Request` (the parsed query, its
:mod:`~searchkit.backends.plan`, filters, sort, paging, facets) and comes back as a :class:`Page`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from searchkit.backends.plan import Node
from searchkit.facets import Facets
from searchkit.query import Filters
from searchkit.ranking import DEFAULT, Ranking

#: Fields whose analysed terms are indexed with their positions (phrases and proximity work).
TEXT_FIELDS = ("body", "exact", "title", "author", "speaker", "type", "section")
#: Fields indexed as one whole value each.
KEYWORD_FIELDS = ("id", "doc", "source", "collection")


@dataclass(frozen=True)
class Record:
    """One paragraph as an engine indexes it."""

    id: str  #: the citation id, "<document>:<paragraph>"
    doc: str  #: the document id: every paragraph of a document goes to the same shard
    terms: dict[str, list[tuple[str, int]]]  #: field -> (term, position), in text order
    keywords: dict[str, str]  #: field -> whole value
    days: tuple[int, int] | None  #: first and last day (proleptic Gregorian ordinals), if dated
    stored: dict[str, Any]  #: what :func:`searchkit.query.hit_from_stored` needs
    #: the paragraph's fields as :func:`searchkit.indexer.paragraph_fields` gives them (the
    #: Whoosh backend analyses these itself, with the same analyzers)
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Request:
    """One search, as the library hands it to a backend."""

    text: str  #: the query as typed (the Whoosh backend parses it itself)
    node: Node  #: the parsed query as plain data (every other backend translates this)
    filters: Filters = field(default_factory=Filters)
    offset: int = 0
    limit: int = 10
    sort: str = "relevance"  #: one of :data:`searchkit.query.SORTS`
    facets: bool = False
    exact_total: bool = True  #: count every match (else an engine may estimate)
    any_words: bool = False
    ranking: Ranking = DEFAULT


@dataclass(frozen=True)
class Row:
    """One hit as an engine returns it."""

    id: str
    score: float
    stored: dict[str, Any]


@dataclass(frozen=True)
class Page:
    """The hits asked for, how many paragraphs matched, and what could not be searched."""

    rows: list[Row]
    total: int
    total_is_exact: bool = True
    facets: Facets | None = None
    #: shards that did not answer (only with ``allow_partial``): the results lack their paragraphs
    missing: tuple[str, ...] = ()


class Backend(Protocol):
    """What searchkit needs from a search engine."""

    #: a short name for messages: "whoosh", "xapian", "opensearch"
    name: str

    def write(self, records: Sequence[Record], delete_docs: Sequence[str] = ()) -> None:
        """Delete every paragraph of the documents ``delete_docs``, then add ``records``, and commit."""

    def search(self, request: Request) -> Page:
        """Run ``request``: its page of rows, best (or first by date) first, and the total."""

    def count(self) -> int:
        """How many paragraphs the engine holds."""

    def clear(self) -> None:
        """Delete every paragraph (before a rebuild)."""

    def close(self) -> None:
        """Release connections and files."""
