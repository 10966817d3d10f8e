"""Web pages saved from the browser (``.html``, ``.htm``), read with trafilatura (Apache-2).

trafilatura keeps the article and drops navigation, banners, sidebars, advertising and reader
comments; it had the best main-text F1 of the extractors measured here (0.93, FORMATS_NOTES.md).
Read: the article's paragraphs, list items, quotations and table cells; its headings become the
``section``. Metadata, from the page's own ``<meta>`` tags, JSON-LD and markup: title, author and
date (the Document's), and ``site``, ``url``, ``language`` and ``subject`` (tags and categories)
in ``extra``. Where the page does not name its address, the "saved from url=" comment that
browsers write when saving a page gives it. Nothing is fetched: links and images are ignored.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from searchkit.formats.build import TextBlock
from searchkit.formats.collection import FileSettings
from searchkit.formats.package import local, squeeze
from searchkit.formats.pieces import document, plain_date
from searchkit.sources import Document

_SAVED_FROM = re.compile(rb"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)
_CONTAINERS = {"list", "table", "row", "div", "body", "quote"}
_PARAGRAPHS = {"p", "item", "cell", "code", "quote"}


def read(path: Path, data: bytes, fs: FileSettings) -> Document:
    """Read a saved web page."""
    import trafilatura

    result = trafilatura.bare_extraction(
        data,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        with_metadata=True,
    )
    pieces: list[TextBlock] = []
    found: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    if result is not None:
        meta = result.as_dict() if hasattr(result, "as_dict") else dict(result)
        body = meta.get("body")
        if body is not None:
            _walk(body, pieces, [""])
        found = {
            "title": meta.get("title"),
            "author": meta.get("author"),
            "date": plain_date(meta.get("date")),
        }
        tags = [*(meta.get("categories") or []), *(meta.get("tags") or [])]
        extra = {
            "site": meta.get("sitename") or meta.get("hostname"),
            "url": meta.get("url") or _saved_from(data),
            "language": meta.get("language"),
            "subject": "; ".join(t for t in tags if t),
        }
    return document(path, fs, found, pieces, extra, what="article text")


def _saved_from(data: bytes) -> str | None:
    m = _SAVED_FROM.search(data[:4096])
    return m.group(1).decode("ascii", "replace") if m else None


def _walk(el: Any, pieces: list[TextBlock], section: list[str]) -> None:
    for child in el:
        name = local(child.tag)
        if name == "head":
            text = squeeze(_text(child))
            if text:
                section[0] = text
        elif name in _CONTAINERS and any(local(c.tag) in _PARAGRAPHS | _CONTAINERS for c in child):
            _walk(child, pieces, section)
        elif name in _PARAGRAPHS or name in _CONTAINERS:
            text = squeeze(_text(child))
            if text:
                pieces.append(TextBlock(text, section=section[0]))


def _text(el: Any) -> str:
    parts = [el.text or ""]
    for child in el:
        if local(child.tag) == "lb":
            parts.append(" ")
        parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
