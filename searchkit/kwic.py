"""Keyword in context: every occurrence of a query's words or phrases, one line each, the way a
concordancer (AntConc, WordSmith) shows them, over the same index and filters as ``search``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from searchkit.errors import QueryError
from searchkit.highlight import highlight
from searchkit.offices import load_tenures
from searchkit.query import Filters, _id_key, filter_query, match_spec, parse_query
from searchkit.storage import open_searcher

#: Orders of concordance lines: where they stand in the collection, or by the words before
#: (nearest first) or after the match.
KWIC_SORTS = ("position", "left", "right")

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class KwicLine:
    """One occurrence: ``left`` ends just before ``match``, ``right`` starts just after it."""

    id: str
    left: str
    match: str
    right: str
    start: int  #: where the match starts in its paragraph
    page: str | None = None  #: the page the paragraph starts on, as printed, for paginated sources

    @property
    def cite(self) -> str:
        """The citation id, with the page where there is one: ``report:12 p. 214``."""
        return f"{self.id} p. {self.page}" if self.page else self.id


def kwic(
    index_dir: Path,
    text: str,
    *,
    filters: Filters | None = None,
    width: int = 40,
    sort: str = "position",
) -> list[KwicLine]:
    """Concordance lines for every highlighted occurrence of ``text`` in the matching paragraphs;
    contexts are at most ``width`` characters, cut at word boundaries."""
    if width < 1:
        raise QueryError(f"Width {width} is not a positive number")
    if sort not in KWIC_SORTS:
        raise QueryError(f"Unknown sort '{sort}'; use one of {', '.join(KWIC_SORTS)}")
    fq = filter_query(filters or Filters(), load_tenures(index_dir) if filters and filters.role else None)
    lines: list[KwicLine] = []
    with open_searcher(index_dir) as searcher:
        parsed = parse_query(searcher.schema, text)
        spec = match_spec(parsed, searcher.reader())
        for hit in searcher.search(parsed, limit=None, filter=fq, scored=False):
            stored = hit.fields()
            body = stored["body"]
            for s, e in highlight(body, spec):
                lines.append(
                    KwicLine(
                        stored["id"],
                        _left(body[:s], width),
                        _flat(body[s:e]),
                        _right(body[e:], width),
                        s,
                        stored.get("page"),
                    )
                )
    if sort == "left":
        lines.sort(key=lambda ln: ([w.casefold() for w in reversed(_WORD.findall(ln.left))], _pos(ln)))
    elif sort == "right":
        lines.sort(key=lambda ln: ([w.casefold() for w in _WORD.findall(ln.right)], _pos(ln)))
    else:
        lines.sort(key=_pos)
    return lines


def _pos(line: KwicLine) -> tuple[str, int, int]:
    return (*_id_key(line.id), line.start)


def _flat(text: str) -> str:
    return _SPACE.sub(" ", text)


def _left(text: str, width: int) -> str:
    """The last ``width`` characters of ``text``, starting at a word boundary."""
    text = _flat(text)
    if len(text) <= width:
        return text
    cut = text[-width:]
    if not text[-width - 1].isspace():
        cut = cut[cut.find(" ") + 1 :] if " " in cut else ""
    return cut


def _right(text: str, width: int) -> str:
    """The first ``width`` characters of ``text``, ending at a word boundary."""
    text = _flat(text)
    if len(text) <= width:
        return text
    cut = text[:width]
    if not text[width].isspace():
        cut = cut[: cut.rfind(" ")] if " " in cut else ""
    return cut
