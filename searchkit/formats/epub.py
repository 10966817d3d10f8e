"""EPUB 2 and 3 books, read with zipfile and lxml (EbookLib is AGPL: not used).

Read: the content documents in spine order (the navigation document and ``<nav>`` elements
left out); blocks as paragraphs (see :mod:`searchkit.formats.xhtml`); headings, or the table of
contents' entry for a file, as the ``section``; printed page numbers from page-break markers
(``epub:type="pagebreak"``) or the page list (EPUB 3 ``nav`` or EPUB 2 NCX ``pageList``) as the
page; footnotes and endnotes (``epub:type="footnote"`` …) as paragraphs of type ``note``.
Dropped: scripts, styles, images, note reference marks, the page numbers' own text.
Metadata (the OPF package's Dublin Core): title, creators with the author role (author),
``dc:date`` (date); publisher, language, identifier, isbn, subject, translator, editor,
contributors and modified go to ``extra``. A book whose ``META-INF/encryption.xml`` encrypts
more than fonts (font obfuscation is allowed), or that carries Adobe or Apple rights files,
is DRM-protected: it is refused by name.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from searchkit.errors import SourceError
from searchkit.formats.collection import FileSettings
from searchkit.formats.package import (
    attr,
    children,
    descendants,
    has_member,
    local,
    open_package,
    parse_html,
    parse_xml,
    read_member,
    squeeze,
)
from searchkit.formats.pieces import document, plain_date
from searchkit.formats.xhtml import Walk, epub_type, walk_body
from searchkit.sources import Document

#: Encryption that only obfuscates embedded fonts (IDPF and Adobe): the text is readable.
FONT_OBFUSCATION = ("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC")
_RIGHTS_FILES = ("META-INF/rights.xml", "META-INF/sinf.xml")
_CONTENT_TYPES = ("application/xhtml+xml", "text/html", "application/xml", "text/xml")
_ISBN = re.compile(r"^(?:urn:isbn:)?((?:97[89])?[\d-]{9,}[\dXx])$", re.IGNORECASE)


def read(path: Path, data: bytes, fs: FileSettings) -> Document:
    """Read an ``.epub`` file."""
    package = open_package(path, data, "EPUB")
    _refuse_drm(package, path)
    opf_name = _rootfile(package, path)
    opf = parse_xml(read_member(package, opf_name, path), f"{path}:{opf_name}")
    folder = posixpath.dirname(opf_name)
    manifest: dict[str, tuple[str, str, str]] = {}
    for item in descendants(opf, "item"):
        href = posixpath.normpath(posixpath.join(folder, unquote(attr(item, "href"))))
        manifest[attr(item, "id")] = (href, attr(item, "media-type"), attr(item, "properties"))
    spine = next(iter(descendants(opf, "spine")), None)
    toc, pages = _navigation(package, path, manifest, spine)
    walk = Walk(pages)
    for ref in descendants(spine, "itemref") if spine is not None else []:
        href, media, props = manifest.get(attr(ref, "idref"), ("", "", ""))
        if not href or "nav" in props.split() or media not in _CONTENT_TYPES or not has_member(package, href):
            continue
        root = _content(read_member(package, href, path), f"{path}:{href}")
        body = next((el for el in root.iter() if local(el.tag).lower() == "body"), None)
        walk.pages = {k.split("#", 1)[1]: v for k, v in pages.items() if k.split("#", 1)[0] == href}
        walk.section = toc.get(href, walk.section)
        if body is not None:
            walk_body(body, walk)
    found, extra = _metadata(opf)
    return document(path, fs, found, walk.pieces, extra)


def _refuse_drm(package: zipfile.ZipFile, path: Path) -> None:
    for name in _RIGHTS_FILES:
        if has_member(package, name):
            raise SourceError(
                f"Not reading '{path}': it is DRM-protected ({name}); index a DRM-free copy", reason="DRM"
            )
    if not has_member(package, "META-INF/encryption.xml"):
        return
    root = parse_xml(read_member(package, "META-INF/encryption.xml", path), f"{path}:META-INF/encryption.xml")
    for method in descendants(root, "EncryptionMethod"):
        if attr(method, "Algorithm") not in FONT_OBFUSCATION:
            raise SourceError(
                f"Not reading '{path}': it is DRM-protected (META-INF/encryption.xml encrypts its"
                " text); index a DRM-free copy",
                reason="DRM",
            )


def _rootfile(package: zipfile.ZipFile, path: Path) -> str:
    if has_member(package, "META-INF/container.xml"):
        root = parse_xml(
            read_member(package, "META-INF/container.xml", path), f"{path}:META-INF/container.xml"
        )
        for rootfile in descendants(root, "rootfile"):
            if attr(rootfile, "media-type") in ("", "application/oebps-package+xml"):
                return unquote(attr(rootfile, "full-path"))
    found = [n for n in package.namelist() if n.endswith(".opf")]
    if not found:
        raise SourceError(
            f"Cannot read '{path}': no package document (.opf) in it; is it an EPUB?", reason="damaged"
        )
    return found[0]


def _content(data: bytes, label: str) -> Any:
    """A content document: XHTML, or tag soup saved as .html by a careless tool."""
    try:
        root = parse_xml(data, label)
    except SourceError:
        return parse_html(data, label)
    if any(not isinstance(node.tag, str) and node.tag.__name__ == "Entity" for node in root.iter()):
        return parse_html(data, label)  # &nbsp; and friends: HTML knows them, XML without the DTD does not
    return root


def _navigation(
    package: zipfile.ZipFile, path: Path, manifest: dict[str, tuple[str, str, str]], spine: Any
) -> tuple[dict[str, str], dict[str, str]]:
    """(file -> its first table-of-contents title, 'file#id' -> page label), from the EPUB 3
    navigation document, else the EPUB 2 NCX."""
    toc: dict[str, str] = {}
    pages: dict[str, str] = {}
    nav = next((h for h, _, p in manifest.values() if "nav" in p.split()), None)
    if nav and has_member(package, nav):
        root = _content(read_member(package, nav, path), f"{path}:{nav}")
        for el in root.iter():
            if local(el.tag).lower() != "nav":
                continue
            kind = "pages" if "page-list" in epub_type(el) else "toc" if "toc" in epub_type(el) else ""
            for a in (d for d in el.iter() if local(d.tag).lower() == "a" and d.get("href")):
                target = _resolve(nav, a.get("href"))
                label = squeeze("".join(a.itertext()))
                if kind == "pages" and "#" in target:
                    pages[target] = label
                elif kind == "toc":
                    toc.setdefault(target.split("#", 1)[0], label)
    ncx_id = spine.get("toc") if spine is not None else None
    ncx = manifest.get(ncx_id or "", ("", "", ""))[0] or next(
        (h for h, m, _ in manifest.values() if m == "application/x-dtbncx+xml"), ""
    )
    if ncx and has_member(package, ncx) and not (toc and pages):
        root = parse_xml(read_member(package, ncx, path), f"{path}:{ncx}")
        for point in descendants(root, "navPoint"):
            _ncx_entry(point, ncx, toc)
        for target in descendants(root, "pageTarget"):
            _ncx_entry(target, ncx, pages, whole=True)
    return toc, pages


def _ncx_entry(point: Any, ncx: str, into: dict[str, str], whole: bool = False) -> None:
    label = next((squeeze("".join(t.itertext())) for t in descendants(point, "text")), "")
    src = next((attr(c, "src") for c in children(point, "content")), "")
    if label and src:
        target = _resolve(ncx, src)
        if whole:
            if "#" in target:
                into.setdefault(target, label)
        else:
            into.setdefault(target.split("#", 1)[0], label)


def _resolve(base: str, href: str) -> str:
    where, _, frag = unquote(href).partition("#")
    full = posixpath.normpath(posixpath.join(posixpath.dirname(base), where)) if where else base
    return f"{full}#{frag}" if frag else full


def _metadata(opf: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    meta = next(iter(descendants(opf, "metadata")), None)
    if meta is None:
        return {}, {}
    refines: dict[tuple[str, str], str] = {}
    for el in descendants(meta, "meta"):
        if attr(el, "refines") and attr(el, "property"):
            refines[(attr(el, "refines").lstrip("#"), attr(el, "property"))] = squeeze(el.text or "")
    people: dict[str, list[str]] = {"aut": [], "trl": [], "edt": [], "other": []}
    for el in meta.iter():
        if local(el.tag) not in ("creator", "contributor"):
            continue
        name = squeeze("".join(el.itertext()))
        role = attr(el, "role") or refines.get((el.get("id") or "", "role"), "")
        role = role or ("aut" if local(el.tag) == "creator" else "other")
        people.get(role, people["other"]).append(name)

    def dc(name: str) -> list[str]:
        return [t for t in (squeeze("".join(el.itertext())) for el in descendants(meta, name)) if t]

    identifiers = dc("identifier")
    isbn = next((m.group(1) for i in identifiers if (m := _ISBN.match(i.replace(" ", "")))), None)
    modified = next(
        (
            squeeze(el.text or "")
            for el in descendants(meta, "meta")
            if attr(el, "property") == "dcterms:modified"
        ),
        None,
    )
    found = {
        "title": next(iter(dc("title")), None),
        "author": " and ".join(people["aut"]) or None,
        "date": plain_date(next(iter(dc("date")), None)),
    }
    extra = {
        "publisher": "; ".join(dc("publisher")),
        "language": "; ".join(dc("language")),
        "identifier": next(iter(identifiers), None),
        "isbn": isbn,
        "subject": "; ".join(dc("subject")),
        "translator": " and ".join(people["trl"]),
        "editor": " and ".join(people["edt"]),
        "contributors": "; ".join(people["other"]),
        "modified": modified,
    }
    return found, extra
