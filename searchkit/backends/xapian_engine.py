"""The Xapian backend: one database on disk, or shards served by ``xapian-tcpsrv`` nodes.

Shards are combined by Xapian's client library, which exchanges term statistics between them, so
BM25 is global: a search over three shards ranks exactly as over one database holding the same
paragraphs; and Xapian's BM25 is set up so that every hit scores as in the embedded Whoosh index
(:mod:`~searchkit.backends.xapian_weight`). Paragraphs go to the shard of their document
(:func:`shard_of`), so that a document's paragraphs are replaced and deleted in one place.

A node that does not answer is named in a :class:`~searchkit.errors.ClusterError`; with
``allow_partial`` the search goes on without it and the :class:`Page` lists it in ``missing``.
Every network call is bounded by a timeout, so a dead or hung node never makes a search hang.

Xapian is GPL-2+: this module is imported only when an index folder describes a Xapian index
(see the README's "Beyond one machine").
"""

from __future__ import annotations

import json
import os
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import xapian

from searchkit.backends.base import Page, Record, Request, Row
from searchkit.backends.plan import Pattern, fixed_score, literal_prefix, pattern_matcher
from searchkit.backends.xapian_query import (
    FACET_SLOTS,
    PREFIXES,
    SLOTS,
    document,
    filter_query,
    translate,
)
from searchkit.backends.xapian_weight import bm25
from searchkit.errors import ClusterError
from searchkit.facets import order_facets


def shard_of(doc_id: str, shards: int) -> int:
    """The shard (0-based) that holds the paragraphs of document ``doc_id``: stable everywhere."""
    return zlib.crc32(doc_id.encode("utf-8")) % shards


@dataclass(frozen=True)
class Shard:
    """Where one shard lives: a database folder, or a node ``host:port``."""

    number: int  #: 1-based, as messages name it
    path: str | None = None
    host: str | None = None
    port: int | None = None

    @property
    def label(self) -> str:
        where = self.path if self.path is not None else f"{self.host}:{self.port}"
        return f"shard {self.number} ({where})"


class XapianBackend:
    """Paragraphs in Xapian shards; see the module docstring."""

    name = "xapian"

    def __init__(
        self, shards: Sequence[Shard], *, timeout: float = 10.0, allow_partial: bool = False
    ) -> None:
        if not shards:
            raise ClusterError("A Xapian index needs at least one shard")
        self.shards = list(shards)
        self.timeout_ms = int(timeout * 1000)
        self.allow_partial = allow_partial

    def _open(self, shard: Shard) -> Any:
        if shard.path is not None:
            if not os.path.isdir(shard.path):  # nothing indexed yet: an empty shard
                return xapian.WritableDatabase("", xapian.DB_BACKEND_INMEMORY)
            return xapian.Database(shard.path)
        return xapian.remote_open(shard.host, shard.port, self.timeout_ms, min(self.timeout_ms, 3000))

    def _open_writable(self, shard: Shard) -> Any:
        if shard.path is not None:
            os.makedirs(os.path.dirname(shard.path), exist_ok=True)
            return xapian.WritableDatabase(shard.path, xapian.DB_CREATE_OR_OPEN)
        return xapian.remote_open_writable(
            shard.host, shard.port, self.timeout_ms, min(self.timeout_ms, 3000)
        )

    def _combined(self, skip: set[int] = frozenset()) -> tuple[Any, list[str]]:  # type: ignore[assignment]
        """All shards as one database, and the labels of those that did not answer (only with
        ``allow_partial``; else the first of them raises)."""
        db, missing = xapian.Database(), []
        for shard in self.shards:
            if shard.number in skip:
                missing.append(shard.label)
                continue
            try:
                db.add_database(self._open(shard))
            except xapian.Error as e:
                if not self.allow_partial:
                    raise _down(shard, e) from None
                missing.append(shard.label)
        if len(missing) == len(self.shards):
            raise ClusterError(f"No shard answers: {', '.join(missing)}")
        return db, missing

    def _dead(self) -> set[int]:
        """The shards that do not answer now (each asked on its own)."""
        dead = set()
        for shard in self.shards:
            try:
                self._open(shard).get_doccount()
            except xapian.Error:
                dead.add(shard.number)
        return dead

    def write(self, records: Sequence[Record], delete_docs: Sequence[str] = ()) -> None:
        """Delete the documents ``delete_docs``, then add (or replace) ``records``, shard by shard."""
        n = len(self.shards)
        for shard in self.shards:
            deletes = [d for d in delete_docs if shard_of(d, n) == shard.number - 1]
            adds = [r for r in records if shard_of(r.doc, n) == shard.number - 1]
            if not deletes and not adds:
                continue
            try:
                db = self._open_writable(shard)
                for doc_id in deletes:
                    db.delete_document(PREFIXES["doc"] + doc_id)
                for rec in adds:
                    db.replace_document(PREFIXES["id"] + rec.id, document(rec))
                db.commit()
                db.close()
            except xapian.Error as e:
                raise _down(shard, e) from None

    def clear(self) -> None:
        for shard in self.shards:
            try:
                db = self._open_writable(shard)
                for item in list(db.allterms(PREFIXES["doc"])):
                    db.delete_document(item.term)
                db.commit()
                db.close()
            except xapian.Error as e:
                raise _down(shard, e) from None

    def search(self, request: Request) -> Page:
        db, missing = self._combined()
        try:
            return self._run(db, request, missing)
        except xapian.NetworkError as e:
            # A node died after it was opened: find which, then fail or go on without it.
            dead = self._dead()
            if not dead:
                raise ClusterError(f"The cluster failed during the search: {e.get_msg()}") from None
            if not self.allow_partial:
                labels = [s.label for s in self.shards if s.number in dead]
                raise ClusterError(f"{', '.join(labels)} stopped answering during the search") from None
            db, missing = self._combined(skip=dead)
            return self._run(db, request, missing)

    def _run(self, db: Any, request: Request, missing: list[str]) -> Page:
        Q = xapian.Query
        enquire = xapian.Enquire(db)
        # BM25 that scores as Whoosh's BM25F does (see xapian_weight), from the global statistics.
        weighting = bm25(db, request.ranking)
        enquire.set_weighting_scheme(weighting.weight())
        termfreqs: dict[str, int] = {}

        def scale(term: str) -> float:
            if term not in termfreqs:
                termfreqs[term] = int(db.get_termfreq(term))
            return weighting.scale(termfreqs[term])

        query = translate(request.node, lambda p: self._expand(db, p, termfreqs), scale)
        allowed = filter_query(request.filters)
        if allowed is not None:
            query = Q(Q.OP_FILTER, query, allowed)
        enquire.set_query(query)
        if request.sort == "relevance":
            enquire.set_sort_by_relevance_then_value(SLOTS["tie"], False)
        else:
            enquire.set_sort_by_value(SLOTS[request.sort], False)
        spies = {}
        if request.facets:
            for name, slot in FACET_SLOTS.items():
                spies[name] = xapian.ValueCountMatchSpy(slot)
                enquire.add_matchspy(spies[name])
        exact = request.exact_total or request.facets
        mset = enquire.get_mset(request.offset, request.limit, db.get_doccount() if exact else 0)
        rows, fixed = [], fixed_score(request.node)
        for item in mset:
            stored = json.loads(item.document.get_data())
            rows.append(Row(stored["id"], float(item.weight) + fixed, stored))
        low, high = mset.get_matches_lower_bound(), mset.get_matches_upper_bound()
        facets = _facets(spies) if spies else None
        return Page(rows, mset.get_matches_estimated(), low == high, facets, tuple(missing))

    def _expand(self, db: Any, pattern: Pattern, termfreqs: dict[str, int]) -> list[str]:
        """The terms ``pattern`` matches; their frequencies go into ``termfreqs`` on the way."""
        prefix = PREFIXES[pattern.field]
        matches = pattern_matcher(pattern)
        found = []
        for item in db.allterms(prefix + literal_prefix(pattern)):
            term = item.term.decode("utf-8")[len(prefix) :]
            if term and not term[0].isupper() and matches(term):
                found.append(term)
                termfreqs[prefix + term] = int(item.termfreq)
        return found

    def count(self) -> int:
        db, _ = self._combined()
        return int(db.get_doccount())

    def count_shard(self, number: int) -> int:
        """How many paragraphs shard ``number`` holds (raises ``ClusterError`` if it is down)."""
        shard = self.shards[number - 1]
        try:
            return int(self._open(shard).get_doccount())
        except xapian.Error as e:
            raise _down(shard, e) from None

    def close(self) -> None:
        """Nothing stays open between calls."""


def _down(shard: Shard, e: Any) -> ClusterError:
    return ClusterError(
        f"{shard.label} does not answer ({e.get_msg()}); start it or search with --allow-partial"
    )


def _facets(spies: dict[str, Any]) -> dict[str, list[tuple[str, int]]]:
    counters: dict[str, Counter[str]] = {}
    for name, spy in spies.items():
        counts: Counter[str] = Counter()
        for value in spy.values():
            n = int(value.termfreq)
            if name in ("year", "about"):  # the years a paragraph falls in, space-separated
                for year in value.term.decode("utf-8").split():
                    counts[year] += n
            else:
                counts[value.term.decode("utf-8")] += n
        counters[name] = counts
    return order_facets(counters)
