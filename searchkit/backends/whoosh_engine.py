"""The Whoosh backend: the embedded index (the default) behind the backend interface.

It wraps what searchkit has always used: :class:`searchkit.Index` searches (with whatever
:class:`~searchkit.ranking.Ranking` the request carries) and the Whoosh writer adds paragraphs with
the schema's own analyzers. ``searchkit index`` and ``searchkit search`` on an embedded index do
not go through here; this is how the contract tests hold Whoosh to the same suite as the other
engines.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from searchkit.backends.base import Page, Record, Request, Row
from searchkit.searcher import Index
from searchkit.storage import open_searcher, read_manifest


class WhooshBackend:
    """The Whoosh index in ``index_dir`` (built by :func:`searchkit.build_index`)."""

    name = "whoosh"

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = Path(index_dir)
        self.index = Index(self.index_dir)

    def write(self, records: Sequence[Record], delete_docs: Sequence[str] = ()) -> None:
        from whoosh import index as whoosh_index

        ix = whoosh_index.open_dir(str(self.index_dir), indexname=read_manifest(self.index_dir).indexname)
        try:
            with ix.writer() as writer:
                for doc_id in delete_docs:
                    writer.delete_by_term("doc", doc_id)
                for rec in records:
                    writer.update_document(**rec.fields)
        finally:
            ix.close()
        self.index.close()

    def search(self, request: Request) -> Page:
        result = self.index.search(
            request.text,
            filters=request.filters,
            limit=request.limit,
            offset=request.offset,
            sort=request.sort,
            facets=request.facets,
            any_words=request.any_words,
            ranking=request.ranking,
        )
        with open_searcher(self.index_dir) as searcher:
            rows = [Row(h.id, h.score, dict(searcher.document(id=h.id))) for h in result.hits]
        return Page(rows, result.total, result.total_is_exact, result.facets)

    def count(self) -> int:
        with open_searcher(self.index_dir) as searcher:
            return int(searcher.doc_count())

    def clear(self) -> None:
        from whoosh import index as whoosh_index
        from whoosh.query import Every

        ix = whoosh_index.open_dir(str(self.index_dir), indexname=read_manifest(self.index_dir).indexname)
        try:
            with ix.writer() as writer:
                writer.delete_by_query(Every())
        finally:
            ix.close()
        self.index.close()

    def close(self) -> None:
        self.index.close()
