"""Chicago notes and bibliography, rendered by citeproc-py from the vendored CSL style.

citeproc-py (BSD-2-Clause, maintained, pure Python over lxml) is the Python CSL processor; the
style is the Citation Style Language project's "Chicago Manual of Style 17th edition (full
note)" and the en-US locale, both CC BY-SA 3.0, shipped in ``searchkit/cite/data/`` (their
sources are in ``SOURCES.md`` there), so nothing is fetched at run time.

Three adjustments, all in memory, none to the vendored files:

- the style's ``text-case="title"`` is dropped: titles print as the metadata writes them.
  citeproc-py's title-casing mangles the titles of primary sources ("the C.C. Of the
  R.S.D.L.P.(B.)"), and Chicago keeps the capitalisation of foreign-language titles anyway;
- the locale comes from the vendored file rather than the copy inside citeproc-py, so the
  output does not change with citeproc-py's release;
- the locale's ``punctuation-in-quote="true"`` (American usage: a comma or period after a
  quoted title goes inside the quotation marks) is applied to the output, as citeproc-py does
  not implement that option.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

DATA = resources.files("searchkit.cite") / "data"
STYLE_FILE = "chicago-fullnote-bibliography.csl"
LOCALE_FILE = "locales-en-US.xml"
_CSL_NS = "{http://purl.org/net/xbiblio/csl}"


@dataclass(frozen=True)
class ChicagoCitation:
    """A full note (with the locator) and the bibliography entry, as plain text."""

    note: str
    bibliography: str


def chicago(item: dict[str, Any], locator: tuple[str, str] | None) -> ChicagoCitation:
    """The Chicago note and bibliography entry for the CSL-JSON ``item``; ``locator`` is a
    CSL label and value, such as ``("page", "214")`` or ``("paragraph", "3")``."""
    from citeproc import Citation, CitationItem, Locator
    from citeproc.source.json import CiteProcJSON

    item = _for_citeproc(item)
    style = _style()
    note_item = CitationItem(item["id"], locator=Locator(*locator)) if locator else CitationItem(item["id"])
    with warnings.catch_warnings():
        # citeproc-py warns of each CSL variable it does not use (language, note, ...).
        warnings.simplefilter("ignore", UserWarning)
        source = CiteProcJSON([item])
        note = _render(style, source, Citation([note_item]), bibliography=False)
        # A second processor for the entry: citeproc-py would otherwise carry the note's locator over.
        entry = _render(style, source, Citation([CitationItem(item["id"])]), bibliography=True)
    return ChicagoCitation(note, entry)


def _for_citeproc(item: dict[str, Any]) -> dict[str, Any]:
    """The item with the CSL 1.0.2 variables citeproc-py does not know folded into ones it does:
    the archival collection goes after the box and folder ("box 2, folder 5, Ellen Waterston
    Papers"), as Chicago orders them."""
    item = dict(item)
    collection = item.pop("archive_collection", "")
    if collection:
        item["archive_location"] = ", ".join(p for p in (item.get("archive_location"), collection) if p)
    event = item.pop("event-title", "")
    if event and "event" not in item:
        item["event"] = event
    return item


def _render(style: Any, source: Any, citation: Any, *, bibliography: bool) -> str:
    from citeproc import CitationStylesBibliography, formatter

    processor = CitationStylesBibliography(style, source, formatter.plain)
    processor.register(citation)
    if bibliography:
        text = "".join(str(entry) for entry in processor.bibliography())
    else:
        text = str(processor.cite(citation, lambda _missing: None))
    return punctuate_quotes(" ".join(text.split()))


def punctuate_quotes(text: str) -> str:
    """Move a comma or period that follows a closing quotation mark inside it, as the en-US
    locale's ``punctuation-in-quote`` asks; after a title ending in ?, ! or a period, a period
    is dropped (a comma is kept after a period: "the C.C.,").

    >>> punctuate_quotes("“Walking”, in The Making")
    '“Walking,” in The Making'
    >>> punctuate_quotes("“Why Now?”. “Of the C.C.”, in")
    '“Why Now?” “Of the C.C.,” in'
    """
    text = re.sub(r"([?!]”)[.,]", r"\1", text)
    text = re.sub(r"(\.”)\.", r"\1", text)
    return re.sub(r"”([.,])", r"\1”", text)


@cache
def _style() -> Any:
    """The vendored style with the vendored locale, parsed once per process."""
    from citeproc import CitationStylesStyle
    from citeproc.frontend import CitationStylesXML

    with resources.as_file(DATA / STYLE_FILE) as path:
        style = CitationStylesStyle(str(path), locale="en-US", validate=False)
    for element in style.root.iter(f"{_CSL_NS}*"):
        if element.get("text-case") == "title":
            del element.attrib["text-case"]
    with resources.as_file(DATA / LOCALE_FILE) as path:
        locale = CitationStylesXML(str(path), validate=False).root
    # In-style <locale> elements (children of the style) come first and stay; the processor's
    # own locale files are replaced by the vendored one.
    style.root.locales = [loc for loc in style.root.locales if loc.getparent() is not None] + [locale]
    locale.style = style.root  # as citeproc-py's own set_locale_list does for each locale
    return style
