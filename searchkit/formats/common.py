"""Helpers shared by the format readers: decoding, blocks of lines, headings, dates in prose."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from searchkit.dates import DateRange, parse_date
from searchkit.errors import DateError, SourceError

_MONTHS = {
    m: i
    for i, m in enumerate(
        "january february march april may june july august september october november december".split(),
        start=1,
    )
}
#: "September 12, 1919" or "12 September 1919", anywhere in a string.
_PROSE_DATE = re.compile(
    r"\b(?:(?P<m1>[A-Z][a-z]+)\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y1>1[0-9]{3}|20[0-9]{2})"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m2>[A-Z][a-z]+)\.?,?\s+(?P<y2>1[0-9]{3}|20[0-9]{2}))\b"
)
_CHAPTER = re.compile(
    r"^(?:(?:CHAPTER|Chapter|BOOK|Book|PART|Part|APPENDIX|Appendix)\s+(?:[IVXLC]+|\d+)\b"
    r"|(?:PREFACE|Preface|INTRODUCTION|Introduction|APPENDIX|Appendix)\.?$)"
)


@dataclass(frozen=True)
class Block:
    """A run of non-blank lines: one paragraph, heading or speaker turn before joining."""

    line: int  #: 1-based line where the block starts
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        """The lines joined into one paragraph (hard wrapping undone)."""
        return join_lines(self.lines)

    @property
    def indented(self) -> bool:
        """True when every line starts with at least three spaces (a quoted document, a list)."""
        return all(line.startswith("   ") for line in self.lines)


def join_lines(lines: tuple[str, ...] | list[str]) -> str:
    """Join hard-wrapped lines; a word hyphenated at a line end keeps its hyphen."""
    return " ".join(" ".join(line.split()) for line in lines if line.strip())


def blocks(lines: list[str], start: int = 0, end: int | None = None, by_line: bool = False) -> list[Block]:
    """Blank-line separated blocks of ``lines[start:end]`` (or one block per line if ``by_line``)."""
    found: list[Block] = []
    buf: list[str] = []
    first = 0
    stop = len(lines) if end is None else end
    for i in range(start, stop):
        line = lines[i]
        if not line.strip() or by_line:
            if buf:
                found.append(Block(first, tuple(buf)))
                buf = []
            if not line.strip():
                continue
        if not buf:
            first = i + 1
        buf.append(line)
    if buf:
        found.append(Block(first, tuple(buf)))
    return found


def one_line_per_paragraph(lines: list[str]) -> bool:
    """True for text written one paragraph per line: most lines end a sentence, where hard-wrapped
    lines mostly break in the middle of one."""
    full = [line.rstrip() for line in lines if line.strip()]
    if len(full) < 3:
        return False
    ends = sum(1 for line in full if line.endswith((".", "!", "?", ":", ";", '"', "”", "’", ")")))
    return ends >= 0.6 * len(full)


def is_heading(block: Block) -> bool:
    """A chapter heading: 'Chapter I', 'CHAPTER IV', or a short line in capitals without a final '.'."""
    if len(block.lines) > 2:
        return False
    text = block.text
    if _CHAPTER.match(text) and len(text) < 100:
        return True
    letters = [c for c in text if c.isalpha()]
    return (
        len(text) < 80
        and len(letters) >= 3
        and all(c.isupper() for c in letters)
        and not text.endswith((".", ",", ";"))
    )


def is_chapter_label(text: str) -> bool:
    """True for 'CHAPTER I', 'Chapter 2.': a label that the next heading line may complete."""
    return bool(_CHAPTER.match(text)) and len(text.split()) <= 3


def prose_date(text: str) -> DateRange | None:
    """The first full date written in prose ('September 12, 1919', '7 November 1917'), or None."""
    for m in _PROSE_DATE.finditer(text):
        month = _MONTHS.get((m.group("m1") or m.group("m2")).lower())
        if month is None:
            continue
        day = int(m.group("d1") or m.group("d2"))
        year = int(m.group("y1") or m.group("y2"))
        try:
            return parse_date(dt.date(year, month, day).isoformat())
        except (DateError, ValueError):
            continue
    return None


def date_value(value: object, label: str) -> DateRange | None:
    """A date from metadata (a string or a YAML/CSV value); errors name ``label``."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, int):
        value = str(value)
    try:
        return parse_date(value)  # type: ignore[arg-type]
    except DateError as e:
        raise SourceError(f"{label}: {e}") from None


_SMALL = {"a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to"}


def title_case(text: str) -> str:
    """'INSIDE THE RUSSIAN REVOLUTION' -> 'Inside the Russian Revolution'."""
    words = text.lower().split()
    return " ".join(w if i and w in _SMALL else w[:1].upper() + w[1:] for i, w in enumerate(words))
