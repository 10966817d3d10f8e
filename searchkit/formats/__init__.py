"""The formats archives have: read any of them into :class:`~searchkit.sources.Document` data.

=========  ==================================================  ===========================
format     what                                                detected by
=========  ==================================================  ===========================
markdown   searchkit's own: YAML front matter + paragraphs     .md, or text opening '---'
text       plain text (+ catalogue, + names like 1917-Lenin)   .txt without front matter
gutenberg  Project Gutenberg e-texts                           '*** START OF THE PROJECT …'
tei        TEI P5 XML                                          .xml/.tei with a <TEI> root
=========  ==================================================  ===========================

Speaker turns ("Mr. BULLITT. …") are read in text and Gutenberg files (see ``transcript``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from searchkit.errors import SourceError
from searchkit.formats.collection import FORMAT_NAMES, Collection, FileSettings, load_collection
from searchkit.sources import Document, find_source_files, read_source_text

#: File name endings read as sources, by format.
SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".xml": "tei", ".tei": "tei"}
#: Files that describe a collection rather than belong to it.
_NOT_SOURCES = ("README", "PROVENANCE", "LICENSE", "LICENCE", "COPYING", "CHANGELOG", "MD5SUMS")

Reader = Callable[[Path, str, FileSettings], Document]


def is_collection_file(path: Path) -> bool:
    """True for the files a collection folder is made of (not hidden, not a README)."""
    return (
        path.suffix.lower() in SUFFIXES
        and not path.name.startswith(".")
        and not path.stem.upper().startswith(_NOT_SOURCES)
    )


def find_files(root: Path) -> list[Path]:
    """Every file of a collection below ``root``, in every format, in sorted order."""
    return find_source_files(root, keep=is_collection_file)


def detect_format(path: Path, text: str) -> str:
    """The format of a file, from its extension and its first lines."""
    from searchkit.formats.gutenberg import is_gutenberg

    head = text.lstrip()[:200]
    if head.startswith("<") and ("<TEI" in text[:5000] or path.suffix.lower() in (".xml", ".tei")):
        return "tei"
    if text.startswith("---"):
        return "markdown"
    if is_gutenberg(text):
        return "gutenberg"
    return SUFFIXES.get(path.suffix.lower(), "text")


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


def read_any(path: Path, collection: Collection) -> Document:
    """Read one file of ``collection`` in its configured or detected format."""
    fs = collection.for_file(path)
    cat = collection.catalogue
    if cat is not None and fs.rel not in cat.rows:
        raise SourceError(f"{path}: not in the catalogue '{cat.path}'; add a row for '{fs.rel}'")
    base = collection.root if collection.root.is_dir() else collection.root.parent
    text = read_source_text(path, base)
    fmt = fs.format if fs.format != "auto" else detect_format(path, text)
    return _reader(fmt)(path, text, fs)


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
    "FORMAT_NAMES",
    "Collection",
    "detect_format",
    "find_files",
    "load_collection",
    "read_any",
    "read_collection",
]
