"""Phrases without slop, checked with sets of word positions instead of Whoosh's spans.

A phrase query ("Soviet power", "the will of the people") is answered by walking the paragraphs
that hold all of its words and checking, in each, whether the words stand next to each other. For
a phrase of common words that check runs in most paragraphs of the collection, and it was 97% of a
phrase query's time: Whoosh's ``SpanNear2`` builds a ``Span`` object for every position of every
word, sorts and bisects them and merges them into new spans, word after word. For the phrases a
query writes (no slop: each word right after the one before) a set does the same job: the
positions where the phrase so far ends, moved on by one, intersected with the next word's
positions. :class:`AdjacentMatcher` does that on the same matchers and in the same order Whoosh
intersects them, so the paragraphs and their scores (the sum of the words' scores, as for
Whoosh's phrase) are the same; ``tests/test_phrases.py`` compares both on real text. A phrase
with slop (``"heat transfer"~3``) is still Whoosh's own.

And positions are read only where they can matter: once the top list is full, Whoosh's collector
tells the matcher the lowest score in it (``replace``); a paragraph whose words score less cannot
enter the list whether or not it holds the phrase, so it is passed over without its positions
being decoded. (Counts then are lower bounds, as for every pruned search; an exact count or facets
score every match.)

Measured alternative, not chosen: indexing every pair of adjacent words (a "pairs" field, so that
a phrase first intersects its pairs' lists) halved phrase latency at 10,000 paragraphs but doubled
the index (39 → 83 MB) and added 37% to the build's CPU time; see the README's benchmark section.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh import query as q
from whoosh.matching import IntersectionMatcher, NullMatcher, WrappingMatcher
from whoosh.util import make_binary_tree


class AdjacentMatcher(WrappingMatcher):
    """The paragraphs where the matchers ``words`` (one per word, in phrase order, on one field
    with positions) match at consecutive positions; scored like Whoosh's phrase matcher: the
    intersection of the word matchers (the same binary tree), times ``boost``."""

    def __init__(self, words: list[Any], boost: float = 1.0, minquality: float = 0.0) -> None:
        self.words = words
        #: The score a paragraph needs to matter (raised by :meth:`replace` as the top list fills):
        #: a paragraph scoring less is passed over without its positions being read.
        self.minquality = minquality
        super().__init__(make_binary_tree(IntersectionMatcher, words), boost=boost)
        self._find_next()

    def _adjacent(self) -> bool:
        """Whether the words stand next to each other, in order, in the current paragraph."""
        ends = self.words[0].value_as("positions")
        for word in self.words[1:]:
            there = set(word.value_as("positions"))
            ends = [p + 1 for p in ends if p + 1 in there]
            if not ends:
                return False
        return True

    def _find_next(self) -> bool:
        child = self.child
        moved = False
        while child.is_active() and (
            (self.minquality and child.score() * self.boost < self.minquality) or not self._adjacent()
        ):
            moved = bool(child.next()) or moved
        return moved

    def copy(self) -> AdjacentMatcher:
        return AdjacentMatcher([m.copy() for m in self.words], self.boost, self.minquality)

    def replace(self, minquality: float = 0) -> Any:
        """Whoosh's collector calls this as the lowest score of its full top list rises: from
        then on a paragraph scoring less than that cannot enter the list, so its positions need
        not be read (the word matchers are kept: their positions are needed)."""
        if not self.is_active() or (minquality and self.max_quality() < minquality):
            return NullMatcher()
        self.minquality = max(self.minquality, minquality)
        return self

    def next(self) -> bool:
        moved = bool(self.child.next())
        return self._find_next() or moved

    def skip_to(self, id: int) -> bool:
        moved = bool(self.child.skip_to(id))
        return self._find_next() or moved

    def skip_to_quality(self, minquality: float) -> int:
        skipped = int(self.child.skip_to_quality(minquality / self.boost))
        self._find_next()  # the block skipped to may start at a paragraph without the phrase
        return skipped

    def all_ids(self) -> Iterator[int]:
        while self.is_active():
            yield self.id()
            self.next()


class AdjacentPhrase(q.Phrase):
    """A phrase without slop whose matcher is :class:`AdjacentMatcher`."""

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        if self.fieldname not in searcher.schema:
            return NullMatcher()
        field = searcher.schema[self.fieldname]
        if not field.format or not field.format.supports("positions"):
            return super().matcher(searcher, context)  # Whoosh's own error
        reader = searcher.reader()
        words = []
        for word in self.words:
            try:
                word = field.to_bytes(word)
            except ValueError:
                return NullMatcher()
            if (self.fieldname, word) not in reader:
                return NullMatcher()  # a word the field lacks: nothing can match
            words.append(q.Term(self.fieldname, word).matcher(searcher, context))
        return AdjacentMatcher(words, self.boost)


def with_adjacent_phrases(query: Any) -> Any:
    """``query`` with every phrase without slop checked by :class:`AdjacentMatcher`."""

    def swap(node: Any) -> Any:
        if type(node) is q.Phrase and node.slop == 1 and len(node.words) > 1:
            return AdjacentPhrase(
                node.fieldname, node.words, slop=1, boost=node.boost, char_ranges=node.char_ranges
            )
        return node

    return query.accept(swap)
