"""The stems of the index's own vocabulary, written at index time, so that a search needs no NLTK.

Importing NLTK for its Snowball stemmer takes a quarter of a second or more, longer than the rest of
a command-line search. After every index run this module writes ``stems.bin`` into the index
folder: for every word of the collection (the vocabulary of the exact-spelling field), the input
:func:`searchkit.analysis.stem` gets for it (the word folded, its variants made one) and the stem
it returns. The table is the analyzer's own output, so any change to folding, variants or stemming
flows into it on the next run. Hyphenated words, which the body field also indexes joined ("to-day"
as "today"), and the words of titles and headings are added as documents are indexed
(:func:`extra_words`). Since ``stem`` is a pure function the table is only a cache: a query word
it does not hold (a misspelling, a word the collection does not have) is stemmed by NLTK as
before, with the same result, only slower.

The file is a :mod:`searchkit.table`, read in place: opening it costs nothing however large the
vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from searchkit.table import Table, open_table, write_table

_JOINED = re.compile(r"\w+(?:['’ʼ]\w+)*(?:[-‐‑]\w+(?:['’ʼ]\w+)*)+")
_HYPHEN = re.compile(r"[-‐‑]")


def extra_words(doc: Any, found: set[str]) -> None:
    """Add to ``found`` the words of ``doc`` that its paragraphs' exact field does not hold: its
    title and headings, and its hyphenated words joined, as the body analyzer joins them."""
    from searchkit.analysis import word_spans

    found.update(doc.title[s:e] for s, e in word_spans(doc.title))
    sections = {p.section for p in doc.paragraphs if p.section}
    for section in sections:
        found.update(section[s:e] for s, e in word_spans(section))
    for para in doc.paragraphs:
        text = para.text
        if "-" in text or "‐" in text or "‑" in text:
            found.update(_HYPHEN.sub("", m) for m in _JOINED.findall(text))


#: The file in the index folder.
STEMS_FILE = "stems.bin"


def build_table(
    index_dir: Path, tag: str, words: Iterable[str], key: Callable[[str], str], stem: Callable[[str], str]
) -> int:
    """Write the table of ``words`` (the index's vocabulary): ``key(word)`` -> ``stem(key(word))``.
    The index's old table is kept (its entries stay true), so an update stems only its new words.
    Returns the number of entries."""
    old = open_table(index_dir / STEMS_FILE, tag)
    pairs = dict(old.items()) if old is not None else {}
    for word in words:
        k = key(word)
        if k not in pairs:
            pairs[k] = stem(k)
    write_table(index_dir / STEMS_FILE, pairs, tag)
    return len(pairs)


def open_stems(index_dir: Path, tag: str) -> Table | None:
    """The stem table of the index ``tag`` in ``index_dir``, or None."""
    return open_table(index_dir / STEMS_FILE, tag)
