"""Rich Text Format ``.rtf``, read with striprtf (BSD-3).

Read: the text, one paragraph per ``\\par``; characters in the file's code page
(``\\ansicpgNNNN``, Windows-1252 by default) and ``\\uN`` escapes. Dropped: formatting, fonts,
pictures, fields' instructions, headers and footers. RTF has no reliable pages: none are cited.
Metadata, from the ``{\\info}`` group: title and author; ``created`` (``\\creatim``),
``subject`` and keywords go to ``extra``.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any

from searchkit.errors import SourceError
from searchkit.formats.build import TextBlock
from searchkit.formats.collection import FileSettings
from searchkit.formats.pieces import document
from searchkit.sources import Document

_CODEPAGE = re.compile(rb"\\ansicpg(\d+)")
_INFO = re.compile(r"\{\\(title|author|subject|keywords)\s+((?:[^{}\\]|\\[^{}]|\\[{}])*)\}")
_CREATED = re.compile(r"\\creatim\\yr(\d{4})(?:\\mo(\d{1,2}))?(?:\\dy(\d{1,2}))?")
_HEX = re.compile(r"\\'([0-9a-fA-F]{2})")
_UNICODE = re.compile(r"\\u(-?\d+)\??")


def read(path: Path, data: bytes, fs: FileSettings) -> Document:
    """Read an ``.rtf`` file."""
    from striprtf.striprtf import rtf_to_text

    if not data.lstrip().startswith(b"{\\rtf"):
        raise SourceError(
            f"Cannot read '{path}': not an RTF file (it does not start with '{{\\rtf')", reason="damaged"
        )
    m = _CODEPAGE.search(data[:2048])
    encoding = f"cp{int(m.group(1))}" if m else "cp1252"
    try:
        codecs.lookup(encoding)
    except LookupError:
        encoding = "cp1252"
    raw = data.decode(encoding, errors="replace")
    try:
        text = str(rtf_to_text(raw, encoding=encoding, errors="replace"))  # type: ignore[no-untyped-call]
    except (ValueError, IndexError, RecursionError) as e:
        raise SourceError(f"Cannot read '{path}': damaged RTF ({e})", reason="damaged") from None
    pieces = [TextBlock(line) for line in text.replace("\r", "\n").split("\n") if line.strip()]
    found, extra = _info(raw, encoding)
    return document(path, fs, found, pieces, extra)


def _info(raw: str, encoding: str) -> tuple[dict[str, Any], dict[str, Any]]:
    start = raw.find("{\\info")
    if start < 0:
        return {}, {}
    group = raw[start : start + 8192]
    values = {key: _unescape(value, encoding) for key, value in _INFO.findall(group)}
    created = None
    if m := _CREATED.search(group):
        created = "-".join(f"{int(p):02d}" if i else p for i, p in enumerate(m.groups()) if p)
    found = {"title": values.get("title"), "author": values.get("author")}
    extra = {"created": created, "subject": values.get("subject") or values.get("keywords")}
    return found, extra


def _unescape(value: str, encoding: str) -> str:
    value = _HEX.sub(lambda m: bytes([int(m.group(1), 16)]).decode(encoding, errors="replace"), value)
    value = _UNICODE.sub(lambda m: chr(int(m.group(1)) % 65536), value)
    return " ".join(value.replace("\\{", "{").replace("\\}", "}").replace("\\\\", "\\").split())
