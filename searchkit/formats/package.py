"""Safe reading of packaged and XML formats: ZIP containers (DOCX, ODT, EPUB) and XML parts.

Every limit here turns hostile or broken input into a one-line :class:`SourceError` naming the
file, before anything large is read:

* a ZIP whose members declare more than :data:`MAX_UNPACKED_BYTES` in all, or whose member
  unpacks more than :data:`MAX_RATIO` times its packed size (a zip bomb), is refused from its
  directory alone; the bytes actually unpacked are counted too, since declared sizes can lie;
* XML is parsed by lxml without resolving entities (billion laughs), without loading DTDs or
  anything from the network (external entities), and without ``huge_tree``.

lxml is imported on first use, so that searching a Markdown collection never loads it.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

from searchkit.errors import SourceError

#: Most bytes all members of one package may unpack to.
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
#: Most bytes one member may unpack to.
MAX_MEMBER_BYTES = 64 * 1024 * 1024
#: Highest unpacked/packed ratio of a member bigger than :data:`RATIO_FLOOR` (text packs 3-10x).
MAX_RATIO = 200
RATIO_FLOOR = 1024 * 1024

_SPACE = re.compile(r"\s+")


def open_package(path: Path, data: bytes, kind: str) -> zipfile.ZipFile:
    """``data`` (the bytes of ``path``) as a ZIP package of ``kind`` ("Word", "EPUB"…), its
    directory checked against the size limits."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise SourceError(
            f"Cannot read '{path}': not a readable {kind} file (the ZIP container is damaged or"
            f" truncated: {e}); open and save it again, or check the extension",
            reason="damaged",
        ) from None
    total = 0
    for info in package.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER_BYTES or (info.file_size > RATIO_FLOOR and ratio > MAX_RATIO):
            raise SourceError(
                f"Not reading '{path}': its part '{info.filename}' would unpack to"
                f" {info.file_size:,} bytes from {info.compress_size:,} (a zip bomb?)",
                reason="zip bomb",
            )
    if total > MAX_UNPACKED_BYTES:
        raise SourceError(
            f"Not reading '{path}': it would unpack to {total:,} bytes, more than searchkit's"
            f" limit of {MAX_UNPACKED_BYTES:,}",
            reason="zip bomb",
        )
    return package


def has_member(package: zipfile.ZipFile, name: str) -> bool:
    try:
        package.getinfo(name)
    except KeyError:
        return False
    return True


def read_member(package: zipfile.ZipFile, name: str, path: Path) -> bytes:
    """The unpacked bytes of member ``name``, reading no more than its declared size allows."""
    try:
        info = package.getinfo(name)
    except KeyError:
        raise SourceError(
            f"Cannot read '{path}': it has no '{name}'; is it damaged?", reason="damaged"
        ) from None
    limit = min(info.file_size, MAX_MEMBER_BYTES)
    out = bytearray()
    try:
        with package.open(info) as member:
            while chunk := member.read(1 << 20):
                out += chunk
                if len(out) > limit:
                    raise SourceError(
                        f"Not reading '{path}': its part '{name}' unpacks to more than it declares",
                        reason="zip bomb",
                    )
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as e:
        raise SourceError(
            f"Cannot read '{path}': its part '{name}' is damaged ({e})", reason="damaged"
        ) from None
    return bytes(out)


def parse_xml(data: bytes, label: str) -> Any:
    """The root element of the XML ``data``; ``label`` names the file (and part) in errors."""
    from lxml import etree

    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        line = e.position[0] if e.position else 1
        if "amplification" in e.msg or "entity" in e.msg.lower() and "loop" in e.msg.lower():
            raise SourceError(
                f"Not reading '{label}': its entities would expand without end (billion laughs?)",
                reason="hostile XML",
            ) from None
        raise SourceError(
            f"{label}:{line}: broken XML: {e.msg}; fix or re-export the file", reason="damaged"
        ) from None
    if root is None:
        raise SourceError(f"{label}: no XML in it", reason="damaged")
    return root


def parse_html(data: bytes | str, label: str) -> Any:
    """The root element of HTML (or XHTML that is not well-formed XML)."""
    from lxml import etree, html

    try:
        return html.document_fromstring(data, parser=html.HTMLParser(no_network=True, huge_tree=False))
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise SourceError(f"Cannot read '{label}': not HTML ({e})", reason="damaged") from None


def local(tag: object) -> str:
    """An element's name without its namespace ('' for comments and entities)."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def attr(el: Any, name: str) -> str:
    """Attribute ``name`` of ``el`` in any namespace ('' if absent)."""
    value = el.get(name)
    if value is not None:
        return str(value)
    for key, value in el.attrib.items():
        if local(key) == name:
            return str(value)
    return ""


def children(el: Any, name: str) -> list[Any]:
    """The child elements of ``el`` named ``name``, in any namespace."""
    return [c for c in el if local(c.tag) == name]


def descendants(el: Any, name: str) -> list[Any]:
    """Every element below ``el`` named ``name``, in any namespace, in document order."""
    return [d for d in el.iter() if local(d.tag) == name]


def first_text(el: Any, *names: str) -> str:
    """The text of the first descendant named one of ``names`` that has any."""
    for name in names:
        for d in descendants(el, name):
            text = squeeze("".join(d.itertext()))
            if text:
                return text
    return ""


def squeeze(text: str) -> str:
    """Runs of white space as one space, NFC; the characters themselves are kept as printed
    (long s, ligatures and soft hyphens are folded for search by the analyzer, not here)."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
