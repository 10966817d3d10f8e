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

The table also holds, for every such word, its final body term (what
:func:`searchkit.analysis.body_term` returns), keyed by its exact-field form (:func:`word_key`):
so a search of a word the collection has works out no romanization key (:mod:`searchkit.namekey`
is never imported, its English word list never read). Those entries depend on the collection's
``variants`` setting (:mod:`searchkit.folding`), which is part of the table's tag, and they are
only read while that setting is in force.

The file is a :mod:`searchkit.table`, read in place: opening it costs nothing however large the
vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from searchkit.table import Table, open_table, write_table

#: The start of a word's entry (its lower-case form -> its body term) and of a capitalised
#: Cyrillic word's (whose term can differ: Дон is the river, дон not); then the same for the
#: words of names (-> :func:`searchkit.analysis.name_term`). Stem inputs have no colon.
WORD, CAPITAL = "w:", "W:"
NAME, CAPITAL_NAME = "n:", "N:"
_CYRILLIC = re.compile(r"[\u0400-\u052f]")
#: Characters :func:`searchkit.analysis.lower` changes that the romanization key reads otherwise
#: (ʼ before a possessive s, a soft hyphen inside a Cyrillic word): such words are not looked up.
_UNSURE = re.compile("[ʼ‘`\u00ad]")

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


def word_key(word: str, low: str, kinds: tuple[str, str] = (WORD, CAPITAL)) -> str | None:
    """The key of the entry of ``word`` (``low`` is its exact-field form,
    :func:`searchkit.analysis.lower`), or None when the table cannot answer for it.

    A word's body term depends on its lower-case form alone, except for a Cyrillic word, where a
    capital letter first makes an English exonym (:func:`searchkit.namekey.key_input`): that has
    its own entry. tests/test_quick_start.py checks the equivalence on every word form of the
    bundled and test texts (as written, capitalised, in capitals, with ’).
    """
    if word.isascii():
        return None if "`" in word else kinds[0] + low
    if _UNSURE.search(word):
        return None
    return kinds[1] + low if word[:1].isupper() and _CYRILLIC.search(low) else kinds[0] + low


def word_entries(
    word: str, term: Callable[[str], str], kinds: tuple[str, str] = (WORD, CAPITAL)
) -> list[tuple[str, str]]:
    """The entries that answer :func:`word_key` for every form of ``word`` (as written or
    lowered): its lower-case form's ``term``, and a capitalised Cyrillic form's."""
    from searchkit.analysis import lower

    low = lower(word)
    entries = [(kinds[0] + low, term(low))]
    if _CYRILLIC.search(low):
        cap = low[:1].upper() + low[1:]
        if cap[:1].isupper() and lower(cap) == low:
            entries.append((kinds[1] + low, term(cap)))
    return entries


def extra_names(doc: Any, found: set[str]) -> None:
    """Add to ``found`` the words of the names and types of ``doc`` (searched with --author,
    --speaker, --type)."""
    from searchkit.analysis import word_spans

    names = (
        {doc.author or ""}
        | {p.speaker or "" for p in doc.paragraphs}
        | {p.type or "" for p in doc.paragraphs}
    )
    for name in names:
        found.update(name[s:e] for s, e in word_spans(name))


def build_table(index_dir: Path, tag: str, words: Iterable[str], names: Iterable[str] = ()) -> int:
    """Write the table of ``words`` (the index's vocabulary): the input of
    :func:`searchkit.analysis.stem` -> its stem, and the :func:`word_entries` of each word; and
    those of ``names`` (the words of its names). The index's old table is kept (its entries stay
    true), so an update works out only its new words. Returns the number of entries."""
    from searchkit.analysis import computed_body_term, computed_name_term, lower, stem, stem_input

    old = open_table(index_dir / STEMS_FILE, tag)
    pairs = dict(old.items()) if old is not None else {}
    for word in words:
        k = stem_input(word)
        if k not in pairs:
            pairs[k] = stem(k)
        if WORD + lower(word) not in pairs:
            pairs.update(word_entries(word, computed_body_term))
    for word in names:
        if NAME + lower(word) not in pairs:
            pairs.update(word_entries(word, computed_name_term, (NAME, CAPITAL_NAME)))
    write_table(index_dir / STEMS_FILE, pairs, tag)
    return len(pairs)


def open_stems(index_dir: Path, tag: str) -> Table | None:
    """The stem table of the index ``tag`` in ``index_dir``, or None."""
    return open_table(index_dir / STEMS_FILE, tag)
