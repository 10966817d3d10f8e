"""Word ``.docx`` (Office Open XML, transitional and strict), read with lxml over the XML parts.

Read: body paragraphs and table cells in document order; headings (styles "Heading N", "Title"
or an outline level) become the ``section`` of the paragraphs under them; text boxes (once,
though Word stores each twice) follow the paragraph they are anchored in; footnotes and endnotes
are paragraphs of type ``note`` after the paragraph that cites them. Pages are approximate:
where Word recorded its page breaks when the file was last saved (``lastRenderedPageBreak``, and
hard page breaks), a paragraph is cited to the page it starts on; otherwise it has no page.
Dropped: deleted tracked changes, comments, headers and footers, field codes, images.
Metadata: title, creator (author) and the other core properties (``docProps/core.xml``);
``created`` and ``modified`` go to ``extra`` (they date the file, not the source).

Why not mammoth (BSD-2), which reads all of this too: it builds HTML first, and raw lxml over
the XML is about 30 times faster (FORMATS_NOTES.md; ``bench/formats.py`` measures it).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from searchkit.formats.build import TextBlock
from searchkit.formats.collection import FileSettings
from searchkit.formats.package import (
    attr,
    has_member,
    local,
    open_package,
    parse_xml,
    read_member,
    squeeze,
)
from searchkit.formats.pieces import NOTE, document
from searchkit.sources import Document

_HEADING_STYLE = re.compile(r"^(heading|titre|überschrift|kop)\s*\d|^title$", re.IGNORECASE)
#: Elements whose text is not the document's text.
_SKIP = {"delText", "instrText", "Fallback", "del", "moveFrom", "rPr", "pPr"}


@dataclass
class _Walk:
    styles: dict[str, str]  #: style id -> heading name, for heading styles only
    notes: dict[tuple[str, str], list[str]]  #: (kind, id) -> its paragraphs
    section: str = ""
    page: int = 1
    paginated: bool = False
    pieces: list[TextBlock] = field(default_factory=list)


def read(path: Path, data: bytes, fs: FileSettings) -> Document:
    """Read a ``.docx`` file."""
    package = open_package(path, data, "Word")
    main = _main_part(package, path)
    rels = _relations(package, main, path)
    styles = _heading_styles(package, rels.get("styles"), path)
    notes: dict[tuple[str, str], list[str]] = {}
    for kind in ("footnotes", "endnotes"):
        if kind in rels:
            notes.update(_notes(package, rels[kind], kind, path))
    root = parse_xml(read_member(package, main, path), f"{path}:{main}")
    body = next((el for el in root if local(el.tag) == "body"), None)
    walk = _Walk(styles, notes)
    walk.paginated = any(local(el.tag) == "lastRenderedPageBreak" for el in root.iter())
    if body is not None:
        _blocks(body, walk)
    found, extra = _core(package, path)
    return document(path, fs, found, walk.pieces, extra)


def _main_part(package: zipfile.ZipFile, path: Path) -> str:
    rels = _relations(package, "", path)
    return rels.get("officeDocument", "word/document.xml")


def _relations(package: zipfile.ZipFile, part: str, path: Path) -> dict[str, str]:
    """Relationship type (its last word: 'styles', 'footnotes'…) -> part name, for ``part``."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if not has_member(package, rels_name):
        return {}
    root = parse_xml(read_member(package, rels_name, path), f"{path}:{rels_name}")
    found: dict[str, str] = {}
    for rel in root:
        kind = attr(rel, "Type").rsplit("/", 1)[-1]
        target = attr(rel, "Target")
        if attr(rel, "TargetMode") == "External" or not target:
            continue
        full = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.normpath(posixpath.join(folder, target))
        )
        found.setdefault(kind, full)
    return found


def _heading_styles(package: zipfile.ZipFile, part: str | None, path: Path) -> dict[str, str]:
    if part is None or not has_member(package, part):
        return {}
    root = parse_xml(read_member(package, part, path), f"{path}:{part}")
    found: dict[str, str] = {}
    for style in root:
        if local(style.tag) != "style":
            continue
        sid = attr(style, "styleId")
        name = next((attr(c, "val") for c in style if local(c.tag) == "name"), sid)
        outline = any(local(el.tag) == "outlineLvl" for el in style.iter())
        if _HEADING_STYLE.match(name) or _HEADING_STYLE.match(sid) or outline:
            found[sid] = name
    return found


def _notes(package: zipfile.ZipFile, part: str, kind: str, path: Path) -> dict[tuple[str, str], list[str]]:
    if not has_member(package, part):
        return {}
    root = parse_xml(read_member(package, part, path), f"{path}:{part}")
    found: dict[tuple[str, str], list[str]] = {}
    for note in root:
        if local(note.tag) not in ("footnote", "endnote") or attr(note, "type") in (
            "separator",
            "continuationSeparator",
            "continuationNotice",
        ):
            continue
        texts = [_text(p, False)[0] for p in note.iter() if local(p.tag) == "p"]
        found[(kind, attr(note, "id"))] = [t for t in texts if t]
    return found


def _blocks(el: Any, walk: _Walk) -> None:
    """Paragraphs and tables of a body, cell or content control, in order."""
    for child in el:
        name = local(child.tag)
        if name == "p":
            _paragraph(child, walk)
        elif name in ("tbl", "tr", "tc", "sdt", "sdtContent", "customXml", "ins", "moveTo"):
            _blocks(child, walk)
        elif name == "AlternateContent":
            choice = next((c for c in child if local(c.tag) == "Choice"), None)
            if choice is not None:
                _blocks(choice, walk)


def _paragraph(p: Any, walk: _Walk) -> None:
    text, refs, boxes, before, breaks = _text(p, walk.paginated)
    style = next((attr(s, "val") for s in p.iter() if local(s.tag) == "pStyle"), "")
    heading = style in walk.styles or any(local(el.tag) == "outlineLvl" for el in p.iter())
    page = str(walk.page + before) if walk.paginated else None
    if text and heading:
        walk.section = text
    elif text:
        walk.pieces.append(TextBlock(text, page, walk.section))
    walk.page += breaks
    for box in boxes:
        for inner in box:
            if local(inner.tag) == "p":
                box_text = _text(inner, False)[0]
                if box_text:
                    walk.pieces.append(TextBlock(box_text, page, walk.section))
            else:
                _blocks(inner, walk)
    for ref in refs:
        for note in walk.notes.get(ref, []):
            walk.pieces.append(TextBlock(note, page, walk.section, type=NOTE))


def _text(p: Any, rendered: bool) -> tuple[str, list[tuple[str, str]], list[Any], int, int]:
    """A paragraph's text, the notes it cites, its text boxes, and the page breaks before its
    text and in all. With ``rendered`` (Word recorded its layout), only the breaks it rendered
    count, since a hard page break is rendered too; else only hard ones."""
    parts: list[str] = []
    refs: list[tuple[str, str]] = []
    boxes: list[Any] = []
    before = breaks = 0
    for el in _inline(p):
        name = local(el.tag)
        if name == "t":
            parts.append(el.text or "")
        elif name in ("tab", "br", "cr"):
            if name == "br" and attr(el, "type") == "page" and not rendered:
                breaks += 1
                before += not "".join(parts).strip()
            parts.append(" ")
        elif name == "noBreakHyphen":
            parts.append("-")
        elif name == "softHyphen":
            parts.append("\u00ad")
        elif name == "lastRenderedPageBreak" and rendered:
            breaks += 1
            before += not "".join(parts).strip()
        elif name in ("footnoteReference", "endnoteReference"):
            refs.append((name.replace("Reference", "s"), attr(el, "id")))
        elif name == "txbxContent":
            boxes.append(el)
    return squeeze("".join(parts)), refs, boxes, before, breaks


def _inline(el: Any) -> Iterator[Any]:
    """The elements of a paragraph in order, not descending into text boxes (returned whole),
    the fallback copy of alternate content, or deleted text."""
    for child in el:
        name = local(child.tag)
        if name in _SKIP:
            continue
        yield child
        if name != "txbxContent":
            yield from _inline(child)


def _core(package: zipfile.ZipFile, path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    part = _relations(package, "", path).get("core-properties", "docProps/core.xml")
    if not has_member(package, part):
        return {}, {}
    root = parse_xml(read_member(package, part, path), f"{path}:{part}")
    values = {local(el.tag): squeeze("".join(el.itertext())) for el in root}
    found = {"title": values.get("title"), "author": values.get("creator")}
    extra = {
        "created": values.get("created"),
        "modified": values.get("modified"),
        "subject": values.get("subject") or values.get("keywords"),
        "language": values.get("language"),
        "identifier": values.get("identifier"),
    }
    return found, extra
