"""Paragraphs from the text lines of a PDF's pages: running headers, footers and page numbers
dropped, line-end hyphens joined, paragraphs rebuilt from first-line indents, vertical gaps and
short last lines, and a paragraph that runs over a page break kept whole (cited to the page where
it starts). Nothing here knows which library gave the lines."""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from searchkit.formats.build import TextBlock

#: pdfium's marks of a line-end hyphen (U+FFFE in page text, U+0002 in some APIs), and the soft
#: hyphen, which typesetters put where they broke a word.
HYPHEN_MARKS = ("\ufffe", "\x02", "\u00ad")
#: The top and bottom bands of a page, as a share of its height, where headers and footers are.
BAND = 0.1
_PAGE_NUMBER = re.compile(r"^(?:[-–—(\[]\s*)?(?:page\s+)?(?:\d{1,5}|[ivxlcdm]{1,8})(?:\s*[-–—)\]])?$", re.I)
_SENTENCE_END = (".", "!", "?", ":", ";", '"', "”", "’", ")", "»")


@dataclass
class Line:
    """One line of text on a page, with its box in PDF units (y grows upwards)."""

    text: str
    left: float
    bottom: float
    right: float
    top: float

    @property
    def size(self) -> float:
        return max(self.top - self.bottom, 0.1)


@dataclass
class Page:
    label: str  #: the page label as printed ("xii", "214"), else the page number
    height: float
    lines: list[Line]


def _shape(text: str) -> str:
    """What a running header or footer keeps from page to page: digits and case do not count."""
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def drop_furniture(pages: list[Page]) -> None:
    """Remove running headers and footers (lines of the same shape in the top or bottom band of
    several pages) and page numbers (a number alone in a band), in place."""
    in_band: Counter[str] = Counter()
    for page in pages:
        seen = {_shape(line.text) for line in page.lines if _band(page, line)}
        in_band.update(seen)
    repeated = max(2, min(3, len(pages) // 2))
    for page in pages:
        ends = _top_and_bottom(page.lines)
        page.lines = [
            line
            for line in page.lines
            if not (
                (_band(page, line) and in_band[_shape(line.text)] >= repeated)
                or (
                    (_band(page, line) or id(line) in ends)
                    and (_PAGE_NUMBER.match(line.text.strip()) or line.text.strip() == page.label)
                )
            )
        ]


def _top_and_bottom(lines: list[Line]) -> set[int]:
    """The topmost and bottommost lines of a page (where a page number is, whatever the margins)."""
    if not lines:
        return set()
    return {id(max(lines, key=lambda x: x.top)), id(min(lines, key=lambda x: x.bottom))}


def _band(page: Page, line: Line) -> bool:
    middle = (line.top + line.bottom) / 2
    return middle > page.height * (1 - BAND) or middle < page.height * BAND


def paragraphs(pages: Iterable[Page]) -> list[TextBlock]:
    """The paragraphs of ``pages`` (furniture already dropped), each cited to its start page."""
    out: list[TextBlock] = []
    parts: list[str] = []
    start: tuple[str, int] = ("", 0)
    prev: Line | None = None
    prev_column: tuple[float, float] = (0.0, 0.0)

    def flush() -> None:
        nonlocal parts
        text = unicodedata.normalize("NFKC", join_hyphens(parts)).strip()
        if text:
            out.append(TextBlock(" ".join(text.split()), page=start[0], line=start[1]))
        parts = []

    for page in pages:
        gap = _usual_gap(page.lines)
        for number, line in enumerate(page.lines, start=1):
            column = _column(page.lines, line)
            if prev is None or _breaks(prev, prev_column, line, column, gap, new_page=number == 1):
                flush()
                start = (page.label, number)
            parts.append(line.text)
            prev, prev_column = line, column
    flush()
    return out


def _usual_gap(lines: list[Line]) -> float:
    """The usual distance between the baselines of consecutive lines of a page."""
    gaps = [
        a.bottom - b.bottom
        for a, b in zip(lines, lines[1:], strict=False)
        if 0 < a.bottom - b.bottom < 4 * a.size and _overlap(a, b)
    ]
    return statistics.median(gaps) if gaps else 0.0


def _overlap(a: Line, b: Line) -> bool:
    return a.left < b.right and b.left < a.right


def _column(lines: list[Line], line: Line) -> tuple[float, float]:
    """The left and right edges of the column ``line`` is in: the edges most lines that overlap
    it share (an indented first line or a short last line does not move them)."""
    near = [other for other in lines if _overlap(other, line) and abs(other.size - line.size) < 2]
    lefts = Counter(round(other.left) for other in near)
    rights = sorted(other.right for other in near)
    left = min((x for x, n in lefts.items() if n >= 2), default=round(line.left))
    right = rights[int(len(rights) * 0.9)] if len(rights) >= 3 else max(rights, default=line.right)
    return float(left), right


def _breaks(
    prev: Line,
    prev_column: tuple[float, float],
    line: Line,
    column: tuple[float, float],
    gap: float,
    new_page: bool,
) -> bool:
    """Whether ``line`` starts a new paragraph after ``prev``."""
    width = max(prev_column[1] - prev_column[0], 1.0)
    short = prev.right < prev_column[1] - max(0.12 * width, 3 * prev.size)
    ended = prev.text.rstrip().endswith(_SENTENCE_END)
    if short and ended:
        return True  # a short last line
    if prev.right - prev.left < 0.6 * width and not prev.text.endswith((*HYPHEN_MARKS, "-", ",")):
        if line.text[:1].isupper() or line.text[:1].isdigit():
            return True  # a heading or a line of its own
    if line.left > column[0] + 0.8 * line.size and line.right > column[0] + 0.5 * (column[1] - column[0]):
        return True  # a first-line indent (a full line that starts further in)
    if abs(line.size - prev.size) > 0.25 * max(line.size, prev.size):
        return True  # a heading: another size of type
    same_column = _overlap(prev, line) and line.top < prev.bottom + prev.size
    if new_page or not same_column:
        return False  # the paragraph may go on in the next column or on the next page
    return bool(gap) and prev.bottom - line.bottom > 1.4 * gap


def join_hyphens(parts: list[str]) -> str:
    """Join lines: a line ending in pdfium's hyphen mark, a soft hyphen, or (by rule) a '-' after
    a letter loses the hyphen when the next line starts in lower case ("inter-" "national"); before
    a capital the hyphen stays ("New-" "York" -> "New-York"). Other lines are joined by a space."""
    out = ""
    for raw in parts:
        text = " ".join(raw.split())
        if not text:
            continue
        if out.endswith(HYPHEN_MARKS) or (len(out) > 1 and out.endswith("-") and out[-2].isalpha()):
            stem = out[:-1]
            soft = out.endswith("\u00ad")
            out = stem + text if soft or text[:1].islower() else stem + "-" + text
        else:
            out = f"{out} {text}" if out else text
    for mark in HYPHEN_MARKS:
        out = out.replace(mark, "-" if mark == "\ufffe" else "")
    return out
