"""Spelling variants folded to one form: romanizations of Russian names, Cyrillic, British and
American spelling.

:func:`normalise` works on a word that :func:`searchkit.analysis.fold` has already lowercased and
stripped of accents, before stemming; the analyzers use it both when indexing and when querying,
so a query for one form finds the others in both directions.

>>> [normalise(w) for w in ("kerenskii", "trotzky", "petrovitch", "korniloff", "izvestiya")]
['kerenski', 'trotsky', 'petrovich', 'kornilov', 'izvestia']
>>> [normalise(w) for w in ("organisation", "labour", "centre", "scepticism", "programme")]
['organisation', 'labor', 'center', 'skepticism', 'program']
>>> normalise("керенский"), normalise("cutoff"), normalise("twitch")
('kerenski', 'cutoff', 'twitch')

Rules are written so that ordinary English words stay apart (sky/ski, cutoff/cutov, twitch/twich);
tests/data/variants.tsv holds labelled pairs of both kinds and tests/test_variants.py measures
recall and precision on it. Words that no rule covers are in the tables at the end.
"""

from __future__ import annotations

import re
from functools import lru_cache

_CYRILLIC = re.compile(r"[\u0400-\u052f]")
_ROMAN = re.compile(r"^[ivxlcdm]+$")  # XVIII is not XVII

# --- Russian names -------------------------------------------------------------------------------
# Kerenskii / Kerenskij / Kerenskiy / Kerenskyi -> Kerenski (Snowball already makes -sky -ski).
_NAME_II = re.compile(r"^(\w{3,}?)(?:ii|ij|iy|yi|yj|yy)$")
# Izvestiia / Izvestiya / Izvestija -> Izvestia; Rossiya -> Rossia.
_NAME_IA = re.compile(r"^(\w{3,}?)i(?:i|y|j)a$")
# Trotzky -> Trotsky, Tzar -> Tsar; a final "tz" (blitz, waltz) is left alone.
_TZ = re.compile(r"tz(?=\w)")
# Petrovitch / Petrowitsch / Petrovich; "twitch", "switch" and "bewitch" do not qualify.
_VITCH = re.compile(r"^(\w{3,}?[oe])(?:vitch|witsch|vitsch|witch)(es|a)?$")
# Dombrowski -> Dombrovski: "-owski" and "-ewski" are romanizations of "-овский", "-евский".
_WSK = re.compile(r"(?<=[oe])wsk")
# Zinoviev / Zinovyev / Zinovev, Dostoyevsky / Dostoevsky: "-ьев", "-оевский" as -ev.
_YEV = re.compile(r"(?<=\w{3})[iy]ev(?=$|sk|a$)")
# Milyukov / Miliukov, Rodzyanko / Rodzianko: "я", "ю" after a consonant as "ia", "iu".
_YA = re.compile(r"(?<=[bcdfghjklmnpqrstvwxz])y(?=[au])")
# Korniloff -> Kornilov, Diaghileff -> Diaghilev; not cutoff, takeoff, standoff...
_OFF = re.compile(r"^(\w{3,}?)(o|e)ff$")
#: English heads of "-off" compounds (cutoff, standoff): these words keep their "off".
ENGLISH_OFF_HEADS = frozenset(
    """back bake beat blast blow brush cast check cook cut die drop face fall far feed fly goof hand
    hold jump kick kill kiss knock laugh lay lead lift log pay play pull push rip rub run sell send
    set shake show shut sign slough spin stand switch take tear tee throw tip top touch trade trim
    turn walk wash water well wipe write""".split()
)

# --- British and American spelling ---------------------------------------------------------------
# labour/labor, honourable/honorable, favourite/favorite; "four", "tour", "your" are not variants.
_OUR = re.compile(
    r"^(\w{2,}?[^aeouy])our(s|ed|ing|er|ers|able|ably|ite|ites|ful|fully|less|y|ist|ists|ism|hood|hoods)?$"
)
_OUR_KEEP = frozenset(
    "four pour tour your hour sour flour dour contour detour amour velour paramour troubadour scour"
    " devour".split()
)
# organize/organise, realization/realisation; advise, surprise, exercise, otherwise are not.
# The -ise form is the one kept: Snowball cuts "-ization" to the bare root (civilization and
# civil, organization and organ become one stem) but leaves "-isation" words apart.
_ISE = re.compile(r"^(\w{3,}?)i[sz](e|es|ed|ing|er|ers|ation|ations|ational|able|ability|ement|ements)$")
_ISE_KEEP = frozenset(
    "advise chastise circumcise comprise compromise demise despise devise disguise enterprise excise"
    " exercise franchise improvise incise merchandise premise revise supervise surmise surprise"
    " televise precise concise expertise paradise treatise promise mortise reprise valise noise"
    " poise praise raise cruise bruise porpoise tortoise arise rise wise anise".split()
)
# analyse/analyze, paralysed/paralyzed.
_YSE = re.compile(r"lys(e|es|ed|ing|er|ers)$")
# centre/center, theatres/theaters, fibre/fiber; not "timbre" (which is not "timber").
_TRE = re.compile(r"^(\w{2,}?)(t|b|g)re(s?)$")
_TRE_KEEP = frozenset({"timbre", "timbres", "ogre", "ogres", "genre", "genres"})
# defence/defense, offences/offenses, licence/license, pretence/pretense.
_ENCE = re.compile(r"^(def|off|pret|lic)enc(e|es|eless)$")
# sceptic/skeptic, scepticism/skepticism, sceptical/skeptical.
_SCEPT = re.compile(r"^scept(ic|ics|ical|ically|icism|icisms)$")
# programme/program, kilogrammes/kilograms.
_GRAMME = re.compile(r"^(\w+)gramme(s?)$")
# encyclopaedia/encyclopedia, anaemia/anemia, faeces/feces ("oe" is in the table: toes, canoed).
_AE = re.compile(r"(?<=[pdhnlft])ae(?=[dmnstvrc])")
# counsellor/counselor, marvellous/marvelous (Snowball already joins travelled and traveled).
_LL = re.compile(r"^(\w{4,}?[aeiou][^aeiou])l(or|ors|ous|ously)$")

#: Irregular variants no rule covers, mapped to one form (both sides folded, before stemming).
TABLE: dict[str, str] = {
    # old and other romanizations of Russian names and words
    "sovyet": "soviet",
    "sovyets": "soviets",
    "sovet": "soviet",
    "sovets": "soviets",
    "bolsheviki": "bolsheviks",
    "byukenen": "buchanan",
    "buchanan": "buchanan",
    "kiev": "kiev",
    "kyiv": "kiev",
    "kieff": "kiev",
    "kiew": "kiev",
    "kijow": "kiev",
    "kiyev": "kiev",
    "kiyeff": "kiev",
    "kiieff": "kiev",
    "kijev": "kiev",
    "kijew": "kiev",
    "moscow": "moscow",
    "moscou": "moscow",
    "moskau": "moscow",
    "tzar": "tsar",
    "tzars": "tsars",
    "tsars": "tsars",
    "bolshevik": "bolshevik",
    "bolsheviks": "bolsheviks",
    "bolshevist": "bolshevik",
    "bolshevists": "bolsheviks",
    "menshevik": "menshevik",
    "mensheviks": "mensheviks",
    "mensheviki": "mensheviks",
    "menshevist": "menshevik",
    "menshevists": "mensheviks",
    "moskva": "moscow",
    "petersburg": "petersburg",
    "tsar": "tsar",
    "czar": "tsar",
    "czars": "tsars",
    "czarina": "tsarina",
    "czarist": "tsarist",
    # British / American words that follow no rule above
    "grey": "gray",
    "greys": "grays",
    "plough": "plow",
    "ploughs": "plows",
    "ploughed": "plowed",
    "mould": "mold",
    "moulds": "molds",
    "tyre": "tire",
    "tyres": "tires",
    "gaol": "jail",
    "gaols": "jails",
    "draught": "draft",
    "draughts": "drafts",
    "pyjamas": "pajamas",
    "jewellery": "jewelry",
    "aluminium": "aluminum",
    "catalogue": "catalog",
    "catalogues": "catalogs",
    "analogue": "analog",
    "cheque": "check",
    "cheques": "checks",
    "kerb": "curb",
    "aeroplane": "airplane",
    "aeroplanes": "airplanes",
    "practise": "practice",
    "practised": "practiced",
    "practising": "practicing",
    "storey": "story",
    "storeys": "stories",
    "whisky": "whiskey",
    # English of 1900–1930 (tests/data/english_pairs.tsv): one word with today's spelling
    "shew": "show",
    "shews": "shows",
    "shewn": "shown",
    "shewed": "showed",
    "shewing": "showing",
    "gaoler": "jailer",
    "gaolers": "jailers",
    "waggon": "wagon",
    "waggons": "wagons",
    "despatch": "dispatch",
    "despatches": "dispatches",
    "despatched": "dispatched",
    "reflexion": "reflection",
    "reflexions": "reflections",
    "inflexion": "inflection",
    "inflexions": "inflections",
    "burthen": "burden",
    "burthens": "burdens",
    "phantasy": "fantasy",
    "intrust": "entrust",
    "intrusted": "entrusted",
    "develope": "develop",
    "developes": "develops",
    "servia": "serbia",
    "esthonia": "estonia",
    "roumania": "rumania",
    "connexion": "connection",
    "connexions": "connections",
    "odour": "odor",
    "odours": "odors",
    "manoeuvre": "maneuver",
    "manoeuvres": "maneuvers",
    "foetus": "fetus",
    "foetal": "fetal",
    "oesophagus": "esophagus",
    "mediaeval": "medieval",
    "archaeology": "archeology",
    "diarrhoea": "diarrhea",
}


def _ru(word: str) -> str:
    """Latin letters for Cyrillic ones (anyascii's BGN/PCGN-like scheme), without the apostrophe
    it writes for the soft sign."""
    from anyascii import anyascii

    return re.sub(r"[^a-z0-9]", "", anyascii(word).lower())


def _names(w: str) -> str:
    w = _TZ.sub("ts", w)
    m = _OFF.match(w)
    if m and m.group(1) not in ENGLISH_OFF_HEADS:
        w = f"{m.group(1)}{m.group(2)}v"
    w = _WSK.sub("vsk", w)
    w = _YEV.sub("ev", w)
    w = _YA.sub("i", w)
    m = _VITCH.match(w)
    if m:
        return f"{m.group(1)}vich{m.group(2) or ''}"
    m = _NAME_II.match(w)
    if m:
        return m.group(1) + "i"
    m = _NAME_IA.match(w)
    if m:
        return m.group(1) + "ia"
    return w


def _british(w: str) -> str:
    m = _OUR.match(w)
    if m and m.group(1) + "our" not in _OUR_KEEP:
        return f"{m.group(1)}or{m.group(2) or ''}"
    m = _ISE.match(w)
    if m and _ise_is_variant(m.group(1)):
        return f"{m.group(1)}is{m.group(2)}"
    if _YSE.search(w):
        return _YSE.sub(r"lyz\1", w)
    m = _TRE.match(w)
    if m and w not in _TRE_KEEP:
        return f"{m.group(1)}{m.group(2)}er{m.group(3)}"
    m = _ENCE.match(w)
    if m:
        return f"{m.group(1)}ens{m.group(2)}"
    m = _SCEPT.match(w)
    if m:
        return "skept" + m.group(1)
    m = _GRAMME.match(w)
    if m:
        return f"{m.group(1)}gram{m.group(2)}"
    m = _LL.match(w)
    if m:
        return m.group(1) + m.group(2)
    return _AE.sub("e", w) if len(w) >= 6 else w


def _ise_is_variant(head: str) -> bool:
    """True when "<head>ise" is an -ise/-ize word (organise), not one spelt -ise everywhere."""
    if head + "ise" in _ISE_KEEP or any(head.endswith(k[:-3]) for k in _ISE_KEEP if len(k) > 6):
        return False
    if head.endswith(("w", "pr", "v", "a", "e", "i", "o", "u")):
        return False  # otherwise, surprise, advise, raise, noise...
    return not (head.endswith("c") and not head.endswith("ic"))  # excise, precise (not criticise)


def english_spelling(word: str) -> str:
    """:func:`normalise` without the rules for Russian names and Cyrillic (a collection with
    ``variants: {russian: false}``)."""
    if len(word) < 4 or _CYRILLIC.search(word):
        return word
    new = _british(TABLE.get(word, word))
    return TABLE.get(new, new)


@lru_cache(maxsize=200_000)
def normalise(word: str, english: bool = True) -> str:
    """The one spelling a folded word stands for among its variants (itself when it has none);
    with ``english=False`` only Russian names and Cyrillic are folded."""
    if not english:
        return _names(_ru(word) if _CYRILLIC.search(word) else word)
    if _CYRILLIC.search(word):
        word = _ru(word)
    base, tail = word, ""
    if word.endswith(("'s", "'")):  # Kerenskii's -> Kerenski's
        base, _, tail = word.rpartition("'")
        tail = "'" + tail
    if len(base) < 4 or _ROMAN.match(base):
        return word
    if base in TABLE:
        return TABLE[base] + tail
    new = _british(_names(base))
    return TABLE.get(new, new) + tail
