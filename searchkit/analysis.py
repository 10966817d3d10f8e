"""Text analysis: words with their character spans, folded, lowercased and stemmed.

Tokens come from a span tokenizer (the pattern and regex engine of NLTK's ``RegexpTokenizer``),
so every token keeps its place in the original text and highlights point at the exact characters.
Folding makes typographic variants one word: curly and straight apostrophes, accents, ligatures,
full-width forms and case; and the letters of historical print: long s (ſ), the superscript e of
old German umlauts (uͤ = ü), æ and œ, r rotunda (ꝛ), soft hyphens inside a word. Only the terms
are folded: tokens keep the span of the original characters, so a highlight marks "Wiſſenſchaft"
as printed when ``Wissenschaft`` found it.

>>> [t.text for t in body_analyzer()("The Workers’ Soviets")]
['the', 'worker', 'soviet']
>>> [(t.text, t.startchar, t.endchar) for t in exact_analyzer()("Kérensky’s", chars=True)]
[("kérensky's", 0, 10)]
>>> [(t.text, t.pos) for t in body_analyzer()("Kerenskii came to-day", positions=True)]
[('керенск', 0), ('came', 1), ('to', 2), ('day', 2), ('today', 2)]

Everything here is pickled into the index with the schema (Whoosh stores the analyzers), so these
classes must stay importable at these names; change them and bump ``schema.SCHEMA_VERSION``.
NLTK (for the stemmer), the romanization key (:mod:`searchkit.namekey`, with its English word
list) and the variant tables (:mod:`searchkit.variants`) are imported on first use, not at import
time, and a search asks them only for words the index's stem table (:mod:`searchkit.stems`) does
not hold: it holds every word's final term, so a command-line search never pays for them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import Composable, Filter, Token, Tokenizer

from searchkit.folding import folding, folding_off
from searchkit.stems import CAPITAL, CAPITAL_NAME, NAME, WORD, word_key

#: A word: letters or digits (and combining marks), with inner apostrophes ("let’s",
#: "majority's"), soft hyphens ("Wis\u00adsen\u00adschaft") and the primes that transliterations
#: write for ь and ъ ("Ulʹi͡anov", "Ul′yanov") kept inside it.
WORD_PATTERN = r"\w+(?:['’ʼʹʺ′″\u00ad]\w+)*"

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'", "\u00ad": None})
#: Letters of historical print that Unicode's compatibility forms leave apart (NFKD already
#: makes ſ an s, ﬁ fi, and drops the combining superscript e of "uͤ" with the other accents).
_HISTORICAL = str.maketrans({"æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ꝛ": "r", "ꝝ": "rum"})


@lru_cache(maxsize=1)
def _word_regex() -> Any:
    # The engine and flags of NLTK's RegexpTokenizer (which compiles with ``regex``), used
    # directly: the same spans, without importing NLTK (half a second) to find words.
    import regex

    return regex.compile(WORD_PATTERN, regex.UNICODE | regex.MULTILINE | regex.DOTALL)


_last_spans: tuple[str, list[tuple[int, int]]] = ("", [])


def word_spans(text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) character span of every word in ``text``.

    The last answer is kept: Whoosh analyses the same paragraph once per field (body, exact), so
    the second field does not tokenize it again.
    """
    global _last_spans
    if _last_spans[0] is not text:
        _last_spans = (text, [m.span() for m in _word_regex().finditer(text)])
    return iter(_last_spans[1])


@lru_cache(maxsize=1)
def _snowball() -> Any:
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer("english")


#: Stems and terms known without NLTK: the table of the index opened last (:mod:`searchkit.stems`),
#: or None; and the folding switched off when its terms were worked out.
_known_stems: Any = None
_known_off: frozenset[str] = frozenset()
#: False once the variant tables were changed at run time: the tables' terms are then not trusted.
_terms_trusted = True


def use_stem_table(table: Any, off: frozenset[str] = frozenset()) -> None:
    """Let :func:`stem` and :func:`body_term` answer from ``table`` (``table.get(key)``: the
    value, or None) before working it out: the index's own vocabulary with its stems and terms,
    written at index time with the folding of ``off`` switched off (:mod:`searchkit.folding`)."""
    global _known_stems, _known_off
    _known_stems, _known_off = table, frozenset(off)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball English stem of a folded word (memoised: the vocabulary repeats)."""
    if _known_stems is not None:
        known = _known_stems.get(word)
        if known is not None:
            return str(known)
    from searchkit.namekey import RUSSIAN, finish

    if word.startswith(RUSSIAN):  # a name's key still to be stemmed
        return finish(word[len(RUSSIAN) :])
    return str(_snowball().stem(word))


@lru_cache(maxsize=200_000)
def lower(word: str) -> str:
    """Lowercase with one apostrophe, keeping accents: the exact-spelling form."""
    return unicodedata.normalize("NFC", word).translate(_APOSTROPHES).casefold()


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lowercase, one apostrophe, compatibility forms, historical letters and no accents:
    "Kérensky’s" -> "kerensky's", "Wiſſenſchaft" -> "wissenschaft", "Maͤdchen" -> "madchen"."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_APOSTROPHES).translate(_HISTORICAL))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped).casefold()


def stem_input(word: str) -> str:
    """What :func:`body_term` hands to :func:`stem`: the word folded, its variants made one; for a
    Cyrillic word, or one that is not an ordinary English word, its romanization key still to be
    stemmed (:func:`searchkit.namekey.key_input`). A collection can switch either folding off
    (:mod:`searchkit.folding`)."""
    off = folding_off()
    if "russian" not in off:
        from searchkit.namekey import key_input

        found = key_input(word)
        if found is not None:
            return found
    return _plain_input(word, off)


def _plain_input(word: str, off: frozenset[str]) -> str:
    """:func:`stem_input` without the romanization key."""
    from searchkit.variants import english_spelling, normalise

    if not off:
        return normalise(fold(word))
    if "english" in off:
        return fold(word) if "russian" in off else normalise(fold(word), english=False)
    return english_spelling(fold(word))


def body_term(word: str) -> str:
    """The term a word becomes in the searchable text: :func:`stem_input`, stemmed (a name: its
    romanization key, :mod:`searchkit.namekey`). A word of the index's stem table is looked up."""
    off = folding_off()
    if not off:
        return _body_term(word)
    return _term(word, off)


@lru_cache(maxsize=200_000)
def _body_term(word: str) -> str:
    return _term(word, frozenset())


def _term(word: str, off: frozenset[str]) -> str:
    known = _known_term(word, off)
    return known if known is not None else computed_body_term(word)


def _known_term(word: str, off: frozenset[str], kinds: tuple[str, str] = (WORD, CAPITAL)) -> str | None:
    """The term of ``word`` in the index's stem table (:func:`searchkit.stems.word_key`), or None."""
    if _known_stems is None or off != _known_off or not _terms_trusted:
        return None
    key = word_key(word, lower(word), kinds)
    known = _known_stems.get(key) if key is not None else None
    return None if known is None else str(known)


def computed_body_term(word: str) -> str:
    """:func:`body_term` worked out, without the stem table's terms (what the table holds)."""
    return stem(stem_input(word))


def forget_terms() -> None:
    """Forget the terms worked out so far (after a variant table was changed at run time)."""
    from searchkit import namekey, variants

    global _terms_trusted
    _terms_trusted = False  # the index tables' terms were worked out with the old tables
    for cached in (_body_term, namekey.key_input, variants.normalise, stem, namekey.english_words):
        cached.cache_clear()
    namekey.forget_tables()


def name_term(word: str) -> str:
    """The term a word of a name or type becomes: folded and variants made one, not stemmed,
    except that Snowball's final -y/-i rule is kept so that Trotsky = Trotski. A word of the
    index's stem table is looked up."""
    off = folding_off()
    known = _known_term(word, off, (NAME, CAPITAL_NAME))
    return known if known is not None else computed_name_term(word)


def computed_name_term(word: str) -> str:
    """:func:`name_term` worked out, without the stem table's terms (what the table holds)."""
    from searchkit.namekey import RUSSIAN, key_input

    off = folding_off()
    found = key_input(word) if "russian" not in off else None
    if found is not None and found.startswith(RUSSIAN):
        return stem(found)
    term = found if found is not None else _plain_input(word, off)
    if len(term) > 3 and term.endswith("y") and term[-2] not in "aeiouy":
        return term[:-1] + "i"
    return term


#: Characters that join the parts of a hyphenated word ("to-day", "co‑operation").
HYPHENS = "-‐‑"


def hyphen_groups(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Runs ``(first, last)`` of span indexes joined by single hyphens into one word ("to-day")."""
    groups = []
    i = 0
    while i < len(spans):
        j = i
        while j + 1 < len(spans) and spans[j + 1][0] - spans[j][1] == 1 and text[spans[j][1]] in HYPHENS:
            j += 1
        if j > i:
            groups.append((i, j))
        i = j + 1
    return groups


def exact_term(word: str) -> str:
    """The term a word becomes in the exact-spelling field."""
    return lower(word)


def _fill(t: Token, text: str, pos: int, startchar: int, endchar: int, keeporiginal: bool) -> Token:
    """Set the one reused token (Whoosh's convention) to a word. Position and characters are
    always set: cheaper than testing whether the caller asked for them, and harmless if not."""
    t.text = text
    t.boost = 1.0
    if keeporiginal:
        t.original = text
    t.stopped = False
    t.pos = pos
    t.startchar = startchar
    t.endchar = endchar
    return t


class SpanTokenizer(Tokenizer):
    """Whoosh tokenizer over :func:`word_spans`: one token per word, with its span."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        t.whole = not tokenize
        if not tokenize:
            spans: Any = [(0, len(value))]
        else:
            spans = word_spans(value)
        for pos, (start, end) in enumerate(spans, start=start_pos):
            yield _fill(t, value[start:end], pos, start_char + start, start_char + end, keeporiginal)


class HyphenTokenizer(SpanTokenizer):
    """Like :class:`SpanTokenizer`, but a hyphenated word is also one joined word: "to-day" gives
    "to", "day" and "today", all at one position, so ``today`` finds "to-day" and a phrase across
    it still matches. Queries get the joined word only, so ``to-day`` finds "today" too."""

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        if not tokenize or not any(h in value for h in HYPHENS):  # the common, quick case
            yield from super().__call__(
                value,
                positions,
                chars,
                keeporiginal,
                removestops,
                start_pos,
                start_char,
                tokenize,
                mode,
                **kwargs,
            )
            return
        spans = list(word_spans(value))
        joined = {first: last for first, last in hyphen_groups(value, spans)}
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pos, i = start_pos, 0
        while i < len(spans):
            last = joined.get(i, i)
            words = [(value[s:e], s, e) for s, e in spans[i : last + 1]]
            if last > i:
                whole = ("".join(w for w, _, _ in words), spans[i][0], spans[last][1])
                words = [whole] if mode == "query" else [*words, whole]
            for text, start, end in words:
                yield _fill(t, text, pos, start_char + start, start_char + end, keeporiginal)
            pos += 1
            i = last + 1


class TermFilter(Filter):
    """Turns each token's text into its term with ``term`` (:func:`body_term`, :func:`exact_term`,
    :func:`name_term`: module-level functions, so that the filter pickles with the schema)."""

    def __init__(self, term: Callable[[str], str]) -> None:
        self.term = term

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        term = self.term
        for t in tokens:
            if t.mode == "query" and getattr(t, "whole", False):
                # A prefix, wildcard or range end (Whoosh does not tokenize those): a piece of a
                # word, so no romanization key (that is for whole words; ask exact:Keren* instead).
                with folding(folding_off() | {"russian"}):
                    t.text = term(t.text)
            else:
                t.text = term(t.text)
            yield t


def body_analyzer() -> Composable:
    """The analyzer of searchable text: words (hyphenated ones also joined), folded, variants
    made one, stemmed."""
    return HyphenTokenizer() | TermFilter(body_term)


def exact_analyzer() -> Composable:
    """The analyzer of the exact-spelling field: words, lowercased, not stemmed or folded."""
    return SpanTokenizer() | TermFilter(exact_term)


def name_analyzer() -> Composable:
    """The analyzer of names and types: words, folded, variants made one ("L. D. Trotzky" ->
    l d trotski)."""
    return SpanTokenizer() | TermFilter(name_term)


def name_words(value: str) -> list[str]:
    """The terms of a name or type, as :func:`name_analyzer` indexes them."""
    return [name_term(value[s:e]) for s, e in word_spans(value)]
