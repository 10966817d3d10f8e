"""Turn hits into text for people (colour or plain markers), JSON Lines, CSV and HTML.

No whoosh here: rendering works on :class:`~searchkit.query.Hit` data only.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Iterator, Sequence
from typing import Any

import click

from searchkit.facets import Facets
from searchkit.query import Hit

#: Markers around a highlighted word when colour is off.
MARK_OPEN, MARK_CLOSE = "[[", "]]"


def line_note(line: int) -> str:
    """' (line 47)' after a citation; '' where the format has no lines (Word, EPUB, web pages: 0)."""
    return f" (line {line})" if line else ""


def mark(text: str, ranges: Sequence[tuple[int, int]], color: bool) -> str:
    """``text`` with ``ranges`` shown in bold red (colour) or between ``[[`` and ``]]``."""
    out: list[str] = []
    last = 0
    for s, e in ranges:
        out.append(text[last:s])
        word = text[s:e]
        out.append(click.style(word, fg="red", bold=True) if color else f"{MARK_OPEN}{word}{MARK_CLOSE}")
        last = e
    out.append(text[last:])
    return "".join(out)


def byline(hit: Hit) -> str:
    """Author (and speaker when someone else speaks), date and type, joined by " · "."""
    who = hit.author
    if hit.speaker and hit.speaker != hit.author:
        who = f"{hit.author} (speaker: {hit.speaker})"
    parts = [who, hit.date_shown or hit.date or "undated", hit.type]
    if hit.about_shown:
        parts.append(f"period: {hit.about_shown}")
    return " · ".join(parts)


def text_hits(hits: Sequence[Hit], color: bool) -> Iterator[str]:
    """Human-readable lines, a blank line between hits."""
    for i, hit in enumerate(hits):
        if i:
            yield ""
        head = click.style(f"{hit.rank}.", bold=True) if color else f"{hit.rank}."
        title = click.style(hit.title, bold=True) if color else hit.title
        cite = f"[{hit.id}]"
        yield f"{head} {title}  {click.style(cite, fg='cyan') if color else cite}"
        yield f"   {byline(hit)}"
        yield f"   {hit.source} {hit.locator}{line_note(hit.line)} · score {hit.score:.2f}"
        yield f"   {mark(hit.passage, hit.passage_highlights, color)}"


def hit_record(hit: Hit) -> dict[str, Any]:
    """The JSON object of a hit; its keys are documented in the README and kept stable."""
    return {
        "id": hit.id,
        "rank": hit.rank,
        "source": hit.source,
        "paragraph": hit.paragraph,
        "page": hit.page,
        "line": hit.line,
        "title": hit.title,
        "author": hit.author,
        "speaker": hit.speaker,
        "date": hit.date,
        "type": hit.type,
        "section": hit.section,
        "collection": hit.collection,
        "score": hit.score,
        "text": hit.text,
        "highlights": [list(r) for r in hit.highlights],
        "passage": hit.passage,
        "passage_highlights": [list(r) for r in hit.passage_highlights],
        "extra": hit.extra,
        "date_shown": hit.date_shown,
        "calendar": hit.calendar,
        "date_start": hit.date_start.isoformat() if hit.date_start else None,
        "date_end": hit.date_end.isoformat() if hit.date_end else None,
        "about": hit.about,
        "about_shown": hit.about_shown,
        "about_start": hit.about_start.isoformat() if hit.about_start else None,
        "about_end": hit.about_end.isoformat() if hit.about_end else None,
    }


def json_hits(hits: Sequence[Hit]) -> Iterator[str]:
    """JSON Lines: one object per hit."""
    for hit in hits:
        yield json.dumps(hit_record(hit), ensure_ascii=False)


def json_facets(facets: Facets) -> str:
    """The JSON line of facet counts: ``{"facets": {"speaker": [[name, count], …], …}}``."""
    return json.dumps(
        {"facets": {k: [[v, n] for v, n in pairs] for k, pairs in facets.items()}}, ensure_ascii=False
    )


def text_facets(facets: Facets, color: bool) -> Iterator[str]:
    """One line per facet: ``speaker: V. I. Lenin (2), L. D. Trotsky (1)``."""
    for name, pairs in facets.items():
        label = click.style(f"{name}:", bold=True) if color else f"{name}:"
        yield f"{label} " + ", ".join(f"{value} ({count})" for value, count in pairs)


#: The CSV columns, in order: the JSON keys without ``extra``.
CSV_COLUMNS = (
    "id",
    "rank",
    "source",
    "paragraph",
    "page",
    "line",
    "title",
    "author",
    "speaker",
    "date",
    "type",
    "section",
    "collection",
    "score",
    "text",
    "highlights",
    "passage",
    "passage_highlights",
)


def csv_hits(hits: Sequence[Hit]) -> Iterator[str]:
    """CSV with a header row; highlight ranges are JSON arrays (``[[89, 99]]``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for hit in hits:
        record = hit_record(hit)
        writer.writerow(
            json.dumps(record[c]) if c.endswith("highlights") else ("" if record[c] is None else record[c])
            for c in CSV_COLUMNS
        )
    yield buffer.getvalue().rstrip("\n")


def html_mark(text: str, ranges: Sequence[tuple[int, int]]) -> str:
    """``text`` escaped for HTML, with ``ranges`` inside ``<mark>`` elements."""
    out: list[str] = []
    last = 0
    for s, e in ranges:
        out.append(html.escape(text[last:s]))
        out.append(f"<mark>{html.escape(text[s:e])}</mark>")
        last = e
    out.append(html.escape(text[last:]))
    return "".join(out)


def html_hits(hits: Sequence[Hit], query: str) -> Iterator[str]:
    """A small standalone HTML page: one ``<article>`` per hit, matches in ``<mark>``."""
    esc = html.escape
    yield "<!DOCTYPE html>"
    yield f'<html><head><meta charset="utf-8"><title>searchkit: {esc(query)}</title></head><body>'
    for hit in hits:
        yield f'<article id="{esc(hit.id)}">'
        yield f"<h2>{hit.rank}. {esc(hit.title)} <small>[{esc(hit.id)}]</small></h2>"
        where = f"{hit.source} {hit.locator}{line_note(hit.line)}"
        yield f"<p><small>{esc(byline(hit))} · {esc(where)}</small></p>"
        yield f"<p>{html_mark(hit.passage, hit.passage_highlights)}</p>"
        yield "</article>"
    yield "</body></html>"


def plain_citation(hit: Hit) -> str:
    """A citation of a hit in plain text, the text of the web page's copy button: the Chicago
    full note that ``searchkit search --cite chicago`` prints, with the page or paragraph
    (``V. I. Lenin, “Resolution …,” in Collected Works, … (Moscow: Progress Publishers, 1972),
    para. 3.``).

    The web interface copies exactly this, so changing the citation style here changes it there.
    """
    from searchkit.cite import plain_citation as chicago_note

    return chicago_note(hit)
