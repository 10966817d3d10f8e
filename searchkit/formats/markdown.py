"""searchkit's own format (YAML front matter, blank-line paragraphs, ``:::`` blocks), with the
collection's catalogue, defaults and people applied on top."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from searchkit.formats.assemble import resolve
from searchkit.formats.collection import FileSettings
from searchkit.sources import UNKNOWN, Document, parse_document


def read_markdown(path: Path, text: str, fs: FileSettings) -> Document:
    """Read a file in the Markdown/YAML format."""
    doc = parse_document(text, fs.rel, label=str(path))
    if not (fs.overrides or fs.defaults or fs.people or fs.extra):
        return doc
    found: dict[str, Any] = {
        "title": doc.title if doc.title != Path(fs.rel).stem else None,
        "author": doc.author if doc.author != UNKNOWN else None,
        "date": doc.date.text if doc.date else None,
        "type": doc.type if doc.type != UNKNOWN else None,
        "speaker": doc.speaker if doc.paragraphs and doc.speaker != doc.author else None,
    }
    meta = resolve(fs, found, str(path))
    first_speaker = doc.speaker
    paragraphs = tuple(
        dataclasses.replace(
            p,
            speaker=meta.speaker if p.speaker == first_speaker else p.speaker,
            date=meta.date if p.date == doc.date else p.date,
            type=meta.type if p.type == doc.type else p.type,
        )
        for p in doc.paragraphs
    )
    return dataclasses.replace(
        doc,
        title=meta.title,
        author=meta.author,
        date=meta.date,
        type=meta.type,
        paragraphs=paragraphs,
        extra={**fs.extra, **doc.extra},
    )
