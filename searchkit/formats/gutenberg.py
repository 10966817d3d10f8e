"""Project Gutenberg e-texts: the licence header and footer are dropped, the rest is plain text
with chapter headings; title and author come from the header, the date from the title page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from searchkit.errors import SourceError
from searchkit.formats.assemble import assemble, make_defaults, resolve, uses_turns
from searchkit.formats.bibliographic import gutenberg_citation
from searchkit.formats.collection import FileSettings
from searchkit.formats.common import Block, blocks, is_heading, title_case
from searchkit.sources import Document

START = re.compile(r"^\s*\*{3}\s*START OF (?:THE|THIS) PROJECT GUTENBERG", re.IGNORECASE)
END = re.compile(
    r"^\s*(?:\*{3}\s*END OF (?:THE|THIS) PROJECT GUTENBERG|End of (?:the |this )?Project Gutenberg)", re.I
)
_FIELD = re.compile(r"^(?P<key>Title|Author|Language):\s*(?P<value>.*)$")
_BY = re.compile(r"^(?:by|BY|By)\s+(?P<name>[^\n]{3,60})$")
_YEAR = re.compile(r"^(?:1[5-9]\d\d|20\d\d)$")
_ROMAN_YEAR = re.compile(r"^M[MDCLXVI]{2,}\.?$")
#: Blocks that are the e-text's, not the book's.
_NOISE = re.compile(r"^(?:Produced by|E-text prepared by|\[Illustration|Transcriber’?'?s note|\+-{5,})", re.I)
_ROMAN = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}


def is_gutenberg(text: str) -> bool:
    """True when ``text`` has a Project Gutenberg start marker."""
    return any(START.match(line) for line in text[:40_000].split("\n"))


def read_gutenberg(path: Path, text: str, fs: FileSettings) -> Document:
    """Read a Project Gutenberg e-text (raises :class:`SourceError` without a start marker)."""
    lines = text.split("\n")
    start = next((i for i, line in enumerate(lines) if START.match(line)), None)
    if start is None:
        raise SourceError(
            f"{path}:1: no '*** START OF THE PROJECT GUTENBERG EBOOK' line; if it is not a"
            " Project Gutenberg e-text, index it with --format text"
        )
    end = next((i for i in range(start + 1, len(lines)) if END.match(lines[i])), len(lines))
    found = _header(lines[:start])
    body = [b for b in blocks(lines, start + 1, end) if not _NOISE.match(b.text)]
    found.update({k: v for k, v in _title_page(body[:40]).items() if k not in found})
    found["type"] = "transcript" if uses_turns(body, fs.settings) else "book"
    meta = resolve(fs, found, str(path))
    paragraphs = assemble(body, make_defaults(meta, fs))
    extra = {**gutenberg_citation(lines[:start]), **fs.extra}
    return Document(meta.id, fs.rel, meta.title, meta.author, meta.date, meta.type, paragraphs, extra)


def _header(lines: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    key = ""
    for line in lines:
        m = _FIELD.match(line.strip())
        if m:
            key = m.group("key").lower()
            found[key] = m.group("value").strip()
        elif key and line.startswith((" ", "\t")) and line.strip():
            found[key] += " " + line.strip()  # a wrapped header field
        else:
            key = ""
    found.pop("language", None)
    return {k: v for k, v in found.items() if v}


def _title_page(front: list[Block]) -> dict[str, Any]:
    """Author and year from the title page ("BY / RHETA CHILDE DORR", "1917", "MCMXIX")."""
    found: dict[str, Any] = {}
    for i, block in enumerate(front):
        text = block.text
        if "title" not in found and is_heading(block) and text.upper() != "CONTENTS":
            found["title"] = title_case(text) if text.isupper() else text
        by = _BY.match(text)
        if "author" not in found and (by or text in ("BY", "By", "by")):
            name = by.group("name") if by else (front[i + 1].text if i + 1 < len(front) else "")
            if name and len(name) < 60:
                found["author"] = name.title() if name.isupper() else name
        for line in (x.strip() for x in block.lines):
            if "date" not in found and _YEAR.match(line):
                found["date"] = line
            elif "date" not in found and _ROMAN_YEAR.match(line):
                found["date"] = str(_roman(line.rstrip(".")))
    return found


def _roman(numeral: str) -> int:
    values = [_ROMAN[c] for c in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
