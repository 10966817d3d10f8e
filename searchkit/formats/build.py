"""Build a :class:`~searchkit.sources.Document` from what a reader of bytes found: blocks of text
with their page and section, and the metadata the file itself holds.

Metadata is weighed here, the same for every format (the README's order): the catalogue row,
then the sidecar ``NAME.EXT.yaml``, then the collection's ``files:`` settings (all three are in
``FileSettings.overrides``), then the file's name (``filename:`` pattern), then what the file
says (``found``), then the collection's defaults.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from searchkit.formats.assemble import resolve
from searchkit.formats.collection import FileSettings
from searchkit.sources import MAX_PARAGRAPH_CHARS, Document, Paragraph

#: Keys of ``found`` that are a document's own fields; every other key goes into ``extra``.
FIELDS = ("title", "author", "speaker", "date", "type")


@dataclass(frozen=True)
class TextBlock:
    """One paragraph (or heading, note…) as a reader found it."""

    text: str
    page: str | None = None  #: the page it starts on, as printed (a page label), if any
    section: str = ""  #: the heading it falls under
    line: int = 0  #: where it starts (a line of the page or of the file), for citations
    type: str | None = None  #: e.g. "note" for a footnote; None: the document's type


def make_document(
    path: Path, fs: FileSettings, found: Mapping[str, Any], blocks: Iterable[TextBlock]
) -> Document:
    """The document of ``path``: ``found`` is the metadata the file holds (title, author, date,
    type, speaker, and any other key such as ``publisher`` or ``created``, kept as extra
    metadata); empty values are ignored."""
    from searchkit.formats.text import filename_meta

    named = filename_meta(path.stem, fs.settings.get("filename"), str(path)) if _wants_names(fs) else {}
    own = {k: v for k, v in found.items() if k in FIELDS and v not in (None, "")}
    meta = resolve(fs, {**own, **named}, str(path))
    paragraphs: list[Paragraph] = []
    for block in blocks:
        for text in split_long(" ".join(block.text.split())):
            paragraphs.append(
                Paragraph(
                    len(paragraphs) + 1,
                    text,
                    block.line,
                    meta.speaker,
                    meta.date,
                    block.type or meta.type,
                    block.section,
                    block.page,
                )
            )
    extra = {k: v for k, v in found.items() if k not in FIELDS and v not in (None, "", [])}
    extra.update(fs.extra)
    return Document(meta.id, fs.rel, meta.title, meta.author, meta.date, meta.type, tuple(paragraphs), extra)


def _wants_names(fs: FileSettings) -> bool:
    # The default pattern ('1917-11-07-Trotsky') applies unless the settings give another.
    return fs.settings.get("filename", "") is not False


def split_long(text: str, limit: int = MAX_PARAGRAPH_CHARS) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut at spaces: a page that is one
    block of text is still indexed (:data:`~searchkit.sources.MAX_PARAGRAPH_CHARS`)."""
    if not text:
        return []
    pieces = []
    while len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        cut = cut if cut > limit // 2 else limit
        pieces.append(text[:cut].strip())
        text = text[cut:].strip()
    if text:
        pieces.append(text)
    return pieces
