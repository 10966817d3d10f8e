"""A parsed searchkit query as plain data, for engines other than Whoosh.

:func:`searchkit.query.parse_query` turns the query language into a Whoosh query tree (its terms
already analysed by searchkit: folded, variants made one, stemmed). :func:`plan` rewrites that
tree into the small node types below, which the Xapian and OpenSearch backends translate into their
own query objects; the engines never see the query text, so the language and its analysis stay
searchkit's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Union

from searchkit.errors import QueryError
from searchkit.highlight import MatchSpec


@dataclass(frozen=True)
class Word:
    """One analysed term of a field; ``boost`` multiplies its score."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """Words in order, each within ``slop`` positions of the one before (1: side by side)."""

    field: str
    words: tuple[str, ...]
    slop: int = 1
    boost: float = 1.0


@dataclass(frozen=True)
class Pattern:
    """Terms expanded against the vocabulary: ``prefix*``, a ``wild?card`` or ``fuzzy~2``."""

    field: str
    kind: str  #: "prefix", "wildcard" or "fuzzy"
    text: str
    maxdist: int = 0
    prefixlength: int = 0


@dataclass(frozen=True)
class DayRange:
    """``field`` (``date_start`` or ``date_end``, proleptic Gregorian day numbers) in [low, high]."""

    field: str
    low: int | None
    high: int | None
    score: float = 1.0  #: what Whoosh adds for it to every paragraph it matches (constant score)


@dataclass(frozen=True)
class All:
    """Every child must match (scores add up)."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    """At least one child must match (scores of those that do add up)."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Without:
    """``positive`` (everything if None) and not ``negative``."""

    positive: Node | None
    negative: Node
    #: what Whoosh adds to the score of every paragraph it matches: 1.0 per NOT of an AND (and
    #: for a NOT alone), 0 for ``a ANDNOT b``
    score: float = 0.0


Node = Union[Word, Phrase, Pattern, DayRange, All, AnyOf, Without]  # noqa: UP007 (used at run time)


def plan(parsed: Any) -> Node:
    """The plan of a Whoosh query tree from :func:`searchkit.query.parse_query` (or
    :func:`searchkit.ranking.parse_question`).

    :raises QueryError: for a kind of query no engine backend carries over.
    """
    from whoosh import query as q

    if isinstance(parsed, q.Term) and not isinstance(parsed, q.MultiTerm):
        return Word(parsed.fieldname, _text(parsed.text), float(parsed.boost))
    if isinstance(parsed, q.Phrase):
        return Phrase(parsed.fieldname, tuple(parsed.words), int(parsed.slop), float(parsed.boost))
    if isinstance(parsed, q.FuzzyTerm):
        return Pattern(parsed.fieldname, "fuzzy", parsed.text, int(parsed.maxdist), int(parsed.prefixlength))
    if isinstance(parsed, q.Prefix):
        return Pattern(parsed.fieldname, "prefix", parsed.text)
    if isinstance(parsed, q.Wildcard):
        return Pattern(parsed.fieldname, "wildcard", parsed.text)
    if isinstance(parsed, q.NumericRange):
        low = None if parsed.start is None else int(parsed.start) + (1 if parsed.startexcl else 0)
        high = None if parsed.end is None else int(parsed.end) - (1 if parsed.endexcl else 0)
        return DayRange(parsed.fieldname, low, high, float(parsed.boost) if parsed.constantscore else 0.0)
    if isinstance(parsed, q.Not):
        return Without(None, plan(parsed.query), 1.0)
    if isinstance(parsed, q.AndNot):
        return Without(plan(parsed.a), plan(parsed.b))
    if isinstance(parsed, q.And):
        return _all([plan(c) for c in parsed.subqueries])
    if isinstance(parsed, q.Or) and not getattr(parsed, "minmatch", 0):
        return AnyOf(tuple(plan(c) for c in parsed.subqueries))
    raise QueryError(f"The cluster backends cannot run this kind of query: {parsed}")


def _text(text: Any) -> str:
    return text.decode("utf-8") if isinstance(text, bytes) else str(text)


def _all(children: list[Node]) -> Node:
    """``All``, with its NOT children folded into one ``Without`` (engines have AND NOT)."""
    positive = [c for c in children if not (isinstance(c, Without) and c.positive is None)]
    negative = [c.negative for c in children if isinstance(c, Without) and c.positive is None]
    node: Node | None = None
    if positive:
        node = positive[0] if len(positive) == 1 else All(tuple(positive))
    if not negative:
        assert node is not None
        return node
    # Whoosh intersects each NOT as a matcher of every other paragraph, scoring 1.0.
    return Without(node, negative[0] if len(negative) == 1 else AnyOf(tuple(negative)), float(len(negative)))


def fixed_score(node: Node) -> float:
    """What Whoosh adds to the score of *every* paragraph ``node`` matches whatever its words
    (:attr:`Without.score`, :attr:`DayRange.score`): an engine that scores only words adds this to
    reach Whoosh's scores. Under an OR such a constant reaches only the paragraphs matching that
    branch, so it is not counted there (those scores stay apart from Whoosh's)."""
    if isinstance(node, DayRange):
        return node.score
    if isinstance(node, All):
        return sum(fixed_score(c) for c in node.children)
    if isinstance(node, Without):
        return node.score + (0.0 if node.positive is None else fixed_score(node.positive))
    return 0.0


def walk(node: Node, *, positive: bool = True) -> Iterable[Node]:
    """The leaves of a plan; with ``positive``, those under a NOT are left out."""
    if isinstance(node, (All, AnyOf)):
        for child in node.children:
            yield from walk(child, positive=positive)
    elif isinstance(node, Without):
        if node.positive is not None:
            yield from walk(node.positive, positive=positive)
        if not positive:
            yield from walk(node.negative, positive=positive)
    else:
        yield node


def match_spec(node: Node, expand: Callable[[Pattern], list[str]]) -> MatchSpec:
    """What to highlight for a plan (as :func:`searchkit.query.match_spec` does for Whoosh):
    its positive words and phrases, patterns expanded by ``expand`` against the engine's terms."""
    terms: set[tuple[str, str]] = set()
    phrases: list[tuple[str, tuple[str, ...], int]] = []
    for leaf in walk(node):
        if isinstance(leaf, Word):
            terms.add((leaf.field, leaf.text))
        elif isinstance(leaf, Phrase):
            phrases.append((leaf.field, leaf.words, leaf.slop))
        elif isinstance(leaf, Pattern):
            terms.update((leaf.field, t) for t in expand(leaf))
    return MatchSpec(frozenset(terms), tuple(phrases))


def pattern_matcher(pattern: Pattern) -> Callable[[str], bool]:
    """A test of whether a term matches ``pattern``, exactly as Whoosh expands it."""
    if pattern.kind == "prefix":
        return lambda term: term.startswith(pattern.text)
    if pattern.kind == "wildcard":
        import fnmatch
        import re

        regex = re.compile(fnmatch.translate(pattern.text))
        return lambda term: regex.match(term) is not None
    from whoosh.automata.lev import levenshtein_automaton

    dfa = levenshtein_automaton(pattern.text, pattern.maxdist, pattern.prefixlength).to_dfa()
    return lambda term: bool(dfa.accept(term))


def literal_prefix(pattern: Pattern) -> str:
    """The start every matching term has: where an engine begins listing its vocabulary."""
    if pattern.kind == "prefix":
        return pattern.text
    if pattern.kind == "fuzzy":
        return pattern.text[: pattern.prefixlength]
    cut = min((i for i, c in enumerate(pattern.text) if c in "*?["), default=len(pattern.text))
    return pattern.text[:cut]
