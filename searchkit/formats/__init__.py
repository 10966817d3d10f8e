"""The formats archives have: read any of them into :class:`~searchkit.sources.Document` data.

=========  ==================================================  ================================
format     what                                                detected by
=========  ==================================================  ================================
markdown   searchkit's own: YAML front matter + paragraphs     .md, or text opening '---'
text       plain text (+ catalogue, + names like 1917-Lenin)   .txt without front matter
gutenberg  Project Gutenberg e-texts                           '*** START OF THE PROJECT …'
tei        TEI P5 XML                                          .xml/.tei with a <TEI> root
pdf        PDF with a text layer (pypdfium2; pdfminer.six)     '%PDF-' at the start
docx       Word                                                zip with word/document.xml
odt        OpenDocument text                                   zip whose mimetype says so
epub       EPUB 2 and 3                                        zip whose mimetype says so
html       web pages saved from a browser                      .html/.htm, <html> root
hocr       hOCR (OCR output as HTML)                           <html> with ocr_page/ocrx_word
alto       ALTO XML (OCR output)                               .xml with an <alto> root
page       PAGE XML (OCR output)                               .xml with a <PcGts> root
rtf        RTF                                                 '{\\rtf' at the start
=========  ==================================================  ================================

Speaker turns ("Mr. BULLITT. …") are read in text and Gutenberg files (see ``transcript``).

How a file is read
------------------
The file name's ending says which files are sources (:data:`SUFFIXES`); the first bytes say
what they are (:func:`searchkit.formats.sniff.sniff`: magic numbers, zip members, the XML root
element), so a PDF named ``.txt`` is read as a PDF and ``.xml`` is TEI, ALTO or PAGE by its root.
A collection's ``format:`` setting overrides both. The text formats (markdown, text, gutenberg,
tei) are read in the indexing process; every other format is read from bytes in a child process,
under the file's time and memory limits (:mod:`searchkit.formats.isolation`).

The contract of a reader of bytes
---------------------------------
A format of :data:`FORMATS` whose ``binary`` is true is read by the module
``searchkit/formats/<module>.py``, which has::

    def read(path: Path, data: bytes, settings: FileSettings) -> Document

- ``data`` is the whole file; ``settings`` (:class:`~searchkit.formats.collection.FileSettings`)
  holds the collection's settings for it. Build the result with
  :func:`searchkit.formats.build.make_document` (blocks of text with their page and section, and
  the metadata found in the file): it applies the file name pattern, the sidecar
  ``NAME.EXT.yaml``, the catalogue row and the collection's defaults in the documented order.
- A file that cannot be read raises :class:`~searchkit.errors.SourceError` with a one-line
  message naming the file (``reason=`` a short word for the summary: "encrypted", "damaged"…).
  Anything else it raises is turned into such an error; it never stops the run.
- Something worth telling that is not an error ("no text layer: needs OCR") is appended to
  ``settings.warnings``.
- Import the format's library inside ``read`` or at the top of the module, never here: this
  package is imported by every search, and a module is imported only when a file needs it.
- A format whose module does not exist is not read: its files are not listed as sources.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from searchkit.errors import SourceError
from searchkit.formats.collection import FORMAT_NAMES, Collection, FileSettings, load_collection
from searchkit.sources import Document, decode_source, find_source_files, outside_link


@dataclass(frozen=True)
class Format:
    """A format searchkit reads, and the module that reads it."""

    name: str
    binary: bool  #: read from bytes (``read(path, data, settings)``), in a child process
    what: str  #: how messages name a file of this format ("PDF file")

    @property
    def module(self) -> str:
        """The reader's module, ``searchkit.formats.<name>``."""
        return self.name


FORMATS = {
    f.name: f
    for f in (
        Format("markdown", False, "Markdown file"),
        Format("text", False, "text file"),
        Format("gutenberg", False, "Project Gutenberg file"),
        Format("tei", False, "TEI file"),
        Format("pdf", True, "PDF file"),
        Format("docx", True, "Word file"),
        Format("odt", True, "OpenDocument file"),
        Format("epub", True, "EPUB book"),
        Format("html", True, "web page"),
        Format("hocr", True, "hOCR file"),
        Format("alto", True, "ALTO file"),
        Format("page", True, "PAGE XML file"),
        Format("rtf", True, "RTF file"),
    )
}

#: File name endings read as sources, and the format each means when the content does not say.
SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".txt": "text",
    ".xml": "tei",
    ".tei": "tei",
    ".pdf": "pdf",
    ".docx": "docx",
    ".odt": "odt",
    ".epub": "epub",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".hocr": "hocr",
    ".rtf": "rtf",
}
#: Files that describe a collection rather than belong to it.
_NOT_SOURCES = ("README", "PROVENANCE", "LICENSE", "LICENCE", "COPYING", "CHANGELOG", "MD5SUMS")
#: Largest file of a format read from bytes (text formats: ``sources.MAX_FILE_BYTES``).
MAX_BINARY_BYTES = 512 * 1024 * 1024

Reader = Callable[[Path, str, FileSettings], Document]
BinaryReader = Callable[[Path, bytes, FileSettings], Document]


@cache
def available(fmt: str) -> bool:
    """True when this copy of searchkit has the module that reads ``fmt`` (nothing is imported)."""
    info = FORMATS.get(fmt)
    return info is not None and importlib.util.find_spec(f"searchkit.formats.{info.module}") is not None


def is_collection_file(path: Path) -> bool:
    """True for the files a collection folder is made of (not hidden, not a README)."""
    fmt = SUFFIXES.get(path.suffix.lower())
    return (
        fmt is not None
        and available(fmt)
        and not path.name.startswith(".")
        and not path.stem.upper().startswith(_NOT_SOURCES)
    )


def find_files(root: Path) -> list[Path]:
    """Every file of a collection below ``root``, in every format, in sorted order."""
    return find_source_files(root, keep=is_collection_file)


def detect_format(path: Path, text: str) -> str:
    """The format of a text file, from its extension and its first lines."""
    from searchkit.formats.gutenberg import is_gutenberg

    head = text.lstrip()[:200]
    if head.startswith("<") and ("<TEI" in text[:5000] or path.suffix.lower() in (".xml", ".tei")):
        return "tei"
    if text.startswith("---"):
        return "markdown"
    if is_gutenberg(text):
        return "gutenberg"
    fmt = SUFFIXES.get(path.suffix.lower(), "text")
    return fmt if not FORMATS[fmt].binary else "text"


def _reader(fmt: str) -> Reader:
    if fmt == "markdown":
        from searchkit.formats.markdown import read_markdown

        return read_markdown
    if fmt == "gutenberg":
        from searchkit.formats.gutenberg import read_gutenberg

        return read_gutenberg
    if fmt == "tei":
        from searchkit.formats.tei import read_tei

        return read_tei
    from searchkit.formats.text import read_plain

    return read_plain


@dataclass
class Plan:
    """How one file is to be read: decided in the indexing process, from its first bytes."""

    path: Path
    format: str
    settings: FileSettings
    raw: bytes | None = None  #: the whole file, for a small file of a text format (read once)

    @property
    def binary(self) -> bool:
        return self.format != "auto" and FORMATS[self.format].binary


def plan(path: Path, collection: Collection) -> Plan:
    """Check ``path`` (a link out of the collection, the size limit, the catalogue) and decide its
    format. Raises :class:`SourceError` naming the file."""
    from searchkit.formats.sniff import HEAD_BYTES, sniff
    from searchkit.sources import MAX_FILE_BYTES

    fs = collection.for_file(path)
    cat = collection.catalogue
    if cat is not None and fs.rel not in cat.rows:
        raise SourceError(f"{path}: not in the catalogue '{cat.path}'; add a row for '{fs.rel}'")
    base = collection.root if collection.root.is_dir() else collection.root.parent
    outside = outside_link(path, base)
    if outside:
        raise SourceError(f"Not reading '{path}': it is a link to '{outside}', outside the collection")
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(HEAD_BYTES)
    except OSError as e:
        raise SourceError(f"Cannot read '{path}': {e.strerror or e}") from None
    fmt = fs.format if fs.format != "auto" else sniff(path, head)
    if fmt is None:
        # a binary format's name on a file that does not look like it: its reader says why
        suffix_fmt = SUFFIXES.get(path.suffix.lower(), "text")
        fmt = suffix_fmt if FORMATS[suffix_fmt].binary else None
    if fmt is not None and FORMATS[fmt].binary:
        if size > MAX_BINARY_BYTES:
            raise SourceError(
                f"Not reading '{path}': {size:,} bytes is more than searchkit's limit of"
                f" {MAX_BINARY_BYTES:,} for a {FORMATS[fmt].what}",
                reason="too large",
            )
        if not available(fmt):
            raise SourceError(
                f"Not reading '{path}': it is a {FORMATS[fmt].what}, which this version of"
                " searchkit cannot read",
                reason="no reader",
            )
        return Plan(path, fmt, fs)
    if size > MAX_FILE_BYTES:
        raise SourceError(
            f"Not reading '{path}': {size:,} bytes is more than searchkit's limit of"
            f" {MAX_FILE_BYTES:,}; split it into several files",
            reason="too large",
        )
    return Plan(path, fmt or "auto", fs, head if len(head) == size else None)


def read_planned(p: Plan) -> Document:
    """Read a planned file in this process (no limits: see :mod:`~searchkit.formats.isolation`)."""
    if p.binary:
        return read_binary(p.path, p.format, p.settings)
    raw, p.raw = p.raw, None
    if raw is None:
        try:
            raw = p.path.read_bytes()
        except OSError as e:
            raise SourceError(f"Cannot read '{p.path}': {e.strerror or e}") from None
    text = decode_source(raw, str(p.path)).replace("\r\n", "\n").replace("\r", "\n")
    fmt = p.format if p.format != "auto" else detect_format(p.path, text)
    if FORMATS[fmt].binary:  # 'format: pdf' in the settings of a text file
        return read_binary(p.path, fmt, p.settings)
    p.format = fmt
    return _reader(fmt)(p.path, text, p.settings)


def read_binary(path: Path, fmt: str, fs: FileSettings) -> Document:
    """Read a file of a format read from bytes, with the module :data:`FORMATS` names."""
    info = FORMATS[fmt]
    try:
        data = path.read_bytes()
    except OSError as e:
        raise SourceError(f"Cannot read '{path}': {e.strerror or e}") from None
    module = importlib.import_module(f"searchkit.formats.{info.module}")
    read: BinaryReader = module.read
    try:
        return read(path, data, fs)
    except SourceError:
        raise
    except MemoryError:
        raise
    except Exception as e:  # noqa: BLE001  (a reader's library failing on a hostile file)
        raise SourceError(
            f"Cannot read '{path}': not a readable {info.what} ({type(e).__name__}: {e})",
            reason="damaged",
        ) from None


def read_any(path: Path, collection: Collection) -> Document:
    """Read one file of ``collection`` in its configured or detected format, in this process."""
    return read_planned(plan(path, collection))


def read_collection(
    root: Path,
    config: Path | None = None,
    fmt: str | None = None,
    on_error: Callable[[SourceError], None] | None = None,
) -> Iterator[Document]:
    """Yield every document of the collection at ``root`` (like ``sources.read_sources``, for
    every format). A file that cannot be read goes to ``on_error``, or is raised without it."""
    collection = load_collection(root, config, fmt)
    for path in find_files(root):
        try:
            yield read_any(path, collection)
        except SourceError as e:
            if on_error is None:
                raise
            on_error(e)


__all__ = [
    "FORMATS",
    "FORMAT_NAMES",
    "SUFFIXES",
    "Collection",
    "Format",
    "Plan",
    "detect_format",
    "find_files",
    "load_collection",
    "plan",
    "read_any",
    "read_binary",
    "read_collection",
    "read_planned",
]
