"""Russian Cyrillic in the romanization systems that sources of 1900–1930 used.

Each system is its published letter table plus the context rules the table states; the tests put
names through every system (``romanize(name, system)``) and check that the folding of
:mod:`searchkit.namekey` joins the results. Tables (letters not listed are the same in every
system: а a, б b, д d, к k, л l, м m, н n, о o, п p, р r, т t, ф f):

- ``ala-lc``: ALA-LC Romanization Tables, Russian (Library of Congress, 2012; the system of 1941,
  itself the 1904/1908 tables), with the pre-1918 letters from its Church Slavic table: ё ë, ж zh,
  й ĭ, х kh, ц t͡s, ч ch, ш sh, щ shch, ъ ʺ, ы y, ь ʹ, э ė, ю i͡u, я i͡a; і ī, ѣ ě, ѳ ḟ, ѵ ẏ.
- ``bgn-pcgn``: BGN/PCGN 1947 (PCGN, "Romanization of Russian"): е ye initially and after a vowel,
  й, ъ or ь, else e; ё likewise yë / ë; й y, х kh, ц ts, ы y, ъ ”, ь ’, э e, ю yu, я ya.
- ``iso9``: ISO 9:1995 (= GOST 7.79-2000 system A), one Latin letter per Cyrillic letter: ж ž, й j,
  х h, ц c, ч č, ш š, щ ŝ, ъ ʺ, ы y, ь ʹ, э è, ю û, я â; і ì, ѣ ě, ѳ f̀, ѵ ỳ.
- ``scholarly``: the International Scholarly System (Slavists' transliteration, after the Czech
  alphabet) in its pre-war form with х as ch (ISO/R 9:1968 also has ch; x is post-war): ж ž, й j,
  ц c, ч č, ш š, щ šč, ы y, ь ʹ, э è, ю ju, я ja; ѣ ě, і i, ѳ f.
- ``bs2979``: British Standard 2979:1958, the Oxford/British Library table: й ĭ, х kh, ц ts,
  ы ȳ, ь ʹ, ъ ʺ, э é, ю yu, я ya, ё ë.
- ``english``: informal English usage of the time (newspapers, Reed, Buchanan, Knox; no table, the
  conventions of the 1911 *Encyclopaedia Britannica* and *The Times*): -ий/-ый -y, -ов/-ев
  -off/-eff at the end, ц tz, й i after a vowel, ye for е initially, yo for ё, ya/yu, ь dropped.
- ``french``: French usage ("transcription française usuelle", as in Larousse and Le Temps): у ou,
  ж j, ш ch, ч tch, щ chtch, х kh, й ï, я ia, ю iou, ё io, е ié after a vowel; -ин -ine, -ов
  -off, с ss between vowels, г gu before e/i, -ий/-ый -i.
- ``german``: German usage (Duden, "Transkription aus dem Russischen"): в w, ж sch, з s, с ss
  between vowels, х ch, ц z, ч tsch, ш sch, щ schtsch, й i/j, е je initially and after vowels,
  ё jo, ю ju, я ja, ы y, -ий/-ый -i, -ов -ow.
- ``polish``: Polish usage (PWN, "Transkrypcja z rosyjskiego"): в w, ж ż, х ch, ц c, ч cz, ш sz,
  щ szcz, й j, ы y, е ie after consonants, je initially and after vowels, ю iu/ju, я ia/ja, л ł
  before hard vowels, ь softening (ń, ś, ć, ź; i before vowels), -ий -i, -ов -ow.
- ``czech``: Czech usage (ČSN 01 0181 practical transcription): ж ž, й j, х ch, ц c, ч č, ш š,
  щ šč, ы y, е je initially and after vowels, ё jo, ю ju, я ja, ь dropped (ň ť ď before it),
  -ий/-ый -ij/-yj.
"""

from __future__ import annotations

import re

#: The systems, in the order the tests report them.
SYSTEMS = (
    "ala-lc",
    "bgn-pcgn",
    "iso9",
    "scholarly",
    "bs2979",
    "english",
    "french",
    "german",
    "polish",
    "czech",
)

_VOWELS = "аеёиоуыэюяіѣ"
_SIGNS = "ъь"
#: Pre-1918 letters as their modern equivalents (і and ѵ are и, ѣ is е, ѳ is ф; final ъ dropped).
PRE_REFORM = str.maketrans({"і": "и", "ѵ": "и", "ѣ": "е", "ѳ": "ф", "ї": "и"})

_COMMON = dict(zip("абвгдзиклмнопрстуф", "abvgdziklmnoprstuf", strict=True))

_TABLES: dict[str, dict[str, str]] = {
    "ala-lc": {
        **_COMMON,
        **{"е": "e", "ё": "ë", "ж": "zh", "й": "ĭ", "х": "kh", "ц": "t͡s", "ч": "ch", "ш": "sh"},
        **{"щ": "shch", "ъ": "ʺ", "ы": "y", "ь": "ʹ", "э": "ė", "ю": "i͡u", "я": "i͡a"},
        **{"і": "ī", "ѣ": "ě", "ѳ": "ḟ", "ѵ": "ẏ"},
    },
    "bgn-pcgn": {
        **_COMMON,
        **{"е": "e", "ё": "ë", "ж": "zh", "й": "y", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh"},
        **{"щ": "shch", "ъ": "”", "ы": "y", "ь": "’", "э": "e", "ю": "yu", "я": "ya"},
    },
    "iso9": {
        **_COMMON,
        **{"е": "e", "ё": "ë", "ж": "ž", "й": "j", "х": "h", "ц": "c", "ч": "č", "ш": "š"},
        **{"щ": "ŝ", "ъ": "ʺ", "ы": "y", "ь": "ʹ", "э": "è", "ю": "û", "я": "â"},
        **{"і": "ì", "ѣ": "ě", "ѳ": "f̀", "ѵ": "ỳ"},
    },
    "scholarly": {
        **_COMMON,
        **{"е": "e", "ё": "ë", "ж": "ž", "й": "j", "х": "ch", "ц": "c", "ч": "č", "ш": "š"},
        **{"щ": "šč", "ъ": "ʺ", "ы": "y", "ь": "ʹ", "э": "è", "ю": "ju", "я": "ja"},
        **{"і": "i", "ѣ": "ě", "ѳ": "f"},
    },
    "bs2979": {
        **_COMMON,
        **{"е": "e", "ё": "ë", "ж": "zh", "й": "ĭ", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh"},
        **{"щ": "shch", "ъ": "ʺ", "ы": "ȳ", "ь": "ʹ", "э": "é", "ю": "yu", "я": "ya"},
    },
    "english": {
        **_COMMON,
        **{"е": "e", "ё": "yo", "ж": "zh", "й": "i", "х": "kh", "ц": "tz", "ч": "ch", "ш": "sh"},
        **{"щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya"},
    },
    "french": {
        **_COMMON,
        **{"е": "e", "ё": "io", "ж": "j", "й": "ï", "х": "kh", "ц": "ts", "ч": "tch", "ш": "ch"},
        **{"щ": "chtch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iou", "я": "ia", "у": "ou"},
    },
    "german": {
        **_COMMON,
        **{"в": "w", "з": "s", "е": "e", "ё": "jo", "ж": "sch", "й": "j", "х": "ch", "ц": "z"},
        **{"ч": "tsch", "ш": "sch", "щ": "schtsch", "ъ": "", "ы": "y", "ь": "", "э": "e"},
        **{"ю": "ju", "я": "ja"},
    },
    "polish": {
        **_COMMON,
        **{"в": "w", "е": "ie", "ё": "io", "ж": "ż", "й": "j", "х": "ch", "ц": "c", "ч": "cz"},
        **{"ш": "sz", "щ": "szcz", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia"},
        "л": "ł",
    },
    "czech": {
        **_COMMON,
        **{"е": "e", "ё": "jo", "ж": "ž", "й": "j", "х": "ch", "ц": "c", "ч": "č", "ш": "š"},
        **{"щ": "šč", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "ju", "я": "ja"},
    },
}

#: Iotated vowels written with a j/y/i glide initially and after vowels and signs.
_IOTATED = {
    "bgn-pcgn": {"е": "ye", "ё": "yë"},
    "english": {"е": "ye"},
    "french": {"е": "ie"},
    "german": {"е": "je", "ё": "jo", "ю": "ju", "я": "ja"},
    "polish": {"е": "je", "ё": "jo", "ю": "ju", "я": "ja"},
    "czech": {"е": "je"},
}
_HUSHING = "жчшщц"
_POLISH_SOFT = {"н": "ń", "с": "ś", "т": "ć", "з": "ź", "л": "l", "д": "d"}


def romanize(word: str, system: str) -> str:
    """``word`` (Russian Cyrillic, old or new spelling) in the romanization ``system``.

    >>> [romanize("Чичерин", s) for s in ("ala-lc", "french", "german", "polish", "iso9")]
    ['Chicherin', 'Tchitcherine', 'Tschitscherin', 'Cziczerin', 'Čičerin']
    """
    table = _TABLES[system]
    low = word.lower()
    if system not in ("ala-lc", "iso9", "scholarly"):
        low = low.translate(PRE_REFORM)
    if low.endswith("ъ"):
        low = low[:-1]
    out = _ending(low, system)
    if out is None:
        out = "".join(_letter(low, i, system, table) for i in range(len(low)))
    return out[:1].upper() + out[1:] if word[:1].isupper() else out


def _ending(low: str, system: str) -> str | None:
    """Whole-word forms for the endings a system writes its own way (-ий, -ов, -ин)."""
    rules: dict[str, list[tuple[str, str]]] = {
        "english": [
            ("ский", "sky"),
            ("цкий", "tzky"),
            ("ий", "y"),
            ("ый", "y"),
            ("ов", "off"),
            ("ев", "eff"),
        ],
        "french": [("ский", "ski"), ("ий", "i"), ("ый", "y"), ("ов", "off"), ("ев", "eff"), ("ин", "ine")],
        "german": [("ский", "ski"), ("ий", "i"), ("ый", "y"), ("ой", "oi"), ("ов", "ow"), ("ев", "ew")],
        "polish": [("ский", "ski"), ("ий", "i"), ("ый", "y"), ("ов", "ow"), ("ев", "ew")],
        "czech": [("ий", "ij"), ("ый", "yj")],
    }
    for cyr, lat in rules.get(system, []):
        if low.endswith(cyr) and len(low) > len(cyr) + 1:
            head = low[: -len(cyr)]
            body = "".join(_letter(low, i, system, _TABLES[system]) for i in range(len(head)))
            if system in ("french", "english", "german", "polish") and cyr in ("ов", "ев", "ий"):
                if head[-1:] in "ьъ" or (cyr == "ев" and head[-1:] in _VOWELS):
                    lat = _iotated_ev(lat, system)
            return body + lat
    return None


def _iotated_ev(lat: str, system: str) -> str:
    return {"english": "yeff", "french": "ieff", "german": "jew", "polish": "jew"}.get(system, lat)


def _letter(low: str, i: int, system: str, table: dict[str, str]) -> str:
    c = low[i]
    prev = low[i - 1] if i else ""
    nxt = low[i + 1] if i + 1 < len(low) else ""
    start_like = not prev or (prev != "" and prev in _VOWELS) or prev in _SIGNS or prev == "й"
    if c in _IOTATED.get(system, {}) and start_like:
        return _IOTATED[system][c]
    if system == "polish":
        return _polish(c, prev, nxt, table)
    if system == "french":
        if c == "с" and (prev != "" and prev in _VOWELS) and (nxt != "" and nxt in _VOWELS):
            return "ss"
        if c == "г" and (nxt != "" and nxt in "еиэёіѣ"):
            return "gu"
        if c == "е" and (prev != "" and prev in _VOWELS):
            return "ié"
        if c == "и" and (prev != "" and prev in "ао"):
            return "ï"
        if c == "й" and not nxt:
            return "ï"
    if system == "german":
        if c == "с" and (prev != "" and prev in _VOWELS) and (nxt != "" and nxt in _VOWELS):
            return "ss"
        if c == "ё" and (prev != "" and prev in _HUSHING):
            return "o"
        if c == "й" and not nxt:
            return "i"
        if c == "ь" and (nxt != "" and nxt in "ио"):
            return "j"
        if c == "в" and not nxt:
            return "w"
    if system == "english":
        if c == "й" and not nxt:
            return "y" if prev not in "ао" else "i"
        if c == "ь" and nxt == "и":
            return "y"
    if system == "czech" and c == "ё" and (prev != "" and prev in _HUSHING):
        return "o"
    return table.get(c, c)


def _polish(c: str, prev: str, nxt: str, table: dict[str, str]) -> str:
    if c == "ь":
        return ""
    if prev == "ь" and c in "еёюя":
        return {"е": "je", "ё": "jo", "ю": "ju", "я": "ja"}[c]
    if c in _POLISH_SOFT and nxt == "ь":
        return _POLISH_SOFT[c]
    if c == "л":
        return "l" if (nxt != "" and nxt in "еёиюяь") else "ł"
    if c == "е" and (prev != "" and prev in _HUSHING + "л"):
        return "e"
    if c == "и" and (prev != "" and prev in "жшц"):
        return "y"
    return table.get(c, c)


def words(text: str) -> list[str]:
    """The Cyrillic words of ``text``."""
    return re.findall(r"[\u0400-\u04ff\u0487-\u052f]+", text)
