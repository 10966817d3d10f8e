"""A CSV catalogue: one row per text file, with its metadata.

The columns ``path``, ``title``, ``author``, ``date`` and ``type`` are required (a cell may be
empty); any other column is kept with the document as extra metadata. ``path`` is relative to
the collection folder.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from searchkit.errors import SourceError
from searchkit.formats.common import date_value

REQUIRED = ("path", "title", "author", "date", "type")


@dataclass(frozen=True)
class Row:
    line: int
    meta: dict[str, str]  #: title, author, date, type
    extra: dict[str, str]


@dataclass
class Catalogue:
    path: Path
    sha256: str
    rows: dict[str, Row] = field(default_factory=dict)  #: by path inside the collection
    problems: list[str] = field(default_factory=list)  #: bad rows and rows without a file


def read_catalogue(path: Path, folder: Path) -> Catalogue:
    """Read the catalogue at ``path`` for the collection ``folder``.

    A missing column is fatal (:class:`SourceError`); a bad row or a row without a file is
    recorded in ``problems`` and the rest of the catalogue is used.
    """
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except OSError as e:
        raise SourceError(f"Cannot read catalogue '{path}': {e.strerror or e}") from None
    except UnicodeDecodeError as e:
        raise SourceError(
            f"Cannot read catalogue '{path}': not UTF-8 (offset {e.start}); convert it to UTF-8"
        ) from None
    cat = Catalogue(path, hashlib.sha256(raw).hexdigest())
    reader = csv.reader(text.splitlines())
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise SourceError(
            f"{path}:1: catalogue has no '{missing[0]}' column; it needs {', '.join(REQUIRED)}"
            f" (found: {', '.join(header) or 'nothing'})"
        )
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            cat.problems.append(f"{path}:{line}: row has {len(cells)} cells, the header has {len(header)}")
            continue
        row: dict[str, Any] = {h: c.strip() for h, c in zip(header, cells, strict=True)}
        rel = row.pop("path").replace("\\", "/")
        if not rel:
            cat.problems.append(f"{path}:{line}: row has no path")
            continue
        try:
            date_value(row["date"], f"{path}:{line}")
        except SourceError as e:
            cat.problems.append(str(e))
            continue
        if rel in cat.rows:
            cat.problems.append(f"{path}:{line}: '{rel}' is already catalogued on line {cat.rows[rel].line}")
            continue
        if not (folder / rel).is_file():
            cat.problems.append(f"{path}:{line}: '{rel}' is catalogued but there is no such file")
        meta = {k: row.pop(k) for k in REQUIRED[1:]}
        cat.rows[rel] = Row(line, meta, {k: v for k, v in row.items() if v})
    return cat
