"""PAGE XML (PRImA ``PcGts``, any version and namespace): OCR and ground-truth transcriptions.

Read: text regions in the page's reading order (``ReadingOrder``, then any region it leaves
out, in file order), each region one paragraph; its text is the region's own ``TextEquiv``
(else its lines', else its words'), lines joined with words broken at line ends rejoined
(:mod:`searchkit.formats.ocr`). Headings become the ``section``; footnotes and endnotes are
paragraphs of type ``note``; a drop capital is joined to the paragraph it opens. Dropped:
page-number, header, footer, catch-word and signature-mark regions. The page is the printed
number of the page-number region, else the number in the file's name.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from searchkit.formats.build import TextBlock
from searchkit.formats.collection import FileSettings
from searchkit.formats.ocr import is_furniture, join_lines, page_from_name, page_label
from searchkit.formats.package import attr, children, descendants, local, parse_xml
from searchkit.formats.pieces import NOTE, document
from searchkit.sources import Document

_CUSTOM_TYPE = re.compile(r"structure\s*\{[^}]*type:\s*([\w-]+)")


def read(path: Path, data: bytes, fs: FileSettings) -> Document:
    """Read a PAGE XML file."""
    root = parse_xml(data, str(path))
    pieces: list[TextBlock] = []
    for page in descendants(root, "Page"):
        pieces.extend(_page(page, path))
    return document(path, fs, {}, pieces, what="text regions")


def region_kind(region: Any) -> str:
    """A region's type: its ``type`` attribute, else the ``structure {type:…}`` of ``custom``."""
    kind = attr(region, "type")
    if not kind:
        m = _CUSTOM_TYPE.search(attr(region, "custom"))
        kind = m.group(1) if m else ""
    return kind.lower()


def _page(page: Any, path: Path) -> list[TextBlock]:
    regions = {attr(r, "id"): r for r in descendants(page, "TextRegion")}
    order = [attr(ref, "regionRef") for ref in _ordered_refs(page)]
    seen = set(order)
    order += [rid for rid in regions if rid not in seen]
    label = None
    for region in regions.values():
        if region_kind(region) in ("page-number", "pagenumber"):
            label = label or page_label(_text(region))
    label = label or page_from_name(path)
    pieces: list[TextBlock] = []
    section = ""
    capital = ""
    for rid in order:
        region = regions.get(rid)
        if region is None:
            continue
        kind = region_kind(region)
        text = _text(region)
        if not text or is_furniture(kind):
            continue
        if kind == "drop-capital":
            capital = text
            continue
        if kind in ("heading", "title"):
            section = text
            continue
        if capital:
            text, capital = capital + text, ""
        note = NOTE if kind.startswith(("footnote", "endnote")) else None
        pieces.append(TextBlock(text, label, section, region.sourceline or 0, note))
    return pieces


def _ordered_refs(page: Any) -> list[Any]:
    """Region references of the reading order, each ordered group sorted by its indexes."""
    order = next(iter(children(page, "ReadingOrder")), None)
    if order is None:
        return []
    found: list[Any] = []

    def visit(group: Any) -> None:
        items = [c for c in group if local(c.tag).startswith(("RegionRef", "OrderedGroup", "UnorderedGroup"))]
        if local(group.tag) == "OrderedGroup":
            items.sort(key=lambda c: int(attr(c, "index") or 0) if attr(c, "index").isdigit() else 0)
        for item in items:
            if attr(item, "regionRef") and local(item.tag).startswith("RegionRef"):
                found.append(item)
            elif attr(item, "regionRef"):  # a group that is itself a region
                found.append(item)
                visit(item)
            else:
                visit(item)

    visit(order)
    return found


def _equiv(el: Any) -> str:
    """The text of ``el``'s own ``TextEquiv`` (the first by index), or ''."""
    equivs = children(el, "TextEquiv")
    equivs.sort(key=lambda e: int(attr(e, "index")) if attr(e, "index").isdigit() else 0)
    for equiv in equivs:
        unicode = next(iter(children(equiv, "Unicode")), None)
        text = "".join(unicode.itertext()) if unicode is not None else ""
        if text.strip():
            return text
    return ""


def _text(region: Any) -> str:
    own = _equiv(region)
    if own:
        return join_lines(own.split("\n"))
    lines = []
    for line in children(region, "TextLine"):
        text = _equiv(line) or " ".join(_equiv(w) for w in children(line, "Word"))
        lines.append(text)
    return join_lines(lines)
