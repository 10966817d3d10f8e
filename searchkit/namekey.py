"""One key for every romanization of a Russian name, and for the name in Cyrillic.

A word that is not an ordinary English word (not in ``searchkit/data/english_words.txt``, the
SCOWL lists of Debian's wamerican and wbritish, with the longer words of Webster's Second of
1934: tools/build_english_words.py) is read as a romanized Russian word: its letters
are mapped to the sounds the systems of :mod:`searchkit.romanize` write them for, with the
ambiguous ones made one class:

- ch, kh, h, sh, zh, shch, tch, tsch, sch, chtch, schtsch, sz, cz, szcz, č, š, ž, ŝ, ż (х, ч, ш,
  щ, ж: French ch is ш, German ch is х, German sch is ш and ж);
- s, z, ts, tz, c before e/i/y (с, з, ц: German s is з and z is ц);
- i, y, j, ï, ĭ (и, ы, й), with a glide before a vowel dropped (ia = ya = ja = â = я after a
  consonant; ie = ye = je = ѣ = е; io = yo = ё, which is also e);
- v and w; ou and u; k, ck, q and c elsewhere; x as ks; ph, th, gh as f, t, g; French gu before e/i;
- doubled letters as one (Tseretelli = Tsereteli); -off, -eff, -ow, -ew as -ov, -ev; French -ine
  as -in.

The result is written back in Cyrillic letters and stemmed with NLTK's Snowball Russian stemmer,
the way a Cyrillic word is, so that Керенского, Керенскій, Kerensky and Kérenski have one key
(``керенск``); a final -ов/-ев that Snowball takes for a plural ending is kept (Markov is not
Marko). Cyrillic words go the same way: pre-1918 letters (і, ѣ, ѳ, ѵ, final ъ, -аго, -ыя) are
made modern first. The key is Cyrillic, so it never meets an English stem. Russian words that
English writes as loanwords (soviet, duma, tsar, bolshevik) are mapped to the English word.

>>> [key(w) for w in ("Kerensky", "Kerenskii", "Керенского", "Керенскій", "Kerenski")]
['керенск', 'керенск', 'керенск', 'керенск', 'керенск']
>>> key("Markov") != key("Marko"), key("connection")
(True, None)
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib.resources import files
from typing import Any

from searchkit.romanize import PRE_REFORM
from searchkit.variants import TABLE

_CYRILLIC = re.compile(r"[\u0400-\u052f]")
_LATIN_WORD = re.compile(r"^[a-z]{3,}$")
_ROMAN = re.compile(r"^[ivxlcdm]+$")
#: Endings of English words (most of all the technical ones no word list has: aeroelastic,
#: hypersonically) that no romanized Russian word has.
_ENGLISH_ENDING = re.compile(
    r"(?:ic|ics|ical|ity|ities|tion|tions|sion|sions|ness|able|ible|ism|isms|ous|ive|ives"
    r"|ized|ised|izing|ising|ful|less|ship|ward|wards|ology|ologist|ological|ally|ously|ively|ently"
    r"|antly|edly|ingly|fully|ately|ing|ings|ted|ded|red|ced|ened|ered|ated|ized|ary|aries|ory|ories)$"
)

#: Letters with diacritics as the digraphs they stand for (before accents are stripped).
_PREFOLD = str.maketrans(
    {
        **{"č": "ch", "š": "sh", "ž": "zh", "ŝ": "shch", "ż": "zh", "ł": "l", "û": "iu", "â": "ia"},
        **{"ć": "t", "ś": "s", "ź": "z", "ń": "n", "ĭ": "i", "ï": "i", "ë": "io", "ě": "e"},
        **{"æ": "ae", "œ": "oe", "ꝛ": "r", "ꝝ": "rum"},  # historical print, as analysis.fold
        **{c: "" for c in "ʹʺ’”'′″ʼ`·\u00ad"},
    }
)
#: Modern Cyrillic letters in the one Latin spelling the key starts from.
_CANON = {
    **dict(zip("абвгдезиклмнопрстуфы", "abvgdeziklmnoprstufy", strict=True)),
    **{"ё": "io", "ж": "zh", "й": "i", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch"},
    **{"ъ": "", "ь": "", "э": "e", "ю": "iu", "я": "ia", "є": "e", "ґ": "g", "ў": "u"},
}
_OLD_ENDINGS = ((re.compile(r"аго$"), "ого"), (re.compile(r"яго$"), "его"), (re.compile(r"ыя$"), "ые"))

# Latin letter groups -> sound classes (upper case), longest first; lookaheads decide c, gu, j.
_GROUPS = [
    ("schtsch", "C"), ("ttsch", "C"), ("shtch", "C"), ("ttch", "C"), ("chtch", "C"),
    ("szcz", "C"), ("tcz", "C"), ("shch", "C"), ("stch", "C"), ("tsch", "C"), ("sch", "C"),
    ("tch", "C"), ("zh", "C"), ("kh", "C"), ("ch", "C"), ("sh", "C"), ("sz", "C"), ("cz", "C"),
    ("tsh", "C"), ("ts", "S"), ("tz", "S"), ("ck", "SK"), ("ph", "F"), ("th", "T"), ("gh", "G"),
    ("ou", "U"), ("x", "KS"), ("q", "K"), ("w", "V"), ("h", "C"), ("y", "I"), ("z", "S"),
]  # fmt: skip
_GROUP_RE = re.compile("|".join(re.escape(g) for g, _ in _GROUPS) + "|[a-z]")
_GROUP_OUT = {**dict(_GROUPS), "c": "K", "j": "I", "s": "S"}
#: Letters read by what follows: c is ц (ISO 9, Czech, Polish; ck is цк) except before o, l, r
#: (Nicolai, Cossack), French gu before e/i is g, French j
#: before ou, or before i initially and after r, n, z, is ж (Joukov, Jitomir, Dzerjinski;
#: elsewhere j is й).
_CONTEXT = (
    (re.compile(r"c(?![olrh]|z)"), "s"),
    (re.compile(r"gu(?=[eiy])"), "g"),
    (re.compile(r"j(?=ou)|(?:^|(?<=[rnz]))j(?=i)"), "zh"),
    (re.compile(r"(?<=[^aeiou])i?eo"), "io"),
)
_ENDINGS = ((re.compile(r"(?<=[aeiou])ff$"), "v"), (re.compile(r"(?<=[oe])w(a?)$"), r"v\1"),
            (re.compile(r"(?<=[^aeiou])ine$"), "in"),
            (re.compile(r"ander$"), "andr"), (re.compile(r"(?<=ov|ev|in)s$"), ""))  # fmt: skip
_VOWEL = "AEIOU"
_TO_CYR = dict(zip("ABVGDEZIKLMNOPRSTUFC", "абвгдезиклмнопрстуфч", strict=True))
_IOTATED = {"A": "я", "U": "ю", "E": "е", "O": "е"}

#: Russian words English writes as its own words: the Cyrillic (nominative and the forms Snowball
#: stems apart) and the English word they are joined with.
LOANWORDS = (
    ("совет советы советов", "soviet"),
    ("большевик большевики большевиков", "bolshevik"),
    ("меньшевик меньшевики меньшевиков", "menshevik"),
    ("дума думы", "duma"),
    ("царь царя", "tsar"),
    ("царица", "tsarina"),
    ("кадет кадеты", "cadet"),
    ("земство", "zemstvo"),
    ("москва москвы", "moscow"),
)


class _WordList:
    """Membership in the word list by binary search over the file's sorted lines: a query asks
    a handful of words, a page of highlighted passages a few hundred, and a set of 224,000 words
    would cost more to build (≈ 100 ms) than all of those look-ups together."""

    def __init__(self) -> None:
        # One word a line, sorted in code-point order (tools/build_english_words.py writes it so).
        self.text = files("searchkit").joinpath("data/english_words.txt").read_text("utf-8")

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word or "\n" in word:
            return False
        text = self.text
        lo, hi = 0, len(text)
        while lo < hi:
            mid = (lo + hi) // 2
            start = text.rfind("\n", 0, mid) + 1
            end = text.find("\n", start)
            if end == -1:
                end = len(text)
            line = text[start:end]
            if line == word:
                return True
            if line < word:
                lo = end + 1
            else:
                hi = start
        return False


@lru_cache(maxsize=1)
def english_words() -> _WordList:
    """Ordinary English words (lower case): these keep the English analysis."""
    return _WordList()


def stem_english(word: str) -> str:
    from searchkit.analysis import stem

    return stem(word)


def _english_input(word: str) -> str:
    from searchkit.variants import normalise

    return normalise(word)


@lru_cache(maxsize=1)
def _table_words() -> frozenset[str]:
    return frozenset(TABLE.values())


def forget_tables() -> None:
    """Read the variant table and the loanwords again (after they were changed at run time)."""
    _table_words.cache_clear()
    _loanwords.cache_clear()


@lru_cache(maxsize=1)
def _russian() -> Any:
    from nltk.stem.snowball import RussianStemmer

    return RussianStemmer()


@lru_cache(maxsize=1)
def _loanwords() -> dict[str, str]:
    found = {}
    for cyrillic, english in LOANWORDS:
        for w in cyrillic.split():
            found[_stem(_cyrillic(_sounds(_canonical(w))))] = stem_english(english)
    return found


def is_name_like(folded: str) -> bool:
    """True when a folded word takes the romanization key: Cyrillic, or Latin letters only and
    not an ordinary English word (in the word list, or longer than five letters with an English
    ending such as -ic, -tion, -ness, -ing, -ated), nor a Roman numeral."""
    if _CYRILLIC.search(folded):
        return True
    base = folded[:-2] if folded.endswith("'s") else folded.rstrip("'")
    if base in TABLE or base in _table_words() or base in english_words():
        return False
    if not _LATIN_WORD.match(base) or _ROMAN.match(base):
        return False
    return not (len(base) > 5 and _ENGLISH_ENDING.search(base))


#: The start of a :func:`key_input` that is a romanization key still to be stemmed (a folded word
#: never has a colon).
RUSSIAN = "ru:"


def key(word: str) -> str | None:
    """The romanization key of ``word`` (as written: accents and háčeks matter), or None when the
    word is an ordinary English word or not a word of letters."""
    found = key_input(word)
    if found is None:
        return None
    return finish(found[len(RUSSIAN) :]) if found.startswith(RUSSIAN) else stem_english(found)


@lru_cache(maxsize=200_000)
def key_input(word: str) -> str | None:
    """What the stemmer gets for ``word`` if it is a name: ``ru:`` and the word in Cyrillic
    letters (for :func:`finish`), or an English word written with a prime or háček made plain;
    None for an ordinary English word. (Split from :func:`key` so that the index's stem table
    holds keys too, and a search needs no NLTK.)"""
    if word.isascii():  # the common case, quickly: a plain word of the word list
        low = word.lower()
        base = low[:-2] if low.endswith("'s") else low
        if base.isalpha() and (base in english_words() or not is_name_like(base)):
            return None
    low = unicodedata.normalize("NFC", word).casefold()
    if low.endswith(("'s", "’s")):
        low = low[:-2]
    if _CYRILLIC.search(low):
        canon = _canonical(low)
        if word[:1].isupper() and (canon in english_words() or canon in TABLE):
            return None  # Дон, Пермь, Ревель, Киев: the English word (and exonym) it is written as
    else:
        plain = _strip_accents(low.translate(_PREFOLD))
        if not is_name_like(plain):
            # An English word; written with a prime or háček (Permʹ, Revelʹ) it is still that word.
            return None if plain == _strip_accents(low) else _english_input(plain)
        canon = plain
    if not canon.isalpha() or not canon.isascii():
        return None
    return RUSSIAN + _cyrillic(_sounds(canon))


def finish(cyrillic: str) -> str:
    """The key of a word in the Cyrillic letters of :func:`key_input`: its Snowball Russian stem
    (a final -ов/-ев kept), or the English word of a loanword."""
    stem = _stem(cyrillic)
    return _loanwords().get(stem, stem)


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _canonical(cyrillic: str) -> str:
    """Cyrillic (old or new spelling) in the one Latin spelling the key starts from."""
    low = cyrillic.translate(PRE_REFORM)
    low = low[:-1] if low.endswith("ъ") else low
    for pattern, modern in _OLD_ENDINGS:
        low = pattern.sub(modern, low)
    return "".join(
        _CANON.get(c, c) for c in unicodedata.normalize("NFC", low) if not unicodedata.combining(c)
    )


def _sounds(latin: str) -> str:
    """A Latin spelling as sound classes (upper case letters), doubled ones made one."""
    for pattern, repl in _ENDINGS:
        latin = pattern.sub(repl, latin)
    for pattern, repl in _CONTEXT:
        latin = pattern.sub(repl, latin)
    out = _GROUP_RE.sub(lambda m: _GROUP_OUT.get(m.group(), m.group().upper()), latin)
    out = re.sub(r"(.)\1+", r"\1", out)
    out = re.sub(r"(?<=[AEOU])I(?=E)", "", out)  # Andreyev, Andrejew = Andreev
    out = re.sub(r"(?<=C)OV$", "EV", out)  # Chruschtschow = Khrushchev (ё after ж, ч, ш, щ)
    return re.sub(r"(.)\1+", r"\1", out)


def _cyrillic(sounds: str) -> str:
    """Sound classes as Cyrillic letters."""
    cyr = []
    n = len(sounds)
    for i, c in enumerate(sounds):
        prev = sounds[i - 1] if i else ""
        nxt = sounds[i + 1] if i + 1 < n else ""
        if c == "I" and nxt and nxt in _VOWEL and nxt != "I":
            continue  # a glide: the next vowel is written iotated
        if c in _VOWEL and prev == "I" and c != "I":
            cyr.append(_IOTATED[c])
        elif c == "I":
            cyr.append("й" if prev and prev in _VOWEL and (not nxt or nxt not in _VOWEL) else "и")
        else:
            cyr.append(_TO_CYR.get(c, c.lower()))
    return "".join(cyr)


def _stem(word: str) -> str:
    """A word in Cyrillic letters stemmed by Snowball Russian. A final -ов/-ев is kept
    (Snowball takes it for a plural ending: Markov is not Marko), and so is a feminine -ая, -ова,
    -ева (Kerenskaya is not Kerensky, Kornilova not Kornilov: so Cyrillic Корнилова, also
    Kornilov's genitive, is read as the woman's name)."""
    stem = str(_russian().stem(word))
    if word.endswith(("ов", "ев")) and stem == word[:-2]:
        return word
    if word.endswith(("ая", "ова", "ева")):
        return word
    return stem
