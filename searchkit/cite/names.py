"""Personal names as CSL-JSON name objects: "V. I. Lenin" -> family "Lenin", given "V. I.".

A name is split only when it looks like a person's: capitalised words, optionally "Family,
Given" with a comma. Anything else ("Alpha History editors", "Izvestiia", "Central Committee of
the RSDLP(b)") is kept whole as a ``literal`` name, which every style prints as written.
"""

from __future__ import annotations

import re
from typing import Any

#: Words before a name that citations leave out (Chicago 14.72 and 16th-ed. 14.74: "Sir" and
#: titles are omitted in notes and bibliographies).
_HONORIFICS = frozenset(
    {"sir", "dame", "dr.", "dr", "mr.", "mr", "mrs.", "mrs", "ms.", "ms", "prof.", "lord"}
)
_SUFFIXES = frozenset({"jr.", "jr", "sr.", "sr", "ii", "iii", "iv"})
#: Lower-case particles that belong to the family name ("Ludwig van Beethoven").
_PARTICLES = frozenset(
    {"von", "van", "de", "der", "den", "du", "da", "di", "la", "le", "des", "del", "dos", "ter"}
)
_WORD = re.compile(r"^[A-ZÀ-ÖØ-ÞА-ЯЁ][\w.’'\-]*$|^[A-ZÀ-ÖØ-ÞА-ЯЁ]\.$")


def csl_name(text: str) -> dict[str, Any]:
    """One name as CSL-JSON: ``{"family": …, "given": …}`` for a person, else ``{"literal": …}``.

    >>> csl_name("V. I. Lenin")
    {'family': 'Lenin', 'given': 'V. I.'}
    >>> csl_name("Sir George Buchanan")
    {'family': 'Buchanan', 'given': 'George'}
    >>> csl_name("Alpha History editors")
    {'literal': 'Alpha History editors'}
    """
    text = " ".join(text.split())
    if "," in text:
        last, _, first = text.partition(",")
        if last.strip() and first.strip() and "," not in first:
            return {"family": last.strip(), "given": first.strip()}
        return {"literal": text}
    words = text.split(" ")
    while len(words) > 2 and words[0].casefold() in _HONORIFICS:
        words = words[1:]
    suffix = ""
    if len(words) > 2 and words[-1].casefold() in _SUFFIXES:
        suffix = words.pop()
    if not 2 <= len(words) <= 5:
        return {"literal": text}
    # The family name starts at the first particle after the given names, or is the last word.
    start = len(words) - 1
    for i in range(1, len(words) - 1):
        if words[i] in _PARTICLES:
            start = i
            break
    given, family = words[:start], words[start:]
    if not all(_WORD.match(w) for w in given) or not _WORD.match(family[-1]):
        return {"literal": text}
    if any(w not in _PARTICLES and not _WORD.match(w) for w in family):
        return {"literal": text}
    name: dict[str, Any] = {"family": " ".join(family), "given": " ".join(given)}
    if suffix:
        name["suffix"] = suffix
    return name


def csl_names(value: Any) -> list[dict[str, Any]]:
    """A front-matter value naming people (a string, "A and B", or a list) as CSL-JSON names."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [csl_name(str(v)) for v in value if str(v).strip()]
    parts = re.split(r"\s*;\s*|\s+and\s+|\s*&\s*", str(value).strip())
    return [csl_name(p) for p in parts if p]
