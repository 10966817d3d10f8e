"""Paragraphs of an (X)HTML body: blocks in document order, headings as sections, printed page
numbers from page-break markers, notes marked as notes. Used by the EPUB reader.

A page-break marker is an element with ``epub:type="pagebreak"`` or ``role="doc-pagebreak"``, or
one whose ``id`` the book's page list names; its label is its ``title``, else its text, else the
page list's label. A paragraph is cited to the page it starts on: a marker inside a paragraph
before any of its text moves the paragraph to the new page, a later one only what follows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from searchkit.formats.build import TextBlock
from searchkit.formats.package import local, squeeze
from searchkit.formats.pieces import NOTE

OPS = "{http://www.idpf.org/2007/ops}type"
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = {
    *_HEADINGS,
    *("p", "div", "li", "blockquote", "td", "th", "dt", "dd", "pre", "figcaption", "caption"),
    *("section", "article", "aside", "header", "footer", "main", "ol", "ul", "dl", "table", "tr"),
    *("tbody", "thead", "tfoot", "figure", "address", "hgroup", "details", "summary", "body", "center"),
}
_SKIP = {"script", "style", "nav", "head", "title", "noscript", "template", "math", "svg", "object"}
_NOTE_TYPES = ("footnote", "endnote", "rearnote", "note")


def epub_type(el: Any) -> str:
    """The ``epub:type`` and ``role`` of ``el`` as one string of words."""
    return " ".join((el.get(OPS) or el.get("epub:type") or "", el.get("role") or ""))


@dataclass
class Walk:
    """Where the walk through a book is: the section and page in force, and what it found."""

    pages: Mapping[str, str] = field(default_factory=dict)  #: element id -> page label
    section: str = ""
    page: str | None = None
    pieces: list[TextBlock] = field(default_factory=list)


def walk_body(body: Any, walk: Walk, kind: str = "") -> None:
    """Add the paragraphs of ``body`` (an element) to ``walk``."""
    loose: list[str] = [body.text or ""]
    loose_page = walk.page
    for child in body:
        name = local(child.tag).lower()
        if not name or name in _SKIP:
            loose.append(child.tail or "")
            continue
        if _page_label(child, walk) is not None or name not in _BLOCKS:
            if not squeeze("".join(loose)):
                loose_page = _page_label(child, walk) or loose_page
            loose.extend(_inline(child, walk))
            loose.append(child.tail or "")
            continue
        _flush(loose, loose_page, walk, kind)
        loose = [child.tail or ""]
        types = epub_type(child)
        inner = NOTE if any(t in types.split() for t in _NOTE_TYPES) else kind
        if name in _HEADINGS:
            text = squeeze("".join(_inline(child, walk, text_only=True)))
            if text:
                walk.section = text
        elif any(local(d.tag).lower() in _BLOCKS for d in child.iterdescendants()):
            walk_body(child, walk, inner)
        else:
            start = walk.page
            parts = _inline(child, walk, start_marks=True)
            if parts and parts[0] == "\0":
                start, parts = parts[1], parts[2:]
            _flush(parts, start, walk, inner)
        loose_page = walk.page
    _flush(loose, loose_page, walk, kind)


def _flush(parts: list[str], page: str | None, walk: Walk, kind: str) -> None:
    text = squeeze("".join(parts))
    if text:
        walk.pieces.append(TextBlock(text, page, walk.section, type=kind or None))


def _page_label(el: Any, walk: Walk) -> str | None:
    if not isinstance(el.tag, str):
        return None
    types = epub_type(el).split()
    ident = el.get("id") or ""
    if "pagebreak" in types or "doc-pagebreak" in types:
        return squeeze(el.get("title") or "".join(el.itertext())) or walk.pages.get(ident) or ident
    return walk.pages.get(ident) if ident else None


def _inline(el: Any, walk: Walk, text_only: bool = False, start_marks: bool = False) -> list[str]:
    """The text of ``el`` and below, leaving out page-break markers (which move ``walk.page``)
    and note references. With ``start_marks``, a marker met before any text makes the result
    start with ``["\\0", label]``."""
    out: list[str] = []
    started = False

    def visit(node: Any) -> None:
        nonlocal started
        label = None if text_only else _page_label(node, walk)
        if label is not None:
            walk.page = label
            if start_marks and not started:
                if out[:1] == ["\0"]:
                    out[1] = label
                else:
                    out[:0] = ["\0", label]
            return
        name = local(node.tag).lower()
        if name in _SKIP or "noteref" in epub_type(node).split():
            return
        if name == "br":
            out.append(" ")
        if node.text:
            out.append(node.text)
            started = started or bool(node.text.strip())
        for child in node:
            visit(child)
            if child.tail:
                out.append(child.tail)
                started = started or bool(child.tail.strip())

    visit(el)
    return out
