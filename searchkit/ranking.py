"""How matching paragraphs are ordered: BM25 weighting, title weight, stop words, word
proximity (sequential dependence) and feedback.

Ranking never changes *which* paragraphs match a query, only their order: the title and the
proximity of question words are optional clauses (``AndMaybe``), and feedback terms only add to
the score of paragraphs that already match. The defaults in :data:`DEFAULT` are the ones measured
best on the odd-numbered questions of the Cranfield collection (``bench/relevance.py``; see the
README's Benchmarks section).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from searchkit.analysis import body_term, word_spans
from searchkit.errors import QueryError

#: Words dropped from ``--any`` questions before ranking (query time only: the index keeps every
#: word, so phrases such as "the power of the Soviets" still match). Function words of English.
STOP_WORDS = frozenset(
    """
    a about above after again against all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had
    has have having he her here hers herself him himself his how i if in into is it its itself just
    me more most my myself no nor not of off on once only or other our ours ourselves out over own
    same she should so some such than that the their theirs them themselves then there these they
    this those through to too under until up very was we were what when where which while who whom
    why will with would you your yours yourself yourselves
    """.split()
)


@dataclass(frozen=True)
class Ranking:
    """The knobs of the ranking function."""

    k1: float = 1.6  #: BM25 term-frequency saturation
    b: float = 0.75  #: BM25 length normalisation
    bm25_idf: bool = True  #: Lucene's BM25 idf (:func:`bm25_idf`); False: Whoosh's own idf
    title_weight: float = 1.0  #: weight of query words found in the title (0: title ignored)
    stop_words: bool = True  #: drop :data:`STOP_WORDS` from ``--any`` questions
    feedback_docs: int = 5  #: pseudo-relevance feedback (RM3) from this many top paragraphs
    feedback_terms: int = 10  #: number of expansion words
    feedback_weight: float = 0.3  #: share of the expansion words in the final query (RM3 lambda)
    #: sequential dependence (Metzler and Croft 2005): neighbouring words of a question found next
    #: to each other, in order, and within ``window`` words of each other in any order, add to the
    #: score with these weights relative to the single words (their weights: 0.10 and 0.05 against
    #: 0.85). The unordered window is off by default: on Cranfield it cost time and did not help.
    ordered_weight: float = 0.10 / 0.85
    unordered_weight: float = 0.0
    window: int = 8

    def __post_init__(self) -> None:
        if self.k1 <= 0 or not 0 <= self.b <= 1 or not 0 <= self.feedback_weight < 1 or self.window < 2:
            raise ValueError(
                f"{self}: k1 must be > 0, b in [0, 1], feedback_weight in [0, 1) and window >= 2"
            )


DEFAULT = Ranking()


def bm25_idf(searcher: Any, fieldname: str, text: Any) -> float:
    """The idf of Robertson and Sparck Jones as Lucene's BM25 uses it, ``log(1 + (N - n + 0.5) /
    (n + 0.5))``: unlike Whoosh's ``log(N / (n + 1)) + 1`` it goes to zero for a word in every
    paragraph, so very common words add almost nothing."""
    parent = searcher.get_parent()
    n = parent.doc_frequency(fieldname, text)
    total = parent.doc_count_all()
    return math.log(1 + (total - n + 0.5) / (n + 0.5))


def weighting(ranking: Ranking) -> Any:
    """The Whoosh weighting model for ``ranking``: BM25F with :func:`bm25_idf`."""
    from whoosh import scoring

    if not ranking.bm25_idf:
        return scoring.BM25F(B=ranking.b, K1=ranking.k1)

    class Bm25(scoring.BM25F):
        def idf(self, searcher: Any, fieldname: str, text: Any) -> float:
            return bm25_idf(searcher, fieldname, text)

    return Bm25(B=ranking.b, K1=ranking.k1)


def question_words(text: str, ranking: Ranking) -> list[str]:
    """The analysed body terms of a natural-language question, stop words dropped (unless that
    would leave nothing)."""
    words = [text[s:e] for s, e in word_spans(text)]
    kept = [w for w in words if w.lower() not in STOP_WORDS] if ranking.stop_words else words
    return [body_term(w) for w in (kept or words)]


def any_words_query(terms: list[str]) -> Any:
    """Paragraphs with any of ``terms``; a repeated word counts as many times as it is repeated."""
    from whoosh import query as q

    counts = Counter(terms)
    query = q.Or([q.Term("body", t, boost=float(n)) for t, n in counts.items()])
    query.question_terms = list(terms)  # in question order, for :func:`dependence`
    return query


def body_terms(parsed: Any) -> list[str]:
    """The positive body terms of a parsed query: those the title and feedback build on."""
    from whoosh import query as q

    from searchkit.query import positive_leaves  # query imports this module

    return [n.text for n in positive_leaves(parsed) if isinstance(n, q.Term) and n.fieldname == "body"]


def with_title(parsed: Any, ranking: Ranking) -> Any:
    """``parsed``, with its words found in the title adding to the score (not to what matches)."""
    from whoosh import query as q

    terms = sorted(set(body_terms(parsed)))
    if ranking.title_weight <= 0 or not terms:
        return parsed
    title = q.Or([q.Term("title", t, boost=ranking.title_weight) for t in terms])
    return q.AndMaybe(parsed, title)


def dependence(terms: list[str], ranking: Ranking) -> list[Any]:
    """Sequential-dependence clauses for the question words ``terms`` (in question order): each
    pair of neighbours as an ordered phrase and as an unordered window. A clause adds the two
    words' BM25 scores, times its weight, where they occur together so."""
    from whoosh import query as q
    from whoosh.query.spans import SpanNear2

    pairs = [(a, b) for a, b in zip(terms, terms[1:], strict=False) if a != b]
    clauses: list[Any] = []
    for weight, slop, ordered in (
        (ranking.ordered_weight, 1, True),
        (ranking.unordered_weight, ranking.window - 1, False),
    ):
        if weight > 0:
            clauses += [
                SpanNear2([q.Term("body", a, boost=weight), q.Term("body", b, boost=weight)], slop, ordered)
                for a, b in pairs
            ]
    return clauses


def feedback_terms(top: list[tuple[float, str]], exclude: set[str], ranking: Ranking) -> dict[str, float]:
    """RM3-style expansion words, not already in the query, from the top paragraphs
    ``(score, body text)``: each word weighted by its share of each paragraph, times that
    paragraph's share of the top scores."""
    total = sum(score for score, _ in top) or 1.0
    weights: dict[str, float] = {}
    for score, text in top:
        words = [text[s:e] for s, e in word_spans(text)]
        terms = [body_term(w) for w in words if w.lower() not in STOP_WORDS and not w.isdigit()]
        if not terms:
            continue
        for term, n in Counter(terms).items():
            weights[term] = weights.get(term, 0.0) + (score / total) * (n / len(terms))
    ranked = sorted(weights.items(), key=lambda tw: (-tw[1], tw[0]))
    best = [(t, w) for t, w in ranked if t not in exclude][: ranking.feedback_terms]
    norm = sum(w for _, w in best) or 1.0
    return {t: w / norm for t, w in best}


def parse_question(text: str, ranking: Ranking) -> Any:
    """The ``--any`` query of a natural-language question: paragraphs with any of its words.

    The text is taken as plain words (no operators, fields or wildcards), so that punctuation in
    a question ("flow?", "Kuchemann's") is never mistaken for query syntax.
    """
    terms = question_words(text, ranking)
    if not terms:
        raise QueryError(f"Query '{text}' has no words to search for")
    return any_words_query(terms)


def final_query(searcher: Any, parsed: Any, ranking: Ranking, filter: Any, feedback: bool) -> Any:
    """The query that ranks what ``parsed`` matches: title weight and, for a question
    (``feedback``: ``parsed`` came from :func:`parse_question`), sequential dependence of its
    words, then RM3 expansion words from the first round's best paragraphs."""
    from whoosh import query as q

    ranked = with_title(parsed, ranking)
    near = dependence(getattr(parsed, "question_terms", []), ranking) if feedback else []
    if near:
        ranked = q.AndMaybe(ranked, q.Or(near))
    if not feedback or ranking.feedback_docs < 1 or ranking.feedback_weight <= 0:
        return ranked
    first = searcher.search(ranked, limit=ranking.feedback_docs, filter=filter)
    top = [(r.score, r["body"]) for r in first]
    if not top:
        return ranked
    original = body_terms(parsed)
    expansion = feedback_terms(top, set(original), ranking)
    if not expansion:
        return ranked
    scale = len(original) * ranking.feedback_weight / (1 - ranking.feedback_weight)
    extra = q.Or([q.Term("body", t, boost=w * scale) for t, w in expansion.items()])
    return q.AndMaybe(ranked, extra)
