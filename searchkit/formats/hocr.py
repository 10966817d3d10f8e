"""hOCR (OCR output as HTML: Tesseract, OCRopus, Kraken…), ``.hocr`` or ``.html`` files whose
markup has ``ocr_page`` elements or an ``ocr-system`` meta tag.

Read: each page's paragraphs (``ocr_par``; lines outside any paragraph make one of their own)
in file order, lines joined with words broken at line ends rejoined
(:mod:`searchkit.formats.ocr`); lines inside ``<h1>``…``<h6>`` or ``ocr_title`` become the
``section``. Dropped: ``ocr_header``, ``ocr_footer``, ``ocr_pageno``, separators and noise. The
page is the printed number of ``ocr_pageno``, else the number in the file's name, else the one
in the page's image name, else its ``ppageno`` plus one. Metadata: Dublin Core ``<meta>`` tags
(``DC.title``, ``DC.creator``, ``DC.date``; ``DC.publisher``, ``DC.language``, ``DC.identifier``
to ``extra``), as hocr-tools' ``hocr-merge-dc`` writes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from searchkit.errors import SourceError
from searchkit.formats.build import TextBlock
from searchkit.formats.collection import FileSettings
from searchkit.formats.ocr import join_lines, page_from_name, page_label
from searchkit.formats.package import local, parse_html, parse_xml, squeeze
from searchkit.formats.pieces import document, plain_date
from searchkit.sources import Document

_FURNITURE = {
    "ocr_header",
    "ocr_footer",
    "ocr_pageno",
    "ocr_separator",
    "ocr_noise",
    "ocr_image",
    "ocr_photo",
}
_LINES = {"ocr_line", "ocrx_line", "ocr_caption", "ocr_textfloat", "ocr_header_line"}
_TITLES = {"ocr_title", "ocr_chapter_title"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_IMAGE = re.compile(r'image\s+"([^"]*)"')
_PPAGENO = re.compile(r"ppageno\s+(\d+)")


def is_hocr(data: bytes) -> bool:
    """True for hOCR: HTML with ``ocr_page`` elements or an ``ocr-system`` meta tag."""
    head = data[:65536]
    return b"ocr_page" in head or b"ocr-system" in head


def _classes(el: Any) -> set[str]:
    return set((el.get("class") or "").split())


@dataclass
class _Walk:
    label: str | None
    section: str = ""
    loose: list[str] = field(default_factory=list)
    pieces: list[TextBlock] = field(default_factory=list)

    def flush(self) -> None:
        text = join_lines(self.loose)
        if text:
            self.pieces.append(TextBlock(text, self.label, self.section))
        self.loose = []


def read(path: Path, data: bytes, fs: FileSettings) -> Document:
    """Read an hOCR file."""
    try:
        root = parse_xml(data, str(path))
    except SourceError:
        root = parse_html(data, str(path))
    pages = [el for el in root.iter() if isinstance(el.tag, str) and "ocr_page" in _classes(el)]
    body = next((el for el in root.iter() if local(el.tag) == "body"), root)
    pieces: list[TextBlock] = []
    for number, page in enumerate(pages or [body], start=1):
        walk = _Walk(_label(page, path, number, single=len(pages) <= 1))
        _walk(page, walk)
        walk.flush()
        pieces.extend(walk.pieces)
    found, extra = _meta(root)
    return document(path, fs, found, pieces, extra, what="OCR text")


def _label(page: Any, path: Path, number: int, single: bool) -> str | None:
    for el in page.iter():
        if isinstance(el.tag, str) and "ocr_pageno" in _classes(el):
            label = page_label(squeeze("".join(el.itertext())))
            if label:
                return label
    if single and (name := page_from_name(path)):
        return name
    title = page.get("title") or ""
    image = _IMAGE.search(title)
    if image and (name := page_from_name(Path(image.group(1)))):
        return name
    ppageno = _PPAGENO.search(title)
    return str(int(ppageno.group(1)) + 1) if ppageno else str(number)


def _walk(el: Any, walk: _Walk) -> None:
    for child in el:
        if not isinstance(child.tag, str):
            continue
        classes = _classes(child)
        name = local(child.tag).lower()
        if classes & _FURNITURE or name in ("script", "style", "head"):
            continue
        if name in _HEADINGS or classes & _TITLES:
            walk.flush()
            text = join_lines(_lines(child))
            if text:
                walk.section = text
        elif "ocr_par" in classes:
            walk.flush()
            walk.loose = _lines(child)
            walk.flush()
        elif classes & _LINES:
            walk.loose.append(_line(child))
        else:
            _walk(child, walk)


def _lines(el: Any) -> list[str]:
    found = [_line(d) for d in el.iter() if isinstance(d.tag, str) and _classes(d) & _LINES]
    return found or [squeeze("".join(el.itertext()))]


def _line(el: Any) -> str:
    words = [d for d in el.iter() if isinstance(d.tag, str) and "ocrx_word" in _classes(d)]
    if words:
        return " ".join(squeeze("".join(w.itertext())) for w in words)
    return squeeze("".join(el.itertext()))


def _meta(root: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    values: dict[str, str] = {}
    for el in root.iter():
        if isinstance(el.tag, str) and local(el.tag) == "meta" and (el.get("name") or "").startswith("DC."):
            values.setdefault(str(el.get("name"))[3:].lower(), squeeze(el.get("content") or ""))
    found = {
        "title": values.get("title"),
        "author": values.get("creator"),
        "date": plain_date(values.get("date")),
    }
    extra = {k: values.get(k) for k in ("publisher", "language", "identifier")}
    return found, extra
