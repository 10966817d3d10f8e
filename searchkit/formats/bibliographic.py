"""What a TEI header or a Project Gutenberg header says about publication, as the citation keys
of the README's "Citing a hit" (``publisher``, ``place``, ``editor``, ``translator``, ``url``,
``repository``, …). The readers put them into the document's extra metadata, under what the
front matter, catalogue and collection settings say (those win)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _first(el: ET.Element | None, name: str) -> ET.Element | None:
    if el is None:
        return None
    return next((c for c in el.iter() if _local(c.tag) == name), None)


def _words(el: ET.Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def tei_citation(header: ET.Element | None) -> dict[str, Any]:
    """Citation keys from a ``teiHeader``: the printed source (``sourceDesc``'s ``bibl`` or
    ``biblStruct``: publisher, pubPlace, editor, translator) and, for a manuscript, its
    ``msIdentifier`` (repository, settlement, collection, idno). The ``publicationStmt`` describes
    the electronic edition and is used only for what the source description does not say."""
    if header is None:
        return {}
    found: dict[str, Any] = {}
    source = _first(header, "sourceDesc")
    for where in (source, _first(header, "publicationStmt")):
        for tag, key in (("publisher", "publisher"), ("pubPlace", "place")):
            value = _words(_first(where, tag))
            if value:
                found.setdefault(key, value)
    editors: list[str] = []
    translators: list[str] = []
    for el in source.iter() if source is not None else ():
        name = _local(el.tag)
        if name == "editor":
            role = (el.get("role") or "").casefold()
            (translators if role.startswith("transl") else editors).append(_words(el))
        elif name == "respStmt" and "transl" in _words(_first(el, "resp")).casefold():
            translators += [_words(n) for n in el if _local(n.tag) in ("name", "persName") and _words(n)]
    if editors:
        found["editor"] = editors
    if translators:
        found["translator"] = translators
    ms = _first(header, "msIdentifier")
    for tag, key in (
        ("repository", "repository"),
        ("settlement", "repository_place"),
        ("collection", "collection"),
    ):
        value = _words(_first(ms, tag))
        if value:
            found[key] = value
    idno = _first(ms, "idno")
    if _words(idno):
        found["item"] = _words(idno)
    return found


_GUTENBERG_FIELD = re.compile(r"^(?P<key>Translator|Editor|Language|Release [Dd]ate):\s*(?P<value>.*)$")
_EBOOK = re.compile(r"\[e-?book\s*#(?P<number>\d+)\]", re.IGNORECASE)


def gutenberg_citation(header: list[str]) -> dict[str, Any]:
    """Citation keys from a Project Gutenberg header: ``Translator:``, ``Editor:``, ``Language:``
    and the e-book's address from its number ("Release Date: … [EBook #3076]")."""
    found: dict[str, Any] = {}
    for line in header:
        m = _GUTENBERG_FIELD.match(line.strip())
        if not m or not m.group("value").strip():
            continue
        key, value = m.group("key").casefold(), m.group("value").strip()
        if key.startswith("release"):
            number = _EBOOK.search(value)
            if number:
                found["url"] = f"https://www.gutenberg.org/ebooks/{number.group('number')}"
                found["publisher"] = "Project Gutenberg"  # an e-book is cited with its publisher
        else:
            found[key] = value
    return found
