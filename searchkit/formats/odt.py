"""OpenDocument text ``.odt``, read with lxml over ``content.xml`` and ``meta.xml``.

Read: paragraphs, list items and table cells in document order; headings (``text:h``) become the
``section`` of the paragraphs under them; frames and text boxes follow the paragraph they are
anchored in; footnotes and endnotes (``text:note``) are paragraphs of type ``note`` after the
paragraph that cites them. Pages are approximate: LibreOffice records where its layout broke
the pages when the file was saved (``text:soft-page-break``), and paragraph styles may force a
break; a paragraph is cited to the page it starts on. Files saved without that record have no
pages. Dropped: comments (``office:annotation``), deleted tracked changes, generated indexes and
tables of contents, note citation marks, headers and footers.
Metadata (``meta.xml``): ``dc:title``, ``meta:initial-creator`` or ``dc:creator`` (author);
``created``, ``modified``, ``subject``, ``language`` go to ``extra``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from searchkit.formats.build import TextBlock
from searchkit.formats.collection import FileSettings
from searchkit.formats.package import attr, has_member, local, open_package, parse_xml, read_member, squeeze
from searchkit.formats.pieces import NOTE, document
from searchkit.sources import Document

#: Containers whose text is not the document's.
_SKIP = {
    "annotation",
    "annotation-end",
    "tracked-changes",
    "table-of-content",
    "alphabetical-index",
    "illustration-index",
    "table-index",
    "object-index",
    "user-index",
    "bibliography",
    "sequence-decls",
    "variable-decls",
    "user-field-decls",
    "note-citation",
    "forms",
}


@dataclass
class _Walk:
    breaks_before: set[str]
    breaks_after: set[str]
    paginated: bool
    section: str = ""
    page: int = 1
    pieces: list[TextBlock] = field(default_factory=list)

    @property
    def label(self) -> str | None:
        return str(self.page) if self.paginated else None


def read(path: Path, data: bytes, fs: FileSettings) -> Document:
    """Read an ``.odt`` file."""
    package = open_package(path, data, "OpenDocument")
    root = parse_xml(read_member(package, "content.xml", path), f"{path}:content.xml")
    before, after = _break_styles(root)
    if has_member(package, "styles.xml"):
        more = _break_styles(parse_xml(read_member(package, "styles.xml", path), f"{path}:styles.xml"))
        before, after = before | more[0], after | more[1]
    text = next((el for el in root.iter() if local(el.tag) == "text" and _in_body(el)), None)
    paginated = bool(before or after) or any(local(el.tag) == "soft-page-break" for el in root.iter())
    walk = _Walk(before, after, paginated)
    if text is not None:
        _blocks(text, walk)
    found: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    if has_member(package, "meta.xml"):
        meta = parse_xml(read_member(package, "meta.xml", path), f"{path}:meta.xml")
        values: dict[str, str] = {}
        for el in meta.iter():
            values.setdefault(local(el.tag), squeeze("".join(el.itertext())))
        found = {
            "title": values.get("title"),
            "author": values.get("initial-creator") or values.get("creator"),
        }
        extra = {
            "created": values.get("creation-date"),
            "modified": values.get("date"),
            "subject": values.get("subject") or values.get("keyword"),
            "language": values.get("language"),
        }
    return document(path, fs, found, walk.pieces, extra)


def _in_body(el: Any) -> bool:
    parent = el.getparent()
    return parent is not None and local(parent.tag) == "body"


def _break_styles(root: Any) -> tuple[set[str], set[str]]:
    """Names of paragraph styles that start or end a page (``fo:break-before="page"``)."""
    before: set[str] = set()
    after: set[str] = set()
    for style in root.iter():
        if local(style.tag) != "style":
            continue
        for props in style:
            if local(props.tag) == "paragraph-properties":
                if attr(props, "break-before") == "page":
                    before.add(attr(style, "name"))
                if attr(props, "break-after") == "page":
                    after.add(attr(style, "name"))
    return before, after


def _blocks(el: Any, walk: _Walk) -> None:
    for child in el:
        name = local(child.tag)
        if name in _SKIP:
            continue
        if name == "soft-page-break":
            walk.page += 1
        elif name in ("p", "h"):
            _paragraph(child, walk, heading=name == "h")
        else:  # lists, tables, sections, frames: their paragraphs, in order
            _blocks(child, walk)


def _paragraph(p: Any, walk: _Walk, heading: bool) -> None:
    style = attr(p, "style-name")
    if style in walk.breaks_before and walk.pieces:
        walk.page += 1
    parts: list[str] = [p.text or ""]
    notes: list[Any] = []
    frames: list[Any] = []
    start = walk.page
    _inline(p, parts, notes, frames, walk)
    text = squeeze("".join(parts))
    page = str(start) if walk.paginated else None
    if heading and text:
        walk.section = text
    elif text:
        walk.pieces.append(TextBlock(text, page, walk.section))
    for frame in frames:
        _blocks(frame, walk)
    for note in notes:
        for body in note:
            if local(body.tag) == "note-body":
                texts = [squeeze("".join(_plain(q))) for q in body.iter() if local(q.tag) in ("p", "h")]
                for note_text in texts:
                    if note_text:
                        walk.pieces.append(TextBlock(note_text, page, walk.section, type=NOTE))
    if style in walk.breaks_after:
        walk.page += 1


def _inline(el: Any, parts: list[str], notes: list[Any], frames: list[Any], walk: _Walk) -> None:
    for child in el:
        name = local(child.tag)
        if name == "note":
            notes.append(child)
        elif name in ("frame", "text-box"):
            frames.append(child)
        elif name == "soft-page-break":
            walk.page += 1  # the rest of this paragraph is on the next page; it is cited to its start
        elif name == "s":
            parts.append(_spaces(child))
        elif name in ("tab", "line-break"):
            parts.append(" ")
        elif name not in _SKIP:
            parts.append(child.text or "")
            _inline(child, parts, notes, frames, walk)
        parts.append(child.tail or "")


def _spaces(el: Any) -> str:
    """``<text:s text:c="N"/>``: N spaces (at most 100, whatever the file says)."""
    count = attr(el, "c")
    return " " * (min(int(count), 100) if count.isdigit() else 1)


def _plain(el: Any) -> list[str]:
    """The text of a note's paragraph (spaces and tabs included)."""
    parts: list[str] = [el.text or ""]
    for child in el:
        name = local(child.tag)
        if name == "s":
            parts.append(_spaces(child))
        elif name in ("tab", "line-break"):
            parts.append(" ")
        elif name not in _SKIP:
            parts.extend(_plain(child))
        parts.append(child.tail or "")
    return parts
