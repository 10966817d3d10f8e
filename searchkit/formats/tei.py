"""TEI P5 XML: metadata from the teiHeader, paragraphs from ``<p>`` (and ``<l>`` groups), speakers
from ``<sp>``, dates from ``<date when>``; notes become paragraphs of their own, and of the
apparatus only the reading text is kept (``<lem>``, ``<reg>``, ``<expan>``, ``<corr>``)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from xml.parsers import expat

from searchkit.dates import DateRange
from searchkit.errors import SourceError
from searchkit.formats.assemble import resolve
from searchkit.formats.bibliographic import tei_citation
from searchkit.formats.collection import FileSettings
from searchkit.formats.common import date_value
from searchkit.formats.transcript import SpeakerLabels
from searchkit.sources import Document, Paragraph

NS = "http://www.tei-c.org/ns/1.0"
_LINE = "{searchkit}line"
#: Elements whose text is not part of the reading text.
_SKIP = {"rdg", "orig", "abbr", "sic", "del", "fw", "speaker", "head", "figDesc", "note", "bibl"}
_PARA = {"p", "lg", "ab"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_xml(text: str, label: str) -> ET.Element:
    """Parse XML into an ElementTree, remembering each element's line (as ``_LINE``)."""
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")

    def start(tag: str, attrs: dict[str, str]) -> None:
        name = "{" + tag if "}" in tag else tag
        el = builder.start(name, {("{" + k if "}" in k else k): v for k, v in attrs.items()})
        el.set(_LINE, str(parser.CurrentLineNumber))

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end("{" + tag if "}" in tag else tag)
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(text, True)
    except expat.ExpatError as e:
        raise SourceError(
            f"{label}:{e.lineno}: broken XML: {expat.errors.messages[e.code]} at column {e.offset + 1};"
            " fix the markup"
        ) from None
    return builder.close()


@dataclass
class _State:
    speaker: str
    date: DateRange | None
    type: str
    section: str


def read_tei(path: Path, text: str, fs: FileSettings) -> Document:
    """Read a TEI P5 file."""
    label = str(path)
    root = parse_xml(text, label)
    if _local(root.tag) not in ("TEI", "TEI.2", "teiCorpus"):
        raise SourceError(f"{label}:1: root element is <{_local(root.tag)}>, not <TEI>; is it a TEI file?")
    header = _find(root, "teiHeader")
    found = _header(header, label) if header is not None else {}
    body = _find(root, "text")
    if "date" not in found and body is not None:
        found.update(_dateline(body))
    meta = resolve(fs, found, label)
    people = _people(header) if header is not None else {}
    labels = SpeakerLabels(None, {**people, **fs.people})
    paragraphs: list[Paragraph] = []
    if body is not None:
        state = _State(meta.speaker, meta.date, meta.type, "")
        for para in _walk(body, state, labels, label):
            paragraphs.append(replace(para, number=len(paragraphs) + 1))
    extra = {**tei_citation(header), **fs.extra}
    return Document(meta.id, fs.rel, meta.title, meta.author, meta.date, meta.type, tuple(paragraphs), extra)


def _find(el: ET.Element, name: str) -> ET.Element | None:
    for child in el.iter():
        if _local(child.tag) == name:
            return child
    return None


def _text(el: ET.Element) -> str:
    """The reading text of ``el``: apparatus variants, original spellings and notes left out."""
    parts: list[str] = [el.text or ""]
    for child in el:
        name = _local(child.tag)
        if name == "lb" or name == "l":
            parts.append(" ")
        if name not in _SKIP:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _header(header: ET.Element, label: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    title_stmt = _find(header, "titleStmt")
    if title_stmt is not None:
        for key in ("title", "author"):
            el = _find(title_stmt, key)
            if el is not None and _text(el):
                found[key] = _text(el)
    for where in ("creation", "sourceDesc", "publicationStmt"):
        place = _find(header, where)
        date = _find(place, "date") if place is not None else None
        if date is not None and (date.get("when") or date.get("from") or date.get("notBefore")):
            found["date"] = date.get("when") or date.get("from") or date.get("notBefore")
            break
    term = _find(header, "textClass")
    if term is not None:
        t = _find(term, "term")
        if t is not None and _text(t):
            found["type"] = _text(t)
    return found


def _dateline(body: ET.Element) -> dict[str, Any]:
    """The first ``<date when>`` of an ``<opener>``, ``<dateline>`` or ``<docDate>``: a letter's date."""
    for el in body.iter():
        if _local(el.tag) in ("opener", "dateline", "docDate"):
            for d in el.iter():
                if d.get("when"):
                    return {"date": d.get("when")}
    return {}


def _people(header: ET.Element) -> dict[str, str]:
    """``#id`` and ``id`` of each ``<person>`` to its ``<persName>``."""
    names: dict[str, str] = {}
    for el in header.iter():
        if _local(el.tag) == "person":
            pid = el.get("{http://www.w3.org/XML/1998/namespace}id")
            name = _find(el, "persName")
            if pid and name is not None and _text(name):
                names[pid] = names["#" + pid] = _text(name)
    return names


def _speaker(who: str, shown: str, labels: SpeakerLabels) -> str:
    """``who="#lenin"`` through the header's people, else the ``<speaker>`` text as shown."""
    for key in (who, shown.rstrip(".:")):
        if key and key.casefold() in labels.people:
            return labels.people[key.casefold()]
    return shown.rstrip(".:") or who.lstrip("#") or "unknown"


def _walk(el: ET.Element, state: _State, labels: SpeakerLabels, label: str) -> Iterator[Paragraph]:
    name = _local(el.tag)
    line = int(el.get(_LINE, "0"))
    if name in _PARA:
        text = _text(el)
        if text:
            yield Paragraph(0, text, line, state.speaker, state.date, state.type, state.section)
        for note in el.iter():
            if _local(note.tag) == "note" and _text(note):
                nline = int(note.get(_LINE, "0"))
                yield Paragraph(0, _text(note), nline, state.speaker, state.date, "note", state.section)
        return
    if name == "note":
        if _text(el):
            yield Paragraph(0, _text(el), line, state.speaker, state.date, "note", state.section)
        return
    inner = replace(state)
    if name == "sp":
        who = el.get("who", "").split()
        spk = next((c for c in el if _local(c.tag) == "speaker"), None)
        shown = _text(spk) if spk is not None and _text(spk) else ""
        inner.speaker = _speaker(who[0] if who else "", shown, labels)
    if name == "div" and el.get("type") in ("letter", "speech", "diary", "entry", "document", "report"):
        inner.type = str(el.get("type"))
    for child in el:
        cname = _local(child.tag)
        if cname == "head" and name == "div":
            inner.section = _text(child)
        elif cname == "date" and child.get("when"):
            inner.date = date_value(child.get("when"), f"{label}:{child.get(_LINE)}")
        elif cname in ("opener", "dateline", "docDate"):
            for d in child.iter():
                if _local(d.tag) in ("date", "docDate") and d.get("when"):
                    inner.date = date_value(d.get("when"), f"{label}:{d.get(_LINE)}")
            yield from _walk(child, inner, labels, label)
        else:
            yield from _walk(child, inner, labels, label)
