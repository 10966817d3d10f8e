"""Phrases checked with sets of positions (searchkit/phrases.py) match and score exactly as
Whoosh's own phrase matcher, on real text: the Cranfield 1400 abstracts and the bundled 1917
collection (hyphenated words, Cyrillic, repeated words)."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest
from whoosh import collectors
from whoosh import query as q

import searchkit.searcher
from searchkit import Index
from searchkit.phrases import AdjacentPhrase, with_adjacent_phrases
from searchkit.query import parse_query
from searchkit.storage import open_searcher

WORD = re.compile(r"\w+(?:-\w+)*")


def phrases(index: Path, n: int, seed: int) -> list[str]:
    """``n`` phrases of 2 to 5 words cut from the index's own paragraphs, as a user would type
    them, plus some that no paragraph has (words found apart, never together)."""
    rng = random.Random(seed)
    with open_searcher(index) as searcher:
        texts = [fields["body"] for fields in searcher.reader().all_stored_fields()]
    found = []
    while len(found) < n:
        words = WORD.findall(rng.choice(texts))
        if len(words) < 6:
            continue
        i = rng.randrange(len(words) - 5)
        size = rng.choice((2, 2, 3, 3, 4, 5))
        if rng.random() < 0.15:  # a phrase no paragraph has: two words picked far apart
            found.append(f'"{words[i]} {rng.choice(words)}"')
        else:
            found.append('"' + " ".join(words[i : i + size]) + '"')
    return found


def everything(searcher: Any, query: Any) -> list[tuple[int, float]]:
    return [(hit.docnum, hit.score) for hit in searcher.search(query, limit=None)]


def top(searcher: Any, query: Any) -> list[tuple[int, float]]:
    """The top 10 as Whoosh's pruning collector finds it (block-quality skipping)."""
    collector = collectors.TopCollector(limit=10, usequality=True, replace=10)
    searcher.search_with_collector(query, collector)
    return [(hit.docnum, hit.score) for hit in collector.results()]


def compare(index: Path, texts: list[str]) -> tuple[int, int]:
    """(number of phrases, number that matched anything); asserts equality for each."""
    matched = 0
    with open_searcher(index) as searcher:
        for text in texts:
            whooshs = parse_query(searcher.schema, text)
            ours = with_adjacent_phrases(whooshs)
            assert ours != whooshs or not isinstance(whooshs, q.Phrase), text
            expected = everything(searcher, whooshs)
            assert everything(searcher, ours) == expected, text
            assert top(searcher, ours) == top(searcher, whooshs), text
            matched += bool(expected)
    return len(texts), matched


def test_the_same_paragraphs_and_scores_on_cranfield(cranfield: Path) -> None:
    n, matched = compare(cranfield, phrases(cranfield, 250, seed=1))
    assert n == 250 and matched > 180  # most are real phrases of the text


def test_the_same_on_the_bundled_collection(bundled_index: Path) -> None:
    texts = phrases(bundled_index, 200, seed=2) + [
        '"Soviet power"',
        '"to-day"',  # a hyphenated word: its parts and its joined form at one position
        '"the the"',
        '"of the people"',
        '"Керенского"',  # one word: not a phrase
        '"of the Soviets"',
        'exact:"the Central Committee"',
        'coalition -"Central Committee"',
        '"Central Committee"^3 OR coalition',
        'title:"Central Committee"',
    ]
    n, matched = compare(bundled_index, texts)
    assert matched > 150


def test_phrases_with_slop_stay_whooshs(bundled_index: Path) -> None:
    with open_searcher(bundled_index) as searcher:
        parsed = parse_query(searcher.schema, '"central committee"~3 "soviet power"')
    rewritten = with_adjacent_phrases(parsed)
    kinds = sorted(type(node).__name__ for node in rewritten.children())
    assert kinds == ["AdjacentPhrase", "Phrase"]
    assert [n for n in rewritten.children() if isinstance(n, AdjacentPhrase)][0].words == ["soviet", "power"]


def test_a_search_gives_the_same_hits_either_way(
    bundled_index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = Index(bundled_index)
    queries = ['"Soviet power"', '"Central Committee"', '"of the Soviets" power', '"of the Left"']
    ours = [[(h.id, h.score, h.passage) for h in index.search(t).hits] for t in queries]
    monkeypatch.setattr(searchkit.searcher, "with_adjacent_phrases", lambda parsed: parsed)
    whooshs = [[(h.id, h.score, h.passage) for h in index.search(t).hits] for t in queries]
    assert ours == whooshs
    assert all(ours)


def test_ranked_searches_are_the_same_on_cranfield(cranfield: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the default ranking (a title clause beside the phrase) and Whoosh's pruning: the
    top 10 of each phrase is the same paragraphs with the same scores either way."""
    texts = phrases(cranfield, 120, seed=3) + [f"{t} heat" for t in phrases(cranfield, 30, seed=4)]
    index = Index(cranfield)
    ours = [[(h.id, h.score) for h in index.search(t).hits] for t in texts]
    monkeypatch.setattr(searchkit.searcher, "with_adjacent_phrases", lambda parsed: parsed)
    whooshs = [[(h.id, h.score) for h in index.search(t).hits] for t in texts]
    assert ours == whooshs
    assert sum(map(bool, ours)) > 100
