"""Read the collection rather than search it: a paragraph in its context, and an overview.

``show`` takes a citation id (``lenin-opposition-resolution:6``) or a document id and returns the
paragraphs to print; ``collection_stats`` describes what the index holds.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from searchkit.errors import NotFoundError, QueryError
from searchkit.query import Hit, hit_from_stored
from searchkit.storage import open_searcher, read_manifest


@dataclass(frozen=True)
class Shown:
    """Paragraphs of one document: ``targets`` are the ones asked for, the rest are context."""

    doc: str
    paragraphs: list[Hit]
    targets: frozenset[str]


def show(index_dir: Path, ident: str, context: int = 0) -> Shown:
    """The paragraph ``ident`` ("doc:N") with ``context`` paragraphs either side, or a whole
    document when ``ident`` is a document id.

    :raises NotFoundError: when there is no such paragraph or document.
    """
    if context < 0:
        raise QueryError(f"Context {context} is negative; give 0 or more paragraphs")
    ident = ident.strip()
    with open_searcher(index_dir) as searcher:
        doc, _, number = ident.rpartition(":")
        if doc and number.isdigit() and searcher.document_number(id=ident) is not None:
            para = int(number)
            # Citation ids are "<doc>:<n>" for n = 1, 2, …: look the neighbours up by id.
            # The document has at most doc_frequency paragraphs, which bounds an absurd --context.
            last = int(searcher.doc_frequency("doc", doc))
            lo, hi = max(1, para - context), min(last, para + context)
            found = (searcher.document(id=f"{doc}:{n}") for n in range(lo, hi + 1))
            rows = [row for row in found if row is not None]
            targets = frozenset({ident})
        elif searcher.document_number(doc=ident) is not None:
            doc, targets = ident, frozenset()
            rows = list(searcher.documents(doc=ident))
        else:
            raise NotFoundError(_not_found(searcher, ident))
    rows.sort(key=lambda row: int(row["para"]))
    return Shown(doc, [hit_from_stored(row) for row in rows], targets or frozenset(r["id"] for r in rows))


def _not_found(searcher: Any, ident: str) -> str:
    doc, _, number = ident.rpartition(":")
    if doc and number.isdigit() and searcher.document_number(doc=doc) is not None:
        last = max(int(f["para"]) for f in searcher.documents(doc=doc))
        return f"Document '{doc}' has no paragraph {number}; its paragraphs are 1-{last}"
    return f"No paragraph or document '{ident}' in the index; give an id as search prints it, like 'doc:3'"


@dataclass(frozen=True)
class CollectionStats:
    """What an index holds."""

    documents: int
    paragraphs: int
    undated: int  #: paragraphs without a date
    first_date: dt.date | None
    last_date: dt.date | None
    authors: list[tuple[str, int]]  #: paragraphs per author, most first
    speakers: list[tuple[str, int]]
    types: list[tuple[str, int]]
    index_bytes: int
    built: dt.datetime  #: when the index was last written (UTC)


def collection_stats(index_dir: Path) -> CollectionStats:
    """Count documents, paragraphs, names, types and dates in the index in ``index_dir``."""
    manifest = read_manifest(index_dir)
    docs: set[str] = set()
    counters: dict[str, Counter[str]] = {k: Counter() for k in ("author", "speaker", "type")}
    starts: list[int] = []
    ends: list[int] = []
    paragraphs = undated = 0
    with open_searcher(index_dir) as searcher:
        for row in searcher.reader().all_stored_fields():
            paragraphs += 1
            docs.add(row["doc"])
            for key, counter in counters.items():
                counter[row[key]] += 1
            if row.get("date_start") is None:
                undated += 1
            else:
                starts.append(row["date_start"])
                ends.append(row.get("date_end", row["date_start"]))
    size = sum(p.stat().st_size for p in index_dir.iterdir() if p.is_file())

    def ranked(counter: Counter[str]) -> list[tuple[str, int]]:
        return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0].casefold()))

    return CollectionStats(
        documents=len(docs),
        paragraphs=paragraphs,
        undated=undated,
        first_date=dt.date.fromordinal(min(starts)) if starts else None,
        last_date=dt.date.fromordinal(max(ends)) if ends else None,
        authors=ranked(counters["author"]),
        speakers=ranked(counters["speaker"]),
        types=ranked(counters["type"]),
        index_bytes=size,
        built=dt.datetime.fromtimestamp(manifest.built, tz=dt.timezone.utc),
    )
