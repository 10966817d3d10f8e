"""Moving through the hits of one search: the hit ranked just before and just after another, for
"previous hit" and "next hit" in a reading view.

Works on an open :class:`searchkit.Index`, so that stepping through a long result list costs one
small search per step rather than listing every hit.
"""

from __future__ import annotations

from dataclasses import dataclass

from searchkit.query import Filters, Hit
from searchkit.searcher import Index


@dataclass(frozen=True)
class Neighbours:
    """The hits around hit number ``rank`` of a search (None where there is none)."""

    previous: Hit | None
    current: Hit | None  #: None when the hit at that rank is no longer the one asked for
    next: Hit | None
    total: int  #: how many paragraphs the search matches


def neighbours(
    index: Index,
    text: str,
    hit_id: str,
    rank: int,
    *,
    filters: Filters | None = None,
    sort: str = "relevance",
    any_words: bool = False,
) -> Neighbours:
    """The hits ranked ``rank - 1`` and ``rank + 1`` in the search ``text`` (with the arguments of
    :meth:`Index.search`), if the hit ranked ``rank`` is still ``hit_id``.

    After the index has changed, ``hit_id`` may have moved: then only ``total`` is filled in.
    """
    first = max(1, rank - 1)
    result = index.search(
        text,
        filters=filters,
        limit=rank + 2 - first,
        offset=first - 1,
        sort=sort,
        any_words=any_words,
        count=True,  # "hit 3 of 120": the exact number
    )
    by_rank = {hit.rank: hit for hit in result.hits}
    current = by_rank.get(rank)
    if current is None or current.id != hit_id:
        return Neighbours(None, None, None, result.total)
    return Neighbours(by_rank.get(rank - 1), current, by_rank.get(rank + 1), result.total)
