"""ALTO XML (v1 to v4, with or without a namespace): OCR of newspapers and books.

Read: each ``TextBlock`` of each page, in file order (ALTO's reading order; blocks inside a
``ComposedBlock`` in their order), as one paragraph of its lines. Words broken at a line end
are rejoined from the markup: a ``HypPart1`` string's ``SUBS_CONTENT`` is the whole word (and
its ``HypPart2`` half is skipped); a line ending in ``<HYP>`` runs on into the next line's
first word; otherwise the rule of :mod:`searchkit.formats.ocr`. Blocks tagged (``TAGREFS``) as
headings become the ``section``. Dropped: blocks in the top and bottom margins and blocks
tagged as page numbers, headers, footers, catch-words or signature marks; where nothing is
tagged, a first or last block that is only a page number is taken as the page number.
The page is ``PRINTED_IMG_NR``, else that page number, else the number in the file's name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from searchkit.formats.build import TextBlock
from searchkit.formats.collection import FileSettings
from searchkit.formats.ocr import is_furniture, join_lines, page_from_name, page_label
from searchkit.formats.package import attr, children, descendants, local, parse_xml
from searchkit.formats.pieces import document
from searchkit.sources import Document

_MARGINS = ("TopMargin", "BottomMargin")


def read(path: Path, data: bytes, fs: FileSettings) -> Document:
    """Read an ALTO XML file."""
    root = parse_xml(data, str(path))
    tags = {attr(t, "ID"): attr(t, "LABEL") or attr(t, "TYPE") for t in root.iter() if attr(t, "LABEL")}
    pages = descendants(root, "Page")
    pieces: list[TextBlock] = []
    for page in pages:
        fallback = page_from_name(path) if len(pages) == 1 else attr(page, "PHYSICAL_IMG_NR") or None
        pieces.extend(_page(page, tags, fallback))
    return document(path, fs, {}, pieces, what="text blocks")


def _page(page: Any, tags: dict[str, str], fallback: str | None) -> list[TextBlock]:
    blocks = [b for b in descendants(page, "TextBlock") if not _in_margin(b)]
    label = attr(page, "PRINTED_IMG_NR") or None
    found: list[tuple[Any, str, str]] = []  # (block, its tag label, its text)
    for block in blocks:
        kind = " ".join(tags.get(ref, "") for ref in attr(block, "TAGREFS").split()).lower()
        text = _block_text(block)
        if not text:
            continue
        if "page" in kind and "number" in kind.replace("-", " ").replace("_", " "):
            label = label or page_label(text)
        if not is_furniture(kind):
            found.append((block, kind, text))
    if not tags:
        # Untagged: a lone number first or last on the page is its page number, and a single
        # word last on the page, below the text, is the catch-word of the next page.
        for i in (0, -1):
            if found and (number := page_label(found[i][2])) is not None:
                label = label or number
                found.pop(i)
        if len(found) > 1 and " " not in found[-1][2] and len(found[-1][2]) <= 15:
            found.pop()
    label = label or fallback
    pieces: list[TextBlock] = []
    section = ""
    capital = ""
    for block, kind, text in found:
        if "head" in kind or "title" in kind:
            section = text
            continue
        if len(text) == 1 and text.isupper():
            capital = text  # a drop capital, set apart from the word it begins
            continue
        if capital:
            text, capital = (capital + text if text[:1].islower() else f"{capital} {text}"), ""
        pieces.append(TextBlock(text, label, section, block.sourceline or 0))
    return pieces


def _in_margin(block: Any) -> bool:
    return any(local(a.tag) in _MARGINS for a in block.iterancestors())


def _block_text(block: Any) -> str:
    lines: list[str] = []
    run_on = False  # the last line ended in <HYP>: its last word goes on in the next line
    skip_part2 = False
    for line in children(block, "TextLine"):
        spaced = any(local(el.tag) == "SP" for el in line)
        words: list[str] = []
        glue_first = run_on
        run_on = False
        end: float | None = None  # where the last string ended, to tell words from punctuation
        gap = max(2.0, _number(line, "HEIGHT") * 0.1)
        for el in line:
            name = local(el.tag)
            if name == "String":
                subs = attr(el, "SUBS_TYPE")
                if subs == "HypPart2" and skip_part2:
                    skip_part2 = False
                    glue_first = False
                    continue
                content = attr(el, "CONTENT")
                if subs == "HypPart1" and attr(el, "SUBS_CONTENT"):
                    content, skip_part2 = attr(el, "SUBS_CONTENT"), True
                start = _number(el, "HPOS", None)
                touching = not spaced and end is not None and start is not None and start - end <= gap
                if glue_first and lines and not words:
                    lines[-1] += content
                elif touching and words:
                    words[-1] += content
                else:
                    words.append(content)
                width = _number(el, "WIDTH", None)
                end = start + width if start is not None and width is not None else None
                glue_first = False
            elif name == "SP":
                end = None
            elif name == "HYP":
                run_on = not skip_part2
        if words:
            lines.append(" ".join(words))
    return join_lines(lines)


def _number(el: Any, name: str, default: float | None = 0.0) -> Any:
    try:
        return float(attr(el, name))
    except ValueError:
        return default
