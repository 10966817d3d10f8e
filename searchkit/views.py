"""Text for the reading commands: ``show`` (a paragraph in context), ``stats`` and ``kwic``.

Like :mod:`searchkit.render`, this works on plain data only.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence

import click

from searchkit.browse import CollectionStats, Shown
from searchkit.kwic import KwicLine
from searchkit.render import MARK_CLOSE, MARK_OPEN, byline, hit_record, line_note


def text_shown(shown: Shown, color: bool) -> Iterator[str]:
    """The document's title, then each paragraph with its citation and byline; the paragraph
    asked for is marked with ">"."""
    if not shown.paragraphs:
        return
    first = shown.paragraphs[0]
    yield click.style(first.title, bold=True) if color else first.title
    yield first.source
    for para in shown.paragraphs:
        target = para.id in shown.targets and len(shown.targets) == 1
        mark = ">" if target else " "
        cite = f"[{para.id}]"
        styled = click.style(cite, fg="cyan") if color else cite
        head = f"{mark} {styled} {para.locator}{line_note(para.line)}"
        yield ""
        yield f"{click.style(head, bold=True) if color and target else head} · {byline(para)}"
        yield f"  {para.text}"


def json_shown(shown: Shown) -> Iterator[str]:
    """JSON Lines: the search hit keys (rank and score are 0) plus ``target``."""
    for para in shown.paragraphs:
        record = hit_record(para)
        record["target"] = para.id in shown.targets
        yield json.dumps(record, ensure_ascii=False)


def text_stats(stats: CollectionStats, index: str) -> Iterator[str]:
    """The collection described in a few aligned lines."""

    def names(pairs: Sequence[tuple[str, int]], most: int = 6) -> str:
        shown = ", ".join(f"{name} ({count})" for name, count in pairs[:most])
        return f"{len(pairs)}: {shown}" + (", …" if len(pairs) > most else "")

    span = f"{stats.first_date} to {stats.last_date}" if stats.first_date else "no dated paragraphs"
    yield f"Documents:  {stats.documents}"
    yield f"Paragraphs: {stats.paragraphs} ({stats.undated} undated)"
    yield f"Dates:      {span}"
    yield f"Authors:    {names(stats.authors)}"
    yield f"Speakers:   {names(stats.speakers)}"
    yield f"Types:      {names(stats.types)}"
    yield f"Index:      {index}, {human_size(stats.index_bytes)}, built {stats.built:%Y-%m-%d %H:%M} UTC"


def json_stats(stats: CollectionStats, index: str) -> str:
    """The same as one JSON object."""
    return json.dumps(
        {
            "documents": stats.documents,
            "paragraphs": stats.paragraphs,
            "undated": stats.undated,
            "first_date": stats.first_date.isoformat() if stats.first_date else None,
            "last_date": stats.last_date.isoformat() if stats.last_date else None,
            "authors": [list(p) for p in stats.authors],
            "speakers": [list(p) for p in stats.speakers],
            "types": [list(p) for p in stats.types],
            "index": index,
            "index_bytes": stats.index_bytes,
            "built": stats.built.isoformat(timespec="seconds"),
        },
        ensure_ascii=False,
    )


def human_size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def text_kwic(lines: Sequence[KwicLine], width: int, color: bool) -> Iterator[str]:
    """Concordance lines: citation id, left context right-aligned, the match, right context."""
    id_width = max((len(ln.cite) for ln in lines), default=0)
    for ln in lines:
        match = click.style(ln.match, fg="red", bold=True) if color else f"{MARK_OPEN}{ln.match}{MARK_CLOSE}"
        yield f"{ln.cite:<{id_width}}  {ln.left:>{width}}{match}{ln.right}".rstrip()


def json_kwic(lines: Sequence[KwicLine]) -> Iterator[str]:
    """JSON Lines: ``id``, ``left``, ``match``, ``right``, ``start`` (offset in the paragraph)."""
    for ln in lines:
        yield json.dumps(
            {
                "id": ln.id,
                "left": ln.left,
                "match": ln.match,
                "right": ln.right,
                "start": ln.start,
                "page": ln.page,
            },
            ensure_ascii=False,
        )
