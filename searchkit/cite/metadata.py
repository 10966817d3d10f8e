"""A hit's document as a CSL-JSON item: the one description every citation format is made from.

The keys come from the front matter, a sidecar or catalogue row (they land in ``Hit.extra``), or
from what a reader took out of the file (TEI header, Gutenberg header, PDF/EPUB/HTML/DOCX
metadata), and are documented in the README ("Citing a hit"). CSL-JSON is the input format of
citeproc processors, Zotero and Pandoc, so it is the natural hub: Chicago is rendered from it by
citeproc-py, BibTeX and RIS are mapped from it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from searchkit.cite.names import csl_name, csl_names
from searchkit.dates import parse_date
from searchkit.errors import DateError
from searchkit.query import Hit

UNKNOWN = "unknown"

#: ``type`` values (as historians write them) -> CSL item types. Checked word by word, first match.
_TYPES = (
    ("newspaper", "article-newspaper"),
    ("magazine", "article-magazine"),
    ("journal", "article-journal"),
    ("article", "article-journal"),
    ("chapter", "chapter"),
    ("book", "book"),
    ("letter", "personal_communication"),
    ("telegram", "personal_communication"),
    ("speech", "speech"),
    ("address", "speech"),
    ("lecture", "speech"),
    ("web page", "webpage"),
    ("webpage", "webpage"),
    ("thesis", "thesis"),
    ("report", "report"),
    ("interview", "interview"),
    ("pamphlet", "pamphlet"),
)
#: CSL types whose date is the date of the text itself (a letter, a speech, a newspaper issue);
#: a book, chapter or web page is dated only by ``issued`` (its publication).
DATED_BY_TEXT = frozenset(
    {"personal_communication", "manuscript", "speech", "article-newspaper", "article-magazine", "interview"}
)
#: Types of a document with a publisher but no container.
_PUBLISHED = (("thesis", "thesis"), ("report", "report"), ("pamphlet", "pamphlet"))
#: Keys naming what a piece is published in, and the CSL type each implies without a ``type``.
_CONTAINERS = (("newspaper", "article-newspaper"), ("journal", "article-journal"), ("container", "chapter"))
#: Plain string keys copied to the CSL variable of the same meaning.
_PLAIN = {
    "publisher": "publisher",
    "edition": "edition",
    "volume": "volume",
    "issue": "issue",
    "pages": "page",
    "url": "URL",
    "isbn": "ISBN",
    "doi": "DOI",
    "repository": "archive",
    "repository_place": "archive-place",
    "collection": "archive_collection",
    "event": "event-title",
    "genre": "genre",
    "medium": "medium",
    "number": "number",
    "section_title": "section",
}


def csl_item(hit: Hit) -> dict[str, Any]:
    """The CSL-JSON item for the document ``hit`` comes from (``id`` is the hit's citation id).

    Which fields it has depends on the metadata: publisher and place make a book, ``container``
    (or ``newspaper``, ``journal``) a part of one, ``repository`` and its box, folder and item an
    archival source, ``url`` and ``accessed`` a web page. ``csl_type`` overrides the guess.
    """
    extra = hit.extra
    item: dict[str, Any] = {"id": hit.id, "type": _csl_type(hit)}
    letter = item["type"] == "personal_communication"
    recipient = extra.get("recipient") or extra.get("addressee")
    if not (letter and recipient):
        # A letter is cited by writer, recipient and date; its filing title is left out.
        item["title"] = _text(extra.get("title_cited")) or hit.title
    if hit.author and hit.author.casefold() != UNKNOWN:
        item["author"] = [csl_name(hit.author)]
    for key, role in (("editor", "editor"), ("translator", "translator"), ("recipient", "recipient")):
        names = csl_names(extra.get(key) or (recipient if key == "recipient" else None))
        if names:
            item[role] = names
    container = next((_text(extra.get(k)) for k, _ in _CONTAINERS if _text(extra.get(k))), "")
    container = container or _text(extra.get("site"))
    if container:
        item["container-title"] = container
    for key, var in _PLAIN.items():
        value = _text(extra.get(key))
        if value:
            item[var] = value
    place = _text(extra.get("place"))
    if place:
        item["event-place" if item["type"] == "speech" else "publisher-place"] = place
        if item["type"] == "speech":
            # citeproc-py renders a speech's place from publisher-place (CSL 1.0.1).
            item["publisher-place"] = place
    location = archive_location(extra)
    if location:
        item["archive_location"] = location
    issued = _date_parts(extra.get("issued"))
    if not issued and item["type"] == "webpage":
        # What the HTML/EPUB readers found in the page's own metadata (published, then modified).
        issued = _date_parts(extra.get("created")) or _date_parts(extra.get("modified"))
    if not issued and item["type"] in DATED_BY_TEXT:
        issued = _hit_date(hit)
    if issued:
        item["issued"] = issued
    accessed = _date_parts(extra.get("accessed"))
    if accessed:
        item["accessed"] = accessed
    if _text(extra.get("language")):
        item["language"] = _text(extra.get("language"))
    _identifier(item, _text(extra.get("identifier")))
    contributors = csl_names(extra.get("contributors"))
    if contributors:
        item["contributor"] = contributors
    words = [w for key in ("subject", "keywords") for w in _listed(extra.get(key))]
    if words:
        item["keyword"] = ", ".join(words)
    item["note"] = f"searchkit citation id {hit.id}"
    return item


def _identifier(item: dict[str, Any], identifier: str) -> None:
    """A reader's ``identifier`` (Dublin Core, EPUB) as a DOI, ISBN or URL, if it is one."""
    digits = re.sub(r"[\s-]", "", identifier.removeprefix("urn:isbn:").removeprefix("ISBN"))
    if re.match(r"(doi:|https?://doi\.org/)?10\.\d{4,9}/\S+$", identifier, re.IGNORECASE):
        item.setdefault("DOI", re.sub(r"^(doi:|https?://doi\.org/)", "", identifier, flags=re.IGNORECASE))
    elif re.fullmatch(r"\d{9}[\dXx]|\d{13}", digits):
        item.setdefault("ISBN", digits)
    elif re.match(r"https?://", identifier):
        item.setdefault("URL", identifier)


def locator(hit: Hit) -> tuple[str, str]:
    """The CSL locator of a hit: ``("page", "214")`` where it has a page, else the paragraph."""
    return ("page", hit.page) if hit.page else ("paragraph", str(hit.paragraph))


def archive_location(extra: dict[str, Any]) -> str:
    """Where in the repository: item, series, box and folder, as Chicago writes them
    ("MS-2-650, series 2, box 3, folder 9")."""
    parts = [_text(extra.get("item")) or _text(extra.get("shelfmark")), _text(extra.get("series"))]
    for key in ("box", "folder"):
        value = _text(extra.get(key))
        if value:
            parts.append(value if value.casefold().startswith(key) else f"{key} {value}")
    return ", ".join(p for p in parts if p)


def _csl_type(hit: Hit) -> str:
    """The CSL type: what the metadata says the document was published in or as comes first
    (a speech quoted on a web page is cited as the web page), then the ``type`` of the paragraph."""
    extra = hit.extra
    explicit = _text(extra.get("csl_type"))
    if explicit:
        return explicit
    words = hit.type.casefold()
    for key, csl in _CONTAINERS:
        if _text(extra.get(key)):
            return csl
    if _text(extra.get("publisher")):
        return next((csl for word, csl in _PUBLISHED if re.search(rf"\b{word}\b", words)), "book")
    if _text(extra.get("url")):
        return "webpage"
    for word, csl in _TYPES:
        if re.search(rf"\b{word}\b", words):
            return csl
    return "manuscript"


def _listed(value: Any) -> list[str]:
    """A value that may be one string or a list of them, as a list of non-empty strings."""
    values = value if isinstance(value, list) else [value]
    return [t for t in (_text(v) for v in values) if t]


def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return " ".join(str(value).split())


def _hit_date(hit: Hit) -> dict[str, Any] | None:
    if hit.date_start is None or hit.date_end is None:
        return None
    return _parts(hit.date_start, hit.date_end)


def _date_parts(value: Any) -> dict[str, Any] | None:
    text = _text(value)
    if not text:
        return None
    try:
        found = parse_date(text)
    except DateError:
        return {"literal": text}
    return _parts(found.start, found.end)


def _parts(start: dt.date, end: dt.date) -> dict[str, Any]:
    """CSL date parts at the precision the range has: a day, a month, a year or a range."""
    if start == end:
        return {"date-parts": [[start.year, start.month, start.day]]}
    next_month = (end + dt.timedelta(days=1)).day == 1
    if start.day == 1 and next_month and (start.year, start.month) == (end.year, end.month):
        return {"date-parts": [[start.year, start.month]]}
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return {"date-parts": [[start.year]]}
    return {"date-parts": [[start.year, start.month, start.day], [end.year, end.month, end.day]]}
