"""Xapian's built-in BM25 made to score every hit as searchkit's Whoosh index does.

Whoosh ranks with BM25F (:func:`searchkit.ranking.weighting`)::

    idf(n) * tf * (K1 + 1) / (tf + K1 * ((1 - B) + B * dl / avgdl))

with Lucene's idf ``log(1 + (N - n + 0.5) / (n + 0.5))`` (:func:`searchkit.ranking.bm25_idf`),
``dl`` the paragraph's body length as Whoosh stores it (one byte, decoded by
``whoosh.util.numeric.byte_to_length``: rounded *up*, so 11 words count as 12, 200 as 203) and
``avgdl`` the exact average body length (the sum of the true lengths over the paragraphs).

Xapian's ``BM25Weight(k1, 0, 0, b, 0)`` (xapian-core 1.4 ``weight/bm25weight.cc``) gives::

    factor * log(t') * (k1 + 1) * wdf / (wdf + k1 * ((1 - b) + b * len / avlen))

with ``t = (N - n + 0.5) / (n + 0.5)``, ``t' = t`` if ``t >= 2`` else ``t / 2 + 1``, ``len`` the
sum of the document's wdf and ``factor`` the product of the ``OP_SCALE_WEIGHT`` around the term.
Three steps make the two equal, with nothing but what Xapian offers out of the box (a remote
``xapian-tcpsrv`` knows only its built-in weighting schemes):

1. Each paragraph carries a padding term (:data:`PAD_TERM`) of wdf :func:`padding`, so that its
   Xapian length is Whoosh's decoded length; the padding's collection frequency is what the
   padding added, so the exact average is ``(total length - cf(pad)) / N``.
2. Per search, ``k1`` and ``b`` are chosen so that
   ``k1' * ((1 - b') + b' * dl / avg_padded) == K1 * ((1 - B) + B * dl / avg_exact)`` for every
   ``dl``: with ``r = avg_padded / avg_exact``, ``k1' = K1 * (1 - B + B * r)`` and
   ``b' = K1 * B * r / k1'`` (``r >= 1``, so ``b'`` stays in [0, 1]).
3. Each body term is scaled by ``idf_whoosh(n) * (K1 + 1) / (log(t') * (k1' + 1))``, computed here
   from the global statistics the combined database gives (``get_doccount``, ``get_termfreq``,
   ``get_total_length``, ``get_collection_freq``: over remote shards, the sums of all shards).

Equal up to floating-point rounding (the same operations in another order: about 1e-15
relative). Not equal: paragraphs whose body is longer than 106,374 words (Whoosh's byte saturates
there, and Xapian's length cannot be made shorter than the true one), and scores of words in other
fields than the body, which add nothing on Xapian (one length per document: BM25 of the title
field would need the title's length).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import xapian

from searchkit.ranking import Ranking

#: A term in every paragraph whose Whoosh length is longer than its true length; its wdf is the
#: difference. No query ever names it (prefix ``XZ`` is no field's).
PAD_TERM = "XZpad"


def padding(length: int) -> int:
    """What to add to a body of ``length`` terms for it to count as Whoosh counts it."""
    from whoosh.util.numeric import byte_to_length, length_to_byte

    return max(0, int(byte_to_length(length_to_byte(length))) - length)


def lucene_idf(total: int, n: int) -> float:
    """:func:`searchkit.ranking.bm25_idf` from the counts."""
    return math.log(1 + (total - n + 0.5) / (n + 0.5))


def whoosh_idf(total: int, n: int) -> float:
    """Whoosh's own idf (``Ranking(bm25_idf=False)``)."""
    return math.log(total / (n + 1)) + 1


def xapian_idf(total: int, n: int) -> float:
    """The idf of Xapian 1.4's BM25Weight (without relevance feedback), clamp included."""
    t = (total - n + 0.5) / (n + 0.5)
    if t < 2:
        t = t * 0.5 + 1
    return math.log(t)


@dataclass(frozen=True)
class Bm25:
    """The Xapian weighting of one search, and the scale of each body term."""

    k1: float  #: Whoosh's K1
    k1x: float  #: Xapian's k1, for the padded lengths
    bx: float  #: Xapian's b
    total: int  #: paragraphs in the (combined) database
    lucene: bool  #: Lucene's idf, else Whoosh's own

    def weight(self) -> Any:
        """The ``xapian.BM25Weight`` to set on the Enquire."""
        return xapian.BM25Weight(self.k1x, 0, 0, self.bx, 0.0)

    def scale(self, termfreq: int) -> float:
        """The ``OP_SCALE_WEIGHT`` factor of a body term in ``termfreq`` paragraphs."""
        if termfreq <= 0 or self.total <= 0:
            return 1.0
        idf = (lucene_idf if self.lucene else whoosh_idf)(self.total, termfreq)
        return idf * (self.k1 + 1) / (xapian_idf(self.total, termfreq) * (self.k1x + 1))


def bm25(db: Any, ranking: Ranking) -> Bm25:
    """The weighting for ``ranking`` over database ``db`` (one, or shards combined)."""
    total = int(db.get_doccount())
    padded_length = int(db.get_total_length())
    exact_length = padded_length - int(db.get_collection_freq(PAD_TERM))
    k1, b = ranking.k1, ranking.b
    k1x, bx = k1, b
    if total and exact_length > 0:
        # Whoosh: field length / doc count, in this order (whoosh.searching.avg_field_length).
        r = (padded_length / total) / (exact_length / total)
        k1x = k1 * (1 - b + b * r)
        bx = min(1.0, k1 * b * r / k1x)
    return Bm25(k1, k1x, bx, total, ranking.bm25_idf)
