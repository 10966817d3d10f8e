"""What the OCR readers (ALTO, PAGE, hOCR) share: rejoining lines, page labels, region kinds.

OCR output is printed pages line by line. A paragraph is its lines joined with spaces, except
that a word broken over a line end ("Men-" / "ſchen", with "-", "¬" or "⸗") is rejoined without
its hyphen when the next line goes on in lower case; a hyphen before a capital is a real one
("New-" / "York" gives "New-York"). Where the markup says how a word was broken (ALTO
``HYP``, ``SUBS_CONTENT``), the readers use that instead of this rule.
"""

from __future__ import annotations

import re
from pathlib import Path

#: Kinds of region that are furniture of the printed page, not its text.
FURNITURE = ("page-number", "pagenumber", "header", "footer", "catch-word", "catchword", "signature-mark")
#: Characters that mark a word broken at a line end.
LINE_HYPHENS = ("-", "¬", "⸗", "‐", "\u00ad")
_DIGITS = re.compile(r"(\d+)(?!.*\d)")
_PAGE_LABEL = re.compile(r"^[\[(]?\s*(\d{1,5}|[ivxlcdm]{1,8})\s*[.)\]]?$", re.IGNORECASE)


def join_lines(lines: list[str]) -> str:
    """One paragraph from its printed lines, rejoining words broken at line ends."""
    out = ""
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith(LINE_HYPHENS) and not out.endswith("--"):
            # lower case goes on: a broken word; else a real hyphen ("New-" / "York"), kept
            out = out[:-1] + line if line[:1].islower() else out + line
        else:
            out = f"{out} {line}"
    return out


def page_from_name(path: Path) -> str | None:
    """The page number a file's name gives ('PAGE_0017.xml' -> '17'), or None."""
    m = _DIGITS.search(path.stem)
    return str(int(m.group(1))) if m else None


def page_label(text: str) -> str | None:
    """A printed page number as the page shows it ('481', '[12]', 'xiv'), or None."""
    m = _PAGE_LABEL.match(text.strip())
    return m.group(1) if m else None


def is_furniture(kind: str) -> bool:
    """True for a page number, running header or footer, catch-word or signature mark."""
    kind = kind.lower().replace("_", "-")
    return any(f in kind for f in FURNITURE)
