"""Which spelling-variant folding is on: a collection setting, per language.

``searchkit.yaml`` may switch folding off for a language::

    variants:
      russian: false    # no romanization key: Kerensky and Kerenskii, Керенский and Kerensky apart
      english: false    # no British/American or period spellings: labour and labor apart

The setting belongs to the index: it is read from the collection settings when the index is
built (a change rebuilds it) and again, from the index's manifest, whenever the index is opened
to search, so that a query is analysed the way the text was. While no index is open, everything
is folded. If collections of one index disagree, a language is off when any of them turns it off.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

#: The languages whose folding can be switched off.
LANGUAGES = ("english", "russian")

_off: frozenset[str] = frozenset()


def folding_off() -> frozenset[str]:
    """The languages whose folding is off now."""
    return _off


@contextmanager
def folding(off: Iterable[str]) -> Iterator[None]:
    """Analyse with the folding of ``off`` switched off, until the block ends."""
    global _off
    before, _off = _off, frozenset(off)
    try:
        yield
    finally:
        _off = before


def off_in(configs: Iterable[Mapping[str, Any]]) -> frozenset[str]:
    """The languages switched off by any of the collection settings ``configs``."""
    found: set[str] = set()
    for config in configs:
        variants = config.get("variants") or {}
        found.update(lang for lang in LANGUAGES if variants.get(lang) is False)
    return frozenset(found)


def check_setting(value: Any, where: str) -> str | None:
    """A one-line problem with a ``variants`` setting, or None."""
    if not isinstance(value, dict):
        return f"{where}: 'variants' must map languages ({', '.join(LANGUAGES)}) to true or false"
    for lang, on in value.items():
        if lang not in LANGUAGES:
            return f"{where}: unknown language '{lang}' in 'variants'; use {', '.join(LANGUAGES)}"
        if not isinstance(on, bool):
            return f"{where}: 'variants: {lang}' must be true or false, not '{on}'"
    return None
