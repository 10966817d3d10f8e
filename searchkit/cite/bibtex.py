"""BibTeX and RIS entries from CSL-JSON items, written by pybtex and rispy.

Both are maintained, MIT-licensed, pure-Python libraries that handle the syntax: pybtex quotes
and escapes field values (``&`` -> ``\\&``) and writes names as BibTeX parses them
("Lenin, V. I.", ``{Alpha History editors}`` for a name that is not a person's); rispy writes
the tagged RIS lines. What maps onto what is decided here. The locator goes into ``note`` (BibTeX)
and ``N1`` (RIS): neither format has a field for the place cited within a work.
"""

from __future__ import annotations

import re
from typing import Any

#: CSL types -> BibTeX entry types (biblatex reads them too).
BIBTEX_TYPES = {
    "book": "book",
    "chapter": "incollection",
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "report": "techreport",
    "thesis": "phdthesis",
    "manuscript": "unpublished",
}
#: CSL types -> RIS reference types (RIS has no type for a speech: GEN with M3 "Speech").
RIS_TYPES = {
    "book": "BOOK",
    "chapter": "CHAP",
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "webpage": "ELEC",
    "personal_communication": "PCOMM",
    "manuscript": "MANSCPT",
    "report": "RPRT",
    "thesis": "THES",
    "pamphlet": "PAMP",
    "interview": "INTV",
}


def bibtex_entry(item: dict[str, Any], where: str) -> str:
    """One BibTeX entry for the CSL-JSON ``item``; ``where`` is the locator ("para. 3", "p. 214")."""
    from pybtex.database import BibliographyData, Entry, Person

    fields: list[tuple[str, str]] = [("title", item["title"])] if item.get("title") else []
    in_container = "booktitle" if item["type"] == "chapter" else "journal"
    fields += [(in_container, item["container-title"])] if item.get("container-title") else []
    for csl, field in (
        ("publisher", "institution" if item["type"] == "report" else "publisher"),
        ("publisher-place", "address"),
        ("edition", "edition"),
        ("volume", "volume"),
        ("issue", "number"),
        ("URL", "url"),
        ("ISBN", "isbn"),
        ("DOI", "doi"),
        ("language", "language"),
    ):
        if item.get(csl):
            fields.append((field, str(item[csl])))
    if item.get("page"):
        fields.append(("pages", re.sub(r"\s*[-–—]+\s*", "--", str(item["page"]))))
    issued = _first(item.get("issued"))
    if issued:
        fields.append(("year", str(issued[0])))
        fields.append(("date", _iso(issued)))
    accessed = _first(item.get("accessed"))
    if accessed:
        fields.append(("urldate", _iso(accessed)))
    how = _howpublished(item)
    if how:
        fields.append(("howpublished", how))
    fields.append(("note", f"{where}; {item['note']}" if where else item["note"]))
    persons = {
        role: [Person(_bibtex_name(n)) for n in item[csl]]
        for csl, role in (("author", "author"), ("editor", "editor"), ("translator", "translator"))
        if item.get(csl)
    }
    entry = Entry(BIBTEX_TYPES.get(item["type"], "misc"), fields=fields, persons=persons)
    return str(BibliographyData(entries={item["id"]: entry}).to_string("bibtex")).strip()


def ris_record(item: dict[str, Any], where: str) -> str:
    """One RIS record for the CSL-JSON ``item``; ``where`` is the locator."""
    import rispy

    class _Writer(rispy.RisWriter):
        def set_header(self, count: int) -> str:
            return ""  # rispy numbers records ("1."), which RIS does not have

    ref: dict[str, Any] = {"type_of_reference": RIS_TYPES.get(item["type"], "GEN"), "id": item["id"]}
    if item.get("title"):
        ref["title"] = item["title"]
    for csl, key in (
        ("author", "authors"),
        ("editor", "secondary_authors"),
        ("translator", "subsidiary_authors"),
    ):
        if item.get(csl):
            ref[key] = [_ris_name(n) for n in item[csl]]
    for csl, key in (
        ("container-title", "secondary_title"),
        ("publisher", "publisher"),
        ("publisher-place", "place_published"),
        ("edition", "edition"),
        ("volume", "volume"),
        ("issue", "number"),
        ("language", "language"),
        ("DOI", "doi"),
    ):
        if item.get(csl):
            ref[key] = str(item[csl])
    if item.get("URL"):
        ref["urls"] = [item["URL"]]
    pages = re.split(r"\s*[-–—]+\s*", str(item.get("page", "")))
    if pages[0]:
        ref["start_page"] = pages[0]
        if len(pages) > 1 and pages[-1]:
            ref["end_page"] = pages[-1]
    issued = _first(item.get("issued"))
    if issued:
        ref["year"] = str(issued[0])
        ref["date"] = "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(issued))
    accessed = _first(item.get("accessed"))
    if accessed:
        ref["access_date"] = _iso(accessed)
    if item["type"] == "speech":
        ref["type_of_work"] = "Speech"
    notes = [f"{where}; {item['note']}" if where else item["note"]]
    how = _howpublished(item)
    if how and item["type"] != "speech":
        notes.append(how)
    ref["notes"] = notes
    return str(rispy.dumps([ref], implementation=_Writer)).strip()


def _howpublished(item: dict[str, Any]) -> str:
    """Where an unpublished source is: its archive (location, collection, repository, place),
    or for a speech, where it was given."""
    parts = [item.get(k, "") for k in ("archive_location", "archive_collection", "archive", "archive-place")]
    if item["type"] == "speech":
        parts = ["Speech", item.get("event-title", ""), item.get("event-place", "")]
    return ", ".join(p for p in parts if p)


def _first(date: Any) -> list[int]:
    if isinstance(date, dict) and date.get("date-parts"):
        return [int(p) for p in date["date-parts"][0]]
    return []


def _iso(parts: list[int]) -> str:
    return "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(parts))


def _bibtex_name(name: dict[str, Any]) -> str:
    if "literal" in name:
        return "{" + str(name["literal"]) + "}"
    family = str(name["family"]) + (f", {name['suffix']}" if name.get("suffix") else "")
    return f"{family}, {name['given']}"


def _ris_name(name: dict[str, Any]) -> str:
    if "literal" in name:
        return str(name["literal"])
    return ", ".join(str(name[k]) for k in ("family", "given", "suffix") if name.get(k))
