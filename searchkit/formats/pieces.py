"""From the pieces a structured reader finds (paragraphs with section, page and kind) to a
:class:`~searchkit.sources.Document`, weighing the file's own metadata against the collection's.

Shared by the DOCX, ODT, EPUB, HTML, RTF and OCR readers. Notes (footnotes, endnotes) are
paragraphs of type ``note``, as in the TEI reader, placed after the paragraph that cites them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from searchkit.errors import SourceError
from searchkit.formats.assemble import resolve
from searchkit.formats.collection import FileSettings
from searchkit.sources import MAX_PARAGRAPH_CHARS, Document, Paragraph

#: The type of a footnote or endnote paragraph.
NOTE = "note"
#: The keys of ``Document.extra`` that readers fill from a file's own metadata (the citation
#: helper maps these names).
EXTRA_KEYS = (
    "publisher",
    "place",
    "url",
    "site",
    "language",
    "created",
    "modified",
    "identifier",
    "isbn",
    "subject",
    "contributors",
    "translator",
    "editor",
)


_ISO_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[T ]|\s*$)")


def plain_date(value: str | None) -> str | None:
    """The day, month or year that a metadata timestamp names ('2010-02-17T04:39:13Z' ->
    '2010-02-17'), or None for anything that is not a plain ISO date: a file's metadata must not
    make the whole file unreadable."""
    m = _ISO_DATE.match(value or "")
    if not m:
        return None
    return "-".join(part for part in m.groups() if part)


@dataclass(frozen=True)
class Piece:
    """One paragraph as a reader found it."""

    text: str
    section: str = ""
    page: str | None = None
    kind: str = ""  #: '' for the document's type, or NOTE
    line: int = 0  #: line of the file (XML formats), 0 where a file has no lines to speak of


def make_document(
    path: Path,
    fs: FileSettings,
    found: Mapping[str, Any],
    pieces: Iterable[Piece],
    extra: Mapping[str, Any] | None = None,
    what: str = "text",
) -> Document:
    """The document of ``path``: ``found`` is what the file says (title, author, date, type),
    ``extra`` the file's other metadata (keys of :data:`EXTRA_KEYS`). Catalogue rows, sidecars
    and per-file settings win over both. A file without any text is an error."""
    label = str(path)
    meta = resolve(fs, {k: v for k, v in found.items() if v not in (None, "")}, label)
    paragraphs: list[Paragraph] = []
    for piece in pieces:
        text = piece.text.strip()
        if not text:
            continue
        if len(text) > MAX_PARAGRAPH_CHARS:
            text = text[:MAX_PARAGRAPH_CHARS]
        kind = piece.kind or meta.type
        paragraphs.append(
            Paragraph(
                len(paragraphs) + 1,
                text,
                piece.line,
                meta.speaker,
                meta.date,
                kind,
                piece.section,
                piece.page,
            )
        )
    if not paragraphs:
        raise SourceError(f"Nothing to index in '{path}': no {what} found in it")
    merged = {k: v for k, v in (extra or {}).items() if v not in (None, "", [])}
    merged.update(fs.extra)
    return Document(meta.id, fs.rel, meta.title, meta.author, meta.date, meta.type, tuple(paragraphs), merged)
