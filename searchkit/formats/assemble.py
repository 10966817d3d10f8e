"""Turn blocks of lines into paragraphs: headings become sections, labels become speaker turns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from searchkit.dates import DateRange
from searchkit.formats.collection import FileSettings
from searchkit.formats.common import Block, date_value, is_chapter_label, is_heading, prose_date
from searchkit.formats.transcript import MIN_TURNS, SpeakerLabels, count_turns
from searchkit.sources import UNKNOWN, Paragraph

#: The speaker of a transcript's paragraphs before the first turn, unless settings say otherwise.
RECORD = "the record"


@dataclass
class Defaults:
    """What a paragraph has when the text does not say otherwise."""

    speaker: str
    date: DateRange | None
    type: str
    people: Mapping[str, str] = field(default_factory=dict)
    settings: Mapping[str, Any] = field(default_factory=dict)


def uses_turns(blocks: list[Block], settings: Mapping[str, Any], labels: SpeakerLabels | None = None) -> bool:
    """Whether ``blocks`` are read as speaker turns (``turns: auto`` decides by counting labels)."""
    turns = settings.get("turns", "auto")
    if turns != "auto":
        return bool(turns)
    labels = labels or SpeakerLabels(settings.get("speaker_pattern"))
    return count_turns([b.text for b in blocks[:5000]], labels) >= MIN_TURNS


def assemble(blocks: list[Block], defaults: Defaults, *, sections: bool = True) -> tuple[Paragraph, ...]:
    """Paragraphs from ``blocks``. Turns are used when the settings say ``turns: true``, or, with
    ``turns: auto`` (the default), when at least ``MIN_TURNS`` paragraphs open with a label."""
    settings = defaults.settings
    labels = SpeakerLabels(settings.get("speaker_pattern"), defaults.people)
    turns = uses_turns(blocks, settings, labels)
    quoted_type = str(settings.get("quoted_type") or "document")

    out: list[Paragraph] = []
    section = ""
    pending_label = ""  # "CHAPTER I" waiting for the title on the next line
    speaker, date = defaults.speaker, defaults.date
    if turns:
        # Before the first turn, the clerk's record speaks (title page, "The committee met…").
        speaker = str(settings.get("record_speaker") or RECORD)
    in_turn = False
    contents = False  # inside a table of contents, whose headings are not the text's sections
    for block in blocks:
        text = block.text
        if pending_label and len(block.lines) == 1 and len(text) < 80 and not is_heading(block):
            section, pending_label = f"{pending_label}. {text}", ""  # "Chapter I" + "Background"
            continue
        if sections and is_heading(block):
            if text.upper() in ("CONTENTS", "TABLE OF CONTENTS"):
                contents = True
            elif contents:
                continue
            if pending_label:
                section = f"{pending_label}. {text}"
                pending_label = ""
            else:
                section = text
                pending_label = text if is_chapter_label(text) else ""
            continue
        pending_label = ""
        if contents and any(c.islower() for c in text):
            contents, section = False, ""  # the first paragraph of prose ends the contents
        kind = defaults.type
        if turns and text.startswith("(") and text.endswith((")", ".)")):
            out.append(Paragraph(len(out) + 1, text, block.line, RECORD, date, kind, section))
            continue  # "(Thereupon the committee adjourned.)": the record's, within a turn
        if turns:
            turn = labels.match(text)
            if turn is not None:
                speaker, text = turn
                in_turn = True
                if not text:
                    continue
            elif not in_turn and len(text) < 120 and (found := prose_date(text)) is not None:
                date = found  # "Washington, D.C., Friday, September 12, 1919." heads the record
            elif in_turn and block.indented:
                kind = quoted_type  # a document read into the record by the speaker
        out.append(Paragraph(len(out) + 1, text, block.line, speaker, date, kind, section))
    return tuple(out)


@dataclass(frozen=True)
class Resolved:
    """A document's metadata once the file, the catalogue and the settings have been weighed."""

    id: str
    title: str
    author: str
    date: DateRange | None
    type: str
    speaker: str


def resolve(fs: FileSettings, found: Mapping[str, Any], label: str) -> Resolved:
    """Catalogue rows and per-file settings win over what the file says, which wins over the
    collection's defaults. Names go through the collection's ``people``."""

    def pick(key: str) -> Any:
        for source in (fs.overrides, found, fs.defaults):
            value = source.get(key)
            if value not in (None, ""):
                return value
        return None

    people = {k.casefold(): v for k, v in fs.people.items()}

    def person(value: Any) -> str:
        name = " ".join(str(value).split())
        return people.get(name.casefold(), name)

    author = person(pick("author") or UNKNOWN)
    speaker = person(pick("speaker")) if pick("speaker") else author
    date = date_value(pick("date"), label)
    doc_type = " ".join(str(pick("type") or UNKNOWN).split()).lower()
    default_id = fs.rel.rsplit(".", 1)[0]
    title = " ".join(str(pick("title") or default_id.rsplit("/", 1)[-1]).split())
    doc_id = " ".join(str(fs.overrides.get("id") or default_id).split())  # a sidecar's 'id:'
    return Resolved(doc_id, title, author, date, doc_type, speaker)


def make_defaults(meta: Resolved, fs: FileSettings) -> Defaults:
    return Defaults(meta.speaker, meta.date, meta.type, fs.people, fs.settings)
