"""Plain text: paragraphs separated by blank lines, or one paragraph per line.

Metadata comes from the catalogue, the collection settings and the file name: by default a
name such as ``1917-11-07-Trotsky.txt`` or ``1965-Johnson-2.txt`` gives the date and the author.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from searchkit.errors import SourceError
from searchkit.formats.assemble import assemble, make_defaults, resolve, uses_turns
from searchkit.formats.collection import FileSettings
from searchkit.formats.common import blocks, is_heading, one_line_per_paragraph, title_case
from searchkit.sources import Document

#: A date, then a name, then perhaps a number: "1965-Johnson-2", "1917-11-07_Lenin".
DEFAULT_FILENAME = r"^(?P<date>\d{4}(?:-\d{2}){0,2})[-_ ](?P<author>[^\W\d_][\w .'’]*?)(?:[-_ ]\d+)?$"


def filename_meta(stem: str, pattern: str | None, label: str) -> dict[str, Any]:
    """Metadata from a file name (without its extension), by the named groups of ``pattern``."""
    try:
        regex = re.compile(pattern or DEFAULT_FILENAME)
    except re.error as e:
        raise SourceError(
            f"{label}: invalid file-name pattern '{pattern}': {e}; write a Python regex"
        ) from None
    m = regex.search(stem)
    if not m:
        return {}
    return {k: v.replace("_", " ") for k, v in m.groupdict().items() if v}


def read_plain(path: Path, text: str, fs: FileSettings) -> Document:
    """Read a plain-text file."""
    lines = text.split("\n")
    found = filename_meta(path.stem, fs.settings.get("filename"), str(path))
    mode = fs.settings.get("paragraphs", "auto")
    by_line = mode == "lines" or (mode == "auto" and one_line_per_paragraph(lines))
    found_blocks = blocks(lines, by_line=by_line)
    if found_blocks and is_heading(found_blocks[0]) and "title" not in found:
        heading = found_blocks[0].text  # a title line: "PRESIDENT TRUMAN'S ANNUAL MESSAGE …"
        found["title"] = title_case(heading) if heading.isupper() else heading
    if uses_turns(found_blocks, fs.settings):
        found.setdefault("type", "transcript")
    meta = resolve(fs, found, str(path))
    paragraphs = assemble(found_blocks, make_defaults(meta, fs))
    return Document(
        meta.id, fs.rel, meta.title, meta.author, meta.date, meta.type, paragraphs, dict(fs.extra)
    )
