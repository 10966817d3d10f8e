"""Tell a file's format from its first bytes: magic numbers, the members of a zip file, the root
element of XML and HTML. Nothing here imports a reader's library."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

#: How much of a file is looked at.
HEAD_BYTES = 64 * 1024

_ROOT = re.compile(
    rb"<(?![?!])(?:[\w.-]+:)?(?P<name>[\w.-]+)",  # the first start tag that is not <? or <!
)
_COMMENT = re.compile(rb"<!--.*?-->|<\?.*?\?>|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>", re.DOTALL | re.IGNORECASE)
#: Root elements of the XML formats searchkit reads.
XML_ROOTS = {"tei": "tei", "teicorpus": "tei", "alto": "alto", "pcgts": "page"}
_HOCR = re.compile(rb"class=[\"'][^\"']*\bocr(?:_page|x_word|_line)\b|name=[\"']ocr-system[\"']", re.I)


def sniff(path: Path, head: bytes) -> str | None:
    """The format ``head`` (the first bytes of the file at ``path``) shows, or None when the
    bytes say nothing (then the file name decides)."""
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return zip_format(path)
    if head.startswith(b"{\\rtf"):
        return "rtf"
    text = _ascii_head(head)
    if text is None:
        return None
    root = root_element(text)
    if root is None:
        return None
    if root == "html":
        return "hocr" if _HOCR.search(text) else "html"
    return XML_ROOTS.get(root)


def _ascii_head(head: bytes) -> bytes | None:
    """The head as bytes an ASCII regex can read (UTF-16 is turned to UTF-8), or None when it is
    not markup at all."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            head = head.decode("utf-16", "ignore").encode("utf-8")
        except UnicodeError:
            return None
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return stripped if stripped.startswith(b"<") else None


def root_element(text: bytes) -> str | None:
    """The local name of the first element, lower-cased ('tei', 'alto', 'pcgts', 'html')."""
    body = _COMMENT.sub(b"", text)
    m = _ROOT.search(body)
    return m.group("name").decode("ascii", "replace").lower() if m else None


def zip_format(path: Path) -> str | None:
    """'docx', 'odt' or 'epub' for a zip file of that kind, else None."""
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            mimetype = z.read("mimetype")[:100].strip() if "mimetype" in names else b""
    except (OSError, zipfile.BadZipFile, KeyError, RuntimeError, ValueError):
        return None
    if mimetype == b"application/epub+zip":
        return "epub"
    if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
        return "odt"
    if "word/document.xml" in names:
        return "docx"
    return None
