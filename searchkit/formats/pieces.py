"""What the structured readers (DOCX, ODT, EPUB, HTML, RTF, ALTO, PAGE, hOCR) share on top of
:func:`searchkit.formats.build.make_document`: notes, the names of extra metadata, plain dates,
and the rule that a file with no text at all is reported rather than indexed as nothing.

Footnotes and endnotes are paragraphs of type ``note`` (as in the TEI reader), placed after the
paragraph that cites them, under its section and page: ``--type note`` finds only notes, and a
hit in a note is cited like any paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from searchkit.errors import SourceError
from searchkit.formats.build import TextBlock, make_document
from searchkit.formats.collection import FileSettings
from searchkit.sources import Document

#: The type of a footnote or endnote paragraph.
NOTE = "note"
#: The keys of ``Document.extra`` that readers fill from a file's own metadata (the citation
#: helper maps these names).
EXTRA_KEYS = (
    *("publisher", "place", "url", "site", "language", "created", "modified", "identifier"),
    *("isbn", "subject", "contributors", "translator", "editor"),
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


def document(
    path: Path,
    fs: FileSettings,
    found: Mapping[str, Any],
    blocks: Iterable[TextBlock],
    extra: Mapping[str, Any] | None = None,
    what: str = "text",
) -> Document:
    """The document of ``path``: ``found`` is what the file says (title, author, date),
    ``extra`` its other metadata (keys of :data:`EXTRA_KEYS`). A file without any text is an
    error naming it (``what`` says what was looked for)."""
    meta = {**(extra or {}), **{k: v for k, v in found.items() if v not in (None, "")}}
    doc = make_document(path, fs, meta, blocks)
    if not doc.paragraphs:
        raise SourceError(f"Nothing to index in '{path}': no {what} found in it", reason="no text")
    return doc
