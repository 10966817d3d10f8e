""" "Did you mean": respell the words of a query that the index does not know, from the index's
own vocabulary, and keep the respelling only if it finds more."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from searchkit.analysis import WORD_PATTERN, exact_term
from searchkit.qparse import rewrite
from searchkit.query import Filters, search
from searchkit.storage import open_searcher

#: Suggest only when a query finds fewer paragraphs than this.
FEW = 3
_OPERATORS = {"AND", "OR", "NOT", "TO", "ANDNOT", "ANDMAYBE"}
_WORD = re.compile(WORD_PATTERN)


@dataclass(frozen=True)
class Suggestion:
    """A respelt query, ready to paste, and how many paragraphs it finds."""

    query: str
    total: int


def suggest(
    index_dir: Path, text: str, *, filters: Filters | None = None, total: int = 0
) -> Suggestion | None:
    """A better-spelt ``text`` that finds more than ``total`` paragraphs, or None.

    Only words that are nowhere in the index are respelt: each becomes the indexed word closest
    to it (fewest edits, then the most frequent), keeping its capitalisation.
    """
    if total >= FEW:
        return None
    from whoosh.support.levenshtein import distance

    masked, _ = rewrite(text)
    changes: list[tuple[int, int, str]] = []
    with open_searcher(index_dir) as searcher:
        reader = searcher.reader()
        for m in _WORD.finditer(masked):
            word = m.group()
            before, after = masked[: m.start()], masked[m.end() :]
            if word in _OPERATORS or word.isdigit() or after[:1] in (":", "*", "?", "~"):
                continue
            if before.endswith(":"):
                continue  # a field value (speaker:…): names are not respelt
            term = exact_term(word)
            if reader.doc_frequency("exact", term):
                continue
            best = _closest(reader, term, distance)
            if best is not None:
                changes.append((m.start(), m.end(), _same_case(word, best)))
    if not changes:
        return None
    corrected = text
    for start, end, word in reversed(changes):
        corrected = corrected[:start] + word + corrected[end:]
    found = search(index_dir, corrected, filters=filters, limit=1, count=True).total
    return Suggestion(corrected, found) if found > total else None


def _closest(reader: Any, term: str, distance: Any) -> str | None:
    """The indexed word nearest to ``term``: one edit, else two (same first letter)."""
    for maxdist in (1, 2):
        found = reader.terms_within("exact", term, maxdist, prefix=1)
        words = [w.decode("utf-8") if isinstance(w, bytes) else w for w in found]
        if words:
            return min(words, key=lambda w: (distance(w, term), -reader.doc_frequency("exact", w), w))
    return None


def _same_case(original: str, word: str) -> str:
    if original.isupper() and len(original) > 1:
        return word.upper()
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
